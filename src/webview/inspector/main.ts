/**
 * The model inspector's webview: tabs for the summary (with "Use as image/text model"), the operators
 * (histogram + searchable node list with shapes), the weights (sortable, statistics on request), the graph
 * (a canvas that draws only what is in view, so a 12-layer BERT pans smoothly) and the benchmark. Data arrives
 * by postMessage and is rendered with textContent/createElement only. Keyboard: arrow keys move between tabs,
 * every control is a button or input, and the graph pans, zooms and selects nodes from the keyboard.
 */
import type { BenchmarkResult } from '../../inspector/benchmark';
import type { LayoutBox } from '../../inspector/graphLayout';
import type { Dim, TensorType } from '../../inspector/model';
import type { WeightStats } from '../../inspector/tensorStats';
import type { ModelView, NodeView, WeightView } from '../../inspector/view';
import { acquireApi, el } from '../shared/dom';
import { bytes, fill, NBSP } from '../shared/format';
import type { FitView, FromInspectorWebview, InspectorModelMessage, InspectorStrings, ToInspectorWebview } from './protocol';

const vscode = acquireApi<FromInspectorWebview>();
const app = document.getElementById('app') as HTMLElement;
const live = document.getElementById('live') as HTMLElement;

type Tab = 'summary' | 'operators' | 'weights' | 'graph' | 'benchmark';
const TABS: Tab[] = ['summary', 'operators', 'weights', 'graph', 'benchmark'];
const NODE_PAGE = 200;

interface State {
  strings?: InspectorStrings;
  message?: InspectorModelMessage;
  tab: Tab;
  filter: string;
  nodeLimit: number;
  openNode?: number;
  weightSort: { key: 'name' | 'dtype' | 'elements' | 'bytes'; descending: boolean };
  stats: Map<string, WeightStats | string | 'pending'>;
  benchmark?: { running: boolean; result?: BenchmarkResult; error?: string };
  dims: Record<string, number>;
  runs: number;
  threads: number;
}

const saved = vscode.getState() as { tab?: Tab; filter?: string } | undefined;
const state: State = {
  tab: saved?.tab && TABS.includes(saved.tab) ? saved.tab : 'summary',
  filter: saved?.filter ?? '',
  nodeLimit: NODE_PAGE,
  weightSort: { key: 'bytes', descending: true },
  stats: new Map(),
  dims: {},
  runs: 20,
  threads: 1,
};

const count = (n: number) => n.toLocaleString();
const dims = (d: readonly Dim[] | undefined) => (d === undefined ? '[?]' : `[${d.map((x) => (x === null ? '?' : String(x))).join(', ')}]`);
const typeText = (t: TensorType | undefined) => (t ? `${t.dtype} ${dims(t.dims)}` : '');
const msText = (v: number) => (v < 1 ? v.toFixed(3) : v < 10 ? v.toFixed(2) : v.toFixed(1));
const num = (v: number) => (Number.isNaN(v) ? 'NaN' : Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : Number(v.toPrecision(5)).toString());

function announce(text: string): void {
  live.textContent = '';
  setTimeout(() => (live.textContent = text), 30);
}

function button(text: string, onClick: () => void, className = ''): HTMLButtonElement {
  const b = el('button', { className, text });
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}

function table(headers: string[], rows: (string | Node)[][], className = ''): HTMLTableElement {
  const t = el('table', { className });
  t.append(el('thead', {}, el('tr', {}, ...headers.map((h) => el('th', { text: h })))));
  const body = el('tbody');
  for (const r of rows) body.append(el('tr', {}, ...r.map((c) => el('td', {}, c))));
  t.append(body);
  return t;
}

function keyValues(pairs: [string, string | Node][]): HTMLElement {
  const dl = el('dl', { className: 'kv' });
  for (const [k, v] of pairs) dl.append(el('dt', { text: k }), el('dd', {}, v));
  return dl;
}

function saveState(): void {
  vscode.setState({ tab: state.tab, filter: state.filter });
}

// ---- rendering ----

