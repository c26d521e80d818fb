/**
 * Image result webview: one image's top-3 with probability bars, the model's input and the latency, and on request
 * (Explain) the occlusion saliency map over that input with its legend and summary (saliencyView.ts); or a
 * folder summary (counts per label, files lowest confidence first). Data arrives by postMessage and is
 * rendered with textContent/createElement only; the last message is kept in webview state so a restored
 * panel shows the same result.
 */
import { acquireApi, el, probabilityRow } from '../shared/dom';
import { fill, milliseconds as ms, percent } from '../shared/format';
import type { ClassificationResult } from '../../vision/classifier';
import type { OcclusionGrid } from '../../vision/explain';
import type { FolderSummary, FromResultWebview, ResultStrings, SaliencyStrings, ToResultWebview } from './protocol';
import { VEIL_RGBA, cellBox, joinSentences, outlinedCell, overlayPixels, saliencyColor, saliencyRange, saliencySummary, signedPoints } from './saliencyView';

const vscode = acquireApi<FromResultWebview>();
const app = document.getElementById('app') as HTMLElement;
const live = document.getElementById('live') as HTMLElement;

/** The model input enlarged to about 196 px, nearest neighbour (its pixels stay visible). */
function previewScale(result: ClassificationResult): number {
  return Math.max(1, Math.floor(196 / (result.previewSize?.width ?? 28)));
}

/**
 * The occlusion grid drawn over the preview: each input pixel's colour at the preview's scale, and the patch whose
 * hiding lowers P most outlined (dark and light dashes, visible on any input).
 */
function overlayCanvas(grid: OcclusionGrid, scale: number, s: SaliencyStrings): HTMLCanvasElement {
  const canvas = el('canvas', { className: 'saliency-overlay' });
  canvas.id = 'saliency-overlay';
  canvas.width = grid.width * scale;
  canvas.height = grid.height * scale;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', fill(s.overlayAlt, grid.label));
  const range = saliencyRange(grid);
  canvas.dataset.rows = String(grid.rows);
  canvas.dataset.cols = String(grid.cols);
  canvas.dataset.max = String(range.max);
  canvas.dataset.min = String(range.min);
  canvas.dataset.label = grid.label;
  const small = document.createElement('canvas');
  small.width = grid.width;
  small.height = grid.height;
  const smallCtx = small.getContext('2d');
  const g = canvas.getContext('2d');
  if (!smallCtx || !g) return canvas;
  smallCtx.putImageData(new ImageData(overlayPixels(grid), grid.width, grid.height), 0, 0);
  g.fillStyle = `rgba(${VEIL_RGBA.join(', ')})`;
  g.fillRect(0, 0, canvas.width, canvas.height);
  g.imageSmoothingEnabled = false;
  g.drawImage(small, 0, 0, canvas.width, canvas.height);
  const top = outlinedCell(grid);
  if (top) {
    const b = cellBox(grid, top);
    const rect = [b.x0 * scale + 1, b.y0 * scale + 1, (b.x1 - b.x0) * scale - 2, (b.y1 - b.y0) * scale - 2] as const;
    g.lineWidth = 2;
    g.setLineDash([]);
    g.strokeStyle = '#000';
    g.strokeRect(...rect);
    g.setLineDash([4, 3]);
    g.strokeStyle = '#fff';
    g.strokeRect(...rect);
  }
  return canvas;
}

/**
 * The colour scale, symmetric around 0 so both signs always have their end (orange "raises" left, blue "lowers"
 * right), with the numbers at the ends and this image's own range in words.
 */
