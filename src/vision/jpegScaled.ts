/**
 * A baseline JPEG decoder that decodes straight to 1/2, 1/4 or 1/8 scale, for classifiers that shrink the
 * image anyway (the digit model wants ~112 px, a 3-channel model 224 px; photos are 2000 px and more).
 *
 * Why: jpeg-js spends ~44 ms on a 512-px JPEG (a 2000×1500 photo: ~0.5 s), nearly all of it in the full
 * inverse DCT, the colour conversion and the RGBA image, which the classifier then throws away by reducing.
 * Here each 8×8 block of DCT coefficients becomes (8/s)² output pixels directly, each the exact mean of the
 * s×s pixels the full inverse DCT would produce there (before rounding and clamping). The mean of a cosine
 * over a run of pixels is a constant, so the reduced transform is a small table per quantisation table and
 * scale, applied to the non-zero coefficients as the Huffman decoder produces them. At 1/8 only the DC
 * coefficient contributes; at 1/4 only 25 of the 64 do. The result is the full decode followed by the same
 * box reduction, within JPEG's own rounding (unit-tested against jpeg-js + the box reduction).
 *
 * Subsampled chroma (4:2:0, 4:2:2) is reduced half as much as luma, so every channel comes out at the output
 * size and no upsampling is needed (at 1/2 scale, 4:2:0 chroma gets the full 8×8 inverse transform).
 *
 * Scope: sequential Huffman JPEGs with 8-bit samples (SOF0/SOF1: nearly every camera and web JPEG), grey or
 * YCbCr, sampling factors that divide the largest, restart intervals, one scan or one scan per
 * component. Everything else (progressive, arithmetic, 12-bit, lossless, CMYK, Adobe RGB) returns undefined
 * and goes to the full decoder. Bad data throws the vision errors ('truncated', 'corrupt'); every read is
 * bounds-checked and the work is bounded by the frame size, which the caller has checked against the pixel
 * limit. No `vscode` import.
 */
import { visionError } from './errors';
import { checkPixelLimit } from './formats';
import type { GrayImage, RgbaImage } from './image';

/** Output pixels per source pixel along each axis: 1/2, 1/4 or 1/8. */
export type JpegScale = 2 | 4 | 8;
/** A component's own reduction: a subsampled channel is reduced less (chroma at half size and 1/2 scale: 1). */
type BlockScale = 1 | 2 | 4 | 8;

/** Zig-zag order → natural (row-major) index in the 8×8 block. */
const ZIGZAG = Uint8Array.from([
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57,
  50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
]);

/** Fixed-point fraction of the planes: 4 bits, 1/16 of a grey level. */
const FRACTION_BITS = 4;
const ONE = 1 << FRACTION_BITS;
const PLANE_MAX = 255 * ONE;

/** Bits of code looked up at once; longer codes take the canonical-code loop. */
const LOOKUP_BITS = 9;

interface HuffmanTable {
  /** Indexed by the next LOOKUP_BITS bits: (code length << 8) | symbol, or 0 when the code is longer. */
  readonly lookup: Uint16Array;
  /** Canonical decoding for lengths 1–16: largest code of each length (-1 = none), and where its symbols start. */
  readonly maxCode: Int32Array;
  readonly valOffset: Int32Array;
  readonly symbols: Uint8Array;
}

interface Component {
  readonly id: number;
  readonly h: number;
  readonly v: number;
  readonly quantId: number;
  /** Blocks per line and per column, padded to whole MCUs. */
  blocksW: number;
  blocksH: number;
  /** This component's own reduction per axis, so that every plane comes out at the output size, and outputs per block. */
  sx: BlockScale;
  sy: BlockScale;
  nx: number;
  ny: number;
  /**
   * This component's plane at the output scale, blocksW·nx × blocksH·ny: samples clamped to 0–255 in fixed point
   * with FRACTION_BITS fractional bits, since rounding each channel to whole levels before the colour conversion
   * would add up to ~1 level of error that the full decode averages away.
   */
  plane: Uint16Array;
  /** The last block column and row holding image pixels, and how many pixels of those blocks lie inside the image. */
  edgeBx: number;
  edgeBy: number;
  edgeValidX: number;
  edgeValidY: number;
  /**
   * Scale-reduced transforms (for each natural index z, n² weights, already multiplied by the quantiser):
   * inside, last column, last row, corner.
   */
  transforms: Float32Array[];
  /** Whether coefficient z contributes at this scale at all. */
  contributes: Uint8Array;
  scanned: boolean;
}

