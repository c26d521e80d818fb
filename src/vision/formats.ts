/**
 * Image format detection by magic bytes (never by file extension: a renamed `.png` that is really a JPEG
 * still decodes, and a text file called `digit.png` gets a clear message) and header-only dimension
 * reading, so oversized images are refused before a decoder allocates their pixels. No `vscode` import.
 */
import { visionError } from './errors';

export type DecodableFormat = 'png' | 'jpeg' | 'bmp' | 'gif' | 'webp';

export interface DetectedFormat {
  /** A format Model Lab decodes, or the name of a recognised but unsupported one (e.g. "TIFF"). */
  readonly format: DecodableFormat | { readonly unsupported: string };
}

/** The most pixels an image may have: 50 megapixels (an 8-bit RGBA buffer of 200 MB). */
export const MAX_PIXELS = 50_000_000;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  if (bytes.length < at + prefix.length) return false;
  return prefix.every((b, i) => bytes[at + i] === b);
}

function ascii(bytes: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(start, start + length));
}

/**
 * Names the format from the first bytes. Returns `undefined` for bytes that match no image format we know.
 */
export function detectFormat(bytes: Uint8Array): DecodableFormat | { unsupported: string } | undefined {
  if (startsWith(bytes, PNG_SIGNATURE)) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x42, 0x4d]) && bytes.length >= 14) return 'bmp';
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') return 'gif';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return 'webp';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return { unsupported: 'TIFF' };
  if (ascii(bytes, 4, 4) === 'ftyp') {
    const brand = ascii(bytes, 8, 4);
    if (brand.startsWith('avi')) return { unsupported: 'AVIF' };
    if (/^(heic|heix|hevc|mif1|msf1)$/.test(brand)) return { unsupported: 'HEIC' };
  }
  if (startsWith(bytes, [0x00, 0x00, 0x01, 0x00])) return { unsupported: 'ICO' };
  if (startsWith(bytes, [0xff, 0x0a]) || startsWith(bytes, [0, 0, 0, 0x0c, 0x4a, 0x58, 0x4c, 0x20])) return { unsupported: 'JPEG XL' };
  if (ascii(bytes, 0, 4) === '8BPS') return { unsupported: 'Photoshop' };
  const head = ascii(bytes, 0, Math.min(bytes.length, 256)).trimStart();
  if (/^(<\?xml[^>]*>\s*)?<svg[\s>]/i.test(head) || (head.startsWith('<?xml') && head.includes('<svg'))) return { unsupported: 'SVG' };
  return undefined;
}

export interface ImageHeader {
  readonly width: number;
  readonly height: number;
}

/**
 * Reads width and height from the header alone. Throws visionError('truncated') when the header is cut
 * short and visionError('corrupt') when it is inconsistent (e.g. zero width).
 */
export function readHeader(bytes: Uint8Array, format: DecodableFormat, name: string): ImageHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const need = (n: number): void => {
    if (bytes.length < n) throw visionError('truncated', [name]);
  };
  let header: ImageHeader;
  switch (format) {
    case 'png': {
      need(33);
      if (ascii(bytes, 12, 4) !== 'IHDR') throw visionError('corrupt', [name, 'the PNG header chunk IHDR is missing']);
      header = { width: view.getUint32(16), height: view.getUint32(20) };
      break;
    }
    case 'jpeg':
      header = readJpegHeader(bytes, view, name);
      break;
    case 'bmp': {
      need(26);
      const dibSize = view.getUint32(14, true);
      if (dibSize === 12) header = { width: view.getUint16(18, true), height: view.getUint16(20, true) };
      else header = { width: Math.abs(view.getInt32(18, true)), height: Math.abs(view.getInt32(22, true)) };
      break;
    }
    case 'gif':
      need(13);
      header = { width: view.getUint16(6, true), height: view.getUint16(8, true) };
      break;
    case 'webp':
      header = readWebpHeader(bytes, view, name);
      break;
  }
  if (header.width === 0 || header.height === 0) throw visionError('corrupt', [name, `the header says ${header.width} × ${header.height} pixels`]);
  return header;
}

/** Throws visionError('tooLarge') for images over MAX_PIXELS. */
export function checkPixelLimit(header: ImageHeader, name: string, maxPixels = MAX_PIXELS): void {
  const pixels = header.width * header.height;
  if (pixels > maxPixels) {
    throw visionError('tooLarge', [name, String(header.width), String(header.height), (pixels / 1e6).toFixed(1)]);
  }
}

/** Walks the JPEG marker segments up to the first start-of-frame (SOF0–SOF15 but DHT, JPG and DAC). */
function readJpegHeader(bytes: Uint8Array, view: DataView, name: string): ImageHeader {
  let pos = 2;
  for (;;) {
    if (pos + 4 > bytes.length) throw visionError('truncated', [name]);
    if (bytes[pos] !== 0xff) throw visionError('corrupt', [name, `no JPEG marker at byte ${pos}`]);
    let marker = bytes[pos + 1];
    // Markers may be preceded by any number of 0xFF fill bytes.
    while (marker === 0xff && pos + 2 < bytes.length) {
      pos++;
      marker = bytes[pos + 1];
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      pos += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) throw visionError('corrupt', [name, 'the JPEG has no frame header']);
    if (pos + 4 > bytes.length) throw visionError('truncated', [name]);
    const length = view.getUint16(pos + 2);
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) {
      if (pos + 9 > bytes.length) throw visionError('truncated', [name]);
      return { height: view.getUint16(pos + 5), width: view.getUint16(pos + 7) };
    }
    pos += 2 + length;
  }
}

function readWebpHeader(bytes: Uint8Array, view: DataView, name: string): ImageHeader {
  if (bytes.length < 30) throw visionError('truncated', [name]);
  const chunk = ascii(bytes, 12, 4);
  if (chunk === 'VP8X') {
    const w = 1 + (bytes[24] | (bytes[25] << 8) | (bytes[26] << 16));
    const h = 1 + (bytes[27] | (bytes[28] << 8) | (bytes[29] << 16));
    return { width: w, height: h };
  }
  if (chunk === 'VP8L') {
    const bits = view.getUint32(21, true);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8 ') return { width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff };
  throw visionError('corrupt', [name, `unknown WebP chunk "${chunk}"`]);
}
