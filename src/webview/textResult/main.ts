/**
 * Text result webview: for each classified selection (or the file) the label, one probability bar per
 * label (text + bar, never colour alone), the most decisive windows and a table of windows whose rows
 * reveal their range in the editor, the latency and the model. Data arrives by postMessage and is rendered
 * with textContent/createElement only; the last message is kept in webview state so a restored panel
 * shows the same result.
 */
import { acquireApi, el, probabilityRow } from '../shared/dom';
import { fill, milliseconds as ms, percent } from '../shared/format';
import type { FromTextResultWebview, PanelExplanation, PanelWindow, PanelWord, TextResultEntry, TextResultStrings, ToTextResultWebview } from './protocol';

const vscode = acquireApi<FromTextResultWebview>();
const app = document.getElementById('app') as HTMLElement;
const live = document.getElementById('live') as HTMLElement;

function revealButton(entryIndex: number, w: PanelWindow, s: TextResultStrings, text: string): HTMLButtonElement {
  const b = el('button', { className: 'link-button', text });
  b.type = 'button';
  b.title = s.reveal;
  b.setAttribute('aria-label', `${s.reveal}: ${s.window} ${w.index + 1}, ${w.rangeLabel}`);
  b.addEventListener('click', () => vscode.postMessage({ type: 'reveal', entry: entryIndex, window: w.index }));
  return b;
}

function renderExplanation(e: PanelExplanation, s: TextResultStrings): HTMLElement[] {
  const list = (words: readonly PanelWord[], cls: string) => {
    if (words.length === 0) return el('p', { className: 'muted', text: s.none });
    const ol = el('ol', { className: `word-list ${cls}` });
    for (const w of words) ol.append(el('li', {}, el('span', { className: 'word mono', text: w.text }), ' ', el('span', { className: 'mono', text: `${w.score >= 0 ? '+' : '−'}${Math.abs(w.score).toFixed(3)}` }), el('span', { className: 'muted', text: ` · ${w.rangeLabel}` })));
    return ol;
  };
  return [
    el('h3', { text: fill(s.explanation, e.label) }),
    el('p', { className: 'muted', text: e.method === 'leave-one-out' ? fill(s.explanationNote, e.words, e.evaluations, e.elapsedMs.toFixed(0)) : fill(s.explanationNoteCoarse, e.words, e.segments, e.evaluations, e.elapsedMs.toFixed(0)) }),
    el('div', { className: 'explain-columns' }, el('div', {}, el('h4', { text: s.wordsFor }), list(e.for, 'for')), el('div', {}, el('h4', { text: s.wordsAgainst }), list(e.against, 'against'))),
  ];
}

