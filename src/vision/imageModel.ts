/**
 * Loads an image classifier and runs batches through it: ONNX models with onnxruntime-node (the bundled
 * digit model and users' exports), tfjs layers `model.json` models with TensorFlow.js (tfjs-node when it
 * loaded, else wasm). Both answer the same `predict(HWC inputs) → probabilities`. No `vscode` import.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as ortTypes from 'onnxruntime-node';
import { visionError } from './errors';
import { MAX_PIXELS } from './formats';
import { locateImageModel, readImageModelConfig, resolveLabels, resolvePreprocessing, type ImageModelConfig, type ImageModelKind } from './modelConfig';
import type { InputGeometry, PreprocessingSpec } from './preprocess';

export type InputLayout = 'NHWC' | 'NCHW' | 'NHW' | 'flat';

export interface ImageModelInfo {
  readonly name: string;
  readonly kind: ImageModelKind;
  readonly dir: string;
  readonly modelPath: string;
  readonly layout: InputLayout;
  readonly geometry: InputGeometry;
  readonly labels: readonly string[];
  readonly preprocessing: PreprocessingSpec;
  /** "onnxruntime-node 1.30" or "tfjs (wasm)". */
  readonly runtime: string;
  readonly loadMs: number;
}

export interface ImageModel {
  readonly info: ImageModelInfo;
  /** Each input is height × width × channels floats (HWC); returns one probability row per input. */
  predict(inputs: readonly Float32Array[]): Promise<Float32Array[]>;
  dispose(): Promise<void>;
}

type Dim = number | string | null | undefined;

interface ShapeAnalysis {
  readonly layout: InputLayout;
  readonly geometry: InputGeometry;
  /** The batch dimension is fixed at 1: run inputs one at a time. */
  readonly singleBatch: boolean;
}

const isSize = (d: Dim): d is number => typeof d === 'number' && Number.isInteger(d) && d > 0;

/**
 * Reads the layout from the input shape: the channel dim is the one that is 1 or 3 (last → NHWC, second →
 * NCHW); config.json `input.layout` decides when both could be. Rank 3 is [N, H, W] grey; rank 2 is a
 * flattened square grey image (e.g. 784 = 28×28).
 */
export function analyzeInputShape(shape: readonly Dim[], config: ImageModelConfig, where: string): ShapeAnalysis {
  const bad = (why: string): never => {
    throw visionError('modelInput', [where, why]);
  };
  const shapeText = `[${shape.map((d) => (d === null || d === undefined ? '?' : String(d))).join(', ')}]`;
  // Dims the model leaves symbolic come from config.json's input.shape when it gives them.
  const fromConfig = config.input?.shape;
  const dims = shape.map((d, i) => (isSize(d) ? d : isSize(fromConfig?.[i]) ? fromConfig?.[i] : d));
  const singleBatch = dims[0] === 1;
  const channelsOk = (c: Dim) => c === 1 || c === 3;
  if (dims.length === 4) {
    const lastIsChannel = channelsOk(dims[3]);
    const secondIsChannel = channelsOk(dims[1]);
    let layout: 'NHWC' | 'NCHW';
    const declared = config.input?.layout?.toUpperCase();
    if (declared === 'NHWC' || declared === 'NCHW') layout = declared;
    else if (lastIsChannel && !secondIsChannel) layout = 'NHWC';
    else if (secondIsChannel && !lastIsChannel) layout = 'NCHW';
    else if (lastIsChannel && secondIsChannel) layout = 'NCHW';
    else return bad(`input shape ${shapeText} has no channel dimension of 1 or 3`);
    const [h, w, c] = layout === 'NHWC' ? [dims[1], dims[2], dims[3]] : [dims[2], dims[3], dims[1]];
    if (!isSize(h) || !isSize(w)) return bad(`input shape ${shapeText} leaves the image size open; give input.shape in config.json`);
    if (!channelsOk(c)) return bad(`input shape ${shapeText} has ${String(c)} channels`);
    checkInputSize(h, w, shapeText, bad);
    return { layout, geometry: { height: h, width: w, channels: c as 1 | 3 }, singleBatch };
  }
  if (dims.length === 3) {
    if (!isSize(dims[1]) || !isSize(dims[2])) return bad(`input shape ${shapeText} leaves the image size open`);
    checkInputSize(dims[1], dims[2], shapeText, bad);
    return { layout: 'NHW', geometry: { height: dims[1], width: dims[2], channels: 1 }, singleBatch };
  }
  if (dims.length === 2 && isSize(dims[1])) {
    const side = Math.round(Math.sqrt(dims[1]));
    if (side * side !== dims[1]) return bad(`flat input of ${dims[1]} values is not a square grey image`);
    checkInputSize(side, side, shapeText, bad);
    return { layout: 'flat', geometry: { height: side, width: side, channels: 1 }, singleBatch };
  }
  return bad(`input shape ${shapeText} is not an image batch`);
}

