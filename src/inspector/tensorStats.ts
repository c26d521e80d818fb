/**
 * Statistics of one weight, streamed from its file in bounded chunks (never the whole tensor in memory):
 * min, max, mean, standard deviation, share of zeros, NaN count, a histogram, and the first values.
 * Runs in the inspector's worker when the user asks for a weight. No `vscode` import.
 */
import * as fs from 'node:fs';
import { inspectorError, inspectorReason } from './errors';
import type { ByteRange, WeightInfo } from './model';
import { bfloatToFloat, halfToFloat } from './onnxScanner';

export interface WeightStats {
  readonly name: string;
  readonly count: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly std: number;
  /** Share of values that are exactly zero, 0…1. */
  readonly zeros: number;
  readonly nans: number;
  /** 32 equal-width bins over [min, max]. */
  readonly histogram: readonly number[];
  /** The first values, for a glance at the data. */
  readonly head: readonly number[];
  readonly ms: number;
}

const CHUNK_BYTES = 4 * 1024 * 1024;
const BINS = 32;
const HEAD = 16;

type Decoder = (bytes: Uint8Array, emit: (v: number) => void) => void;

function decoderFor(dtype: string): { size: number; decode: Decoder } | undefined {
  const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
  const fixed = (size: number, get: (v: DataView, o: number) => number) => ({
    size,
    decode: (b: Uint8Array, emit: (v: number) => void) => {
      const v = view(b);
      for (let o = 0; o + size <= b.length; o += size) emit(get(v, o));
    },
  });
  switch (dtype) {
    case 'float32':
      return {
        size: 4,
        decode: (b, emit) => {
          // Aligned fast path: a Float32Array over a copy is several times faster than DataView reads.
          const copy = b.byteOffset % 4 === 0 ? b : b.slice();
          const f = new Float32Array(copy.buffer, copy.byteOffset, Math.floor(copy.byteLength / 4));
          for (let i = 0; i < f.length; i++) emit(f[i]);
        },
      };
    case 'float64':
      return fixed(8, (v, o) => v.getFloat64(o, true));
    case 'float16':
      return fixed(2, (v, o) => halfToFloat(v.getUint16(o, true)));
    case 'bfloat16':
      return fixed(2, (v, o) => bfloatToFloat(v.getUint16(o, true)));
    case 'int8':
      return fixed(1, (v, o) => v.getInt8(o));
    case 'uint8':
    case 'bool':
      return fixed(1, (v, o) => v.getUint8(o));
    case 'int16':
      return fixed(2, (v, o) => v.getInt16(o, true));
    case 'uint16':
      return fixed(2, (v, o) => v.getUint16(o, true));
    case 'int32':
      return fixed(4, (v, o) => v.getInt32(o, true));
    case 'uint32':
      return fixed(4, (v, o) => v.getUint32(o, true));
    case 'int64':
      return fixed(8, (v, o) => Number(v.getBigInt64(o, true)));
    case 'uint64':
      return fixed(8, (v, o) => Number(v.getBigUint64(o, true)));
    default:
      return undefined;
  }
}

/** Calls `each` with consecutive chunks of the ranges' bytes (chunk boundaries fall on whole elements). */
function streamRanges(parts: readonly ByteRange[], elementSize: number, each: (chunk: Uint8Array) => void): void {
  const chunkBytes = Math.max(elementSize, Math.floor(CHUNK_BYTES / elementSize) * elementSize);
  let carry = new Uint8Array(0);
  for (const part of parts) {
    let fd: number;
    try {
      fd = fs.openSync(part.file, 'r');
    } catch (err) {
      throw inspectorError('unreadable', [part.file, err instanceof Error ? err.message : String(err)]);
    }
    try {
      let done = 0;
      while (done < part.length) {
        const want = Math.min(chunkBytes, part.length - done);
        const buf = new Uint8Array(carry.length + want);
        buf.set(carry);
        const n = fs.readSync(fd, buf, carry.length, want, part.offset + done);
        if (n === 0) throw inspectorReason('unreadable', 'endsEarly', [part.file, part.offset + part.length]);
        done += n;
        const usable = Math.floor((carry.length + n) / elementSize) * elementSize;
        each(buf.subarray(0, usable));
        carry = buf.slice(usable, carry.length + n);
      }
    } finally {
      fs.closeSync(fd);
    }
  }
}

