// Streaming load generator for an OpenAI-compatible /v1/completions endpoint (EdgeLM or llama-server).
// Usage: node load.mjs BASE_URL MODEL CONCURRENCY ROUNDS MAX_TOKENS [PROMPTS] [ID_OFFSET]
//   PROMPTS   "distinct" (default): every request's prompt starts with its own number (ID_OFFSET + round *
//             CONCURRENCY + stream, default offset 0), so no two requests of a run share more than the BOS token
//             as a prefix and neither server's prompt cache / prefix reuse can skip prefill work;
//             "same": every request sends the same prompt (prefix reuse allowed; flatters a server that reuses it).
// Each round starts CONCURRENCY streams at once (temperature 0, ignore_eos so every stream generates exactly
// MAX_TOKENS) and waits for all of them. Prints one JSON line:
//   tokens               all completion tokens of all rounds (from the usage chunk; chunk count if none)
//   wall_s               wall time of all rounds
//   aggregate_tps        tokens / wall_s
//   per_stream_tps_median  median over requests of (tokens - 1) / (time from first to last token)
//   ttft_p50_ms/p99_ms   time from sending the request to the first non-empty text chunk, nearest rank
//   stream_tokens_min/max  fewest/most tokens a single request generated; token_source "usage" or "chunks"
// Exits 2 (after printing) when any request generated a count other than MAX_TOKENS, 1 on an HTTP/stream error.
import { readFileSync } from "node:fs";
const [base, model, conc, rounds, maxTokens, promptMode = "distinct", idOffset = "0"] = process.argv.slice(2);
const n = Number(conc), r = Number(rounds), max = Number(maxTokens), offset = Number(idOffset);
if (!base || !model || !(n >= 1) || !(r >= 1) || !(max >= 1) || !["distinct", "same"].includes(promptMode)) {
  console.error("usage: node load.mjs BASE_URL MODEL CONCURRENCY ROUNDS MAX_TOKENS [distinct|same] [ID_OFFSET]");
  process.exit(64);
}
// LOGIT_BIAS_FILE (optional): a JSON logit_bias value sent with every request (see invalid-utf8-bias.mjs)
const logitBias = process.env.LOGIT_BIAS_FILE ? JSON.parse(readFileSync(process.env.LOGIT_BIAS_FILE, "utf8")) : undefined;
const story = "Once upon a time, in a small village by the sea, there lived an old fisherman who";
const promptFor = id => promptMode === "same" ? story : `${id}. ${story}`;

async function stream(id) {
  const t0 = performance.now();
  const res = await fetch(`${base}/v1/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model, prompt: promptFor(id), max_tokens: max, temperature: 0, stream: true,
      ignore_eos: true, stream_options: { include_usage: true }, ...(logitBias ? { logit_bias: logitBias } : {}) }),
  });
  if (!res.ok) throw new Error(`request ${id}: HTTP ${res.status}: ${await res.text()}`);
  let ttft = null, tLast = null, chunks = 0, usage = null, buf = "";
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
      if (j.error) throw new Error(`request ${id}: stream error: ${JSON.stringify(j.error)}`);
      if (j.usage) usage = j.usage;
      if (j.choices?.length && j.choices[0].text) {
        chunks++; tLast = performance.now();
        if (ttft === null) ttft = tLast - t0;
      }
    }
  }
  if (ttft === null) throw new Error(`request ${id}: no text received`);
  const tokens = usage?.completion_tokens ?? chunks;
  const decodeS = (tLast - t0 - ttft) / 1000;
  return { ttft, tokens, fromUsage: usage?.completion_tokens != null, tps: decodeS > 0 ? (tokens - 1) / decodeS : NaN };
}

const ttfts = [], singles = [], counts = [];
let tokens = 0, allUsage = true;
const start = performance.now();
try {
  for (let k = 0; k < r; k++) {
    const results = await Promise.all(Array.from({ length: n }, (_, s) => stream(offset + k * n + s)));
    for (const x of results) {
      ttfts.push(x.ttft); tokens += x.tokens; counts.push(x.tokens); allUsage &&= x.fromUsage;
      if (Number.isFinite(x.tps)) singles.push(x.tps);
    }
  }
} catch (e) {
  console.error(`load.mjs: ${e.message ?? e}`);
  process.exit(1);
}
const wall = (performance.now() - start) / 1000;
ttfts.sort((a, b) => a - b);
const pct = p => ttfts[Math.min(ttfts.length - 1, Math.ceil(p / 100 * ttfts.length) - 1)];
singles.sort((a, b) => a - b);
const minTok = Math.min(...counts), maxTok = Math.max(...counts);
console.log(JSON.stringify({ concurrency: n, rounds: r, max_tokens: max, prompts: promptMode, tokens,
  wall_s: +wall.toFixed(2), aggregate_tps: +(tokens / wall).toFixed(2),
  per_stream_tps_median: singles.length ? +singles[Math.floor(singles.length / 2)].toFixed(2) : null,
  ttft_p50_ms: +pct(50).toFixed(1), ttft_p99_ms: +pct(99).toFixed(1),
  stream_tokens_min: minTok, stream_tokens_max: maxTok, token_source: allUsage ? "usage" : "chunks" }));
if (minTok !== max || maxTok !== max) {
  console.error(`load.mjs: expected exactly ${max} tokens per request, got between ${minTok} and ${maxTok}`);
  process.exit(2);
}
