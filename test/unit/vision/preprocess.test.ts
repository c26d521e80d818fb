import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CodedError } from '../../../src/common/errors';
import type { GrayImage } from '../../../src/vision/image';
import { reductionFactor } from '../../../src/vision/grayReduce';
import { IMAGENET_MEAN, IMAGENET_STD, mnistNormalize, preprocess, toGray, toGrayReduced } from '../../../src/vision/preprocess';
import { resample } from '../../../src/vision/resample';
import { rgba } from './helpers';

function gray(width: number, height: number, value: (x: number, y: number) => number): GrayImage {
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = value(x, y);
  return { width, height, data };
}

/** The 28×28 result as rows, for readable assertions. */
function at(values: Float32Array, x: number, y: number): number {
  return values[y * 28 + x];
}

function assertBlock(values: Float32Array, expected: (x: number, y: number) => number, tolerance = 1e-6): void {
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      const want = expected(x, y);
      assert.ok(Math.abs(at(values, x, y) - want) <= tolerance, `(${x},${y}) = ${at(values, x, y)}, want ${want}`);
    }
  }
}

test('toGray: BT.601 luma, alpha composited over white', () => {
  const g = toGray({ width: 4, height: 1, data: Uint8Array.from([255, 0, 0, 255, 0, 0, 0, 0, 0, 0, 0, 51, 10, 20, 30, 255]) });
  assert.ok(Math.abs(g.data[0] - 0.299 * 255) < 1e-3); // red
  assert.equal(g.data[1], 255); // fully transparent → white paper
  assert.ok(Math.abs(g.data[2] - 204) < 1e-3); // black at 20 % alpha over white: 255 × 0.8
  assert.ok(Math.abs(g.data[3] - (0.299 * 10 + 0.587 * 20 + 0.114 * 30)) < 1e-3);
});

test('dark ink on light paper is inverted; a 4×4 square becomes a centred 20×20 block', () => {
  // 28×28 white with a black 4×4 square at (2,3): crop 4×4 → scale ×5 → 20×20 of ink, centre of mass (10,10) → offset 4.
  const dark = gray(28, 28, (x, y) => (x >= 2 && x < 6 && y >= 3 && y < 7 ? 0 : 255));
  const r = mnistNormalize(dark);
  assert.equal(r.inverted, true);
  assertBlock(r.values, (x, y) => (x >= 4 && x < 24 && y >= 4 && y < 24 ? 1 : 0));
  // The same square bright on dark is not inverted and gives the same input.
  const light = gray(28, 28, (x, y) => 255 - dark.data[y * 28 + x]);
  const l = mnistNormalize(light);
  assert.equal(l.inverted, false);
  assert.deepEqual(l.values, r.values);
});

test('aspect is kept: a 2×10 bar becomes 4×20, centred by mass', () => {
  const bar = gray(40, 40, (x, y) => (x >= 30 && x < 32 && y >= 5 && y < 15 ? 255 : 0));
  const r = mnistNormalize(bar);
  // 4×20 box, centre of mass (2,10) → left = 14 − 2 = 12, top = 14 − 10 = 4.
  assertBlock(r.values, (x, y) => (x >= 12 && x < 16 && y >= 4 && y < 24 ? 1 : 0));
});

test('placement follows the centre of mass, not the bounding box', () => {
  // 20×10 region: left half full ink (1.0), right half half ink (0.5). Longest side is already 20 → no resampling.
  // Mass x: (100·1·5 + 100·0.5·15) / 150 = 8.333 → left = round(14 − 8.333) = 6 (the box centre would give 4).
  // Mass y: 5 → top = 9.
  const img = gray(40, 30, (x, y) => {
    const rx = x - 5;
    const ry = y - 7;
    if (ry < 0 || ry >= 10 || rx < 0 || rx >= 20) return 0;
    return rx < 10 ? 255 : 127.5;
  });
  const r = mnistNormalize(img);
  assertBlock(r.values, (x, y) => (y >= 9 && y < 19 && x >= 6 && x < 16 ? 1 : y >= 9 && y < 19 && x >= 16 && x < 26 ? 0.5 : 0));
});

test('paper and ink levels are stretched to 0 and 1 (grey paper, faded ink)', () => {
  const img = gray(28, 28, (x, y) => (x >= 4 && x < 24 && y >= 4 && y < 24 ? 60 : 200));
  const r = mnistNormalize(img);
  assert.equal(r.inverted, true);
  assertBlock(r.values, (x, y) => (x >= 4 && x < 24 && y >= 4 && y < 24 ? 1 : 0));
});

test('a flat image has nothing to classify', () => {
  assert.throws(() => mnistNormalize(gray(28, 28, () => 200), { name: 'flat.png' }), (e: unknown) => e instanceof CodedError && e.code === 'blank' && /flat\.png/.test(e.message));
});

