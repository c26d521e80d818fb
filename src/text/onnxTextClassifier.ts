/**
 * The text classifier: a model folder (modelFolder.ts) + our WordPiece tokenizer + an ONNX Runtime
 * session. `loadTextModel(dir)` validates the model against its files (inputs, outputs, labels, the
 * vocabulary against the embedding table) and `classify(text)` tokenizes, windows, runs the windows in
 * batches and aggregates. No `vscode` import: the extension runs this inside src/workers/textWorker.ts,
 * the CLI and the tests run it in-process.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import type { CodedError } from '../common/errors';
import { activate, aggregateWindows, argmax, type LabelProbability, type ProblemType } from './aggregate';
import { MODEL_FILE_LIMITS } from '../common/fileInput';
import { loadTokenizer, readJsonFile, resolveModelFolder, textModelError, type TextModelFiles } from './modelFolder';
import { chooseOnnxVariant, type ModelVariantSetting, type OnnxVariant } from './modelVariant';
import { ort, sessionOptions, sortTokenInputs, tensorMeta, tokenFeeds, type SessionLoadOptions, type TokenInput } from './ortSession';
import type { WordPieceTokenizer } from './tokenizer';
import { batches, planWindows, type TextWindow } from './windows';

/** Window length (special tokens included) when neither the model nor the tokenizer states one. */
const FALLBACK_MAX_LENGTH = 512;
export const DEFAULT_BATCH_SIZE = 8;
export const DEFAULT_WINDOW_OVERLAP = 32;

export interface ClassifyOptions {
  /** Tokens shared by neighbouring windows. */
  readonly windowOverlap?: number;
  /** Upper bound on the window length (special tokens included); 0 or undefined = the model's maximum. */
  readonly maxWindowTokens?: number;
  /** Windows per `session.run`. */
  readonly batchSize?: number;
  /** How many of the most decisive windows to name. */
  readonly decisiveCount?: number;
}

export interface WindowResult extends TextWindow {
  readonly labelIndex: number;
  readonly label: string;
  /** Probability of the window's own top label. */
  readonly probability: number;
  /** Probabilities of every label for this window, in label-id order. */
  readonly probabilities: number[];
}

export interface TextClassificationResult {
  /** The document's label and its (mean) probability. */
  readonly label: string;
  readonly labelIndex: number;
  readonly probability: number;
  /** Mean probability of every label, in label-id order. */
  readonly labels: LabelProbability[];
  readonly problemType: ProblemType;
  readonly activation: 'softmax' | 'sigmoid';
  readonly windows: WindowResult[];
  /** Indices into `windows`, most decisive first (highest probability for the document's label). */
  readonly decisiveWindows: number[];
  /** Per label (label-id order): the window that gives it the highest probability. */
  readonly maxWindowByLabel: { readonly label: string; readonly windowIndex: number; readonly probability: number }[];
  readonly textLength: number;
  readonly tokenCount: number;
  /** Window length in tokens, special tokens included. */
  readonly windowLength: number;
  readonly windowOverlap: number;
  readonly batchSize: number;
  readonly timings: { readonly tokenizeMs: number; readonly inferenceMs: number; readonly totalMs: number };
  readonly model: TextModelSummary;
}

export interface TextModelSummary {
  readonly name: string;
  readonly dir: string;
  readonly onnxFile: string;
  /** Which graph runs (modelVariant.ts) and, when the asked-for int8 graph was missing, the sentence saying so. */
  readonly variant: OnnxVariant;
  readonly variantNote?: string;
  readonly modelType: string | undefined;
  readonly inputs: string[];
  readonly labels: string[];
  readonly maxLength: number;
  readonly vocabSize: number;
}

export interface TextLoadOptions extends SessionLoadOptions {
  /** fp32 or int8 graph; "auto" (default) follows config.json's `model_lab.runtime.onnx_variant` (modelVariant.ts). */
  readonly variant?: ModelVariantSetting;
}

export class OnnxTextClassifier {
  private constructor(
    readonly files: TextModelFiles,
    readonly tokenizer: WordPieceTokenizer,
    private readonly session: InferenceSession,
    private readonly inputs: TokenInput[],
    private readonly outputName: string,
    readonly labels: string[],
    /** Longest window the model accepts, special tokens included. */
    readonly maxLength: number,
    /** A sequence length the graph fixes (static shape), when it does: every window is padded to it. */
    private readonly fixedSequence: number | undefined,
    /** A batch size the graph fixes, when it does. */
    private readonly fixedBatch: number | undefined,
    private readonly specialIds: { cls: number; sep: number; pad: number },
    private readonly variant: { variant: OnnxVariant; note?: string },
  ) {}

