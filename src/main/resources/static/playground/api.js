// The service's public API as the page uses it. Paths are relative to the page, so the playground
// also works behind a proxy that serves the service under a path prefix.

const KEY_STORAGE = 'embedserve.apiKey';
const LOADING_RETRY_MS = 2000;

// The key lives in this tab only: sessionStorage is dropped when the tab closes, and never shared.
let apiKey = sessionStorage.getItem(KEY_STORAGE);
let askForKey = async () => { throw new ApiError(401, 'This service needs an API key.'); };

/** An error the API answered, with a message a person can act on. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** Registers the function that asks the person for a key: (reason) => Promise<string>. */
export function onKeyNeeded(ask) {
  askForKey = ask;
}

/**
 * GET (no body) or POST (a JSON body) one route. A 401 asks for a key and tries again; a 503 (the
 * model is still loading) waits and tries again, telling onWait; anything else that is not 2xx
 * throws an ApiError. Returns {json, headers}.
 */
export async function call(path, body, onWait = () => {}) {
  for (;;) {
    const response = await send(path, body);
    if (response.status === 401) {
      const reason = apiKey ? 'The service refused this key; enter another one.' : 'This service needs an API key.';
      apiKey = await askForKey(reason);
      sessionStorage.setItem(KEY_STORAGE, apiKey);
      continue;
    }
    if (response.status === 503) {
      onWait(await messageOf(response));
      await new Promise(resolve => setTimeout(resolve, LOADING_RETRY_MS));
      continue;
    }
    if (!response.ok) {
      throw new ApiError(response.status, explain(response.status, await messageOf(response)));
    }
    return { json: await response.json(), headers: response.headers };
  }
}

async function send(path, body) {
  const headers = { Accept: 'application/json' };
  if (apiKey) {
    headers.Authorization = `Bearer ${apiKey}`;
  }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  try {
    return await fetch(path, {
      method: body === undefined ? 'GET' : 'POST',
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, `Cannot reach the service (${e.message}). Is it running?`);
  }
}

/** The error text of a TEI error ({error, error_type}) or of an OpenAI one ({error: {message}}). */
async function messageOf(response) {
  const text = await response.text();
  try {
    const json = JSON.parse(text);
    return typeof json.error === 'string' ? json.error : json.error?.message ?? text;
  } catch {
    return text || response.statusText;
  }
}

function explain(status, message) {
  switch (status) {
    case 400: return `The request was empty or malformed: ${message}`;
    case 413: return `The request is larger than the service accepts (its PAYLOAD_LIMIT); use fewer or`
        + ` shorter texts. ${message}`;
    case 422: return `The service refused the input: ${message}`;
    case 424: return `The model failed while computing: ${message}`;
    case 429: return `The service is busy right now; try again in a moment. ${message}`;
    default: return `The service answered ${status}: ${message}`;
  }
}

/** The TEI timing and size headers (x-compute-time, x-inference-time, ...) of a response. */
export function timingHeaders(headers) {
  const found = {};
  for (const [name, value] of headers) {
    if (name.startsWith('x-')) {
      found[name] = value;
    }
  }
  return found;
}
