/**
 * Training panel webview: a status line and progress bar, live curves (training loss, validation loss and
 * validation accuracy per epoch, as an SVG with a legend and the same numbers in a table), and at the end the
 * verdict, the confusion matrix and per-class metrics. Rendered with createElement/textContent only; every
 * message is kept in webview state so a restored panel shows the same run.
 */
import { acquireApi, el } from '../shared/dom';
import { fill, NBSP, percent as pct } from '../shared/format';
import { curvePoints, type FromTrainWebview, type TrainCurvePoint, type TrainOutcome, type TrainPanelStrings, type ToTrainWebview } from './protocol';

const vscode = acquireApi<FromTrainWebview>();
const app = document.getElementById('app') as HTMLElement;
const live = document.getElementById('live') as HTMLElement;
const SVG = 'http://www.w3.org/2000/svg';
const W = 600;
const H = 220;
const PAD = 36;

interface State {
  start?: Extract<ToTrainWebview, { type: 'start' }>;
  status?: Extract<ToTrainWebview, { type: 'status' }>;
  points: TrainCurvePoint[];
  done?: TrainOutcome;
  stopped?: Extract<ToTrainWebview, { type: 'stopped' }>;
}

let state: State = (vscode.getState() as State | undefined) ?? { points: [] };

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

function curves(s: TrainPanelStrings): HTMLElement {
  const points = state.points;
  const epochs = points.at(-1)?.epochs ?? 1;
  const maxLoss = Math.max(0.1, ...points.flatMap((p) => [p.trainLoss, p.validationLoss]).filter(Number.isFinite));
  const chart = svg('svg', { viewBox: `0 0 ${W + 2 * PAD} ${H + 2 * PAD}`, role: 'img', 'aria-label': `${s.curves}: ${points.length} / ${epochs} ${s.epoch}` });
  chart.setAttribute('data-points', String(points.length));
  const g = svg('g', { transform: `translate(${PAD},${PAD})` });
  g.append(svg('line', { class: 'axis', x1: 0, y1: H, x2: W, y2: H }), svg('line', { class: 'axis', x1: 0, y1: 0, x2: 0, y2: H }));
  g.append(svg('text', { class: 'axis-label', x: 0, y: H + 16 }, '1'), svg('text', { class: 'axis-label', x: W - 20, y: H + 16 }, String(epochs)), svg('text', { class: 'axis-label', x: W / 2 - 20, y: H + 30 }, s.epoch));
  g.append(svg('text', { class: 'axis-label', x: -PAD + 2, y: 8 }, maxLoss.toFixed(2)), svg('text', { class: 'axis-label', x: W + 4, y: 8 }, `100${NBSP}%`), svg('text', { class: 'axis-label', x: W + 4, y: H }, `0${NBSP}%`));
  const line = (className: string, values: { epoch: number; value: number }[], max: number) => svg('polyline', { class: className, points: curvePoints(values, epochs, W, H, max) });
  g.append(
    line('curve-train', points.map((p) => ({ epoch: p.epoch, value: p.trainLoss })), maxLoss),
    line('curve-val', points.map((p) => ({ epoch: p.epoch, value: p.validationLoss })), maxLoss),
    line('curve-acc', points.map((p) => ({ epoch: p.epoch, value: p.validationAccuracy })), 1),
  );
  chart.append(g);
  const legend = el('ul', { className: 'legend' }, el('li', { className: 'train', text: `${s.trainLoss} (${s.loss})` }), el('li', { className: 'val', text: `${s.validationLoss} (${s.loss})` }), el('li', { className: 'acc', text: `${s.validationAccuracy} (${s.accuracy})` }));
  // The same numbers as a table, for screen readers and for reading exact values.
  const rows = points.map((p) => el('tr', {}, el('td', { text: String(p.epoch) }), el('td', { text: p.trainLoss.toFixed(4) }), el('td', { text: p.validationLoss.toFixed(4) }), el('td', { text: pct(p.validationAccuracy) })));
  const table = el('table', {}, el('thead', {}, el('tr', {}, el('th', { text: s.epoch }), el('th', { text: s.trainLoss }), el('th', { text: s.validationLoss }), el('th', { text: s.validationAccuracy }))), el('tbody', {}, ...rows));
  const details = el('details', { className: 'curves-table' }, el('summary', { text: s.curvesTable }), table);
  return el('section', { className: 'curves' }, el('h2', { text: s.curves }), points.length ? chart : el('p', { text: s.waiting }), legend, details);
}

