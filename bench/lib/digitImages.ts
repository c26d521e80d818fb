/** Test images the image benchmarks share. */
import { PNG } from 'pngjs';
import * as jpeg from 'jpeg-js';

/**
 * A size×size RGB image of an anti-aliased ring (a "0"), dark on light — a photo-sized digit — encoded as
 * PNG (pngjs, adaptive row filters like most encoders) or JPEG (quality 90).
 */
export function ringImage(size: number, format: 'png' | 'jpeg'): Buffer {
  const data = Buffer.alloc(size * size * 4);
  const c = size / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const d = Math.hypot((x - c) / 0.7, y - c);
      const ink = Math.max(0, Math.min(1, (size * 0.06 - Math.abs(d - size * 0.33)) / 2 + 0.5));
      const v = Math.round(245 - ink * 225);
      data.set([v, v, v, 255], (y * size + x) * 4);
    }
  }
  if (format === 'jpeg') return jpeg.encode({ data, width: size, height: size }, 90).data;
  const png = new PNG({ width: size, height: size, colorType: 2 });
  png.data = data;
  return PNG.sync.write(png, { colorType: 2 });
}

/**
 * A photo-like RGBA image (sky gradient, textured ground, sensor noise, hard edges and a saturated disc): the
 * content a camera JPEG holds, with enough detail that the entropy-coded data is photo-sized (~0.35 bytes per
 * pixel at quality 90). Deterministic.
 */
export function photoRgba(width: number, height: number): Uint8Array {
  const data = new Uint8Array(width * height * 4);
  let seed = 7;
  const noise = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 20;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      const horizon = height * 0.4 + (height / 18) * Math.sin(x / (width / 13));
      const texture = 30 * Math.sin(x / 7 + y / 11) * Math.cos(y / 5);
      let rgb = y < horizon ? [120 + y / 10, 160 + y / 12, 230] : [90 + texture, 110 + texture * 0.8, 60 + texture * 0.5];
      if (Math.abs(x - width * 0.3) < width * 0.02 && y > height * 0.2) rgb = [25, 20, 15];
      if ((x - width * 0.7) ** 2 + (y - height * 0.3) ** 2 < (height * 0.1) ** 2) rgb = [240, 30, 35];
      data[o] = Math.max(0, Math.min(255, rgb[0] + noise()));
      data[o + 1] = Math.max(0, Math.min(255, rgb[1] + noise()));
      data[o + 2] = Math.max(0, Math.min(255, rgb[2] + noise()));
      data[o + 3] = 255;
    }
  }
  return data;
}

/** `photoRgba` as an RGB PNG (pngjs, adaptive filters) and a quality-90 JPEG (jpeg-js: 4:4:4, no chroma subsampling). */
export function photoImages(width: number, height: number): { png: Buffer; jpeg: Buffer } {
  const data = photoRgba(width, height);
  const png = new PNG({ width, height, colorType: 2 });
  png.data = Buffer.from(data);
  return { png: PNG.sync.write(png, { colorType: 2 }), jpeg: jpeg.encode({ data, width, height }, 90).data };
}
