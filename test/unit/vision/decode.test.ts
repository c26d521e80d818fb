import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as jpeg from 'jpeg-js';
import { GifWriter } from 'omggif';
// bmp-js has no type declarations; its encoder takes { data (ABGR), width, height }.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const bmp = require('bmp-js') as { encode(img: { data: Buffer; width: number; height: number }): { data: Buffer } };
import { decodeImage, decodeImageAsync, type DecodedImage } from '../../../src/vision/decode';
import { applyOrientation, readJpegOrientation } from '../../../src/vision/exif';
import { decodePngFast } from '../../../src/vision/pngFast';
import { PNG } from 'pngjs';
import { encodePng, rgba } from './helpers';

const fixtures = path.resolve(__dirname, '../../fixtures/images');
const fixture = (name: string) => new Uint8Array(fs.readFileSync(path.join(fixtures, name)));

const RED = [255, 0, 0];
const GREEN = [0, 255, 0];
const BLUE = [0, 0, 255];
const WHITE = [255, 255, 255];

/** Quadrants: top-left red, top-right green, bottom-left blue, bottom-right white. */
function quadrant(width: number, height: number) {
  return (x: number, y: number): number[] => {
    const right = x >= width / 2;
    const bottom = y >= height / 2;
    return [...(bottom ? (right ? WHITE : BLUE) : right ? GREEN : RED), 255];
  };
}

function pixel(img: DecodedImage | { width: number; data: Uint8Array }, x: number, y: number): number[] {
  const o = (y * img.width + x) * 4;
  return [...img.data.subarray(o, o + 4)];
}

function assertQuadrants(img: { width: number; height: number; data: Uint8Array }, tolerance = 0, alpha = 255): void {
  const probes: [number, number, number[]][] = [
    [0, 0, RED],
    [img.width - 1, 0, GREEN],
    [0, img.height - 1, BLUE],
    [img.width - 1, img.height - 1, WHITE],
  ];
  for (const [x, y, want] of probes) {
    const got = pixel(img, x, y);
    for (let c = 0; c < 3; c++) assert.ok(Math.abs(got[c] - want[c]) <= tolerance, `pixel (${x},${y}) = ${got} want ${want}`);
    assert.equal(got[3], alpha, `alpha at (${x},${y})`);
  }
}

test('PNG 8-bit RGBA written by pngjs decodes exactly, alpha kept', () => {
  const data = rgba(8, 6, (x, y) => [...quadrant(8, 6)(x, y).slice(0, 3), x === 0 && y === 0 ? 0 : 255]);
  const img = decodeImage(encodePng(8, 6, data), { name: 'a.png' });
  assert.equal(img.format, 'png');
  assert.deepEqual([img.width, img.height], [8, 6]);
  assert.deepEqual(pixel(img, 0, 0), [255, 0, 0, 0]);
  assert.deepEqual(pixel(img, 7, 5), [255, 255, 255, 255]);
});

for (const name of ['palette.png', 'interlaced.png', 'rgb16.png']) {
  test(`PNG fixture ${name} (ImageMagick) decodes to the quadrant pattern`, () => {
    const img = decodeImage(fixture(name), { name });
    assert.deepEqual([img.width, img.height], [8, 6]);
    assertQuadrants(img);
  });
}

test('16-bit grey PNG decodes to 8-bit grey values (BT.709 luma of the quadrants)', () => {
  const img = decodeImage(fixture('gray16.png'), { name: 'gray16.png' });
  const [r, g, b, a] = pixel(img, 0, 0);
  assert.equal(r, g);
  assert.equal(g, b);
  assert.equal(a, 255);
  // ImageMagick's Gray of pure red is ~54 (Rec. 709 luma 0.2126 × 255); white stays 255.
  assert.ok(r > 40 && r < 80, `red → ${r}`);
  assert.deepEqual(pixel(img, 7, 5), [255, 255, 255, 255]);
});

function jpegBytes(width = 16, height = 16, quality = 95): Buffer {
  const data = Buffer.from(rgba(width, height, quadrant(width, height)));
  return jpeg.encode({ data, width, height }, quality).data;
}

test('baseline JPEG (jpeg-js encoder) decodes to the pattern within JPEG error', () => {
  const img = decodeImage(jpegBytes(), { name: 'b.jpg' });
  assert.equal(img.format, 'jpeg');
  assertQuadrants(img, 40);
  assert.deepEqual(img.notes, []);
});

