/**
 * JPEG (issue #18 §4): the product decodes a sequential JPEG at 1/2, 1/4 or 1/8 scale straight from its DCT
 * coefficients (src/vision/jpegScaled.ts) when the model only needs a small image. Measured here:
 *
 * - the digit model, one 512×512 JPEG end to end (target ≤ 5 ms p50), interleaved with the same ring as PNG and
 *   with the previous path (jpeg-js full decode → the same preprocessing → the same model);
 * - a 3-channel model (224×224, ImageNet preprocessing), one 2000×1500 photo end to end as JPEG and as PNG,
 *   interleaved (target: JPEG ≤ 2× PNG);
 * - the decoders alone on both images: ours against jpeg-js (the previous decoder) and @jsquash/jpeg (MozJPEG,
 *   libjpeg-turbo's decoder compiled to WebAssembly — the "WebAssembly libjpeg" option; its API decodes full
 *   size only), each followed by the reduction the classifier needs.
 *
 * All product code runs from the esbuild bundle as shipped (bench/lib/bundled.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { OnnxGraphBuilder } from '../../src/train/onnx/graphBuilder';
import { loadVisionBundle } from '../lib/bundled';
import { photoImages, ringImage } from '../lib/digitImages';
import { describePlan, type TimingPlan } from '../lib/measure';
import { failed, figure, notRun, okMeasurement, round, type Figure } from '../lib/report';
import { cacheRoot } from './textBert';

export interface JpegBenchOptions {
  readonly repoRoot: string;
  readonly quick: boolean;
  readonly log: (line: string) => void;
  /** The digit model folder the image section uses. */
  readonly digitModelDir: string;
  readonly digitModelName: string;
}

export interface JpegBenchResult {
  readonly figures: Figure[];
  readonly jpeg512P50?: number;
  /** Photo end to end: JPEG p50 / PNG p50 on the 3-channel model. */
  readonly photoJpegOverPng?: number;
  readonly photoPngP50?: number;
  readonly photoJpegP50?: number;
}

type Calls = Record<string, () => unknown>;

/**
 * Runs the calls round-robin (the order rotates every round, so no call always follows the same one), after
 * `warmup` untimed rounds: on a shared machine every call sees the same load, and ratios between them hold
 * even when the absolute times do not.
 */
async function interleaved(calls: Calls, plan: TimingPlan): Promise<Record<string, number[]>> {
  const names = Object.keys(calls);
  const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let i = 0; i < plan.warmup; i++) for (const n of names) await calls[n]();
  const started = performance.now();
  for (let r = 0; r < plan.maxIterations && (r < plan.minIterations || performance.now() - started < plan.budgetMs); r++) {
    for (let k = 0; k < names.length; k++) {
      const n = names[(r + k) % names.length];
      const t0 = performance.now();
      await calls[n]();
      samples[n].push(performance.now() - t0);
    }
  }
  return samples;
}

