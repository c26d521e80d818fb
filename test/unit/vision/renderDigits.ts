/**
 * Renders printed digits with ImageMagick (Debian `imagemagick`, fonts from `fonts-dejavu-core` and
 * `fonts-liberation2`) at test time: digits 0–9 × fonts × sizes × (dark-on-light, light-on-dark) ×
 * (PNG, JPEG). Rendered once into a cache folder under the OS temp dir, reused by later runs.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface RenderedDigit {
  readonly file: string;
  readonly digit: number;
  readonly font: string;
  readonly size: number;
  readonly polarity: 'dark-on-light' | 'light-on-dark';
  readonly format: 'png' | 'jpeg';
}

const FONT_CANDIDATES: readonly (readonly [string, readonly string[]])[] = [
  ['DejaVu Sans', ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf']],
  ['DejaVu Serif', ['/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf']],
  ['DejaVu Sans Mono', ['/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf']],
  ['Liberation Sans', ['/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf', '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf']],
  ['Liberation Serif', ['/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf', '/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf']],
];

export function availableFonts(): { name: string; file: string }[] {
  const out: { name: string; file: string }[] = [];
  for (const [name, files] of FONT_CANDIDATES) {
    const file = files.find((f) => fs.existsSync(f));
    if (file) out.push({ name, file });
  }
  return out;
}

export function imageMagick(): string | undefined {
  for (const p of ['/usr/bin/convert', '/usr/local/bin/convert']) if (fs.existsSync(p)) return p;
  return undefined;
}

/** Renders (or reuses) the set; throws with the Debian packages to install when tools are missing. */
export function renderDigits(sizes: readonly number[] = [64, 512]): RenderedDigit[] {
  const convert = imageMagick();
  const fonts = availableFonts();
  if (!convert || fonts.length < 3) {
    throw new Error('Rendering test digits needs ImageMagick and at least three fonts: apt-get install -y imagemagick fonts-dejavu-core fonts-liberation2');
  }
  const cache = path.join(os.tmpdir(), 'model-lab-rendered-digits-v1');
  fs.mkdirSync(cache, { recursive: true });
  const out: RenderedDigit[] = [];
  for (const font of fonts) {
    const slug = font.name.replace(/\s+/g, '');
    for (const size of sizes) {
      for (let digit = 0; digit <= 9; digit++) {
        const base = path.join(cache, `${digit}-${slug}-${size}`);
        const files = {
          'dark-on-light': { png: `${base}-dark.png`, jpeg: `${base}-dark.jpg` },
          'light-on-dark': { png: `${base}-light.png`, jpeg: `${base}-light.jpg` },
        } as const;
        if (!Object.values(files).every((f) => fs.existsSync(f.png) && fs.existsSync(f.jpeg))) {
          // Black digit on white, written as PNG and JPEG, then negated and written again.
          execFileSync(convert, [
            '-size', `${size}x${size}`, 'xc:white', '-fill', 'black', '-font', font.file,
            '-pointsize', String(Math.round(size * 0.7)), '-gravity', 'center', '-annotate', '+0+0', String(digit),
            '-colorspace', 'Gray',
            '-write', files['dark-on-light'].png, '-quality', '90', '-write', files['dark-on-light'].jpeg,
            '-negate', '-write', files['light-on-dark'].png, files['light-on-dark'].jpeg,
          ]);
        }
        for (const polarity of ['dark-on-light', 'light-on-dark'] as const) {
          out.push({ file: files[polarity].png, digit, font: font.name, size, polarity, format: 'png' });
          out.push({ file: files[polarity].jpeg, digit, font: font.name, size, polarity, format: 'jpeg' });
        }
      }
    }
  }
  return out;
}
