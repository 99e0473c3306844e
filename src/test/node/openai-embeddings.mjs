// OpenAI's JavaScript SDK pointed at the service's /v1: embeddings.create, which by default asks for
// encoding_format "base64" and decodes it, and once with "float".
// Usage: node openai-embeddings.mjs <base URL> <JSON array of texts>
// Prints {"base64": [[...]], "float": [[...]], "usage": {...}, "indices": [...]}.
import OpenAI from "openai";

const [baseUrl, textsJson] = process.argv.slice(2);
const input = JSON.parse(textsJson);
const client = new OpenAI({ baseURL: `${baseUrl}/v1`, apiKey: "not-checked", maxRetries: 0 });
const viaBase64 = await client.embeddings.create({ model: "embedserve", input });
const viaFloat = await client.embeddings.create({ model: "embedserve", input, encoding_format: "float" });
process.stdout.write(JSON.stringify({
  base64: viaBase64.data.map((d) => Array.from(d.embedding)),
  float: viaFloat.data.map((d) => d.embedding),
  usage: viaFloat.usage,
  indices: viaFloat.data.map((d) => d.index),
}));
