/**
 * Exports a BERT sequence classifier (Hugging Face `BertForSequenceClassification` semantics) to ONNX in the
 * layout Hugging Face Optimum produces: inputs `input_ids`, `attention_mask`, `token_type_ids` (int64,
 * `[batch_size, sequence_length]`), output `logits` (float32, `[batch_size, num_labels]`).
 *
 * Semantics, exactly as HF BERT:
 * - position ids are 0..sequence_length-1; embeddings = word + token_type + position, then LayerNorm(eps);
 * - self-attention adds the mask bias `(1 - attention_mask) * -10000` (the constant {@link ATTENTION_MASK_BIAS})
 *   to the scaled scores `QKᵀ / sqrt(head_size)` before the softmax — a tfjs forward must use the same constant;
 * - GELU is the exact erf form `0.5 · x · (1 + erf(x / √2))`;
 * - pooled = tanh(dense(hidden[:, 0])), logits = classifier(pooled).
 *
 * Graph shape, chosen so onnxruntime's optimizer recognises it (these are the patterns `torch.onnx` writes for
 * BERT at opset 17): `LayerNormalization` ops, MatMul with pre-transposed `[in, out]` weights followed by a bias
 * Add, the Div(√2)→Erf→Add(1)→Mul→Mul(0.5) GELU chain, Reshape/Transpose per attention head.
 */
import { decodeModel, int64ToNumber, OnnxGraphBuilder, tensorProtoToFloat32 } from './graphBuilder';
import { gaussian, mulberry32 } from '../../common/random';

export interface BertClassifierConfig {
  vocabSize: number;
  hiddenSize: number;
  numHiddenLayers: number;
  numAttentionHeads: number;
  intermediateSize: number;
  maxPositionEmbeddings: number;
  typeVocabSize: number;
  layerNormEps: number;
  numLabels: number;
}

/**
 * Weights by Hugging Face `BertForSequenceClassification` state-dict name, PyTorch layout (a Linear weight is
 * `[out, in]`). Extra entries (e.g. `bert.embeddings.position_ids`) are ignored.
 */
export type NamedWeights = Map<string, { shape: number[]; data: Float32Array }>;

export interface BertExportOptions {
  /** Default true. False writes DistilBERT-shaped inputs (`input_ids`, `attention_mask` only; token type 0 is added). */
  tokenTypeIds?: boolean;
  /** `metadata_props` written into the model. */
  metadata?: Record<string, string>;
}

/** Added to attention scores at positions where `attention_mask` is 0 (HF BERT's extended attention mask). */
export const ATTENTION_MASK_BIAS = -10000;

/** Every weight the exporter reads, with its expected PyTorch-layout shape. */
export function bertWeightShapes(config: BertClassifierConfig): Map<string, number[]> {
  const { vocabSize: V, hiddenSize: H, intermediateSize: I, maxPositionEmbeddings: P, typeVocabSize: T, numLabels: L } = config;
  const shapes = new Map<string, number[]>([
    ['bert.embeddings.word_embeddings.weight', [V, H]],
    ['bert.embeddings.position_embeddings.weight', [P, H]],
    ['bert.embeddings.token_type_embeddings.weight', [T, H]],
    ['bert.embeddings.LayerNorm.weight', [H]],
    ['bert.embeddings.LayerNorm.bias', [H]],
  ]);
  for (let i = 0; i < config.numHiddenLayers; i++) {
    const p = `bert.encoder.layer.${i}`;
    for (const proj of ['query', 'key', 'value']) {
      shapes.set(`${p}.attention.self.${proj}.weight`, [H, H]);
      shapes.set(`${p}.attention.self.${proj}.bias`, [H]);
    }
    shapes.set(`${p}.attention.output.dense.weight`, [H, H]);
    shapes.set(`${p}.attention.output.dense.bias`, [H]);
    shapes.set(`${p}.attention.output.LayerNorm.weight`, [H]);
    shapes.set(`${p}.attention.output.LayerNorm.bias`, [H]);
    shapes.set(`${p}.intermediate.dense.weight`, [I, H]);
    shapes.set(`${p}.intermediate.dense.bias`, [I]);
    shapes.set(`${p}.output.dense.weight`, [H, I]);
    shapes.set(`${p}.output.dense.bias`, [H]);
    shapes.set(`${p}.output.LayerNorm.weight`, [H]);
    shapes.set(`${p}.output.LayerNorm.bias`, [H]);
  }
  shapes.set('bert.pooler.dense.weight', [H, H]);
  shapes.set('bert.pooler.dense.bias', [H]);
  shapes.set('classifier.weight', [L, H]);
  shapes.set('classifier.bias', [L]);
  return shapes;
}

