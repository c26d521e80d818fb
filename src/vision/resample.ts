/**
 * Separable image resampling for interleaved float channels. Downscaling uses an area (box) filter —
 * every output pixel is the coverage-weighted mean of the source pixels under it — because a 512-px
 * digit shrunk to 20 px by point or bilinear sampling drops most of its strokes and aliases the rest.
 * Upscaling uses bilinear interpolation (pixel centres aligned), where an area filter would give blocks.
 * No `vscode` import.
 */

interface Taps {
  /** For output i: source indices start[i] … start[i] + count[i] - 1 with weights in `weights`. */
  readonly start: Int32Array;
  readonly count: Int32Array;
  readonly offset: Int32Array;
  readonly weights: Float32Array;
}

function computeTaps(inSize: number, outSize: number): Taps {
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const offset = new Int32Array(outSize);
  const all: number[] = [];
  const scale = inSize / outSize;
  for (let i = 0; i < outSize; i++) {
    offset[i] = all.length;
    if (scale > 1) {
      const lo = i * scale;
      const hi = lo + scale;
      const first = Math.floor(lo);
      const last = Math.min(inSize - 1, Math.ceil(hi) - 1);
      start[i] = first;
      for (let s = first; s <= last; s++) all.push((Math.min(hi, s + 1) - Math.max(lo, s)) / scale);
      count[i] = last - first + 1;
    } else {
      const centre = (i + 0.5) * scale - 0.5;
      const left = Math.floor(centre);
      const frac = centre - left;
      const a = Math.max(0, Math.min(inSize - 1, left));
      const b = Math.max(0, Math.min(inSize - 1, left + 1));
      start[i] = a;
      if (a === b) {
        all.push(1);
        count[i] = 1;
      } else {
        all.push(1 - frac, frac);
        count[i] = 2;
      }
    }
  }
  return { start, count, offset, weights: Float32Array.from(all) };
}

/** Resamples `src` (inW × inH × channels, interleaved) to outW × outH. */
export function resample(src: Float32Array, inW: number, inH: number, channels: number, outW: number, outH: number): Float32Array {
  if (inW === outW && inH === outH) return src.slice();
  const tx = computeTaps(inW, outW);
  const ty = computeTaps(inH, outH);
  // Horizontal pass: inH rows of outW pixels.
  const mid = new Float32Array(outW * inH * channels);
  for (let y = 0; y < inH; y++) {
    const rowIn = y * inW * channels;
    const rowOut = y * outW * channels;
    for (let x = 0; x < outW; x++) {
      const s0 = tx.start[x];
      const n = tx.count[x];
      const w0 = tx.offset[x];
      for (let c = 0; c < channels; c++) {
        let acc = 0;
        for (let k = 0; k < n; k++) acc += src[rowIn + (s0 + k) * channels + c] * tx.weights[w0 + k];
        mid[rowOut + x * channels + c] = acc;
      }
    }
  }
  // Vertical pass.
  const out = new Float32Array(outW * outH * channels);
  const rowLen = outW * channels;
  for (let y = 0; y < outH; y++) {
    const s0 = ty.start[y];
    const n = ty.count[y];
    const w0 = ty.offset[y];
    const o = y * rowLen;
    for (let k = 0; k < n; k++) {
      const w = ty.weights[w0 + k];
      const r = (s0 + k) * rowLen;
      for (let i = 0; i < rowLen; i++) out[o + i] += mid[r + i] * w;
    }
  }
  return out;
}
