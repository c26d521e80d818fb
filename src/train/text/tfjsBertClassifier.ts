/**
 * The article's PyTorch `TextClassifier` — a BERT encoder plus `Linear(hidden, 2)` on the pooled [CLS]
 * output — as a TypeScript class over `tf.variable`s (no layers API), with a `forward()` whose semantics are
 * exactly those of Hugging Face `BertForSequenceClassification` and of our ONNX exporter
 * (src/train/onnx/bertExport.ts): position ids 0..S-1, embeddings word + token type + position then LayerNorm,
 * additive attention mask `(1 − mask) · −10000`, exact erf GELU, pooled = tanh(dense(h[:, 0])),
 * logits = classifier(pooled). No dropout (training here is short and deterministic).
 *
 * Linear weights are held as `[in, out]` (what `matMul` wants) and transposed to PyTorch's `[out, in]` in
 * {@link TfjsBertClassifier.namedWeights}.
 *
 * The `wasm` backend has no `UnsortedSegmentSum` kernel, which is the gradient of `gather` (the embedding
 * lookup); {@link registerSegmentSumKernel} adds one so the word embeddings can be trained.
 *
 * No `vscode` import.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { ATTENTION_MASK_BIAS, type BertClassifierConfig, type NamedWeights } from '../onnx/bertExport';
import { gaussian, mulberry32 } from '../onnx/random';

type Tf = import('../../common/tfjsBackend').Tfjs;
type Tensor = tfTypes.Tensor;
type Tensor2D = tfTypes.Tensor2D;
type Variable = tfTypes.Variable;

interface LinearParams {
  /** [in, out] */
  w: Variable;
  b: Variable;
}

interface LayerNormParams {
  gamma: Variable;
  beta: Variable;
}

interface EncoderLayerParams {
  query: LinearParams;
  key: LinearParams;
  value: LinearParams;
  attentionOutput: LinearParams;
  attentionNorm: LayerNormParams;
  intermediate: LinearParams;
  output: LinearParams;
  outputNorm: LayerNormParams;
}

export interface TfjsBertClassifierInit {
  seed: number;
  /** Std of the normal initialisation (BERT's `initializer_range`). */
  initStd?: number;
  /**
   * Optional per-token prior (e.g. naive Bayes log-likelihood ratios): written, scaled, into the first
   * `priorChannels` dimensions of each word embedding, so training starts from a useful lexical signal.
   */
  tokenPrior?: Float64Array;
  priorChannels?: number;
  priorScale?: number;
}

export class TfjsBertClassifier {
  private static instances = 0;
  readonly config: BertClassifierConfig;
  private readonly tf: Tf;
  readonly wordEmbeddings: Variable;
  readonly positionEmbeddings: Variable;
  readonly tokenTypeEmbeddings: Variable;
  readonly embeddingNorm: LayerNormParams;
  readonly layers: EncoderLayerParams[];
  readonly pooler: LinearParams;
  readonly classifier: LinearParams;

  /**
   * `x · w` whose gradient uses only untransposed 2-D matmuls. The wasm backend's BatchMatMul is fast
   * (XNNPACK) only without transpose flags; tfjs' built-in gradient (`dy · wᵀ`, `xᵀ · dy` via flags) took the
   * slow path, measured 10–20× slower (1 GFLOP/s vs 9–15) on [4096, 64] × [64, 256]. Materialising the
   * transposes is cheap by comparison.
   */
  private readonly matMul: (x: Tensor2D, w: Tensor2D) => Tensor2D;