interface Frame {
  readonly width: number;
  readonly height: number;
  readonly components: Component[];
  readonly hMax: number;
  readonly vMax: number;
  readonly mcusX: number;
  readonly mcusY: number;
}

export interface ScaledJpeg {
  readonly width: number;
  readonly height: number;
  /** The reduction applied: output width = ceil(width / scale). */
  readonly scale: JpegScale;
  readonly frame: Frame;
}

/**
 * Per-axis weights of the reduced transform: w[q·8 + u] = mean over the pixels x of output q of
 * ½·C(u)·cos((2x + 1)uπ/16), C(0) = 1/√2 — so a pixel block's mean is Σ F(u,v)·w[qy][v]·w[qx][u]. Only the
 * first `valid` pixels of the block count: a block on the image's right or bottom edge extends past it, and
 * the reduction of the full image averages only the pixels that exist.
 */
function axisWeights(scale: BlockScale, valid: number): Float64Array {
  const n = 8 / scale;
  const w = new Float64Array(n * 8);
  for (let q = 0; q < n; q++) {
    const end = Math.min((q + 1) * scale, valid);
    if (end <= q * scale) continue;
    for (let u = 0; u < 8; u++) {
      let sum = 0;
      for (let x = q * scale; x < end; x++) sum += Math.cos(((2 * x + 1) * u * Math.PI) / 16);
      const cu = u === 0 ? Math.SQRT1_2 : 1;
      const value = (0.5 * cu * sum) / (end - q * scale);
      w[q * 8 + u] = Math.abs(value) < 1e-12 ? 0 : value;
    }
  }
  return w;
}

/** The reduced transform for blocks whose first validX × validY pixels lie inside the image. */
function buildTransform(quant: Uint16Array, c: Component, validX: number, validY: number, contributes: Uint8Array): Float32Array {
  const { nx, ny } = c;
  const wx = axisWeights(c.sx, validX);
  const wy = axisWeights(c.sy, validY);
  const outputs = nx * ny;
  const transform = new Float32Array(64 * outputs);
  for (let z = 0; z < 64; z++) {
    const v = z >> 3;
    const u = z & 7;
    for (let qy = 0; qy < ny; qy++) {
      for (let qx = 0; qx < nx; qx++) {
        const value = quant[z] * wy[qy * 8 + v] * wx[qx * 8 + u];
        transform[z * outputs + qy * nx + qx] = value;
        if (value !== 0) contributes[z] = 1;
      }
    }
  }
  return transform;
}

/** A component's transforms: inside the image, on the last block column, the last block row, and the corner. */
function buildTransforms(c: Component, quant: Uint16Array): void {
  const contributes = new Uint8Array(64);
  const variants: Float32Array[] = [];
  for (const [x, y] of [[8, 8], [c.edgeValidX, 8], [8, c.edgeValidY], [c.edgeValidX, c.edgeValidY]]) variants.push(buildTransform(quant, c, x, y, contributes));
  c.transforms = variants;
  c.contributes = contributes;
}

