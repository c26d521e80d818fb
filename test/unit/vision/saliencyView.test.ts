// The image result panel's saliency view (src/webview/imageResult/saliencyView.ts): overlay colours by sign and
// strength, the legend's range, the summary in words, and the Explain message's validation. Plain Node: the module
// has no DOM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { OcclusionGrid } from '../../../src/vision/explain';
import {
  CLEAR_SHARE,
  LOWERS_RGB,
  MAX_ALPHA,
  RAISES_RGB,
  cellBox,
  cellRegion,
  extremeCell,
  joinSentences,
  outlinedCell,
  overlayPixels,
  saliencyColor,
  saliencyRange,
  saliencySummary,
  signedPoints,
  type SaliencySummaryStrings,
} from '../../../src/webview/imageResult/saliencyView';
import { parseFromResultWebview } from '../../../src/webview/imageResult/protocol';

function grid(values: number[][], size: { width: number; patch: number; stride: number }): OcclusionGrid {
  return { method: 'occlusion', label: '7', labelIndex: 7, probability: 0.99, width: size.width, height: size.width, patch: size.patch, stride: size.stride, rows: values.length, cols: values[0].length, values, evaluations: values.length * values[0].length + 1, elapsedMs: 1 };
}

const strings: SaliencySummaryStrings = {
  regions: ['the top-left part', 'the top part', 'the top-right part', 'the left part', 'the centre', 'the right part', 'the bottom-left part', 'the bottom part', 'the bottom-right part'],
  summaryLowers: 'Hiding {0} of the input (x {3}, y {4} of {5}) lowers P({1}) most, by {2} percentage points.',
  summaryRaises: 'Hiding {0} of the input raises P({1}) most, by {2} percentage points.',
  summaryFlat: 'No patch changes P({0}) by {1} percentage points or more.',
};

test('the legend range is the lowest and highest cell, and the colours scale to the larger magnitude', () => {
  const g = grid([[0.5, -0.25], [0, 0.1]], { width: 4, patch: 2, stride: 2 });
  assert.deepEqual(saliencyRange(g), { min: -0.25, max: 0.5, bound: 0.5 });
  assert.deepEqual(saliencyRange(grid([[0.2, 0.3]], { width: 4, patch: 2, stride: 2 })), { min: 0, max: 0.3, bound: 0.3 });
  const flat = saliencyRange(grid([[0, 0]], { width: 4, patch: 2, stride: 2 }));
  assert.equal(flat.min, 0);
  assert.equal(flat.max, 0);
  assert.ok(flat.bound > 0, 'never divides by zero');
});

test('extreme cells: the largest drop and the largest rise, first in row-major order on ties; none of a sign that is absent', () => {
  const g = grid([[0.5, -0.25], [0.5, -0.3]], { width: 4, patch: 2, stride: 2 });
  assert.deepEqual(extremeCell(g, 1), { row: 0, col: 0, value: 0.5 });
  assert.deepEqual(extremeCell(g, -1), { row: 1, col: 1, value: -0.3 });
  assert.equal(extremeCell(grid([[0.1, 0]], { width: 4, patch: 2, stride: 2 }), -1), undefined);
  // The outline marks only a real change (the summary's threshold): a 0.1-point "largest drop" is not outlined.
  assert.deepEqual(outlinedCell(g), { row: 0, col: 0, value: 0.5 });
  assert.equal(outlinedCell(grid([[0.001, -0.9]], { width: 4, patch: 2, stride: 2 })), undefined);
});

test('colours: blue where hiding lowers P, orange where it raises P, opacity by the square root of strength, noise left clear', () => {
  assert.deepEqual(saliencyColor(0.5, 0.5), [...LOWERS_RGB, Math.round(255 * MAX_ALPHA)]);
  assert.deepEqual(saliencyColor(-0.25, 0.5), [...RAISES_RGB, Math.round(255 * MAX_ALPHA * Math.sqrt(0.5))]);
  assert.deepEqual(saliencyColor(0, 0.5), [0, 0, 0, 0]);
  assert.deepEqual(saliencyColor(0.5 * CLEAR_SHARE * 0.9, 0.5), [0, 0, 0, 0]);
  assert.equal(saliencyColor(0.5 * CLEAR_SHARE * 1.1, 0.5)[3] > 0, true);
  // Beyond the bound (never in a real grid) the strength saturates.
  assert.equal(saliencyColor(2, 0.5)[3], Math.round(255 * MAX_ALPHA));
});