test('resample: area filter when shrinking (exact coverage weights), bilinear when enlarging', () => {
  assert.deepEqual([...resample(Float32Array.from([0, 1, 0, 1]), 4, 1, 1, 2, 1)], [0.5, 0.5]);
  // 3 → 2: each output covers 1.5 source pixels.
  const shrunk = resample(Float32Array.from([3, 6, 9]), 3, 1, 1, 2, 1);
  assert.ok(Math.abs(shrunk[0] - 4) < 1e-6 && Math.abs(shrunk[1] - 8) < 1e-6, String([...shrunk]));
  const grown = resample(Float32Array.from([0, 1]), 2, 1, 1, 4, 1);
  assert.deepEqual([...grown].map((v) => Math.round(v * 1000) / 1000), [0, 0.25, 0.75, 1]);
});

test('resample conserves ink when shrinking 512 px to 20 px (thin strokes survive)', () => {
  // A 4-px-wide diagonal stroke: point sampling at a 25.6× reduction would miss most of it.
  const w = 512;
  const src = new Float32Array(w * w);
  for (let y = 0; y < w; y++) for (let d = 0; d < 4; d++) src[y * w + Math.min(w - 1, y + d)] = 1;
  const out = resample(src, w, w, 1, 20, 20);
  const sumIn = src.reduce((a, b) => a + b, 0);
  const sumOut = out.reduce((a, b) => a + b, 0) * (w / 20) ** 2;
  assert.ok(Math.abs(sumIn - sumOut) / sumIn < 1e-4, `${sumIn} vs ${sumOut}`);
  // Every diagonal output pixel carries ink.
  for (let i = 0; i < 20; i++) assert.ok(out[i * 20 + i] > 0.1, `diagonal ${i}: ${out[i * 20 + i]}`);
});

test('resize kind: plain resize to the model size, [0,1]; imagenet kind: per-channel mean/std', () => {
  // 2×2 → 1×1: the mean colour.
  const img = { width: 2, height: 2, data: rgba(2, 2, (x, y) => (x + y === 0 ? [255, 0, 0, 255] : [0, 0, 0, 255])) };
  const r = preprocess(img, { kind: 'resize' }, { width: 1, height: 1, channels: 3 });
  assert.deepEqual([...r.input].map((v) => +v.toFixed(4)), [0.25, 0, 0]);
  assert.deepEqual([...r.preview.data], [64, 0, 0]);
  const n = preprocess(img, { kind: 'imagenet' }, { width: 1, height: 1, channels: 3 });
  const want = [0.25, 0, 0].map((v, c) => (v - IMAGENET_MEAN[c]) / IMAGENET_STD[c]);
  [...n.input].forEach((v, c) => assert.ok(Math.abs(v - want[c]) < 1e-5));
  // One channel: grey of the mean.
  const g = preprocess(img, { kind: 'resize' }, { width: 1, height: 1, channels: 1 });
  assert.ok(Math.abs(g.input[0] - (0.299 * 255) / 4 / 255) < 1e-5);
});

test('mnist kind applies config mean/std after [0,1] and reports the inversion', () => {
  const img = { width: 28, height: 28, data: rgba(28, 28, (x, y) => (x >= 2 && x < 6 && y >= 3 && y < 7 ? [0, 0, 0, 255] : [255, 255, 255, 255])) };
  const plain = preprocess(img, { kind: 'mnist' }, { width: 28, height: 28, channels: 1 });
  assert.equal(plain.inverted, true);
  assert.equal(plain.input[14 * 28 + 14], 1);
  assert.equal(plain.input[0], 0);
  assert.equal(plain.preview.data[14 * 28 + 14], 255);
  const standardised = preprocess(img, { kind: 'mnist', mean: 0.1307, std: 0.3081 }, { width: 28, height: 28, channels: 1 });
  assert.ok(Math.abs(standardised.input[0] - -0.1307 / 0.3081) < 1e-6);
  assert.ok(Math.abs(standardised.input[14 * 28 + 14] - (1 - 0.1307) / 0.3081) < 1e-6);
});

test('large images are box-reduced before cropping; the 28×28 input barely changes', () => {
  // 512×512 ring, dark on light, anti-aliased.
  const size = 512;
  const img = {
    width: size,
    height: size,
    data: rgba(size, size, (x, y) => {
      const d = Math.hypot((x - 256) / 0.7, y - 256);
      const ink = Math.max(0, Math.min(1, (30 - Math.abs(d - 170)) / 2 + 0.5));
      const v = Math.round(245 - ink * 225);
      return [v, v, v, 255];
    }),
  };
  assert.equal(reductionFactor(512, 512), 4);
  assert.equal(reductionFactor(64, 64), 1);
  const reduced = toGrayReduced(img, 4);
  assert.deepEqual([reduced.width, reduced.height], [128, 128]);
  // Each reduced pixel is the mean of its 4×4 block.
  const full = toGray(img);
  let block = 0;
  for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) block += full.data[(40 + y) * 512 + 64 + x];
  assert.ok(Math.abs(reduced.data[10 * 128 + 16] - block / 16) < 1e-3);
  const fast = preprocess(img, { kind: 'mnist' }, { width: 28, height: 28, channels: 1 }).input;
  const exact = mnistNormalize(full).values;
  let maxDiff = 0;
  for (let i = 0; i < 784; i++) maxDiff = Math.max(maxDiff, Math.abs(fast[i] - exact[i]));
  assert.ok(maxDiff < 0.15, `max difference ${maxDiff}`);
});