function render(): void {
  const s = state.strings;
  const m = state.message;
  if (!s || !m) return;
  const model = m.model;
  app.replaceChildren();
  const header = el('header', { className: 'inspector-header' }, el('h1', { text: model.fileName }), el('span', { className: 'muted', text: ` ${formatName(model)} · ${count(model.parameterCount)} ${s.parameters.toLowerCase()} · ${bytes(model.fileBytes + model.externalBytes)}` }));
  const tablist = el('div', { className: 'tabs' });
  tablist.setAttribute('role', 'tablist');
  const labels: Record<Tab, string> = { summary: s.tabSummary, operators: s.tabOperators, weights: s.tabWeights, graph: s.tabGraph, benchmark: s.tabBenchmark };
  for (const tab of TABS) {
    const b = button(labels[tab], () => selectTab(tab), 'tab');
    b.id = `tab-${tab}`;
    b.setAttribute('role', 'tab');
    b.setAttribute('aria-selected', String(state.tab === tab));
    b.setAttribute('aria-controls', 'tabpanel');
    b.tabIndex = state.tab === tab ? 0 : -1;
    b.addEventListener('keydown', (e) => {
      const i = TABS.indexOf(tab);
      const next = e.key === 'ArrowRight' ? TABS[(i + 1) % TABS.length] : e.key === 'ArrowLeft' ? TABS[(i + TABS.length - 1) % TABS.length] : e.key === 'Home' ? TABS[0] : e.key === 'End' ? TABS[TABS.length - 1] : undefined;
      if (next) {
        e.preventDefault();
        selectTab(next, true);
      }
    });
    tablist.append(b);
  }
  const panel = el('section', { className: 'tabpanel' });
  panel.id = 'tabpanel';
  panel.setAttribute('role', 'tabpanel');
  panel.setAttribute('aria-labelledby', `tab-${state.tab}`);
  app.append(header, tablist, panel);
  renderPanel(panel);
}

function formatName(model: ModelView): string {
  if (model.format !== 'onnx') return model.format === 'tfjs-layers' ? 'TensorFlow.js layers' : 'TensorFlow.js graph';
  return `ONNX${model.irVersion ? ` IR ${model.irVersion}` : ''}`;
}

function selectTab(tab: Tab, focus = false): void {
  state.tab = tab;
  saveState();
  render();
  if (focus) document.getElementById(`tab-${tab}`)?.focus();
}

function renderPanel(panel: HTMLElement): void {
  switch (state.tab) {
    case 'summary':
      return renderSummary(panel);
    case 'operators':
      return renderOperators(panel);
    case 'weights':
      return renderWeights(panel);
    case 'graph':
      return renderGraph(panel);
    case 'benchmark':
      return renderBenchmark(panel);
  }
}

function ioTable(values: ModelView['inputs'], s: InspectorStrings): HTMLTableElement {
  return table([s.name, s.type, s.shape], values.map((v) => [el('code', { text: v.name }), v.dtype, el('code', { className: 'shape', text: dims(v.dims) })]), 'io');
}

function fitRow(label: string, fit: FitView, kind: 'image' | 'text', action: string, s: InspectorStrings): HTMLElement {
  const row = el('div', { className: 'fit' }, el('strong', { text: `${label}: ` }));
  if (fit.fits) {
    row.append(el('span', { className: 'ok-text', text: `✓ ${s.fits} ` }));
    row.append(button(action, () => vscode.postMessage({ type: 'useAs', kind })));
  } else {
    row.append(el('span', { className: 'bad-text', text: '✗ ' }), el('span', { className: 'fit-reason', text: fit.reason }));
  }
  return row;
}