  constructor(tf: Tf, config: BertClassifierConfig, init: TfjsBertClassifierInit) {
    const fastMatMul = (x: Tensor, w: Tensor, save: tfTypes.GradSaveFunc) => {
      save([x, w]);
      return {
        value: tf.matMul(x as Tensor2D, w as Tensor2D) as Tensor,
        gradFunc: (dy: Tensor, saved: Tensor[]) => {
          const [sx, sw] = saved as Tensor2D[];
          return [tf.matMul(dy as Tensor2D, sw.transpose()), tf.matMul(sx.transpose(), dy as Tensor2D)] as Tensor[];
        },
      };
    };
    // customGrad's declared type takes variadic Tensor arguments; ours has exactly two plus `save`.
    this.matMul = tf.customGrad(fastMatMul as unknown as Parameters<Tf["customGrad"]>[0]) as unknown as (x: Tensor2D, w: Tensor2D) => Tensor2D;
    if (config.hiddenSize % config.numAttentionHeads !== 0) {
      throw new Error(`hiddenSize ${config.hiddenSize} is not a multiple of numAttentionHeads ${config.numAttentionHeads}.`);
    }
    this.tf = tf;
    this.config = config;
    // tfjs variable names are global to the engine: a per-instance prefix lets several models coexist.
    const prefix = `textClassifier${TfjsBertClassifier.instances++}`;
    const std = init.initStd ?? 0.02;
    const normal = gaussian(mulberry32(init.seed));
    const H = config.hiddenSize;
    const I = config.intermediateSize;
    const randn = (shape: number[], name: string): Variable => {
      const n = shape.reduce((a, b) => a * b, 1);
      const data = new Float32Array(n);
      for (let i = 0; i < n; i++) data[i] = normal() * std;
      return tf.variable(tf.tensor(data, shape), true, `${prefix}.${name}`);
    };
    const filled = (shape: number[], value: number, name: string): Variable => tf.variable(tf.fill(shape, value), true, `${prefix}.${name}`);
    const linear = (inDim: number, outDim: number, name: string): LinearParams => ({
      w: randn([inDim, outDim], `${name}.w`),
      b: filled([outDim], 0, `${name}.b`),
    });
    const layerNorm = (name: string): LayerNormParams => ({ gamma: filled([H], 1, `${name}.gamma`), beta: filled([H], 0, `${name}.beta`) });

    const words = new Float32Array(config.vocabSize * H);
    for (let i = 0; i < words.length; i++) words[i] = normal() * std;
    if (init.tokenPrior) {
      const channels = Math.min(init.priorChannels ?? 4, H);
      const scale = init.priorScale ?? std;
      for (let t = 0; t < config.vocabSize; t++) {
        const r = Math.max(-4, Math.min(4, init.tokenPrior[t] ?? 0));
        for (let c = 0; c < channels; c++) words[t * H + c] = r * scale;
      }
    }
    this.wordEmbeddings = tf.variable(tf.tensor2d(words, [config.vocabSize, H]), true, `${prefix}.word_embeddings`);
    this.positionEmbeddings = randn([config.maxPositionEmbeddings, H], 'position_embeddings');
    this.tokenTypeEmbeddings = randn([config.typeVocabSize, H], 'token_type_embeddings');
    this.embeddingNorm = layerNorm('embeddings.norm');
    this.layers = [];
    for (let l = 0; l < config.numHiddenLayers; l++) {
      this.layers.push({
        query: linear(H, H, `l${l}.q`),
        key: linear(H, H, `l${l}.k`),
        value: linear(H, H, `l${l}.v`),
        attentionOutput: linear(H, H, `l${l}.ao`),
        attentionNorm: layerNorm(`l${l}.an`),
        intermediate: linear(H, I, `l${l}.i`),
        output: linear(I, H, `l${l}.o`),
        outputNorm: layerNorm(`l${l}.on`),
      });
    }
    this.pooler = linear(H, H, 'pooler');
    this.classifier = linear(H, config.numLabels, 'classifier');
  }

  /** Every trainable variable. */
  variables(): Variable[] {
    const out: Variable[] = [this.wordEmbeddings, this.positionEmbeddings, this.tokenTypeEmbeddings, this.embeddingNorm.gamma, this.embeddingNorm.beta];
    for (const l of this.layers) {
      for (const p of [l.query, l.key, l.value, l.attentionOutput, l.intermediate, l.output]) out.push(p.w, p.b);
      out.push(l.attentionNorm.gamma, l.attentionNorm.beta, l.outputNorm.gamma, l.outputNorm.beta);
    }
    out.push(this.pooler.w, this.pooler.b, this.classifier.w, this.classifier.b);
    return out;
  }

