/**
 * Image classifier benchmark (issue 6): end-to-end single image (decode → preprocess → infer) for a
 * 512×512 PNG after warm-up, first classification including model load (in a fresh worker, as the
 * extension's first command sees it), batch throughput, and the draw-a-digit worker round trip.
 *
 * Run: `npx tsx bench/image/imageBench.ts [--json]`. Uses models/mnist-cnn when present, else the article's
 * CNN with random weights exported by our exporter (same graph shape, so the same cost). See README.md.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import * as tf from '@tensorflow/tfjs';
import { WorkerClient } from '../../src/common/workerClient';
import { exportSequentialCnn } from '../../src/train/onnx/cnnExport';
import { classifyImageFile, classifyImageFiles, classifyInk } from '../../src/workers/imageProtocol';
import { timeCalls } from '../lib/measure';
import { ringImage } from '../lib/digitImages';
import { loadVisionBundle } from '../lib/bundled';

// The product's vision code as esbuild bundles it (see bench/lib/bundled.ts).
const { ImageClassifier, decodeGrayReduced, reductionFactor, mnistInput } = loadVisionBundle();

const root = path.resolve(__dirname, '../..');
const json = process.argv.includes('--json');
const log = (s: string) => {
  if (!json) console.log(s);
};

function pct(samples: number[], p: number): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}
const r2 = (v: number) => Math.round(v * 100) / 100;

/** The article's Keras CNN (conv32-pool-conv64-pool-conv64-flatten-dense64-dense10), random weights. */
async function articleCnnDir(): Promise<string> {
  await tf.setBackend('cpu');
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 64, activation: 'relu' }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modellab-bench-cnn-'));
  fs.writeFileSync(path.join(dir, 'model.onnx'), exportSequentialCnn(model));
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ name: 'article-cnn-random', preprocessing: { kind: 'mnist' }, output: { activation: 'softmax' } }));
  return dir;
}

async function buildWorker(): Promise<string> {
  const out = path.join(root, 'dist', 'bench-image', 'imageWorker.js');
  await esbuild.build({
    entryPoints: [path.join(root, 'src/workers/imageWorker.ts')],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
    external: ['onnxruntime-node', '@tensorflow/tfjs-node'],
    logLevel: 'warning',
  });
  return out;
}