/** A model input as the checks see it: from an ORT session, a tfjs model, or the model inspector's reading of the file. */
export interface ImageModelInput {
  readonly name: string;
  /** Element type (`float32`, `int64`…); undefined when the input is not a tensor. */
  readonly type: string | undefined;
  readonly shape: readonly Dim[];
}

/**
 * What an image model's inputs must be for Model Lab to feed it: one float32 tensor (the one config.json's
 * `input.name` names, else the first) shaped as an image batch (analyzeInputShape). The ONNX and tfjs
 * loaders and the model inspector's "Use as image model" all decide with this; throws visionError('modelInput').
 */
export function checkImageModelInputs(inputs: readonly ImageModelInput[], config: ImageModelConfig, modelPath: string): { inputName: string; shape: ShapeAnalysis } {
  if (inputs.length === 0) throw visionError('modelInput', [modelPath, 'the model has no inputs']);
  const input = inputs.find((i) => i.name === config.input?.name) ?? inputs[0];
  const shapeText = `[${input.shape.map((d) => (d === null || d === undefined ? '?' : String(d))).join(', ')}]`;
  if (input.type === undefined) throw visionError('modelInput', [modelPath, `input "${input.name}" is not a tensor`]);
  if (input.type !== 'float32') throw visionError('modelInput', [modelPath, `input "${input.name}" is ${input.type} ${shapeText}, but the image classifier needs float32`]);
  if (inputs.length > 1) throw visionError('modelInput', [modelPath, `the model has ${inputs.length} inputs (${inputs.map((i) => i.name).join(', ')})`]);
  return { inputName: input.name, shape: analyzeInputShape(input.shape, config, modelPath) };
}

/** tfjs layers models are channels-last unless config.json says otherwise (Keras' default data format). */
export function tfjsImageConfig(config: ImageModelConfig): ImageModelConfig {
  return { ...config, input: { ...config.input, layout: config.input?.layout ?? 'NHWC' } };
}

/** A tfjs image model's class count: the last dimension of its output, which must be fixed. */
export function checkTfjsImageOutput(outputShape: readonly Dim[], modelPath: string): number {
  const classes = outputShape[outputShape.length - 1];
  if (typeof classes !== 'number') throw visionError('modelInput', [modelPath, 'the output size is not fixed']);
  return classes;
}

/**
 * An input the model wants must fit the limit images have (50 megapixels): a 20000 × 20000 input took 33 s
 * and 3.5 GB to feed.
 */
function checkInputSize(h: number, w: number, shapeText: string, bad: (why: string) => never): void {
  if (h * w > MAX_PIXELS) bad(`input shape ${shapeText} asks for ${h} × ${w} pixels, more than the ${MAX_PIXELS / 1e6}-megapixel limit for images`);
}

