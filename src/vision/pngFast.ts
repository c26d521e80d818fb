/**
 * A fast path for the common PNGs (8-bit, not interlaced: grey, grey+alpha, RGB, RGBA, palette), because
 * pngjs spends most of a 512×512 decode in generic bit-depth and stream machinery (measured here: ~75× the
 * time of the zlib inflate itself). Inflate is Node's native zlib; unfiltering and the expansion to RGBA
 * are one tight loop each. Everything else (16-bit, 1/2/4-bit, Adam7 interlaced) goes to pngjs.
 * No `vscode` import.
 */
import * as zlib from 'node:zlib';
import { VisionError } from './errors';
import type { RgbaImage } from './image';

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** Returns undefined when the PNG needs the general decoder. */
export function decodePngFast(bytes: Uint8Array, name: string): RgbaImage | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  const bitDepth = bytes[24];
  const colorType = bytes[25];
  const interlace = bytes[28];
  const channels = CHANNELS[colorType];
  if (bitDepth !== 8 || interlace !== 0 || channels === undefined) return undefined;

  const idat: Uint8Array[] = [];
  let palette: Uint8Array | undefined;
  let trns: Uint8Array | undefined;
  let pos = 8;
  let ended = false;
  while (pos + 8 <= bytes.length) {
    const length = view.getUint32(pos);
    const type = String.fromCharCode(bytes[pos + 4], bytes[pos + 5], bytes[pos + 6], bytes[pos + 7]);
    const start = pos + 8;
    if (start + length > bytes.length) throw new VisionError('truncated', [name]);
    const body = bytes.subarray(start, start + length);
    if (type === 'IDAT') idat.push(body);
    else if (type === 'PLTE') palette = body;
    else if (type === 'tRNS') trns = body;
    else if (type === 'IEND') {
      ended = true;
      break;
    }
    pos = start + length + 4; // skip CRC
  }
  if (!ended) throw new VisionError('truncated', [name]);
  if (colorType === 3 && !palette) throw new VisionError('corrupt', [name, 'the palette (PLTE) is missing']);

  let raw: Buffer;
  try {
    raw = zlib.inflateSync(idat.length === 1 ? idat[0] : Buffer.concat(idat));
  } catch (err) {
    throw new VisionError('corrupt', [name, `the compressed pixel data is invalid (${err instanceof Error ? err.message : String(err)})`]);
  }
  const stride = width * channels;
  if (raw.length < (stride + 1) * height) throw new VisionError('truncated', [name]);

  // Unfilter in place; `prev` is the previous row's unfiltered bytes (zeros for the first row).
  const pixels = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = y * (stride + 1) + 1;
    const dst = y * stride;
    const up = dst - stride;
    // Loops are split at `channels` so the per-byte work has no bounds branches (the hot path of a decode).
    const ch = channels;
    if (filter === 0 || (filter === 2 && y === 0)) {
      pixels.set(raw.subarray(src, src + stride), dst);
    } else if (filter === 1 || (filter === 4 && y === 0)) {
      // Sub (and Paeth on the first row, where above and upper-left are 0: Paeth picks the left byte).
      for (let i = 0; i < ch; i++) pixels[dst + i] = raw[src + i];
      for (let i = ch; i < stride; i++) pixels[dst + i] = raw[src + i] + pixels[dst + i - ch];
    } else if (filter === 2) {
      for (let i = 0; i < stride; i++) pixels[dst + i] = raw[src + i] + pixels[up + i];
    } else if (filter === 3) {
      if (y === 0) {
        for (let i = 0; i < ch; i++) pixels[dst + i] = raw[src + i];
        for (let i = ch; i < stride; i++) pixels[dst + i] = raw[src + i] + (pixels[dst + i - ch] >> 1);
      } else {
        for (let i = 0; i < ch; i++) pixels[dst + i] = raw[src + i] + (pixels[up + i] >> 1);
        for (let i = ch; i < stride; i++) pixels[dst + i] = raw[src + i] + ((pixels[dst + i - ch] + pixels[up + i]) >> 1);
      }
    } else if (filter === 4) {
      for (let i = 0; i < ch; i++) pixels[dst + i] = raw[src + i] + pixels[up + i];
      for (let i = ch; i < stride; i++) {
        const a = pixels[dst + i - ch];
        const b = pixels[up + i];
        const c = pixels[up + i - ch];
        const pa = b > c ? b - c : c - b; // |p - a| with p = a + b - c
        const pb = a > c ? a - c : c - a; // |p - b|
        const pc = a + b - c - c > 0 ? a + b - c - c : c + c - a - b; // |p - c|
        pixels[dst + i] = raw[src + i] + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
      }
    } else {
      throw new VisionError('corrupt', [name, `unknown PNG row filter ${filter}`]);
    }
  }

  const n = width * height;
  const out = new Uint8Array(n * 4);
  switch (colorType) {
    case 0: {
      const key = trns && trns.length >= 2 ? trns[1] : -1;
      for (let i = 0, o = 0; i < n; i++, o += 4) {
        const v = pixels[i];
        out[o] = out[o + 1] = out[o + 2] = v;
        out[o + 3] = v === key ? 0 : 255;
      }
      break;
    }
    case 2: {
      const key = trns && trns.length >= 6 ? [trns[1], trns[3], trns[5]] : undefined;
      for (let i = 0, p = 0, o = 0; i < n; i++, p += 3, o += 4) {
        const r = pixels[p];
        const g = pixels[p + 1];
        const b = pixels[p + 2];
        out[o] = r;
        out[o + 1] = g;
        out[o + 2] = b;
        out[o + 3] = key && r === key[0] && g === key[1] && b === key[2] ? 0 : 255;
      }
      break;
    }
    case 3: {
      const plte = palette as Uint8Array;
      const entries = plte.length / 3;
      for (let i = 0, o = 0; i < n; i++, o += 4) {
        const index = pixels[i];
        if (index >= entries) throw new VisionError('corrupt', [name, `palette index ${index} out of range`]);
        out[o] = plte[index * 3];
        out[o + 1] = plte[index * 3 + 1];
        out[o + 2] = plte[index * 3 + 2];
        out[o + 3] = trns && index < trns.length ? trns[index] : 255;
      }
      break;
    }
    case 4:
      for (let i = 0, p = 0, o = 0; i < n; i++, p += 2, o += 4) {
        out[o] = out[o + 1] = out[o + 2] = pixels[p];
        out[o + 3] = pixels[p + 1];
      }
      break;
    default:
      out.set(pixels);
  }
  return { width, height, data: out };
}
