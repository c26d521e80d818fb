/**
 * The PNG WebAssembly kernels (src/vision/wasm/pngKernels.wat) against pngjs and against our JavaScript
 * loops: every row filter at every pixel size, odd widths (tails shorter than a SIMD vector), the grey
 * reduction for every layout, bad filter bytes, a large image, and that the committed binary is the one
 * the .wat compiles to.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { PNG } from 'pngjs';
import { decodePngFast, decodePngGrayReduced } from '../../../src/vision/pngFast';
import { reductionFactor } from '../../../src/vision/grayReduce';
import { preprocess, toGrayReduced } from '../../../src/vision/preprocess';
import { decodeGrayReduced, decodeImage } from '../../../src/vision/decode';
import { ImageClassifier } from '../../../src/vision/classifier';
import { encodePng, rgba, writeOnnxCnn } from './helpers';
import { CodedError } from '../../../src/common/errors';

const COLOR_TYPES = [
  { colorType: 0, bpp: 1 },
  { colorType: 4, bpp: 2 },
  { colorType: 2, bpp: 3 },
  { colorType: 6, bpp: 4 },
] as const;

/** A deterministic byte stream (xorshift), so failures reproduce. */
function bytes(n: number, seed: number): Uint8Array {
  let s = seed >>> 0 || 1;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = s & 255;
  }
  return out;
}

function chunk(type: string, body: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(Buffer.concat([Buffer.from(type, 'latin1'), body])) >>> 0, 0);
  return Buffer.concat([head, body, crc]);
}

/**
 * A valid PNG whose filtered rows are random bytes with the given filter type per row: any bytes are a
 * valid filtered stream, so this exercises every filter on arbitrary neighbours (wrap-around included).
 */
function pngWithFilters(width: number, height: number, colorType: number, bpp: number, filters: (y: number) => number, seed: number, extra: Buffer[] = []): Buffer {
  const stride = width * bpp;
  const raw = bytes((stride + 1) * height, seed);
  for (let y = 0; y < height; y++) raw[y * (stride + 1)] = filters(y);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = colorType;
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), ...extra, chunk('IDAT', zlib.deflateSync(raw, { level: 1 })), chunk('IEND', new Uint8Array(0))]);
}

test('the committed WebAssembly binary is what pngKernels.wat compiles to (run node scripts/build-wasm.mjs)', async () => {
  const script = path.resolve(__dirname, '../../../scripts/build-wasm.mjs');
  const { generatedModules } = (await import(script)) as { generatedModules(): Promise<{ file: string; text: string }[]> };
  for (const { file, text } of await generatedModules()) assert.equal(fs.readFileSync(file, 'utf8'), text, `${path.basename(file)} is stale`);
});

test('unfiltering: WebAssembly = JavaScript = pngjs for every filter, pixel size and odd widths', () => {
  let cases = 0;
  for (const { colorType, bpp } of COLOR_TYPES) {
    for (const width of [1, 2, 5, 7, 16, 33]) {
      for (const filter of [0, 1, 2, 3, 4, -1]) {
        // -1: every filter, changing from row to row.
        const png = pngWithFilters(width, 9, colorType, bpp, (y) => (filter < 0 ? (y * 3 + width) % 5 : filter), width * 31 + filter + 7 * bpp);
        const reference = PNG.sync.read(png).data;
        const wasm = decodePngFast(new Uint8Array(png), 'x.png');
        const js = decodePngFast(new Uint8Array(png), 'x.png', { wasm: false });
        assert.ok(wasm && js);
        const label = `colour type ${colorType}, width ${width}, filter ${filter}`;
        assert.deepEqual(Buffer.from(js.data), reference, `JavaScript, ${label}`);
        assert.deepEqual(Buffer.from(wasm.data), reference, `WebAssembly, ${label}`);
        cases++;
      }
    }
  }
  assert.equal(cases, 4 * 6 * 6);
});

test('grey reduction: WebAssembly = JavaScript = decode to RGBA then reduce, for every layout, size and factor', () => {
  for (const { colorType, bpp } of COLOR_TYPES) {
    for (const [width, height] of [
      [37, 23],
      [120, 119],
      [250, 130],
    ]) {
      const png = new Uint8Array(pngWithFilters(width, height, colorType, bpp, (y) => y % 5, width + height + colorType));
      const rgba = decodePngFast(png, 'x.png');
      assert.ok(rgba);
      for (const factor of [1, 2, 3, 4, 6, 11]) {
        const label = `colour type ${colorType}, ${width}×${height}, factor ${factor}`;
        const wasm = decodePngGrayReduced(png, 'x.png', () => factor);
        const js = decodePngGrayReduced(png, 'x.png', () => factor, { wasm: false });
        assert.ok(wasm && js);
        assert.deepEqual(wasm.data, js.data, label);
        assert.deepEqual([wasm.width, wasm.height], [Math.ceil(width / factor), Math.ceil(height / factor)], label);
        // The RGBA route (any decoder, then toGrayReduced) gives the same bits for factor > 1.
        if (factor > 1) assert.deepEqual(toGrayReduced(rgba, factor).data, wasm.data, label);
      }
    }
  }
});