function renderSummary(panel: HTMLElement): void {
  const s = state.strings!;
  const m = state.message!;
  const model = m.model;
  const pairs: [string, string | Node][] = [[s.format, formatName(model)]];
  if (model.producer || model.producerVersion) pairs.push([s.producer, [model.producer, model.producerVersion].filter(Boolean).join(' ')]);
  if (model.opsets.length) pairs.push([s.opsets, model.opsets.map((o) => `${o.domain || 'ai.onnx'} ${o.version}`).join(', ')]);
  pairs.push([s.fileSize, bytes(model.fileBytes)]);
  if (model.externalFiles.length) pairs.push([s.externalData, `${bytes(model.externalBytes)} — ${model.externalFiles.join(', ')}`]);
  if (model.graphName) pairs.push([s.graphName, model.graphName]);
  pairs.push([s.parameters, count(model.parameterCount)]);
  panel.append(keyValues(pairs));

  panel.append(el('h2', { text: s.classifiers }), fitRow(s.imageClassifier, m.fit.image, 'image', s.useAsImage, s), fitRow(s.textClassifier, m.fit.text, 'text', s.useAsText, s));
  panel.append(el('h2', { text: s.inputs }), ioTable(model.inputs, s), el('h2', { text: s.outputs }), ioTable(model.outputs, s));
  panel.append(el('h2', { text: s.storage }), table([s.type, s.tensors, s.values, s.bytes], model.byDtype.map((d) => [d.dtype, count(d.tensors), count(d.elements), bytes(d.bytes)])));
  if (model.metadata.length) panel.append(el('h2', { text: s.metadata }), keyValues(model.metadata.map((p) => [p.key, p.value])));
  const c = model.config;
  if (c) {
    const cp: [string, string][] = [];
    if (c.modelType) cp.push([s.modelType, c.modelType]);
    if (c.task) cp.push([s.task, c.task]);
    if (c.labels) cp.push([s.labels, `${c.labels.length}: ${c.labels.slice(0, 30).join(', ')}${c.labels.length > 30 ? ', …' : ''}`]);
    if (c.preprocessing) cp.push([s.preprocessing, c.preprocessing]);
    panel.append(el('h2', { text: fill(s.config, 'config.json') }), keyValues(cp));
  }
  if (model.notes.length) panel.append(el('h2', { text: s.notes }), el('ul', {}, ...model.notes.map((n) => el('li', { className: 'muted', text: n }))));
}

function nodeMatches(n: NodeView, q: string): boolean {
  if (!q) return true;
  const lower = q.toLowerCase();
  return n.name.toLowerCase().includes(lower) || n.opType.toLowerCase().includes(lower) || n.inputs.some((i) => i.toLowerCase().includes(lower)) || n.outputs.some((o) => o.toLowerCase().includes(lower));
}

function renderOperators(panel: HTMLElement): void {
  const s = state.strings!;
  const model = state.message!.model;
  const max = Math.max(1, ...model.histogram.map((h) => h.count));
  const hist = el('ul', { className: 'histogram' });
  hist.setAttribute('aria-label', s.histogram);
  for (const h of model.histogram) {
    const bar = el('span', { className: 'bar' });
    bar.style.width = `${(h.count / max) * 100}%`;
    const b = button('', () => {
      state.filter = h.opType;
      state.nodeLimit = NODE_PAGE;
      saveState();
      render();
      (document.getElementById('node-filter') as HTMLInputElement | null)?.focus();
    }, 'hist-row');
    b.append(el('span', { className: 'hist-op mono', text: h.opType }), el('span', { className: 'bar-track' }, bar), el('span', { className: 'hist-count', text: count(h.count) }));
    b.setAttribute('aria-label', `${h.opType}: ${h.count}`);
    hist.append(el('li', {}, b));
  }
  panel.append(el('h2', { text: s.histogram }), hist);

  const input = el('input');
  input.id = 'node-filter';
  input.type = 'search';
  input.placeholder = s.filterNodes;
  input.setAttribute('aria-label', s.filterNodes);
  input.value = state.filter;
  const list = el('ol', { className: 'node-list' });
  const summary = el('p', { className: 'muted' });
  summary.setAttribute('aria-live', 'polite');
  const showNodes = () => {
    const matching = model.nodes.filter((n) => nodeMatches(n, state.filter));
    list.replaceChildren(...matching.slice(0, state.nodeLimit).map((n) => nodeItem(n, model, s)));
    summary.textContent = fill(s.nodesShown, count(Math.min(matching.length, state.nodeLimit)), count(matching.length));
    more.hidden = matching.length <= state.nodeLimit;
  };
  const more = button(s.showMore, () => {
    state.nodeLimit += NODE_PAGE;
    showNodes();
  }, 'secondary');
  input.addEventListener('input', () => {
    state.filter = input.value;
    state.nodeLimit = NODE_PAGE;
    saveState();
    showNodes();
  });
  panel.append(el('h2', { text: s.tabOperators }), input, summary, list, more);
  showNodes();
  if (state.openNode !== undefined) {
    const item = document.getElementById(`node-${state.openNode}`);
    if (item) {
      item.scrollIntoView({ block: 'center' });
      (item.querySelector('summary') as HTMLElement | null)?.focus();
    }
    state.openNode = undefined;
  }
}

