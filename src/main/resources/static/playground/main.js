// Boots the playground: the model card from GET /info, the key dialog, the tabs (Rerank only when the
// service runs a reranker), and a first heat map, search and ranking of the prefilled texts.
import { ApiError, call, onKeyNeeded } from './api.js';
import { DOCUMENTS, QUERY, SENTENCES } from './samples.js';
import { RerankPanel, rerankerOf } from './rerank.js';
import { SearchPanel } from './search.js';
import { SimilarityPanel } from './similarity.js';
import { setUpTabs } from './tabs.js';

const service = { batch: 32 };

async function loadModelCard() {
  const status = document.getElementById('model-status');
  const { json: info } = await call('info', undefined, message => {
    status.textContent = `The model is still loading (${message}); trying again every 2 seconds…`;
  });
  service.batch = info.max_client_batch_size;
  const facts = {
    model: info.model_id,
    revision: info.model_sha,
    pooling: Object.values(info.model_type ?? {})[0]?.pooling ?? 'unknown',
    maxLength: `${info.max_input_length} tokens`,
    dtype: info.model_dtype,
    batch: String(info.max_client_batch_size),
    version: `EmbedServe ${info.version}`,
  };
  for (const [name, value] of Object.entries(facts)) {
    document.querySelector(`[data-fact="${name}"]`).textContent = value ?? '—';
  }
  status.textContent = 'Ready.';
  document.getElementById('model-facts').hidden = false;
  document.getElementById('model-card').setAttribute('aria-busy', 'false');
  return info;
}

/** One dialog at a time, however many requests were refused at once. */
let keyRequest = null;

function askForKey(reason) {
  keyRequest ??= new Promise((resolve, reject) => {
    const dialog = document.getElementById('key-dialog');
    const form = document.getElementById('key-form');
    const input = document.getElementById('key');
    document.getElementById('key-reason').textContent = reason;
    input.value = '';
    const done = () => {
      keyRequest = null;
      form.removeEventListener('submit', submit);
      dialog.removeEventListener('cancel', cancel);
    };
    const submit = event => {
      event.preventDefault();
      done();
      dialog.close();
      resolve(input.value.trim());
    };
    const cancel = () => {
      done();
      reject(new ApiError(401, 'This service needs an API key; reload the page to enter one.'));
    };
    form.addEventListener('submit', submit);
    dialog.addEventListener('cancel', cancel); // Escape closes the dialog without a key
    dialog.showModal();
  });
  return keyRequest;
}

function submitOnCtrlEnter(textarea, form) {
  textarea.addEventListener('keydown', event => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
}

async function start() {
  onKeyNeeded(askForKey);
  setUpTabs(document.querySelector('[role="tablist"]'));
  document.getElementById('sentences').value = SENTENCES.join('\n');
  document.getElementById('documents').value = DOCUMENTS.join('\n');
  document.getElementById('query').value = QUERY;
  document.getElementById('rerank-documents').value = DOCUMENTS.join('\n');
  document.getElementById('rerank-query').value = QUERY;
  submitOnCtrlEnter(document.getElementById('sentences'), document.getElementById('similarity-form'));
  submitOnCtrlEnter(document.getElementById('documents'), document.getElementById('search-form'));
  submitOnCtrlEnter(document.getElementById('rerank-documents'), document.getElementById('rerank-form'));

  const similarity = new SimilarityPanel(service, vectors => {
    document.querySelector('[data-fact="dimension"]').textContent = String(vectors[0]?.length ?? '…');
  });
  const search = new SearchPanel(service);
  const rerank = new RerankPanel(service);
  let info;
  try {
    info = await loadModelCard();
  } catch (error) {
    document.getElementById('model-status').textContent = error.message;
    return;
  }
  const reranker = rerankerOf(info);
  if (reranker) {
    rerank.show(reranker);
  }
  // A cross-encoder served alone embeds nothing: only its tab is offered.
  const embeds = Boolean(info.model_type?.embedding);
  if (!embeds) {
    document.querySelector('[data-fact="dimension"]').textContent = '—';
    for (const id of ['tab-similarity', 'tab-search']) {
      document.getElementById(id).hidden = true;
    }
    document.getElementById('panel-similarity').hidden = true;
    if (reranker) {
      document.getElementById('tab-rerank').click();
    }
  }
  if (embeds) {
    await similarity.compare();
    await search.search();
  }
  if (reranker) {
    await rerank.rerank();
  }
}

start();
