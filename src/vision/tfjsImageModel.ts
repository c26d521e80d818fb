/**
 * Runs a user's TensorFlow.js layers model (`model.json` + weight shards) with tfjs: tfjs-node when it
 * loaded, else wasm, else cpu. Loaded only for tfjs models (see `tfjsRunner` in imageModel.ts).
 * No `vscode` import.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as tfTypes from '@tensorflow/tfjs';
import { loadTfjs } from '../common/tfjsBackend';
import { visionError } from './errors';
import { checkImageModelInputs, checkTfjsImageOutput, outputIsSoftmax, tfjsImageConfig, packBatch, toProbabilities, type ImageModel, type ImageModelInfo } from './imageModel';
import { resolveLabels, resolvePreprocessing, type ImageModelConfig } from './modelConfig';

/**
 * A tfjs IOHandler that reads model.json and its weight shards from disk. `tf.io.fileSystem` exists only
 * in tfjs-node, which cannot install offline; this works with the pure-JS and wasm backends too.
 */
export function fileModelHandler(modelJsonPath: string): tfTypes.io.IOHandler {
  return {
    async load(): Promise<tfTypes.io.ModelArtifacts> {
      const json = JSON.parse(await fs.promises.readFile(modelJsonPath, 'utf8')) as tfTypes.io.ModelJSON;
      if (!json.modelTopology) throw new Error('model.json has no modelTopology (is it a tfjs layers model?)');
      const dir = path.dirname(modelJsonPath);
      const weightSpecs: tfTypes.io.WeightsManifestEntry[] = [];
      const buffers: Buffer[] = [];
      for (const group of json.weightsManifest ?? []) {
        weightSpecs.push(...group.weights);
        for (const p of group.paths) buffers.push(await fs.promises.readFile(path.join(dir, decodeURIComponent(p))));
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

export async function loadTfjsModel(modelPath: string, dir: string, config: ImageModelConfig, name: string, started: number): Promise<ImageModel> {
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
  const info: ImageModelInfo = {
    name,
    kind: 'tfjs',
    dir,
    modelPath,
    layout: shape.layout,
    geometry: shape.geometry,
    labels: resolveLabels(dir, config, classes),
    preprocessing: resolvePreprocessing(config, shape.geometry.height, shape.geometry.width, shape.geometry.channels),
    runtime: `tfjs (${rt.backend})`,
    loadMs: performance.now() - started,
  };
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
}
