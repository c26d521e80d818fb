/**
 * Occlusion saliency for an image classifier: which parts of the model's input its answer depends on.
 * No `vscode` import.
 *
 * A square patch slides over the model's input (after preprocessing: "what the model saw"); each position
 * is replaced by 0 in the model's input space — the background for digit models (ink 1 on 0), the mean
 * colour for mean/std-normalised ones — and all positions run as one batch. A cell's value is how much the
 * explained label's probability falls when that patch is hidden (negative: hiding it makes the label more
 * likely). The grid has `rows × cols` cells; cell (r, c) covers input pixels [r·stride, r·stride + patch) ×
 * [c·stride, c·stride + patch). Model-agnostic: only the model's `predict` is used.
 */
import type { ImageClassifier } from './classifier';

export interface OcclusionGrid {
  readonly method: 'occlusion';
  readonly label: string;
  readonly labelIndex: number;
  /** The label's probability on the unoccluded input. */
  readonly probability: number;
  /** Input size the grid refers to (the model's input, as in the preview). */
  readonly width: number;
  readonly height: number;
  readonly patch: number;
  readonly stride: number;
  readonly rows: number;
  readonly cols: number;
  /** `values[r][c]`: probability of the label without the patch subtracted from `probability`. */
  readonly values: number[][];
  readonly evaluations: number;
  readonly elapsedMs: number;
}

/** Patch and stride for an input: about a seventh of the shorter side, half-overlapping (4 / 2 for 28×28). */
export function occlusionGeometry(width: number, height: number): { patch: number; stride: number } {
  const patch = Math.max(2, Math.round(Math.min(width, height) / 7));
  return { patch, stride: Math.max(1, Math.floor(patch / 2)) };
}

/** Largest batch sent to the model at once. */
const OCCLUSION_BATCH = 64;

/**
 * Occlusion grid for one prepared input (HWC, the model's own values). `labelIndex` picks the label to
 * explain; by default the predicted one.
 */
export async function occlusionSaliency(
  classifier: ImageClassifier,
  input: Float32Array,
  options: { labelIndex?: number; patch?: number; stride?: number } = {},
): Promise<OcclusionGrid> {
  const t0 = performance.now();
  const { width, height, channels } = classifier.info.geometry;
  if (input.length !== width * height * channels) throw new Error(`the input has ${input.length} values; the model takes ${width}×${height}×${channels}`);
  const auto = occlusionGeometry(width, height);
  const patch = Math.min(options.patch ?? auto.patch, width, height);
  const stride = Math.max(1, options.stride ?? auto.stride);
  const rows = Math.floor((height - patch) / stride) + 1;
  const cols = Math.floor((width - patch) / stride) + 1;

  const [base] = await classifier.model.predict([input]);
  let predicted = 0;
  for (let i = 1; i < base.length; i++) if (base[i] > base[predicted]) predicted = i;
  const target = options.labelIndex ?? predicted;
  if (!(target >= 0 && target < base.length)) throw new Error(`there is no label ${target}; the model has ${base.length}`);

  const variants: Float32Array[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = Float32Array.from(input);
      for (let y = r * stride; y < r * stride + patch; y++) v.fill(0, (y * width + c * stride) * channels, (y * width + c * stride + patch) * channels);
      variants.push(v);
    }
  }
  const values: number[][] = Array.from({ length: rows }, () => new Array<number>(cols).fill(0));
  for (let i = 0; i < variants.length; i += OCCLUSION_BATCH) {
    const out = await classifier.model.predict(variants.slice(i, i + OCCLUSION_BATCH));
    out.forEach((probs, j) => {
      const k = i + j;
      values[Math.floor(k / cols)][k % cols] = base[target] - probs[target];
    });
  }
  return {
    method: 'occlusion',
    label: classifier.info.labels[target] ?? String(target),
    labelIndex: target,
    probability: base[target],
    width,
    height,
    patch,
    stride,
    rows,
    cols,
    values,
    evaluations: variants.length + 1,
    elapsedMs: performance.now() - t0,
  };
}

/**
 * The grid spread over the input's pixels (mean of the cells covering each pixel), row-major `height × width`:
 * what the panel paints over the preview.
 */
export function saliencyPerPixel(grid: OcclusionGrid): Float32Array {
  const sum = new Float32Array(grid.width * grid.height);
  const count = new Uint16Array(grid.width * grid.height);
  for (let r = 0; r < grid.rows; r++) {
    for (let c = 0; c < grid.cols; c++) {
      for (let y = r * grid.stride; y < r * grid.stride + grid.patch; y++) {
        for (let x = c * grid.stride; x < c * grid.stride + grid.patch; x++) {
          sum[y * grid.width + x] += grid.values[r][c];
          count[y * grid.width + x]++;
        }
      }
    }
  }
  for (let i = 0; i < sum.length; i++) if (count[i] > 0) sum[i] /= count[i];
  return sum;
}
