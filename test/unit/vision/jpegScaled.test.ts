/**
 * Issue #18 §4: JPEGs decoded at 1/2, 1/4, 1/8 scale straight from the DCT coefficients (src/vision/jpegScaled.ts)
 * equal the full decode (jpeg-js, the reference decoder the product used before) followed by the same box
 * reduction, within JPEG error; unsupported JPEGs fall back; damaged ones are refused with the vision errors.
 * JPEGs come from jpeg-js's encoder (4:4:4) and from ImageMagick (4:2:0, grey, progressive; `.ci/run` installs it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as jpeg from 'jpeg-js';
import { CodedError } from '../../../src/common/errors';
import { decodeGrayReduced, decodeImage, decodeImageForSize } from '../../../src/vision/decode';
import { decodeJpegScaled, scaledRgba, type JpegScale } from '../../../src/vision/jpegScaled';
import { toGrayReduced } from '../../../src/vision/preprocess';
import { hostileFiles } from '../../fixtures/hostile/generate';
import { encodePng } from './helpers';

/** A photo-like test card: sky gradient, textured ground, hard black/white edges and a saturated disc. */
function testCard(width: number, height: number): Uint8Array {
  const data = new Uint8Array(width * height * 4);
  let seed = 7;
  const noise = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 16;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      const horizon = height * 0.45 + (height / 10) * Math.sin(x / (width / 6));
      const texture = 35 * Math.sin(x / 5 + y / 9) * Math.cos(y / 4);
      let rgb = y < horizon ? [110 + (y * 60) / height, 150 + (y * 50) / height, 235] : [95 + texture, 115 + texture * 0.8, 60 + texture * 0.4];
      if (Math.abs(x - width * 0.3) < width * 0.04 && y > height * 0.2 && y < height * 0.8) rgb = [10, 10, 10]; // a black bar
      if ((x - width * 0.7) ** 2 + (y - height * 0.35) ** 2 < (height * 0.12) ** 2) rgb = [250, 20, 30]; // a red disc
      data[o] = Math.max(0, Math.min(255, rgb[0] + noise()));
      data[o + 1] = Math.max(0, Math.min(255, rgb[1] + noise()));
      data[o + 2] = Math.max(0, Math.min(255, rgb[2] + noise()));
      data[o + 3] = 255;
    }
  }
  return data;
}

function magick(png: Buffer, args: string[]): Buffer {
  return execFileSync('convert', ['png:-', ...args, 'jpg:-'], { input: png, maxBuffer: 64 * 1024 * 1024 });
}

/** The reference decoder: IJG libjpeg (through ImageMagick), chroma repeated rather than interpolated. */
function libjpegRgba(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(execFileSync('convert', ['-define', 'jpeg:fancy-upsampling=off', 'jpg:-', '-depth', '8', 'rgba:-'], { input: bytes, maxBuffer: 256 * 1024 * 1024 }));
}

interface Sample {
  readonly label: string;
  readonly bytes: Uint8Array;
  readonly original: Uint8Array;
  readonly width: number;
  readonly height: number;
  /** libjpeg's full decode. */
  readonly reference: Uint8Array;
}

function samples(): Sample[] {
  const out: Omit<Sample, 'reference'>[] = [];
  for (const [width, height] of [[256, 192], [203, 157]] as const) {
    const original = testCard(width, height);
    const png = encodePng(width, height, original);
    out.push({ label: `${width}×${height} jpeg-js q90 4:4:4`, bytes: jpeg.encode({ data: original, width, height }, 90).data, original, width, height });
    out.push({ label: `${width}×${height} jpeg-js q40 4:4:4`, bytes: jpeg.encode({ data: original, width, height }, 40).data, original, width, height });
    out.push({ label: `${width}×${height} ImageMagick q85 4:2:0`, bytes: magick(png, ['-sampling-factor', '2x2', '-quality', '85']), original, width, height });
    out.push({ label: `${width}×${height} ImageMagick q75 4:2:2`, bytes: magick(png, ['-sampling-factor', '2x1', '-quality', '75']), original, width, height });
    // The grey JPEG's original is the card's BT.601 luma in all three channels.
    const luma = original.map((v, i) => (i % 4 === 3 ? v : Math.round(0.299 * original[i - (i % 4)] + 0.587 * original[i - (i % 4) + 1] + 0.114 * original[i - (i % 4) + 2])));
    out.push({ label: `${width}×${height} ImageMagick grey`, bytes: magick(png, ['-colorspace', 'Gray', '-type', 'Grayscale', '-quality', '90']), original: luma, width, height });
  }
  return out.map((s) => ({ ...s, reference: libjpegRgba(s.bytes) }));
}