test('the overlay has the input size, follows the per-pixel mean, and hatches the "raises" cells', () => {
  const g = grid([[0.5, -0.25], [0, 0]], { width: 4, patch: 2, stride: 2 });
  const px = overlayPixels(g);
  assert.equal(px.length, 4 * 4 * 4);
  const at = (x: number, y: number) => Array.from(px.slice((y * 4 + x) * 4, (y * 4 + x) * 4 + 4));
  assert.deepEqual(at(0, 0), [...LOWERS_RGB, Math.round(255 * MAX_ALPHA)]);
  assert.deepEqual(at(1, 1), [...LOWERS_RGB, Math.round(255 * MAX_ALPHA)]);
  assert.deepEqual(at(2, 0), [...RAISES_RGB, Math.round(255 * MAX_ALPHA * Math.sqrt(0.5))]);
  // (3, 1) lies on the hatching diagonal (x + y ≡ 0 mod 4): clear, so "raises" never reads as a solid patch.
  assert.deepEqual(at(3, 1), [0, 0, 0, 0]);
  assert.deepEqual(at(0, 3), [0, 0, 0, 0]);
  // Overlapping patches (stride < patch): a pixel covered by a strong and a zero cell gets their mean.
  const overlap = grid([[0.4, 0]], { width: 3, patch: 2, stride: 1 });
  const o = overlayPixels({ ...overlap, height: 2 });
  assert.deepEqual(Array.from(o.slice(4, 8)), [...LOWERS_RGB, Math.round(255 * MAX_ALPHA * Math.sqrt(0.5))]);
});

test('cells map to their pixels and to a ninth of the input', () => {
  const g = grid(Array.from({ length: 13 }, () => new Array<number>(13).fill(0)), { width: 28, patch: 4, stride: 2 });
  assert.deepEqual(cellBox(g, { row: 3, col: 5 }), { x0: 10, y0: 6, x1: 14, y1: 10 });
  assert.equal(cellRegion(g, { row: 0, col: 0 }), 0);
  assert.equal(cellRegion(g, { row: 0, col: 12 }), 2);
  assert.equal(cellRegion(g, { row: 6, col: 6 }), 4);
  assert.equal(cellRegion(g, { row: 6, col: 0 }), 3);
  assert.equal(cellRegion(g, { row: 12, col: 12 }), 8);
  assert.equal(cellRegion(g, { row: 12, col: 6 }), 7);
});

test('signed percentage points: a sign on every non-zero value, a true minus sign', () => {
  assert.equal(signedPoints(0.851), '+85.1');
  assert.equal(signedPoints(-0.032), '\u22123.2');
  assert.equal(signedPoints(0), '0.0');
  assert.equal(signedPoints(-0.0001), '0.0');
});

test('the summary names the region and the pixels of the largest drop, then the largest rise; a flat grid says so', () => {
  const values = Array.from({ length: 13 }, () => new Array<number>(13).fill(0));
  values[2][6] = 0.851;
  values[11][1] = -0.032;
  const g = grid(values, { width: 28, patch: 4, stride: 2 });
  assert.equal(
    saliencySummary(g, strings),
    'Hiding the top part of the input (x 12–15, y 4–7 of 28\u00a0×\u00a028) lowers P(7) most, by 85.1 percentage points. Hiding the bottom-left part of the input raises P(7) most, by 3.2 percentage points.',
  );
  values[11][1] = -0.001; // under half a point: not worth a sentence
  assert.equal(saliencySummary(g, strings), 'Hiding the top part of the input (x 12–15, y 4–7 of 28\u00a0×\u00a028) lowers P(7) most, by 85.1 percentage points.');
  const flat = grid([[0.001, -0.002]], { width: 4, patch: 2, stride: 2 });
  assert.equal(saliencySummary(flat, strings), 'No patch changes P(7) by 0.5 percentage points or more.');
});

test('sentences join with a space in English and without one after a Chinese full stop', () => {
  assert.equal(joinSentences('One.', 'Two.', '', 'Three.'), 'One. Two. Three.');
  assert.equal(joinSentences('用时 64.6 ms。', '带边框的方块是遮住后使 P 降低最多的小块。'), '用时 64.6 ms。带边框的方块是遮住后使 P 降低最多的小块。');
  assert.equal(joinSentences(), '');
});

test('the Explain message is validated: a label index must be a non-negative integer', () => {
  assert.deepEqual(parseFromResultWebview({ type: 'explain' }), { type: 'explain' });
  assert.deepEqual(parseFromResultWebview({ type: 'explain', labelIndex: 3 }), { type: 'explain', labelIndex: 3 });
  assert.equal(parseFromResultWebview({ type: 'explain', labelIndex: -1 }), undefined);
  assert.equal(parseFromResultWebview({ type: 'explain', labelIndex: 1.5 }), undefined);
  assert.equal(parseFromResultWebview({ type: 'explain', labelIndex: '2' }), undefined);
});
