/**
 * Loads the PNG WebAssembly kernels (wasm/pngKernels.wat) and lays out their memory. Compiled
 * synchronously from the embedded bytes (~1 KB) on first use; when WebAssembly or SIMD is unavailable the
 * callers fall back to their JavaScript loops. No `vscode` import.
 */
import { pngKernelsBase64 } from './wasm/pngKernels.generated';
import { visionError } from './errors';
import type { RowLayout } from './grayReduce';
import type { GrayImage } from './image';

interface PngKernelExports {
  readonly memory: WebAssembly.Memory;
  unfilter(raw: number, out: number, height: number, stride: number, bpp: number): number;
  grayReduce(pix: number, width: number, height: number, layout: number, factor: number, sum: number, outWidth: number, weights: number, chunks: number): void;
  blockMeans(sum: number, means: number, width: number, height: number, factor: number, outWidth: number, outHeight: number): void;
}

/** Memory a cached instance may keep; larger images get a one-off instance that is dropped afterwards. */
const CACHED_MEMORY_LIMIT = 64 * 1024 * 1024;
const PAGE = 65536;

let compiled: WebAssembly.Module | null | undefined;
let cached: PngKernelExports | undefined;

function instantiate(): PngKernelExports | undefined {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(Buffer.from(pngKernelsBase64, 'base64'));
    } catch {
      compiled = null; // no WebAssembly SIMD here: the JavaScript loops do the work
    }
  }
  return compiled ? (new WebAssembly.Instance(compiled).exports as unknown as PngKernelExports) : undefined;
}

function kernelsWithMemory(bytes: number): PngKernelExports | undefined {
  const large = bytes > CACHED_MEMORY_LIMIT;
  const kernels = large ? instantiate() : (cached ??= instantiate());
  if (!kernels) return undefined;
  const have = kernels.memory.buffer.byteLength;
  if (have < bytes) kernels.memory.grow(Math.ceil((bytes - have) / PAGE));
  return kernels;
}

const align16 = (n: number) => (n + 15) & ~15;

/** BT.601 luma × 1000, as in grayReduce.ts. */
const LUMA_WEIGHTS = [299, 587, 114] as const;

interface Layout {
  readonly stride: number;
  readonly out: number;
  readonly end: number;
}

/** raw at 0, one zero row, then the unfiltered pixels. */
function unfilterInto(kernels: PngKernelExports, raw: Uint8Array, height: number, stride: number, bpp: number, name: string): Layout {
  const rawBytes = (stride + 1) * height;
  const zeroRow = align16(rawBytes);
  const out = zeroRow + stride;
  const memory = new Uint8Array(kernels.memory.buffer);
  memory.set(raw.subarray(0, rawBytes), 0);
  memory.fill(0, zeroRow, out);
  const status = kernels.unfilter(0, out, height, stride, bpp);
  if (status !== 0) throw visionError('corrupt', [name, `unknown PNG row filter ${raw[(status - 1) * (stride + 1)]}`]);
  return { stride, out, end: out + stride * height };
}

/** Raw rows, the zero row, the pixels, and 16 bytes the kernel's 4-byte pixel stores may spill into. */
function unfilterBytesNeeded(height: number, stride: number): number {
  return align16((stride + 1) * height) + stride * (height + 1) + 16;
}

/** Unfilters 8-bit PNG rows; the unfiltered pixels (stride × height), or undefined without WebAssembly. */
export function unfilterWasm(raw: Uint8Array, height: number, stride: number, bpp: number, name: string): Uint8Array | undefined {
  const kernels = kernelsWithMemory(unfilterBytesNeeded(height, stride));
  if (!kernels) return undefined;
  const { out, end } = unfilterInto(kernels, raw, height, stride, bpp, name);
  return new Uint8Array(kernels.memory.buffer).slice(out, end);
}

/**
 * Unfilters, reduces to grey and averages the blocks in one go (pixels never leave WebAssembly memory):
 * the block means (grey 0–255, the same bits as GrayBoxReducer.finish), or undefined without WebAssembly.
 */
export function unfilterGrayReduceWasm(raw: Uint8Array, width: number, height: number, layout: RowLayout, factor: number, name: string): GrayImage | undefined {
  const stride = width * layout;
  const outWidth = Math.ceil(width / factor);
  const outHeight = Math.ceil(height / factor);
  const blocks = outWidth * outHeight;
  const sumAt = align16(unfilterBytesNeeded(height, stride));
  const meansAt = align16(sumAt + blocks * 8);
  // The dot-product weights of one full run (grey and RGB; see the .wat), zero-padded to whole vectors.
  const runBytes = factor * layout;
  const chunks = Math.ceil(runBytes / 16);
  const weightsAt = align16(meansAt + blocks * 4);
  const kernels = kernelsWithMemory(weightsAt + chunks * 32);
  if (!kernels) return undefined;
  const weights = new Int16Array(kernels.memory.buffer, weightsAt, chunks * 16);
  weights.fill(0);
  for (let k = 0; k < runBytes; k++) weights[k] = layout === 3 ? LUMA_WEIGHTS[k % 3] : 1;
  const { out } = unfilterInto(kernels, raw, height, stride, layout, name);
  new Float64Array(kernels.memory.buffer, sumAt, blocks).fill(0);
  kernels.grayReduce(out, width, height, layout, factor, sumAt, outWidth, weightsAt, chunks);
  kernels.blockMeans(sumAt, meansAt, width, height, factor, outWidth, outHeight);
  return { width: outWidth, height: outHeight, data: new Float32Array(kernels.memory.buffer, meansAt, blocks).slice() };
}
