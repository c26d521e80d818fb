/**
 * The one Hugging Face model-folder module: finds and reads the files of a text model folder (a classifier, or
 * an encoder for training) in Hugging Face Optimum's layout, with one clear sentence per problem, and loads its
 * tokenizer. No ONNX Runtime here (see ortSession.ts), no `vscode` import.
 *
 * Layout: `model.onnx` (or `onnx/model.onnx`, the Transformers.js layout), `config.json` (`id2label`,
 * `problem_type`, `max_position_embeddings`, `model_type`), `vocab.txt` or `tokenizer.json`, optional
 * `tokenizer_config.json` and `special_tokens_map.json`. The quantized sibling `model.int8.onnx` runs only when
 * config.json records it as the faster variant or the user asks for it (modelVariant.ts), so results do not
 * change silently when a file is added.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CodedError, type ErrorArg } from '../common/errors';
import { MODEL_FILE_LIMITS, readTextFileBoundedSync, type ReadLimit } from '../common/fileInput';
import { fileStamps } from '../common/latestModelCache';
import type { ProblemType } from './aggregate';
import { parseTokenizerConfig, WordPieceTokenizer } from './tokenizer';

/** Where the graph may be, in order: Optimum's layout, then Transformers.js's. */
export const ONNX_FILES = ['model.onnx', 'onnx/model.onnx'] as const;
/** The tokenizer's files; the first two are alternatives (tokenizer.json wins), the others optional. */
export const TOKENIZER_FILES = ['tokenizer.json', 'vocab.txt', 'tokenizer_config.json', 'special_tokens_map.json'] as const;
/** Every file a loaded model depends on. */
export const MODEL_FOLDER_FILES = [...ONNX_FILES, 'config.json', ...TOKENIZER_FILES] as const;

/**
 * The codes of text-model problems (CodedError, src/common/errors.ts). A code names the kind of problem; each
 * throw site gives the sentence (template) that says what to do.
 */
export type TextModelErrorCode =
  | 'folder-missing'
  | 'onnx-missing'
  | 'config-missing'
  | 'config-invalid'
  | 'vocab-missing'
  | 'tokenizer-invalid'
  | 'input-missing'
  | 'input-unsupported'
  | 'output-missing'
  | 'model-corrupt'
  | 'vocab-mismatch'
  | 'labels-mismatch'
  | 'model-run-failed'
  | 'no-tokens';

/** A text-model problem: a CodedError with one of the codes above, the sentence and its arguments. */
export function textModelError(code: TextModelErrorCode, template: string, args: readonly ErrorArg[] = []): CodedError {
  return new CodedError(code, template, args);
}

export interface TextModelConfig {
  /** Labels by id; `LABEL_i` where the config names none. Empty when the config gives neither names nor a count. */
  readonly labels: string[];
  readonly problemType: ProblemType;
  readonly maxPositionEmbeddings: number | undefined;
  readonly modelType: string | undefined;
  /** `hidden_size` (BERT) or `dim` (DistilBERT), when the config states it. */
  readonly hiddenSize: number | undefined;
}

export interface TextModelFiles {
  readonly dir: string;
  readonly onnxPath: string;
  /** config.json; for an encoder it may be absent (then `config` holds no facts). */
  readonly configPath: string;
  readonly config: TextModelConfig;
  /** config.json as read ({} when absent), for a writer that carries it over (the frozen-encoder recipe). */
  readonly rawConfig: Readonly<Record<string, unknown>>;
  /** The vocabulary file the tokenizer reads: tokenizer.json when present, else vocab.txt. */
  readonly vocabPath: string;
}

/** What the folder is for: a classifier to run, or an encoder to train a head on (config.json optional). */
export type ModelFolderRole = 'classifier' | 'encoder';

/**
 * Reads a JSON file through the bounded reader (regular files only, size checked before the read); a parse error
 * names the file and the line and column of the problem.
 */
