/**
 * Decode → preprocess → infer, timed, for one image, a batch of files, or ink drawn on a canvas.
 * Used by the image worker (extension) and the CLI alike. No `vscode` import.
 */
import * as path from 'node:path';
import { PNG } from 'pngjs';
import { fileInputReason, isFileInputError, readFileBounded } from '../common/fileInput';
import { decodeGrayReduced, decodeImageAsync, decodeImageForSize } from './decode';
import { toErrorData, type ErrorData } from '../common/errors';
import { visionError } from './errors';
import type { GrayImage } from './image';
import { loadImageModel, type ImageModel, type ImageModelInfo } from './imageModel';
import { reductionFactor } from './grayReduce';
import { mnistInput, mnistNormalize, preprocess, type PreprocessResult, type Preview } from './preprocess';
import type { DecodableFormat } from './formats';

export interface Prediction {
  readonly index: number;
  readonly label: string;
  readonly score: number;
}

export interface Timings {
  decodeMs: number;
  preprocessMs: number;
  inferMs: number;
  totalMs: number;
}

export interface ClassificationResult {
  readonly name: string;
  readonly file?: string;
  readonly label: string;
  readonly score: number;
  /** The three most likely classes, best first. */
  readonly top: readonly Prediction[];
  readonly source?: { readonly format: string; readonly width: number; readonly height: number };
  readonly notes: readonly string[];
  readonly inverted?: boolean;
  readonly timings: Timings;
  readonly model: { readonly name: string; readonly runtime: string; readonly kind: string };
  /** The model's input as a PNG (base64), when asked for. */
  readonly previewPng?: string;
  readonly previewSize?: { readonly width: number; readonly height: number };
}

export type ClassificationOutcome =
  | { readonly ok: true; readonly result: ClassificationResult }
  | { readonly ok: false; readonly name: string; readonly file?: string; readonly error: ErrorData };

export interface ModelSummary {
  readonly name: string;
  readonly kind: string;
  readonly runtime: string;
  readonly dir: string;
  readonly labels: readonly string[];
  readonly input: { readonly width: number; readonly height: number; readonly channels: number; readonly layout: string };
  readonly preprocessing: string;
  readonly loadMs: number;
}

interface Prepared {
  readonly name: string;
  readonly file?: string;
  readonly input: Float32Array;
  readonly preview: Preview;
  readonly source?: ClassificationResult['source'];
  readonly notes: readonly string[];
  readonly inverted?: boolean;
  readonly decodeMs: number;
  readonly preprocessMs: number;
}

