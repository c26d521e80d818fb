/**
 * What the Models view says about a model folder without loading the model: its task, labels, input and output,
 * and size on disk, read from `config.json` and the file listing. It never throws: a folder that cannot be read
 * is described by `problem`, so the view can show it with what is wrong. No `vscode` import.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isFileInputError, MODEL_FILE_LIMITS, readTextFileBoundedSync } from './fileInput';

export type ModelKind = 'image' | 'text';

export interface ModelSummary {
  readonly dir: string;
  readonly name: string;
  /** "image-classification", "text-classification", or what config.json says. */
  readonly task?: string;
  readonly labels: readonly string[];
  /** e.g. "input [batch, 28, 28, 1] float32"; "input_ids, attention_mask (≤ 512 tokens)". */
  readonly inputs?: string;
  readonly outputs?: string;
  /** Model files (.onnx, model.json and weights) in bytes. */
  readonly bytes: number;
  readonly modelFiles: readonly string[];
  /** Why the folder cannot be used, in one sentence; undefined when it looks usable. */
  readonly problem?: string;
}


const dimText = (d: unknown): string => (typeof d === 'number' ? String(d) : typeof d === 'string' && d ? d : 'batch');

function readConfig(dir: string): { config?: Record<string, unknown>; problem?: string } {
  const file = path.join(dir, 'config.json');
  let text: string;
  try {
    // A folder, device, FIFO or oversized file is refused before anything is read.
    text = readTextFileBoundedSync(file, MODEL_FILE_LIMITS.config);
  } catch (err) {
    if (isFileInputError(err) && err.code === 'fileMissing') return {};
    return { problem: err instanceof Error ? err.message : String(err) };
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { problem: `${file} does not hold a JSON object.` };
    return { config: parsed as Record<string, unknown> };
  } catch (err) {
    return { problem: `${file} is not valid JSON (${err instanceof Error ? err.message : String(err)}).` };
  }
}

function labelsOf(config: Record<string, unknown> | undefined): string[] {
  if (!config) return [];
  const id2label = config.id2label;
  if (id2label && typeof id2label === 'object' && !Array.isArray(id2label)) {
    return Object.entries(id2label as Record<string, unknown>)
      .filter(([k, v]) => /^\d+$/.test(k) && typeof v === 'string')
      .sort((a, b) => Number(a[0]) - Number(b[0]))
      .map(([, v]) => v as string);
  }
  return Array.isArray(config.labels) ? config.labels.filter((l): l is string => typeof l === 'string') : [];
}

export function summarizeModelFolder(dir: string, kind: ModelKind): ModelSummary {
  const name = path.basename(dir) || dir;
  let entries: string[];
  try {
    const stat = fs.statSync(dir);
    if (!stat.isDirectory()) return { dir, name, labels: [], bytes: 0, modelFiles: [], problem: `${dir} is not a folder.` };
    entries = fs.readdirSync(dir);
  } catch {
    return { dir, name, labels: [], bytes: 0, modelFiles: [], problem: `The folder ${dir} does not exist.` };
  }
  const modelFiles = entries.filter((f) => /\.onnx$|\.onnx_data$|^model\.json$|\.bin$/.test(f)).sort();
  let bytes = 0;
  for (const f of modelFiles) {
    try {
      bytes += fs.statSync(path.join(dir, f)).size;
    } catch {
      // listed a moment ago, gone now: counted as 0
    }
  }
  const { config, problem: configProblem } = readConfig(dir);
  const labels = labelsOf(config);
  const hasModel = modelFiles.some((f) => f.endsWith('.onnx') || f === 'model.json');
  const problem = configProblem ?? (hasModel ? undefined : `${dir} holds no model.onnx or model.json.`);

  let task = typeof config?.task === 'string' ? config.task : undefined;
  let inputs: string | undefined;
  let outputs: string | undefined;
  if (kind === 'image') {
    task ??= 'image-classification';
    const input = config?.input as { name?: unknown; shape?: unknown; dtype?: unknown } | undefined;
    if (input && Array.isArray(input.shape)) inputs = `${typeof input.name === 'string' ? input.name : 'input'} [${input.shape.map(dimText).join(', ')}]${typeof input.dtype === 'string' ? ` ${input.dtype}` : ''}`;
    const output = config?.output as { name?: unknown; shape?: unknown } | undefined;
    if (output && Array.isArray(output.shape)) outputs = `${typeof output.name === 'string' ? output.name : 'output'} [${output.shape.map(dimText).join(', ')}]`;
  } else {
    const arch = Array.isArray(config?.architectures) ? String(config.architectures[0]) : undefined;
    task ??= arch?.endsWith('ForSequenceClassification') ? 'text-classification' : arch;
    const maxTokens = typeof config?.max_position_embeddings === 'number' ? config.max_position_embeddings : undefined;
    inputs = `input_ids, attention_mask${maxTokens ? ` (≤ ${maxTokens} tokens)` : ''}`;
    if (labels.length > 0) outputs = `logits [batch, ${labels.length}]`;
  }
  return { dir, name, task, labels, inputs, outputs, bytes, modelFiles, problem };
}

/** "4.1 MB", "366 KB". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}
