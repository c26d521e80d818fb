// The tfjs TfjsBertClassifier: ORT parity of the exported ONNX (fp32 within 1e-4, int8 loosely) on a small randomly
// initialised model, the wasm UnsortedSegmentSum kernel against the cpu backend, and a training loop that learns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import type * as tfTypes from '@tensorflow/tfjs';
import { loadTfjs } from '../../../src/common/tfjsBackend';
import { exportBertClassifier, type BertClassifierConfig } from '../../../src/train/onnx/bertExport';
import { quantizeDynamicInt8 } from '../../../src/train/onnx/quantize';
import { mulberry32 } from '../../../src/train/onnx/random';
import { registerSegmentSumKernel, TfjsBertClassifier } from '../../../src/train/text/tfjsBertClassifier';

const CONFIG: BertClassifierConfig = {
  vocabSize: 60,
  hiddenSize: 16,
  numHiddenLayers: 2,
  numAttentionHeads: 2,
  intermediateSize: 32,
  maxPositionEmbeddings: 24,
  typeVocabSize: 2,
  layerNormEps: 1e-12,
  numLabels: 2,
};

function randomInputs(batch: number, seq: number, seed: number) {
  const rnd = mulberry32(seed);
  const ids = new Int32Array(batch * seq);
  const mask = new Int32Array(batch * seq);
  const types = new Int32Array(batch * seq);
  for (let b = 0; b < batch; b++) {
    const len = 2 + Math.floor(rnd() * (seq - 1)); // some rows padded
    for (let s = 0; s < seq; s++) {
      const real = s < len;
      ids[b * seq + s] = real ? 1 + Math.floor(rnd() * (CONFIG.vocabSize - 1)) : 0;
      mask[b * seq + s] = real ? 1 : 0;
      types[b * seq + s] = real && s > len / 2 ? 1 : 0;
    }
  }
  return { ids, mask, types };
}

const i64 = (a: Int32Array) => BigInt64Array.from(a, (v) => BigInt(v));

test('ORT runs the exported TfjsBertClassifier with the tfjs forward logits (fp32 within 1e-4; int8 close)', async () => {
  const { tf } = await loadTfjs('wasm');
  // Larger init than BERT's 0.02 so the logits vary and the comparison is not trivially near zero.
  const model = new TfjsBertClassifier(tf, CONFIG, { seed: 7, initStd: 0.3 });
  const batch = 5;
  const seq = 17;
  const { ids, mask, types } = randomInputs(batch, seq, 11);
  const logits = tf.tidy(() => model.forward(tf.tensor2d(ids, [batch, seq], 'int32'), tf.tensor2d(mask, [batch, seq], 'int32'), tf.tensor2d(types, [batch, seq], 'int32')));
  const tfjsLogits = logits.dataSync() as Float32Array;
  logits.dispose();
  const spread = Math.max(...tfjsLogits) - Math.min(...tfjsLogits);
  assert.ok(spread > 0.1, `logits should vary (spread ${spread})`);

  const bytes = exportBertClassifier(CONFIG, model.namedWeights());
  const feeds = {
    input_ids: new ort.Tensor('int64', i64(ids), [batch, seq]),
    attention_mask: new ort.Tensor('int64', i64(mask), [batch, seq]),
    token_type_ids: new ort.Tensor('int64', i64(types), [batch, seq]),
  };
  const session = await ort.InferenceSession.create(bytes);
  const ortLogits = (await session.run(feeds)).logits.data as Float32Array;
  let maxDiff = 0;
  for (let i = 0; i < tfjsLogits.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ortLogits[i] - tfjsLogits[i]));
  assert.ok(maxDiff < 1e-4, `fp32 max |ORT − tfjs| = ${maxDiff}`);

  const int8 = await ort.InferenceSession.create(quantizeDynamicInt8(bytes));
  const int8Logits = (await int8.run(feeds)).logits.data as Float32Array;
  let maxInt8 = 0;
  for (let i = 0; i < tfjsLogits.length; i++) maxInt8 = Math.max(maxInt8, Math.abs(int8Logits[i] - tfjsLogits[i]));
  // Stated tolerance for dynamic int8 on this tiny random model: 10 % of the logit spread.
  assert.ok(maxInt8 < 0.1 * spread + 0.02, `int8 max |ORT − tfjs| = ${maxInt8} (spread ${spread})`);

  // Without token_type_ids the forward uses type 0 everywhere, as HF BERT does.
  const zeroTypes = tf.tidy(() => {
    const a = model.forward(tf.tensor2d(ids, [batch, seq], 'int32'), tf.tensor2d(mask, [batch, seq], 'int32'));
    const b = model.forward(tf.tensor2d(ids, [batch, seq], 'int32'), tf.tensor2d(mask, [batch, seq], 'int32'), tf.zeros([batch, seq], 'int32') as tfTypes.Tensor2D);
    return tf.max(tf.abs(tf.sub(a, b)));
  });
  assert.ok(zeroTypes.dataSync()[0] < 1e-6);
  zeroTypes.dispose();

  // namedWeights → loadNamedWeights round trip into a differently initialised model.
  const other = new TfjsBertClassifier(tf, CONFIG, { seed: 99, initStd: 0.3 });
  other.loadNamedWeights(model.namedWeights());
  const again = tf.tidy(() => other.forward(tf.tensor2d(ids, [batch, seq], 'int32'), tf.tensor2d(mask, [batch, seq], 'int32'), tf.tensor2d(types, [batch, seq], 'int32')));
  assert.deepEqual(Array.from(again.dataSync()), Array.from(tfjsLogits));
  again.dispose();
  model.dispose();
  other.dispose();
});

