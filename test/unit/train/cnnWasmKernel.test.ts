import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadTfjs } from '../../../src/common/tfjsBackend';
import { registerWasmTrainingKernels } from '../../../src/train/wasmTrainingKernels';
import { mulberry32 } from '../../../src/train/onnx/random';

type Tf = import('../../../src/common/tfjsBackend').Tfjs;

/** [d/dx, d/dW] of Σ conv2d(x, W) ⊙ r on the given backend. */
async function convGradients(tf: Tf, backend: string, x: Float32Array, xShape: [number, number, number, number], w: Float32Array, wShape: [number, number, number, number], r: Float32Array, pad: 'valid' | 'same'): Promise<Float32Array[]> {
  assert.ok(await tf.setBackend(backend));
  return tf.tidy(() => {
    const xt = tf.tensor4d(x, xShape);
    const wt = tf.tensor4d(w, wShape);
    const grads = tf.grads((input, filter) => {
      const y = tf.conv2d(input as import('@tensorflow/tfjs').Tensor4D, filter as import('@tensorflow/tfjs').Tensor4D, 1, pad);
      return tf.sum(tf.mul(y, tf.tensor(r, y.shape)));
    });
    return grads([xt, wt]).map((g) => g.dataSync() as Float32Array);
  });
}

function relativeDifference(actual: Float32Array, expected: Float32Array): number {
  let maxDiff = 0;
  let maxRef = 0;
  for (let i = 0; i < expected.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[i]));
    maxRef = Math.max(maxRef, Math.abs(expected[i]));
  }
  assert.ok(maxRef > 0.1, 'non-trivial gradient');
  return maxDiff / maxRef;
}

test('wasm Conv2DBackpropFilter / Conv2DBackpropInput match the cpu backend to 1e-5 relative on random stride-1 convs', async () => {
  const { tf, backend } = await loadTfjs('wasm');
  assert.equal(backend, 'wasm');
  registerWasmTrainingKernels(tf);
  assert.deepEqual(registerWasmTrainingKernels(tf), [], 'second registration is a no-op');
  assert.ok(tf.getKernel('Conv2DBackpropFilter', 'wasm'));
  const rand = mulberry32(3);
  const cases: { x: [number, number, number, number]; k: [number, number]; cout: number; pad: 'valid' | 'same' }[] = [
    { x: [2, 28, 28, 1], k: [3, 3], cout: 8, pad: 'valid' },
    { x: [3, 13, 11, 5], k: [3, 3], cout: 6, pad: 'valid' },
    { x: [2, 9, 10, 3], k: [2, 4], cout: 4, pad: 'valid' },
    { x: [2, 8, 7, 3], k: [3, 2], cout: 5, pad: 'same' },
  ];
  for (const c of cases) {
    const [n, h, wd, cin] = c.x;
    const wShape: [number, number, number, number] = [c.k[0], c.k[1], cin, c.cout];
    const outH = c.pad === 'same' ? h : h - c.k[0] + 1;
    const outW = c.pad === 'same' ? wd : wd - c.k[1] + 1;
    const x = Float32Array.from({ length: n * h * wd * cin }, () => rand() * 2 - 1);
    const w = Float32Array.from({ length: wShape.reduce((a, b) => a * b) }, () => rand() * 2 - 1);
    const r = Float32Array.from({ length: n * outH * outW * c.cout }, () => rand() * 2 - 1);
    const [dxWasm, dwWasm] = await convGradients(tf, 'wasm', x, c.x, w, wShape, r, c.pad);
    const [dxCpu, dwCpu] = await convGradients(tf, 'cpu', x, c.x, w, wShape, r, c.pad);
    const filterRel = relativeDifference(dwWasm, dwCpu);
    const inputRel = relativeDifference(dxWasm, dxCpu);
    assert.ok(filterRel < 1e-5, `${JSON.stringify(c)}: filter gradient relative difference ${filterRel}`);
    assert.ok(inputRel < 1e-5, `${JSON.stringify(c)}: input gradient relative difference ${inputRel}`);
  }
  // No buffers leak from the composed kernel: the wasm backend holds the same number of data ids afterwards.
  await tf.setBackend('wasm');
  const x = tf.randomNormal([2, 6, 6, 2], 0, 1, 'float32', 1);
  const dy = tf.randomNormal([2, 4, 4, 3], 0, 1, 'float32', 2);
  const before = tf.backend().numDataIds();
  const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'valid', dataFormat: 'NHWC', filterShape: [3, 3, 2, 3] }) as import('@tensorflow/tfjs').Tensor;
  assert.deepEqual(dw.shape, [3, 3, 2, 3]);
  assert.equal(tf.backend().numDataIds(), before + 1);
  tf.dispose([x, dy, dw]);
});

test('stride 2: the filter gradient is refused with a clear error, the input gradient falls back to the original kernel', async () => {
  const { tf } = await loadTfjs('wasm');
  registerWasmTrainingKernels(tf);
  const x = tf.ones([1, 6, 6, 1]) as import('@tensorflow/tfjs').Tensor4D;
  const w = tf.ones([3, 3, 1, 2]) as import('@tensorflow/tfjs').Tensor4D;
  const grad = tf.grad((f) => tf.sum(tf.conv2d(x, f as import('@tensorflow/tfjs').Tensor4D, 2, 'valid')));
  assert.throws(() => grad(w), /only stride 1 is supported/);
  const dxWasm = tf.grad((input) => tf.sum(tf.conv2d(input as import('@tensorflow/tfjs').Tensor4D, w, 2, 'valid')))(x).dataSync();
  await tf.setBackend('cpu');
  const dxCpu = tf.grad((input) => tf.sum(tf.conv2d(input as import('@tensorflow/tfjs').Tensor4D, w, 2, 'valid')))(x).dataSync();
  assert.deepEqual(Array.from(dxWasm), Array.from(dxCpu));
  await tf.setBackend('wasm');
  tf.dispose([x, w]);
});