/** Mean of each factor × factor block of one RGBA channel (partial blocks at the edges average what exists). */
function boxChannel(data: Uint8Array, width: number, height: number, channel: number, factor: number): Float64Array {
  const ow = Math.ceil(width / factor);
  const oh = Math.ceil(height / factor);
  const out = new Float64Array(ow * oh);
  for (let oy = 0; oy < oh; oy++) {
    for (let ox = 0; ox < ow; ox++) {
      let sum = 0;
      let count = 0;
      for (let y = oy * factor; y < Math.min(height, (oy + 1) * factor); y++) {
        for (let x = ox * factor; x < Math.min(width, (ox + 1) * factor); x++, count++) sum += data[(y * width + x) * 4 + channel];
      }
      out[oy * ow + ox] = sum / count;
    }
  }
  return out;
}

function diff(a: ArrayLike<number>, b: ArrayLike<number>): { max: number; mean: number } {
  assert.equal(a.length, b.length);
  let max = 0;
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    max = Math.max(max, d);
    sum += d;
  }
  return { max, mean: sum / a.length };
}

const all = samples();

/** JPEG's own largest per-pixel error on this sample (libjpeg's decode against the original), over R, G, B. */
function pixelJpegError(s: Sample): number {
  let max = 0;
  for (let i = 0; i < s.original.length; i++) if (i % 4 !== 3) max = Math.max(max, Math.abs(s.reference[i] - s.original[i]));
  return max;
}

/*
 * The bound: on average the two differ by rounding (≤ 0.5–0.75 levels), the reduced image is as close to the
 * original as the reduced full decode is, and no pixel is further off than JPEG's own per-pixel error. The largest
 * differences sit where the full decode clamps ringing at 0 or 255 before averaging, which a block mean cannot.
 */

for (const factor of [2, 4, 8, 16]) {
  test(`grey reduced by ${factor}: the DCT-domain decode equals libjpeg's full decode + the same box reduction within JPEG error`, (t) => {
    for (const s of all) {
      const ours = decodeGrayReduced(s.bytes, () => factor, { name: s.label });
      assert.ok(ours, `${s.label}: took the fast path`);
      assert.equal(ours.format, 'jpeg');
      // 16 = 8 (DCT) × 2 (box) only when 8 divides the size; else the reduction stops at the DCT's 8.
      assert.equal(ours.factor, factor === 16 && s.width % 8 ? 8 : factor);
      assert.deepEqual([ours.width, ours.height], [s.width, s.height]);
      const reference = toGrayReduced({ width: s.width, height: s.height, data: s.reference }, ours.factor);
      assert.deepEqual([ours.gray.width, ours.gray.height], [reference.width, reference.height], s.label);
      // JPEG error at this reduction: how far the reference itself is from the reduced original.
      const jpegError = diff(reference.data, toGrayReduced({ width: s.width, height: s.height, data: s.original }, ours.factor).data);
      const d = diff(ours.gray.data, reference.data);
      t.diagnostic(`${s.label}: |Δ| mean ${d.mean.toFixed(3)} max ${d.max.toFixed(2)}; JPEG error mean ${jpegError.mean.toFixed(3)} max ${jpegError.max.toFixed(2)}`);
      const ourError = diff(ours.gray.data, toGrayReduced({ width: s.width, height: s.height, data: s.original }, ours.factor).data);
      assert.ok(d.mean <= 0.5, `${s.label}: mean |Δ| ${d.mean.toFixed(3)} grey levels`);
      assert.ok(ourError.mean <= jpegError.mean + 0.25, `${s.label}: mean error ${ourError.mean.toFixed(3)} vs the full decode's ${jpegError.mean.toFixed(3)}`);
      assert.ok(d.max <= Math.max(2, pixelJpegError(s)), `${s.label}: max |Δ| ${d.max.toFixed(2)} > JPEG's per-pixel error ${pixelJpegError(s)}`);
    }
  });
}

