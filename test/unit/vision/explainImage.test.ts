import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { main } from '../../../src/cli';
import { occlusionGeometry, saliencyPerPixel, type OcclusionGrid } from '../../../src/vision/explain';

const repo = path.resolve(__dirname, '../../..');

test('classify-image --explain --json returns an occlusion grid over the 28×28 input; the ink matters, the empty border does not', async () => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['classify-image', '--json', '--explain', path.join(repo, 'examples', 'images', 'seven.png')], { out: (l) => out.push(l), err: (l) => err.push(l) });
  assert.equal(code, 0, err.join('\n'));
  const r = JSON.parse(out[0]);
  const g: OcclusionGrid = r.saliency;
  assert.equal(g.label, r.label);
  assert.deepEqual([g.width, g.height, g.patch, g.stride, g.rows, g.cols], [28, 28, 4, 2, 13, 13]);
  assert.equal(g.values.length, 13);
  assert.ok(g.values.every((row) => row.length === 13));
  assert.equal(g.evaluations, 13 * 13 + 1);
  // MNIST preprocessing leaves a 4-px empty border: hiding a corner changes nothing; hiding some ink costs probability.
  assert.ok(Math.abs(g.values[0][0]) < 1e-6 && Math.abs(g.values[12][12]) < 1e-6, 'corners');
  assert.ok(Math.max(...g.values.flat()) > 0.05, 'some patch of the seven matters');
});

test('per-pixel saliency averages the patches covering each pixel', () => {
  const grid: OcclusionGrid = { method: 'occlusion', label: 'x', labelIndex: 0, probability: 1, width: 4, height: 4, patch: 2, stride: 2, rows: 2, cols: 2, values: [[1, 0], [0, -1]], evaluations: 5, elapsedMs: 0 };
  const px = saliencyPerPixel(grid);
  assert.deepEqual(Array.from(px), [1, 1, 0, 0, 1, 1, 0, 0, 0, 0, -1, -1, 0, 0, -1, -1]);
  assert.deepEqual(occlusionGeometry(224, 224), { patch: 32, stride: 16 });
});