  get summary(): TextModelSummary {
    return {
      name: path.basename(this.files.dir),
      dir: this.files.dir,
      onnxFile: this.files.onnxPath,
      variant: this.variant.variant,
      ...(this.variant.note ? { variantNote: this.variant.note } : {}),
      modelType: this.files.config.modelType,
      inputs: this.inputs.map((i) => i.name),
      labels: this.labels,
      maxLength: this.maxLength,
      vocabSize: this.tokenizer.vocabSize,
    };
  }

  /** Loads and validates a model folder; every problem is a coded error with a sentence to act on. */
  static async load(dir: string, options: TextLoadOptions = {}): Promise<OnnxTextClassifier> {
    const resolved = resolveModelFolder(dir);
    const rawConfig: unknown = fs.existsSync(resolved.configPath) ? readJsonFile(resolved.configPath, 'config-invalid', MODEL_FILE_LIMITS.config) : undefined;
    const choice = chooseOnnxVariant(resolved.onnxPath, rawConfig, options.variant);
    const files: TextModelFiles = { ...resolved, onnxPath: choice.onnxPath };
    const { tokenizer, maxLength: tokenizerMaxLength } = loadTokenizer(files.dir);

    let session: InferenceSession;
    try {
      session = await ort().InferenceSession.create(files.onnxPath, sessionOptions(options, files.config.hiddenSize));
    } catch (err) {
      throw textModelError('model-corrupt', 'The model file {0} could not be loaded: {1}. Re-export the model, or point "modelLab.textModel" at another folder.', [files.onnxPath, errorText(err)]);
    }

    try {
      const inputs = checkTextModelInputs(session.inputNames.map((name) => ({ name, type: tensorMeta(session, name)?.type })), files.onnxPath);
      const outputName = pickTextModelOutput(session.outputNames, files.onnxPath);
      const idsMeta = tensorMeta(session, 'input_ids');
      const fixedSequence = positiveDim(idsMeta?.shape[1]);
      const fixedBatch = positiveDim(idsMeta?.shape[0]);

      const limits = [tokenizerMaxLength, files.config.maxPositionEmbeddings, fixedSequence].filter(
        (v): v is number => typeof v === 'number' && v > 2 && v < 1e6,
      );
      const maxLength = limits.length > 0 ? Math.min(...limits) : FALLBACK_MAX_LENGTH;

      const specialIds = {
        cls: requiredSpecial(tokenizer, tokenizer.config.clsToken, files.vocabPath),
        sep: requiredSpecial(tokenizer, tokenizer.config.sepToken, files.vocabPath),
        pad: tokenizer.tokenToId(tokenizer.config.padToken) ?? 0,
      };

      const classifier = new OnnxTextClassifier(files, tokenizer, session, inputs, outputName, [...files.config.labels], maxLength, fixedSequence, fixedBatch, specialIds, choice);
      // Probe with the largest id the tokenizer can produce: checks the vocabulary fits, checks the
      // logits against the labels, and warms the session up so the first real request is not slow.
      let logits: Float32Array[];
      try {
        logits = await classifier.runBatch([[specialIds.cls, tokenizer.vocabSize - 1, specialIds.sep]]);
      } catch (err) {
        const text = errorText(err);
        // ORT refuses an out-of-range Gather index. Only then is the graph read (a second pass over model.onnx and
        // the protobuf decoder, ~35 ms of a cold first classification) to name the embedding table's size.
        if (/out of (data )?bounds|out of range|indices element/i.test(text)) throw vocabMismatch(files, tokenizer.vocabSize, embeddingRowsOf(files.onnxPath));
        throw textModelError('model-run-failed', 'The model {0} loaded but failed a test run: {1}. Check that it is a sequence-classification export.', [files.onnxPath, text]);
      }
      const numLabels = logits[0].length;
      if (numLabels < 1) throw textModelError('output-missing', 'The model {0} outputs no logits per text; export it with a classification head.', [files.onnxPath]);
      if (classifier.labels.length === 0) {
        classifier.labels.push(...Array.from({ length: numLabels }, (_, i) => `LABEL_${i}`));
      } else if (classifier.labels.length !== numLabels) {
        throw textModelError('labels-mismatch', '{0} names {1} labels (id2label) but the model outputs {2} logits. Use the config.json exported with this model.', [
          files.configPath,
          classifier.labels.length,
          numLabels,
        ]);
      }
      return classifier;
    } catch (err) {
      await session.release().catch(() => undefined);
      throw err;
    }
  }

