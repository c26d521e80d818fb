/**
 * Model folders built by the tests themselves (nothing is downloaded): a small WordPiece vocabulary and
 * small ONNX graphs in the Optimum layout.
 *
 * `meanPoolClassifier` is a deliberately simple, fully known graph — mean of word embeddings over the
 * attention mask, then a linear layer — whose embedding rows are chosen so that "spam words" push label 1
 * and every other word pushes label 0. That makes window and aggregation tests meaningful (we know which
 * window must be the most spam-like), and its options produce the broken exports the error tests need.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OnnxGraphBuilder, type OnnxElementType } from '../../../src/train/onnx/graphBuilder';
import { exportBertClassifier, randomBertWeights, type BertClassifierConfig } from '../../../src/train/onnx/bertExport';

export const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
export const SPAM_WORDS = ['free', 'money', 'win', 'prize', 'click', 'cash', 'offer', 'winner'];
export const HAM_WORDS = [
  'the', 'a', 'meeting', 'tomorrow', 'report', 'hello', 'world', 'project', 'team', 'please', 'review',
  'notes', 'we', 'will', 'discuss', 'budget', 'at', 'in', 'on', 'and', 'of', 'to', 'is', 'this', 'for',
  'un', 'runn', 'thanks', 'see', 'you',
];
export const PIECES = ['##want', '##ed', '##ing', '##s', '##ly', ',', '.', '!', '?', ':', '-', "'"];
export const VOCAB = [...SPECIAL_TOKENS, ...SPAM_WORDS, ...HAM_WORDS, ...PIECES];

export function makeTempDir(prefix = 'model-lab-text-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface FolderFiles {
  onnx?: Uint8Array;
  /** Written as `onnx/model.onnx` instead of `model.onnx` (Transformers.js layout). */
  onnxInSubfolder?: boolean;
  config?: unknown;
  /** Raw text for config.json (to test parse errors); wins over `config`. */
  configText?: string;
  vocab?: readonly string[];
  tokenizerConfig?: unknown;
}

/** Writes a model folder; returns its path. */
export function writeModelFolder(dir: string, files: FolderFiles): string {
  fs.mkdirSync(dir, { recursive: true });
  if (files.onnx) {
    const target = files.onnxInSubfolder ? path.join(dir, 'onnx', 'model.onnx') : path.join(dir, 'model.onnx');
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, files.onnx);
  }
  if (files.configText !== undefined) fs.writeFileSync(path.join(dir, 'config.json'), files.configText);
  else if (files.config !== undefined) fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(files.config, null, 2));
  if (files.vocab) fs.writeFileSync(path.join(dir, 'vocab.txt'), files.vocab.join('\n') + '\n');
  if (files.tokenizerConfig !== undefined) fs.writeFileSync(path.join(dir, 'tokenizer_config.json'), JSON.stringify(files.tokenizerConfig));
  return dir;
}

export interface MeanPoolOptions {
  /** Rows of the embedding table (defaults to the vocabulary size). */
  embeddingRows?: number;
  labels?: number;
  tokenTypeIds?: boolean;
  /** Declare no attention_mask input (every position is then averaged). */
  noAttentionMask?: boolean;
  /** Name of the ids input (to test a model without `input_ids`). */
  idsName?: string;
  /** An extra input the classifier cannot fill. */
  extraInput?: string;
  inputType?: Extract<OnnxElementType, 'int64' | 'int32'>;
  outputName?: string;
  /** A second output (so a missing `logits` cannot be guessed). */
  secondOutput?: boolean;
  /** Static sequence length in the input shape. */
  staticSequence?: number;
}

/**
 * logits = W · mean_{mask}(E[ids]) + b, with E's first column +1 for spam words, −1 for ham words (0 for special
 * tokens and punctuation); W maps
 * that column to label 1 (and its negation to label 0) with a gain of 6.
 */