function nodeItem(n: NodeView, model: ModelView, s: InspectorStrings): HTMLElement {
  const details = el('details');
  details.id = `node-${n.index}`;
  if (state.openNode === n.index) details.open = true;
  const out = n.outputs[0] ? model.valueTypes[n.outputs[0]] : undefined;
  details.append(
    el('summary', {}, el('span', { className: 'op', text: n.opType }), ' ', el('code', { text: n.name }), out ? el('span', { className: 'muted shape', text: `  → ${dims(out.dims)}` }) : '', n.graph ? el('span', { className: 'muted', text: `  ${fill(s.subgraph, n.graph)}` }) : ''),
  );
  // Details are built when opened: a BERT-base has hundreds of nodes, each with several tensors.
  const build = () => {
    if (details.dataset.built) return;
    details.dataset.built = '1';
    const weightNames = new Set(model.weights.map((w) => w.name));
    const tensorRows = (names: readonly string[]) => names.filter(Boolean).map((name) => [el('code', { text: name }), weightNames.has(name) ? `${typeText(model.valueTypes[name])} (${s.tabWeights.toLowerCase()})` : typeText(model.valueTypes[name]) || s.unknownShape]);
    details.append(el('h3', { text: s.inputs }), table([s.name, s.shape], tensorRows(n.inputs)), el('h3', { text: s.outputs }), table([s.name, s.shape], tensorRows(n.outputs)));
    if (n.attributes.length) details.append(el('h3', { text: s.attributes }), table([s.name, s.type, s.values], n.attributes.map((a) => [el('code', { text: a.name }), a.type, el('code', { text: a.value })])));
  };
  details.addEventListener('toggle', () => details.open && build());
  if (details.open) build();
  return el('li', {}, details);
}

function renderWeights(panel: HTMLElement): void {
  const s = state.strings!;
  const model = state.message!.model;
  const { key, descending } = state.weightSort;
  const sorted = [...model.weights].sort((a, b) => {
    const va = a[key];
    const vb = b[key];
    const c = typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb));
    return descending ? -c : c;
  });
  const t = el('table', { className: 'weights' });
  const head = el('tr');
  const columns: [State['weightSort']['key'] | undefined, string][] = [['name', s.name], ['dtype', s.type], [undefined, s.shape], ['elements', s.values], ['bytes', s.bytes], [undefined, s.location], [undefined, s.statistics]];
  for (const [k, label] of columns) {
    const th = el('th');
    if (k) {
      const b = button(`${label}${k === key ? (descending ? ' ▼' : ' ▲') : ''}`, () => {
        state.weightSort = { key: k, descending: k === key ? !descending : k !== 'name' && k !== 'dtype' };
        render();
        (document.querySelector(`th button[data-key="${k}"]`) as HTMLElement | null)?.focus();
      }, 'link-button');
      b.dataset.key = k;
      b.setAttribute('aria-label', fill(s.sortBy, label));
      th.setAttribute('aria-sort', k === key ? (descending ? 'descending' : 'ascending') : 'none');
      th.append(b);
    } else th.textContent = label;
    head.append(th);
  }
  t.append(el('thead', {}, head));
  const body = el('tbody');
  for (const w of sorted) body.append(...weightRows(w, s));
  t.append(body);
  panel.append(el('h2', { text: `${s.tabWeights} (${count(model.weights.length)})` }), t);
}

function weightRows(w: WeightView, s: InspectorStrings): HTMLElement[] {
  const stats = state.stats.get(w.name);
  const statsButton = button(stats === 'pending' ? s.computing : s.computeStats, () => {
    if (state.stats.get(w.name) === 'pending') return;
    state.stats.set(w.name, 'pending');
    vscode.postMessage({ type: 'weightStats', weight: w.name });
    render();
    (document.querySelector(`button[data-weight="${CSS.escape(w.name)}"]`) as HTMLElement | null)?.focus();
  }, 'secondary small');
  statsButton.dataset.weight = w.name;
  statsButton.disabled = stats === 'pending';
  statsButton.setAttribute('aria-label', `${s.statistics}: ${w.name}`);
  const row = el('tr', {}, el('td', {}, el('code', { text: w.name })), el('td', { text: w.dtype }), el('td', {}, el('code', { text: dims(w.dims) })), el('td', { className: 'num', text: count(w.elements) }), el('td', { className: 'num', text: bytes(w.bytes) }), el('td', { text: w.location === 'external' ? s.external : s.embedded }), el('td', {}, statsButton));
  if (!stats || stats === 'pending') return [row];
  const cell = el('td');
  cell.colSpan = 7;
  if (typeof stats === 'string') cell.append(el('p', { className: 'error', text: stats }));
  else cell.append(statsView(stats, s));
  return [row, el('tr', { className: 'stats-row' }, cell)];
}

