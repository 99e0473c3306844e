// The OpenAI JavaScript SDK against a service that has API_KEY set: with the key, with a wrong
// one, and a plain request without any. Prints one JSON line for io.embedserve.app.OpenAiSdkTest:
//   node openai-api-key.mjs BASE_URL API_KEY
// BASE_URL is the service's root (the SDK's baseURL is BASE_URL/v1).
import OpenAI from 'openai';

const [baseUrl, apiKey] = process.argv.slice(2);
const result = {};

async function attempt(name, key) {
  const client = new OpenAI({ apiKey: key, baseURL: `${baseUrl}/v1`, maxRetries: 0, timeout: 60_000 });
  try {
    // The SDK asks for base64 unless told otherwise and decodes it; ask for both forms.
    const floats = await client.embeddings.create({ model: 'any', input: ['first text', 'second text'], encoding_format: 'float' });
    const packed = await client.embeddings.create({ model: 'any', input: 'first text' });
    result[name] = {
      ok: true,
      count: floats.data.length,
      dimensions: floats.data[0].embedding.length,
      firstFloat: floats.data[0].embedding.slice(0, 4),
      firstBase64: Array.from(packed.data[0].embedding.slice(0, 4)),
      promptTokens: floats.usage.prompt_tokens,
    };
  } catch (error) {
    result[name] = {
      ok: false,
      errorClass: error?.constructor?.name,
      status: error?.status ?? null,
      type: error?.type ?? null,
      code: error?.code ?? null,
      message: error?.message ?? String(error),
    };
  }
}

await attempt('withKey', apiKey);
await attempt('wrongKey', `${apiKey}-wrong`);
const bare = await fetch(`${baseUrl}/v1/embeddings`, {
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ input: 'no key', model: 'any' }),
});
result.noHeader = { status: bare.status, wwwAuthenticate: bare.headers.get('www-authenticate'), body: await bare.json() };
console.log(JSON.stringify(result));
