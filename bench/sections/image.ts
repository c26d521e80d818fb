/**
 * Image: the bundled digit CNN (models/mnist-cnn; until it is built, the article's CNN with seeded random
 * weights exported by our exporter — the same graph, so the same cost — and the figure names say so).
 *
 * Ours = H5's product path (src/vision): `ImageClassifier.classifyBytes` for one image end to end (decode →
 * MNIST preprocessing → onnxruntime-node), `model.predict` for inference alone at batch 1 and 256. The product
 * runs the CNN with ONE intra-op thread (a small CNN gains nothing from more), so every peer gets one thread too.
 * Peers on the SAME weights, read from the ONNX initializers: PyTorch (bench/peers/torch_cnn.py, parity-checked
 * before timing) and TensorFlow.js layers (wasm and cpu backends).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { buildArticleCnn } from '../../src/train/cnn/articleCnn';
import { exportSequentialCnn } from '../../src/train/onnx/cnnExport';
import { decodeModel, int64ToNumber, tensorProtoToFloat32 } from '../../src/train/onnx/graphBuilder';
import { loadTfjs, type TfjsBackendName } from '../../src/common/tfjsBackend';
import { ImageClassifier } from '../../src/vision/classifier';
import { describePlan, EngineBudget, timeCalls, type TimingPlan } from '../lib/measure';
import { failed, figure, notRun, okMeasurement, type Figure, type Measurement } from '../lib/report';
import { runTorchPeer, torchAvailability, writeRawWeights } from '../lib/torchPeer';
import { cacheRoot } from './textBert';
import { ringImage } from '../lib/digitImages';
import { loadVisionBundle } from '../lib/bundled';
import { runJpegBench, type JpegBenchResult } from './jpeg';

type CnnLayer =
  | { type: 'conv'; weight: string; bias: string; strides: number[]; pad: 'valid' | 'same'; activation: string }
  | { type: 'maxpool' | 'avgpool'; kernel: number[]; strides: number[] }
  | { type: 'flatten' }
  | { type: 'dense'; weight: string; bias: string; activation: string };

interface CnnSpec {
  readonly layers: CnnLayer[];
  readonly weights: Map<string, { shape: number[]; data: Float32Array }>;
  readonly inputShape: [number, number, number];
}

/** Reads the sequential CNN our exporter writes back out of the ONNX graph (ops in order, initializers). */
export function cnnSpecFromOnnx(bytes: Uint8Array): CnnSpec {
  const model = decodeModel(bytes);
  const graph = model.graph;
  if (!graph) throw new Error('the CNN model has no graph');
  const weights = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const t of graph.initializer ?? []) weights.set(t.name ?? '', { shape: (t.dims ?? []).map(int64ToNumber), data: tensorProtoToFloat32(t) });
  const dims = graph.input?.[0]?.type?.tensorType?.shape?.dim ?? [];
  const inputShape = dims.slice(1).map((d) => int64ToNumber(d.dimValue)) as [number, number, number];
  const layers: CnnLayer[] = [];
  const attr = (n: { attribute?: { name?: string | null; ints?: unknown[] | null; s?: Uint8Array | null }[] | null }, name: string) => n.attribute?.find((a) => a.name === name);
  for (const n of graph.node ?? []) {
    const op = n.opType ?? '';
    const last = layers[layers.length - 1];
    if (op === 'Conv') {
      const pad = new TextDecoder().decode(attr(n, 'auto_pad')?.s ?? new Uint8Array());
      layers.push({ type: 'conv', weight: n.input![1], bias: n.input![2], strides: (attr(n, 'strides')?.ints ?? [1, 1]).map((v) => int64ToNumber(v as number)), pad: pad.startsWith('SAME') ? 'same' : 'valid', activation: 'linear' });
    } else if (op === 'MaxPool' || op === 'AveragePool') {
      layers.push({ type: op === 'MaxPool' ? 'maxpool' : 'avgpool', kernel: (attr(n, 'kernel_shape')?.ints ?? []).map((v) => int64ToNumber(v as number)), strides: (attr(n, 'strides')?.ints ?? []).map((v) => int64ToNumber(v as number)) });
    } else if (op === 'Flatten') layers.push({ type: 'flatten' });
    else if (op === 'Gemm') layers.push({ type: 'dense', weight: n.input![1], bias: n.input![2], activation: 'linear' });
    else if (op === 'Relu' || op === 'Softmax' || op === 'Sigmoid' || op === 'Tanh') {
      if (!last || !('activation' in last)) throw new Error(`the CNN graph has ${op} after ${last?.type ?? 'nothing'}`);
      last.activation = op.toLowerCase();
    } else if (op !== 'Transpose' && op !== 'Identity') throw new Error(`the CNN graph has an op the bench does not rebuild: ${op}`);
  }
  return { layers, weights, inputShape };
}