test('progressive JPEG (ImageMagick -interlace Plane) decodes', () => {
  const bytes = fixture('progressive.jpg');
  // SOF2 marks a progressive frame.
  assert.ok(Buffer.from(bytes).includes(Buffer.from([0xff, 0xc2])), 'fixture is progressive');
  const img = decodeImage(bytes, { name: 'progressive.jpg' });
  assert.deepEqual([img.width, img.height], [16, 16]);
  assertQuadrants(img, 40);
});

/** Inserts an APP1 Exif segment (big- or little-endian TIFF) with only the Orientation tag after SOI. */
function withOrientation(jpg: Buffer, orientation: number, little: boolean): Buffer {
  const tiff = Buffer.alloc(8 + 2 + 12 + 4);
  tiff.write(little ? 'II' : 'MM', 0, 'latin1');
  const u16 = (v: number, at: number) => (little ? tiff.writeUInt16LE(v, at) : tiff.writeUInt16BE(v, at));
  const u32 = (v: number, at: number) => (little ? tiff.writeUInt32LE(v, at) : tiff.writeUInt32BE(v, at));
  u16(42, 2);
  u32(8, 4);
  u16(1, 8); // one IFD entry
  u16(0x0112, 10); // Orientation
  u16(3, 12); // SHORT
  u32(1, 14);
  u16(orientation, 18);
  u32(0, 22); // no next IFD
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const header = Buffer.alloc(4);
  header.writeUInt16BE(0xffe1, 0);
  header.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([jpg.subarray(0, 2), header, payload, jpg.subarray(2)]);
}

test('EXIF Orientation is read from big- and little-endian APP1 segments', () => {
  const plain = jpegBytes();
  for (let o = 1; o <= 8; o++) {
    assert.equal(readJpegOrientation(withOrientation(plain, o, true)), o);
    assert.equal(readJpegOrientation(withOrientation(plain, o, false)), o);
  }
  assert.equal(readJpegOrientation(plain), 1);
});