function outcome(o: TrainOutcome, s: TrainPanelStrings): HTMLElement {
  const verdict = el('div', { className: o.learned ? 'verdict' : 'verdict not-learned' }, el('strong', { text: o.learned ? s.learned : s.notLearned }), el('p', { text: o.summary }));
  if (o.hints.length) verdict.append(el('ul', {}, ...o.hints.map((h) => el('li', { text: h }))));
  verdict.setAttribute('role', 'status');
  const max = Math.max(1, ...o.confusion.flat());
  const header = el('tr', {}, el('th', { text: s.actualPredicted }), ...o.labels.map((l) => el('th', { text: l })));
  const body = o.confusion.map((row, a) =>
    el(
      'tr',
      {},
      el('th', { text: o.labels[a] }),
      ...row.map((v, p) => {
        const td = el('td', { className: a === p ? 'diagonal' : '', text: String(v) });
        // Shade by count (the number is always shown, so colour is never the only cue).
        td.style.background = `color-mix(in srgb, var(--vscode-charts-blue, #3794ff) ${Math.round((60 * v) / max)}%, transparent)`;
        td.setAttribute('aria-label', `${o.labels[a]} → ${o.labels[p]}: ${v}`);
        return td;
      }),
    ),
  );
  const confusion = el('table', { className: 'confusion' }, el('thead', {}, header), el('tbody', {}, ...body));
  const perClass = el(
    'table',
    { className: 'per-class' },
    el('thead', {}, el('tr', {}, el('th', { text: s.label }), el('th', { text: s.precision }), el('th', { text: s.recall }), el('th', { text: s.f1 }), el('th', { text: s.support }))),
    el('tbody', {}, ...o.perClass.map((c) => el('tr', {}, el('td', { text: c.label }), el('td', { text: c.precision.toFixed(3) }), el('td', { text: c.recall.toFixed(3) }), el('td', { text: c.f1.toFixed(3) }), el('td', { text: String(c.support) })))),
  );
  return el(
    'section',
    { className: 'outcome' },
    verdict,
    el('p', { text: fill(s.summary, pct(o.accuracy), o.macroF1.toFixed(3), o.heldOut) }),
    el('p', { text: fill(s.baseline, o.baselineLabel, pct(o.baselineAccuracy)) }),
    el('h2', { text: s.confusion }),
    confusion,
    el('h2', { text: s.perClass }),
    perClass,
  );
}

function render(): void {
  const s = state.start?.strings;
  if (!s) return;
  const bar = el('div', { className: 'progress-bar' });
  bar.style.width = `${Math.round(100 * (state.done ? 1 : (state.status?.fraction ?? 0)))}%`;
  const track = el('div', { className: 'progress-track' }, bar);
  track.setAttribute('role', 'progressbar');
  track.setAttribute('aria-valuemin', '0');
  track.setAttribute('aria-valuemax', '100');
  track.setAttribute('aria-valuenow', String(Math.round(100 * (state.status?.fraction ?? 0))));
  const parts: HTMLElement[] = [el('h1', { text: state.start?.title ?? s.heading }), el('p', { className: 'status', text: state.stopped?.message ?? state.status?.message ?? s.waiting }), track, curves(s)];
  if (state.done) parts.push(outcome(state.done, s));
  app.replaceChildren(...parts);
}

window.addEventListener('message', (event: MessageEvent<ToTrainWebview>) => {
  const m = event.data;
  switch (m.type) {
    case 'start':
      state = { start: m, points: [] };
      break;
    case 'status':
      state.status = m;
      break;
    case 'epoch':
      state.points = [...state.points.filter((p) => p.epoch !== m.point.epoch), m.point];
      break;
    case 'done':
      state.done = m.outcome;
      live.textContent = `${m.outcome.learned ? state.start?.strings.learned : state.start?.strings.notLearned} ${fill(state.start?.strings.summary ?? '', pct(m.outcome.accuracy), m.outcome.macroF1.toFixed(3), m.outcome.heldOut)}`;
      break;
    case 'stopped':
      state.stopped = m;
      live.textContent = m.message;
      break;
  }
  vscode.setState(state);
  render();
});

render();
vscode.postMessage({ type: 'ready' });
