/**
 * Turns decoded pixels into the float tensor a model was trained on. Three kinds, named by the model's
 * config.json `preprocessing.kind`:
 *
 * - `mnist`: what LeCun et al. did to NIST digits — grey, ink bright on dark, cropped to the ink, the
 *   longest side scaled to 20 px keeping the aspect (area filter), pasted into 28×28 so that the centre of
 *   mass sits at the centre, values in [0, 1] (then `(x - mean) / std` when the config says so).
 * - `resize`: a plain resize to the model's input size, values in [0, 1] (then mean/std if given).
 * - `imagenet`: resize, then per-channel ImageNet mean/std (overridable).
 *
 * Output is height × width × channels (HWC); the model adapter transposes for NCHW models.
 * No `vscode` import.
 */
import { visionError } from './errors';
import type { GrayImage, RgbaImage } from './image';
import { GrayBoxReducer, reductionFactor } from './grayReduce';
import { resample } from './resample';

export type PreprocessingSpec =
  | {
      readonly kind: 'mnist';
      /** Applied after scaling to [0, 1]: (x - mean) / std. Omitted = identity. */
      readonly mean?: number;
      readonly std?: number;
      /** Normalised ink level that counts as ink for the bounding box. */
      readonly inkThreshold?: number;
    }
  | { readonly kind: 'resize' | 'imagenet'; readonly mean?: readonly number[]; readonly std?: readonly number[] };

export const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
export const IMAGENET_STD = [0.229, 0.224, 0.225] as const;

export interface InputGeometry {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
}

export interface Preview {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
  /** What the model saw, as 8-bit pixels (before mean/std). */
  readonly data: Uint8Array;
}

export interface PreprocessResult {
  /** height × width × channels floats, ready for an NHWC model. */
  readonly input: Float32Array;
  readonly preview: Preview;
  /** For the mnist kind: whether the image was inverted (dark ink on light paper). */
  readonly inverted?: boolean;
}

/** ITU-R BT.601 luma (what PIL's "L" mode and MNIST-style tooling use), alpha composited over white. */
export function toGray(image: RgbaImage): GrayImage {
  const { width, height, data } = image;
  const out = new Float32Array(width * height);
  for (let i = 0, p = 0; i < out.length; i++, p += 4) {
    const a = data[p + 3] / 255;
    const luma = 0.299 * data[p] + 0.587 * data[p + 1] + 0.114 * data[p + 2];
    out[i] = luma * a + 255 * (1 - a);
  }
  return { width, height, data: out };
}

/**
 * toGray and an integer box reduction in one pass over the RGBA bytes (see grayReduce.ts): the result
 * differs from the unreduced path only by the crop box's rounding to `factor` source pixels.
 */
export function toGrayReduced(image: RgbaImage, factor: number): GrayImage {
  if (factor <= 1) return toGray(image);
  const reducer = new GrayBoxReducer(image.width, image.height, factor);
  const rowBytes = image.width * 4;
  for (let y = 0; y < image.height; y++) reducer.addRow(y, image.data, y * rowBytes, 4);
  return reducer.finish();
}