function validateConfig(config: BertClassifierConfig): void {
  for (const [key, value] of Object.entries(config)) {
    if (key === 'layerNormEps') {
      if (!(value > 0)) throw new Error(`BERT config: layerNormEps must be positive, got ${value}.`);
    } else if (!Number.isInteger(value) || value <= 0) {
      throw new Error(`BERT config: ${key} must be a positive integer, got ${value}.`);
    }
  }
  if (config.hiddenSize % config.numAttentionHeads !== 0) {
    throw new Error(`BERT config: hiddenSize ${config.hiddenSize} is not divisible by numAttentionHeads ${config.numAttentionHeads}.`);
  }
}

/** `[out, in]` (PyTorch Linear) → `[in, out]` (ONNX MatMul right operand). */
function transposeMatrix(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) out[c * rows + r] = data[base + c];
  }
  return out;
}

/**
 * Builds the ONNX bytes. Throws a sentence naming the weight when one is missing or has the wrong shape.
 */
export function exportBertClassifier(config: BertClassifierConfig, weights: NamedWeights, opts: BertExportOptions = {}): Uint8Array {
  validateConfig(config);
  const shapes = bertWeightShapes(config);
  const weight = (name: string): Float32Array => {
    const expected = shapes.get(name);
    const entry = weights.get(name);
    if (!expected) throw new Error(`Internal: no expected shape for ${name}.`);
    if (!entry) throw new Error(`BERT weights: "${name}" is missing (expected shape [${expected.join(', ')}]).`);
    if (entry.shape.length !== expected.length || entry.shape.some((d, i) => d !== expected[i])) {
      throw new Error(`BERT weights: "${name}" has shape [${entry.shape.join(', ')}], expected [${expected.join(', ')}].`);
    }
    if (entry.data.length !== expected.reduce((a, b) => a * b, 1)) {
      throw new Error(`BERT weights: "${name}" holds ${entry.data.length} values, which does not match its shape [${entry.shape.join(', ')}].`);
    }
    return entry.data;
  };

  const H = config.hiddenSize;
  const heads = config.numAttentionHeads;
  const headSize = H / heads;
  const withTokenTypes = opts.tokenTypeIds ?? true;
  const g = new OnnxGraphBuilder({ graphName: 'bert_for_sequence_classification', opset: 17, metadata: opts.metadata });

  const dyn = ['batch_size', 'sequence_length'];
  g.addInput('input_ids', 'int64', dyn);
  g.addInput('attention_mask', 'int64', dyn);
  if (withTokenTypes) g.addInput('token_type_ids', 'int64', dyn);

  const scalarF = (hint: string, v: number) => g.addConstant(hint, Float32Array.of(v), []);
  const vecI64 = (hint: string, values: number[]) => g.addConstant(hint, BigInt64Array.from(values.map(BigInt)), [values.length]);
  const scalarI64 = (hint: string, v: number) => g.addConstant(hint, BigInt64Array.of(BigInt(v)), []);

  /** `x @ Wᵀ + b` with the PyTorch weight pre-transposed into an `[in, out]` initializer. */
  const linear = (x: string, prefix: string, inFeatures: number, outFeatures: number): string => {
    const w = g.addInitializer(`${prefix}.weight_t`, transposeMatrix(weight(`${prefix}.weight`), outFeatures, inFeatures), [inFeatures, outFeatures]);
    const b = g.addInitializer(`${prefix}.bias`, weight(`${prefix}.bias`), [outFeatures]);
    const mm = g.op('MatMul', [x, w], {}, `${prefix}.matmul`);
    return g.op('Add', [b, mm], {}, `${prefix}.out`);
  };
  const layerNorm = (x: string, prefix: string): string => {
    const gamma = g.addInitializer(`${prefix}.weight`, weight(`${prefix}.weight`), [H]);
    const beta = g.addInitializer(`${prefix}.bias`, weight(`${prefix}.bias`), [H]);
    return g.op('LayerNormalization', [x, gamma, beta], { axis: -1, epsilon: { float: config.layerNormEps } }, `${prefix}.out`);
  };

  // Embeddings.
  const e = 'bert.embeddings';
  const wordTable = g.addInitializer(`${e}.word_embeddings.weight`, weight(`${e}.word_embeddings.weight`), [config.vocabSize, H]);
  const posTable = g.addInitializer(`${e}.position_embeddings.weight`, weight(`${e}.position_embeddings.weight`), [config.maxPositionEmbeddings, H]);
  const words = g.op('Gather', [wordTable, 'input_ids'], { axis: 0 }, `${e}.words`);
  let tokenTypes: string;
  const typeTableData = weight(`${e}.token_type_embeddings.weight`);
  if (withTokenTypes) {
    const typeTable = g.addInitializer(`${e}.token_type_embeddings.weight`, typeTableData, [config.typeVocabSize, H]);
    tokenTypes = g.op('Gather', [typeTable, 'token_type_ids'], { axis: 0 }, `${e}.token_types`);
  } else {
    // HF BERT uses token type 0 everywhere when token_type_ids is absent.
    tokenTypes = g.addInitializer(`${e}.token_type_embeddings.row0`, typeTableData.slice(0, H), [H]);
  }
  const inputShape = g.op('Shape', ['input_ids'], {}, 'input_ids_shape');
  const seqLen = g.op('Gather', [inputShape, scalarI64('one', 1)], { axis: 0 }, 'sequence_length');
  const positionIds = g.op('Range', [scalarI64('zero', 0), seqLen, scalarI64('step', 1)], {}, 'position_ids');
  const positions = g.op('Gather', [posTable, positionIds], { axis: 0 }, `${e}.positions`);
  const summed = g.op('Add', [g.op('Add', [words, tokenTypes], {}, `${e}.words_types`), positions], {}, `${e}.sum`);
  let hidden = layerNorm(summed, `${e}.LayerNorm`);

  // Additive attention mask [batch, 1, 1, seq]: 0 where attended, ATTENTION_MASK_BIAS where padded.
  const maskUnsq = g.op('Unsqueeze', ['attention_mask', vecI64('mask_axes', [1, 2])], {}, 'mask_unsqueezed');
  const maskF = g.op('Cast', [maskUnsq], { to: 1 }, 'mask_float');
  const inverted = g.op('Sub', [scalarF('one_f', 1), maskF], {}, 'mask_inverted');
  const maskBias = g.op('Mul', [inverted, scalarF('mask_bias_value', ATTENTION_MASK_BIAS)], {}, 'mask_bias');

  const splitHeadsShape = vecI64('split_heads_shape', [0, 0, heads, headSize]);
  const mergeHeadsShape = vecI64('merge_heads_shape', [0, 0, H]);
  const scoreScale = scalarF('attention_scale', Math.sqrt(headSize));
  const sqrt2 = scalarF('sqrt2', Math.SQRT2);
  const oneF = scalarF('gelu_one', 1);
  const halfF = scalarF('gelu_half', 0.5);

  for (let i = 0; i < config.numHiddenLayers; i++) {
    const p = `bert.encoder.layer.${i}`;
    const heads4d = (proj: string, perm: number[]) => {
      const projected = linear(hidden, `${p}.attention.self.${proj}`, H, H);
      const split = g.op('Reshape', [projected, splitHeadsShape], {}, `${p}.attention.self.${proj}.split`);
      return g.op('Transpose', [split], { perm }, `${p}.attention.self.${proj}.heads`);
    };
    const q = heads4d('query', [0, 2, 1, 3]);
    const kT = heads4d('key', [0, 2, 3, 1]);
    const v = heads4d('value', [0, 2, 1, 3]);
    const scores = g.op('MatMul', [q, kT], {}, `${p}.attention.scores`);
    const scaled = g.op('Div', [scores, scoreScale], {}, `${p}.attention.scaled`);
    const masked = g.op('Add', [scaled, maskBias], {}, `${p}.attention.masked`);
    const probs = g.op('Softmax', [masked], { axis: -1 }, `${p}.attention.probs`);
    const context = g.op('MatMul', [probs, v], {}, `${p}.attention.context`);
    const contextT = g.op('Transpose', [context], { perm: [0, 2, 1, 3] }, `${p}.attention.context_t`);
    const merged = g.op('Reshape', [contextT, mergeHeadsShape], {}, `${p}.attention.merged`);
    const attnOut = linear(merged, `${p}.attention.output.dense`, H, H);
    const attnRes = g.op('Add', [attnOut, hidden], {}, `${p}.attention.residual`);
    const attention = layerNorm(attnRes, `${p}.attention.output.LayerNorm`);

    const inter = linear(attention, `${p}.intermediate.dense`, H, config.intermediateSize);
    const erf = g.op('Erf', [g.op('Div', [inter, sqrt2], {}, `${p}.gelu.div`)], {}, `${p}.gelu.erf`);
    const gelu = g.op('Mul', [g.op('Mul', [inter, g.op('Add', [erf, oneF], {}, `${p}.gelu.add`)], {}, `${p}.gelu.mul`), halfF], {}, `${p}.gelu.out`);
    const out = linear(gelu, `${p}.output.dense`, config.intermediateSize, H);
    const outRes = g.op('Add', [out, attention], {}, `${p}.output.residual`);
    hidden = layerNorm(outRes, `${p}.output.LayerNorm`);
  }

  const cls = g.op('Gather', [hidden, scalarI64('cls_index', 0)], { axis: 1 }, 'cls_hidden');
  const pooled = g.op('Tanh', [linear(cls, 'bert.pooler.dense', H, H)], {}, 'pooled');
  const logits = linear(pooled, 'classifier', H, config.numLabels);
  g.addNode('Identity', [logits], ['logits']);
  g.addOutput('logits', 'float32', ['batch_size', config.numLabels]);
  return g.toBytes();
}

