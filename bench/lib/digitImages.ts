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