async function main(): Promise<void> {
  const bundled = path.join(root, 'models', 'mnist-cnn');
  const modelDir = fs.existsSync(path.join(bundled, 'model.onnx')) ? bundled : await articleCnnDir();
  const files = fs.mkdtempSync(path.join(os.tmpdir(), 'modellab-bench-img-'));
  const png512 = ringImage(512, 'png');
  const file512 = path.join(files, 'ring-512.png');
  fs.writeFileSync(file512, png512);
  log(`model: ${modelDir}; 512×512 RGB PNG ${png512.length} bytes; ${os.cpus().length} cores, ${os.cpus()[0]?.model}`);

  // 1. First classification including model load, as the extension's first command sees it: a fresh
  //    worker (bundled as in the VSIX), onnxruntime import, session creation, decode, preprocess, infer.
  const workerJs = await buildWorker();
  const firstRuns: number[] = [];
  for (let i = 0; i < 5; i++) {
    const client = new WorkerClient(workerJs);
    const t0 = performance.now();
    await client.call(classifyImageFile, { model: modelDir, file: file512, preview: true });
    firstRuns.push(performance.now() - t0);
    client.dispose();
  }
  // In-process: model load + first classification (no worker spawn), fresh session each time.
  const loadRuns: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const c = await ImageClassifier.load(modelDir);
    await c.classifyBytes(png512, 'ring.png');
    loadRuns.push(performance.now() - t0);
    await c.dispose();
  }

  // 2. Warm single image, in process: decode + preprocess + infer.
  const classifier = await ImageClassifier.load(modelDir);
  const plan = { warmup: 30, minIterations: 300, maxIterations: 2000, budgetMs: 4000 };
  const endToEnd = await timeCalls(() => classifier.classifyBytes(png512, 'ring.png'), plan);
  // The stages as the product runs them for a digit model: PNG → box-reduced grey (never RGBA), then the
  // MNIST steps on the small grey image (src/vision/classifier.ts prepareBytes).
  const spec = classifier.info.preprocessing;
  if (spec.kind !== 'mnist') throw new Error(`the image bench needs a digit model (mnist preprocessing), got ${spec.kind}`);
  const decode = () => {
    const gray = decodeGrayReduced(png512, reductionFactor)?.gray;
    if (!gray) throw new Error('the 512×512 PNG did not take the fast path');
    return gray;
  };
  const decodeOnly = await timeCalls(decode, plan);
  const gray = decode();
  const prepOnly = await timeCalls(() => mnistInput(gray, spec, classifier.info.geometry), plan);
  const input = mnistInput(gray, spec, classifier.info.geometry).input;
  const inferOnly = await timeCalls(() => classifier.model.predict([input]), plan);
  // CPU time per call (user + system of this process, µs resolution): on a machine shared with other jobs
  // the wall clock mostly measures waiting for a core; CPU time measures the work. ORT runs with one
  // intra-op thread on the calling thread, so the process's CPU time is the call's.
  const cpuSamples = async (fn: () => unknown, n: number): Promise<number[]> => {
    for (let i = 0; i < 30; i++) await fn();
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const c0 = process.cpuUsage();
      await fn();
      const c = process.cpuUsage(c0);
      out.push((c.user + c.system) / 1000);
    }
    return out;
  };
  const endToEndCpu = await cpuSamples(() => classifier.classifyBytes(png512, 'ring.png'), 300);
  const decodeCpu = await cpuSamples(decode, 300);
  const prepCpu = await cpuSamples(() => mnistInput(gray, spec, classifier.info.geometry), 300);
  const jpg512 = ringImage(512, 'jpeg');
  const endToEndJpeg = await timeCalls(() => classifier.classifyBytes(jpg512, 'ring.jpg'), { ...plan, minIterations: 100 });
  const png64 = ringImage(64, 'png');
  const endToEnd64 = await timeCalls(() => classifier.classifyBytes(png64, 'ring64.png'), plan);

  // 3. Through the worker (what the command pays after the first time): file read + decode + preprocess + infer + messaging.
  const client = new WorkerClient(workerJs);
  const viaWorker = await timeCalls(() => client.call(classifyImageFile, { model: modelDir, file: file512, preview: true }), { ...plan, minIterations: 200 });
  // Draw a digit: 56×56 ink → worker → prediction (the extension ↔ worker part of stroke end → shown).
  const ink = new Uint8Array(56 * 56);
  for (let y = 10; y < 46; y++) for (let x = 24; x < 32; x++) ink[y * 56 + x] = 255;
  const inkRoundTrip = await timeCalls(() => client.call(classifyInk, { model: modelDir, ink: ink.slice(), width: 56, height: 56 }), { ...plan, minIterations: 200 });

  // 4. Batch throughput: 256 files (half 512-px PNG, half 64-px PNG) through the worker in batches of 32,
  //    as "Classify Images in Folder…" does.
  const batchFiles: string[] = [];
  for (let i = 0; i < 256; i++) {
    const f = path.join(files, `img-${i}.png`);
    fs.writeFileSync(f, i % 2 ? png512 : png64);
    batchFiles.push(f);
  }
  const batchRuns: number[] = [];
  for (let run = 0; run < 4; run++) {
    const t0 = performance.now();
    for (let i = 0; i < batchFiles.length; i += 32) {
      await client.call(classifyImageFiles, { model: modelDir, files: batchFiles.slice(i, i + 32) });
    }
    batchRuns.push(performance.now() - t0);
  }
  // Inference alone, batched vs one at a time.
  const batchInputs = Array.from({ length: 32 }, () => input);
  const infer32 = await timeCalls(() => classifier.model.predict(batchInputs), { warmup: 5, minIterations: 50, maxIterations: 500, budgetMs: 3000 });
  client.dispose();
  await classifier.dispose();

  const result = {
    model: path.basename(modelDir),
    runtime: classifier.info.runtime,
    firstClassificationWorkerMs: { p50: r2(pct(firstRuns, 50)), max: r2(Math.max(...firstRuns)), runs: firstRuns.map(r2) },
    loadPlusFirstInProcessMs: { p50: r2(pct(loadRuns, 50)), runs: loadRuns.map(r2) },
    png512EndToEndMs: { p50: r2(pct(endToEnd, 50)), p90: r2(pct(endToEnd, 90)), n: endToEnd.length },
    png512EndToEndCpuMs: { p50: r2(pct(endToEndCpu, 50)), p90: r2(pct(endToEndCpu, 90)) },
    png512StagesCpuP50Ms: { decode: r2(pct(decodeCpu, 50)), preprocess: r2(pct(prepCpu, 50)) },
    loadAverage: os.loadavg().map(r2),
    png512StagesP50Ms: { decode: r2(pct(decodeOnly, 50)), preprocess: r2(pct(prepOnly, 50)), infer: r2(pct(inferOnly, 50)) },
    jpeg512EndToEndMs: { p50: r2(pct(endToEndJpeg, 50)), p90: r2(pct(endToEndJpeg, 90)) },
    png64EndToEndMs: { p50: r2(pct(endToEnd64, 50)), p90: r2(pct(endToEnd64, 90)) },
    png512ViaWorkerMs: { p50: r2(pct(viaWorker, 50)), p90: r2(pct(viaWorker, 90)) },
    drawInkViaWorkerMs: { p50: r2(pct(inkRoundTrip, 50)), p90: r2(pct(inkRoundTrip, 90)) },
    folderBatchImagesPerSecond: { best: Math.round(256000 / Math.min(...batchRuns)), median: Math.round(256000 / pct(batchRuns, 50)) },
    inferBatch32PerImageMs: r2(pct(infer32, 50) / 32),
    inferSingleMs: r2(pct(inferOnly, 50)),
  };
  if (json) console.log(JSON.stringify(result, null, 2));
  else {
    log(`first classification incl. model load (fresh worker, 5 runs): p50 ${result.firstClassificationWorkerMs.p50} ms, max ${result.firstClassificationWorkerMs.max} ms  [target ≤ 500]`);
    log(`model load + first classification in process: p50 ${result.loadPlusFirstInProcessMs.p50} ms`);
    log(`512×512 PNG end to end (decode+preprocess+infer), warm: p50 ${result.png512EndToEndMs.p50} ms, p90 ${result.png512EndToEndMs.p90} ms (n=${result.png512EndToEndMs.n})  [target ≤ 3]`);
    log(`  CPU time per call: p50 ${result.png512EndToEndCpuMs.p50} ms, p90 ${result.png512EndToEndCpuMs.p90} ms; decode ${result.png512StagesCpuP50Ms.decode} ms, preprocess ${result.png512StagesCpuP50Ms.preprocess} ms (load average ${result.loadAverage.join(' ')})`);
    log(`  stages p50: decode to reduced grey ${result.png512StagesP50Ms.decode} ms, MNIST steps ${result.png512StagesP50Ms.preprocess} ms, infer ${result.png512StagesP50Ms.infer} ms`);
    log(`512×512 JPEG end to end: p50 ${result.jpeg512EndToEndMs.p50} ms; 64×64 PNG: p50 ${result.png64EndToEndMs.p50} ms`);
    log(`512×512 PNG via the worker (file read + messaging): p50 ${result.png512ViaWorkerMs.p50} ms, p90 ${result.png512ViaWorkerMs.p90} ms`);
    log(`draw-a-digit ink 56×56 via the worker: p50 ${result.drawInkViaWorkerMs.p50} ms, p90 ${result.drawInkViaWorkerMs.p90} ms`);
    log(`folder batch (256 files, batches of 32, via worker): ${result.folderBatchImagesPerSecond.median} images/s (best ${result.folderBatchImagesPerSecond.best})`);
    log(`inference only: 1 image ${result.inferSingleMs} ms; batch of 32 ${result.inferBatch32PerImageMs} ms per image`);
  }
  fs.rmSync(files, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
