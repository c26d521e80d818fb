import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import {
  ATTENTION_MASK_BIAS,
  bertConfigJson,
  bertWeightShapes,
  exportBertClassifier,
  randomBertWeights,
  readBertClassifierWeights,
  type BertClassifierConfig,
  type NamedWeights,
} from '../../../src/train/onnx/bertExport';
import { decodeModel } from '../../../src/train/onnx/graphBuilder';
import { mulberry32 } from '../../../src/common/random';

const tiny: BertClassifierConfig = {
  vocabSize: 50,
  hiddenSize: 16,
  numHiddenLayers: 2,
  numAttentionHeads: 2,
  intermediateSize: 32,
  maxPositionEmbeddings: 24,
  typeVocabSize: 2,
  layerNormEps: 1e-12,
  numLabels: 3,
};

// ---- An independent reference forward: plain loops over Float32Array weights, float64 arithmetic. ----

/**
 * erf: Taylor series for |x| < 3 (terms stay below 1e3, so double precision keeps ~1e-13), and the asymptotic
 * erfc expansion beyond (truncation error < 1e-7 absolute at |x| = 3, smaller further out).
 */
function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax >= 3) {
    const inv = 1 / (2 * ax * ax);
    const erfc = (Math.exp(-ax * ax) / (ax * Math.sqrt(Math.PI))) * (1 - inv + 3 * inv * inv - 15 * inv ** 3);
    return Math.sign(x) * (1 - erfc);
  }
  let sum = 0;
  let term = ax;
  for (let n = 0; n < 200; n++) {
    const add = term / (2 * n + 1);
    sum += add;
    if (Math.abs(add) < 1e-17) break;
    term *= (-ax * ax) / (n + 1);
  }
  return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
}

function w(weights: NamedWeights, name: string): Float32Array {
  const entry = weights.get(name);
  assert.ok(entry, `missing ${name}`);
  return entry.data;
}

/** PyTorch Linear: y[o] = b[o] + Σ_i W[o, i] x[i]. */
function linearRef(weights: NamedWeights, prefix: string, x: number[], outF: number): number[] {
  const W = w(weights, `${prefix}.weight`);
  const b = w(weights, `${prefix}.bias`);
  const inF = x.length;
  const y: number[] = [];
  for (let o = 0; o < outF; o++) {
    let s = b[o];
    for (let i = 0; i < inF; i++) s += W[o * inF + i] * x[i];
    y.push(s);
  }
  return y;
}

function layerNormRef(weights: NamedWeights, prefix: string, x: number[], eps: number): number[] {
  const gamma = w(weights, `${prefix}.weight`);
  const beta = w(weights, `${prefix}.bias`);
  const mean = x.reduce((a, b) => a + b, 0) / x.length;
  const variance = x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length;
  return x.map((v, i) => ((v - mean) / Math.sqrt(variance + eps)) * gamma[i] + beta[i]);
}

function referenceLogits(cfg: BertClassifierConfig, weights: NamedWeights, ids: number[], mask: number[], types: number[]): number[] {
  const H = cfg.hiddenSize;
  const S = ids.length;
  const nh = cfg.numAttentionHeads;
  const dh = H / nh;
  const word = w(weights, 'bert.embeddings.word_embeddings.weight');
  const pos = w(weights, 'bert.embeddings.position_embeddings.weight');
  const typ = w(weights, 'bert.embeddings.token_type_embeddings.weight');
  let x: number[][] = [];
  for (let s = 0; s < S; s++) {
    const row: number[] = [];
    for (let h = 0; h < H; h++) row.push(word[ids[s] * H + h] + typ[types[s] * H + h] + pos[s * H + h]);
    x.push(layerNormRef(weights, 'bert.embeddings.LayerNorm', row, cfg.layerNormEps));
  }
  for (let l = 0; l < cfg.numHiddenLayers; l++) {
    const p = `bert.encoder.layer.${l}`;
    const q = x.map((r) => linearRef(weights, `${p}.attention.self.query`, r, H));
    const k = x.map((r) => linearRef(weights, `${p}.attention.self.key`, r, H));
    const v = x.map((r) => linearRef(weights, `${p}.attention.self.value`, r, H));
    const ctx: number[][] = Array.from({ length: S }, () => new Array<number>(H).fill(0));
    for (let head = 0; head < nh; head++) {
      for (let s = 0; s < S; s++) {
        const scores: number[] = [];
        for (let t = 0; t < S; t++) {
          let dot = 0;
          for (let d = 0; d < dh; d++) dot += q[s][head * dh + d] * k[t][head * dh + d];
          scores.push(dot / Math.sqrt(dh) + (1 - mask[t]) * ATTENTION_MASK_BIAS);
        }
        const max = Math.max(...scores);
        const exps = scores.map((z) => Math.exp(z - max));
        const total = exps.reduce((a, b) => a + b, 0);
        for (let t = 0; t < S; t++) for (let d = 0; d < dh; d++) ctx[s][head * dh + d] += (exps[t] / total) * v[t][head * dh + d];
      }
    }
    const attn = ctx.map((r, s) => {
      const o = linearRef(weights, `${p}.attention.output.dense`, r, H);
      return layerNormRef(weights, `${p}.attention.output.LayerNorm`, o.map((val, h) => val + x[s][h]), cfg.layerNormEps);
    });
    x = attn.map((r) => {
      const inter = linearRef(weights, `${p}.intermediate.dense`, r, cfg.intermediateSize).map((z) => 0.5 * z * (1 + erf(z / Math.SQRT2)));
      const o = linearRef(weights, `${p}.output.dense`, inter, H);
      return layerNormRef(weights, `${p}.output.LayerNorm`, o.map((val, h) => val + r[h]), cfg.layerNormEps);
    });
  }
  const pooled = linearRef(weights, 'bert.pooler.dense', x[0], H).map(Math.tanh);
  return linearRef(weights, 'classifier', pooled, cfg.numLabels);
}