function legend(grid: OcclusionGrid, s: SaliencyStrings): HTMLElement {
  const range = saliencyRange(grid);
  const bar = el('canvas', { className: 'legend-bar' });
  bar.width = 256;
  bar.height = 14;
  bar.setAttribute('aria-hidden', 'true');
  const g = bar.getContext('2d');
  if (g) {
    // Over the same grey veil as the overlay, so the legend's colours are the overlay's.
    g.fillStyle = `rgba(${VEIL_RGBA.join(', ')})`;
    g.fillRect(0, 0, bar.width, bar.height);
    for (let x = 0; x < bar.width; x++) {
      const value = range.bound * ((2 * (x + 0.5)) / bar.width - 1);
      const [r, gr, b, a] = saliencyColor(value, range.bound);
      g.fillStyle = `rgba(${r}, ${gr}, ${b}, ${(a / 255).toFixed(3)})`;
      // The "raises" half hatched like the overlay's cells.
      for (let y = 0; y < bar.height; y++) if (!(value < 0 && (x + y) % 4 === 0)) g.fillRect(x, y, 1, 1);
    }
  }
  const ticks = el('div', { className: 'legend-ticks mono' }, el('span', { text: signedPoints(-range.bound) }), el('span', { text: '0' }), el('span', { text: signedPoints(range.bound) }));
  ticks.setAttribute('aria-hidden', 'true');
  const ends = el('div', { className: 'legend-ends' }, el('span', { className: 'raises', text: fill(s.raises, grid.label) }), el('span', { className: 'lowers', text: fill(s.lowers, grid.label) }));
  const caption = el('p', { className: 'muted legend-caption', text: fill(s.scaleCaption, grid.label, signedPoints(range.min), signedPoints(range.max)) });
  caption.id = 'legend-range';
  const box = el('div', { className: 'saliency-legend' }, bar, ticks, ends, caption);
  box.id = 'saliency-legend';
  return box;
}

/** The Explain action: which of the top 3 labels, and the button (disabled while the worker runs). */
function explainControls(result: ClassificationResult, grid: OcclusionGrid | undefined, s: SaliencyStrings): HTMLElement {
  const select = el('select');
  select.id = 'explain-label';
  select.setAttribute('aria-label', s.explainLabel);
  for (const p of result.top) {
    const option = el('option', { text: `${p.label} (${percent(p.score)})` });
    option.value = String(p.index);
    option.selected = p.index === (grid?.labelIndex ?? result.top[0]?.index);
    select.append(option);
  }
  const button = el('button', { text: s.explain });
  button.id = 'explain';
  button.title = s.explainHint;
  const hint = el('span', { className: 'visually-hidden', text: s.explainHint });
  hint.id = 'explain-hint';
  button.setAttribute('aria-describedby', hint.id);
  button.addEventListener('click', () => {
    explainPending = true;
    const labelIndex = Number(select.value);
    vscode.postMessage(Number.isSafeInteger(labelIndex) && labelIndex !== result.top[0]?.index ? { type: 'explain', labelIndex } : { type: 'explain' });
  });
  return el('div', { className: 'explain-controls' }, select, button, hint);
}

function renderSaliency(grid: OcclusionGrid, s: SaliencyStrings): HTMLElement {
  const toggleBox = el('input');
  toggleBox.type = 'checkbox';
  toggleBox.id = 'show-overlay';
  toggleBox.checked = true;
  toggleBox.addEventListener('change', () => {
    const overlay = document.getElementById('saliency-overlay');
    if (overlay) overlay.hidden = !toggleBox.checked;
  });
  const toggle = el('label', { className: 'overlay-toggle' }, toggleBox, ` ${s.showOverlay}`);
  const summary = el('p', { className: 'saliency-summary', text: saliencySummary(grid, s) });
  summary.id = 'saliency-summary';
  const details = el('p', { className: 'muted', text: joinSentences(fill(s.gridLine, grid.rows, grid.cols, grid.patch, grid.stride, grid.evaluations, ms(grid.elapsedMs)), outlinedCell(grid) ? s.outlineNote : '') });
  return el('section', { className: 'saliency' }, el('h3', { text: fill(s.heading, grid.label, percent(grid.probability)) }), legend(grid, s), toggle, summary, details);
}