/**
 * Random weights of the right names and shapes, reproducible by seed. Scaled so activations stay of order 1
 * through every layer (Linear weights ~ N(0, 1/in), biases and LayerNorm offsets ~ N(0, 0.1), LayerNorm scales
 * ~ 1 + N(0, 0.1), embeddings ~ N(0, 0.5)) — which makes parity tests sensitive to every op. Not a training init.
 */
export function randomBertWeights(config: BertClassifierConfig, seed: number): NamedWeights {
  validateConfig(config);
  const normal = gaussian(mulberry32(seed));
  const weights: NamedWeights = new Map();
  for (const [name, shape] of bertWeightShapes(config)) {
    const size = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(size);
    let mean = 0;
    let std: number;
    if (name.includes('embeddings.') && name.endsWith('_embeddings.weight')) std = 0.5;
    else if (name.includes('LayerNorm.weight')) {
      mean = 1;
      std = 0.1;
    } else if (name.endsWith('.bias') || name.includes('LayerNorm')) std = 0.1;
    else std = 1 / Math.sqrt(shape[1]);
    for (let i = 0; i < size; i++) data[i] = mean + std * normal();
    weights.set(name, { shape: [...shape], data });
  }
  return weights;
}

/**
 * The inverse of {@link exportBertClassifier}'s naming: reads the initializers of a graph it wrote back into
 * Hugging Face names and PyTorch layout (`X.weight_t` [in, out] → `X.weight` [out, in]). A graph exported without
 * token_type_ids stores only row 0 of the token-type table (`….row0`); the other rows come back as zeros.
 * Throws a sentence naming the first missing weight when the graph was not written by our exporter.
 */