// ---- Helpers ----

interface Batch {
  ids: number[][];
  mask: number[][];
  types: number[][];
}

/** Random token ids; row b has `lengths[b]` real tokens then padding (id 0, mask 0). */
function makeBatch(cfg: BertClassifierConfig, lengths: number[], seqLen: number, seed: number): Batch {
  const rand = mulberry32(seed);
  const ids: number[][] = [];
  const mask: number[][] = [];
  const types: number[][] = [];
  for (const len of lengths) {
    ids.push(Array.from({ length: seqLen }, (_, s) => (s < len ? 1 + Math.floor(rand() * (cfg.vocabSize - 1)) : 0)));
    mask.push(Array.from({ length: seqLen }, (_, s) => (s < len ? 1 : 0)));
    types.push(Array.from({ length: seqLen }, (_, s) => (s >= len / 2 && s < len ? 1 : 0)));
  }
  return { ids, mask, types };
}

function int64Tensor(rows: number[][]): ort.Tensor {
  return new ort.Tensor('int64', BigInt64Array.from(rows.flat().map(BigInt)), [rows.length, rows[0].length]);
}

async function runLogits(bytes: Uint8Array, feeds: Record<string, ort.Tensor>): Promise<ort.Tensor> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    return (await session.run(feeds)).logits;
  } finally {
    await session.release();
  }
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

// ---- Tests ----

test('tiny BERT export: ORT logits equal an independent loop-based forward (with padding) within 1e-4', async () => {
  const weights = randomBertWeights(tiny, 1234);
  const bytes = exportBertClassifier(tiny, weights);
  const model = decodeModel(bytes);
  assert.deepEqual(model.graph?.input?.map((i) => i.name), ['input_ids', 'attention_mask', 'token_type_ids']);
  assert.deepEqual(model.graph?.input?.[0].type?.tensorType?.shape?.dim?.map((d) => d.dimParam), ['batch_size', 'sequence_length']);
  assert.deepEqual(model.graph?.output?.map((o) => o.name), ['logits']);

  for (const [seqLen, lengths] of [
    [11, [11, 7, 3]],
    [5, [5]],
  ] as const) {
    const batch = makeBatch(tiny, [...lengths], seqLen, seqLen);
    const logits = await runLogits(bytes, { input_ids: int64Tensor(batch.ids), attention_mask: int64Tensor(batch.mask), token_type_ids: int64Tensor(batch.types) });
    assert.deepEqual(logits.dims, [lengths.length, tiny.numLabels]);
    const expected = batch.ids.flatMap((ids, b) => referenceLogits(tiny, weights, ids, batch.mask[b], batch.types[b]));
    const diff = maxAbsDiff(logits.data as Float32Array, expected);
    assert.ok(diff < 1e-4, `seq ${seqLen}: max |ORT - reference| = ${diff}`);
    // Sanity: the logits are not degenerate (the test would not notice wrong wiring if they were ~0).
    assert.ok(Math.max(...expected.map(Math.abs)) > 0.1);
  }
});

test('padding does not change the logits of the real tokens (mask really applies)', async () => {
  const weights = randomBertWeights(tiny, 99);
  const bytes = exportBertClassifier(tiny, weights);
  const short = makeBatch(tiny, [6], 6, 5);
  const padded: Batch = {
    ids: [[...short.ids[0], 3, 4, 5]],
    mask: [[...short.mask[0], 0, 0, 0]],
    types: [[...short.types[0], 0, 0, 0]],
  };
  const run = (b: Batch) => runLogits(bytes, { input_ids: int64Tensor(b.ids), attention_mask: int64Tensor(b.mask), token_type_ids: int64Tensor(b.types) });
  const a = (await run(short)).data as Float32Array;
  const b = (await run(padded)).data as Float32Array;
  assert.ok(maxAbsDiff(a, b) < 1e-5);
});

