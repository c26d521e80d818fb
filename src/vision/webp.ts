/**
 * WebP decoding with @jsquash/webp: libwebp's decoder compiled to WebAssembly (Google's Squoosh codecs),
 * from the npm registry alone — no native build, one .wasm file (dist/wasm/webp_dec.wasm in the bundle).
 * The module is compiled once per thread and reused. No `vscode` import.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { visionError } from './errors';
import type { RgbaImage } from './image';

type WebpDecode = (buffer: ArrayBuffer) => Promise<{ width: number; height: number; data: Uint8ClampedArray }>;
let ready: Promise<WebpDecode> | undefined;

/** dist/wasm next to a bundle, or the package's own folder when running from sources. */
function findWebpWasm(): string | undefined {
  const candidates = [
    path.join(__dirname, 'wasm', 'webp_dec.wasm'),
    path.join(__dirname, '..', 'wasm', 'webp_dec.wasm'),
    path.join(__dirname, '..', '..', 'dist', 'wasm', 'webp_dec.wasm'),
  ];
  try {
    candidates.push(require.resolve('@jsquash/webp/codec/dec/webp_dec.wasm'));
  } catch {
    // not resolvable from a bundle; dist/wasm covers that case
  }
  return candidates.find((p) => fs.existsSync(p));
}

function loadDecoder(): Promise<WebpDecode> {
  ready ??= (async () => {
    const wasmPath = findWebpWasm();
    if (!wasmPath) throw new Error('webp_dec.wasm is missing from the extension');
    const mod = await import('@jsquash/webp/decode.js');
    // Passing the compiled module keeps the Emscripten glue from fetching the .wasm by URL.
    await mod.init(await WebAssembly.compile(await fs.promises.readFile(wasmPath)));
    return mod.default as WebpDecode;
  })();
  ready.catch(() => {
    ready = undefined;
  });
  return ready;
}

export async function decodeWebp(bytes: Uint8Array, name: string): Promise<RgbaImage> {
  let decode: WebpDecode;
  try {
    decode = await loadDecoder();
  } catch (err) {
    throw visionError('unsupportedFormat', [name, `WebP (decoder unavailable: ${err instanceof Error ? err.message : String(err)})`]);
  }
  let image: { width: number; height: number; data: Uint8ClampedArray };
  try {
    image = await decode(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  } catch (err) {
    const declared = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true) + 8;
    if (bytes.length < declared) throw visionError('truncated', [name]);
    throw visionError('corrupt', [name, err instanceof Error ? err.message : String(err)]);
  }
  return { width: image.width, height: image.height, data: new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength) };
}
