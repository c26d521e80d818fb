/**
 * ONNX element types: the `TensorProto.DataType` code, the name onnxruntime-node uses, and the bits per
 * element as stored in `raw_data`. No `vscode` import.
 */

interface DtypeEntry {
  readonly name: string;
  readonly bits: number;
}

const ONNX_DTYPES: Readonly<Record<number, DtypeEntry>> = {
  1: { name: 'float32', bits: 32 },
  2: { name: 'uint8', bits: 8 },
  3: { name: 'int8', bits: 8 },
  4: { name: 'uint16', bits: 16 },
  5: { name: 'int16', bits: 16 },
  6: { name: 'int32', bits: 32 },
  7: { name: 'int64', bits: 64 },
  8: { name: 'string', bits: 0 },
  9: { name: 'bool', bits: 8 },
  10: { name: 'float16', bits: 16 },
  11: { name: 'float64', bits: 64 },
  12: { name: 'uint32', bits: 32 },
  13: { name: 'uint64', bits: 64 },
  14: { name: 'complex64', bits: 64 },
  15: { name: 'complex128', bits: 128 },
  16: { name: 'bfloat16', bits: 16 },
  17: { name: 'float8e4m3fn', bits: 8 },
  18: { name: 'float8e4m3fnuz', bits: 8 },
  19: { name: 'float8e5m2', bits: 8 },
  20: { name: 'float8e5m2fnuz', bits: 8 },
  21: { name: 'uint4', bits: 4 },
  22: { name: 'int4', bits: 4 },
  23: { name: 'float4e2m1', bits: 4 },
};

export function onnxDtypeName(code: number): string {
  return ONNX_DTYPES[code]?.name ?? (code === 0 ? 'unknown' : `dtype ${code}`);
}

/** The ONNX code of a dtype name (for `Cast`'s `to` attribute, which holds a code). */
export function onnxDtypeCode(name: string): number | undefined {
  for (const [code, entry] of Object.entries(ONNX_DTYPES)) if (entry.name === name) return Number(code);
  return undefined;
}

/** Bytes that `elements` values of `dtype` take in raw little-endian storage (4-bit types round up). */
export function storedBytes(dtype: string, elements: number): number {
  const entry = Object.values(ONNX_DTYPES).find((e) => e.name === dtype);
  return entry ? Math.ceil((elements * entry.bits) / 8) : 0;
}

export function dtypeBits(dtype: string): number {
  return Object.values(ONNX_DTYPES).find((e) => e.name === dtype)?.bits ?? 0;
}