test('DistilBERT-shaped variant (no token_type_ids input) loads, runs and equals token type 0', async () => {
  const weights = randomBertWeights(tiny, 7);
  const bytes = exportBertClassifier(tiny, weights, { tokenTypeIds: false });
  const model = decodeModel(bytes);
  assert.deepEqual(model.graph?.input?.map((i) => i.name), ['input_ids', 'attention_mask']);
  const batch = makeBatch(tiny, [9, 4], 9, 3);
  const logits = await runLogits(bytes, { input_ids: int64Tensor(batch.ids), attention_mask: int64Tensor(batch.mask) });
  const expected = batch.ids.flatMap((ids, b) => referenceLogits(tiny, weights, ids, batch.mask[b], ids.map(() => 0)));
  const diff = maxAbsDiff(logits.data as Float32Array, expected);
  assert.ok(diff < 1e-4, `max |ORT - reference| = ${diff}`);
});

test('missing or misshapen weights are refused with the weight name', () => {
  const weights = randomBertWeights(tiny, 1);
  weights.delete('bert.pooler.dense.bias');
  assert.throws(() => exportBertClassifier(tiny, weights), /"bert\.pooler\.dense\.bias" is missing/);
  const wrong = randomBertWeights(tiny, 1);
  wrong.set('classifier.weight', { shape: [16, 3], data: new Float32Array(48) });
  assert.throws(() => exportBertClassifier(tiny, wrong), /"classifier\.weight" has shape \[16, 3\], expected \[3, 16\]/);
  assert.throws(() => exportBertClassifier({ ...tiny, numAttentionHeads: 3 }, weights), /not divisible/);
});

test('randomBertWeights is reproducible by seed', () => {
  const a = randomBertWeights(tiny, 5).get('bert.encoder.layer.1.output.dense.weight');
  const b = randomBertWeights(tiny, 5).get('bert.encoder.layer.1.output.dense.weight');
  const c = randomBertWeights(tiny, 6).get('bert.encoder.layer.1.output.dense.weight');
  assert.deepEqual(a?.data, b?.data);
  assert.notDeepEqual(a?.data, c?.data);
});

test('the exporter\'s weight names round-trip: readBertClassifierWeights(exportBertClassifier(w)) gives back w exactly', () => {
  const weights = randomBertWeights(tiny, 11);
  const back = readBertClassifierWeights(exportBertClassifier(tiny, weights), tiny);
  assert.deepEqual([...back.keys()].sort(), [...bertWeightShapes(tiny).keys()].sort());
  for (const [name, { shape, data }] of weights) {
    const got = back.get(name);
    assert.ok(got, name);
    assert.deepEqual(got.shape, shape, name);
    assert.deepEqual(Array.from(got.data), Array.from(data), name);
  }
  // Without token_type_ids only row 0 of the token-type table is stored; the other rows come back as zeros.
  const noTypes = readBertClassifierWeights(exportBertClassifier(tiny, weights, { tokenTypeIds: false }), tiny);
  const table = noTypes.get('bert.embeddings.token_type_embeddings.weight');
  const H = tiny.hiddenSize;
  assert.deepEqual(Array.from(table?.data.subarray(0, H) ?? []), Array.from(weights.get('bert.embeddings.token_type_embeddings.weight')?.data.subarray(0, H) ?? []));
  assert.ok(table?.data.subarray(H).every((v) => v === 0));
  // A graph from another exporter is refused by name.
  assert.throws(() => readBertClassifierWeights(exportBertClassifier({ ...tiny, numHiddenLayers: 1 }, randomBertWeights({ ...tiny, numHiddenLayers: 1 }, 1)), tiny), /lacks \d+ BERT weights .*bert\.encoder\.layer\.1/);
});

test('bertConfigJson: the Hugging Face fields of the config, extras merged', () => {
  const c = bertConfigJson(tiny, { id2label: { 0: 'a' } });
  assert.equal(c.model_type, 'bert');
  assert.deepEqual(c.architectures, ['BertForSequenceClassification']);
  assert.equal(c.hidden_size, 16);
  assert.equal(c.num_attention_heads, 2);
  assert.equal(c.max_position_embeddings, 24);
  assert.equal(c.num_labels, 3);
  assert.deepEqual(c.id2label, { 0: 'a' });
});