/** The same network in the tfjs layers API with the ONNX weights (OIHW → HWIO). */
function tfjsModelFromSpec(spec: CnnSpec): tf.Sequential {
  const m = tf.sequential();
  const weights: tf.Tensor[] = [];
  let first = true;
  for (const l of spec.layers) {
    const input = first ? { inputShape: spec.inputShape } : {};
    first = false;
    switch (l.type) {
      case 'conv': {
        const w = spec.weights.get(l.weight)!;
        const [o, i, kh, kw] = w.shape;
        m.add(tf.layers.conv2d({ filters: o, kernelSize: [kh, kw], strides: l.strides as [number, number], padding: l.pad, activation: l.activation as 'relu', ...input }));
        weights.push(tf.tensor4d(w.data, [o, i, kh, kw]).transpose([2, 3, 1, 0]), tf.tensor1d(spec.weights.get(l.bias)!.data));
        break;
      }
      case 'maxpool':
      case 'avgpool': {
        const cfg = { poolSize: l.kernel as [number, number], strides: l.strides as [number, number], ...input };
        m.add(l.type === 'maxpool' ? tf.layers.maxPooling2d(cfg) : tf.layers.averagePooling2d(cfg));
        break;
      }
      case 'flatten':
        m.add(tf.layers.flatten(input));
        break;
      case 'dense': {
        const w = spec.weights.get(l.weight)!;
        m.add(tf.layers.dense({ units: w.shape[1], activation: l.activation as 'relu', ...input }));
        weights.push(tf.tensor2d(w.data, w.shape as [number, number]), tf.tensor1d(spec.weights.get(l.bias)!.data));
        break;
      }
    }
  }
  m.setWeights(weights);
  for (const w of weights) w.dispose();
  return m;
}

/** models/mnist-cnn, or a stand-in folder of the same graph with seeded random weights. */
async function cnnModelDir(repoRoot: string, log: (l: string) => void): Promise<{ dir: string; bundled: boolean }> {
  const bundled = path.join(repoRoot, 'models', 'mnist-cnn');
  if (fs.existsSync(path.join(bundled, 'model.onnx'))) return { dir: bundled, bundled: true };
  const dir = path.join(cacheRoot(), 'article-cnn-random');
  if (!fs.existsSync(path.join(dir, 'model.onnx'))) {
    log('  models/mnist-cnn not built yet: exporting the article CNN with seeded random weights as a stand-in');
    await loadTfjs('cpu');
    const model = buildArticleCnn(tf, 7);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'model.onnx'), exportSequentialCnn(model));
    const labels = Array.from({ length: 10 }, (_, i) => String(i));
    fs.writeFileSync(
      path.join(dir, 'config.json'),
      JSON.stringify({ model_type: 'cnn', task: 'image-classification', labels, input: { name: 'input', shape: [null, 28, 28, 1], layout: 'NHWC' }, output: { activation: 'softmax' }, preprocessing: { kind: 'mnist' } }),
    );
    model.dispose();
  }
  return { dir, bundled: false };
}

function randomImages(n: number, per: number, seed: number): Float32Array[] {
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  return Array.from({ length: n }, () => Float32Array.from({ length: per }, () => next()));
}

export interface ImageOptions {
  readonly repoRoot: string;
  readonly quick: boolean;
  readonly workDir: string;
  readonly log: (line: string) => void;
}

