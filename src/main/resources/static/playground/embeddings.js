// Vectors and scores from the service, in requests no larger than its client batch limit.
import { call, timingHeaders } from './api.js';

/** POST /embed in chunks of at most `batch` texts; returns {vectors, timing}. */
export async function embedAll(texts, batch, { truncate }, onWait) {
  const vectors = [];
  const timing = new Timing();
  for (const chunk of chunks(texts, batch)) {
    const { json, headers } = await call('embed', { inputs: chunk, normalize: true, truncate }, onWait);
    vectors.push(...json);
    timing.add(headers);
  }
  return { vectors, timing };
}

/** POST /similarity: the query against each document, in chunks that leave room for the query. */
export async function similarities(query, documents, batch, onWait) {
  const scores = [];
  const timing = new Timing();
  for (const chunk of chunks(documents, Math.max(1, batch - 1))) {
    const body = { inputs: { source_sentence: query, sentences: chunk } };
    const { json, headers } = await call('similarity', body, onWait);
    scores.push(...json);
    timing.add(headers);
  }
  return { scores, timing };
}

/** Cosine of every pair. The vectors come normalised, but dividing by the norms costs nothing. */
export function cosineMatrix(vectors) {
  const norms = vectors.map(v => Math.sqrt(dot(v, v)));
  return vectors.map((a, i) => vectors.map((b, j) => dot(a, b) / (norms[i] * norms[j])));
}

function dot(a, b) {
  let sum = 0;
  for (let k = 0; k < a.length; k++) {
    sum += a[k] * b[k];
  }
  return sum;
}

function* chunks(items, size) {
  for (let start = 0; start < items.length; start += size) {
    yield items.slice(start, start + size);
  }
}

/** The x-* headers of one or more responses: times and counts add up, the rest is kept as is. */
export class Timing {
  constructor() {
    this.requests = 0;
    this.headers = {};
  }

  add(headers) {
    this.requests++;
    for (const [name, value] of Object.entries(timingHeaders(headers))) {
      const number = Number(value);
      const previous = this.headers[name];
      this.headers[name] = Number.isFinite(number) && previous !== undefined ? Number(previous) + number : value;
    }
  }
}
