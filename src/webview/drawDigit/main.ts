/**
 * Draw-a-digit webview: a canvas drawn with pointer events (mouse, touch, pen), undo per stroke and
 * clear (buttons, Ctrl/Cmd+Z, Delete/Backspace). While drawing and at each stroke's end the ink is
 * averaged to 56×56 and sent to the extension; the worker's prediction comes back and is shown with the
 * time from stroke end to result.
 */
import { acquireApi, el, probabilityRow } from '../shared/dom';
import { fill, percent } from '../shared/format';
import { CANVAS_SIZE, INK_SIZE, type DrawStrings, type FromDrawWebview, type ToDrawWebview } from './protocol';

type Point = readonly [number, number];

const vscode = acquireApi<FromDrawWebview>();
const app = document.getElementById('app') as HTMLElement;
const live = document.getElementById('live') as HTMLElement;

const saved = vscode.getState() as { strokes?: Point[][] } | undefined;
let strokes: Point[][] = Array.isArray(saved?.strokes) ? saved.strokes : [];
let current: Point[] | undefined;
let strings: DrawStrings | undefined;
let seq = 0;
let inFlight = false;
let pendingSend = false;
let lastSend = 0;
/** seq of the request sent at a stroke's end, and when the stroke ended. */
let strokeEnd: { seq: number; at: number } | undefined;

const canvas = el('canvas', { className: 'draw-canvas' });
canvas.width = CANVAS_SIZE;
canvas.height = CANVAS_SIZE;
canvas.tabIndex = 0;
canvas.id = 'digit-canvas';
const context = canvas.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D;
const clearButton = el('button', { className: 'secondary' });
clearButton.id = 'clear';
const undoButton = el('button', { className: 'secondary' });
undoButton.id = 'undo';
const heading = el('h1');
const hint = el('p', { className: 'muted' });
const predictionBox = el('section', { className: 'draw-result' });
predictionBox.id = 'prediction';
const bigLabel = el('div', { className: 'draw-label' });
bigLabel.id = 'predicted-label';
const list = el('ol', { className: 'prob-list' });
const latencyLine = el('p', { className: 'muted mono' });
latencyLine.id = 'latency';
const preview = el('img', { className: 'pixelated draw-preview' });
preview.width = 84;
preview.height = 84;
preview.hidden = true;
const previewCaption = el('p', { className: 'muted' });
const modelLine = el('p', { className: 'muted' });

const controls = el('div', { className: 'draw-controls' });
controls.append(undoButton, clearButton);
const left = el('div', { className: 'draw-left' });
left.append(canvas, controls);
predictionBox.append(bigLabel, list, latencyLine, previewCaption, preview, modelLine);
const layout = el('div', { className: 'draw-layout' });
layout.append(left, predictionBox);
app.append(heading, hint, layout);

function inkStyle(): string {
  return getComputedStyle(document.body).getPropertyValue('--vscode-editor-foreground').trim() || '#000';
}

function redraw(): void {
  context.clearRect(0, 0, CANVAS_SIZE, CANVAS_SIZE);
  context.lineCap = 'round';
  context.lineJoin = 'round';
  context.lineWidth = 20;
  context.strokeStyle = inkStyle();
  context.fillStyle = inkStyle();
  for (const stroke of current ? [...strokes, current] : strokes) {
    if (stroke.length === 1) {
      context.beginPath();
      context.arc(stroke[0][0], stroke[0][1], 10, 0, Math.PI * 2);
      context.fill();
      continue;
    }
    context.beginPath();
    stroke.forEach(([x, y], i) => (i === 0 ? context.moveTo(x, y) : context.lineTo(x, y)));
    context.stroke();
  }
}

/** Alpha coverage averaged over blocks: ink is whatever was drawn, whatever the theme's colours. */
function inkGrid(): number[] {
  const { data } = context.getImageData(0, 0, CANVAS_SIZE, CANVAS_SIZE);
  const block = CANVAS_SIZE / INK_SIZE;
  const out = new Array<number>(INK_SIZE * INK_SIZE).fill(0);
  for (let y = 0; y < CANVAS_SIZE; y++) {
    const oy = Math.floor(y / block) * INK_SIZE;
    for (let x = 0; x < CANVAS_SIZE; x++) out[oy + Math.floor(x / block)] += data[(y * CANVAS_SIZE + x) * 4 + 3];
  }
  const n = block * block;
  return out.map((v) => Math.round(v / n));
}

function send(atStrokeEnd: boolean): void {
  if (inFlight) {
    pendingSend = true;
    return;
  }
  const hasInk = strokes.length > 0 || (current?.length ?? 0) > 0;
  seq++;
  if (atStrokeEnd) strokeEnd = { seq, at: strokeEnd?.at ?? performance.now() };
  if (!hasInk) {
    showEmpty();
    return;
  }
  inFlight = true;
  lastSend = performance.now();
  vscode.postMessage({ type: 'predict', seq, width: INK_SIZE, height: INK_SIZE, ink: inkGrid() });
}