function buildHuffman(counts: Uint8Array, symbols: Uint8Array, name: string): HuffmanTable {
  const lookup = new Uint16Array(1 << LOOKUP_BITS);
  const maxCode = new Int32Array(18).fill(-1);
  const valOffset = new Int32Array(18);
  let code = 0;
  let k = 0;
  for (let len = 1; len <= 16; len++) {
    const count = counts[len - 1];
    valOffset[len] = k - code;
    for (let i = 0; i < count; i++, k++, code++) {
      if (len <= LOOKUP_BITS) {
        const shift = LOOKUP_BITS - len;
        for (let fill = 0; fill < 1 << shift; fill++) lookup[(code << shift) | fill] = (len << 8) | symbols[k];
      }
    }
    if (count > 0) maxCode[len] = code - 1;
    // A canonical code of this length cannot exceed len bits; more codes than that means a broken table.
    if (code > 1 << len) throw visionError('corrupt', [name, 'a Huffman table has more codes than its lengths allow']);
    code <<= 1;
  }
  maxCode[17] = 0x7fffffff; // sentinel: never reached (a 16-bit miss is reported first)
  return { lookup, maxCode, valOffset, symbols };
}

/**
 * Decodes a sequential JPEG at 1/scale. `scaleFor(width, height)` picks the scale from the frame's size;
 * returning undefined (or a JPEG this decoder does not handle) makes the result undefined, so the caller
 * falls back to the full decoder. Throws 'truncated' / 'corrupt' for bad data.
 */