  /**
   * Logits `[batch, numLabels]` for int32 `inputIds` / `attentionMask` / `tokenTypeIds` of shape `[batch, seq]`.
   * Call inside `tf.tidy` (or a gradient function), which owns the intermediates.
   */
  forward(inputIds: Tensor2D, attentionMask: Tensor2D, tokenTypeIds?: Tensor2D): Tensor2D {
    const tf = this.tf;
    const [B, S] = inputIds.shape;
    const H = this.config.hiddenSize;
    const heads = this.config.numAttentionHeads;
    const headSize = H / heads;
    if (S > this.config.maxPositionEmbeddings) throw new Error(`sequence length ${S} exceeds max_position_embeddings ${this.config.maxPositionEmbeddings}.`);

    const flatIds = inputIds.reshape([B * S]);
    const words = tf.gather(this.wordEmbeddings, flatIds).reshape([B, S, H]);
    // Position ids are 0..S-1: a slice (differentiable everywhere, no gather needed).
    const positions = tf.slice(this.positionEmbeddings, [0, 0], [S, H]).reshape([1, S, H]);
    let types: Tensor;
    if (tokenTypeIds) {
      // Token types are few (2): a one-hot matmul keeps the gradient free of gather.
      const oneHot = tf.oneHot(tokenTypeIds.reshape([B * S]), this.config.typeVocabSize).toFloat();
      types = tf.matMul(oneHot, this.tokenTypeEmbeddings).reshape([B, S, H]);
    } else {
      types = tf.slice(this.tokenTypeEmbeddings, [0, 0], [1, H]).reshape([1, 1, H]);
    }
    let hidden = this.layerNorm(tf.add(tf.add(words, types), positions), this.embeddingNorm).reshape([B * S, H]);

    // (1 − mask) · −10000, broadcast over heads and query positions: [B, 1, 1, S].
    const maskBias = tf.mul(tf.sub(1, attentionMask.toFloat()), ATTENTION_MASK_BIAS).reshape([B, 1, 1, S]);
    const scale = 1 / Math.sqrt(headSize);
    const splitHeads = (x: Tensor): Tensor => x.reshape([B, S, heads, headSize]).transpose([0, 2, 1, 3]);

    for (const layer of this.layers) {
      const q = splitHeads(this.linear(hidden, layer.query));
      const k = splitHeads(this.linear(hidden, layer.key));
      const v = splitHeads(this.linear(hidden, layer.value));
      // Batched attention matmuls stay on tf.matMul: the wasm kernel runs them at ~1 GFLOP/s whatever the
      // flags, and splitting into 2-D matmuls (unstack or split) measured slower still.
      const scores = tf.add(tf.mul(tf.matMul(q, k, false, true), scale), maskBias);
      const probs = tf.softmax(scores, -1);
      const context = tf.matMul(probs, v).transpose([0, 2, 1, 3]).reshape([B * S, H]);
      const attention = this.layerNorm(tf.add(this.linear(context, layer.attentionOutput), hidden), layer.attentionNorm);
      const inter = gelu(tf, this.linear(attention, layer.intermediate));
      hidden = this.layerNorm(tf.add(this.linear(inter, layer.output), attention), layer.outputNorm);
    }
    const cls = tf.slice(hidden.reshape([B, S, H]), [0, 0, 0], [B, 1, H]).reshape([B, H]);
    const pooled = tf.tanh(this.linear(cls, this.pooler));
    return this.linear(pooled, this.classifier) as Tensor2D;
  }

  /**
   * Every parameter under its Hugging Face `BertForSequenceClassification` name, in state-dict order;
   * `transpose` marks Linear weights, which PyTorch stores as [out, in] and this class as [in, out].
   */
  private forEachParameter(visit: (name: string, v: Variable, transpose: boolean) => void): void {
    const linear = (prefix: string, p: LinearParams) => {
      visit(`${prefix}.weight`, p.w, true);
      visit(`${prefix}.bias`, p.b, false);
    };
    const norm = (prefix: string, p: LayerNormParams) => {
      visit(`${prefix}.weight`, p.gamma, false);
      visit(`${prefix}.bias`, p.beta, false);
    };
    visit('bert.embeddings.word_embeddings.weight', this.wordEmbeddings, false);
    visit('bert.embeddings.position_embeddings.weight', this.positionEmbeddings, false);
    visit('bert.embeddings.token_type_embeddings.weight', this.tokenTypeEmbeddings, false);
    norm('bert.embeddings.LayerNorm', this.embeddingNorm);
    this.layers.forEach((l, i) => {
      const p = `bert.encoder.layer.${i}`;
      linear(`${p}.attention.self.query`, l.query);
      linear(`${p}.attention.self.key`, l.key);
      linear(`${p}.attention.self.value`, l.value);
      linear(`${p}.attention.output.dense`, l.attentionOutput);
      norm(`${p}.attention.output.LayerNorm`, l.attentionNorm);
      linear(`${p}.intermediate.dense`, l.intermediate);
      linear(`${p}.output.dense`, l.output);
      norm(`${p}.output.LayerNorm`, l.outputNorm);
    });
    linear('bert.pooler.dense', this.pooler);
    linear('classifier', this.classifier);
  }

