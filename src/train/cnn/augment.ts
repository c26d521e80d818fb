/**
 * Deterministic data augmentation for 28×28 MNIST digits: a small random affine transform (rotation, scale,
 * shear, shift; bilinear resampling) and, sometimes, a one-pixel stroke thickening or thinning. It makes the
 * model robust to what MNIST-style preprocessing of rendered or photographed digits produces (different fonts,
 * stroke widths and slants), which the 10,000 handwritten digits alone do not cover.
 */
import { MNIST_PIXELS, MNIST_SIDE } from './mnistData';

export interface AugmentationSettings {
  /** Max absolute rotation in degrees. */
  rotateDegrees: number;
  /** Scale is drawn uniformly from [1 - scale, 1 + scale]. */
  scale: number;
  /** Max absolute horizontal shear (x += shear · y). */
  shear: number;
  /** Max absolute shift in pixels, each axis. */
  shiftPixels: number;
  /** Probability of thickening strokes by one pixel (2×2 max filter). */
  thickenProbability: number;
  /** Probability of thinning strokes by one pixel (2×2 min filter). */
  thinProbability: number;
}

export const DEFAULT_AUGMENTATION: AugmentationSettings = {
  rotateDegrees: 12,
  scale: 0.12,
  shear: 0.2,
  shiftPixels: 2,
  thickenProbability: 0.25,
  thinProbability: 0.1,
};

function sample(src: Float32Array, offset: number, x: number, y: number): number {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  const at = (xx: number, yy: number) => (xx < 0 || yy < 0 || xx >= MNIST_SIDE || yy >= MNIST_SIDE ? 0 : src[offset + yy * MNIST_SIDE + xx]);
  return (1 - fy) * ((1 - fx) * at(x0, y0) + fx * at(x0 + 1, y0)) + fy * ((1 - fx) * at(x0, y0 + 1) + fx * at(x0 + 1, y0 + 1));
}

/** 2×2 max (thicken) or min (thin) filter, in place on one image. */
function morph(img: Float32Array, offset: number, op: 'max' | 'min'): void {
  const copy = img.slice(offset, offset + MNIST_PIXELS);
  const f = op === 'max' ? Math.max : Math.min;
  for (let y = 0; y < MNIST_SIDE; y++)
    for (let x = 0; x < MNIST_SIDE; x++) {
      const right = x + 1 < MNIST_SIDE ? copy[y * MNIST_SIDE + x + 1] : 0;
      const down = y + 1 < MNIST_SIDE ? copy[(y + 1) * MNIST_SIDE + x] : 0;
      const diag = x + 1 < MNIST_SIDE && y + 1 < MNIST_SIDE ? copy[(y + 1) * MNIST_SIDE + x + 1] : 0;
      img[offset + y * MNIST_SIDE + x] = f(copy[y * MNIST_SIDE + x], right, down, diag);
    }
}

/**
 * Returns an augmented copy of `count` images. All randomness comes from `uniform`, so the result is a pure
 * function of the seed that made it.
 */
export function augmentDigits(images: Float32Array, count: number, uniform: () => number, settings: AugmentationSettings = DEFAULT_AUGMENTATION): Float32Array {
  const out = new Float32Array(count * MNIST_PIXELS);
  const centre = (MNIST_SIDE - 1) / 2;
  const between = (max: number) => (uniform() * 2 - 1) * max;
  for (let n = 0; n < count; n++) {
    const angle = (between(settings.rotateDegrees) * Math.PI) / 180;
    const scale = 1 + between(settings.scale);
    const shear = between(settings.shear);
    const tx = between(settings.shiftPixels);
    const ty = between(settings.shiftPixels);
    const morphRoll = uniform();
    // Forward map: p' = S·R·Sh·(p - c) + c + t. We sample the source at the inverse image of each output pixel.
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    // A = scale · R · Sh, with Sh = [[1, shear], [0, 1]].
    const a = scale * cos;
    const b = scale * (cos * shear - sin);
    const c = scale * sin;
    const d = scale * (sin * shear + cos);
    const det = a * d - b * c;
    const offset = n * MNIST_PIXELS;
    for (let y = 0; y < MNIST_SIDE; y++)
      for (let x = 0; x < MNIST_SIDE; x++) {
        const px = x - centre - tx;
        const py = y - centre - ty;
        const sx = (d * px - b * py) / det + centre;
        const sy = (-c * px + a * py) / det + centre;
        out[offset + y * MNIST_SIDE + x] = sample(images, offset, sx, sy);
      }
    if (morphRoll < settings.thickenProbability) morph(out, offset, 'max');
    else if (morphRoll < settings.thickenProbability + settings.thinProbability) morph(out, offset, 'min');
  }
  return out;
}