export function meanPoolClassifier(opts: MeanPoolOptions = {}): Uint8Array {
  const hidden = 4;
  const labels = opts.labels ?? 2;
  const rows = opts.embeddingRows ?? VOCAB.length;
  const idsName = opts.idsName ?? 'input_ids';
  const inputType = opts.inputType ?? 'int64';
  const seq = opts.staticSequence ?? 'sequence';
  const g = new OnnxGraphBuilder({ graphName: 'mean_pool_classifier' });
  g.addInput(idsName, inputType, ['batch', seq]);
  if (!opts.noAttentionMask) g.addInput('attention_mask', inputType, ['batch', seq]);
  if (opts.tokenTypeIds) g.addInput('token_type_ids', inputType, ['batch', seq]);
  if (opts.extraInput) g.addInput(opts.extraInput, inputType, ['batch', seq]);

  const table = new Float32Array(rows * hidden);
  for (let r = 0; r < rows; r++) {
    const token = VOCAB[r];
    table[r * hidden] = token === undefined ? 0 : SPAM_WORDS.includes(token) ? 1 : HAM_WORDS.includes(token) ? -1 : 0;
    for (let h = 1; h < hidden; h++) table[r * hidden + h] = ((r * 7 + h * 3) % 11) / 50;
  }
  g.addInitializer('word_embeddings', table, [rows, hidden]);
  let emb = g.op('Gather', ['word_embeddings', idsName], {}, 'embedded');
  if (opts.tokenTypeIds) {
    g.addInitializer('token_type_embeddings', new Float32Array(2 * hidden), [2, hidden]);
    emb = g.op('Add', [emb, g.op('Gather', ['token_type_embeddings', 'token_type_ids'])]);
  }
  const axisLast = g.addConstant('axis_last', BigInt64Array.from([-1n]), [1]);
  const axisSeq = g.addConstant('axis_seq', BigInt64Array.from([1n]), [1]);
  let maskSource: string;
  if (opts.noAttentionMask) {
    // All ones in the shape of the ids.
    maskSource = g.op('Cast', [g.op('Mul', [idsName, g.addConstant('zero', inputType === 'int32' ? Int32Array.from([0]) : BigInt64Array.from([0n]), [])])], { to: 1 });
    maskSource = g.op('Add', [maskSource, g.addConstant('one', Float32Array.from([1]), [])]);
  } else {
    maskSource = g.op('Cast', ['attention_mask'], { to: 1 });
  }
  if (opts.extraInput) maskSource = g.op('Add', [maskSource, g.op('Mul', [g.op('Cast', [opts.extraInput], { to: 1 }), g.addConstant('zerof', Float32Array.from([0]), [])])]);
  const mask = g.op('Unsqueeze', [maskSource, axisLast]);
  const summed = g.op('ReduceSum', [g.op('Mul', [emb, mask]), axisSeq], { keepdims: 0 });
  const count = g.op('ReduceSum', [mask, axisSeq], { keepdims: 0 });
  const pooled = g.op('Div', [summed, count]);
  const w = new Float32Array(hidden * labels);
  // Column 0 of the features decides: label 1 gets +6·x0, label 0 gets −6·x0, other labels small weights.
  for (let l = 0; l < labels; l++) w[l] = l === 1 ? 6 : l === 0 ? -6 : 0.5 * l;
  for (let h = 1; h < hidden; h++) for (let l = 0; l < labels; l++) w[h * labels + l] = ((h + l) % 3) / 10;
  g.addInitializer('classifier_weight', w, [hidden, labels]);
  g.addInitializer('classifier_bias', new Float32Array(labels), [labels]);
  const outName = opts.outputName ?? 'logits';
  g.addNode('Add', [g.op('MatMul', [pooled, 'classifier_weight']), 'classifier_bias'], [outName]);
  g.addOutput(outName, 'float32', ['batch', labels]);
  if (opts.secondOutput) {
    g.addNode('Identity', [pooled], ['pooled_output']);
    g.addOutput('pooled_output', 'float32', ['batch', hidden]);
  }
  return g.toBytes();
}

export function spamConfig(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    model_type: 'bert',
    architectures: ['BertForSequenceClassification'],
    id2label: { '0': 'ham', '1': 'spam' },
    label2id: { ham: 0, spam: 1 },
    max_position_embeddings: 16,
    problem_type: 'single_label_classification',
    ...extra,
  };
}

/** A complete working mean-pool model folder. */
export function meanPoolFolder(dir: string, opts: MeanPoolOptions = {}, config: Record<string, unknown> = spamConfig()): string {
  return writeModelFolder(dir, { onnx: meanPoolClassifier(opts), config, vocab: VOCAB, tokenizerConfig: { do_lower_case: true, model_max_length: 512 } });
}

/** A tiny BERT configuration for graphs built by H2's exporter (src/train/onnx/bertExport.ts). */
export function tinyBertConfig(overrides: Partial<BertClassifierConfig> = {}): BertClassifierConfig {
  return {
    vocabSize: VOCAB.length,
    hiddenSize: 16,
    numHiddenLayers: 2,
    numAttentionHeads: 2,
    intermediateSize: 32,
    maxPositionEmbeddings: 24,
    typeVocabSize: 2,
    layerNormEps: 1e-12,
    numLabels: 2,
    ...overrides,
  };
}

/**
 * A real BERT-shaped (inputs input_ids, attention_mask, token_type_ids) or DistilBERT-shaped (no
 * token_type_ids) sequence classifier with random weights, in the Optimum folder layout.
 */
export function bertFolder(dir: string, kind: 'bert' | 'distilbert', overrides: Partial<BertClassifierConfig> = {}, seed = 7): string {
  const config = tinyBertConfig(overrides);
  const onnxBytes = exportBertClassifier(config, randomBertWeights(config, seed), { tokenTypeIds: kind === 'bert' });
  const hfConfig: Record<string, unknown> = {
    model_type: kind,
    architectures: [kind === 'bert' ? 'BertForSequenceClassification' : 'DistilBertForSequenceClassification'],
    id2label: Object.fromEntries(Array.from({ length: config.numLabels }, (_, i) => [String(i), i === 1 ? 'spam' : i === 0 ? 'ham' : `class_${i}`])),
    max_position_embeddings: config.maxPositionEmbeddings,
    vocab_size: config.vocabSize,
  };
  return writeModelFolder(dir, { onnx: onnxBytes, config: hfConfig, vocab: VOCAB, tokenizerConfig: { do_lower_case: true, model_max_length: 512 } });
}