test('grey reduction: hand-computed block means (luma, alpha over white)', () => {
  // 2×1 RGBA: pure red opaque, then black at alpha 51 (20 %) over white → 255·0.8.
  const data = new Uint8Array([255, 0, 0, 255, 0, 0, 0, 51]);
  const png = new PNG({ width: 2, height: 1 });
  png.data = Buffer.from(data);
  const bytes = new Uint8Array(PNG.sync.write(png, { colorType: 6 }));
  for (const wasm of [true, false]) {
    const gray = decodePngGrayReduced(bytes, 'x.png', () => 2, { wasm });
    assert.ok(gray);
    const expected = (0.299 * 255 + 255 * (1 - 51 / 255)) / 2;
    assert.ok(Math.abs(gray.data[0] - expected) < 1e-4, `${gray.data[0]} vs ${expected}`);
  }
});

test('palette and colour-key PNGs reduce through RGBA rows, same as the RGBA route', () => {
  const palette = chunk('PLTE', new Uint8Array([0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 0, 255]));
  const trns = chunk('tRNS', new Uint8Array([255, 0, 128]));
  const png = pngWithFilters(40, 30, 3, 1, (y) => y % 5, 5, [palette, trns]);
  // Random palette indices must stay below 4: rewrite the raw data with indices 0–3 (filter None).
  const raw = bytes(41 * 30, 9).map((v, i) => (i % 41 === 0 ? 0 : v & 3));
  const fixed = Buffer.concat([png.subarray(0, 33), palette, trns, chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', new Uint8Array(0))]);
  const rgba = decodePngFast(new Uint8Array(fixed), 'p.png');
  assert.ok(rgba);
  assert.deepEqual(Buffer.from(rgba.data), PNG.sync.read(fixed).data);
  const gray = decodePngGrayReduced(new Uint8Array(fixed), 'p.png', () => 2);
  assert.ok(gray);
  assert.deepEqual(gray.data, toGrayReduced(rgba, 2).data);
});

test('an unknown filter byte is a clear "corrupt" error in both paths', () => {
  const png = new Uint8Array(pngWithFilters(20, 6, 2, 3, (y) => (y === 4 ? 9 : 1), 3));
  for (const wasm of [true, false]) {
    assert.throws(
      () => decodePngFast(png, 'bad.png', { wasm }),
      (err: unknown) => err instanceof CodedError && err.code === 'corrupt' && /unknown PNG row filter 9/.test(err.message),
    );
    assert.throws(() => decodePngGrayReduced(png, 'bad.png', reductionFactor, { wasm }), CodedError);
  }
});

test('a large image (beyond the cached kernel memory) decodes in a one-off instance and the next small one still works', () => {
  const width = 4200;
  const height = 4100; // RGBA: 69 MB of rows, more than the 64 MB the cached instance keeps
  const png = new Uint8Array(pngWithFilters(width, height, 6, 4, (y) => (y % 2 ? 2 : 1), 11));
  const wasm = decodePngGrayReduced(png, 'big.png', reductionFactor);
  const js = decodePngGrayReduced(png, 'big.png', reductionFactor, { wasm: false });
  assert.ok(wasm && js);
  assert.deepEqual(wasm.data, js.data);
  const small = new Uint8Array(pngWithFilters(30, 20, 2, 3, (y) => y % 5, 12));
  assert.deepEqual(decodePngFast(small, 's.png')?.data, decodePngFast(small, 's.png', { wasm: false })?.data);
});

test("the classifier's PNG shortcut (decode straight to reduced grey) feeds the model exactly what the RGBA route does", async () => {
  const dir = await writeOnnxCnn();
  const classifier = await ImageClassifier.load(dir);
  try {
    const size = 300;
    const data = rgba(size, size, (x, y) => {
      const ink = Math.abs(Math.hypot(x - 150, (y - 150) / 1.3) - 90) < 12;
      return ink ? [30, 20, 10, 255] : [240, 235, 230, 255];
    });
    const png = new Uint8Array(encodePng(size, size, data, { colorType: 2 }));
    assert.ok(decodeGrayReduced(png, reductionFactor), 'takes the shortcut');
    const viaShortcut = await classifier.prepareBytes(png, 'ring.png');
    const viaRgba = preprocess(decodeImage(png), classifier.info.preprocessing, classifier.info.geometry);
    assert.deepEqual(viaShortcut.input, viaRgba.input);
    assert.deepEqual(viaShortcut.source, { format: 'png', width: size, height: size });
    assert.equal(viaShortcut.inverted, true);
  } finally {
    await classifier.dispose();
  }
});
