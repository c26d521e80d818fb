/**
 * A fast path for the common PNGs (8-bit, not interlaced: grey, grey+alpha, RGB, RGBA, palette), because
 * pngjs spends most of a 512×512 decode in generic bit-depth and stream machinery (measured here: ~75× the
 * time of the zlib inflate itself). Inflate is Node's native zlib; rows are unfiltered into two small
 * row buffers (the current one and the one above, which stay in cache) and handed to a sink: either the
 * expansion to RGBA, or — for digit models — the grey box reduction, so a large PNG never exists as RGBA.
 * Everything else (16-bit, 1/2/4-bit, Adam7 interlaced) goes to pngjs. No `vscode` import.
 */
import * as zlib from 'node:zlib';
import type { CodedError } from '../common/errors';
import { visionError } from './errors';
import { GrayBoxReducer, type RowLayout } from './grayReduce';
import type { GrayImage, RgbaImage } from './image';
import { unfilterGrayReduceWasm, unfilterWasm } from './pngWasmKernels';

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

interface PngInfo {
  readonly width: number;
  readonly height: number;
  readonly colorType: number;
  /** Bytes per pixel in the unfiltered rows. */
  readonly channels: number;
  readonly palette?: Uint8Array;
  readonly trns?: Uint8Array;
}

/** Receives each unfiltered row (`row` may be reused for the next row: copy what you keep). */
type RowSink = (row: Uint8Array, y: number) => void;

interface InflatedPng {
  readonly info: PngInfo;
  /** Filtered rows, each preceded by its filter-type byte. */
  readonly raw: Uint8Array;
}

export interface PngFastOptions {
  /** Use the WebAssembly kernels when available (default); false forces the JavaScript loops. */
  readonly wasm?: boolean;
}

/** Parses the chunks and inflates the pixel data; undefined when the PNG needs the general decoder. */
function inflatePng(bytes: Uint8Array, name: string): InflatedPng | undefined {
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
    const body = pos + 8;
    if (body + length > bytes.length) throw visionError('truncated', [name]);
    const chunk = bytes.subarray(body, body + length);
    if (type === 'IDAT') idat.push(chunk);
    else if (type === 'PLTE') palette = chunk;
    else if (type === 'tRNS') trns = chunk;
    else if (type === 'IEND') {
      ended = true;
      break;
    }
    pos = body + length + 4; // skip CRC
  }
  if (!ended) throw visionError('truncated', [name]);
  if (colorType === 3 && !palette) throw visionError('corrupt', [name, 'the palette (PLTE) is missing']);

  const expected = (width * channels + 1) * height;
  // One output chunk of the expected size: zlib then returns that buffer instead of concatenating
  // 16 KB pieces (a 0.15 ms copy for a 512-px RGB image).
  const inflated = inflateWithin(idat.length === 1 ? idat[0] : Buffer.concat(idat), expected);
  if ('overflow' in inflated) throw overflowError(name, width, height);
  if ('invalid' in inflated) throw visionError('corrupt', [name, `the compressed pixel data is invalid (${inflated.invalid})`]);
  const { raw } = inflated;
  if (raw.length < expected) throw visionError('truncated', [name]);
  return { info: { width, height, colorType, channels, palette, trns }, raw };
}

type Inflated = { readonly raw: Buffer } | { readonly overflow: true } | { readonly invalid: string };

/**
 * Inflates PNG pixel data, stopping as soon as the output passes `expected` bytes (what the header's size
 * implies): a decompression bomb — a few MB that inflate to GB — costs `expected` bytes of work, not GB.
 */
function inflateWithin(data: Uint8Array, expected: number): Inflated {
  try {
    return { raw: zlib.inflateSync(data, { chunkSize: Math.max(zlib.constants.Z_MIN_CHUNK, Math.min(expected + 1, 256 * 1024 * 1024)), maxOutputLength: Math.max(1, expected) }) };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return { overflow: true };
    return { invalid: err instanceof Error ? err.message : String(err) };
  }
}

function overflowError(name: string, width: number, height: number): CodedError {
  return visionError('corrupt', [name, `the compressed pixel data holds more than the ${width} × ${height} pixels the header declares`]);
}

