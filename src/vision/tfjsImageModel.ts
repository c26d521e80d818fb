/**
 * Runs a user's TensorFlow.js layers model (`model.json` + weight shards) with tfjs: tfjs-node when it
 * loaded, else wasm, else cpu. Loaded only for tfjs models (see `tfjsRunner` in imageModel.ts).
 * No `vscode` import.
 */
import * as path from 'node:path';
import type * as tfTypes from '@tensorflow/tfjs';
import { formatBytes, MODEL_FILE_LIMITS, readFileBounded } from '../common/fileInput';
import { resolveInsideFolder } from '../common/insideFolder';
import { loadTfjs } from '../common/tfjsBackend';
import { visionError } from './errors';
import { checkImageModelInputs, checkTfjsImageOutput, describeImageModel, outputIsSoftmax, tfjsImageConfig, packBatch, toProbabilities, type TfjsModelLoader } from './imageModel';

/** The most weight bytes a model may have: far beyond an image classifier Model Lab can run in a worker. */
const MAX_WEIGHT_BYTES = 1024 * 1024 * 1024;

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, float16: 2, int16: 2, int8: 1, uint16: 2, complex64: 8 };

/**
 * Resolves a weight path from model.json inside the model folder: `..`, absolute paths and symlinks that lead
 * out of the folder are refused, so a downloaded model cannot read `../../secret.bin` or `/dev/zero`.
 */
export function confinedWeightPath(dir: string, relative: unknown, modelJsonPath: string): string {
  if (typeof relative !== 'string' || relative.length === 0) throw new Error('model.json lists a weight file path that is not a string');
  let decoded: string;
  try {
    decoded = decodeURIComponent(relative);
  } catch {
    throw new Error(`model.json lists the weight file "${relative}", which is not a valid path`);
  }
  const entry = resolveInsideFolder(dir, decoded);
  if (entry.kind === 'outside') throw new Error(`model.json lists the weight file "${decoded}", which is outside the model folder ${dir}; weight files must be inside it`);
  if (entry.kind === 'missing') throw new Error(`the weight file "${decoded}" that ${path.basename(modelJsonPath)} lists is missing from ${dir}`);
  return entry.realPath;
}

/** Bytes the weight specs need: the most shard bytes a valid model.json can use. */
function weightBytes(specs: readonly tfTypes.io.WeightsManifestEntry[]): number {
  let total = 0;
  for (const w of specs) {
    const shape: unknown = w.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) throw new Error(`weight "${String(w.name)}" has an invalid shape`);
    const bytes = (w.quantization ? DTYPE_BYTES[w.quantization.dtype] : DTYPE_BYTES[w.dtype]) ?? 4;
    total += shape.reduce((a: number, d: number) => a * d, 1) * bytes;
  }
  return total;
}

/**
 * A tfjs IOHandler that reads model.json and its weight shards from disk. `tf.io.fileSystem` exists only
 * in tfjs-node, which cannot install offline; this works with the pure-JS and wasm backends too. Every
 * shard must be a regular file inside the model folder, and the shards together no larger than the weights
 * the manifest describes.
 */
export function fileModelHandler(modelJsonPath: string): tfTypes.io.IOHandler {
  return {
    async load(): Promise<tfTypes.io.ModelArtifacts> {
      const json = JSON.parse((await readFileBounded(modelJsonPath, MODEL_FILE_LIMITS.tfjsModelJson)).toString('utf8')) as tfTypes.io.ModelJSON;
      if (typeof json !== 'object' || json === null || !json.modelTopology) throw new Error('model.json has no modelTopology (is it a tfjs layers model?)');
      const dir = path.dirname(modelJsonPath);
      const manifest: unknown = json.weightsManifest ?? [];
      if (!Array.isArray(manifest)) throw new Error('model.json weightsManifest is not a list');
      const weightSpecs: tfTypes.io.WeightsManifestEntry[] = [];
      const files: string[] = [];
      for (const group of manifest as { paths?: unknown; weights?: unknown }[]) {
        if (!Array.isArray(group?.paths) || !Array.isArray(group?.weights)) throw new Error('each weightsManifest entry of model.json needs "paths" and "weights" lists');
        weightSpecs.push(...(group.weights as tfTypes.io.WeightsManifestEntry[]));
        for (const p of group.paths as unknown[]) files.push(confinedWeightPath(dir, p, modelJsonPath));
      }
      const need = weightBytes(weightSpecs);
      if (need > MAX_WEIGHT_BYTES) throw new Error(`the weights need ${formatBytes(need)}, more than the ${formatBytes(MAX_WEIGHT_BYTES)} Model Lab loads`);
      const buffers: Buffer[] = [];
      let remaining = need;
      for (const file of files) {
        // Each shard is read only up to what the manifest still needs: a padded or hostile file costs nothing.
        const b = await readFileBounded(file, { maxBytes: Math.max(0, remaining), purpose: 'the weights model.json describes' });
        buffers.push(b);
        remaining -= b.length;
      }
      const joined = Buffer.concat(buffers);
      return {
        modelTopology: json.modelTopology,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        weightSpecs,
        weightData: joined.buffer.slice(joined.byteOffset, joined.byteOffset + joined.byteLength),
      };
    },
  };
}

export const loadTfjsModel: TfjsModelLoader = async (modelPath, dir, config, name, started) => {
  const rt = await loadTfjs();
  const tf = rt.tf;
  let model: tfTypes.LayersModel;
  try {
    model = await tf.loadLayersModel(fileModelHandler(modelPath));
  } catch (err) {
    throw visionError('modelCorrupt', [modelPath, (err instanceof Error ? err.message : String(err)).split('\n')[0]]);
  }
  const { shape } = checkImageModelInputs(
    model.inputs.map((i) => ({ name: i.name, type: i.dtype, shape: i.shape })),
    tfjsImageConfig(config),
    modelPath,
  );
  const classes = checkTfjsImageOutput(model.outputs[0].shape, modelPath);
  const lastLayer = model.layers[model.layers.length - 1];
  const lastActivation = (lastLayer.getConfig() as { activation?: string }).activation;
  const declaredSoftmax = outputIsSoftmax(config) ?? (lastActivation === 'softmax' ? true : undefined);
  const info = describeImageModel({ name, kind: 'tfjs', dir, modelPath, runtime: `tfjs (${rt.backend})`, started }, shape, config, classes);
  return {
    info,
    async predict(inputs) {
      if (inputs.length === 0) return [];
      const { data, dims } = packBatch(inputs, shape);
      const flat = tf.tidy(() => (model.predict(tf.tensor(data, dims)) as tfTypes.Tensor).dataSync() as Float32Array);
      const k = flat.length / inputs.length;
      return inputs.map((_, i) => toProbabilities(flat.slice(i * k, (i + 1) * k), declaredSoftmax));
    },
    async dispose() {
      model.dispose();
    },
  };
};
