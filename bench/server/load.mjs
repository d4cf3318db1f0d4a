// Streaming load generator for an OpenAI-compatible /v1/completions endpoint (EdgeLM or llama-server).
// Usage: node load.mjs BASE_URL MODEL CONCURRENCY ROUNDS MAX_TOKENS
// Each round starts CONCURRENCY streams at once with the same prompt (temperature 0, ignore_eos so every stream
// generates exactly MAX_TOKENS) and waits for all. Prints one JSON line: aggregate generated tokens/s (all tokens of
// all rounds / total wall time), single-stream tokens/s, and time-to-first-token percentiles.
const [base, model, conc, rounds, maxTokens] = process.argv.slice(2);
const n = Number(conc), r = Number(rounds), max = Number(maxTokens);
const prompt = "Once upon a time, in a small village by the sea, there lived an old fisherman who";

async function stream() {
  const t0 = performance.now();
  const res = await fetch(`${base}/v1/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model, prompt, max_tokens: max, temperature: 0, stream: true, ignore_eos: true,
      stream_options: { include_usage: true } }),
  });
  if (!res.ok) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
  let ttft = null, chunks = 0, usage = null, buf = "";
  const decoder = new TextDecoder();
  for await (const part of res.body) {
    buf += decoder.decode(part, { stream: true });
    let i;
    while ((i = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, i).trim(); buf = buf.slice(i + 1);
      if (!line.startsWith("data:")) continue;
      const data = line.slice(5).trim();
      if (data === "[DONE]") continue;
      const j = JSON.parse(data);
      if (j.usage) usage = j.usage;
      if (j.choices?.length && j.choices[0].text) { chunks++; if (ttft === null) ttft = performance.now() - t0; }
    }
  }
  return { ttft, tokens: usage?.completion_tokens ?? chunks, ms: performance.now() - t0 };
}

const ttfts = [], singles = [];
let tokens = 0;
const start = performance.now();
for (let k = 0; k < r; k++) {
  const results = await Promise.all(Array.from({ length: n }, stream));
  for (const x of results) { ttfts.push(x.ttft); tokens += x.tokens; singles.push(x.tokens / ((x.ms - x.ttft) / 1000)); }
}
const wall = (performance.now() - start) / 1000;
ttfts.sort((a, b) => a - b);
const pct = p => ttfts[Math.min(ttfts.length - 1, Math.floor(p / 100 * ttfts.length))];
singles.sort((a, b) => a - b);
console.log(JSON.stringify({ concurrency: n, rounds: r, max_tokens: max, tokens, wall_s: +wall.toFixed(2),
  aggregate_tps: +(tokens / wall).toFixed(2), per_stream_tps_median: +singles[Math.floor(singles.length / 2)].toFixed(2),
  ttft_p50_ms: +pct(50).toFixed(1), ttft_p99_ms: +pct(99).toFixed(1) }));
