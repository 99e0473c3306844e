// Where a panel tells the person what is going on: an error, or a wait for the model to load; and
// the pieces the panels share to show what came back.
import { fixed } from './heatmap.js';

export class Notice {
  constructor(element) {
    this.element = element;
  }

  error(error) {
    this.show(error.message, 'error');
  }

  waiting(serverMessage) {
    this.show(`The model is still loading (${serverMessage}); trying again every 2 seconds…`, 'waiting');
  }

  show(text, kind) {
    this.element.textContent = text;
    this.element.className = kind;
    this.element.hidden = false;
  }

  clear() {
    this.element.hidden = true;
    this.element.textContent = '';
  }
}

/** The non-empty lines of a text area. */
export function lines(text) {
  return text.split('\n').map(line => line.trim()).filter(line => line.length > 0);
}

/** Renders the x-* headers of the last request(s) into a <dl>. */
export function renderTiming(list, timing) {
  const rows = Object.entries(timing.headers).sort(([a], [b]) => a.localeCompare(b)).map(([name, value]) => {
    const row = document.createElement('div');
    const unit = name.endsWith('-time') ? ' ms' : '';
    row.append(Object.assign(document.createElement('dt'), { textContent: name }),
        Object.assign(document.createElement('dd'), { textContent: `${value}${unit}` }));
    return row;
  });
  const note = document.createElement('div');
  note.append(Object.assign(document.createElement('dt'), { textContent: 'requests' }),
      Object.assign(document.createElement('dd'), { textContent: String(timing.requests) }));
  list.replaceChildren(...rows, note);
}

/** One ranked document (Search and Rerank): its score, the score as a bar, and its text. */
export function rankedItem({ text, index, score }) {
  const item = document.createElement('li');
  item.dataset.index = index;
  item.dataset.score = score;
  const bar = document.createElement('span');
  bar.className = 'bar';
  bar.setAttribute('aria-hidden', 'true');
  const fill = document.createElement('span');
  fill.style.width = `${Math.max(0, Math.min(1, score)) * 100}%`;
  bar.append(fill);
  item.append(Object.assign(document.createElement('span'), { className: 'score', textContent: fixed(score, 3) }),
      bar, Object.assign(document.createElement('span'), { className: 'text', textContent: text, dir: 'auto' }));
  return item;
}
