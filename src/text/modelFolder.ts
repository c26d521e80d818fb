/**
 * Finds and reads the files of a text-classifier model folder in Hugging Face Optimum's layout, with one
 * clear sentence per problem. No ONNX Runtime here (see textClassifier.ts), no `vscode` import.
 *
 * Layout: `model.onnx` (or `onnx/model.onnx`, the Transformers.js layout), `config.json` (`id2label`,
 * `problem_type`, `max_position_embeddings`, `model_type`), `vocab.txt` or `tokenizer.json`, optional
 * `tokenizer_config.json` and `special_tokens_map.json`. Quantized siblings such as `model.int8.onnx` are
 * not picked automatically: the folder's `model.onnx` is what runs, so results do not change silently when
 * a file is added; to run a quantized model, give it its own folder with the file named `model.onnx`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CodedError, type ErrorArg } from '../common/errors';
import type { ProblemType } from './aggregate';

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
  readonly configPath: string;
  readonly config: TextModelConfig;
  /** `model_max_length` from tokenizer_config.json when it is a real limit (Hugging Face writes 1e30 for "none"). */
  readonly tokenizerMaxLength: number | undefined;
  /** The vocabulary file the tokenizer reads: tokenizer.json when present, else vocab.txt. */
  readonly vocabPath: string;
}

/** Reads a JSON file; a parse error names the file and the line and column of the problem. */
export function readJsonFile(file: string, code: 'config-invalid' | 'tokenizer-invalid'): unknown {
  const text = fs.readFileSync(file, 'utf8');
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

/** Finds the model's files and reads its configuration; throws a coded error for each problem. */
export function resolveModelFolder(dir: string): TextModelFiles {
  const abs = path.resolve(dir);
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(abs);
  } catch {
    stat = undefined;
  }
  if (!stat) throw textModelError('folder-missing', 'The model folder {0} does not exist. Set "modelLab.textModel" to a folder with model.onnx, config.json and vocab.txt, or leave it empty for the bundled model.', [abs]);
  if (!stat.isDirectory()) throw textModelError('folder-missing', '{0} is a file, not a model folder. Point to the folder that holds model.onnx, config.json and vocab.txt.', [abs]);

  const onnxPath = [path.join(abs, 'model.onnx'), path.join(abs, 'onnx', 'model.onnx')].find((p) => fs.existsSync(p));
  if (!onnxPath) throw textModelError('onnx-missing', 'The model folder {0} has no model.onnx (nor onnx/model.onnx). Export the model to ONNX (for example with Hugging Face Optimum) into this folder.', [abs]);

  const configPath = path.join(abs, 'config.json');
  if (!fs.existsSync(configPath)) throw textModelError('config-missing', 'The model folder {0} has no config.json; it names the labels (id2label). Copy the config.json saved with the model into the folder.', [abs]);
  const config = parseModelConfig(readJsonFile(configPath, 'config-invalid'), configPath);

  // tokenizer.json wins when both exist: it describes the whole pipeline (as in Hugging Face's fast tokenizers).
  const vocabPath = [path.join(abs, 'tokenizer.json'), path.join(abs, 'vocab.txt')].find((p) => fs.existsSync(p));
  if (!vocabPath) throw textModelError('vocab-missing', 'The model folder {0} has neither vocab.txt nor tokenizer.json, so its text cannot be tokenized. Copy the tokenizer files saved with the model into the folder.', [abs]);
  // Parse errors here name the line and column; the tokenizer itself reports only the message.
  if (vocabPath.endsWith('.json')) readJsonFile(vocabPath, 'tokenizer-invalid');

  let tokenizerMaxLength: number | undefined;
  const tokenizerConfigPath = path.join(abs, 'tokenizer_config.json');
  if (fs.existsSync(tokenizerConfigPath)) {
    const tc = readJsonFile(tokenizerConfigPath, 'tokenizer-invalid');
    if (isRecord(tc)) tokenizerMaxLength = realMaxLength(tc.model_max_length);
  }
  return { dir: abs, onnxPath, configPath, config, tokenizerMaxLength, vocabPath };
}
