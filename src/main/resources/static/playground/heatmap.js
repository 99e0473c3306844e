// The similarity heat map: an SVG of n×n cells, a legend, a numbered key of the sentences, values
// on hover and from the keyboard (arrow keys move a cursor; the value is read out in a live region).
// Each cell carries data-i/data-j (the sentences' indices in the input) and data-value (the cosine).

const SVG = 'http://www.w3.org/2000/svg';
const CELL = 34;
const MARGIN = 26;
const MAX_LABELLED = 16;
// Viridis sampled at nine points (matplotlib's): perceptually even, and readable with colour blindness.
const VIRIDIS = ['#440154', '#472d7b', '#3b528b', '#2c728e', '#21918c', '#28ae80', '#5ec962', '#addc30', '#fde725'];

/** value.toFixed(digits) without the "-0.00" that a tiny negative value would print. */
export function fixed(value, digits) {
  const text = value.toFixed(digits);
  return Number(text) === 0 ? (0).toFixed(digits) : text;
}

/** The colour of a cosine similarity; the scale runs from 0 (and below) to 1. */
export function colour(value) {
  const t = Math.min(1, Math.max(0, value)) * (VIRIDIS.length - 1);
  const low = Math.floor(t);
  const high = Math.min(VIRIDIS.length - 1, low + 1);
  const [a, b] = [rgb(VIRIDIS[low]), rgb(VIRIDIS[high])];
  const mix = a.map((channel, k) => Math.round(channel + (b[k] - channel) * (t - low)));
  return `rgb(${mix.join(',')})`;
}

function rgb(hex) {
  return [1, 3, 5].map(k => parseInt(hex.slice(k, k + 2), 16));
}

function svg(name, attributes = {}, text) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) {
    element.setAttribute(key, value);
  }
  if (text !== undefined) {
    element.textContent = text;
  }
  return element;
}

export class Heatmap {
  constructor(figure, key, readout) {
    this.figure = figure;
    this.plot = figure.querySelector('.heatmap-plot');
    this.tooltip = figure.querySelector('.tooltip');
    this.key = key;
    this.readout = readout;
    this.cursor = null;
  }

  render(sentences, matrix, order) {
    this.sentences = sentences;
    this.matrix = matrix;
    this.order = order;
    const n = order.length;
    const size = MARGIN + n * CELL;
    const map = svg('svg', {
      viewBox: `0 0 ${size} ${size}`, role: 'img', tabindex: '0',
      'aria-label': `Heat map of the cosine similarities of ${n} sentences. Use the arrow keys to read each value.`,
    });
    order.forEach((sentence, position) => {
      const centre = MARGIN + position * CELL + CELL / 2;
      map.append(svg('text', { x: centre, y: MARGIN - 8, class: 'axis' }, position + 1));
      map.append(svg('text', { x: MARGIN - 6, y: centre + 4, class: 'axis row' }, position + 1));
    });
    order.forEach((i, row) => order.forEach((j, col) => map.append(...this.cell(i, j, row, col, n))));
    this.cursorMark = svg('rect', { class: 'cursor', width: CELL, height: CELL, visibility: 'hidden' });
    map.append(this.cursorMark);
    this.listen(map);
    this.plot.replaceChildren(map);
    this.renderKey();
    this.cursor = null;
    this.tooltip.hidden = true;
    this.readout.textContent = '';
    this.figure.dataset.n = n;
    this.figure.dataset.renders = Number(this.figure.dataset.renders) + 1;
  }

  cell(i, j, row, col, n) {
    const value = this.matrix[i][j];
    const x = MARGIN + col * CELL;
    const y = MARGIN + row * CELL;
    const rect = svg('rect', {
      x, y, width: CELL, height: CELL, fill: colour(value), class: 'cell',
      'data-i': i, 'data-j': j, 'data-row': row, 'data-col': col, 'data-value': value,
    });
    if (n > MAX_LABELLED) {
      return [rect];
    }
    const label = svg('text', { x: x + CELL / 2, y: y + CELL / 2 + 4, class: value > 0.6 ? 'value dark' : 'value' },
        fixed(value, 2));
    return [rect, label];
  }

