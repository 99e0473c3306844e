// The Search tab: a query against documents with POST /similarity, ranked, with scores as bars.
import { similarities } from './embeddings.js';
import { lines, Notice, rankedItem, renderTiming } from './messages.js';

export class SearchPanel {
  constructor(service) {
    this.service = service;
    this.form = document.getElementById('search-form');
    this.query = document.getElementById('query');
    this.documents = document.getElementById('documents');
    this.results = document.getElementById('results');
    this.timing = document.getElementById('search-timing');
    this.notice = new Notice(document.getElementById('search-error'));
    this.form.addEventListener('submit', event => {
      event.preventDefault();
      this.search();
    });
  }

  async search() {
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
      const { scores, timing } = await similarities(query, documents, this.service.batch,
          message => this.notice.waiting(message));
      this.notice.clear();
      const ranked = documents.map((text, index) => ({ text, index, score: scores[index] }))
          .sort((a, b) => b.score - a.score);
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