  /** Hugging Face `BertForSequenceClassification` state dict (PyTorch layout), for the ONNX exporter. */
  namedWeights(): NamedWeights {
    const out: NamedWeights = new Map();
    this.forEachParameter((name, v, transpose) => {
      const t = transpose ? this.tf.tidy(() => v.transpose()) : v;
      out.set(name, { shape: [...t.shape], data: Float32Array.from(t.dataSync() as Float32Array) });
      if (transpose) t.dispose();
    });
    return out;
  }

  /** Replaces every weight from a named state dict (PyTorch layout), e.g. to restore the best epoch. */
  loadNamedWeights(weights: NamedWeights): void {
    const tf = this.tf;
    const current = this.namedWeights();
    const targets = new Map<string, { v: Variable; transpose: boolean }>();
    this.forEachParameter((name, v, transpose) => targets.set(name, { v, transpose }));
    for (const [name, { v, transpose }] of targets) {
      const w = weights.get(name);
      const expected = current.get(name)!.shape;
      if (!w || w.shape.join() !== expected.join()) throw new Error(`weight ${name}: expected shape [${expected}], got ${w ? `[${w.shape}]` : 'nothing'}.`);
      tf.tidy(() => {
        const t = tf.tensor(w.data, w.shape);
        v.assign(transpose ? t.transpose() : t);
      });
    }
  }

  dispose(): void {
    for (const v of this.variables()) v.dispose();
  }

  private linear(x: Tensor, p: LinearParams): Tensor {
    return this.tf.add(this.matMul(x as Tensor2D, p.w as Tensor as Tensor2D), p.b);
  }

  private layerNorm(x: Tensor, p: LayerNormParams): Tensor {
    const tf = this.tf;
    const { mean, variance } = tf.moments(x, -1, true);
    const normed = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, this.config.layerNormEps)));
    return tf.add(tf.mul(normed, p.gamma), p.beta);
  }
}

/** Exact GELU: 0.5 · x · (1 + erf(x / √2)), as BERT and the exporter. */
function gelu(tf: Tf, x: Tensor): Tensor {
  return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))));
}

/**
 * Registers `UnsortedSegmentSum` on the wasm backend (tfjs uses it as the gradient of `gather`), computed in
 * JavaScript on the wasm heap: out[segment[i], :] += x[i, :]. Idempotent; a no-op without the wasm backend.
 */
export function registerSegmentSumKernel(tf: Tf): boolean {
  if (!tf.getKernel('GatherV2', 'wasm') || tf.getKernel('UnsortedSegmentSum', 'wasm')) return false;
  tf.registerKernel({
    kernelName: 'UnsortedSegmentSum',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      // The wasm backend's class is not exported with these methods typed; this is its public surface.
      const wasm = backend as unknown as {
        readSync(dataId: object): ArrayLike<number>;
        makeOutput(shape: number[], dtype: string): tfTypes.TensorInfo;
        typedArrayFromHeap(info: tfTypes.TensorInfo): Float32Array;
      };
      const { x, segmentIds } = inputs as { x: tfTypes.TensorInfo; segmentIds: tfTypes.TensorInfo };
      const numSegments = (attrs as { numSegments: number }).numSegments;
      if (x.dtype !== 'float32') throw new Error(`UnsortedSegmentSum (wasm): only float32 is supported, got ${x.dtype}.`);
      const rows = segmentIds.shape.reduce((a, b) => a * b, 1);
      const inner = x.shape.slice(segmentIds.shape.length).reduce((a, b) => a * b, 1);
      const xs = wasm.readSync(x.dataId) as Float32Array;
      const ids = wasm.readSync(segmentIds.dataId) as Int32Array;
      const out = wasm.makeOutput([numSegments, ...x.shape.slice(segmentIds.shape.length)], 'float32');
      const o = wasm.typedArrayFromHeap(out);
      o.fill(0);
      for (let r = 0; r < rows; r++) {
        const seg = ids[r];
        if (seg < 0 || seg >= numSegments) continue;
        const src = r * inner;
        const dst = seg * inner;
        for (let c = 0; c < inner; c++) o[dst + c] += xs[src + c];
      }
      return out;
    },
  });
  return true;
}