for (const scale of [2, 4, 8] as const) {
  test(`RGB at 1/${scale}: the DCT-domain decode equals libjpeg's full decode + a ${scale}×${scale} box reduction within JPEG error`, (t) => {
    for (const s of all) {
      const ours = decodeJpegScaled(s.bytes, s.label, () => scale);
      assert.ok(ours, s.label);
      const rgba = scaledRgba(ours);
      for (let c = 0; c < 3; c++) {
        const reference = boxChannel(s.reference, s.width, s.height, c, scale);
        const mine = Float64Array.from({ length: reference.length }, (_, i) => rgba.data[i * 4 + c]);
        const jpegError = diff(reference, boxChannel(s.original, s.width, s.height, c, scale));
        const d = diff(mine, reference);
        t.diagnostic(`${s.label} channel ${c}: |Δ| mean ${d.mean.toFixed(3)} max ${d.max.toFixed(2)}; JPEG error mean ${jpegError.mean.toFixed(3)} max ${jpegError.max.toFixed(2)}`);
        const ourError = diff(mine, boxChannel(s.original, s.width, s.height, c, scale));
        assert.ok(d.mean <= 0.75, `${s.label} channel ${c}: mean |Δ| ${d.mean.toFixed(3)}`);
        assert.ok(ourError.mean <= jpegError.mean + 0.25, `${s.label} channel ${c}: mean error ${ourError.mean.toFixed(3)} vs the full decode's ${jpegError.mean.toFixed(3)}`);
        assert.ok(d.max <= Math.max(3, pixelJpegError(s)), `${s.label} channel ${c}: max |Δ| ${d.max.toFixed(2)} > JPEG's per-pixel error ${pixelJpegError(s)}`);
      }
      assert.ok(rgba.data.every((v, i) => i % 4 !== 3 || v === 255));
    }
  });
}

test('decodeImageForSize picks the smallest DCT scale that keeps the model input size, and falls back otherwise', async () => {
  const s = all[0]; // 256 × 192
  assert.equal((await decodeImageForSize(s.bytes, 48, { name: 'a.jpg' })).scale, 4); // 192 / 4 = 48
  assert.equal((await decodeImageForSize(s.bytes, 20, { name: 'a.jpg' })).scale, 8);
  const sized = await decodeImageForSize(s.bytes, 96, { name: 'a.jpg' });
  assert.deepEqual([sized.scale, sized.image.width, sized.image.height, sized.width, sized.height], [2, 128, 96, 256, 192]);
  const whole = await decodeImageForSize(s.bytes, 150, { name: 'a.jpg' });
  assert.deepEqual([whole.scale, whole.image.width, whole.image.height], [1, 256, 192]);
  // A PNG is decoded whole.
  const png = await decodeImageForSize(encodePng(s.width, s.height, s.original), 20, { name: 'a.png' });
  assert.deepEqual([png.scale, png.image.format], [1, 'png']);
});

test('progressive JPEGs and factor 1 go to the full decoder', () => {
  const s = all[0];
  const progressive = magick(encodePng(s.width, s.height, s.original), ['-interlace', 'Plane', '-quality', '85']);
  assert.equal(decodeGrayReduced(progressive, () => 4, { name: 'p.jpg' }), undefined);
  assert.equal(decodeJpegScaled(progressive, 'p.jpg', () => 4), undefined);
  assert.equal(decodeGrayReduced(s.bytes, () => 1, { name: 'a.jpg' }), undefined);
});

test('EXIF orientation is applied to the reduced grey image as to the full decode', () => {
  const s = all[0];
  // Orientation 6 (rotate 90° clockwise): an APP1 Exif segment after SOI.
  const tiff = Buffer.alloc(26);
  tiff.write('MM', 0, 'latin1');
  tiff.writeUInt16BE(42, 2);
  tiff.writeUInt32BE(8, 4);
  tiff.writeUInt16BE(1, 8);
  tiff.writeUInt16BE(0x0112, 10);
  tiff.writeUInt16BE(3, 12);
  tiff.writeUInt32BE(1, 14);
  tiff.writeUInt16BE(6, 18);
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const header = Buffer.from([0xff, 0xe1, 0, 0]);
  header.writeUInt16BE(payload.length + 2, 2);
  const bytes = Buffer.concat([Buffer.from(s.bytes.subarray(0, 2)), header, payload, Buffer.from(s.bytes.subarray(2))]);
  const ours = decodeGrayReduced(bytes, () => 4, { name: 'phone.jpg' });
  assert.ok(ours);
  assert.deepEqual([ours.width, ours.height, ours.gray.width, ours.gray.height], [192, 256, 48, 64]);
  assert.deepEqual(ours.notes, ['EXIF orientation 6 applied']);
  const reference = toGrayReduced(decodeImage(bytes, { name: 'phone.jpg' }), 4);
  assert.ok(diff(ours.gray.data, reference.data).mean <= 0.75);
});