function statsView(st: WeightStats, s: InspectorStrings): HTMLElement {
  const pairs: [string, string][] = [[s.min, num(st.min)], [s.max, num(st.max)], [s.mean, num(st.mean)], [s.std, num(st.std)], [s.zeros, `${(st.zeros * 100).toFixed(2)}%`]];
  if (st.nans > 0) pairs.push([s.nans, count(st.nans)]);
  const box = el('div', { className: 'stats' }, keyValues(pairs));
  const max = Math.max(1, ...st.histogram);
  const hist = el('div', { className: 'value-hist' });
  hist.setAttribute('role', 'img');
  hist.setAttribute('aria-label', `${s.valueHistogram}: ${num(st.min)} … ${num(st.max)}`);
  for (const c of st.histogram) {
    const b = el('span');
    b.style.height = `${Math.max(c > 0 ? 2 : 0, (c / max) * 100)}%`;
    b.title = count(c);
    hist.append(b);
  }
  box.append(el('div', {}, el('div', { className: 'muted', text: s.valueHistogram }), hist, el('div', { className: 'muted hist-range', text: `${num(st.min)} … ${num(st.max)}` })));
  box.append(el('p', { className: 'mono first-values', text: `${s.firstValues}: ${st.head.map(num).join(', ')}` }));
  return box;
}

// ---- graph ----

const graphView = { scale: 1, x: 0, y: 0, selected: -1, fitted: false };