export function topK(probabilities: Float32Array, labels: readonly string[], k = 3): Prediction[] {
  return Array.from(probabilities, (score, index) => ({ index, score, label: labels[index] ?? String(index) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, k);
}

export function encodePreviewPng(preview: Preview): string {
  const png = new PNG({ width: preview.width, height: preview.height });
  for (let i = 0; i < preview.width * preview.height; i++) {
    const c = preview.channels;
    png.data[i * 4] = preview.data[i * c];
    png.data[i * 4 + 1] = preview.data[i * c + (c === 3 ? 1 : 0)];
    png.data[i * 4 + 2] = preview.data[i * c + (c === 3 ? 2 : 0)];
    png.data[i * 4 + 3] = 255;
  }
  return PNG.sync.write(png).toString('base64');
}

export class ImageClassifier {
  private constructor(readonly model: ImageModel) {}

  static async load(target: string): Promise<ImageClassifier> {
    return new ImageClassifier(await loadImageModel(target));
  }

  get info(): ImageModelInfo {
    return this.model.info;
  }

  summary(): ModelSummary {
    const i = this.model.info;
    return {
      name: i.name,
      kind: i.kind,
      runtime: i.runtime,
      dir: i.dir,
      labels: i.labels,
      input: { ...i.geometry, layout: i.layout },
      preprocessing: i.preprocessing.kind,
      loadMs: i.loadMs,
    };
  }

  /** Decodes and preprocesses image bytes (throws a coded error for bad input). */
  async prepareBytes(bytes: Uint8Array, name: string, file?: string): Promise<Prepared> {
    const spec = this.info.preprocessing;
    const t0 = performance.now();
    let decoded: { format: DecodableFormat; width: number; height: number; notes: readonly string[] };
    let p: PreprocessResult;
    let t1: number;
    // Digit models only need a small grey image: PNGs and JPEGs skip the RGBA stage (decodeMs then includes
    // the grey reduction, which the RGBA path counts in preprocessMs).
    const fused = spec.kind === 'mnist' ? decodeGrayReduced(bytes, reductionFactor, { name }) : undefined;
    if (fused && spec.kind === 'mnist') {
      t1 = performance.now();
      decoded = fused;
      p = mnistInput(fused.gray, spec, this.info.geometry, name);
    } else if (spec.kind === 'mnist') {
      const image = await decodeImageAsync(bytes, { name });
      t1 = performance.now();
      decoded = image;
      p = preprocess(image, spec, this.info.geometry, name);
    } else {
      // A model input is a few hundred pixels: a large JPEG is decoded at 1/2–1/8 scale from its DCT.
      const sized = await decodeImageForSize(bytes, Math.max(this.info.geometry.width, this.info.geometry.height), { name });
      t1 = performance.now();
      decoded = { format: sized.image.format, width: sized.width, height: sized.height, notes: sized.image.notes };
      p = preprocess(sized.image, spec, this.info.geometry, name);
    }
    const t2 = performance.now();
    return {
      name,
      file,
      input: p.input,
      preview: p.preview,
      inverted: p.inverted,
      source: { format: decoded.format, width: decoded.width, height: decoded.height },
      notes: decoded.notes,
      decodeMs: t1 - t0,
      preprocessMs: t2 - t1,
    };
  }

  /**
   * Ink drawn on a canvas: `ink` is width × height coverage (0 = empty, 255 = full stroke), already bright
   * on dark as MNIST is, so only the crop / scale / centre-of-mass steps apply.
   */
  prepareInk(ink: Uint8Array, width: number, height: number): Prepared {
    const t0 = performance.now();
    const info = this.info;
    if (info.preprocessing.kind !== 'mnist') {
      throw visionError('modelInput', [info.dir, `drawing needs a digit model with mnist preprocessing; this one uses ${info.preprocessing.kind}`]);
    }
    const gray: GrayImage = { width, height, data: Float32Array.from(ink) };
    const { values } = mnistNormalize(gray, { size: info.geometry.width, inkThreshold: info.preprocessing.inkThreshold, name: 'drawing' });
    const mean = info.preprocessing.mean ?? 0;
    const std = info.preprocessing.std ?? 1;
    const channels = info.geometry.channels;
    const input = new Float32Array(values.length * channels);
    const preview = new Uint8Array(values.length);
    for (let i = 0; i < values.length; i++) {
      preview[i] = Math.round(values[i] * 255);
      for (let c = 0; c < channels; c++) input[i * channels + c] = (values[i] - mean) / std;
    }
    return {
      name: 'drawing',
      input,
      preview: { width: info.geometry.width, height: info.geometry.height, channels: 1, data: preview },
      notes: [],
      decodeMs: 0,
      preprocessMs: performance.now() - t0,
    };
  }

  /** Runs the model on prepared inputs together (one batch) and builds the results. */
  async infer(prepared: readonly Prepared[], options: { preview?: boolean } = {}): Promise<ClassificationResult[]> {
    const t0 = performance.now();
    const rows = await this.model.predict(prepared.map((p) => p.input));
    const inferMs = (performance.now() - t0) / Math.max(1, prepared.length);
    const info = this.info;
    // A model can emit NaN (e.g. weights that overflow): say so instead of printing "NaN%".
    if (rows.some((row) => row.some((v) => !Number.isFinite(v)))) {
      throw visionError('modelCorrupt', [info.modelPath, 'it produced numbers that are not finite (NaN or infinity) for this input']);
    }
    return prepared.map((p, i) => {
      const top = topK(rows[i], info.labels);
      return {
        name: p.name,
        file: p.file,
        label: top[0].label,
        score: top[0].score,
        top,
        source: p.source,
        notes: p.notes,
        inverted: p.inverted,
        timings: { decodeMs: p.decodeMs, preprocessMs: p.preprocessMs, inferMs, totalMs: p.decodeMs + p.preprocessMs + inferMs },
        model: { name: info.name, runtime: info.runtime, kind: info.kind },
        ...(options.preview ? { previewPng: encodePreviewPng(p.preview), previewSize: { width: p.preview.width, height: p.preview.height } } : {}),
      };
    });
  }

  async classifyBytes(bytes: Uint8Array, name: string, options: { preview?: boolean; file?: string } = {}): Promise<ClassificationResult> {
    const [result] = await this.infer([await this.prepareBytes(bytes, name, options.file)], options);
    return result;
  }

  /**
   * Reads, decodes and preprocesses every file (a bad file becomes an error outcome, not a failure of the
   * batch), then runs the good ones through the model in one batch.
   */
  async classifyFiles(files: readonly string[], options: { preview?: boolean } = {}): Promise<ClassificationOutcome[]> {
    const outcomes: (ClassificationOutcome | Prepared)[] = await Promise.all(
      files.map(async (file): Promise<ClassificationOutcome | Prepared> => {
        const name = path.basename(file);
        try {
          const bytes = await readImageFile(file, name);
          return await this.prepareBytes(bytes, name, file);
        } catch (err) {
          return { ok: false, name, file, error: toErrorData(err) };
        }
      }),
    );
    const prepared = outcomes.filter((o): o is Prepared => !('ok' in o));
    const results = prepared.length ? await this.infer(prepared, options) : [];
    let next = 0;
    return outcomes.map((o) => ('ok' in o ? o : { ok: true, result: results[next++] }));
  }

  async dispose(): Promise<void> {
    await this.model.dispose();
  }
}

/**
 * The largest image file read: a 50-megapixel image stored without compression (BMP, 32 bits per pixel) is
 * 200 MB. Checked before reading, so `/dev/zero` or a huge file costs nothing.
 */
export const MAX_IMAGE_FILE_BYTES = 256 * 1024 * 1024;

/** Reads a regular image file (size checked first), turning file-system errors into a coded error with the reason. */
export async function readImageFile(file: string, name = path.basename(file)): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFileBounded(file, { maxBytes: MAX_IMAGE_FILE_BYTES, purpose: 'an image' }));
  } catch (err) {
    throw visionError('unreadable', [name, isFileInputError(err) ? fileInputReason(err) : err instanceof Error ? err.message : String(err)]);
  }
}
