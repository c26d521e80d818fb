/**
 * Test fixtures made at test time: small real models (a random-weight tfjs CNN exported to ONNX with our
 * exporter, the same CNN saved as a tfjs model.json, and hand-built ONNX graphs whose outputs can be
 * computed by hand) and encoded images.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { PNG, type PNGOptions } from 'pngjs';
import { exportSequentialCnn } from '../../../src/train/onnx/cnnExport';
import { OnnxGraphBuilder } from '../../../src/train/onnx/graphBuilder';

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `modellab-${prefix}-`));
}

/** RGBA pixels from a function of (x, y) → [r, g, b, a]. */
export function rgba(width: number, height: number, pixel: (x: number, y: number) => readonly number[]): Uint8Array {
  const out = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out.set(pixel(x, y), (y * width + x) * 4);
  return out;
}

export function encodePng(width: number, height: number, data: Uint8Array, options: PNGOptions = {}): Buffer {
  const png = new PNG({ width, height, ...options });
  png.data = Buffer.from(data);
  return PNG.sync.write(png, options);
}

let cnnPromise: Promise<tf.LayersModel> | undefined;

/** The article's CNN shape, shrunk, with seeded random weights (cpu backend: no training here). */
export function smallCnn(): Promise<tf.LayersModel> {
  cnnPromise ??= (async () => {
    await tf.setBackend('cpu');
    const init = (seed: number) => ({
      kernelInitializer: tf.initializers.glorotUniform({ seed }),
      biasInitializer: tf.initializers.randomNormal({ seed: seed + 100, stddev: 0.1 }),
    });
    return tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 4, kernelSize: 3, activation: 'relu', ...init(1) }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu', ...init(2) }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 10, activation: 'softmax', ...init(3) }),
      ],
    });
  })();
  return cnnPromise;
}

/** Writes the small CNN as model.onnx + config.json (the bundled model's contract) into a new folder. */
export async function writeOnnxCnn(config: Record<string, unknown> = {}): Promise<string> {
  const model = await smallCnn();
  const dir = tempDir('onnx-cnn');
  fs.writeFileSync(path.join(dir, 'model.onnx'), exportSequentialCnn(model));
  fs.writeFileSync(
    path.join(dir, 'config.json'),
    JSON.stringify({
      name: 'test-cnn',
      model_type: 'cnn',
      task: 'image-classification',
      labels: ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'],
      input: { name: 'input', shape: [null, 28, 28, 1], layout: 'NHWC', dtype: 'float32' },
      output: { name: 'probabilities', activation: 'softmax' },
      preprocessing: { kind: 'mnist' },
      ...config,
    }),
  );
  return dir;
}

/** Saves the small CNN as a tfjs layers model (model.json + one weight shard) into a new folder. */
export async function writeTfjsCnn(): Promise<string> {
  const model = await smallCnn();
  const dir = tempDir('tfjs-cnn');
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = Buffer.from(artifacts.weightData as ArrayBuffer);
      fs.writeFileSync(path.join(dir, 'group1-shard1of1.bin'), weights);
      const json = {
        modelTopology: artifacts.modelTopology,
        format: 'layers-model',
        generatedBy: 'test',
        convertedBy: null,
        weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: artifacts.weightSpecs }],
      };
      fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return dir;
}

/**
 * A linear "model" whose logits are hand-computable: input of the given dims (batch first), flattened,
 * times W (features × classes), softmax. `weights[i][k]` is the weight of flat feature i for class k.
 */
export function writeLinearOnnx(inputDims: (number | string)[], weights: number[][], dir = tempDir('linear')): string {
  const features = weights.length;
  const classes = weights[0].length;
  const g = new OnnxGraphBuilder({ graphName: 'linear' });
  g.addInput('pixels', 'float32', inputDims);
  const flat = g.op('Flatten', ['pixels'], { axis: 1 }, 'flat');
  const w = g.addInitializer('W', Float32Array.from(weights.flat()), [features, classes]);
  const logits = g.op('MatMul', [flat, w], {}, 'logits');
  const probs = g.op('Softmax', [logits], { axis: -1 }, 'probs');
  g.addOutput(probs, 'float32', [inputDims[0], classes]);
  fs.writeFileSync(path.join(dir, 'model.onnx'), g.toBytes());
  return dir;
}