/** HWC → the model's layout (only NCHW needs a transpose; NHW and flat are the same bytes for one channel). */
export function toLayout(hwc: Float32Array, g: InputGeometry, layout: InputLayout, out: Float32Array, offset: number): void {
  if (layout !== 'NCHW' || g.channels === 1) {
    out.set(hwc, offset);
    return;
  }
  const plane = g.height * g.width;
  for (let i = 0; i < plane; i++) for (let c = 0; c < g.channels; c++) out[offset + c * plane + i] = hwc[i * g.channels + c];
}

/** HWC inputs as one batch tensor's data and dims in the model's layout. */
export function packBatch(inputs: readonly Float32Array[], shape: ShapeAnalysis): { data: Float32Array; dims: number[] } {
  const g = shape.geometry;
  const per = g.height * g.width * g.channels;
  const data = new Float32Array(inputs.length * per);
  inputs.forEach((x, i) => toLayout(x, g, shape.layout, data, i * per));
  const dims =
    shape.layout === 'NHWC' ? [inputs.length, g.height, g.width, g.channels]
    : shape.layout === 'NCHW' ? [inputs.length, g.channels, g.height, g.width]
    : shape.layout === 'NHW' ? [inputs.length, g.height, g.width]
    : [inputs.length, per];
  return { data, dims };
}

/** Softmax of one row, numerically stable. */
export function softmax(row: Float32Array): Float32Array {
  let max = -Infinity;
  for (const v of row) if (v > max) max = v;
  const out = new Float32Array(row.length);
  let sum = 0;
  for (let i = 0; i < row.length; i++) sum += out[i] = Math.exp(row[i] - max);
  for (let i = 0; i < row.length; i++) out[i] /= sum;
  return out;
}

function looksLikeProbabilities(row: Float32Array): boolean {
  let sum = 0;
  for (const v of row) {
    if (v < 0 || v > 1) return false;
    sum += v;
  }
  return Math.abs(sum - 1) < 1e-3;
}

/** True/false from config.json `output.activation`; undefined when the config does not say. */
export function outputIsSoftmax(config: ImageModelConfig): boolean | undefined {
  const a = config.output?.activation;
  if (a === undefined) return undefined;
  return a.toLowerCase() === 'softmax';
}

export function toProbabilities(row: Float32Array, declaredSoftmax: boolean | undefined): Float32Array {
  if (declaredSoftmax === true) return row;
  if (declaredSoftmax === undefined && looksLikeProbabilities(row)) return row;
  return softmax(row);
}

/** Loads the model at `target` (folder, .onnx or model.json). */
export async function loadImageModel(target: string): Promise<ImageModel> {
  const location = locateImageModel(target);
  const config = readImageModelConfig(location.dir);
  const started = performance.now();
  const name = config.name ?? path.basename(location.dir);
  if (location.kind === 'onnx') return loadOnnx(location.modelPath, location.dir, config, name, started);
  return tfjsRunner()(location.modelPath, location.dir, config, name, started);
}

