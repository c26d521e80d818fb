/**
 * BMP decoder. Why not bmp-js: it ignores the pixel-data offset (`bfOffBits`) and assumes a 40-byte
 * BITMAPINFOHEADER, so the V4/V5-header BMPs that ImageMagick, GIMP and Windows write decode as shifted
 * garbage, and it returns ABGR with alpha 0 for opaque images. BMP is simple enough to read correctly in
 * one page: 1/4/8-bit palettes, 16/24/32-bit with default or BI_BITFIELDS masks, OS/2 core headers,
 * bottom-up and top-down rows. RLE-compressed BMPs (rare) get a clear "convert to PNG" message.
 * No `vscode` import.
 */
import { visionError } from './errors';
import type { RgbaImage } from './image';

interface Mask {
  readonly mask: number;
  readonly shift: number;
  readonly max: number;
}

function makeMask(mask: number): Mask | undefined {
  if (!mask) return undefined;
  let shift = 0;
  while (((mask >>> shift) & 1) === 0) shift++;
  return { mask: mask >>> 0, shift, max: (mask >>> 0) >>> shift };
}

function channel(value: number, m: Mask): number {
  return Math.round((((value & m.mask) >>> m.shift) * 255) / m.max);
}

export function decodeBmp(bytes: Uint8Array, name: string): RgbaImage {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 26) throw visionError('truncated', [name]);
  const dataOffset = view.getUint32(10, true);
  const dibSize = view.getUint32(14, true);
  const core = dibSize === 12;
  if (!core && dibSize < 40) throw visionError('corrupt', [name, `unknown BMP header size ${dibSize}`]);
  if (bytes.length < 14 + dibSize) throw visionError('truncated', [name]);
  const width = core ? view.getUint16(18, true) : view.getInt32(18, true);
  const rawHeight = core ? view.getInt16(20, true) : view.getInt32(22, true);
  const bpp = view.getUint16(core ? 24 : 28, true);
  const compression = core ? 0 : view.getUint32(30, true);
  const colorsUsed = core ? 0 : view.getUint32(46, true);
  const topDown = rawHeight < 0;
  const height = Math.abs(rawHeight);
  if (width <= 0 || height === 0) throw visionError('corrupt', [name, `the header says ${width} × ${height} pixels`]);
  if (compression === 1 || compression === 2) throw visionError('unsupportedFormat', [name, 'RLE-compressed BMP']);
  if (compression !== 0 && compression !== 3 && compression !== 6) {
    throw visionError('unsupportedFormat', [name, `BMP (compression ${compression})`]);
  }
  if (![1, 4, 8, 16, 24, 32].includes(bpp)) throw visionError('corrupt', [name, `${bpp} bits per pixel`]);

  let red: Mask | undefined;
  let green: Mask | undefined;
  let blue: Mask | undefined;
  let alpha: Mask | undefined;
  if (compression === 3 || compression === 6) {
    // Masks sit inside V2+ headers (≥ 52 bytes) or right after a 40-byte header.
    const at = 14 + 40;
    if (bytes.length < at + 12) throw visionError('truncated', [name]);
    red = makeMask(view.getUint32(at, true));
    green = makeMask(view.getUint32(at + 4, true));
    blue = makeMask(view.getUint32(at + 8, true));
    const hasAlphaMask = dibSize >= 56 || compression === 6;
    if (hasAlphaMask && bytes.length >= at + 16) alpha = makeMask(view.getUint32(at + 12, true));
  } else if (bpp === 16) {
    red = makeMask(0x7c00);
    green = makeMask(0x03e0);
    blue = makeMask(0x001f);
  } else if (bpp === 32) {
    red = makeMask(0x00ff0000);
    green = makeMask(0x0000ff00);
    blue = makeMask(0x000000ff);
  }
  if ((bpp === 16 || bpp === 32) && (!red || !green || !blue)) throw visionError('corrupt', [name, 'a colour mask is zero']);

  let palette: Uint8Array | undefined;
  if (bpp <= 8) {
    const entries = colorsUsed || 1 << bpp;
    const entrySize = core ? 3 : 4;
    const start = 14 + dibSize + (compression === 3 && dibSize === 40 ? 12 : 0);
    if (bytes.length < start + entries * entrySize) throw visionError('truncated', [name]);
    palette = new Uint8Array(256 * 3);
    for (let i = 0; i < Math.min(entries, 256); i++) {
      const p = start + i * entrySize;
      palette[i * 3] = bytes[p + 2];
      palette[i * 3 + 1] = bytes[p + 1];
      palette[i * 3 + 2] = bytes[p];
    }
  }

  const stride = Math.floor((bpp * width + 31) / 32) * 4;
  if (dataOffset + stride * (height - 1) + Math.ceil((bpp * width) / 8) > bytes.length) throw visionError('truncated', [name]);
  const out = new Uint8Array(width * height * 4);
  for (let row = 0; row < height; row++) {
    const y = topDown ? row : height - 1 - row;
    const rowStart = dataOffset + row * stride;
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      let r: number;
      let g: number;
      let b: number;
      let a = 255;
      if (palette) {
        const bitPos = x * bpp;
        const byte = bytes[rowStart + (bitPos >> 3)];
        const index = (byte >> (8 - bpp - (bitPos & 7))) & ((1 << bpp) - 1);
        r = palette[index * 3];
        g = palette[index * 3 + 1];
        b = palette[index * 3 + 2];
      } else if (bpp === 24) {
        const p = rowStart + x * 3;
        b = bytes[p];
        g = bytes[p + 1];
        r = bytes[p + 2];
      } else {
        const value = bpp === 16 ? view.getUint16(rowStart + x * 2, true) : view.getUint32(rowStart + x * 4, true);
        r = channel(value, red as Mask);
        g = channel(value, green as Mask);
        b = channel(value, blue as Mask);
        if (alpha) a = channel(value, alpha);
      }
      out[o] = r;
      out[o + 1] = g;
      out[o + 2] = b;
      out[o + 3] = a;
    }
  }
  if (alpha) {
    // Some writers declare an alpha mask but leave every alpha byte 0; such images are meant to be opaque.
    let anyAlpha = false;
    for (let i = 3; i < out.length && !anyAlpha; i += 4) anyAlpha = out[i] !== 0;
    if (!anyAlpha) for (let i = 3; i < out.length; i += 4) out[i] = 255;
  }
  return { width, height, data: out };
}