  /** Tokenizes without special tokens: ids and the UTF-16 range of each token. */
  tokenizeContent(text: string): { ids: number[]; offsets: [number, number][] } {
    const { ids, starts, ends } = this.tokenizer.tokenizeToIds(text);
    const offsets = new Array<[number, number]>(ids.length);
    for (let i = 0; i < ids.length; i++) offsets[i] = [starts[i], ends[i]];
    return { ids, offsets };
  }

  /**
   * Runs one batch of token-id sequences (special tokens included) and returns the raw logits per row.
   * Rows are right-padded to the longest one (or the graph's fixed length) with a zero attention mask.
   */
  async runBatch(rows: readonly (readonly number[])[]): Promise<Float32Array[]> {
    const batch = Math.max(rows.length, this.fixedBatch ?? 0);
    const seq = this.fixedSequence ?? Math.max(...rows.map((r) => r.length));
    const ids = new BigInt64Array(batch * seq);
    const mask = new BigInt64Array(batch * seq);
    const pad = BigInt(this.specialIds.pad);
    rows.forEach((row, r) => {
      const base = r * seq;
      for (let i = 0; i < seq; i++) {
        if (i < row.length) {
          ids[base + i] = BigInt(row[i]);
          mask[base + i] = 1n;
        } else ids[base + i] = pad;
      }
    });
    // Rows added only to fill a fixed batch dimension are padding too: one [CLS] so no row is fully masked.
    for (let r = rows.length; r < batch; r++) {
      ids[r * seq] = BigInt(this.specialIds.cls);
      mask[r * seq] = 1n;
    }
    const out = await this.session.run(tokenFeeds(this.inputs, batch, seq, { input_ids: ids, attention_mask: mask }), [this.outputName]);
    const logits = out[this.outputName];
    const dims = logits.dims;
    if (dims.length !== 2 || dims[0] !== batch) {
      throw textModelError('output-missing', 'The model\'s output "{0}" has shape [{1}]; a text classifier outputs [batch, labels].', [this.outputName, dims.join(', ')]);
    }
    const numLabels = dims[1];
    const data = logits.data as Float32Array;
    const result: Float32Array[] = [];
    for (let r = 0; r < rows.length; r++) result.push(Float32Array.from(data.subarray(r * numLabels, (r + 1) * numLabels)));
    return result;
  }

  /** Classifies a text of any length: windows, batched runs, activation, aggregation. */
  async classify(text: string, options: ClassifyOptions = {}): Promise<TextClassificationResult> {
    const t0 = performance.now();
    const maxWindowTokens = Math.floor(options.maxWindowTokens ?? 0);
    // A window needs room for [CLS], [SEP] and at least one token.
    const windowLength = Math.max(3, maxWindowTokens > 0 ? Math.min(maxWindowTokens, this.maxLength) : this.maxLength);
    const { ids, offsets } = this.tokenizeContent(text);
    if (ids.length === 0) {
      throw textModelError('no-tokens', 'The text has no tokens the model can read (it is empty, whitespace, or control characters only). Select some words and try again.');
    }
    const plan = planWindows(offsets, windowLength - 2, options.windowOverlap ?? DEFAULT_WINDOW_OVERLAP);
    const t1 = performance.now();

    const batchSize = Math.max(1, Math.floor(options.batchSize ?? DEFAULT_BATCH_SIZE));
    const effectiveBatch = this.fixedBatch ?? batchSize;
    const probabilities: number[][] = [];
    let inferenceMs = 0;
    for (const group of batches(plan.windows, effectiveBatch)) {
      const rows = group.map((w) => [this.specialIds.cls, ...ids.slice(w.tokenStart, w.tokenEnd), this.specialIds.sep]);
      const started = performance.now();
      const logits = await this.runBatch(rows);
      inferenceMs += performance.now() - started;
      for (const row of logits) probabilities.push(activate(row, this.files.config.problemType));
    }
    const agg = aggregateWindows(probabilities, options.decisiveCount ?? 3);
    const windows = plan.windows.map((w, i): WindowResult => {
      const top = argmax(probabilities[i]);
      return { ...w, labelIndex: top, label: this.labels[top], probability: probabilities[i][top], probabilities: probabilities[i] };
    });
    const problemType = this.files.config.problemType;
    return {
      label: this.labels[agg.top],
      labelIndex: agg.top,
      probability: agg.probabilities[agg.top],
      labels: agg.probabilities.map((probability, i) => ({ label: this.labels[i], probability })),
      problemType,
      activation: problemType === 'multi_label_classification' ? 'sigmoid' : 'softmax',
      windows,
      decisiveWindows: agg.decisiveWindows,
      maxWindowByLabel: agg.maxWindowByLabel.map((m, i) => ({ label: this.labels[i], ...m })),
      textLength: text.length,
      tokenCount: ids.length,
      windowLength,
      windowOverlap: plan.overlap,
      batchSize: effectiveBatch,
      timings: { tokenizeMs: t1 - t0, inferenceMs, totalMs: performance.now() - t0 },
      model: this.summary,
    };
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}

/** `loadTextModel(dir)`: the model folder as a ready classifier (see OnnxTextClassifier.load). */
export function loadTextModel(dir: string, options: TextLoadOptions = {}): Promise<OnnxTextClassifier> {
  return OnnxTextClassifier.load(dir, options);
}

function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).trim().replace(/[.\s]+$/, '');
}

