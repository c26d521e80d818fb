/**
 * Image result webview: one image's top-3 with probability bars, the model's input and the latency; or a
 * folder summary (counts per label, files lowest confidence first). Data arrives by postMessage and is
 * rendered with textContent/createElement only; the last message is kept in webview state so a restored
 * panel shows the same result.
 */
import { acquireApi, el, probabilityRow } from '../shared/dom';
import { fill, milliseconds as ms, percent } from '../shared/format';
import type { ClassificationResult } from '../../vision/classifier';
import type { FolderSummary, FromResultWebview, ResultStrings, ToResultWebview } from './protocol';

const vscode = acquireApi<FromResultWebview>();
const app = document.getElementById('app') as HTMLElement;
const live = document.getElementById('live') as HTMLElement;

function renderSingle(result: ClassificationResult, s: ResultStrings): void {
  app.replaceChildren();
  const header = el('header', { className: 'result-head' });
  header.append(el('h1', { className: 'result-label', text: result.label }), el('p', { className: 'muted', text: `${percent(result.score)} · ${result.name}` }));
  const list = el('ol', { className: 'prob-list' });
  result.top.forEach((p, i) => list.append(probabilityRow(p.label, p.score, i === 0)));
  const left = el('section', { className: 'result-probs' }, el('h2', { text: s.topThree }), list);

  const right = el('section', { className: 'result-preview' }, el('h2', { text: s.modelSaw }));
  if (result.previewPng) {
    const img = el('img', { className: 'pixelated' });
    img.src = `data:image/png;base64,${result.previewPng}`;
    img.alt = fill(s.previewAlt, result.previewSize?.width ?? 0, result.previewSize?.height ?? 0);
    const scale = Math.max(1, Math.floor(196 / (result.previewSize?.width ?? 28)));
    img.width = (result.previewSize?.width ?? 28) * scale;
    img.height = (result.previewSize?.height ?? 28) * scale;
    right.append(img);
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
  live.textContent = fill(s.announce, result.label, percent(result.score));
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
      renderSingle(message.result, message.strings);
      vscode.setState(message);
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
