import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { exportBertClassifier, randomBertWeights, type BertClassifierConfig } from '../../../src/train/onnx/bertExport';
import { decodeModel } from '../../../src/train/onnx/graphBuilder';
import { int8OptionsForHiddenSize, quantizeColumns, quantizeDynamicInt8, quantizeDynamicInt8WithReport, quantizeRows } from '../../../src/train/onnx/quantize';
import { mulberry32 } from '../../../src/common/random';

const small: BertClassifierConfig = {
  vocabSize: 300,
  hiddenSize: 32,
  numHiddenLayers: 2,
  numAttentionHeads: 4,
  intermediateSize: 64,
  maxPositionEmbeddings: 64,
  typeVocabSize: 2,
  layerNormEps: 1e-12,
  numLabels: 2,
};

/** BERT-tiny as Google released it (uncased_L-2_H-128_A-2) with the bert-base-uncased vocabulary. */
const bertTiny: BertClassifierConfig = {
  vocabSize: 30522,
  hiddenSize: 128,
  numHiddenLayers: 2,
  numAttentionHeads: 2,
  intermediateSize: 512,
  maxPositionEmbeddings: 512,
  typeVocabSize: 2,
  layerNormEps: 1e-12,
  numLabels: 2,
};

function feeds(cfg: BertClassifierConfig, batch: number, seq: number, seed: number): Record<string, ort.Tensor> {
  const rand = mulberry32(seed);
  const ids = new BigInt64Array(batch * seq);
  const mask = new BigInt64Array(batch * seq);
  for (let b = 0; b < batch; b++) {
    const len = Math.max(2, Math.floor(seq * (0.4 + 0.6 * rand())));
    for (let s = 0; s < seq; s++) {
      ids[b * seq + s] = BigInt(s < len ? 1 + Math.floor(rand() * (cfg.vocabSize - 1)) : 0);
      mask[b * seq + s] = s < len ? 1n : 0n;
    }
  }
  return {
    input_ids: new ort.Tensor('int64', ids, [batch, seq]),
    attention_mask: new ort.Tensor('int64', mask, [batch, seq]),
    token_type_ids: new ort.Tensor('int64', new BigInt64Array(batch * seq), [batch, seq]),
  };
}

async function logits(bytes: Uint8Array, input: Record<string, ort.Tensor>): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    return (await session.run(input)).logits.data as Float32Array;
  } finally {
    await session.release();
  }
}

test('per-column and per-row symmetric quantization round-trips within half a step', () => {
  const rand = mulberry32(1);
  const data = Float32Array.from({ length: 6 * 5 }, () => rand() * 4 - 2);
  for (const [fn, perColumn] of [
    [quantizeColumns, true],
    [quantizeRows, false],
  ] as const) {
    const { q, scales } = fn(data, 6, 5, 127);
    for (let r = 0; r < 6; r++)
      for (let c = 0; c < 5; c++) {
        const s = scales[perColumn ? c : r];
        assert.ok(Math.abs(q[r * 5 + c] * s - data[r * 5 + c]) <= s / 2 + 1e-7);
      }
    assert.equal(Math.max(...Array.from(q, Math.abs)), 127);
  }
});

test('int8 BERT: graph uses MatMulInteger + quantized Gather, logits stay close to fp32 (measured tolerance)', async () => {
  const weights = randomBertWeights(small, 21);
  const fp32 = exportBertClassifier(small, weights);
  const { bytes: int8, report } = quantizeDynamicInt8WithReport(fp32, { minGatherElements: 1024 });
  // 6 MatMuls per layer (Q, K, V, attention output, intermediate, output) + pooler + classifier.
  assert.equal(report.quantizedMatMuls, 6 * small.numHiddenLayers + 2);
  assert.equal(report.quantizedGathers, 2, 'word and position embeddings');
  const ops = new Set(decodeModel(int8).graph?.node?.map((n) => n.opType));
  assert.ok(ops.has('MatMulInteger') && ops.has('DynamicQuantizeLinear'));
  assert.ok(!decodeModel(int8).graph?.initializer?.some((t) => t.name === 'bert.embeddings.word_embeddings.weight'), 'fp32 table removed');

  const input = feeds(small, 8, 24, 3);
  const a = await logits(fp32, input);
  const b = await logits(int8, input);
  let maxDiff = 0;
  let maxRef = 0;
  let agree = 0;
  for (let i = 0; i < a.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
    maxRef = Math.max(maxRef, Math.abs(a[i]));
  }
  for (let r = 0; r < a.length / 2; r++) if (a[2 * r] > a[2 * r + 1] === b[2 * r] > b[2 * r + 1]) agree++;
  // Measured here: max |int8 - fp32| between 0.018 (this batch) and 0.047 (32 × 48 tokens) on logits of
  // magnitude ≈ 1 with these deliberately harsh random weights (O(1) activations, 8-bit activations and weights
  // through 2 layers); a 30,522-vocab BERT-tiny: 0.030. Tolerance: 0.1 absolute, and the argmax must agree.
  assert.ok(maxDiff < 0.1, `max |int8 - fp32| = ${maxDiff} (max |fp32| = ${maxRef})`);
  assert.ok(agree >= a.length / 2 - 1, `argmax agreement ${agree}/${a.length / 2}`);
});

test('signed-weight variant with 7-bit weights (reduceRange) also runs close to fp32', async () => {
  const fp32 = exportBertClassifier(small, randomBertWeights(small, 21));
  const int8 = quantizeDynamicInt8(fp32, { matMulWeightType: 'int8', reduceRange: true });
  assert.ok(decodeModel(int8).graph?.initializer?.some((t) => t.dataType === 3), 'int8 initializers present');
  const input = feeds(small, 8, 24, 3);
  const a = await logits(fp32, input);
  const b = await logits(int8, input);
  const maxDiff = Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));
  // Measured ≈ 0.07 (half the resolution of 8-bit weights). Tolerance 0.15.
  assert.ok(maxDiff < 0.15, `max |int8 - fp32| = ${maxDiff}`);
});

test('int8 BERT-tiny with the 30,522-token vocabulary is ≤ 30 % of the fp32 file and runs', async () => {
  const weights = randomBertWeights(bertTiny, 5);
  const fp32 = exportBertClassifier(bertTiny, weights);
  const int8 = quantizeDynamicInt8(fp32);
  const ratio = int8.length / fp32.length;
  assert.ok(ratio <= 0.3, `int8 / fp32 = ${ratio.toFixed(3)} (${int8.length} / ${fp32.length} bytes)`);
  const out = await logits(int8, feeds(bertTiny, 2, 16, 9));
  assert.equal(out.length, 4);
  assert.ok(out.every(Number.isFinite));
});

test('quantizing refuses a non-ONNX buffer with a clear error', () => {
  assert.throws(() => quantizeDynamicInt8(new Uint8Array([1, 2, 3, 4, 5])));
});

test('BERT-sized models get signed 7-bit weights (the faster u8×s8 kernel), small ones the uint8 default', () => {
  assert.deepEqual(int8OptionsForHiddenSize(768), { matMulWeightType: 'int8', reduceRange: true });
  assert.deepEqual(int8OptionsForHiddenSize(256), { matMulWeightType: 'int8', reduceRange: true });
  assert.deepEqual(int8OptionsForHiddenSize(32), {});
});
