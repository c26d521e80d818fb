/**
 * Which graph of a text model folder runs: `model.onnx` (fp32) or its quantized sibling `model.int8.onnx`.
 * No `vscode` import.
 *
 * int8 is not faster everywhere: on the bundled spam-bert-tiny (hidden size 32) quantizing and dequantizing
 * activations costs more than the small int8 GEMMs save, while on BERT-base it pays. So the folder says which
 * variant to run, measured when the model was built: `model_lab.runtime.onnx_variant` in config.json ("fp32" or
 * "int8", with the measurement that chose it next to it). The setting `modelLab.text.modelVariant` overrides it.
 * Without a recorded choice the folder's `model.onnx` runs, so results never change because a file was added.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const FP32_ONNX_FILE = 'model.onnx';
export const INT8_ONNX_FILE = 'model.int8.onnx';

export type OnnxVariant = 'fp32' | 'int8';
/** `modelLab.text.modelVariant`: "auto" follows the folder's config.json. */
export type ModelVariantSetting = 'auto' | OnnxVariant;
export const MODEL_VARIANT_SETTINGS: readonly ModelVariantSetting[] = ['auto', 'fp32', 'int8'];

export interface VariantChoice {
  /** The graph to load. */
  readonly onnxPath: string;
  readonly variant: OnnxVariant;
  /** Why: 'setting' (the user's override), 'config' (recorded in config.json) or 'default' (nothing recorded). */
  readonly source: 'setting' | 'config' | 'default';
  /** Set when the asked-for int8 graph is missing and fp32 runs instead: an English sentence for the log. */
  readonly note?: string;
}

/** Reads a setting value; anything unknown is "auto". */
export function parseModelVariantSetting(value: unknown): ModelVariantSetting {
  return (MODEL_VARIANT_SETTINGS as readonly unknown[]).includes(value) ? (value as ModelVariantSetting) : 'auto';
}

/** `model_lab.runtime.onnx_variant` of a parsed config.json, when it is "fp32" or "int8". */
export function recordedVariant(config: unknown): OnnxVariant | undefined {
  const pick = (o: unknown, key: string): unknown => (typeof o === 'object' && o !== null && !Array.isArray(o) ? (o as Record<string, unknown>)[key] : undefined);
  const v = pick(pick(pick(config, 'model_lab'), 'runtime'), 'onnx_variant');
  return v === 'fp32' || v === 'int8' ? v : undefined;
}

/**
 * The graph to run. `fp32OnnxPath` is what the folder resolves to today (model.onnx or onnx/model.onnx); the
 * int8 sibling is looked for next to it. `config` is the parsed config.json (undefined when absent).
 */
export function chooseOnnxVariant(fp32OnnxPath: string, config: unknown, setting: ModelVariantSetting = 'auto'): VariantChoice {
  const recorded = recordedVariant(config);
  const source: VariantChoice['source'] = setting !== 'auto' ? 'setting' : recorded ? 'config' : 'default';
  const wanted: OnnxVariant = setting !== 'auto' ? setting : (recorded ?? 'fp32');
  if (wanted === 'fp32') return { onnxPath: fp32OnnxPath, variant: 'fp32', source };
  const int8Path = path.join(path.dirname(fp32OnnxPath), INT8_ONNX_FILE);
  if (fs.existsSync(int8Path)) return { onnxPath: int8Path, variant: 'int8', source };
  const why = source === 'setting' ? 'the setting modelLab.text.modelVariant asks for int8' : 'config.json records int8 as the faster variant';
  return { onnxPath: fp32OnnxPath, variant: 'fp32', source, note: `${why}, but ${int8Path} does not exist; running ${path.basename(fp32OnnxPath)} (fp32) instead.` };
}