export function readJsonFile(file: string, code: 'config-invalid' | 'tokenizer-invalid', limit: ReadLimit): unknown {
  const text = readTextFileBoundedSync(file, limit);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    const at = /position (\d+)/.exec(detail);
    if (at) {
      const pos = Number(at[1]);
      const before = text.slice(0, pos);
      const line = before.split('\n').length;
      const column = pos - before.lastIndexOf('\n');
      throw textModelError(code, '{0} is not valid JSON at line {1}, column {2}: {3}. Fix or re-export the file.', [file, line, column, detail]);
    }
    if (/end of (JSON )?input/i.test(detail)) throw textModelError(code, '{0} is not valid JSON at the end of the file: {1}. Fix or re-export the file.', [file, detail]);
    throw textModelError(code, '{0} is not valid JSON: {1}. Fix or re-export the file.', [file, detail]);
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads the classifier settings out of a parsed config.json. */
export function parseModelConfig(raw: unknown, file: string): TextModelConfig {
  if (!isRecord(raw)) throw textModelError('config-invalid', '{0} must contain a JSON object (it holds id2label, problem_type, model_type).', [file]);
  let labels: string[] = [];
  if (raw.id2label !== undefined) {
    if (!isRecord(raw.id2label)) throw textModelError('config-invalid', '{0}: "id2label" must be an object such as {"0": "ham", "1": "spam"}.', [file]);
    const entries: [number, string][] = [];
    for (const [key, name] of Object.entries(raw.id2label)) {
      const id = Number(key);
      if (!/^\d+$/.test(key) || !Number.isSafeInteger(id)) throw textModelError('config-invalid', '{0}: "id2label" has the key "{1}", which is not a label id (0, 1, 2, …).', [file, key]);
      if (typeof name !== 'string') throw textModelError('config-invalid', '{0}: "id2label" must map ids to label names (strings); "{1}" does not.', [file, key]);
      entries.push([id, name]);
    }
    const count = entries.length === 0 ? 0 : Math.max(...entries.map(([id]) => id)) + 1;
    if (count > 100_000) throw textModelError('config-invalid', '{0}: "id2label" has the label id {1}; label ids count up from 0 without large gaps.', [file, count - 1]);
    labels = Array.from({ length: count }, (_, i) => `LABEL_${i}`);
    for (const [id, name] of entries) labels[id] = name;
  } else if (typeof raw.num_labels === 'number' && Number.isInteger(raw.num_labels) && raw.num_labels > 0) {
    labels = Array.from({ length: raw.num_labels }, (_, i) => `LABEL_${i}`);
  }
  const pt = raw.problem_type;
  let problemType: ProblemType = 'single_label_classification';
  if (pt === 'multi_label_classification') problemType = pt;
  else if (pt !== undefined && pt !== null && pt !== 'single_label_classification') {
    throw textModelError('config-invalid', '{0}: problem_type "{1}" is not supported; Model Lab runs classifiers ("single_label_classification" or "multi_label_classification").', [
      file,
      String(pt),
    ]);
  }
  const mpe = raw.max_position_embeddings;
  const maxPositionEmbeddings = typeof mpe === 'number' && Number.isInteger(mpe) && mpe > 2 ? mpe : undefined;
  const modelType = typeof raw.model_type === 'string' ? raw.model_type : undefined;
  const hs = raw.hidden_size ?? raw.dim;
  const hiddenSize = typeof hs === 'number' && Number.isInteger(hs) && hs > 0 ? hs : undefined;
  return { labels, problemType, maxPositionEmbeddings, modelType, hiddenSize };
}

/** Hugging Face writes int(1e30) as model_max_length when a tokenizer has no limit. */
function realMaxLength(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v > 2 && v < 1e6 ? v : undefined;
}

function firstExisting(dir: string, names: readonly string[]): string | undefined {
  return names.map((n) => path.join(dir, n)).find((p) => fs.existsSync(p));
}

/** The folder's ONNX graph (model.onnx, else onnx/model.onnx), if any. */
export function findOnnxFile(dir: string): string | undefined {
  return firstExisting(dir, ONNX_FILES);
}

/** tokenizer.json wins when both exist: it describes the whole pipeline (as in Hugging Face's fast tokenizers). */
export function findVocabFile(dir: string): string | undefined {
  return firstExisting(dir, ['tokenizer.json', 'vocab.txt']);
}

/** The modification times of every file a loaded model depends on: part of the worker's cache key. */
export function modelFolderStamp(dir: string): string {
  return fileStamps(MODEL_FOLDER_FILES.map((f) => path.join(dir, f)));
}

const NO_CONFIG: TextModelConfig = { labels: [], problemType: 'single_label_classification', maxPositionEmbeddings: undefined, modelType: undefined, hiddenSize: undefined };

/**
 * Finds the model's files and reads its configuration; throws a coded error for each problem. A classifier
 * needs config.json (it names the labels); an encoder may do without. The tokenizer is read by loadTokenizer.
 */
export function resolveModelFolder(dir: string, role: ModelFolderRole = 'classifier'): TextModelFiles {
  const abs = path.resolve(dir);
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(abs);
  } catch {
    stat = undefined;
  }
  if (role === 'encoder') {
    if (!stat?.isDirectory()) {
      throw textModelError('folder-missing', 'The encoder folder {0} does not exist. Choose the folder of an ONNX export (model.onnx, vocab.txt or tokenizer.json, config.json), for example bert-base-uncased exported with Hugging Face Optimum.', [abs]);
    }
  } else {
    if (!stat) throw textModelError('folder-missing', 'The model folder {0} does not exist. Set "modelLab.textModel" to a folder with model.onnx, config.json and vocab.txt, or leave it empty for the bundled model.', [abs]);
    if (!stat.isDirectory()) throw textModelError('folder-missing', '{0} is a file, not a model folder. Point to the folder that holds model.onnx, config.json and vocab.txt.', [abs]);
  }

  const onnxPath = findOnnxFile(abs);
  if (!onnxPath) {
    throw role === 'encoder'
      ? textModelError('onnx-missing', 'The encoder folder {0} has no model.onnx (nor onnx/model.onnx). Export the encoder to ONNX into this folder (Optimum task "feature-extraction").', [abs])
      : textModelError('onnx-missing', 'The model folder {0} has no model.onnx (nor onnx/model.onnx). Export the model to ONNX (for example with Hugging Face Optimum) into this folder.', [abs]);
  }

  const configPath = path.join(abs, 'config.json');
  let config = NO_CONFIG;
  let rawConfig: Record<string, unknown> = {};
  if (fs.existsSync(configPath)) {
    const raw = readJsonFile(configPath, 'config-invalid', MODEL_FILE_LIMITS.config);
    config = parseModelConfig(raw, configPath);
    rawConfig = raw as Record<string, unknown>;
  } else if (role === 'classifier') {
    throw textModelError('config-missing', 'The model folder {0} has no config.json; it names the labels (id2label). Copy the config.json saved with the model into the folder.', [abs]);
  }

  const vocabPath = findVocabFile(abs);
  if (!vocabPath) {
    throw role === 'encoder'
      ? textModelError('vocab-missing', 'The encoder folder {0} has neither vocab.txt nor tokenizer.json, so texts cannot be tokenized. Copy the tokenizer files saved with the model into the folder.', [abs])
      : textModelError('vocab-missing', 'The model folder {0} has neither vocab.txt nor tokenizer.json, so its text cannot be tokenized. Copy the tokenizer files saved with the model into the folder.', [abs]);
  }
  return { dir: abs, onnxPath, configPath, config, rawConfig, vocabPath };
}