/** A 3-channel image model: 224×224 NCHW, conv 8×8/8 → ReLU → global average → dense 10, ImageNet preprocessing. */
function threeChannelModel(): string {
  const dir = path.join(cacheRoot(), 'rgb224-conv');
  if (fs.existsSync(path.join(dir, 'model.onnx'))) return dir;
  fs.mkdirSync(dir, { recursive: true });
  let seed = 3;
  const rand = (n: number, scale: number) => Float32Array.from({ length: n }, () => (((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1) * scale);
  const g = new OnnxGraphBuilder({ graphName: 'rgb224' });
  g.addInput('pixels', 'float32', ['N', 3, 224, 224]);
  const w = g.addInitializer('conv_w', rand(16 * 3 * 8 * 8, 0.05), [16, 3, 8, 8]);
  const b = g.addInitializer('conv_b', rand(16, 0.1), [16]);
  const conv = g.op('Conv', ['pixels', w, b], { kernel_shape: [8, 8], strides: [8, 8] }, 'conv');
  const relu = g.op('Relu', [conv], {}, 'relu');
  const pooled = g.op('GlobalAveragePool', [relu], {}, 'pooled');
  const flat = g.op('Flatten', [pooled], { axis: 1 }, 'flat');
  const dw = g.addInitializer('dense_w', rand(16 * 10, 0.5), [16, 10]);
  const logits = g.op('MatMul', [flat, dw], {}, 'logits');
  const probs = g.op('Softmax', [logits], { axis: -1 }, 'probs');
  g.addOutput(probs, 'float32', ['N', 10]);
  fs.writeFileSync(path.join(dir, 'model.onnx'), g.toBytes());
  fs.writeFileSync(
    path.join(dir, 'config.json'),
    JSON.stringify({ name: 'rgb224-bench', task: 'image-classification', labels: Array.from({ length: 10 }, (_, i) => `class ${i}`), input: { layout: 'NCHW' }, preprocessing: { kind: 'imagenet' } }),
  );
  return dir;
}

type JsquashDecode = (buffer: ArrayBuffer) => Promise<{ width: number; height: number; data: Uint8ClampedArray }>;

/** @jsquash/jpeg's decoder with its wasm compiled from node_modules (nothing fetched), or why it cannot run. */
async function loadJsquash(repoRoot: string): Promise<JsquashDecode | string> {
  const wasm = path.join(repoRoot, 'node_modules', '@jsquash', 'jpeg', 'codec', 'dec', 'mozjpeg_dec.wasm');
  if (!fs.existsSync(wasm)) return '@jsquash/jpeg is not installed (npm ci installs it as a dev dependency)';
  try {
    const mod = (await import('@jsquash/jpeg/decode.js')) as { init: (m: WebAssembly.Module) => Promise<void>; default: JsquashDecode };
    await mod.init(await WebAssembly.compile(fs.readFileSync(wasm)));
    return mod.default;
  } catch (err) {
    return `@jsquash/jpeg failed to load: ${err instanceof Error ? err.message : String(err)}`;
  }
}

const arrayBufferOf = (b: Uint8Array): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

export async function runJpegBench(opts: JpegBenchOptions): Promise<JpegBenchResult> {
  const { log, quick } = opts;
  const vision = loadVisionBundle();
  const figures: Figure[] = [];
  const plan = (fast: boolean): TimingPlan => (quick ? { warmup: 1, minIterations: 3, maxIterations: 3, budgetMs: 0 } : fast ? { warmup: 10, minIterations: 60, maxIterations: 1000, budgetMs: 6000 } : { warmup: 2, minIterations: 12, maxIterations: 60, budgetMs: 12_000 });
  const jsquash = await loadJsquash(opts.repoRoot);
  const jsquashMissing = (engine: string) => notRun(engine, typeof jsquash === 'string' ? jsquash : '');
  const result: { -readonly [K in keyof JpegBenchResult]: JpegBenchResult[K] } = { figures };

  // 1. Digit model, 512×512 ring.
  const digit = await vision.ImageClassifier.load(opts.digitModelDir);
  try {
    const png = ringImage(512, 'png');
    const jpg = ringImage(512, 'jpeg');
    const info = digit.info;
    if (info.preprocessing.kind !== 'mnist') throw new Error('the digit model does not use mnist preprocessing');
    const spec = info.preprocessing;
    // The previous product path for the same file: jpeg-js full decode to RGBA, then the same preprocessing and model.
    const previous = async () => digit.model.predict([vision.preprocess(vision.decodeImage(jpg, { name: 'ring.jpg' }), spec, info.geometry, 'ring.jpg').input]);
    const p = plan(true);
    const s = await interleaved({ jpeg: () => digit.classifyBytes(jpg, 'ring.jpg'), png: () => digit.classifyBytes(png, 'ring.png') }, p);
    const prevPlan: TimingPlan = quick ? p : { warmup: 3, minIterations: 20, maxIterations: 100, budgetMs: 4000 };
    const prev = await interleaved({ previous }, prevPlan);
    const ours = okMeasurement('model-lab', s.jpeg, `ImageClassifier.classifyBytes (esbuild bundle): JPEG decoded at 1/4 scale from its DCT straight to grey + MNIST steps + onnxruntime-node (1 thread), ${opts.digitModelName}, a 512×512 ring as a quality-90 JPEG (jpeg-js encoder, ${jpg.length} bytes); interleaved with the same ring as PNG; ${describePlan(p, s.jpeg.length)}`);
    figures.push(
      figure('image.e2e.512.jpeg', 'image', `Image end to end, ${opts.digitModelName}: one 512×512 JPEG`, ours, [
        okMeasurement('png-same-image', s.png, `the same ring as an RGB PNG (${png.length} bytes) through the same call, interleaved round by round`),
        okMeasurement('jpeg-js-previous-path', prev.previous, `the previous path: jpeg-js full decode to RGBA → preprocess (grey + box reduction + MNIST steps) → the same model; ${describePlan(prevPlan, prev.previous.length)}`),
      ]),
    );
    result.jpeg512P50 = ours.p50Ms;
    log(`  512×512 JPEG end to end: p50 ${ours.p50Ms} ms (PNG interleaved ${round(median(s.png))} ms, jpeg-js path ${round(median(prev.previous))} ms)`);

    // Decoders alone, each to the grey 128×128 the digit model uses.
    const d = await interleaved(
      {
        ours: () => vision.decodeGrayReduced(jpg, vision.reductionFactor, { name: 'ring.jpg' }),
        jpegjs: () => vision.toGrayReduced(vision.decodeImage(jpg, { name: 'ring.jpg' }), 4),
        ...(typeof jsquash === 'string' ? {} : { jsquash: async () => vision.toGrayReduced(rgbaOf(await jsquash(arrayBufferOf(jpg))), 4) }),
      },
      quick ? p : { warmup: 3, minIterations: 20, maxIterations: 200, budgetMs: 4000 },
    );
    figures.push(
      figure('image.jpeg-decode.512', 'image', 'JPEG decode alone: 512×512 ring to the 128×128 grey image the digit model uses', okMeasurement('model-lab', d.ours, 'decodeGrayReduced: DCT-domain 1/4-scale decode of the luma channel (src/vision/jpegScaled.ts), interleaved with the peers'), [
        okMeasurement('jpeg-js', d.jpegjs, 'jpeg-js 0.4 full decode to RGBA + the same grey box reduction'),
        d.jsquash ? okMeasurement('jsquash-mozjpeg-wasm', d.jsquash, '@jsquash/jpeg 1.6 (MozJPEG as WebAssembly) full decode to RGBA + the same grey box reduction') : jsquashMissing('jsquash-mozjpeg-wasm'),
      ]),
    );
  } catch (err) {
    figures.push(figure('image.e2e.512.jpeg', 'image', 'Image end to end: one 512×512 JPEG', failed('model-lab', err), []));
  } finally {
    await digit.dispose();
  }

  // 2. Photo, 3-channel model.
  const rgb = await vision.ImageClassifier.load(threeChannelModel());
  try {
    const { width, height } = quick ? { width: 1000, height: 750 } : { width: 2000, height: 1500 };
    const photo = photoImages(width, height);
    const side = Math.max(rgb.info.geometry.width, rgb.info.geometry.height);
    const p = plan(false);
    const s = await interleaved({ jpeg: () => rgb.classifyBytes(photo.jpeg, 'photo.jpg'), png: () => rgb.classifyBytes(photo.png, 'photo.png') }, p);
    const ours = okMeasurement('model-lab', s.jpeg, `ImageClassifier.classifyBytes (esbuild bundle): JPEG decoded at 1/4 scale from its DCT to RGB (${width / 4}×${height / 4}) + ImageNet resize to 224×224 + onnxruntime-node; a ${width}×${height} photo-like image, quality 90 4:4:4 (jpeg-js encoder, ${photo.jpeg.length} bytes); interleaved with the same image as PNG; ${describePlan(p, s.jpeg.length)}`);
    const pngM = okMeasurement('png-same-image', s.png, `the same image as an RGB PNG (pngjs, ${photo.png.length} bytes) through the same call (full decode, resize from ${width}×${height}), interleaved round by round`);
    figures.push(figure('image.e2e.photo.jpeg', 'image', `Image end to end, 3-channel 224×224 model: one ${width}×${height} photo, JPEG vs PNG`, ours, [pngM]));
    result.photoJpegP50 = ours.p50Ms;
    result.photoPngP50 = pngM.p50Ms;
    if (ours.p50Ms !== undefined && pngM.p50Ms) result.photoJpegOverPng = round(ours.p50Ms / pngM.p50Ms, 2);
    log(`  ${width}×${height} photo end to end: JPEG p50 ${ours.p50Ms} ms, PNG p50 ${pngM.p50Ms} ms (JPEG/PNG ${result.photoJpegOverPng})`);

    const dPlan: TimingPlan = quick ? p : { warmup: 1, minIterations: 6, maxIterations: 30, budgetMs: 10_000 };
    const d = await interleaved(
      {
        ours: () => vision.decodeImageForSize(photo.jpeg, side, { name: 'photo.jpg' }),
        jpegjs: () => vision.decodeImage(photo.jpeg, { name: 'photo.jpg' }),
        ...(typeof jsquash === 'string' ? {} : { jsquash: () => jsquash(arrayBufferOf(photo.jpeg)) }),
        png: () => vision.decodeImage(photo.png, { name: 'photo.png' }),
      },
      dPlan,
    );
    figures.push(
      figure('image.jpeg-decode.photo', 'image', `JPEG decode alone: ${width}×${height} photo for a 224×224 model`, okMeasurement('model-lab', d.ours, `decodeImageForSize(…, 224): DCT-domain 1/4-scale decode to RGBA; interleaved with the peers; ${describePlan(dPlan, d.ours.length)}`), [
        okMeasurement('jpeg-js', d.jpegjs, 'jpeg-js 0.4 full decode to RGBA'),
        d.jsquash ? okMeasurement('jsquash-mozjpeg-wasm', d.jsquash, '@jsquash/jpeg 1.6 (MozJPEG as WebAssembly) full decode to RGBA') : jsquashMissing('jsquash-mozjpeg-wasm'),
        okMeasurement('png-decode-same-image', d.png, 'the same image as PNG: the product PNG decoder (zlib + WebAssembly unfiltering) to RGBA'),
      ]),
    );
  } catch (err) {
    figures.push(figure('image.e2e.photo.jpeg', 'image', 'Image end to end, 3-channel model: one photo, JPEG vs PNG', failed('model-lab', err), []));
  } finally {
    await rgb.dispose();
  }
  return result;
}

function rgbaOf(image: { width: number; height: number; data: Uint8ClampedArray }): { width: number; height: number; data: Uint8Array } {
  return { width: image.width, height: image.height, data: new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength) };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}
