/**
 * "Train on your own data", recipe 2 — the article's exact recipe: a linear head `Linear(hidden, numLabels)`
 * trained with Adam (lr 1e-5 by default) and softmax cross-entropy on the features of a frozen encoder the user
 * points to (any Hugging Face-layout ONNX export such as bert-base-uncased). The encoder runs once over every
 * text (onnxruntime-node, batched); only the head is trained (tfjs), so training itself is cheap.
 *
 * The result is a model folder the text classifier loads as is: the encoder graph with the head appended by graph
 * surgery (pooler_output, or [CLS] = position 0 of last_hidden_state → MatMul → Add → `logits`; the encoder's own
 * outputs removed and the graph pruned to what `logits` needs), config.json with id2label/label2id, metrics and
 * provenance, and the encoder's tokenizer files. Written to a temporary sibling and renamed at the end.
 *
 * No `vscode` import: the CLI (`model-lab train-text --recipe frozen-encoder`) and the extension's training worker
 * both call this.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import { onnx } from 'onnx-proto';
import type * as tfTypes from '@tensorflow/tfjs';
import { CodedError, type ErrorArg } from '../../common/errors';
import { isPathWithin } from '../../common/insideFolder';
import { loadTokenizer, resolveModelFolder, TOKENIZER_FILES } from '../../text/modelFolder';
import { isTokenInput, ort, readTokenInputs, sessionOptions, tokenFeeds, type TokenInput, type TokenInputName } from '../../text/ortSession';
import type { WordPieceTokenizer } from '../../text/tokenizer';
import { decodeModel, encodeModel, makeTensorProto } from '../onnx/graphBuilder';
import { mulberry32 } from '../../common/random';
import { defaultBatchSize, type PipelineOptions, type TextRecipe } from './pipeline';

export interface FrozenEncoderOptions extends PipelineOptions {
  /** The encoder's model folder (model.onnx or onnx/model.onnx, vocab.txt or tokenizer.json, config.json). */
  encoder: string;
  /** Texts per encoder run. */
  encodeBatch?: number;
  /** Tokens per text fed to the encoder (special tokens included); at most the encoder's limit; default 128. */
  seq?: number;
}

export interface FrozenEncoderDetails {
  /** Held-out accuracy of the untrained (seeded random) head, for comparison. */
  initialHeldOutAccuracy: number;
  hidden: number;
  feature: 'pooler_output' | 'last_hidden_state[:, 0]';
  /** Mean training loss of the last epoch run. */
  finalLoss: number;
}

export type EncoderProblem = 'not-an-encoder' | 'no-feature-output' | 'no-graph' | 'name-taken' | 'seq-too-long' | 'load-failed' | 'inputs-unsupported' | 'external-data-outside';

/**
 * A problem with the encoder the user chose, beyond what the model folder itself checks (resolveModelFolder's
 * 'encoder' role: folder, model.onnx, tokenizer files, config.json). The sentence says what to do.
 */
export class EncoderFolderError extends CodedError {
  constructor(
    override readonly code: EncoderProblem,
    template: string,
    args: readonly ErrorArg[] = [],
  ) {
    super(code, template, args);
    this.name = 'EncoderFolderError';
  }
}

const HEAD_PREFIX = 'model_lab_head';

/** Which encoder output gives the sentence feature; refuses classifier exports and unknown outputs. */
export function pickFeatureOutput(outputNames: readonly string[], onnxPath: string): 'pooler_output' | 'last_hidden_state' {
  if (outputNames.includes('pooler_output')) return 'pooler_output';
  if (outputNames.includes('last_hidden_state')) return 'last_hidden_state';
  if (outputNames.includes('logits')) {
    throw new EncoderFolderError(
      'not-an-encoder',
      'The model {0} is already a classifier (its output is "logits"), not an encoder. Export the base model as an encoder (Optimum task "feature-extraction", outputs last_hidden_state/pooler_output), or use it directly as the text model.',
      [onnxPath],
    );
  }
  throw new EncoderFolderError('no-feature-output', 'The model {0} has neither "pooler_output" nor "last_hidden_state" among its outputs ({1}). Export it with Optimum task "feature-extraction".', [onnxPath, outputNames.join(', ') || 'none']);
}