/** The user pressed Explain: the focus returns to the button when the answer arrives (it was disabled meanwhile). */
let explainPending = false;

function renderSingle(result: ClassificationResult, s: ResultStrings, grid?: OcclusionGrid): void {
  const hadFocus = document.activeElement?.id || (explainPending ? 'explain' : undefined);
  explainPending = false;
  app.replaceChildren();
  const header = el('header', { className: 'result-head' });
  header.append(el('h1', { className: 'result-label', text: result.label }), el('p', { className: 'muted', text: `${percent(result.score)} · ${result.name}` }));
  const list = el('ol', { className: 'prob-list' });
  result.top.forEach((p, i) => list.append(probabilityRow(p.label, p.score, i === 0)));
  const left = el('section', { className: 'result-probs' }, el('h2', { text: s.topThree }), list);

  const right = el('section', { className: 'result-preview' }, el('h2', { text: s.modelSaw }));
  if (result.previewPng) {
    const scale = previewScale(result);
    const img = el('img', { className: 'pixelated' });
    img.src = `data:image/png;base64,${result.previewPng}`;
    img.alt = fill(s.previewAlt, result.previewSize?.width ?? 0, result.previewSize?.height ?? 0);
    img.width = (result.previewSize?.width ?? 28) * scale;
    img.height = (result.previewSize?.height ?? 28) * scale;
    const stack = el('div', { className: 'saliency-stack' }, img);
    // The grid refers to the model's input; drawn only over a preview of that same size.
    const fits = grid && grid.width === result.previewSize?.width && grid.height === result.previewSize?.height;
    if (grid && fits) stack.append(overlayCanvas(grid, scale, s.saliency));
    const column = el('div', { className: 'preview-column' }, stack);
    // Explaining re-reads the file: a drawn digit has none.
    if (result.file) column.append(explainControls(result, grid, s.saliency));
    const row = el('div', { className: 'preview-row' }, column);
    if (grid && fits) row.append(renderSaliency(grid, s.saliency));
    right.append(row);
  }

  const details = el('dl', { className: 'result-details' });
  const add = (term: string, value: string) => details.append(el('dt', { text: term }), el('dd', { text: value }));
  const t = result.timings;
  add(s.latency, `${s.decode} ${ms(t.decodeMs)} · ${s.preprocess} ${ms(t.preprocessMs)} · ${s.infer} ${ms(t.inferMs)} · ${s.total} ${ms(t.totalMs)}`);
  add(s.model, `${result.model.name} (${result.model.runtime})`);
  if (result.source) add(s.source, `${result.source.format.toUpperCase()} ${result.source.width} × ${result.source.height}`);
  if (result.inverted) add(s.inverted, '✓');
  for (const note of result.notes) details.append(el('dd', { className: 'muted', text: note }));

  const copy = el('button', { text: s.copyJson });
  copy.id = 'copy-json';
  copy.addEventListener('click', () => vscode.postMessage({ type: 'copyJson' }));

  app.append(header, el('div', { className: 'result-grid' }, left, right), details, el('p', {}, copy));
  live.textContent = grid ? saliencySummary(grid, s.saliency) : fill(s.announce, result.label, percent(result.score));
  if (hadFocus) document.getElementById(hadFocus)?.focus();
  // The answer to Explain: bring the legend and summary into view (they are below the preview).
  if (grid && hadFocus === 'explain') document.querySelector('.saliency')?.scrollIntoView({ block: 'nearest' });
}

/** The Explain button while the worker runs, and the reason it stopped, if it failed. */
function showExplaining(running: boolean, error: string | undefined, s: ResultStrings): void {
  const button = document.getElementById('explain') as HTMLButtonElement | null;
  if (button) {
    button.disabled = running;
    button.textContent = running ? s.saliency.explaining : s.saliency.explain;
    button.setAttribute('aria-busy', String(running));
  }
  document.getElementById('explain-error')?.remove();
  if (error) {
    const p = el('p', { className: 'error', text: error });
    p.id = 'explain-error';
    document.querySelector('.explain-controls')?.after(p);
  }
  live.textContent = running ? s.saliency.explaining : (error ?? '');
  // The button was disabled under the focus: give it back once it works again.
  if (!running && explainPending) {
    explainPending = false;
    button?.focus();
  }
}

