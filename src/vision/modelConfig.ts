/**
 * Finds an image model on disk and reads what Model Lab needs to feed it: the model file (ONNX or a tfjs
 * layers `model.json`), `config.json` (labels, input layout, preprocessing, output activation) and
 * `labels.txt`. No `vscode` import.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MODEL_FILE_LIMITS, readTextFileBoundedSync } from '../common/fileInput';
import { visionError } from './errors';
import type { PreprocessingSpec } from './preprocess';

export type ImageModelKind = 'onnx' | 'tfjs';

/** The largest input height or width config.json may give: the same bound as an image's side (65535). */
export const MAX_INPUT_DIM = 65535;

export interface ImageModelLocation {
  readonly kind: ImageModelKind;
  /** model.onnx or model.json */
  readonly modelPath: string;
  /** The folder holding the model and its config.json / labels.txt. */
  readonly dir: string;
}

/** The parts of config.json Model Lab reads; everything is optional for a user's model. */
export interface ImageModelConfig {
  readonly name?: string;
  readonly model_type?: string;
  readonly task?: string;
  readonly labels?: readonly string[];
  readonly id2label?: Readonly<Record<string, string>>;
  readonly input?: { readonly name?: string; readonly shape?: readonly (number | null)[]; readonly layout?: string; readonly dtype?: string };
  readonly output?: { readonly name?: string; readonly activation?: string };
  readonly preprocessing?: { readonly kind?: string; readonly mean?: number | readonly number[]; readonly std?: number | readonly number[]; readonly ink_threshold?: number };
}

/**
 * Resolves a setting value (a folder, a `.onnx` file or a `model.json`) to a model. Throws
 * visionError('modelMissing') when nothing usable is there.
 */
export function locateImageModel(target: string): ImageModelLocation {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch {
    throw visionError('modelMissing', [target]);
  }
  if (stat.isFile()) {
    if (target.toLowerCase().endsWith('.onnx')) return { kind: 'onnx', modelPath: target, dir: path.dirname(target) };
    if (target.toLowerCase().endsWith('.json')) return { kind: 'tfjs', modelPath: target, dir: path.dirname(target) };
    throw visionError('modelMissing', [target]);
  }
  for (const [kind, rel] of [['onnx', 'model.onnx'], ['onnx', 'onnx/model.onnx'], ['tfjs', 'model.json']] as const) {
    const p = path.join(target, rel);
    if (fs.existsSync(p)) return { kind, modelPath: p, dir: target };
  }
  throw visionError('modelMissing', [target]);
}