async function loadOnnx(modelPath: string, dir: string, config: ImageModelConfig, name: string, started: number): Promise<ImageModel> {
  const ort: typeof ortTypes = await import('onnxruntime-node');
  let session: ortTypes.InferenceSession;
  try {
    // One intra-op thread: a small CNN gains nothing from more, and the machine's cores are shared with
    // the extension host and other workers.
    session = await ort.InferenceSession.create(modelPath, { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
  } catch (err) {
    throw visionError('modelCorrupt', [modelPath, (err instanceof Error ? err.message : String(err)).split('\n')[0]]);
  }
  const { inputName, shape } = checkImageModelInputs(
    session.inputNames.map((name) => {
      const meta = session.inputMetadata.find((m) => m.name === name);
      return meta?.isTensor ? { name, type: meta.type, shape: meta.shape } : { name, type: undefined, shape: [] };
    }),
    config,
    modelPath,
  );
  const outputName = config.output?.name && session.outputNames.includes(config.output.name) ? config.output.name : session.outputNames[0];
  const outMeta = session.outputMetadata.find((m) => m.name === outputName);
  const outShape = outMeta && outMeta.isTensor ? outMeta.shape : [];
  const declaredSoftmax = outputIsSoftmax(config) ?? (/prob/i.test(outputName) ? true : undefined);

  const run = async (inputs: readonly Float32Array[]): Promise<Float32Array[]> => {
    const { data, dims } = packBatch(inputs, shape);
    const feeds = { [inputName]: new ort.Tensor('float32', data, dims) };
    const results = await session.run(feeds, [outputName]);
    const out = results[outputName];
    const flat = out.data as Float32Array;
    const k = flat.length / inputs.length;
    out.dispose();
    return inputs.map((_, i) => toProbabilities(flat.slice(i * k, (i + 1) * k), declaredSoftmax));
  };

  const classes = typeof outShape[outShape.length - 1] === 'number' ? (outShape[outShape.length - 1] as number) : (await run([new Float32Array(shape.geometry.height * shape.geometry.width * shape.geometry.channels)]))[0].length;
  const info = describeImageModel({ name, kind: 'onnx', dir, modelPath, runtime: `onnxruntime-node ${ort.env.versions.node ?? ''}`.trim(), started }, shape, config, classes);
  return {
    info,
    async predict(inputs) {
      if (inputs.length === 0) return [];
      if (!shape.singleBatch) return run(inputs);
      const rows: Float32Array[] = [];
      for (const x of inputs) rows.push(...(await run([x])));
      return rows;
    },
    async dispose() {
      await session.release();
    },
  };
}

/**
 * What every runner reports of a loaded model, with labels and preprocessing resolved one way for ONNX and
 * tfjs models alike. `started` is the `performance.now()` at which loading began.
 */
export function describeImageModel(
  model: { name: string; kind: ImageModelKind; dir: string; modelPath: string; runtime: string; started: number },
  shape: ShapeAnalysis,
  config: ImageModelConfig,
  classes: number,
): ImageModelInfo {
  const { name, kind, dir, modelPath, runtime, started } = model;
  return {
    name,
    kind,
    dir,
    modelPath,
    layout: shape.layout,
    geometry: shape.geometry,
    labels: resolveLabels(dir, config, classes),
    preprocessing: resolvePreprocessing(config, shape.geometry.height, shape.geometry.width, shape.geometry.channels),
    runtime,
    loadMs: performance.now() - started,
  };
}

/** The tfjs runner's entry (src/vision/tfjsImageModel.ts `loadTfjsModel`), declared here so neither module imports the other's. */
export type TfjsModelLoader = (modelPath: string, dir: string, config: ImageModelConfig, name: string, started: number) => Promise<ImageModel>;

/**
 * The tfjs model runner lives in its own bundle (dist/workers/imageTfjs.js, from src/workers/imageTfjs.ts) and
 * is required by path only when a tfjs model is used: bundling TensorFlow.js into the image worker made the
 * worker's start 9× slower (measured here: 632 ms vs 71 ms to load the bundle), a cost every ONNX user paid
 * on the first classification.
 */
function tfjsRunner(): TfjsModelLoader {
  const candidates = [
    path.join(__dirname, 'imageTfjs.js'), // dist/workers/imageWorker.js
    path.join(__dirname, 'workers', 'imageTfjs.js'), // dist/cli.js
    path.join(__dirname, '..', 'workers', 'imageTfjs.ts'), // sources (tests, tsx)
  ];
  const file = candidates.find((p) => fs.existsSync(p));
  if (!file) throw visionError('modelCorrupt', [__dirname, 'the TensorFlow.js runner (imageTfjs.js) is missing from the extension']);
  // A computed path, so esbuild leaves this require to run time instead of bundling tfjs here.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(file) as { loadTfjsModel: TfjsModelLoader }).loadTfjsModel;
}