/** Runs the frozen encoder over `texts` and returns one feature row of `hidden` floats per text. */
async function extractFeatures(
  session: InferenceSession,
  inputs: readonly TokenInput[],
  tokenizer: WordPieceTokenizer,
  texts: readonly string[],
  opts: { maxLength: number; batch: number; feature: 'pooler_output' | 'last_hidden_state' },
  progress: (done: number) => void,
  check: () => void,
): Promise<{ features: Float32Array; hidden: number }> {
  const padId = BigInt(tokenizer.tokenToId(tokenizer.config.padToken) ?? 0);
  let features: Float32Array | undefined;
  let hidden = 0;
  for (let start = 0; start < texts.length; start += opts.batch) {
    check();
    const chunk = texts.slice(start, start + opts.batch);
    const encoded = chunk.map((t) => tokenizer.encode(t, { maxLength: opts.maxLength }));
    const seq = Math.max(...encoded.map((e) => e.inputIds.length));
    // Right-padded rows: input_ids with the pad token, the mask and segment ids with 0.
    const values: Record<TokenInputName, BigInt64Array> = { input_ids: new BigInt64Array(chunk.length * seq).fill(padId), attention_mask: new BigInt64Array(chunk.length * seq), token_type_ids: new BigInt64Array(chunk.length * seq) };
    encoded.forEach((e, i) => {
      e.inputIds.forEach((v, k) => (values.input_ids[i * seq + k] = BigInt(v)));
      e.attentionMask.forEach((v, k) => (values.attention_mask[i * seq + k] = BigInt(v)));
      e.tokenTypeIds.forEach((v, k) => (values.token_type_ids[i * seq + k] = BigInt(v)));
    });
    const result = await session.run(tokenFeeds(inputs, chunk.length, seq, values), [opts.feature]);
    const out = result[opts.feature];
    const data = out.data as Float32Array;
    const dims = out.dims;
    const h = dims[dims.length - 1];
    if (!features) {
      hidden = h;
      features = new Float32Array(texts.length * hidden);
    }
    for (let i = 0; i < chunk.length; i++) {
      // pooler_output is [batch, hidden]; last_hidden_state is [batch, seq, hidden] and [CLS] is position 0.
      const offset = opts.feature === 'pooler_output' ? i * h : i * dims[1] * h;
      features.set(data.subarray(offset, offset + h), (start + i) * hidden);
    }
    progress(Math.min(texts.length, start + opts.batch));
  }
  return { features: features ?? new Float32Array(0), hidden };
}

/** Names every (sub)graph node reads, so pruning keeps tensors that If/Loop bodies use from the outer scope. */
function subgraphInputs(node: onnx.INodeProto, into: Set<string>): void {
  for (const attr of node.attribute ?? []) {
    const graphs = [...(attr.g ? [attr.g] : []), ...(attr.graphs ?? [])];
    for (const g of graphs) for (const n of g.node ?? []) {
      for (const i of n.input ?? []) into.add(i);
      subgraphInputs(n, into);
    }
  }
}

/**
 * Appends the trained head to the encoder graph: feature → MatMul(W [hidden, classes]) → Add(b) → `logits`,
 * removes the encoder's outputs and prunes the nodes and initializers `logits` does not need.
 */
export function appendLinearHead(
  model: onnx.ModelProto,
  feature: 'pooler_output' | 'last_hidden_state',
  weight: Float32Array,
  bias: Float32Array,
  hidden: number,
  classes: number,
): onnx.ModelProto {
  const graph = model.graph;
  if (!graph) throw new EncoderFolderError('no-graph', 'The encoder model has no graph; re-export it.');
  const produced = new Set((graph.node ?? []).flatMap((n) => n.output ?? []));
  const taken = new Set([...produced, ...(graph.initializer ?? []).map((t) => t.name ?? ''), ...(graph.input ?? []).map((i) => i.name ?? '')]);
  if (taken.has('logits')) throw new EncoderFolderError('name-taken', 'The encoder graph already has a tensor named "logits"; export the base model without a classification head.');
  const name = (suffix: string) => {
    const n = `${HEAD_PREFIX}.${suffix}`;
    if (taken.has(n)) throw new EncoderFolderError('name-taken', 'The encoder graph already has a tensor named "{0}"; was the head appended twice?', [n]);
    return n;
  };
  const initializers: onnx.TensorProto[] = [makeTensorProto(name('weight'), weight, [hidden, classes]), makeTensorProto(name('bias'), bias, [classes])];
  const nodes: onnx.NodeProto[] = [];
  let featureTensor: string = feature;
  if (feature === 'last_hidden_state') {
    initializers.push(makeTensorProto(name('cls_index'), BigInt64Array.of(0n), []));
    featureTensor = name('cls');
    nodes.push(onnx.NodeProto.create({ name: name('gather_cls'), opType: 'Gather', input: ['last_hidden_state', name('cls_index')], output: [featureTensor], attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 1 }] }));
  }
  nodes.push(onnx.NodeProto.create({ name: name('matmul'), opType: 'MatMul', input: [featureTensor, name('weight')], output: [name('matmul_out')] }));
  nodes.push(onnx.NodeProto.create({ name: name('add'), opType: 'Add', input: [name('matmul_out'), name('bias')], output: ['logits'] }));

  // Keep only what `logits` needs (walk producers backwards from it).
  const allNodes = [...(graph.node ?? []), ...nodes];
  const producer = new Map<string, number>();
  allNodes.forEach((n, i) => (n.output ?? []).forEach((o) => producer.set(o, i)));
  const keep = new Set<number>();
  const needed = new Set<string>();
  const stack = ['logits'];
  while (stack.length > 0) {
    const t = stack.pop() as string;
    if (needed.has(t)) continue;
    needed.add(t);
    const p = producer.get(t);
    if (p === undefined || keep.has(p)) continue;
    keep.add(p);
    const inputs = new Set(allNodes[p].input ?? []);
    subgraphInputs(allNodes[p], inputs);
    for (const i of inputs) if (i) stack.push(i);
  }
  graph.node = allNodes.filter((_, i) => keep.has(i)) as onnx.NodeProto[];
  graph.initializer = [...(graph.initializer ?? []), ...initializers].filter((t) => needed.has(t.name ?? '')) as onnx.TensorProto[];
  // Inputs stay (the classifier feeds what the graph declares) unless nothing reads them.
  graph.input = (graph.input ?? []).filter((i) => needed.has(i.name ?? '') || !isTokenInput(i.name ?? '')) as onnx.ValueInfoProto[];
  graph.valueInfo = (graph.valueInfo ?? []).filter((v) => needed.has(v.name ?? '')) as onnx.ValueInfoProto[];
  const batchDim = graph.output?.[0]?.type?.tensorType?.shape?.dim?.[0];
  graph.output = [
    onnx.ValueInfoProto.create({
      name: 'logits',
      type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [batchDim?.dimParam ? { dimParam: batchDim.dimParam } : { dimParam: 'batch_size' }, { dimValue: classes }] } } },
    }),
  ];
  return model;
}