function fileButton(file: string, name: string): HTMLButtonElement {
  const b = el('button', { className: 'link-button', text: name });
  b.title = file;
  b.addEventListener('click', () => vscode.postMessage({ type: 'openFile', file }));
  return b;
}

function renderFolder(summary: FolderSummary, s: ResultStrings): void {
  app.replaceChildren();
  const heading = el('h1', { text: fill(s.folderTitle, summary.folderLabel?.text ?? summary.folder) });
  heading.title = summary.folderLabel?.title ?? summary.folder;
  app.append(heading);
  app.append(el('p', { text: fill(s.summaryLine, summary.classified, summary.total, summary.failed, summary.imagesPerSecond.toFixed(0), summary.model) }));
  if (summary.cancelled) app.append(el('p', { className: 'error', text: s.cancelledLine }));
  if (summary.csvPath) {
    const open = el('button', { className: 'secondary', text: s.openCsv });
    open.title = summary.csvPath;
    open.addEventListener('click', () => vscode.postMessage({ type: 'openCsv' }));
    app.append(el('p', {}, open));
  }
  const counts = el('table');
  counts.append(el('caption', { text: s.countsPerLabel }), el('tr', {}, el('th', { text: s.label }), el('th', { text: s.count })));
  for (const c of summary.counts) counts.append(el('tr', {}, el('td', { text: c.label }), el('td', { className: 'mono', text: String(c.count) })));
  app.append(counts);

  const files = el('table', { className: 'files' });
  files.append(el('caption', { text: s.filesLowestFirst }), el('tr', {}, el('th', { text: s.file }), el('th', { text: s.label }), el('th', { text: s.confidence }), el('th', { text: s.topThree })));
  for (const r of summary.rows) {
    const top = (r.top ?? []).map((p) => `${p.label} ${percent(p.score)}`).join(', ');
    files.append(el('tr', {}, el('td', {}, fileButton(r.file, r.name)), el('td', { text: r.label ?? '' }), el('td', { className: 'mono', text: r.score === undefined ? '' : percent(r.score) }), el('td', { className: 'muted', text: top })));
  }
  app.append(files);
  if (summary.errors.length) {
    const errors = el('table', { className: 'errors' });
    errors.append(el('caption', { text: s.failedFiles }), el('tr', {}, el('th', { text: s.file }), el('th', { text: s.error })));
    for (const r of summary.errors) errors.append(el('tr', {}, el('td', {}, fileButton(r.file, r.name)), el('td', { className: 'error', text: r.error ?? '' })));
    app.append(errors);
  }
  live.textContent = fill(s.summaryLine, summary.classified, summary.total, summary.failed, summary.imagesPerSecond.toFixed(0), summary.model);
}

let strings: ResultStrings | undefined;

function handle(message: ToResultWebview): void {
  switch (message.type) {
    case 'single':
      strings = message.strings;
      renderSingle(message.result, message.strings, message.saliency);
      vscode.setState(message);
      break;
    case 'explaining':
      if (strings) showExplaining(message.running, message.error, strings);
      break;
    case 'folder':
      strings = message.strings;
      renderFolder(message.summary, message.strings);
      vscode.setState(message);
      break;
    case 'copied':
      if (strings) live.textContent = strings.copied;
      break;
  }
}

window.addEventListener('message', (event: MessageEvent<ToResultWebview>) => handle(event.data));
const saved = vscode.getState() as ToResultWebview | undefined;
if (saved && (saved.type === 'single' || saved.type === 'folder')) handle(saved);
vscode.postMessage({ type: 'ready' });
