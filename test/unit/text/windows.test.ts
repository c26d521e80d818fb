import { test } from 'node:test';
import assert from 'node:assert/strict';
import { batches, planWindows } from '../../../src/text/windows';
import { activate, aggregateWindows, sigmoid, softmax } from '../../../src/text/aggregate';

/** Offsets of `n` tokens of 3 characters separated by a space: token i covers [4i, 4i+3). */
function offsets(n: number): [number, number][] {
  return Array.from({ length: n }, (_, i) => [4 * i, 4 * i + 3] as [number, number]);
}

function coverage(n: number, windows: { tokenStart: number; tokenEnd: number }[]): number[] {
  const seen = new Array<number>(n).fill(0);
  for (const w of windows) for (let t = w.tokenStart; t < w.tokenEnd; t++) seen[t]++;
  return seen;
}

test('a text shorter than one window is one window over all of it', () => {
  const plan = planWindows(offsets(5), 10, 3);
  assert.equal(plan.windows.length, 1);
  assert.deepEqual(plan.windows[0], { index: 0, tokenStart: 0, tokenEnd: 5, charStart: 0, charEnd: 19 });
});

test('exactly one window of tokens gives one window', () => {
  const plan = planWindows(offsets(10), 10, 3);
  assert.equal(plan.windows.length, 1);
  assert.equal(plan.windows[0].tokenEnd, 10);
});

test('windows overlap by the setting, cover every token, and the last one is full and ends at the end', () => {
  for (const [n, len, overlap] of [[11, 10, 3], [100, 10, 3], [101, 14, 4], [1000, 126, 32], [37, 5, 0], [64, 8, 2]] as const) {
    const plan = planWindows(offsets(n), len, overlap);
    const ws = plan.windows;
    assert.ok(ws.length >= 2, `${n}/${len}`);
    assert.ok(coverage(n, ws).every((c) => c >= 1), `every token covered (${n}/${len}/${overlap})`);
    for (const w of ws) assert.equal(w.tokenEnd - w.tokenStart, len, 'every window is full length');
    for (let i = 1; i < ws.length - 1; i++) assert.equal(ws[i].tokenStart - ws[i - 1].tokenStart, len - overlap, 'stride');
    const last = ws[ws.length - 1];
    assert.equal(last.tokenEnd, n);
    assert.ok(last.tokenStart > ws[ws.length - 2].tokenStart, 'no duplicate last window');
    // Neighbours share at least the overlap.
    for (let i = 1; i < ws.length; i++) assert.ok(ws[i - 1].tokenEnd - ws[i].tokenStart >= overlap);
    ws.forEach((w, i) => assert.equal(w.index, i));
  }
});

test('character ranges come from the first and last token of each window', () => {
  const plan = planWindows(offsets(25), 10, 2);
  for (const w of plan.windows) {
    assert.equal(w.charStart, 4 * w.tokenStart);
    assert.equal(w.charEnd, 4 * (w.tokenEnd - 1) + 3);
  }
});

test('an overlap too large for the window is clamped to half of it, a negative one to 0', () => {
  assert.equal(planWindows(offsets(50), 10, 9).overlap, 5);
  assert.equal(planWindows(offsets(50), 10, 9).stride, 5);
  assert.equal(planWindows(offsets(50), 10, -4).overlap, 0);
  assert.equal(planWindows(offsets(50), 1, 1).stride, 1);
});

test('no tokens → no windows; a non-positive length is refused', () => {
  assert.equal(planWindows([], 10, 2).windows.length, 0);
  assert.throws(() => planWindows(offsets(3), 0, 0), /positive whole number/);
});

test('batches split in order with a short last batch', () => {
  assert.deepEqual(batches([1, 2, 3, 4, 5, 6, 7], 3), [[1, 2, 3], [4, 5, 6], [7]]);
  assert.deepEqual(batches([], 8), []);
});

test('softmax sums to 1, is shift-invariant and stable for huge logits', () => {
  const p = softmax([1, 2, 3]);
  assert.ok(Math.abs(p.reduce((a, b) => a + b) - 1) < 1e-12);
  assert.ok(Math.abs(p[2] - Math.exp(3) / (Math.exp(1) + Math.exp(2) + Math.exp(3))) < 1e-12);
  const q = softmax([1001, 1002, 1003]);
  p.forEach((v, i) => assert.ok(Math.abs(v - q[i]) < 1e-12));
  assert.deepEqual(softmax([-1e4, 0]).map((v) => Math.round(v)), [0, 1]);
});

test('sigmoid is independent per label and stable at both ends', () => {
  const s = sigmoid([0, 2, -2, 800, -800]);
  assert.equal(s[0], 0.5);
  assert.ok(Math.abs(s[1] - 1 / (1 + Math.exp(-2))) < 1e-12);
  assert.ok(Math.abs(s[1] + s[2] - 1) < 1e-12);
  assert.equal(s[3], 1);
  assert.equal(s[4], 0);
  assert.ok(s.every(Number.isFinite));
});

test('activate picks softmax for single-label and sigmoid for multi-label models', () => {
  const logits = [2, 1];
  assert.deepEqual(activate(logits, 'single_label_classification'), softmax(logits));
  assert.deepEqual(activate(logits, 'multi_label_classification'), sigmoid(logits));
  const multi = activate([3, 3], 'multi_label_classification');
  assert.ok(multi[0] + multi[1] > 1.5, 'multi-label probabilities do not sum to 1');
});

test('aggregation: mean of window probabilities, decisive windows for the top label, max window per label', () => {
  const rows = [
    [0.9, 0.1],
    [0.8, 0.2],
    [0.05, 0.95],
    [0.7, 0.3],
  ];
  const agg = aggregateWindows(rows, 2);
  assert.ok(Math.abs(agg.probabilities[0] - (0.9 + 0.8 + 0.05 + 0.7) / 4) < 1e-12);
  assert.ok(Math.abs(agg.probabilities[1] - (0.1 + 0.2 + 0.95 + 0.3) / 4) < 1e-12);
  assert.equal(agg.top, 0);
  assert.deepEqual(agg.decisiveWindows, [0, 1]);
  assert.deepEqual(agg.maxWindowByLabel, [
    { windowIndex: 0, probability: 0.9 },
    { windowIndex: 2, probability: 0.95 },
  ]);
});

test('aggregation refuses zero windows and ragged rows', () => {
  assert.throws(() => aggregateWindows([]), /no windows/);
  assert.throws(() => aggregateWindows([[0.5, 0.5], [1]]), /expected 2/);
});
