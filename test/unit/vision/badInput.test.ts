import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as jpeg from 'jpeg-js';
import { GifWriter } from 'omggif';
import { decodeImage, decodeImageAsync } from '../../../src/vision/decode';
import { CodedError, formatTemplate, fromErrorData, toErrorData } from '../../../src/common/errors';
import { visionError, visionErrorTemplates, type VisionErrorCode } from '../../../src/vision/errors';
import { detectFormat, readHeader } from '../../../src/vision/formats';
import { encodePng, rgba } from './helpers';

const fixtures = path.resolve(__dirname, '../../fixtures/images');

function expectError(bytes: Uint8Array, code: VisionErrorCode, messagePart?: RegExp): CodedError {
  let caught: unknown;
  try {
    decodeImage(bytes, { name: 'x.img' });
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof CodedError, `expected visionError(${code}), got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  assert.match(caught.message, /x\.img/);
  if (messagePart) assert.match(caught.message, messagePart);
  return caught;
}

const png = () => encodePng(32, 32, rgba(32, 32, (x, y) => [(x * 8) & 255, (y * 8) & 255, 128, 255]));
const jpg = () => jpeg.encode({ data: Buffer.from(rgba(32, 32, (x) => [x * 8, 0, 0, 255])), width: 32, height: 32 }, 90).data;

test('0-byte file → "empty" with what to do', () => {
  expectError(new Uint8Array(0), 'empty', /0 bytes.*Choose a PNG, JPEG, BMP, GIF or WebP/);
});

test('text and random bytes → "not an image"', () => {
  expectError(new TextEncoder().encode('hello, this is not an image\n'), 'notImage', /not an image/);
  expectError(Uint8Array.from({ length: 500 }, (_, i) => (i * 37) & 255), 'notImage');
});

test('TIFF, SVG, HEIC, ICO are recognised and refused with "convert to PNG"', () => {
  expectError(new Uint8Array(fs.readFileSync(path.join(fixtures, 'not-supported.tif'))), 'unsupportedFormat', /TIFF.*Convert it to PNG/);
  expectError(new TextEncoder().encode('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>'), 'unsupportedFormat', /SVG/);
  const heic = Buffer.alloc(32);
  heic.write('ftypheic', 4, 'latin1');
  expectError(heic, 'unsupportedFormat', /HEIC/);
  expectError(Uint8Array.from([0, 0, 1, 0, 1, 0, 16, 16, 0, 0, 1, 0]), 'unsupportedFormat', /ICO/);
});

test('WebP: header read without decoding; damaged, truncated and oversized WebPs get clear messages', async () => {
  // A VP8L (lossless) header for a 5 × 7 image: width-1 and height-1 in 14-bit fields after the 0x2f signature.
  const webp = Buffer.alloc(40);
  webp.write('RIFF', 0, 'latin1');
  webp.writeUInt32LE(32, 4);
  webp.write('WEBPVP8L', 8, 'latin1');
  webp.writeUInt32LE(20, 16);
  webp[20] = 0x2f;
  webp.writeUInt32LE(4 | (6 << 14), 21);
  assert.equal(detectFormat(webp), 'webp');
  assert.deepEqual(readHeader(webp, 'webp', 'x'), { width: 5, height: 7 });
  // The synchronous decoder cannot run the WebAssembly decoder and says so.
  expectError(webp, 'webpUnsupported', /WebP.*Convert it to PNG/);
  const asyncError = async (bytes: Uint8Array, code: VisionErrorCode, part?: RegExp) =>
    assert.rejects(decodeImageAsync(bytes, { name: 'x.webp' }), (e: unknown) => e instanceof CodedError && e.code === code && (!part || part.test(e.message)));
  await asyncError(webp, 'corrupt', /damaged/);
  const real = fs.readFileSync(path.join(fixtures, 'lossy.webp'));
  await asyncError(real.subarray(0, real.length - 20), 'truncated');
  // VP8X canvas 10000 × 6000: refused before the decoder runs.
  const big = Buffer.alloc(30);
  big.write('RIFF', 0, 'latin1');
  big.writeUInt32LE(22, 4);
  big.write('WEBPVP8X', 8, 'latin1');
  big.writeUIntLE(9_999, 24, 3);
  big.writeUIntLE(5_999, 27, 3);
  await asyncError(big, 'tooLarge', /10000 × 6000/);
});

test('truncated files → "truncated" (PNG, JPEG, GIF, BMP)', () => {
  const p = png();
  expectError(p.subarray(0, Math.floor(p.length * 0.6)), 'truncated', /truncated/);
  expectError(p.subarray(0, 20), 'truncated');
  const j = jpg();
  expectError(j.subarray(0, Math.floor(j.length * 0.6)), 'truncated');
  expectError(j.subarray(0, 10), 'truncated');
  const buf = new Uint8Array(2048);
  const w = new GifWriter(buf, 16, 16, { palette: [0, 0xffffff] });
  w.addFrame(0, 0, 16, 16, Array.from({ length: 256 }, (_, i) => i & 1));
  const gif = buf.slice(0, w.end());
  expectError(gif.subarray(0, gif.length - 8), 'truncated');
  const bmp = new Uint8Array(fs.readFileSync(path.join(fixtures, 'v5-24bit.bmp')));
  expectError(bmp.subarray(0, bmp.length - 30), 'truncated');
});

test('corrupt files → "corrupt" with the decoder\'s reason', () => {
  const p = Buffer.from(png());
  // Scramble the compressed pixel data but keep the chunk structure and IEND.
  const idat = p.indexOf('IDAT');
  for (let i = idat + 4; i < idat + 40; i++) p[i] ^= 0x5a;
  expectError(p, 'corrupt', /damaged/);
  const header = Buffer.from(png().subarray(0, 33));
  header.writeUInt32BE(0, 16); // width 0
  expectError(Buffer.concat([header, Buffer.from('0000IEND')]), 'corrupt', /0 × 32/);
  // A JPEG whose entropy-coded data is garbage between intact markers.
  const j = Buffer.from(jpg());
  const sos = j.indexOf(Buffer.from([0xff, 0xda]));
  const scanStart = sos + 2 + j.readUInt16BE(sos + 2);
  for (let i = scanStart; i < j.length - 2; i++) j[i] = 0xff;
  assert.throws(() => decodeImage(j, { name: 'x.img' }), (err: unknown) => err instanceof CodedError && (err.code === 'corrupt' || err.code === 'truncated'));
  // A JPEG with no frame header at all.
  expectError(Uint8Array.from([0xff, 0xd8, 0xff, 0xda, 0, 2, 0xff, 0xd9]), 'corrupt', /no frame header/);
});

function pngHeaderOnly(width: number, height: number): Buffer {
  const p = Buffer.from(png().subarray(0, 33));
  p.writeUInt32BE(width, 16);
  p.writeUInt32BE(height, 20);
  return p;
}

test('images over 50 megapixels are refused from the header, before decoding', () => {
  // Only the header exists: decoding would fail as truncated, so "tooLarge" proves the check came first.
  expectError(pngHeaderOnly(10_000, 6_000), 'tooLarge', /10000 × 6000 pixels \(60\.0 megapixels\).*Scale it down/);
  // Exactly 50 MP passes the limit (and then fails as truncated, since no pixel data follows).
  expectError(pngHeaderOnly(10_000, 5_000), 'truncated');
  // JPEG: SOF0 with 8000 × 7000.
  const sof = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0xff, 0xc0, 0, 11, 8, 0x1b, 0x58, 0x1f, 0x40, 1, 1, 0x11, 0]);
  expectError(sof, 'tooLarge', /8000 × 7000/);
  // GIF: 65535 × 65535 logical screen.
  const gif = Buffer.from('GIF89a\xff\xff\xff\xff\x00\x00\x00', 'latin1');
  expectError(gif, 'tooLarge', /65535 × 65535/);
  // BMP: 20000 × -3000 (top-down).
  const bmp = Buffer.alloc(54);
  bmp.write('BM', 0, 'latin1');
  bmp.writeUInt32LE(54, 10);
  bmp.writeUInt32LE(40, 14);
  bmp.writeInt32LE(20_000, 18);
  bmp.writeInt32LE(-3_000, 22);
  bmp.writeUInt16LE(24, 28);
  expectError(bmp, 'tooLarge', /20000 × 3000/);
});

test('error data survives the worker boundary as code + args + English message', () => {
  const data = toErrorData(visionError('tooLarge', ['big.png', '9000', '9000', '81.0']));
  assert.equal(data.code, 'tooLarge');
  assert.equal(formatTemplate(visionErrorTemplates.tooLarge, data.args), data.message);
  assert.equal(toErrorData(new Error('boom')).code, 'internal');
  // Structured clone (what postMessage does) keeps the data; the caller rebuilds the same error from it.
  const rebuilt = fromErrorData(structuredClone(data));
  assert.ok(rebuilt instanceof CodedError);
  assert.deepEqual([rebuilt.code, rebuilt.template, rebuilt.args, rebuilt.message], [data.code, visionErrorTemplates.tooLarge, data.args, data.message]);
});
