import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { cnnOutputSpec, exportSequentialCnn } from '../../../src/train/onnx/cnnExport';
import { decodeModel } from '../../../src/train/onnx/graphBuilder';
import { mulberry32 } from '../../../src/common/random';

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function randomInput(rand: () => number, n: number, h: number, w: number, c: number): Float32Array {
  return Float32Array.from({ length: n * h * w * c }, () => rand());
}

async function runOrt(bytes: Uint8Array, feeds: Record<string, ort.Tensor>, output: string): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const result = await session.run(feeds);
    return result[output].data as Float32Array;
  } finally {
    await session.release();
  }
}

test('small CNN: ORT output of the export equals tfjs predict (NHWC input, Keras flatten order)', async () => {
  await tf.setBackend('cpu');
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [12, 10, 3], filters: 4, kernelSize: 3, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }), biasInitializer: tf.initializers.randomNormal({ seed: 2 }) }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 5, kernelSize: [3, 2], padding: 'same', activation: 'tanh', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }), biasInitializer: tf.initializers.randomNormal({ seed: 4 }) }),
      tf.layers.averagePooling2d({ poolSize: 2, padding: 'same' }),
      tf.layers.flatten(),
      tf.layers.dropout({ rate: 0.5 }),
      tf.layers.dense({ units: 7, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }), biasInitializer: tf.initializers.randomNormal({ seed: 6 }) }),
      tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 7 }) }),
    ],
  });
  const bytes = exportSequentialCnn(model);
  assert.deepEqual(cnnOutputSpec(model), { name: 'probabilities', activation: 'softmax' });
  const decoded = decodeModel(bytes);
  assert.equal(decoded.graph?.input?.[0].name, 'input');
  assert.equal(decoded.graph?.output?.[0].name, 'probabilities');

  const rand = mulberry32(42);
  const n = 6;
  const input = randomInput(rand, n, 12, 10, 3);
  const expected = (model.predict(tf.tensor4d(input, [n, 12, 10, 3])) as tf.Tensor).dataSync();
  const actual = await runOrt(bytes, { input: new ort.Tensor('float32', input, [n, 12, 10, 3]) }, 'probabilities');
  const diff = maxAbsDiff(actual, expected);
  assert.ok(diff < 1e-5, `max |ORT - tfjs| = ${diff}`);
  model.dispose();
});

test('the article CNN shape (93,322 params): logits variant matches tfjs and a batch-size-1 run', async () => {
  await tf.setBackend('cpu');
  const init = (seed: number) => ({ kernelInitializer: tf.initializers.heNormal({ seed }), biasInitializer: tf.initializers.randomUniform({ minval: -0.1, maxval: 0.1, seed: seed + 100 }) });
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu', ...init(1) }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu', ...init(2) }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu', ...init(3) }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 64, activation: 'relu', ...init(4) }),
      tf.layers.dense({ units: 10, ...init(5) }),
    ],
  });
  assert.equal(model.countParams(), 93322);
  const bytes = exportSequentialCnn(model);
  assert.deepEqual(cnnOutputSpec(model), { name: 'logits', activation: 'linear' });
  const rand = mulberry32(7);
  for (const n of [1, 5]) {
    const input = randomInput(rand, n, 28, 28, 1);
    const expected = (model.predict(tf.tensor4d(input, [n, 28, 28, 1])) as tf.Tensor).dataSync();
    const actual = await runOrt(bytes, { input: new ort.Tensor('float32', input, [n, 28, 28, 1]) }, 'logits');
    const diff = maxAbsDiff(actual, expected);
    assert.ok(diff < 1e-4, `batch ${n}: max |ORT - tfjs| = ${diff}`);
  }
  model.dispose();
});

test('unsupported layers are refused with a sentence naming the layer', async () => {
  await tf.setBackend('cpu');
  const model = tf.sequential({
    layers: [tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 2, kernelSize: 3, name: 'c1' }), tf.layers.batchNormalization({ name: 'bn1' }), tf.layers.flatten(), tf.layers.dense({ units: 2 })],
  });
  assert.throws(() => exportSequentialCnn(model), /Layer "bn1" is a BatchNormalization/);
  model.dispose();
});