function cssColor(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

function renderGraph(panel: HTMLElement): void {
  const s = state.strings!;
  const model = state.message!.model;
  const layout = model.layout;
  const canvas = el('canvas', { className: 'graph' });
  canvas.tabIndex = 0;
  canvas.setAttribute('role', 'application');
  canvas.setAttribute('aria-label', `${s.tabGraph}. ${s.graphHelp}`);
  const info = el('p', { className: 'graph-info mono' });
  info.setAttribute('aria-live', 'polite');
  const showInList = button(s.showInList, () => revealInList(), 'secondary');
  const toolbar = el('div', { className: 'toolbar' }, button(s.zoomIn, () => zoom(1.25)), button(s.zoomOut, () => zoom(0.8)), button(s.fit, () => fitView()), showInList);
  panel.append(toolbar, el('p', { className: 'muted', text: s.graphHelp }), canvas, info);
  const order = layout.boxes.map((_, i) => i).sort((a, b) => layout.boxes[a].y - layout.boxes[b].y || layout.boxes[a].x - layout.boxes[b].x);
  const colors = {
    bg: cssColor('--vscode-editor-background', '#1e1e1e'),
    fg: cssColor('--vscode-editor-foreground', '#ccc'),
    box: cssColor('--vscode-editorWidget-background', '#252526'),
    border: cssColor('--vscode-contrastBorder', '') || cssColor('--vscode-editorWidget-border', '#555'),
    io: cssColor('--vscode-button-background', '#0e639c'),
    ioFg: cssColor('--vscode-button-foreground', '#fff'),
    edge: cssColor('--vscode-descriptionForeground', '#888'),
    sel: cssColor('--vscode-focusBorder', '#007fd4'),
    font: cssColor('--vscode-editor-font-family', 'monospace'),
  };

  const resize = () => {
    const dpr = window.devicePixelRatio || 1;
    // The canvas border is outside its CSS width: leave room for it so the panel does not scroll sideways.
    const w = Math.max(200, panel.clientWidth - 4);
    const h = Math.max(240, window.innerHeight - canvas.getBoundingClientRect().top - 48);
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
    canvas.style.width = `${w}px`;
    canvas.style.height = `${h}px`;
  };
  const cssSize = () => ({ w: canvas.width / (window.devicePixelRatio || 1), h: canvas.height / (window.devicePixelRatio || 1) });
  let frame = 0;
  const draw = () => {
    frame = 0;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const dpr = window.devicePixelRatio || 1;
    const { w, h } = cssSize();
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = colors.bg;
    ctx.fillRect(0, 0, w, h);
    const { scale, x, y } = graphView;
    ctx.setTransform(dpr * scale, 0, 0, dpr * scale, dpr * x, dpr * y);
    // Only what intersects the view is drawn: the cost follows the screen, not the model.
    const top = -y / scale;
    const bottom = (h - y) / scale;
    const left = -x / scale;
    const right = (w - x) / scale;
    const visible = (b: LayoutBox) => b.y + b.h >= top && b.y <= bottom && b.x + b.w >= left && b.x <= right;
    ctx.strokeStyle = colors.edge;
    ctx.lineWidth = 1 / scale;
    ctx.beginPath();
    for (const [a, bIdx] of layout.edges) {
      const from = layout.boxes[a];
      const to = layout.boxes[bIdx];
      if (Math.max(from.y, to.y) < top || Math.min(from.y, to.y) > bottom) continue;
      const x1 = from.x + from.w / 2;
      const y1 = from.y + from.h;
      const x2 = to.x + to.w / 2;
      const y2 = to.y;
      ctx.moveTo(x1, y1);
      const mid = (y1 + y2) / 2;
      ctx.bezierCurveTo(x1, mid, x2, mid, x2, y2);
    }
    ctx.stroke();
    ctx.font = `12px ${colors.font}`;
    ctx.textBaseline = 'middle';
    layout.boxes.forEach((b, i) => {
      if (!visible(b)) return;
      const io = b.node < 0;
      ctx.fillStyle = io ? colors.io : colors.box;
      ctx.fillRect(b.x, b.y, b.w, b.h);
      ctx.lineWidth = (i === graphView.selected ? 3 : 1) / scale;
      ctx.strokeStyle = i === graphView.selected ? colors.sel : colors.border;
      // Nodes inside an If/Loop/Scan body are outlined dashed, so a branch reads apart from the main flow.
      ctx.setLineDash(b.graph ? [4 / scale, 3 / scale] : []);
      ctx.strokeRect(b.x, b.y, b.w, b.h);
      ctx.setLineDash([]);
      if (scale < 0.35) return;
      ctx.fillStyle = io ? colors.ioFg : colors.fg;
      const label = io ? b.label : b.kind;
      ctx.fillText(label.length > 32 ? `${label.slice(0, 31)}…` : label, b.x + 8, b.y + b.h / 2, b.w - 12);
    });
  };
  const redraw = () => {
    if (!frame) frame = requestAnimationFrame(draw);
  };
  const describe = (i: number) => {
    const b = layout.boxes[i];
    if (!b) return '';
    const node = b.node >= 0 ? model.nodes[b.node] : undefined;
    const out = node?.outputs[0] ? model.valueTypes[node.outputs[0]] : model.valueTypes[b.label];
    const where = b.graph ? ` (${fill(s.subgraph, b.graph)})` : '';
    return node ? `${node.opType} ${node.name} → ${typeText(out) || '?'}${where}` : `${b.kind}: ${b.label} ${typeText(out)}`;
  };
  const select = (i: number, center: boolean) => {
    graphView.selected = i;
    info.textContent = describe(i);
    showInList.disabled = !(layout.boxes[i]?.node >= 0);
    if (center && layout.boxes[i]) {
      const b = layout.boxes[i];
      const { w, h } = cssSize();
      graphView.x = w / 2 - (b.x + b.w / 2) * graphView.scale;
      graphView.y = h / 2 - (b.y + b.h / 2) * graphView.scale;
    }
    redraw();
  };
  const zoom = (factor: number, cx?: number, cy?: number) => {
    const { w, h } = cssSize();
    const px = cx ?? w / 2;
    const py = cy ?? h / 2;
    const next = Math.min(4, Math.max(0.05, graphView.scale * factor));
    graphView.x = px - ((px - graphView.x) / graphView.scale) * next;
    graphView.y = py - ((py - graphView.y) / graphView.scale) * next;
    graphView.scale = next;
    redraw();
  };
  const fitView = () => {
    const { w } = cssSize();
    // Fit the width; a deep graph (a BERT) is then scrolled, starting at its inputs.
    graphView.scale = Math.min(1.5, Math.max(0.05, (w - 20) / Math.max(1, layout.width)));
    graphView.x = (w - layout.width * graphView.scale) / 2;
    graphView.y = 10;
    graphView.fitted = true;
    redraw();
  };
  function revealInList(): void {
    const b = layout.boxes[graphView.selected];
    if (!b || b.node < 0) return;
    state.filter = '';
    state.openNode = b.node;
    state.nodeLimit = Math.max(NODE_PAGE, b.node + 1);
    selectTab('operators');
  }
  let drag: { x: number; y: number; moved: boolean } | undefined;
  canvas.addEventListener('pointerdown', (e) => {
    drag = { x: e.clientX, y: e.clientY, moved: false };
    canvas.setPointerCapture(e.pointerId);
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!drag) return;
    const dx = e.clientX - drag.x;
    const dy = e.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 2) drag.moved = true;
    graphView.x += dx;
    graphView.y += dy;
    drag.x = e.clientX;
    drag.y = e.clientY;
    redraw();
  });
  canvas.addEventListener('pointerup', (e) => {
    const wasDrag = drag?.moved;
    drag = undefined;
    if (wasDrag) return;
    const r = canvas.getBoundingClientRect();
    const gx = (e.clientX - r.left - graphView.x) / graphView.scale;
    const gy = (e.clientY - r.top - graphView.y) / graphView.scale;
    const hit = layout.boxes.findIndex((b) => gx >= b.x && gx <= b.x + b.w && gy >= b.y && gy <= b.y + b.h);
    if (hit >= 0) {
      select(hit, false);
      if (e.detail >= 2) revealInList();
    }
  });
  canvas.addEventListener('wheel', (e) => {
    e.preventDefault();
    const r = canvas.getBoundingClientRect();
    if (e.ctrlKey || e.metaKey) zoom(e.deltaY < 0 ? 1.1 : 0.9, e.clientX - r.left, e.clientY - r.top);
    else {
      graphView.x -= e.deltaX;
      graphView.y -= e.deltaY;
      redraw();
    }
  }, { passive: false });
  canvas.addEventListener('keydown', (e) => {
    const step = 60;
    const pos = order.indexOf(graphView.selected);
    switch (e.key) {
      case 'ArrowUp':
        graphView.y += step;
        break;
      case 'ArrowDown':
        graphView.y -= step;
        break;
      case 'ArrowLeft':
        graphView.x += step;
        break;
      case 'ArrowRight':
        graphView.x -= step;
        break;
      case '+':
      case '=':
        zoom(1.25);
        break;
      case '-':
        zoom(0.8);
        break;
      case '0':
        fitView();
        break;
      case 'n':
      case 'N':
        select(order[Math.min(order.length - 1, pos + 1)] ?? 0, true);
        break;
      case 'p':
      case 'P':
        select(order[Math.max(0, pos - 1)] ?? 0, true);
        break;
      case 'Enter':
        revealInList();
        break;
      default:
        return;
    }
    e.preventDefault();
    redraw();
  });
  resize();
  if (!graphView.fitted) fitView();
  if (graphView.selected >= 0) select(graphView.selected, false);
  else showInList.disabled = true;
  window.addEventListener('resize', () => {
    if (state.tab !== 'graph') return;
    resize();
    redraw();
  });
  redraw();
}

