/**
 * Evaluation webview: totals, the confusion matrix as a heatmap of buttons (count and row share as text,
 * never colour alone; Enter/Space or a click lists the cell's examples), per-class metrics, the most
 * confident mistakes; an example opens its file. Data by postMessage, rendered with createElement only.
 */
import { acquireApi, el } from '../shared/dom';
import { fill as format, percent as pct } from '../shared/format';
import { type EvalExample, type EvalStrings, type EvalView, type FromEvalWebview, type ToEvalWebview } from './protocol';

const vscode = acquireApi<FromEvalWebview>();
const app = document.getElementById('app') as HTMLElement;
const live = document.getElementById('live') as HTMLElement;
let shown: Extract<ToEvalWebview, { type: 'show' }> | undefined;
let cellBox: HTMLElement | undefined;

function exampleList(examples: readonly EvalExample[], list: 'mistakes' | 'cell', s: EvalStrings): HTMLElement {
  const ol = el('ol', { className: 'example-list' });
  examples.forEach((e, index) => {
    const button = el('button', { className: 'example' });
    button.type = 'button';
    button.title = `${s.open}: ${e.file}${e.line ? `:${e.line}` : ''}`;
    if (e.thumbnail) {
      const img = el('img', { className: 'thumb' });
      img.src = e.thumbnail;
      img.alt = '';
      button.append(img);
    }
    // Title and details flow as one text next to the thumbnail, so a long text snippet wraps under itself.
    button.append(
      el(
        'span',
        { className: 'example-text' },
        el('span', { className: 'example-title', text: e.title }),
        el('span', { className: 'muted', text: ` ${e.actual} → ${e.predicted} · ${s.confidence} ${pct(e.confidence)}${e.line ? ` · ${s.line} ${e.line}` : ''}` }),
      ),
    );
    button.addEventListener('click', () => vscode.postMessage({ type: 'open', list, index }));
    ol.append(el('li', {}, button));
  });
  return ol;
}

function heatmap(v: EvalView, s: EvalStrings): HTMLElement {
  // The help is a paragraph the table points to, not its <caption>: a caption is as narrow as a 2 × 2 table.
  const table = el('table', { className: 'heatmap' });
  table.setAttribute('aria-describedby', 'heatmap-help');
  const head = el('tr', {}, el('th', { text: `${s.actual} \\ ${s.predicted}` }));
  v.labels.forEach((l) => head.append(el('th', { className: 'col', text: l })));
  table.append(el('thead', {}, head));
  const body = el('tbody');
  v.confusion.forEach((row, a) => {
    const total = row.reduce((x, y) => x + y, 0);
    const tr = el('tr', {}, el('th', { text: v.labels[a] }));
    row.forEach((count, p) => {
      const share = total === 0 ? 0 : count / total;
      const b = el('button', { className: a === p ? 'cell hit' : 'cell miss' }, el('span', { className: 'count', text: String(count) }), el('span', { className: 'share', text: total ? pct(share) : '' }));
      b.type = 'button';
      b.style.setProperty('--share', String(Math.round(share * 100)));
      b.setAttribute('aria-label', format(s.cellLabel, v.labels[a], v.labels[p], count, pct(share)));
      b.dataset.actual = String(a);
      b.dataset.predicted = String(p);
      if (count === 0) b.disabled = true;
      b.addEventListener('click', () => vscode.postMessage({ type: 'cell', actual: a, predicted: p }));
      tr.append(el('td', {}, b));
    });
    body.append(tr);
  });
  table.append(body);
  return table;
}

function render(message: Extract<ToEvalWebview, { type: 'show' }>): void {
  const { view: v, strings: s } = message;
  app.replaceChildren();
  const exportButton = el('button', { text: s.export });
  exportButton.type = 'button';
  exportButton.addEventListener('click', () => vscode.postMessage({ type: 'export' }));
  app.append(el('h1', { text: s.title }), el('div', { className: 'toolbar' }, exportButton));
  app.append(el('p', { text: format(s.summary, v.data, v.model, v.count, (v.elapsedMs / 1000).toFixed(1)) }));
  if (v.cancelled) app.append(el('p', { className: 'notice', text: format(s.cancelled, v.count, v.total) }));
  if (v.labelsOnlyInData.length) app.append(el('p', { className: 'notice', text: format(s.onlyInData, v.labelsOnlyInData.join(', ')) }));
  if (v.labelsOnlyInModel.length) app.append(el('p', { className: 'notice', text: format(s.onlyInModel, v.labelsOnlyInModel.join(', ')) }));
  if (v.failureCount) app.append(el('p', { className: 'notice', text: format(s.failures, v.failureCount) }));
  app.append(
    el('dl', { className: 'totals' }, el('dt', { text: s.accuracy }), el('dd', { className: 'mono', text: pct(v.accuracy) }), el('dt', { text: s.macroF1 }), el('dd', { className: 'mono', text: v.macroF1.toFixed(4) }), el('dt', { text: s.ece }), el('dd', { className: 'mono', text: v.ece.toFixed(4) })),
  );
  const help = el('p', { className: 'heatmap-help', text: s.confusionHelp });
  help.id = 'heatmap-help';
  app.append(el('h2', { text: s.confusion }), help, el('div', { className: 'heatmap-scroll' }, heatmap(v, s)));
  cellBox = el('section', { className: 'cell-examples' });
  cellBox.setAttribute('aria-live', 'polite');
  app.append(cellBox);

  const table = el('table', { className: 'per-class' });
  table.append(el('thead', {}, el('tr', {}, ...[s.label, s.precision, s.recall, s.f1, s.support].map((h) => el('th', { text: h })))));
  const body = el('tbody');
  for (const c of v.perClass) body.append(el('tr', {}, el('td', { text: c.label }), ...[c.precision.toFixed(4), c.recall.toFixed(4), c.f1.toFixed(4), String(c.support)].map((t) => el('td', { className: 'mono', text: t }))));
  table.append(body);
  app.append(el('h2', { text: s.perClass }), table);
  app.append(el('h2', { text: s.mistakes }), v.mistakes.length ? exampleList(v.mistakes, 'mistakes', s) : el('p', { className: 'muted', text: s.noMistakes }));
  live.textContent = `${s.accuracy} ${pct(v.accuracy)}`;
}

window.addEventListener('message', (event: MessageEvent<ToEvalWebview>) => {
  const m = event.data;
  if (m.type === 'show') {
    shown = m;
    vscode.setState(m);
    render(m);
  } else if (m.type === 'cell' && shown && cellBox) {
    const s = shown.strings;
    const labels = shown.view.labels;
    cellBox.replaceChildren(el('h2', { text: format(s.examplesOf, labels[m.actual], labels[m.predicted], m.count) }));
    if (m.examples.length < m.count) cellBox.append(el('p', { className: 'muted', text: format(s.examplesShown, m.examples.length, m.count) }));
    cellBox.append(exampleList(m.examples, 'cell', s));
    cellBox.scrollIntoView({ block: 'nearest' });
    (cellBox.querySelector('button') as HTMLButtonElement | null)?.focus();
  } else if (m.type === 'exported' && shown) {
    live.textContent = format(shown.strings.exported, m.where);
  }
});

const saved = vscode.getState() as ToEvalWebview | undefined;
if (saved?.type === 'show') {
  shown = saved;
  render(saved);
}
vscode.postMessage({ type: 'ready' });