/** Streams a packed varint field, keeping an unfinished varint across chunk boundaries. */
function streamVarints(part: ByteRange, emit: (v: number) => void): void {
  let value = 0n;
  let shift = 0n;
  streamRanges([part], 1, (chunk) => {
    for (const b of chunk) {
      value |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) {
        emit(Number(BigInt.asIntN(64, value)));
        value = 0n;
        shift = 0n;
      } else shift += 7n;
    }
  });
}

/** Visits every value of a weight in storage order. */
export function forEachValue(weight: WeightInfo, emit: (v: number) => void): void {
  const data = weight.data;
  switch (data.kind) {
    case 'inline':
      for (const v of data.values) emit(v);
      return;
    case 'bytes': {
      const dec = decoderFor(weight.dtype);
      if (!dec) throw inspectorReason('unreadable', 'notDecoded', [weight.name, weight.dtype]);
      streamRanges(data.parts, dec.size, (chunk) => dec.decode(chunk, emit));
      return;
    }
    case 'packed': {
      if (data.encoding === 'varint') {
        // float16/bfloat16 travel as their bit patterns in int32_data.
        const map = weight.dtype === 'float16' ? halfToFloat : weight.dtype === 'bfloat16' ? bfloatToFloat : (v: number) => v;
        streamVarints(data.part, (v) => emit(map(v)));
        return;
      }
      const dec = decoderFor(data.encoding === 'fixed32' ? 'float32' : 'float64')!;
      streamRanges([data.part], dec.size, (chunk) => dec.decode(chunk, emit));
      return;
    }
    case 'quantized': {
      const dec = decoderFor(data.storage)!;
      const scale = data.scale;
      const min = data.min;
      streamRanges(data.parts, dec.size, (chunk) => dec.decode(chunk, data.storage === 'float16' ? emit : (q) => emit(q * scale + min)));
      return;
    }
    case 'none':
      return;
  }
}

/**
 * Two passes over the weight's bytes: moments, extremes, zeros and the first values, then the histogram
 * over [min, max]. Memory stays at one chunk whatever the tensor's size.
 */
export function weightStatistics(weight: WeightInfo): WeightStats {
  const started = performance.now();
  let count = 0;
  let nans = 0;
  let zeros = 0;
  let min = Infinity;
  let max = -Infinity;
  // Welford's update keeps the variance accurate for tens of millions of values.
  let mean = 0;
  let m2 = 0;
  const head: number[] = [];
  forEachValue(weight, (v) => {
    if (head.length < HEAD) head.push(v);
    if (Number.isNaN(v)) {
      nans++;
      return;
    }
    count++;
    if (v === 0) zeros++;
    if (v < min) min = v;
    if (v > max) max = v;
    const d = v - mean;
    mean += d / count;
    m2 += d * (v - mean);
  });
  const histogram = new Array<number>(BINS).fill(0);
  if (count > 0) {
    const width = (max - min) / BINS;
    forEachValue(weight, (v) => {
      if (Number.isNaN(v)) return;
      const bin = width > 0 ? Math.min(BINS - 1, Math.floor((v - min) / width)) : 0;
      histogram[bin]++;
    });
  }
  const total = count + nans;
  return {
    name: weight.name,
    count: total,
    min: count > 0 ? min : NaN,
    max: count > 0 ? max : NaN,
    mean: count > 0 ? mean : NaN,
    std: count > 0 ? Math.sqrt(m2 / count) : NaN,
    zeros: total > 0 ? zeros / total : 0,
    nans,
    histogram,
    head,
    ms: performance.now() - started,
  };
}