  renderKey() {
    this.key.replaceChildren(...this.order.map((i, position) => {
      const item = document.createElement('li');
      item.value = position + 1;
      item.dir = 'auto';
      item.dataset.index = i;
      item.textContent = this.sentences[i];
      return item;
    }));
  }

  listen(map) {
    const point = event => {
      const cell = event.target.closest('.cell');
      if (cell) {
        this.show(Number(cell.dataset.row), Number(cell.dataset.col));
      }
    };
    map.addEventListener('pointermove', point);
    map.addEventListener('pointerdown', point); // a tap on a phone
    // A finger "leaves" as soon as it lifts; only a mouse that moves away should hide the value.
    map.addEventListener('pointerleave', event => event.pointerType === 'mouse' && this.hide());
    map.addEventListener('focus', () => this.show(...(this.cursor ?? [0, 0])));
    map.addEventListener('blur', () => this.hide());
    map.addEventListener('keydown', event => this.move(event));
  }

  move(event) {
    const n = this.order.length;
    const [row, col] = this.cursor ?? [0, 0];
    const moves = {
      ArrowUp: [row - 1, col], ArrowDown: [row + 1, col], ArrowLeft: [row, col - 1], ArrowRight: [row, col + 1],
      Home: [row, 0], End: [row, n - 1],
    };
    const next = moves[event.key];
    if (!next) {
      return;
    }
    event.preventDefault();
    this.show(Math.min(n - 1, Math.max(0, next[0])), Math.min(n - 1, Math.max(0, next[1])));
  }

  show(row, col) {
    this.cursor = [row, col];
    const [i, j] = [this.order[row], this.order[col]];
    const value = fixed(this.matrix[i][j], 3);
    this.cursorMark.setAttribute('x', MARGIN + col * CELL);
    this.cursorMark.setAttribute('y', MARGIN + row * CELL);
    this.cursorMark.setAttribute('visibility', 'visible');
    this.readout.textContent = `${row + 1} × ${col + 1}: ${value} — “${this.sentences[i]}” and “${this.sentences[j]}”`;
    this.key.querySelectorAll('li').forEach((item, position) =>
      item.classList.toggle('active', position === row || position === col));
    this.place(row, col, value, i, j);
  }

  place(row, col, value, i, j) {
    const cell = this.plot.querySelector(`.cell[data-row="${row}"][data-col="${col}"]`).getBoundingClientRect();
    const box = this.figure.getBoundingClientRect();
    this.tooltip.replaceChildren(Object.assign(document.createElement('strong'), { textContent: value }),
        ...[i, j].map(k => Object.assign(document.createElement('span'), { textContent: this.sentences[k], dir: 'auto' })));
    this.tooltip.hidden = false;
    const left = Math.min(cell.right - box.left + 8, box.width - this.tooltip.offsetWidth);
    this.tooltip.style.left = `${Math.max(0, left)}px`;
    this.tooltip.style.top = `${cell.bottom - box.top + 4}px`;
  }

  hide() {
    this.tooltip.hidden = true;
    this.cursorMark?.setAttribute('visibility', 'hidden');
  }
}

/** The legend: the colour scale from 0 to 1 with three ticks. */
export function renderLegend(container) {
  const legend = svg('svg', { viewBox: '0 0 180 30', role: 'img', 'aria-label': 'Colour scale from 0 or less to 1' });
  const gradient = svg('linearGradient', { id: 'viridis' });
  VIRIDIS.forEach((hex, k) => gradient.append(svg('stop', { offset: k / (VIRIDIS.length - 1), 'stop-color': hex })));
  legend.append(svg('defs'), svg('rect', { x: 10, y: 2, width: 160, height: 12, fill: 'url(#viridis)' }));
  legend.firstChild.append(gradient);
  [['≤0', 10], ['0.5', 90], ['1', 170]].forEach(([label, x]) =>
    legend.append(svg('text', { x, y: 27, class: 'axis' }, label)));
  container.replaceChildren(legend);
}
