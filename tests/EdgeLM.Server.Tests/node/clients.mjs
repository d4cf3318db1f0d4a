// Streams one greedy chat reply through each official npm client and prints what arrived, one JSON line each:
// {"api":"openai","chunks":N,"text":"..."} and {"api":"ollama","chunks":N,"text":"..."}.
// Usage: node clients.mjs BASE_URL API_KEY MODEL
import OpenAI from 'openai';
import { Ollama } from 'ollama';

const [base, apiKey, model] = process.argv.slice(2);
const messages = [{ role: 'user', content: 'Write a haiku about the sea.' }];

const openai = new OpenAI({ baseURL: `${base}/v1`, apiKey, maxRetries: 0 });
const stream = await openai.chat.completions.create({ model, messages, stream: true, temperature: 0, max_tokens: 16 });
let text = '', chunks = 0;
for await (const chunk of stream) {
  const piece = chunk.choices[0]?.delta?.content ?? '';
  if (piece.length > 0) chunks++;
  text += piece;
}
console.log(JSON.stringify({ api: 'openai', chunks, text }));

const ollama = new Ollama({ host: base, headers: { Authorization: `Bearer ${apiKey}` } });
const response = await ollama.chat({ model, messages, stream: true, options: { temperature: 0, num_predict: 16 } });
text = ''; chunks = 0;
for await (const part of response) {
  if (part.message.content.length > 0) chunks++;
  text += part.message.content;
}
console.log(JSON.stringify({ api: 'ollama', chunks, text }));