// ---- benchmark ----

function renderBenchmark(panel: HTMLElement): void {
  const s = state.strings!;
  const m = state.message!;
  panel.append(el('h2', { text: s.tabBenchmark }));
  if (m.benchmarkUnavailable) {
    panel.append(el('p', { className: 'muted', text: m.benchmarkUnavailable }));
    return;
  }
  panel.append(el('p', { className: 'muted', text: s.benchmarkHelp }));
  const form = el('form', { className: 'bench-form' });
  const field = (label: string, value: number, onChange: (v: number) => void, max: number) => {
    const input = el('input');
    input.type = 'number';
    input.min = '1';
    input.max = String(max);
    input.step = '1';
    input.value = String(value);
    input.addEventListener('change', () => {
      const v = Math.floor(Number(input.value));
      if (Number.isFinite(v) && v >= 1 && v <= max) onChange(v);
      else input.value = String(value);
    });
    return el('label', {}, el('span', { text: label }), input);
  };
  const dimNames = Object.keys(m.model.benchmark.dims);
  if (dimNames.length) {
    const fs = el('fieldset', {}, el('legend', { text: s.dynamicDims }));
    for (const d of dimNames) fs.append(field(d, state.dims[d] ?? m.model.benchmark.dims[d], (v) => (state.dims[d] = v), 1_000_000));
    form.append(fs);
  }
  form.append(field(s.runs, state.runs, (v) => (state.runs = v), 1000), field(s.threads, state.threads, (v) => (state.threads = v), 64));
  const running = state.benchmark?.running ?? false;
  const run = el('button', { text: s.runBenchmark });
  run.type = 'submit';
  run.disabled = running;
  form.append(run);
  if (running) form.append(button(s.cancel, () => vscode.postMessage({ type: 'cancelBenchmark' }), 'secondary'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const dimsToSend: Record<string, number> = {};
    for (const d of dimNames) dimsToSend[d] = state.dims[d] ?? m.model.benchmark.dims[d];
    state.benchmark = { running: true };
    vscode.postMessage({ type: 'benchmark', dims: dimsToSend, runs: state.runs, threads: state.threads });
    announce(s.running);
    render();
    (document.querySelector('.bench-form button.secondary') as HTMLElement | null)?.focus();
  });
  panel.append(form);
  if (running) panel.append(el('p', { className: 'muted', text: s.running }));
  if (state.benchmark?.error) panel.append(el('p', { className: 'error', text: state.benchmark.error }));
  const r = state.benchmark?.result;
  if (!r) return;
  panel.append(
    el('h3', { text: s.latency }),
    el('p', { className: 'latency' }, el('span', { className: 'big', text: `${s.p50} ${msText(r.p50Ms)}${NBSP}ms` }), el('span', { className: 'big', text: `${s.p95} ${msText(r.p95Ms)}${NBSP}ms` })),
    el('p', { className: 'muted', text: fill(s.sessionCreated, r.runs, r.inputs.map((i) => `${i.name} [${i.dims.join(', ')}]`).join(', '), msText(r.sessionMs)) }),
  );
  if (r.profile) {
    panel.append(el('h3', { text: s.byOpType }), el('p', { className: 'muted', text: fill(s.profileNote, r.profile.runs) }));
    panel.append(
      table(
        [s.opType, s.timeMs, s.share],
        r.profile.byOpType.map((o) => {
          const bar = el('span', { className: 'bar' });
          bar.style.width = `${o.share * 100}%`;
          return [el('code', { text: o.opType }), msText(o.ms), el('span', { className: 'share' }, el('span', { className: 'bar-track' }, bar), ` ${(o.share * 100).toFixed(1)}%`)];
        }),
        'profile',
      ),
      el('h3', { text: s.slowestNodes }),
      table([s.node, s.opType, s.timeMs], r.profile.slowestNodes.map((n) => [el('code', { text: n.node }), n.opType, msText(n.ms)]), 'profile'),
    );
  }
}

