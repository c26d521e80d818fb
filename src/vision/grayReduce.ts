/**
 * Grey conversion (ITU-R BT.601 luma, alpha composited over white) fused with an integer box reduction,
 * fed one row at a time. Decoders hand their rows straight to it, so a 512-px photo of a digit becomes a
 * 128-px grey image without an intermediate RGBA copy; the crop / threshold / centre-of-mass steps then
 * run on 128 px instead of 512 (the final area resampling to 20 px makes the two box filters one).
 *
 * The sums are exact integers: luma × 1000 = 299·R + 587·G + 114·B, and compositing over white scaled by
 * 255 as well, so every pixel contributes `grey × SCALE` exactly. Integer arithmetic is cheaper than float
 * here, and it makes the WebAssembly kernel (wasm/pngKernels.wat) and this reference agree bit for bit.
 * No `vscode` import.
 */
import type { GrayImage } from './image';

/** Byte layouts a row can arrive in: grey, grey+alpha, RGB, RGBA (8 bits per sample). */
export type RowLayout = 1 | 2 | 3 | 4;

/** A pixel's grey value (0–255) times SCALE is an integer for every layout. */
export const GRAY_SCALE = 255_000;
/** White (255) times SCALE. */
const WHITE = 255 * GRAY_SCALE;

export class GrayBoxReducer {
  readonly outWidth: number;
  readonly outHeight: number;
  /** Block sums of grey × GRAY_SCALE; integers below 2^53 (≤ 65 M per pixel, ≤ ~4,000 pixels per block at 50 MP). */
  private readonly sum: Float64Array;

  constructor(
    readonly width: number,
    readonly height: number,
    readonly factor: number,
  ) {
    this.outWidth = Math.ceil(width / factor);
    this.outHeight = Math.ceil(height / factor);
    this.sum = new Float64Array(this.outWidth * this.outHeight);
  }

  /** Adds source row `y`: `width` pixels laid out as `layout`, starting at `row[offset]`. */
  addRow(y: number, row: Uint8Array, offset: number, layout: RowLayout): void {
    const sum = this.sum;
    const { width, factor } = this;
    // Each run of `factor` pixels is summed first, then added to its block.
    for (let x = 0, p = offset, slot = Math.floor(y / factor) * this.outWidth; x < width; slot++) {
      const end = Math.min(width, x + factor);
      let run = 0;
      // One loop per layout keeps the per-pixel work branch-free (this is the hot loop of a large image).
      switch (layout) {
        case 1:
          for (; x < end; x++, p++) run += row[p] * GRAY_SCALE;
          break;
        case 2:
          // Over white: 255 + (a / 255)·(grey − 255), times 255 000.
          for (; x < end; x++, p += 2) run += WHITE + row[p + 1] * (row[p] * 1000 - WHITE / 255);
          break;
        case 3:
          for (; x < end; x++, p += 3) run += (299 * row[p] + 587 * row[p + 1] + 114 * row[p + 2]) * 255;
          break;
        case 4:
          for (; x < end; x++, p += 4) run += WHITE + row[p + 3] * (299 * row[p] + 587 * row[p + 1] + 114 * row[p + 2] - WHITE / 255);
          break;
      }
      sum[slot] += run;
    }
  }

  /** The block means, grey 0–255 (blocks on the right and bottom edges may be partial). */
  finish(): GrayImage {
    const { outWidth, outHeight, factor, width, height, sum } = this;
    const data = new Float32Array(sum.length);
    for (let oy = 0; oy < outHeight; oy++) {
      const rows = Math.min(factor, height - oy * factor);
      for (let ox = 0; ox < outWidth; ox++) {
        data[oy * outWidth + ox] = sum[oy * outWidth + ox] / (GRAY_SCALE * rows * Math.min(factor, width - ox * factor));
      }
    }
    return { width: outWidth, height: outHeight, data };
  }
}

/** Reduction factor that keeps at least ~112 px on the short side (≥ 5× the 20-px digit box). */
export function reductionFactor(width: number, height: number): number {
  return Math.max(1, Math.floor(Math.min(width, height) / 112));
}