test('wasm UnsortedSegmentSum (gather gradient) matches the cpu backend', async () => {
  const grad = async (backend: 'cpu' | 'wasm') => {
    const { tf } = await loadTfjs(backend);
    if (backend === 'wasm') registerSegmentSumKernel(tf);
    const table = tf.tensor2d(Array.from({ length: 40 }, (_, i) => Math.sin(i)), [10, 4]);
    const ids = tf.tensor2d([[1, 3, 3], [9, 1, 0]], [2, 3], 'int32');
    const weights = tf.tensor3d(Array.from({ length: 24 }, (_, i) => (i % 5) - 2), [2, 3, 4]);
    const g = tf.grad((t: tfTypes.Tensor) => tf.sum(tf.mul(tf.gather(t, ids.reshape([6])).reshape([2, 3, 4]), weights)))(table);
    return Array.from(g.dataSync());
  };
  const cpu = await grad('cpu');
  const wasm = await grad('wasm');
  assert.equal(cpu.length, 40);
  cpu.forEach((v, i) => assert.ok(Math.abs(v - wasm[i]) < 1e-6, `element ${i}: cpu ${v} wasm ${wasm[i]}`));
  assert.ok(cpu.some((v) => v !== 0));
});

test('the PyTorch-style loop (forward → cross-entropy → grads → Adam) learns a toy task on wasm', async () => {
  const { tf } = await loadTfjs('wasm');
  registerSegmentSumKernel(tf);
  const model = new TfjsBertClassifier(tf, CONFIG, { seed: 3 });
  const optimizer = tf.train.adam(3e-3);
  const batch = 16;
  const seq = 8;
  // Label = whether token 7 appears; a bag-of-words signal the word embeddings must learn.
  const rnd = mulberry32(5);
  const make = () => {
    const ids = new Int32Array(batch * seq);
    const labels: number[] = [];
    for (let b = 0; b < batch; b++) {
      const spam = b % 2;
      labels.push(spam);
      for (let s = 0; s < seq; s++) ids[b * seq + s] = s === 0 ? 2 : 8 + Math.floor(rnd() * 50);
      if (spam) ids[b * seq + 1 + Math.floor(rnd() * (seq - 1))] = 7;
    }
    return { ids, labels };
  };
  const losses: number[] = [];
  for (let step = 0; step < 60; step++) {
    const { ids, labels } = make();
    const loss = optimizer.minimize(
      () => {
        const logits = model.forward(tf.tensor2d(ids, [batch, seq], 'int32'), tf.ones([batch, seq], 'int32') as tfTypes.Tensor2D);
        return tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(labels, 'int32'), 2), logits) as tfTypes.Scalar;
      },
      true,
      model.variables(),
    );
    losses.push(loss!.dataSync()[0]);
    loss!.dispose();
  }
  const first = losses.slice(0, 5).reduce((a, b) => a + b) / 5;
  const last = losses.slice(-5).reduce((a, b) => a + b) / 5;
  assert.ok(last < first * 0.5, `loss should fall: first ${first.toFixed(3)}, last ${last.toFixed(3)}`);
  model.dispose();
});