function renderEntry(entry: TextResultEntry, entryIndex: number, s: TextResultStrings): HTMLElement {
  const section = el('section', { className: 'text-entry' });
  section.setAttribute('aria-labelledby', `entry-${entryIndex}`);
  const heading = el('h2', { text: entry.sourceLabel });
  heading.id = `entry-${entryIndex}`;
  section.append(heading);
  section.append(el('p', { className: 'result-label' }, el('strong', { text: entry.label }), ` ${percent(entry.probability)}`));
  for (const w of entry.warnings ?? []) {
    const note = el('p', { className: 'notice scope-warning' }, el('span', { text: '⚠ ' }), w);
    note.setAttribute('role', 'note');
    section.append(note);
  }
  if (entry.truncatedToKB !== undefined) section.append(el('p', { className: 'notice', text: fill(s.truncated, entry.truncatedToKB) }));
  if (entry.stale) section.append(el('p', { className: 'notice', text: s.stale }));

  const probs = el('ol', { className: 'prob-list' });
  probs.setAttribute('aria-label', s.probabilities);
  entry.labels.forEach((l) => probs.append(probabilityRow(l.label, l.probability, l.label === entry.label)));
  section.append(el('h3', { text: s.probabilities }), probs);
  section.append(el('p', { className: 'muted', text: fill(s.windowsSummary, entry.tokenCount, entry.windowCount, entry.windowLength, entry.windowOverlap) }));
  if (entry.windowCount > 1) section.append(el('p', { className: 'muted', text: s.aggregation }));

  if (entry.explanation) section.append(...renderExplanation(entry.explanation, s));

  const byIndex = new Map(entry.windows.map((w) => [w.index, w]));
  if (entry.decisive.length > 0) {
    const list = el('ol', { className: 'decisive-list' });
    for (const i of entry.decisive) {
      const w = byIndex.get(i);
      if (!w) continue;
      list.append(el('li', {}, revealButton(entryIndex, w, s, `${s.window} ${w.index + 1} · ${w.rangeLabel}`), ` — ${entry.label} ${percent(w.probabilityOfResultLabel)}`));
    }
    section.append(el('h3', { text: s.decisiveWindows }), list);
  }
  if (entry.windowCount > 1 && entry.maxForLabel.length > 0) {
    const list = el('ul', { className: 'max-list' });
    for (const m of entry.maxForLabel) {
      const w = byIndex.get(m.window);
      if (!w) continue;
      list.append(el('li', {}, `${fill(s.maxForLabel, m.label, percent(m.probability))} `, revealButton(entryIndex, w, s, `${s.window} ${w.index + 1} · ${w.rangeLabel}`)));
    }
    section.append(list);
  }

  if (entry.windowCount > 1) {
    const table = el('table', { className: 'window-table' });
    const head = el('tr', {}, el('th', { text: s.window }), el('th', { text: s.range }), el('th', { text: s.label }), el('th', { text: s.probability }));
    table.append(el('thead', {}, head));
    const body = el('tbody');
    for (const w of entry.windows) {
      body.append(el('tr', {}, el('td', {}, revealButton(entryIndex, w, s, String(w.index + 1))), el('td', { className: 'mono', text: w.rangeLabel }), el('td', { text: w.label }), el('td', { className: 'mono', text: percent(w.probability) })));
    }
    table.append(body);
    const details = el('details', {}, el('summary', { text: `${s.allWindows} (${entry.windowCount})` }), table);
    if (entry.windows.length < entry.windowCount) details.append(el('p', { className: 'muted', text: fill(s.windowsOmitted, entry.windows.length, entry.windowCount) }));
    section.append(details);
  }

  const t = entry.timings;
  const latency = `${s.tokenize} ${ms(t.tokenizeMs)} · ${s.inference} ${ms(t.inferenceMs)} · ${s.total} ${ms(t.totalMs)}` + (t.loadMs > 0 ? ` · ${s.modelLoad} ${ms(t.loadMs)}` : '');
  const dl = el('dl', { className: 'meta' }, el('dt', { text: s.latency }), el('dd', { className: 'mono', text: latency }), el('dt', { text: s.model }), el('dd', {}, el('span', { text: entry.modelName }), ' ', el('span', { className: 'muted mono', text: entry.modelPath })));
  section.append(dl);
  return section;
}

function render(message: Extract<ToTextResultWebview, { type: 'show' }>): void {
  const s = message.strings;
  app.replaceChildren();
  const toolbar = el('div', { className: 'toolbar' });
  const copy = el('button', { text: s.copyJson });
  copy.type = 'button';
  copy.addEventListener('click', () => vscode.postMessage({ type: 'copyJson' }));
  toolbar.append(copy);
  app.append(el('h1', { text: s.title }), toolbar);
  message.entries.forEach((entry, i) => app.append(renderEntry(entry, i, s)));
  const first = message.entries[0];
  if (first) live.textContent = fill(s.announce, first.label, percent(first.probability));
}

let lastShow: Extract<ToTextResultWebview, { type: 'show' }> | undefined;

window.addEventListener('message', (event: MessageEvent<ToTextResultWebview>) => {
  const message = event.data;
  if (message.type === 'show') {
    lastShow = message;
    vscode.setState(message);
    render(message);
  } else if (message.type === 'copied' && lastShow) {
    live.textContent = lastShow.strings.copied;
  }
});

const saved = vscode.getState() as ToTextResultWebview | undefined;
if (saved?.type === 'show') {
  lastShow = saved;
  render(saved);
}
vscode.postMessage({ type: 'ready' });