test('EXIF orientations 1–8 turn stored pixels into the displayed image', () => {
  // Stored 3×2: a b c / d e f, encoded as red channel 1..6.
  const stored = { width: 3, height: 2, data: rgba(3, 2, (x, y) => [1 + y * 3 + x, 0, 0, 255]) };
  const show = (o: number) => {
    const img = applyOrientation(stored, o);
    const rows: number[][] = [];
    for (let y = 0; y < img.height; y++) rows.push(Array.from({ length: img.width }, (_, x) => img.data[(y * img.width + x) * 4]));
    return rows;
  };
  assert.deepEqual(show(1), [[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(show(2), [[3, 2, 1], [6, 5, 4]]); // mirrored
  assert.deepEqual(show(3), [[6, 5, 4], [3, 2, 1]]); // 180°
  assert.deepEqual(show(4), [[4, 5, 6], [1, 2, 3]]); // flipped
  assert.deepEqual(show(5), [[1, 4], [2, 5], [3, 6]]); // transposed
  assert.deepEqual(show(6), [[4, 1], [5, 2], [6, 3]]); // 90° clockwise
  assert.deepEqual(show(7), [[6, 3], [5, 2], [4, 1]]); // transverse
  assert.deepEqual(show(8), [[3, 6], [2, 5], [1, 4]]); // 90° counter-clockwise
});

test('a JPEG stored sideways with Orientation 6 decodes upright', () => {
  // Store the pattern rotated 90° counter-clockwise (what a phone held sideways records) …
  const w = 16;
  const upright = rgba(w, w, quadrant(w, w));
  const sideways = Buffer.alloc(w * w * 4);
  for (let y = 0; y < w; y++) {
    for (let x = 0; x < w; x++) {
      // stored(x, y) = upright(w-1-y, x)  ⇔  rotating stored 90° clockwise gives upright
      const src = (x * w + (w - 1 - y)) * 4;
      sideways.set(upright.subarray(src, src + 4), (y * w + x) * 4);
    }
  }
  const jpg = jpeg.encode({ data: sideways, width: w, height: w }, 95).data;
  const img = decodeImage(withOrientation(jpg, 6, false), { name: 'phone.jpg' });
  assertQuadrants(img, 40);
  assert.deepEqual(img.notes, ['EXIF orientation 6 applied']);
});

test('BMP: 24-bit top-down (bmp-js encoder), V5-header 24-bit, 4-bit palette and 32-bit alpha (ImageMagick)', () => {
  const abgr = Buffer.from(rgba(8, 6, (x, y) => {
    const [r, g, b] = quadrant(8, 6)(x, y);
    return [0, b, g, r];
  }));
  const encoded = bmp.encode({ data: abgr, width: 8, height: 6 }).data;
  const a = decodeImage(encoded, { name: 'a.bmp' });
  assert.equal(a.format, 'bmp');
  assertQuadrants(a);
  assertQuadrants(decodeImage(fixture('v5-24bit.bmp'), { name: 'v5.bmp' }));
  assertQuadrants(decodeImage(fixture('palette8.bmp'), { name: 'p.bmp' }));
  const alpha = decodeImage(fixture('v5-32bit-alpha.bmp'), { name: 'alpha.bmp' });
  assertQuadrants(alpha, 0, 128);
});

function gifBytes(frames: number, transparentCorner: boolean): Uint8Array {
  const buf = new Uint8Array(4096);
  // Palette: 0 red, 1 green, 2 blue, 3 white.
  const palette = [0xff0000, 0x00ff00, 0x0000ff, 0xffffff];
  const writer = new GifWriter(buf, 8, 6, { palette, loop: 0 });
  const indices = Array.from({ length: 48 }, (_, i) => {
    const x = i % 8;
    const y = Math.floor(i / 8);
    return (y >= 3 ? 2 : 0) + (x >= 4 ? 1 : 0);
  });
  for (let f = 0; f < frames; f++) {
    writer.addFrame(0, 0, 8, 6, f === 0 ? indices : indices.map(() => 1), transparentCorner ? { transparent: 3, delay: 10 } : { delay: 10 });
  }
  return buf.slice(0, writer.end());
}

test('GIF: first frame of an animation is used and the user is told', () => {
  const img = decodeImage(gifBytes(3, false), { name: 'anim.gif' });
  assert.equal(img.format, 'gif');
  assertQuadrants(img);
  assert.deepEqual(img.notes, ['animated GIF: first frame used (3 frames)']);
  const still = decodeImage(gifBytes(1, false), { name: 'still.gif' });
  assert.deepEqual(still.notes, []);
});

test('GIF: transparent pixels come back with alpha 0', () => {
  const img = decodeImage(gifBytes(1, true), { name: 't.gif' });
  assert.deepEqual(pixel(img, 0, 0), [255, 0, 0, 255]);
  assert.equal(pixel(img, 7, 5)[3], 0);
});

test('format comes from magic bytes, not the name: a JPEG called .png decodes as JPEG', () => {
  const img = decodeImage(jpegBytes(), { name: 'really-a-jpeg.png' });
  assert.equal(img.format, 'jpeg');
});

test('the fast 8-bit PNG path matches pngjs exactly for grey, grey+alpha, RGB, RGBA (all row filters)', () => {
  const w = 37;
  const h = 23;
  // Smooth gradients plus noise make pngjs's adaptive filter pick every filter type somewhere.
  const data = rgba(w, h, (x, y) => [(x * 7 + y * 3) & 255, (x * y + 11) & 255, ((x ^ y) * 13) & 255, (x * 5 + y * 9) & 255]);
  for (const colorType of [0, 2, 4, 6] as const) {
    const bytes = encodePng(w, h, data, { colorType, inputHasAlpha: true });
    const fast = decodePngFast(new Uint8Array(bytes), 'x.png');
    assert.ok(fast, `colour type ${colorType} takes the fast path`);
    const reference = PNG.sync.read(bytes);
    assert.deepEqual(Buffer.from(fast.data), reference.data, `colour type ${colorType}`);
  }
  // 16-bit and interlaced PNGs go to pngjs.
  assert.equal(decodePngFast(fixture('rgb16.png'), 'x'), undefined);
  assert.equal(decodePngFast(fixture('interlaced.png'), 'x'), undefined);
});

test('WebP (libwebp as WebAssembly): lossless, lossy and with alpha', async () => {
  const lossless = await decodeImageAsync(fixture('lossless.webp'), { name: 'l.webp' });
  assert.equal(lossless.format, 'webp');
  assert.deepEqual([lossless.width, lossless.height], [16, 12]);
  assertQuadrants(lossless);
  const lossy = await decodeImageAsync(fixture('lossy.webp'), { name: 'q.webp' });
  assert.deepEqual([lossy.width, lossy.height], [16, 16]);
  assertQuadrants(lossy, 40);
  const alpha = await decodeImageAsync(fixture('alpha.webp'), { name: 'a.webp' });
  assert.deepEqual(pixel(alpha, 0, 0), [255, 0, 0, 255]);
  assert.equal(pixel(alpha, 15, 11)[3], 0);
  // The other formats go through the same entry point.
  assert.equal((await decodeImageAsync(fixture('palette.png'))).format, 'png');
});
