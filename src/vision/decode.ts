/**
 * Decodes PNG, JPEG, BMP, GIF and WebP bytes to 8-bit RGBA without native modules: our fast path for 8-bit
 * PNGs with pngjs for the rest, jpeg-js, omggif, our own BMP reader, and libwebp as WebAssembly for WebP: no native module, so the VSIX works on every platform VS Code runs on, and the
 * decoders run inside the image worker. The format comes from magic bytes; the header's dimensions are
 * checked against the 50-megapixel limit before any pixel is decoded. No `vscode` import.
 */
import { PNG } from 'pngjs';
import * as jpeg from 'jpeg-js';
import { GifReader } from 'omggif';
import { decodeBmp } from './bmp';
import { checkPngInflatedSize, decodePngFast, decodePngGrayReduced } from './pngFast';
import { decodeWebp } from './webp';
import { CodedError } from '../common/errors';
import { visionError } from './errors';
import { applyOrientation, applyOrientationGray, readJpegOrientation } from './exif';
import { decodeJpegScaled, scaledGray, scaledRgba, type JpegScale } from './jpegScaled';
import { checkPixelLimit, detectFormat, MAX_PIXELS, readHeader, type DecodableFormat } from './formats';
import type { GrayImage, RgbaImage } from './image';

export interface DecodedImage extends RgbaImage {
  readonly format: DecodableFormat;
  /** Things the user should know, e.g. "animated GIF: first frame used (12 frames)". */
  readonly notes: readonly string[];
}

export interface DecodeOptions {
  /** Shown in messages; usually the file's base name. */
  readonly name?: string;
  readonly maxPixels?: number;
}

/** Like decodeImage, and WebP too (its WebAssembly decoder is asynchronous). */
export async function decodeImageAsync(bytes: Uint8Array, options: DecodeOptions = {}): Promise<DecodedImage> {
  const name = options.name ?? 'image';
  if (bytes.length > 0 && detectFormat(bytes) === 'webp') {
    checkPixelLimit(readHeader(bytes, 'webp', name), name, options.maxPixels ?? MAX_PIXELS);
    return { ...(await decodeWebp(bytes, name)), format: 'webp', notes: [] };
  }
  return decodeImage(bytes, options);
}

export interface GrayReducedImage {
  /** Grey (alpha over white), box-reduced by `factor`. */
  readonly gray: GrayImage;
  /**
   * `factorFor(width, height)` for a PNG; for a JPEG the largest DCT scale (2, 4, 8) not above it, times the
   * whole number that keeps the product within it when the DCT scale divides the image's size.
   */
  readonly factor: number;
  readonly format: DecodableFormat;
  /** The source image's size (as displayed, after EXIF orientation). */
  readonly width: number;
  readonly height: number;
  readonly notes: readonly string[];
}

/** The DCT scale for a JPEG reduced by at least `factor`: the largest of 8, 4, 2 not above it. */
function dctScaleWithin(factor: number): JpegScale | undefined {
  return factor >= 8 ? 8 : factor >= 4 ? 4 : factor >= 2 ? 2 : undefined;
}

/**
 * The digit models' shortcut: an 8-bit PNG, or a sequential JPEG, decoded straight to a box-reduced grey
 * image, never expanded to RGBA (see pngFast.ts and jpegScaled.ts). Undefined when the bytes need the
 * general path (another format, a 16-bit or interlaced PNG, a progressive JPEG, a factor of 1); bad input
 * throws the same errors as decodeImage.
 */
export function decodeGrayReduced(bytes: Uint8Array, factorFor: (width: number, height: number) => number, options: DecodeOptions = {}): GrayReducedImage | undefined {
  if (bytes.length === 0) return undefined;
  const format = detectFormat(bytes);
  if (format !== 'png' && format !== 'jpeg') return undefined;
  const name = options.name ?? 'image';
  const header = readHeader(bytes, format, name);
  checkPixelLimit(header, name, options.maxPixels ?? MAX_PIXELS);
  if (format === 'jpeg') return decodeJpegGrayReduced(bytes, name, factorFor);
  const gray = decodePngGrayReduced(bytes, name, factorFor);
  return gray && { gray, factor: factorFor(header.width, header.height), format: 'png', width: header.width, height: header.height, notes: [] };
}

