// The Rerank tab: a query against documents with POST /rerank (the cross-encoder), best first, with
// the scores as bars. Shown only when GET /info names a reranker.
import { call } from './api.js';
import { Timing } from './embeddings.js';
import { lines, Notice, rankedItem, renderTiming } from './messages.js';

/** The reranker /info describes: beside the embedding model, or as the only model. */
export function rerankerOf(info) {
  if (info.rerank_model?.model_type?.reranker) {
    return info.rerank_model;
  }
  return info.model_type?.reranker ? info : null;
}

export class RerankPanel {
  constructor(service) {
    this.service = service;
    this.form = document.getElementById('rerank-form');
    this.query = document.getElementById('rerank-query');
    this.documents = document.getElementById('rerank-documents');
    this.results = document.getElementById('rerank-results');
    this.timing = document.getElementById('rerank-timing');
    this.notice = new Notice(document.getElementById('rerank-error'));
    this.form.addEventListener('submit', event => {
      event.preventDefault();
      this.rerank();
    });
  }

  /** Shows the tab, naming the model that ranks. */
  show(reranker) {
    document.getElementById('tab-rerank').hidden = false;
    document.getElementById('rerank-model').textContent =
        `Ranked by the cross-encoder ${reranker.model_id}, which reads the query and each document together`
        + ` (up to ${reranker.max_input_length} tokens a pair); scores are the sigmoid of its logit.`;
  }

  async rerank() {
    const query = this.query.value.trim();
    const documents = lines(this.documents.value);
    if (!query || documents.length === 0) {
      this.notice.show('Enter a query and at least one document.', 'error');
      return;
    }
    const button = this.form.querySelector('button[type="submit"]');
    button.disabled = true;
    this.notice.clear();
    try {
      const { ranked, timing } = await rerankAll(query, documents, this.service.batch,
          message => this.notice.waiting(message));
      this.notice.clear();
      this.results.replaceChildren(...ranked.map(rankedItem));
      this.results.dataset.renders = Number(this.results.dataset.renders) + 1;
      renderTiming(this.timing, timing);
    } catch (error) {
      this.notice.error(error);
    } finally {
      button.disabled = false;
    }
  }
}

/**
 * POST /rerank in chunks of at most `batch` documents; the chunks' ranks merged best first, each with
 * its index among all the documents and its text.
 */
async function rerankAll(query, documents, batch, onWait) {
  const ranked = [];
  const timing = new Timing();
  for (let start = 0; start < documents.length; start += batch) {
    const texts = documents.slice(start, start + batch);
    const { json, headers } = await call('rerank', { query, texts }, onWait);
    ranked.push(...json.map(rank => ({ index: start + rank.index, text: texts[rank.index], score: rank.score })));
    timing.add(headers);
  }
  ranked.sort((a, b) => b.score - a.score);
  return { ranked, timing };
}
