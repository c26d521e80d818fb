/**
 * EXIF orientation for JPEGs: phones store pixels as the sensor saw them and record the rotation in the
 * APP1 "Exif" segment's Orientation tag (0x0112); viewers rotate on display. We read that one tag ourselves
 * (a full EXIF library would be hundreds of kilobytes for a two-byte value) and apply it to the pixels.
 * No `vscode` import.
 */
import type { GrayImage, RgbaImage } from './image';

/** The EXIF Orientation (1–8) of a JPEG, or 1 when there is none or it cannot be read. */
export function readJpegOrientation(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 2;
  while (pos + 4 <= bytes.length && bytes[pos] === 0xff) {
    const marker = bytes[pos + 1];
    // Image data starts at SOS; EXIF always comes before it.
    if (marker === 0xda || marker === 0xd9) break;
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0xff) {
      pos += marker === 0xff ? 1 : 2;
      continue;
    }
    const length = view.getUint16(pos + 2);
    if (marker === 0xe1 && length >= 16) {
      const orientation = orientationFromExif(bytes, view, pos + 4, Math.min(bytes.length, pos + 2 + length));
      if (orientation !== undefined) return orientation;
    }
    pos += 2 + length;
  }
  return 1;
}

function orientationFromExif(bytes: Uint8Array, view: DataView, start: number, end: number): number | undefined {
  const id = String.fromCharCode(...bytes.subarray(start, start + 6));
  if (id !== 'Exif\0\0') return undefined;
  const tiff = start + 6;
  if (tiff + 8 > end) return undefined;
  const order = String.fromCharCode(bytes[tiff], bytes[tiff + 1]);
  if (order !== 'II' && order !== 'MM') return undefined;
  const little = order === 'II';
  if (view.getUint16(tiff + 2, little) !== 42) return undefined;
  const ifd0 = tiff + view.getUint32(tiff + 4, little);
  if (ifd0 + 2 > end) return undefined;
  const count = view.getUint16(ifd0, little);
  for (let i = 0; i < count; i++) {
    const entry = ifd0 + 2 + i * 12;
    if (entry + 12 > end) return undefined;
    if (view.getUint16(entry, little) === 0x0112) {
      const value = view.getUint16(entry + 8, little);
      return value >= 1 && value <= 8 ? value : 1;
    }
  }
  return undefined;
}

/** For an output pixel (x, y) of an image reoriented from w × h, the source pixel's index. */
function orientedSource(orientation: number, x: number, y: number, w: number, h: number): number {
  switch (orientation) {
    case 2: return y * w + (w - 1 - x);
    case 3: return (h - 1 - y) * w + (w - 1 - x);
    case 4: return (h - 1 - y) * w + x;
    case 5: return x * w + y;
    case 6: return (h - 1 - x) * w + y;
    case 7: return (h - 1 - x) * w + (w - 1 - y);
    default: return x * w + (w - 1 - y); // 8
  }
}

/**
 * Returns the image as it should be displayed for an EXIF orientation: 2 mirror, 3 rotate 180°,
 * 4 flip, 5 transpose, 6 rotate 90° clockwise, 7 transverse, 8 rotate 90° counter-clockwise.
 */
export function applyOrientation(image: RgbaImage, orientation: number): RgbaImage {
  if (orientation <= 1 || orientation > 8) return image;
  const { width: w, height: h } = image;
  // Uint32Array views need 4-byte alignment; decoders return fresh buffers, but a subarray might not be.
  const data = image.data.byteOffset % 4 === 0 ? image.data : image.data.slice();
  const swap = orientation >= 5;
  const outW = swap ? h : w;
  const outH = swap ? w : h;
  const out = new Uint8Array(outW * outH * 4);
  const src32 = new Uint32Array(data.buffer, data.byteOffset, w * h);
  const out32 = new Uint32Array(out.buffer);
  for (let y = 0; y < outH; y++) for (let x = 0; x < outW; x++) out32[y * outW + x] = src32[orientedSource(orientation, x, y, w, h)];
  return { width: outW, height: outH, data: out };
}

/** applyOrientation for a one-channel float image (the digit model's reduced grey image). */
export function applyOrientationGray(image: GrayImage, orientation: number): GrayImage {
  if (orientation <= 1 || orientation > 8) return image;
  const { width: w, height: h } = image;
  const swap = orientation >= 5;
  const outW = swap ? h : w;
  const outH = swap ? w : h;
  const out = new Float32Array(outW * outH);
  for (let y = 0; y < outH; y++) for (let x = 0; x < outW; x++) out[y * outW + x] = image.data[orientedSource(orientation, x, y, w, h)];
  return { width: outW, height: outH, data: out };
}