export function readImageModelConfig(dir: string): ImageModelConfig {
  const file = path.join(dir, 'config.json');
  if (!fs.existsSync(file)) return {};
  try {
    const parsed: unknown = JSON.parse(readTextFileBoundedSync(file, MODEL_FILE_LIMITS.config));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('config.json is not a JSON object');
    const problem = configProblem(parsed as Record<string, unknown>);
    if (problem) throw new Error(problem);
    return parsed as ImageModelConfig;
  } catch (err) {
    throw visionError('modelCorrupt', [dir, `config.json: ${err instanceof Error ? err.message : String(err)}`]);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown) => JSON.stringify(v)?.slice(0, 60) ?? String(v);

/**
 * What is wrong with config.json's shape, as a clause naming the field, or undefined. Every field Model Lab
 * reads must have the type it is used as: a number where arithmetic happens ("abc" as a mean printed
 * "NaN%"), a string where text is (a numeric label, or an activation that is not a string, failed deep in
 * the code with "r.toLowerCase is not a function").
 */
export function configProblem(c: Record<string, unknown>): string | undefined {
  const optionalString = (v: unknown, name: string) => (v === undefined || typeof v === 'string' ? undefined : `"${name}" must be a string, not ${show(v)}`);
  const finite = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
  const problems: (string | undefined)[] = [optionalString(c.name, 'name')];
  if (c.labels !== undefined && !(Array.isArray(c.labels) && c.labels.every((l) => typeof l === 'string'))) problems.push('"labels" must be a list of strings');
  if (c.id2label !== undefined) {
    if (!isObject(c.id2label)) problems.push('"id2label" must be an object such as {"0": "cat", "1": "dog"}');
    else {
      const bad = Object.entries(c.id2label).find(([k, v]) => typeof v !== 'string' || !/^\d+$/.test(k));
      if (bad) problems.push(`"id2label" maps ${show(bad[0])} to ${show(bad[1])}; keys must be class numbers and values strings`);
    }
  }
  if (c.input !== undefined) {
    if (!isObject(c.input)) problems.push('"input" must be an object');
    else {
      problems.push(optionalString(c.input.name, 'input.name'), optionalString(c.input.layout, 'input.layout'));
      const shape = c.input.shape;
      if (shape !== undefined && !(Array.isArray(shape) && shape.every((d) => d === null || (Number.isInteger(d) && (d as number) > 0 && (d as number) <= MAX_INPUT_DIM)))) {
        problems.push(`"input.shape" must list whole numbers from 1 to ${MAX_INPUT_DIM} (or null for the batch), not ${show(shape)}`);
      }
    }
  }
  if (c.output !== undefined) {
    if (!isObject(c.output)) problems.push('"output" must be an object');
    else problems.push(optionalString(c.output.name, 'output.name'), optionalString(c.output.activation, 'output.activation'));
  }
  const p = c.preprocessing;
  if (p !== undefined) {
    if (!isObject(p)) problems.push('"preprocessing" must be an object');
    else {
      problems.push(optionalString(p.kind, 'preprocessing.kind'));
      for (const key of ['mean', 'std'] as const) {
        const v = p[key];
        if (v === undefined) continue;
        const values = Array.isArray(v) ? v : [v];
        if (values.length === 0 || !values.every(finite)) problems.push(`"preprocessing.${key}" must be a number or a list of numbers, not ${show(v)}`);
        else if (key === 'std' && values.some((x) => x === 0)) problems.push('"preprocessing.std" must not be 0 (the pixels are divided by it)');
      }
      if (p.ink_threshold !== undefined && !(finite(p.ink_threshold) && (p.ink_threshold as number) >= 0 && (p.ink_threshold as number) <= 1)) {
        problems.push(`"preprocessing.ink_threshold" must be a number from 0 to 1, not ${show(p.ink_threshold)}`);
      }
    }
  }
  return problems.find((x) => x !== undefined);
}

/**
 * Class names for `count` outputs: config.json `id2label`, then its `labels`, then labels.txt (one per
 * line), else "0" … "count-1". A list of the wrong length is ignored rather than mislabelling classes.
 */
export function resolveLabels(dir: string, config: ImageModelConfig, count: number): string[] {
  const fallback = Array.from({ length: count }, (_, i) => String(i));
  if (config.id2label) {
    const labels = fallback.map((d, i) => config.id2label?.[String(i)] ?? d);
    if (Object.keys(config.id2label).length === count) return labels;
  }
  if (config.labels && config.labels.length === count) return config.labels.map(String);
  const txt = path.join(dir, 'labels.txt');
  if (fs.existsSync(txt)) {
    const lines = readTextFileBoundedSync(txt, MODEL_FILE_LIMITS.labels).split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
    if (lines.length === count) return lines;
  }
  return fallback;
}

/** The preprocessing config.json asks for; `mnist` for 28×28 one-channel models without a config, else `resize`. */
export function resolvePreprocessing(config: ImageModelConfig, height: number, width: number, channels: number): PreprocessingSpec {
  const p = config.preprocessing;
  const kind = p?.kind ?? (height === 28 && width === 28 && channels === 1 ? 'mnist' : 'resize');
  const list = (v: number | readonly number[] | undefined) => (v === undefined ? undefined : typeof v === 'number' ? [v] : v);
  if (kind === 'mnist') {
    const mean = list(p?.mean)?.[0];
    const std = list(p?.std)?.[0];
    return { kind: 'mnist', mean, std, inkThreshold: p?.ink_threshold };
  }
  if (kind === 'resize' || kind === 'imagenet') return { kind, mean: list(p?.mean), std: list(p?.std) };
  throw visionError('modelInput', [config.name ?? 'model', `unknown preprocessing kind "${kind}" in config.json (use mnist, resize or imagenet)`]);
}