export function decodeJpegScaled(bytes: Uint8Array, name: string, scaleFor: (width: number, height: number) => JpegScale | undefined): ScaledJpeg | undefined {
  const length = bytes.length;
  const quant: (Uint16Array | undefined)[] = [];
  const dcTables: (HuffmanTable | undefined)[] = [];
  const acTables: (HuffmanTable | undefined)[] = [];
  let frame: Frame | undefined;
  let scale: JpegScale | undefined;
  let restartInterval = 0;
  let adobeTransform: number | undefined;
  let pos = 2;
  const truncated = () => visionError('truncated', [name]);
  const corrupt = (detail: string) => visionError('corrupt', [name, detail]);
  if (length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) throw corrupt('the JPEG start marker is missing');

  for (;;) {
    // Markers may be preceded by 0xFF fill bytes.
    if (pos + 2 > length) throw truncated();
    if (bytes[pos] !== 0xff) throw corrupt(`no JPEG marker at byte ${pos}`);
    while (pos + 1 < length && bytes[pos + 1] === 0xff) pos++;
    if (pos + 2 > length) throw truncated();
    const marker = bytes[pos + 1];
    pos += 2;
    if (marker === 0xd9) {
      if (!frame || !scale || !frame.components.some((c) => c.scanned)) throw corrupt('the JPEG has no image data (no scan before its end marker)');
      if (!frame.components.every((c) => c.scanned)) throw corrupt('the JPEG ends before every colour channel has been decoded');
      return { width: frame.width, height: frame.height, scale, frame };
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0xd8) continue;
    if (pos + 2 > length) throw truncated();
    const segLength = (bytes[pos] << 8) | bytes[pos + 1];
    if (segLength < 2) throw corrupt(`a marker segment declares ${segLength} bytes`);
    const end = pos + segLength;
    if (end > length) throw truncated();
    const seg = bytes.subarray(pos + 2, end);
    switch (marker) {
      case 0xdb: // DQT
        for (let p = 0; p < seg.length; ) {
          const precision = seg[p] >> 4;
          const id = seg[p] & 15;
          const size = precision ? 128 : 64;
          if (id > 3 || p + 1 + size > seg.length) throw corrupt('a quantisation table is malformed');
          const table = new Uint16Array(64);
          for (let k = 0; k < 64; k++) table[ZIGZAG[k]] = precision ? (seg[p + 1 + 2 * k] << 8) | seg[p + 2 + 2 * k] : seg[p + 1 + k];
          quant[id] = table;
          p += 1 + size;
        }
        break;
      case 0xc4: // DHT
        for (let p = 0; p < seg.length; ) {
          if (p + 17 > seg.length) throw corrupt('a Huffman table is malformed');
          const cls = seg[p] >> 4;
          const id = seg[p] & 15;
          const counts = seg.subarray(p + 1, p + 17);
          let total = 0;
          for (const c of counts) total += c;
          if (cls > 1 || id > 3 || total > 256 || p + 17 + total > seg.length) throw corrupt('a Huffman table is malformed');
          const table = buildHuffman(counts, seg.slice(p + 17, p + 17 + total), name);
          (cls === 0 ? dcTables : acTables)[id] = table;
          p += 17 + total;
        }
        break;
      case 0xdd: // DRI
        if (seg.length < 2) throw corrupt('the restart interval segment is malformed');
        restartInterval = (seg[0] << 8) | seg[1];
        break;
      case 0xee: // APP14 "Adobe": transform 0 means RGB or CMYK samples, not YCbCr
        if (seg.length >= 12 && String.fromCharCode(...seg.subarray(0, 5)) === 'Adobe') adobeTransform = seg[11];
        break;
      case 0xc0:
      case 0xc1: {
        if (frame) throw corrupt('the JPEG has two frame headers');
        if (seg.length < 6 || seg[0] !== 8) return undefined; // 12-bit samples: the full decoder says what it can do
        const height = (seg[1] << 8) | seg[2];
        const width = (seg[3] << 8) | seg[4];
        const count = seg[5];
        if (width === 0 || height === 0) return undefined; // height 0 (DNL) or nonsense: full decoder
        // The callers checked the first frame header against the limit; this one allocates, so it checks too.
        checkPixelLimit({ width, height }, name);
        if (count !== 1 && count !== 3) return undefined; // CMYK and 2-channel: full decoder
        if (seg.length < 6 + 3 * count) throw corrupt('the frame header is malformed');
        const components: Component[] = [];
        for (let i = 0; i < count; i++) {
          const o = 6 + 3 * i;
          const h = seg[o + 1] >> 4;
          const v = seg[o + 1] & 15;
          if (h < 1 || h > 4 || v < 1 || v > 4) throw corrupt(`a channel's sampling factors are ${h} × ${v}`);
          components.push({ id: seg[o], h, v, quantId: seg[o + 2] & 3, blocksW: 0, blocksH: 0, sx: 1, sy: 1, nx: 8, ny: 8, plane: new Uint16Array(0), edgeBx: 0, edgeBy: 0, edgeValidX: 8, edgeValidY: 8, transforms: [], contributes: new Uint8Array(0), scanned: false });
        }
        if (count === 3 && (adobeTransform === 0 || (components[0].id === 0x52 && components[1].id === 0x47 && components[2].id === 0x42))) return undefined; // RGB JPEG
        const hMax = Math.max(...components.map((c) => c.h));
        const vMax = Math.max(...components.map((c) => c.v));
        if (components.some((c) => hMax % c.h !== 0 || vMax % c.v !== 0) || components[0].h !== hMax || components[0].v !== vMax) return undefined;
        scale = scaleFor(width, height);
        if (!scale) return undefined;
        const mcusX = Math.ceil(width / (8 * hMax));
        const mcusY = Math.ceil(height / (8 * vMax));
        for (const c of components) {
          // A channel sampled at 1/2 covers twice the pixels per block: reduce it half as much.
          const sx = (scale * c.h) / hMax;
          const sy = (scale * c.v) / vMax;
          if (![1, 2, 4, 8].includes(sx) || ![1, 2, 4, 8].includes(sy)) return undefined; // e.g. 4:1:1 at 1/2: full decoder
          c.sx = sx as BlockScale;
          c.sy = sy as BlockScale;
          c.nx = 8 / sx;
          c.ny = 8 / sy;
          c.blocksW = mcusX * c.h;
          c.blocksH = mcusY * c.v;
          c.plane = new Uint16Array(c.blocksW * c.nx * c.blocksH * c.ny);
          const validW = Math.ceil((width * c.h) / hMax);
          const validH = Math.ceil((height * c.v) / vMax);
          c.edgeBx = Math.ceil(validW / 8) - 1;
          c.edgeBy = Math.ceil(validH / 8) - 1;
          c.edgeValidX = validW - 8 * c.edgeBx;
          c.edgeValidY = validH - 8 * c.edgeBy;
        }
        frame = { width, height, components, hMax, vMax, mcusX, mcusY };
        break;
      }
      case 0xda: {
        if (!frame || !scale) throw corrupt('the JPEG has no frame header');
        const count = seg[0];
        if (count < 1 || count > 4 || seg.length < 4 + 2 * count) throw corrupt('the scan header is malformed');
        const scanComps: Component[] = [];
        const dcs: HuffmanTable[] = [];
        const acs: HuffmanTable[] = [];
        for (let i = 0; i < count; i++) {
          const c = frame.components.find((x) => x.id === seg[1 + 2 * i]);
          if (!c) throw corrupt(`a scan refers to channel ${seg[1 + 2 * i]}, which the frame does not have`);
          const dc = dcTables[seg[2 + 2 * i] >> 4];
          const ac = acTables[seg[2 + 2 * i] & 15];
          const q = quant[c.quantId];
          if (!dc || !ac) throw corrupt('a scan uses a Huffman table that was not defined');
          if (!q) throw corrupt('a channel uses a quantisation table that was not defined');
          if (c.transforms.length === 0) buildTransforms(c, q);
          scanComps.push(c);
          dcs.push(dc);
          acs.push(ac);
        }
        const ss = seg[1 + 2 * count];
        const se = seg[2 + 2 * count];
        if (ss !== 0 || se !== 63) throw corrupt('a sequential scan does not cover all 64 coefficients');
        pos = decodeScan(bytes, end, frame, scanComps, dcs, acs, restartInterval, name);
        for (const c of scanComps) c.scanned = true;
        continue;
      }
      default:
        // SOF2/3/5–7/9–11/13–15 (progressive, lossless, hierarchical, arithmetic): the full decoder.
        if (marker >= 0xc2 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return undefined;
        break;
    }
    pos = end;
  }
}

/** Decodes one scan's entropy-coded data starting at `start`; returns the position of the marker after it. */
function decodeScan(
  data: Uint8Array,
  start: number,
  frame: Frame,
  comps: Component[],
  dcs: HuffmanTable[],
  acs: HuffmanTable[],
  restartInterval: number,
  name: string,
): number {
  const length = data.length;
  const acc = new Float64Array(64);
  let pos = start;
  let bitBuf = 0;
  let bitCount = 0;
  /** Zero bytes fed after the data ran out (a marker or the end of the file): reading them is an error. */
  let padBytes = 0;
  let atMarker = false;

  const fill = (): void => {
    while (bitCount <= 24) {
      let b = 0;
      if (!atMarker && pos < length) {
        b = data[pos];
        if (b === 0xff) {
          const next = pos + 1 < length ? data[pos + 1] : -1;
          if (next === 0) pos += 2;
          else {
            atMarker = true;
            b = 0;
            padBytes++;
          }
        } else pos++;
      } else padBytes++;
      bitBuf = (bitBuf << 8) | b;
      bitCount += 8;
    }
  };
  const outOfData = (): Error => {
    if (pos >= length || (atMarker && pos + 1 >= length)) return visionError('truncated', [name]);
    return visionError('corrupt', [name, 'the compressed image data ends before the last block']);
  };
  const decodeHuffman = (t: HuffmanTable): number => {
    if (bitCount < 16) fill();
    const entry = t.lookup[(bitBuf >>> (bitCount - LOOKUP_BITS)) & ((1 << LOOKUP_BITS) - 1)];
    if (entry !== 0) {
      bitCount -= entry >> 8;
      return entry & 0xff;
    }
    // Longer codes: walk lengths LOOKUP_BITS+1 … 16 with the canonical bounds.
    for (let len = LOOKUP_BITS + 1; len <= 16; len++) {
      const code = (bitBuf >>> (bitCount - len)) & ((1 << len) - 1);
      if (code <= t.maxCode[len]) {
        bitCount -= len;
        return t.symbols[t.valOffset[len] + code];
      }
    }
    if (padBytes > 0) throw outOfData();
    throw visionError('corrupt', [name, 'the compressed image data holds an invalid Huffman code']);
  };
  const receiveExtend = (size: number): number => {
    if (bitCount < size) fill();
    bitCount -= size;
    const v = (bitBuf >>> bitCount) & ((1 << size) - 1);
    return v < 1 << (size - 1) ? v - (1 << size) + 1 : v;
  };

  const single = comps.length === 1;
  // A single-component scan covers that component's own blocks (not padded to MCUs) one at a time.
  const c0 = comps[0];
  const mcusX = single ? Math.ceil(Math.ceil((frame.width * c0.h) / frame.hMax) / 8) : frame.mcusX;
  const mcusY = single ? Math.ceil(Math.ceil((frame.height * c0.v) / frame.vMax) / 8) : frame.mcusY;
  const total = mcusX * mcusY;
  const preds = new Int32Array(comps.length);

  const decodeBlock = (ci: number, bx: number, by: number): void => {
    const c = comps[ci];
    const { nx, ny } = c;
    const n2 = nx * ny;
    const dc = dcs[ci];
    const ac = acs[ci];
    const t = c.transforms[(bx === c.edgeBx ? 1 : 0) + (by === c.edgeBy ? 2 : 0)];
    const useful = c.contributes;
    const s = decodeHuffman(dc);
    if (s > 11) throw visionError('corrupt', [name, 'a DC coefficient is out of range']);
    const diff = s === 0 ? 0 : receiveExtend(s);
    const dcValue = (preds[ci] += diff);
    for (let j = 0; j < n2; j++) acc[j] = dcValue * t[j];
    for (let k = 1; k < 64; ) {
      const rs = decodeHuffman(ac);
      const r = rs >> 4;
      const size = rs & 15;
      if (size === 0) {
        if (r !== 15) break; // end of block
        k += 16;
        continue;
      }
      k += r;
      if (k > 63) throw visionError('corrupt', [name, 'a block has more than 64 coefficients']);
      const value = receiveExtend(size);
      const z = ZIGZAG[k];
      if (useful[z]) {
        const base = z * n2;
        for (let j = 0; j < n2; j++) acc[j] += value * t[base + j];
      }
      k++;
    }
    // Level shift (+128), clamp to 0–255, round to the plane's fixed point.
    const plane = c.plane;
    const stride = c.blocksW * nx;
    let o = by * ny * stride + bx * nx;
    for (let qy = 0; qy < ny; qy++, o += stride) {
      for (let qx = 0; qx < nx; qx++) {
        const v = (acc[qy * nx + qx] + 128) * ONE + 0.5;
        plane[o + qx] = v <= 0 ? 0 : v >= PLANE_MAX ? PLANE_MAX : v;
      }
    }
  };

  for (let m = 0; m < total; m++) {
    if (restartInterval > 0 && m > 0 && m % restartInterval === 0) {
      // Expect RSTn where the interval ends; the bits left over are byte padding.
      let p = pos;
      while (p < length && !(data[p] === 0xff && data[p + 1] !== 0 && data[p + 1] !== 0xff)) p++;
      if (p + 1 >= length) throw visionError('truncated', [name]);
      if (data[p + 1] < 0xd0 || data[p + 1] > 0xd7) throw visionError('corrupt', [name, 'a restart marker is missing']);
      pos = p + 2;
      bitBuf = 0;
      bitCount = 0;
      padBytes = 0;
      atMarker = false;
      preds.fill(0);
    }
    const mx = m % mcusX;
    const my = (m - mx) / mcusX;
    if (single) decodeBlock(0, mx, my);
    else {
      for (let ci = 0; ci < comps.length; ci++) {
        const c = comps[ci];
        for (let v = 0; v < c.v; v++) for (let h = 0; h < c.h; h++) decodeBlock(ci, mx * c.h + h, my * c.v + v);
      }
    }
    // Bits taken from the zero padding mean the data ran out.
    if (padBytes > 0 && bitCount < padBytes * 8) throw outOfData();
  }
  // Find the marker that ends the scan.
  let p = pos;
  while (p + 1 < length && !(data[p] === 0xff && data[p + 1] !== 0 && !(data[p + 1] >= 0xd0 && data[p + 1] <= 0xd7) && data[p + 1] !== 0xff)) p++;
  if (p + 1 >= length) throw visionError('truncated', [name]);
  return p;
}

/**
 * The luma plane (the first channel; JFIF's Y is BT.601 luma, the grey the classifiers use) at the output
 * size ceil(width / scale) × ceil(height / scale), box-reduced further by `whole` (blocks on the right and
 * bottom edges average what exists).
 */
export function scaledGray(jpeg: ScaledJpeg, whole = 1): GrayImage {
  const { frame, scale } = jpeg;
  const y = frame.components[0];
  const width = Math.ceil(jpeg.width / scale);
  const height = Math.ceil(jpeg.height / scale);
  const outW = Math.ceil(width / whole);
  const outH = Math.ceil(height / whole);
  const stride = y.blocksW * y.nx;
  const data = new Float32Array(outW * outH);
  for (let row = 0; row < height; row++) {
    const src = row * stride;
    const dst = Math.floor(row / whole) * outW;
    for (let x = 0; x < width; x++) data[dst + Math.floor(x / whole)] += y.plane[src + x];
  }
  for (let oy = 0; oy < outH; oy++) {
    const rows = Math.min(whole, height - oy * whole);
    for (let ox = 0; ox < outW; ox++) data[oy * outW + ox] /= ONE * rows * Math.min(whole, width - ox * whole);
  }
  return { width: outW, height: outH, data };
}

/** RGBA at the reduced scale (JFIF YCbCr → RGB; every channel's plane is already at the output size). */
export function scaledRgba(jpeg: ScaledJpeg): RgbaImage {
  const { frame, scale } = jpeg;
  const outW = Math.ceil(jpeg.width / scale);
  const outH = Math.ceil(jpeg.height / scale);
  // Clamped stores round and saturate, which is the colour conversion's last step.
  const out = new Uint8ClampedArray(outW * outH * 4);
  const [yc, cb, cr] = frame.components;
  const yStride = yc.blocksW * yc.nx;
  const k = 1 / ONE;
  if (!cb || !cr) {
    for (let row = 0, o = 0; row < outH; row++) {
      for (let x = 0; x < outW; x++, o += 4) {
        const v = yc.plane[row * yStride + x] * k;
        out[o] = out[o + 1] = out[o + 2] = v;
        out[o + 3] = 255;
      }
    }
    return { width: outW, height: outH, data: new Uint8Array(out.buffer) };
  }
  const cbStride = cb.blocksW * cb.nx;
  const crStride = cr.blocksW * cr.nx;
  for (let row = 0, o = 0; row < outH; row++) {
    for (let x = 0, yi = row * yStride, bi = row * cbStride, ri = row * crStride; x < outW; x++, o += 4) {
      const Y = yc.plane[yi + x] * k;
      const Cb = cb.plane[bi + x] * k - 128;
      const Cr = cr.plane[ri + x] * k - 128;
      out[o] = Y + 1.402 * Cr;
      out[o + 1] = Y - 0.344136 * Cb - 0.714136 * Cr;
      out[o + 2] = Y + 1.772 * Cb;
      out[o + 3] = 255;
    }
  }
  return { width: outW, height: outH, data: new Uint8Array(out.buffer) };
}