export interface FolderTokenizer {
  readonly tokenizer: WordPieceTokenizer;
  /** The file the vocabulary came from (tokenizer.json or vocab.txt). */
  readonly vocabPath: string;
  /**
   * The longest input the tokenizer files allow: tokenizer_config.json's `model_max_length` when it is a real
   * limit (Hugging Face writes 1e30 for "none"), else the tokenizer's own.
   */
  readonly maxLength: number | undefined;
}

/**
 * Reads a folder's tokenizer files once: `tokenizer.json` if present, else `vocab.txt`, with the optional
 * `tokenizer_config.json` (lower-casing, accents, special tokens, `model_max_length`). Needs only those files, so
 * `model-lab tokenize` works on a folder without a graph. JSON errors name the line and column.
 */
export function loadTokenizer(dir: string): FolderTokenizer {
  const abs = path.resolve(dir);
  const vocabPath = findVocabFile(abs);
  if (!vocabPath) throw textModelError('vocab-missing', '{0} has neither vocab.txt nor tokenizer.json: a BERT-family model folder needs one of them.', [abs]);
  const tokenizerConfigPath = path.join(abs, 'tokenizer_config.json');
  const rawConfig = fs.existsSync(tokenizerConfigPath) ? readJsonFile(tokenizerConfigPath, 'tokenizer-invalid', MODEL_FILE_LIMITS.tokenizerConfig) : undefined;
  try {
    const overrides = rawConfig === undefined ? {} : parseTokenizerConfig(rawConfig, tokenizerConfigPath);
    const tokenizer = vocabPath.endsWith('.json')
      ? WordPieceTokenizer.fromTokenizerJson(readJsonFile(vocabPath, 'tokenizer-invalid', MODEL_FILE_LIMITS.tokenizerJson), overrides.modelMaxLength)
      : WordPieceTokenizer.fromVocabText(readTextFileBoundedSync(vocabPath, MODEL_FILE_LIMITS.vocabText), overrides);
    const configured = isRecord(rawConfig) ? realMaxLength(rawConfig.model_max_length) : undefined;
    return { tokenizer, vocabPath, maxLength: configured ?? tokenizer.config.modelMaxLength };
  } catch (err) {
    if (err instanceof CodedError) throw err;
    throw textModelError('tokenizer-invalid', 'The tokenizer in {0} could not be read: {1}', [abs, (err instanceof Error ? err.message : String(err)).trim().replace(/[.\s]+$/, '')]);
  }
}