function decodeJpegGrayReduced(bytes: Uint8Array, name: string, factorFor: (width: number, height: number) => number): GrayReducedImage | undefined {
  let whole = 1;
  const jpeg = decodeJpegScaled(bytes, name, (w, h) => {
    const factor = factorFor(w, h);
    const scale = dctScaleWithin(factor);
    // A second, whole-number reduction composes exactly with the DCT one only when no block is cut by the edge.
    if (scale && w % scale === 0 && h % scale === 0) whole = Math.floor(factor / scale);
    return scale;
  });
  if (!jpeg) return undefined;
  const orientation = readJpegOrientation(bytes);
  const gray = applyOrientationGray(scaledGray(jpeg, whole), orientation);
  const swap = orientation >= 5 && orientation <= 8;
  return {
    gray,
    factor: jpeg.scale * whole,
    format: 'jpeg',
    width: swap ? jpeg.height : jpeg.width,
    height: swap ? jpeg.width : jpeg.height,
    notes: orientationNotes(orientation),
  };
}

export interface SizedImage {
  /** The pixels, possibly reduced by a DCT scale (see `scale`). */
  readonly image: DecodedImage;
  /** 1, or 2 / 4 / 8 when a JPEG was decoded at that fraction of its size. */
  readonly scale: number;
  /** The source image's size (as displayed). */
  readonly width: number;
  readonly height: number;
}

/**
 * For a consumer that shrinks the image to at most `maxSide` pixels on each side (a model's input): a
 * sequential JPEG is decoded at the smallest DCT scale whose short side still has `maxSide` pixels, which
 * the area resampling then turns into nearly the same input as from the full image. Everything else is
 * decodeImageAsync.
 */
export async function decodeImageForSize(bytes: Uint8Array, maxSide: number, options: DecodeOptions = {}): Promise<SizedImage> {
  if (bytes.length > 0 && detectFormat(bytes) === 'jpeg') {
    const name = options.name ?? 'image';
    checkPixelLimit(readHeader(bytes, 'jpeg', name), name, options.maxPixels ?? MAX_PIXELS);
    const jpeg = decodeJpegScaled(bytes, name, (w, h) => dctScaleWithin(Math.floor(Math.min(w, h) / Math.max(1, maxSide))));
    if (jpeg) {
      const orientation = readJpegOrientation(bytes);
      const image = applyOrientation(scaledRgba(jpeg), orientation);
      const swap = orientation >= 5 && orientation <= 8;
      return {
        image: { ...image, format: 'jpeg', notes: orientationNotes(orientation) },
        scale: jpeg.scale,
        width: swap ? jpeg.height : jpeg.width,
        height: swap ? jpeg.width : jpeg.height,
      };
    }
  }
  const image = await decodeImageAsync(bytes, options);
  return { image, scale: 1, width: image.width, height: image.height };
}

function orientationNotes(orientation: number): string[] {
  return orientation > 1 && orientation <= 8 ? [`EXIF orientation ${orientation} applied`] : [];
}

/** Decodes PNG, JPEG, BMP and GIF synchronously; WebP needs decodeImageAsync. */
export function decodeImage(bytes: Uint8Array, options: DecodeOptions = {}): DecodedImage {
  const name = options.name ?? 'image';
  if (bytes.length === 0) throw visionError('empty', [name]);
  const format = detectFormat(bytes);
  if (format === undefined) throw visionError('notImage', [name]);
  if (typeof format === 'object') throw visionError('unsupportedFormat', [name, format.unsupported]);
  if (format === 'webp') throw visionError('webpUnsupported', [name]);
  const header = readHeader(bytes, format, name);
  checkPixelLimit(header, name, options.maxPixels ?? MAX_PIXELS);
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (format) {
    case 'png':
      return { ...(decodePngFast(bytes, name) ?? decodePng(buffer, name)), format, notes: [] };
    case 'jpeg':
      checkFullJpegDecode(header, name);
      return decodeJpeg(buffer, name);
    case 'bmp':
      return { ...decodeBmp(bytes, name), format, notes: [] };
    case 'gif':
      return decodeGif(bytes, name);
  }
}