/** Bytes of filtered pixel data a PNG holds: one filter byte per row, Adam7's seven passes when interlaced. */
export function pngFilteredSize(width: number, height: number, bitsPerPixel: number, interlaced: boolean): number {
  const rowBytes = (w: number) => (w === 0 ? 0 : Math.ceil((w * bitsPerPixel) / 8) + 1);
  if (!interlaced) return rowBytes(width) * height;
  // Adam7 passes: [x start, y start, x step, y step].
  const passes = [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]];
  let total = 0;
  for (const [x0, y0, dx, dy] of passes) {
    const w = Math.ceil(Math.max(0, width - x0) / dx);
    const h = Math.ceil(Math.max(0, height - y0) / dy);
    if (w > 0 && h > 0) total += rowBytes(w) * h;
  }
  return total;
}

/**
 * Checks that a PNG's pixel data inflates to no more than its header allows, for the PNGs that go to
 * pngjs: pngjs inflates interlaced images without any bound (non-interlaced ones it bounds itself).
 */
export function checkPngInflatedSize(bytes: Uint8Array, name: string): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  const bitDepth = bytes[24];
  const channels = CHANNELS[bytes[25]];
  if (channels === undefined) throw visionError('corrupt', [name, `unknown PNG colour type ${bytes[25]}`]);
  const idat: Uint8Array[] = [];
  for (let pos = 8; pos + 8 <= bytes.length; ) {
    const length = view.getUint32(pos);
    const type = String.fromCharCode(bytes[pos + 4], bytes[pos + 5], bytes[pos + 6], bytes[pos + 7]);
    if (type === 'IEND') break;
    if (type === 'IDAT') idat.push(bytes.subarray(pos + 8, Math.min(bytes.length, pos + 8 + length)));
    pos += 12 + length;
  }
  // Only the bomb is this check's to report; pngjs names other damage (a truncated stream, …) itself.
  const inflated = inflateWithin(Buffer.concat(idat), pngFilteredSize(width, height, bitDepth * channels, bytes[28] === 1));
  if ('overflow' in inflated) throw overflowError(name, width, height);
}

/** Feeds every unfiltered row to `sink`: WebAssembly when available, else the JavaScript loop. */
function forEachRow({ info, raw }: InflatedPng, name: string, options: PngFastOptions, sink: RowSink): void {
  const stride = info.width * info.channels;
  const pixels = options.wasm === false ? undefined : unfilterWasm(raw, info.height, stride, info.channels, name);
  if (pixels) {
    for (let y = 0; y < info.height; y++) sink(pixels.subarray(y * stride, (y + 1) * stride), y);
    return;
  }
  // The row above starts as zeros, which is what the PNG filters assume for the first row.
  let prev = new Uint8Array(stride);
  let cur = new Uint8Array(stride);
  for (let y = 0; y < info.height; y++) {
    const at = y * (stride + 1);
    unfilterRow(raw[at], raw, at + 1, cur, prev, info.channels, name);
    sink(cur, y);
    const done = prev;
    prev = cur;
    cur = done;
  }
}

/** Undoes one row's filter into `cur` (PNG spec §9); arithmetic wraps modulo 256 in the Uint8Array store. */
function unfilterRow(filter: number, raw: Uint8Array, src: number, cur: Uint8Array, prev: Uint8Array, ch: number, name: string): void {
  const stride = cur.length;
  switch (filter) {
    case 0:
      cur.set(raw.subarray(src, src + stride));
      return;
    case 1:
      for (let i = 0; i < ch; i++) cur[i] = raw[src + i];
      for (let i = ch; i < stride; i++) cur[i] = raw[src + i] + cur[i - ch];
      return;
    case 2:
      for (let i = 0; i < stride; i++) cur[i] = raw[src + i] + prev[i];
      return;
    case 3:
      for (let i = 0; i < ch; i++) cur[i] = raw[src + i] + (prev[i] >> 1);
      for (let i = ch; i < stride; i++) cur[i] = raw[src + i] + ((cur[i - ch] + prev[i]) >> 1);
      return;
    case 4:
      for (let i = 0; i < ch; i++) cur[i] = raw[src + i] + prev[i];
      for (let i = ch; i < stride; i++) {
        const a = cur[i - ch];
        const b = prev[i];
        const c = prev[i - ch];
        const pa = b > c ? b - c : c - b; // |p - a| with p = a + b - c
        const pb = a > c ? a - c : c - a; // |p - b|
        const pc = a + b - c - c > 0 ? a + b - c - c : c + c - a - b; // |p - c|
        cur[i] = raw[src + i] + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
      }
      return;
    default:
      throw visionError('corrupt', [name, `unknown PNG row filter ${filter}`]);
  }
}