export function readBertClassifierWeights(bytes: Uint8Array, config: BertClassifierConfig): NamedWeights {
  const graph = decodeModel(bytes).graph;
  if (!graph) throw new Error('the model has no graph');
  const out: NamedWeights = new Map();
  for (const t of graph.initializer ?? []) {
    const name = t.name ?? '';
    if (t.dataType !== 1) continue; // constants (int64 shapes) and anything not float32
    const dims = (t.dims ?? []).map(int64ToNumber);
    const data = tensorProtoToFloat32(t);
    if (name.endsWith('.weight_t') && dims.length === 2) {
      const [rows, cols] = dims;
      out.set(name.replace(/\.weight_t$/, '.weight'), { shape: [cols, rows], data: transposeMatrix(data, rows, cols) });
    } else if (name === 'bert.embeddings.token_type_embeddings.row0') {
      const table = new Float32Array(config.typeVocabSize * config.hiddenSize);
      table.set(data);
      out.set('bert.embeddings.token_type_embeddings.weight', { shape: [config.typeVocabSize, config.hiddenSize], data: table });
    } else if (name.startsWith('bert.') || name.startsWith('classifier.')) out.set(name, { shape: dims, data });
  }
  const missing = [...bertWeightShapes(config).keys()].filter((n) => !out.has(n));
  if (missing.length) throw new Error(`the ONNX graph lacks ${missing.length} BERT weights under Hugging Face names (first: ${missing[0]}); it was not exported by our exporter`);
  return out;
}

/**
 * The Hugging Face `config.json` fields of a `BertForSequenceClassification` with this config: the one builder
 * for every BERT folder we write (the training recipe, `npm run train:text`, the bench). `extra` is merged in
 * (labels, metrics, provenance…).
 */
export function bertConfigJson(config: BertClassifierConfig, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    architectures: ['BertForSequenceClassification'],
    model_type: 'bert',
    vocab_size: config.vocabSize,
    hidden_size: config.hiddenSize,
    num_hidden_layers: config.numHiddenLayers,
    num_attention_heads: config.numAttentionHeads,
    intermediate_size: config.intermediateSize,
    hidden_act: 'gelu',
    hidden_dropout_prob: 0.0,
    attention_probs_dropout_prob: 0.0,
    max_position_embeddings: config.maxPositionEmbeddings,
    type_vocab_size: config.typeVocabSize,
    initializer_range: 0.02,
    layer_norm_eps: config.layerNormEps,
    pad_token_id: 0,
    position_embedding_type: 'absolute',
    num_labels: config.numLabels,
    ...extra,
  };
}