function decodePng(buffer: Buffer, name: string): RgbaImage {
  // Interlaced PNGs: refuse a decompression bomb before pngjs inflates it without a bound.
  if (buffer[28] === 1) checkPngInflatedSize(buffer, name);
  try {
    // pngjs expands palette, grey, 16-bit (rescaled to 8) and interlaced images to 8-bit RGBA.
    const png = PNG.sync.read(buffer);
    return { width: png.width, height: png.height, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
  } catch (err) {
    throw libraryError(err, name, !hasPngEnd(buffer));
  }
}

function hasPngEnd(buffer: Buffer): boolean {
  return buffer.lastIndexOf('IEND', undefined, 'latin1') > 8;
}

/**
 * jpeg-js decodes a whole JPEG at full size and keeps every DCT coefficient: about 37 bytes per pixel at its peak
 * (a 24-megapixel progressive JPEG took 6 s of CPU and 0.9 GB here; 49 megapixels ran past its 1 GB cap after
 * 17 s). Sequential JPEGs bound for a model take the scaled DCT path instead and never get here; what does
 * (progressive, arithmetic-coded, CMYK) is limited to a size that stays within a few seconds and a gigabyte.
 */
export const MAX_FULL_JPEG_PIXELS = 25_000_000;

function checkFullJpegDecode(header: { width: number; height: number }, name: string): void {
  const pixels = header.width * header.height;
  if (pixels > MAX_FULL_JPEG_PIXELS) {
    throw visionError('jpegTooLargeForFullDecode', [name, String(header.width), String(header.height), (pixels / 1e6).toFixed(1), String(MAX_FULL_JPEG_PIXELS / 1e6)]);
  }
}

function decodeJpeg(buffer: Buffer, name: string): DecodedImage {
  const hasEnd = buffer.subarray(Math.max(0, buffer.length - 4096)).includes(Buffer.from([0xff, 0xd9]));
  let decoded: { width: number; height: number; data: Uint8Array };
  try {
    decoded = jpeg.decode(buffer, {
      useTArray: true,
      formatAsRGBA: true,
      // The 50-MP limit was already checked from the header; these only stop jpeg-js's own lower defaults.
      maxResolutionInMP: MAX_PIXELS / 1e6 + 1,
      maxMemoryUsageInMB: 1024,
    });
  } catch (err) {
    throw libraryError(err, name, !hasEnd);
  }
  if (!hasEnd) throw visionError('truncated', [name]);
  const orientation = readJpegOrientation(buffer);
  const oriented = applyOrientation({ width: decoded.width, height: decoded.height, data: decoded.data }, orientation);
  return { ...oriented, format: 'jpeg', notes: orientationNotes(orientation) };
}

function decodeGif(bytes: Uint8Array, name: string): DecodedImage {
  const truncated = bytes[bytes.length - 1] !== 0x3b;
  try {
    const reader = new GifReader(bytes);
    const frames = reader.numFrames();
    if (frames === 0) throw visionError(truncated ? 'truncated' : 'corrupt', [name, 'the GIF has no frames']);
    // The header's screen size passed the pixel limit, but each frame declares its own rectangle and the
    // decoder allocates that: a 35-byte GIF can declare a 65535 × 65535 frame. Every frame must lie
    // inside the screen (which is also what viewers draw).
    for (let i = 0; i < frames; i++) {
      const f = reader.frameInfo(i);
      if (f.x + f.width > reader.width || f.y + f.height > reader.height) {
        throw visionError('corrupt', [name, `frame ${i + 1} is ${f.width} × ${f.height} pixels at (${f.x}, ${f.y}), outside the ${reader.width} × ${reader.height} image`]);
      }
    }
    const data = new Uint8Array(reader.width * reader.height * 4);
    reader.decodeAndBlitFrameRGBA(0, data);
    const notes = frames > 1 ? [`animated GIF: first frame used (${frames} frames)`] : [];
    return { width: reader.width, height: reader.height, data, format: 'gif', notes };
  } catch (err) {
    if (err instanceof CodedError) throw err;
    throw libraryError(err, name, truncated);
  }
}

function libraryError(err: unknown, name: string, truncated: boolean): CodedError {
  if (truncated) return visionError('truncated', [name]);
  // A decoder's own complaint ("SOI not found") says what is wrong; a TypeError or RangeError is the decoder
  // tripping over data it did not expect ("Cannot read properties of undefined"), which tells the user nothing.
  const crashed = err instanceof TypeError || err instanceof RangeError;
  const detail = crashed ? 'its data does not match what its header describes' : err instanceof Error ? err.message : String(err);
  return visionError('corrupt', [name, detail.replace(/\.$/, '')]);
}