/** Expands one unfiltered row to RGBA at `out[o]`. */
function expandRow(info: PngInfo, row: Uint8Array, out: Uint8Array, o: number, name: string): void {
  const n = info.width;
  const { trns } = info;
  switch (info.colorType) {
    case 0: {
      const key = trns && trns.length >= 2 ? trns[1] : -1;
      for (let i = 0; i < n; i++, o += 4) {
        const v = row[i];
        out[o] = out[o + 1] = out[o + 2] = v;
        out[o + 3] = v === key ? 0 : 255;
      }
      return;
    }
    case 2: {
      const key = trns && trns.length >= 6 ? [trns[1], trns[3], trns[5]] : undefined;
      for (let i = 0, p = 0; i < n; i++, p += 3, o += 4) {
        const r = row[p];
        const g = row[p + 1];
        const b = row[p + 2];
        out[o] = r;
        out[o + 1] = g;
        out[o + 2] = b;
        out[o + 3] = key && r === key[0] && g === key[1] && b === key[2] ? 0 : 255;
      }
      return;
    }
    case 3: {
      const plte = info.palette as Uint8Array;
      const entries = plte.length / 3;
      for (let i = 0; i < n; i++, o += 4) {
        const index = row[i];
        if (index >= entries) throw visionError('corrupt', [name, `palette index ${index} out of range`]);
        out[o] = plte[index * 3];
        out[o + 1] = plte[index * 3 + 1];
        out[o + 2] = plte[index * 3 + 2];
        out[o + 3] = trns && index < trns.length ? trns[index] : 255;
      }
      return;
    }
    case 4:
      for (let i = 0, p = 0; i < n; i++, p += 2, o += 4) {
        out[o] = out[o + 1] = out[o + 2] = row[p];
        out[o + 3] = row[p + 1];
      }
      return;
    default:
      out.set(row, o);
  }
}

/** Decodes an 8-bit PNG to RGBA; undefined when the PNG needs the general decoder. */
export function decodePngFast(bytes: Uint8Array, name: string, options: PngFastOptions = {}): RgbaImage | undefined {
  const png = inflatePng(bytes, name);
  if (!png) return undefined;
  const { info } = png;
  const data = new Uint8Array(info.width * info.height * 4);
  forEachRow(png, name, options, (row, y) => expandRow(info, row, data, y * info.width * 4, name));
  return { width: info.width, height: info.height, data };
}

/**
 * Decodes an 8-bit PNG straight to grey (alpha over white), box-reduced by `factorFor(width, height)`;
 * undefined when the PNG needs the general decoder. Equals decodePngFast followed by toGrayReduced.
 */
export function decodePngGrayReduced(
  bytes: Uint8Array,
  name: string,
  factorFor: (width: number, height: number) => number,
  options: PngFastOptions = {},
): GrayImage | undefined {
  const png = inflatePng(bytes, name);
  if (!png) return undefined;
  const { info, raw } = png;
  const factor = factorFor(info.width, info.height);
  // Rows whose bytes are already grey / grey+alpha / RGB / RGBA go in as they are; palette and
  // colour-key transparency are expanded to RGBA first (rare, and a row is small).
  const direct = info.colorType !== 3 && !(info.trns && (info.colorType === 0 || info.colorType === 2));
  const layout = info.channels as RowLayout;
  if (direct && options.wasm !== false) {
    const gray = unfilterGrayReduceWasm(raw, info.width, info.height, layout, factor, name);
    if (gray) return gray;
  }
  const reducer = new GrayBoxReducer(info.width, info.height, factor);
  if (direct) {
    forEachRow(png, name, options, (row, y) => reducer.addRow(y, row, 0, layout));
  } else {
    const rgba = new Uint8Array(info.width * 4);
    forEachRow(png, name, options, (row, y) => {
      expandRow(info, row, rgba, 0, name);
      reducer.addRow(y, rgba, 0, 4);
    });
  }
  return reducer.finish();
}
