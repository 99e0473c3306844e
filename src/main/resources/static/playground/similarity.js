// The Similarity tab: sentences → POST /embed → cosine of every pair → clustered heat map.
import { clusterOrder } from './cluster.js';
import { cosineMatrix, embedAll } from './embeddings.js';
import { Heatmap, renderLegend } from './heatmap.js';
import { lines, Notice, renderTiming } from './messages.js';

export class SimilarityPanel {
  constructor(service, onVectors) {
    this.service = service;
    this.onVectors = onVectors;
    this.form = document.getElementById('similarity-form');
    this.sentences = document.getElementById('sentences');
    this.truncate = document.getElementById('truncate');
    this.notice = new Notice(document.getElementById('similarity-error'));
    this.timing = document.getElementById('similarity-timing');
    this.heatmap = new Heatmap(document.getElementById('heatmap'), document.getElementById('heatmap-key'),
        document.getElementById('heatmap-readout'));
    renderLegend(document.getElementById('heatmap-legend'));
    this.form.addEventListener('submit', event => {
      event.preventDefault();
      this.compare();
    });
  }

  async compare() {
    const sentences = lines(this.sentences.value);
    if (sentences.length < 2) {
      this.notice.show('Enter at least two sentences, one per line.', 'error');
      return;
    }
    const button = this.form.querySelector('button[type="submit"]');
    button.disabled = true;
    this.notice.clear();
    try {
      const { vectors, timing } = await embedAll(sentences, this.service.batch,
          { truncate: this.truncate.checked }, message => this.notice.waiting(message));
      this.notice.clear();
      this.onVectors(vectors);
      const matrix = cosineMatrix(vectors);
      this.heatmap.render(sentences, matrix, clusterOrder(matrix));
      renderTiming(this.timing, timing);
    } catch (error) {
      this.notice.error(error);
    } finally {
      button.disabled = false;
    }
  }
}