function refusedWith(bytes: Uint8Array, codes: readonly string[], message?: RegExp): void {
  for (const run of [() => decodeGrayReduced(bytes, () => 4, { name: 'bad.jpg' }), () => decodeJpegScaled(bytes, 'bad.jpg', () => 4)]) {
    assert.throws(run, (err: unknown) => {
      assert.ok(err instanceof CodedError, `not a coded error: ${String(err)}`);
      assert.ok(codes.includes(err.code), `${err.code}: ${err.message}`);
      if (message) assert.match(err.message, message);
      return true;
    });
  }
}

test('hostile JPEGs are refused cleanly: no scan data, giant frame, truncated, garbage scan, broken tables', () => {
  // test/fixtures/hostile: a frame header and EOI, no scan.
  refusedWith(fs.readFileSync(path.join(hostileFiles, 'jpeg-no-scan.jpg')), ['corrupt'], /no image data/);
  // Giant frame: 65535 × 65535 is refused from the header, before any allocation.
  const giant = Uint8Array.from([0xff, 0xd8, 0xff, 0xc0, 0, 11, 8, 0xff, 0xff, 0xff, 0xff, 1, 1, 0x11, 0, 0xff, 0xd9]);
  assert.throws(() => decodeGrayReduced(giant, () => 4, { name: 'giant.jpg' }), (err: unknown) => err instanceof CodedError && err.code === 'tooLarge');
  // Truncated anywhere: in the headers, in the scan, just before EOI.
  const good = all[2].bytes;
  for (const cut of [10, 300, Math.floor(good.length * 0.3), Math.floor(good.length * 0.9), good.length - 2]) refusedWith(good.subarray(0, cut), ['truncated'], /truncated/);
  // Entropy-coded data replaced by 0xFF bytes (a marker run) or zeros between intact markers.
  const sos = Buffer.from(good).indexOf(Buffer.from([0xff, 0xda]));
  const scanStart = sos + 2 + ((good[sos + 2] << 8) | good[sos + 3]);
  for (const fill of [0xff, 0x00, 0x5a]) {
    const damaged = Uint8Array.from(good);
    damaged.fill(fill, scanStart, good.length - 2);
    refusedWith(damaged, ['corrupt', 'truncated']);
  }
  // A Huffman table with more codes than its lengths allow (three 1-bit codes).
  const dht = Buffer.from(good).indexOf(Buffer.from([0xff, 0xc4]));
  const badTable = Uint8Array.from(good);
  badTable[dht + 5] = 3;
  refusedWith(badTable, ['corrupt']);
});

test('random damage never escapes as anything but a coded error, and never hangs', () => {
  let seed = 99;
  const next = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0);
  const t0 = performance.now();
  for (const s of all.slice(0, 3)) {
    for (let round = 0; round < 150; round++) {
      const bytes = Uint8Array.from(s.bytes);
      const flips = 1 + (next() % 8);
      for (let i = 0; i < flips; i++) bytes[2 + (next() % (bytes.length - 2))] = next() & 0xff;
      for (const run of [() => decodeGrayReduced(bytes, () => 4, { name: 'fuzz.jpg' }), () => decodeJpegScaled(bytes, 'fuzz.jpg', () => 2)]) {
        try {
          run();
        } catch (err) {
          assert.ok(err instanceof CodedError, `round ${round}: ${err instanceof Error ? err.stack : String(err)}`);
        }
      }
    }
  }
  assert.ok(performance.now() - t0 < 20_000);
});

test('JPEG scale weights: a flat block at every scale is its DC value', () => {
  // jpeg-js encodes a flat grey image as DC-only blocks; every scale must give the same flat grey.
  const flat = jpeg.encode({ data: new Uint8Array(64 * 64 * 4).fill(200), width: 64, height: 64 }, 95).data;
  for (const scale of [2, 4, 8] as JpegScale[]) {
    const rgba = scaledRgba(decodeJpegScaled(flat, 'flat.jpg', () => scale)!);
    assert.ok(rgba.data.every((v, i) => (i % 4 === 3 ? v === 255 : Math.abs(v - 200) <= 1)), `scale ${scale}`);
  }
});