function positiveDim(d: number | string | undefined): number | undefined {
  return typeof d === 'number' && d > 0 ? d : undefined;
}

/**
 * What a text model's inputs must be: `input_ids`, plus only inputs Model Lab fills (attention_mask,
 * token_type_ids), all int64 or int32 (`type` undefined: not stated, taken as int64). The loader and the model
 * inspector's "Use as text model" decide with this; throws the coded error that names the problem.
 */
export function checkTextModelInputs(declared: readonly { readonly name: string; readonly type: string | undefined }[], onnxPath: string): TokenInput[] {
  const names = declared.map((i) => i.name);
  if (!names.includes('input_ids')) {
    throw textModelError(
      'input-missing',
      'The model {0} has no input "input_ids" (its inputs are: {1}). Export a BERT-family sequence classifier whose inputs are input_ids and attention_mask.',
      [onnxPath, names.join(', ') || 'none'],
    );
  }
  const { inputs, unknown, wrongType } = sortTokenInputs(declared);
  if (unknown.length > 0) {
    const quoted = unknown.map((n) => `"${n}"`).join(', ');
    throw unknown.length > 1
      ? textModelError('input-unsupported', 'The model {0} needs the inputs {1}, which Model Lab cannot fill (it feeds input_ids, attention_mask and token_type_ids). Re-export the model without them.', [onnxPath, quoted])
      : textModelError('input-unsupported', 'The model {0} needs the input {1}, which Model Lab cannot fill (it feeds input_ids, attention_mask and token_type_ids). Re-export the model without it.', [onnxPath, quoted]);
  }
  if (wrongType) throw textModelError('input-unsupported', 'The model {0} expects "{1}" as {2}; token inputs must be int64 or int32. Re-export the model.', [onnxPath, wrongType.name, wrongType.type]);
  return inputs;
}

/** The output holding the logits: `logits`, or the only output; throws when neither exists. */
export function pickTextModelOutput(names: readonly string[], onnxPath: string): string {
  if (names.includes('logits')) return 'logits';
  if (names.length === 1) return names[0];
  throw textModelError('output-missing', 'The model {0} has no output "logits" (its outputs are: {1}). Export it as a sequence classifier (Optimum task "text-classification").', [
    onnxPath,
    names.join(', '),
  ]);
}

function requiredSpecial(tokenizer: WordPieceTokenizer, token: string, vocabPath: string): number {
  const id = tokenizer.tokenToId(token);
  if (id === undefined) throw textModelError('tokenizer-invalid', 'The vocabulary {0} has no "{1}" token, which every BERT input starts or ends with. Use the vocabulary exported with the model.', [vocabPath, token]);
  return id;
}

/** The word-embedding table's row count when the graph shows it; the ONNX decoder loads only on this error path. */
function embeddingRowsOf(onnxPath: string): number | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: the bundle initialises onnxGraph (and requires onnx-proto) only here
    const { inspectOnnxFile } = require('./onnxGraph') as typeof import('./onnxGraph');
    return inspectOnnxFile(onnxPath, 'input_ids').wordEmbeddingRows;
  } catch {
    return undefined; // ORT loaded the file, so it is a valid model; the message then says "smaller".
  }
}

function vocabMismatch(files: TextModelFiles, vocabSize: number, rows: number | undefined): CodedError {
  return rows === undefined
    ? textModelError(
        'vocab-mismatch',
        'The vocabulary {0} ({1} tokens) does not fit the model: the model\'s word-embedding table is smaller, so some token ids would be out of range. Use the vocabulary exported with this model.',
        [files.vocabPath, vocabSize],
      )
    : textModelError(
        'vocab-mismatch',
        'The vocabulary {0} ({1} tokens) does not fit the model: the model\'s word-embedding table has only {2} rows, so some token ids would be out of range. Use the vocabulary exported with this model.',
        [files.vocabPath, vocabSize, rows],
      );
}