export interface ImageResult {
  readonly figures: Figure[];
  readonly e2eP50?: number;
  readonly fasterThanTorchBatch1?: number;
  readonly bundled: boolean;
  readonly jpeg: JpegBenchResult;
}

export async function runImageBench(opts: ImageOptions): Promise<ImageResult> {
  const { log, quick } = opts;
  const { dir, bundled } = await cnnModelDir(opts.repoRoot, log);
  const modelName = bundled ? 'bundled mnist-cnn' : "article CNN stand-in (random weights; models/mnist-cnn not built yet)";
  const spec = cnnSpecFromOnnx(fs.readFileSync(path.join(dir, 'model.onnx')));
  const per = spec.inputShape.reduce((a, b) => a * b, 1);
  const batches = quick ? [1, 8] : [1, 256];
  const planFor = (batch: number, slow: boolean): TimingPlan =>
    quick ? { warmup: 1, minIterations: 3, maxIterations: 3, budgetMs: 0 } : batch === 1 ? { warmup: 10, minIterations: 50, maxIterations: 3000, budgetMs: slow ? 2000 : 3000 } : { warmup: 1, minIterations: slow ? 2 : 10, maxIterations: 200, budgetMs: slow ? 1000 : 3000 };

  const clf = await ImageClassifier.load(dir);
  const figures: Figure[] = [];
  const check = randomImages(4, per, 11);
  const oursCheck = await clf.model.predict(check);

  // End to end, decode → preprocess → infer: a 64×64 PNG from examples/, and a 512×512 RGB PNG (a
  // photo-sized digit; the ≤ 3 ms target of issues 6 and 8 is judged on this one, the harder case).
  const e2ePlan: TimingPlan = quick ? { warmup: 1, minIterations: 3, maxIterations: 3, budgetMs: 0 } : { warmup: 10, minIterations: 50, maxIterations: 2000, budgetMs: 3000 };
  // The product's vision code as esbuild bundles it (bench/lib/bundled.ts), not the TypeScript through tsx.
  const bundledClf = await loadVisionBundle().ImageClassifier.load(dir);
  const e2eFigure = async (id: string, title: string, png: Uint8Array, what: string): Promise<Measurement> => {
    const samples = await timeCalls(() => bundledClf.classifyBytes(png, 'digit.png'), e2ePlan);
    const m = okMeasurement('model-lab', samples, `ImageClassifier.classifyBytes (src/vision, esbuild bundle as shipped): PNG decode + MNIST preprocessing + onnxruntime-node (1 thread), ${what} (${png.length} bytes); ${describePlan(e2ePlan, samples.length)}`);
    figures.push(figure(id, 'image', title, m, []));
    log(`  ${title}: p50 ${m.p50Ms} ms`);
    return m;
  };
  await e2eFigure('image.e2e.one', `Image end to end, ${modelName}: one 64×64 PNG`, fs.readFileSync(path.join(opts.repoRoot, 'examples', 'images', 'seven.png')), 'examples/images/seven.png, 64×64 grey');
  const e2e = await e2eFigure('image.e2e.512', `Image end to end, ${modelName}: one 512×512 PNG`, ringImage(512, 'png'), 'a 512×512 RGB PNG of a ring written by pngjs (adaptive row filters)');
  await bundledClf.dispose();
  const jpeg = await runJpegBench({ repoRoot: opts.repoRoot, quick, log, digitModelDir: dir, digitModelName: modelName });
  figures.push(...jpeg.figures);

  const ours = new Map<number, Measurement>();
  for (const b of batches) {
    const inputs = randomImages(b, per, b);
    const plan = planFor(b, false);
    const samples = await timeCalls(() => clf.model.predict(inputs), plan);
    ours.set(b, okMeasurement('onnxruntime', samples, `ImageModel.predict (src/vision), onnxruntime-node 1 intra-op thread (the product's setting); ${describePlan(plan, samples.length)}`));
  }
  await clf.dispose();

  // PyTorch.
  const torch = new Map<number, Measurement>();
  const avail = torchAvailability();
  if (!avail.ok) for (const b of batches) torch.set(b, notRun('pytorch', avail.reason ?? 'PyTorch unavailable'));
  else {
    try {
      const weights = writeRawWeights(path.join(opts.workDir, 'cnn-weights'), spec.weights);
      const out = await runTorchPeer(
        path.join(opts.repoRoot, 'bench/peers/torch_cnn.py'),
        { layers: spec.layers, weights, inputShape: spec.inputShape, threads: 1, check: { input: check.flatMap((x) => Array.from(x)), batch: check.length, output: oursCheck.flatMap((x) => Array.from(x)) }, runs: batches.map((b) => ({ batch: b, ...planFor(b, true) })) },
        opts.workDir,
        log,
      );
      for (const b of batches) {
        const run = out.runs.find((r) => r.batch === b);
        if (out.error) torch.set(b, { engine: 'pytorch', status: 'failed', reason: out.error });
        else if (!run?.samplesMs) torch.set(b, { engine: 'pytorch', status: 'failed', reason: 'no samples' });
        else torch.set(b, okMeasurement('pytorch', run.samplesMs, `torch ${out.torch}, set_num_threads(1), inference_mode, same weights (max |Δ| vs ORT ${out.check.maxAbsDiff.toExponential(2)}); ${describePlan(planFor(b, true), run.samplesMs.length)}`, { notes: { maxAbsDiffVsOrt: out.check.maxAbsDiff } }));
      }
    } catch (err) {
      for (const b of batches) torch.set(b, failed('pytorch', err));
    }
  }

  // TensorFlow.js, wasm then cpu.
  const tfjs = new Map<string, Measurement>();
  for (const backend of ['wasm', 'cpu'] as TfjsBackendName[]) {
    try {
      await loadTfjs(backend);
      const model = tfjsModelFromSpec(spec);
      const checkOut = tf.tidy(() => model.predict(tf.tensor(check.flatMap((x) => Array.from(x)), [check.length, ...spec.inputShape])) as tf.Tensor).dataSync();
      let diff = 0;
      oursCheck.flatMap((x) => Array.from(x)).forEach((v, i) => (diff = Math.max(diff, Math.abs(v - checkOut[i]))));
      const budget = new EngineBudget(`tfjs-${backend}`, quick ? 60_000 : 25_000);
      for (const b of batches) {
        const fit = budget.fit(planFor(b, true), b);
        if ('skip' in fit) {
          tfjs.set(`${backend}.${b}`, notRun(`tfjs-${backend}`, fit.skip));
          continue;
        }
        const plan = fit.plan;
        const x = tf.tensor(randomImages(b, per, b).flatMap((r) => Array.from(r)), [b, ...spec.inputShape]);
        const w0 = performance.now();
        const samples = await timeCalls(async () => {
          const y = model.predict(x) as tf.Tensor;
          await y.data();
          y.dispose();
        }, plan);
        budget.record(samples, b, performance.now() - w0);
        x.dispose();
        tfjs.set(`${backend}.${b}`, okMeasurement(`tfjs-${backend}`, samples, `@tensorflow/tfjs ${tf.version.tfjs} ${backend} backend, layers model with the same weights (max |Δ| vs ORT ${diff.toExponential(2)}), predict + data(); ${describePlan(plan, samples.length)}${fit.note ? `; ${fit.note}` : ''}`, { notes: { maxAbsDiffVsOrt: diff } }));
        log(`  tfjs-${backend} batch ${b}: p50 ${tfjs.get(`${backend}.${b}`)?.p50Ms} ms`);
      }
      model.dispose();
    } catch (err) {
      for (const b of batches) tfjs.set(`${backend}.${b}`, failed(`tfjs-${backend}`, err));
    }
  }

  for (const b of batches) {
    figures.push(figure(`image.infer.b${b}`, 'image', `Image inference alone, ${modelName}, batch ${b}`, ours.get(b)!, [torch.get(b)!, tfjs.get(`wasm.${b}`)!, tfjs.get(`cpu.${b}`)!]));
  }
  return { figures, e2eP50: e2e.p50Ms, fasterThanTorchBatch1: figures.find((f) => f.id === 'image.infer.b1')?.fasterThan.pytorch, bundled, jpeg };
}