/** Files of initializers stored outside the .onnx file (models over 2 GB, or exports that chose to). */
function externalDataFiles(model: onnx.IModelProto): string[] {
  const files = new Set<string>();
  for (const t of model.graph?.initializer ?? []) {
    if (t.dataLocation !== onnx.TensorProto.DataLocation.EXTERNAL) continue;
    const location = t.externalData?.find((e) => e.key === 'location')?.value;
    if (location) files.add(location);
  }
  return [...files];
}

/** Seeded PyTorch-style `nn.Linear` init: U(-1/√in, 1/√in) for weights and bias. */
function linearInit(hidden: number, classes: number, seed: number): { weight: Float32Array; bias: Float32Array } {
  const rng = mulberry32(seed);
  const bound = 1 / Math.sqrt(hidden);
  const weight = Float32Array.from({ length: hidden * classes }, () => (2 * rng() - 1) * bound);
  const bias = Float32Array.from({ length: classes }, () => (2 * rng() - 1) * bound);
  return { weight, bias };
}

export const frozenEncoderRecipe: TextRecipe<FrozenEncoderOptions, FrozenEncoderDetails> = {
  name: 'frozen-encoder',
  title: 'linear head on a frozen encoder',
  // The article's learning rate for BERT fine-tuning; a head alone on small data learns faster near 1e-3.
  defaultLr: 1e-5,
  defaultBatch: defaultBatchSize,
  epochWord: 'head epoch',
  // The encoder's pass over every text is most of the run.
  prepareShare: 0.8,
  async prepare(data, split, o, { tf, progress, check }) {
    const folder = resolveModelFolder(o.encoder, 'encoder');
    const { tokenizer } = loadTokenizer(folder.dir);
    const classes = data.labelNames.length;
    const encoderLimits = [folder.config.maxPositionEmbeddings, tokenizer.config.modelMaxLength].filter((v): v is number => typeof v === 'number' && v > 2 && v < 1e6);
    const encoderLimit = Math.min(...encoderLimits);
    if (o.seq !== undefined && o.seq > encoderLimit) {
      throw new EncoderFolderError('seq-too-long', '--seq {0} is more than the encoder {1} can read ({2} tokens); use --seq {2} or less.', [o.seq, folder.dir, encoderLimit]);
    }
    const maxLength = Math.min(o.seq ?? 128, encoderLimit);

    let session: InferenceSession;
    try {
      // One thread: training runs beside the editor, and the features are computed once.
      session = await ort().InferenceSession.create(folder.onnxPath, sessionOptions({ threads: 1 }));
    } catch (err) {
      throw new EncoderFolderError('load-failed', 'The encoder {0} could not be loaded by ONNX Runtime: {1}. Re-export it.', [folder.onnxPath, (err as Error).message]);
    }
    let features: Float32Array;
    let hidden: number;
    let feature: 'pooler_output' | 'last_hidden_state';
    try {
      feature = pickFeatureOutput(session.outputNames, folder.onnxPath);
      const { inputs, unknown, wrongType } = readTokenInputs(session);
      if (!session.inputNames.includes('input_ids') || unknown.length > 0 || wrongType) {
        throw new EncoderFolderError('inputs-unsupported', 'The encoder {0} has the inputs {1}; Model Lab feeds input_ids, attention_mask and token_type_ids. Export a BERT-family encoder.', [folder.onnxPath, session.inputNames.join(', ')]);
      }
      progress(`encoding ${data.texts.length} texts with the frozen encoder (${feature}, up to ${maxLength} tokens)`, 0);
      const extracted = await extractFeatures(session, inputs, tokenizer, data.texts, { maxLength, batch: o.encodeBatch ?? 16, feature }, (done) => progress(`encoded ${done}/${data.texts.length} texts`, done / data.texts.length), check);
      features = extracted.features;
      hidden = extracted.hidden;
    } finally {
      await session.release();
    }

    const init = linearInit(hidden, classes, o.seed);
    const W = tf.variable(tf.tensor2d(init.weight, [hidden, classes]), true, `${HEAD_PREFIX}_w_${Date.now()}`);
    const b = tf.variable(tf.tensor1d(init.bias), true, `${HEAD_PREFIX}_b_${Date.now()}`);
    const rowsOf = (idx: readonly number[]) => {
      const x = new Float32Array(idx.length * hidden);
      idx.forEach((r, i) => x.set(features.subarray(r * hidden, (r + 1) * hidden), i * hidden));
      return tf.tensor2d(x, [idx.length, hidden]);
    };
    const logits = (rows: readonly number[]) => tf.add(tf.matMul(rowsOf(rows), W), b) as tfTypes.Tensor2D;
    // The untrained head's held-out accuracy, to show what training added.
    const initialPredictions = tf.tidy(() => tf.argMax(logits(split.heldOut), 1));
    const initial = Array.from(initialPredictions.dataSync() as Int32Array);
    initialPredictions.dispose();
    const initialHeldOutAccuracy = split.heldOut.filter((r, i) => data.labels[r] === initial[i]).length / split.heldOut.length;
    const featureName = feature === 'pooler_output' ? 'pooler_output' : 'last_hidden_state[:, 0]';
    return {
      variables: [W, b],
      logits,
      writeFiles(dir) {
        const model = appendLinearHead(decodeModel(fs.readFileSync(folder.onnxPath)), feature, Float32Array.from(W.dataSync() as Float32Array), Float32Array.from(b.dataSync() as Float32Array), hidden, classes);
        model.producerName = 'model-lab';
        model.metadataProps = [...(model.metadataProps ?? []), onnx.StringStringEntryProto.create({ key: 'model_lab_recipe', value: 'frozen-encoder linear head' })];
        fs.writeFileSync(path.join(dir, 'model.onnx'), encodeModel(model));
        for (const rel of externalDataFiles(model)) {
          const from = path.resolve(path.dirname(folder.onnxPath), rel);
          const to = path.resolve(dir, rel);
          // Checked as written: the file itself may be a link (a Hugging Face cache snapshot links into its blobs).
          if (path.isAbsolute(rel) || !isPathWithin(dir, to) || to === dir) throw new EncoderFolderError('external-data-outside', 'The encoder\'s external data path "{0}" points outside its folder; re-export the model.', [rel]);
          fs.mkdirSync(path.dirname(to), { recursive: true });
          fs.copyFileSync(from, to);
        }
        for (const f of TOKENIZER_FILES) {
          const from = path.join(folder.dir, f);
          if (fs.existsSync(from)) fs.copyFileSync(from, path.join(dir, f));
        }
      },
      tokenizer: tokenizer,
      configJson: () => ({ ...folder.rawConfig, architectures: ['BertForSequenceClassification'], trained_sequence_length: maxLength }),
      provenance: { recipe: 'linear head on a frozen encoder (Adam, softmax cross-entropy)', encoder: folder.dir, encoder_model_type: folder.config.modelType, feature: featureName },
      card: {
        model: `The frozen encoder ${path.basename(folder.dir)} (${folder.config.modelType ?? 'BERT-family'}, hidden size ${hidden}) unchanged, with a trained Linear(${hidden}, ${classes}) head on its ${featureName} appended to the graph (the article's recipe).`,
        preprocessing: `The encoder's own tokenizer (files copied from ${path.basename(folder.dir)}), at most ${maxLength} tokens per text including [CLS] and [SEP].`,
      },
      details: (history) => ({ initialHeldOutAccuracy, hidden, feature: featureName, finalLoss: history.at(-1)?.trainLoss ?? NaN }),
      metricsJson: (d) => ({ untrained_head_accuracy: d.initialHeldOutAccuracy, final_train_loss: d.finalLoss }),
      dispose: () => {},
    };
  },
};