function showEmpty(): void {
  bigLabel.textContent = '–';
  list.replaceChildren();
  latencyLine.textContent = '';
  preview.hidden = true;
  previewCaption.textContent = '';
  if (strings) live.textContent = strings.empty;
  predictionBox.dataset.state = 'empty';
}

function afterReply(): void {
  inFlight = false;
  if (pendingSend) {
    pendingSend = false;
    send(strokeEnd !== undefined);
  }
}

function showPrediction(message: Extract<ToDrawWebview, { type: 'prediction' }>): void {
  const best = message.top[0];
  bigLabel.textContent = best.label;
  list.replaceChildren(...message.top.map((p, i) => probabilityRow(p.label, p.score, i === 0)));
  if (message.previewPng) {
    preview.src = `data:image/png;base64,${message.previewPng}`;
    preview.hidden = false;
    if (strings) previewCaption.textContent = strings.modelSaw;
  }
  predictionBox.dataset.state = 'predicted';
  predictionBox.dataset.label = best.label;
  if (strokeEnd && strokeEnd.seq > 0 && message.seq >= strokeEnd.seq) {
    // The DOM now shows the result: stroke end → shown.
    const ms = performance.now() - strokeEnd.at;
    strokeEnd = undefined;
    if (strings) latencyLine.textContent = fill(strings.latency, ms.toFixed(1), message.workerMs.toFixed(1));
    latencyLine.dataset.ms = ms.toFixed(2);
    vscode.postMessage({ type: 'latency', ms, workerMs: message.workerMs });
    if (strings) live.textContent = fill(strings.announce, best.label, percent(best.score));
  }
}

canvas.addEventListener('pointerdown', (e) => {
  canvas.setPointerCapture(e.pointerId);
  const r = canvas.getBoundingClientRect();
  current = [[((e.clientX - r.left) * CANVAS_SIZE) / r.width, ((e.clientY - r.top) * CANVAS_SIZE) / r.height]];
  strokeEnd = undefined;
  redraw();
  e.preventDefault();
});
canvas.addEventListener('pointermove', (e) => {
  if (!current) return;
  const r = canvas.getBoundingClientRect();
  // Coalesced events give pens and fast mice their full resolution.
  const events = typeof e.getCoalescedEvents === 'function' ? e.getCoalescedEvents() : [e];
  for (const ev of events.length ? events : [e]) current.push([((ev.clientX - r.left) * CANVAS_SIZE) / r.width, ((ev.clientY - r.top) * CANVAS_SIZE) / r.height]);
  redraw();
  // Live update while drawing, at most every 80 ms and never more than one request in flight.
  if (!inFlight && performance.now() - lastSend > 80) send(false);
});
const endStroke = () => {
  if (!current) return;
  strokes.push(current);
  current = undefined;
  vscode.setState({ strokes });
  strokeEnd = { seq: -1, at: performance.now() };
  redraw();
  send(true);
};
canvas.addEventListener('pointerup', endStroke);
canvas.addEventListener('pointercancel', endStroke);

function undo(): void {
  strokes.pop();
  vscode.setState({ strokes });
  redraw();
  strokeEnd = { seq: -1, at: performance.now() };
  send(true);
}
function clear(): void {
  strokes = [];
  vscode.setState({ strokes });
  redraw();
  strokeEnd = undefined;
  send(false);
}
undoButton.addEventListener('click', undo);
clearButton.addEventListener('click', clear);
window.addEventListener('keydown', (e) => {
  if ((e.ctrlKey || e.metaKey) && !e.shiftKey && e.key.toLowerCase() === 'z') {
    undo();
    e.preventDefault();
  } else if ((e.key === 'Delete' || e.key === 'Backspace') && !(e.target instanceof HTMLInputElement)) {
    clear();
    e.preventDefault();
  }
});

window.addEventListener('message', (event: MessageEvent<ToDrawWebview>) => {
  const message = event.data;
  switch (message.type) {
    case 'init':
      strings = message.strings;
      heading.textContent = strings.title;
      hint.textContent = strings.hint;
      canvas.setAttribute('aria-label', strings.canvasLabel);
      clearButton.textContent = strings.clear;
      undoButton.textContent = strings.undo;
      redraw();
      send(false);
      break;
    case 'model':
      if (strings) modelLine.textContent = `${strings.model}: ${message.name} (${message.runtime})`;
      break;
    case 'prediction':
      showPrediction(message);
      afterReply();
      break;
    case 'empty':
      showEmpty();
      afterReply();
      break;
    case 'error':
      bigLabel.textContent = '!';
      latencyLine.textContent = message.message;
      predictionBox.dataset.state = 'error';
      afterReply();
      break;
  }
});
// Theme changes alter the ink colour; redraw so strokes stay visible.
new MutationObserver(redraw).observe(document.body, { attributes: true, attributeFilter: ['class'] });
vscode.postMessage({ type: 'ready' });