// ---- messages ----

window.addEventListener('message', (event: MessageEvent<ToInspectorWebview>) => {
  const msg = event.data;
  switch (msg.type) {
    case 'loading':
      state.strings = msg.strings;
      app.replaceChildren(el('p', { className: 'muted loading', text: fill(msg.strings.loading, msg.file) }));
      return;
    case 'error': {
      state.strings = msg.strings;
      const reopen = button(msg.strings.reopenAsText, () => vscode.postMessage({ type: 'reopenAsText' }), 'secondary');
      app.replaceChildren(el('h1', { text: fill(msg.strings.failed, msg.file) }), el('p', { className: 'error', text: msg.message }), reopen);
      announce(msg.message);
      return;
    }
    case 'model':
      state.strings = msg.strings;
      state.message = msg;
      render();
      return;
    case 'weightStats':
      state.stats.set(msg.weight, msg.stats);
      if (state.tab === 'weights') rerenderKeepingFocus();
      return;
    case 'weightStatsError':
      state.stats.set(msg.weight, msg.message);
      if (state.tab === 'weights') rerenderKeepingFocus();
      announce(msg.message);
      return;
    case 'benchmark':
      state.benchmark = { running: false, result: msg.result };
      if (state.tab === 'benchmark') render();
      if (state.strings) announce(fill(state.strings.benchmarkDone, msText(msg.result.p50Ms), msText(msg.result.p95Ms)));
      return;
    case 'benchmarkError':
      state.benchmark = { running: false, error: msg.message };
      if (state.tab === 'benchmark') render();
      announce(msg.message);
      return;
    case 'settingUpdated':
      announce(msg.message);
      return;
  }
});

/** Re-renders and puts focus back on the control that had it (by its data attribute or id). */
function rerenderKeepingFocus(): void {
  const active = document.activeElement as HTMLElement | null;
  const weight = active?.dataset.weight;
  const scroll = window.scrollY;
  render();
  window.scrollTo(0, scroll);
  if (weight) (document.querySelector(`button[data-weight="${CSS.escape(weight)}"]`) as HTMLElement | null)?.focus();
}

vscode.postMessage({ type: 'ready' });
