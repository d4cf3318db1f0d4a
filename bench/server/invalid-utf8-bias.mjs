// Prints a llama.cpp logit_bias list ([[id, false], ...]: never sample) of the tokens of a GGUF's byte-level BPE
// vocabulary (tokenizer.ggml.model = gpt2) whose bytes are not valid UTF-8 on their own.
// Why: on a synth (random-weight) model, llama-server at 3f545becc fails a request with HTTP 500 "The model produced
// output that does not match the expected Content-only format" once the generated text contains invalid UTF-8;
// banning these tokens on llama-server's side keeps the load benchmark running. Which token is sampled does not
// change the cost of a forward pass, so the comparison stays fair (EdgeLM needs no such list).
// Usage: node invalid-utf8-bias.mjs MODEL.gguf > bias.json
import { openSync, readSync } from "node:fs";

const fd = openSync(process.argv[2], "r");
let pos = 0;
function read(n) {
  const b = Buffer.alloc(n);
  let got = 0;
  while (got < n) {
    const r = readSync(fd, b, got, n - got, pos + got);
    if (r === 0) throw new Error("unexpected end of file");
    got += r;
  }
  pos += n;
  return b;
}
const u32 = () => read(4).readUInt32LE(0);
const u64 = () => Number(read(8).readBigUInt64LE(0));
const str = () => read(u64()).toString("utf8");
const sizes = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };
function skip(type) {
  if (type === 8) { const n = u64(); pos += n; return; }
  if (type === 9) { const t = u32(), n = u64(); for (let i = 0; i < n; i++) skip(t); return; }
  if (!(type in sizes)) throw new Error(`unknown GGUF value type ${type}`);
  pos += sizes[type];
}

if (read(4).toString("latin1") !== "GGUF") throw new Error("not a GGUF file");
u32(); // version
u64(); // tensor count
const kvCount = u64();
let tokens = null, model = null;
for (let i = 0; i < kvCount; i++) {
  const key = str(), type = u32();
  if (key === "tokenizer.ggml.tokens" && type === 9) {
    const t = u32(), n = u64();
    if (t !== 8) throw new Error("tokenizer.ggml.tokens is not an array of strings");
    tokens = Array.from({ length: n }, str);
  } else if (key === "tokenizer.ggml.model" && type === 8) {
    model = str();
  } else skip(type);
}
if (!tokens) throw new Error("no tokenizer.ggml.tokens");
if (model !== "gpt2") throw new Error(`tokenizer.ggml.model is ${model}, this script handles gpt2 (byte-level BPE) only`);

// GPT-2's byte ↔ printable-character map: bytes 33-126, 161-172, 174-255 stand for themselves, the rest are
// mapped in order to code points 256 and up.
const charToByte = new Map();
let extra = 0;
for (let b = 0; b < 256; b++) {
  const printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
  charToByte.set(printable ? b : 256 + extra++, b);
}
const decoder = new TextDecoder("utf-8", { fatal: true });
const banned = [];
tokens.forEach((piece, id) => {
  const bytes = [];
  for (const ch of piece) {
    const b = charToByte.get(ch.codePointAt(0));
    if (b === undefined) return; // not a byte-level piece (special/control token text): leave it alone
    bytes.push(b);
  }
  try { decoder.decode(Uint8Array.from(bytes)); } catch { banned.push([id, false]); }
});
process.stderr.write(`${banned.length} of ${tokens.length} tokens are not valid UTF-8 on their own\n`);
process.stdout.write(JSON.stringify(banned) + "\n");
