// Hugging Face's JavaScript client as a TEI user calls it: featureExtraction with endpointUrl, which
// posts {"inputs": ...} to the endpoint's base URL (TEI serves / as its predict route).
// Usage: node hf-feature-extraction.mjs <base URL> <JSON array of texts>
// Prints {"vectors": [...], "raw": [...]}: default options, then "normalize": false.
import { InferenceClient } from "@huggingface/inference";

const [endpointUrl, textsJson] = process.argv.slice(2);
const inputs = JSON.parse(textsJson);
const client = new InferenceClient();
const vectors = await client.featureExtraction({ endpointUrl, inputs });
const raw = await client.featureExtraction({ endpointUrl, inputs, normalize: false });
process.stdout.write(JSON.stringify({ vectors, raw }));