function median(values: Float32Array): number {
  const sorted = Float32Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The outermost ring of pixels: paper colour for a photographed or scanned digit. */
function borderPixels(gray: GrayImage): Float32Array {
  const { width: w, height: h, data } = gray;
  if (w < 3 || h < 3) return data;
  const out: number[] = [];
  for (let x = 0; x < w; x++) out.push(data[x], data[(h - 1) * w + x]);
  for (let y = 1; y < h - 1; y++) out.push(data[y * w], data[y * w + w - 1]);
  return Float32Array.from(out);
}

export interface MnistOptions {
  /** Output side (28 for MNIST); the digit box is 20/28 of it. */
  readonly size?: number;
  readonly inkThreshold?: number;
  /** File name for messages. */
  readonly name?: string;
}

/**
 * MNIST-style normalisation of a grey image (0–255, any polarity). Returns size×size values in [0, 1] with
 * the ink bright.
 */
export function mnistNormalize(gray: GrayImage, options: MnistOptions = {}): { values: Float32Array; inverted: boolean } {
  const size = options.size ?? 28;
  const boxSide = Math.max(1, Math.round((size * 20) / 28));
  const threshold = options.inkThreshold ?? 0.3;
  const { width: w, height: h } = gray;

  // Paper colour from the border; light paper means dark ink, which MNIST has the other way round.
  let background = median(borderPixels(gray));
  const inverted = background > 127.5;
  const src = gray.data;
  const sign = inverted ? -1 : 1;
  const offset = inverted ? 255 : 0;
  if (inverted) background = 255 - background;
  let peak = 0;
  for (let i = 0; i < src.length; i++) {
    const v = offset + sign * src[i];
    if (v > peak) peak = v;
  }
  // Less than ~6 % contrast between paper and the brightest ink: nothing to read.
  if (peak - background < 16) throw visionError('blank', [options.name ?? 'image']);

  // Stretch paper → 0 and the strongest ink → 1, so grey paper or faded ink look like MNIST's black/white.
  const span = peak - background;
  const level = new Float32Array(w * h);
  let x0 = w;
  let y0 = h;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = Math.min(1, Math.max(0, (offset + sign * src[y * w + x] - background) / span));
      level[y * w + x] = v;
      if (v > threshold) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  const bw = x1 - x0 + 1;
  const bh = y1 - y0 + 1;
  const crop = new Float32Array(bw * bh);
  for (let y = 0; y < bh; y++) crop.set(level.subarray((y0 + y) * w + x0, (y0 + y) * w + x0 + bw), y * bw);

  // Longest side → 20 px, aspect kept.
  const scale = boxSide / Math.max(bw, bh);
  const sw = Math.max(1, Math.min(boxSide, Math.round(bw * scale)));
  const sh = Math.max(1, Math.min(boxSide, Math.round(bh * scale)));
  const scaled = resample(crop, bw, bh, 1, sw, sh);

  // Centre of mass (pixel centres at i + 0.5) moved to the field's centre by a whole-pixel shift.
  let mass = 0;
  let mx = 0;
  let my = 0;
  for (let y = 0; y < sh; y++) {
    for (let x = 0; x < sw; x++) {
      const v = scaled[y * sw + x];
      mass += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  }
  const left = clamp(Math.round(size / 2 - mx / mass), 0, size - sw);
  const top = clamp(Math.round(size / 2 - my / mass), 0, size - sh);
  const values = new Float32Array(size * size);
  for (let y = 0; y < sh; y++) {
    for (let x = 0; x < sw; x++) values[(top + y) * size + left + x] = Math.min(1, Math.max(0, scaled[y * sw + x]));
  }
  return { values, inverted };
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/** Runs the configured preprocessing for a model input of `geometry`. */
export function preprocess(image: RgbaImage, spec: PreprocessingSpec, geometry: InputGeometry, name?: string): PreprocessResult {
  if (spec.kind === 'mnist') {
    return mnistInput(toGrayReduced(image, reductionFactor(image.width, image.height)), spec, geometry, name);
  }
  return resizePreprocess(image, geometry, spec.kind === 'imagenet' ? (spec.mean ?? IMAGENET_MEAN) : spec.mean, spec.kind === 'imagenet' ? (spec.std ?? IMAGENET_STD) : spec.std);
}

function checkMnistGeometry(geometry: InputGeometry, name?: string): void {
  if (geometry.width !== geometry.height) {
    throw visionError('modelInput', [name ?? 'model', `mnist preprocessing needs a square input, the model takes ${geometry.width} × ${geometry.height}`]);
  }
}

/**
 * The mnist kind from an already grey (possibly box-reduced) image — what a decoder that reduces while
 * it decodes hands over (decodePngGrayReduced).
 */
export function mnistInput(gray: GrayImage, spec: PreprocessingSpec & { kind: 'mnist' }, geometry: InputGeometry, name?: string): PreprocessResult {
  checkMnistGeometry(geometry, name);
  const { values, inverted } = mnistNormalize(gray, { size: geometry.width, inkThreshold: spec.inkThreshold, name });
  const preview = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) preview[i] = Math.round(values[i] * 255);
  const mean = spec.mean ?? 0;
  const std = spec.std ?? 1;
  const input = new Float32Array(values.length * geometry.channels);
  for (let i = 0; i < values.length; i++) {
    const v = (values[i] - mean) / std;
    for (let c = 0; c < geometry.channels; c++) input[i * geometry.channels + c] = v;
  }
  return { input, preview: { width: geometry.width, height: geometry.height, channels: 1, data: preview }, inverted };
}

function resizePreprocess(image: RgbaImage, geometry: InputGeometry, mean?: readonly number[], std?: readonly number[]): PreprocessResult {
  const { width, height, channels } = geometry;
  const pixels = image.width * image.height;
  const src = new Float32Array(pixels * channels);
  for (let i = 0, p = 0; i < pixels; i++, p += 4) {
    const a = image.data[p + 3] / 255;
    const over = (v: number) => v * a + 255 * (1 - a);
    if (channels === 1) src[i] = over(0.299 * image.data[p] + 0.587 * image.data[p + 1] + 0.114 * image.data[p + 2]);
    else {
      src[i * 3] = over(image.data[p]);
      src[i * 3 + 1] = over(image.data[p + 1]);
      src[i * 3 + 2] = over(image.data[p + 2]);
    }
  }
  const resized = resample(src, image.width, image.height, channels, width, height);
  const preview = new Uint8Array(resized.length);
  const input = new Float32Array(resized.length);
  for (let i = 0; i < resized.length; i++) {
    const c = i % channels;
    preview[i] = Math.round(Math.min(255, Math.max(0, resized[i])));
    const m = mean ? (mean[c] ?? mean[0]) : 0;
    const s = std ? (std[c] ?? std[0]) : 1;
    input[i] = (resized[i] / 255 - m) / s;
  }
  return { input, preview: { width, height, channels, data: preview } };
}
