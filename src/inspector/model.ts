/**
 * What the inspector knows about a model, as plain data: it crosses the worker boundary, goes to the webview
 * and is printed by `model-lab inspect --json`. Both formats (ONNX and TensorFlow.js model.json) are read into
 * this one shape. Weight values are never part of it: a weight carries only where its bytes are
 * ({@link TensorData}), and statistics are computed on demand (tensorStats.ts). No `vscode` import.
 */

/** A dimension: a size, a symbolic name (`batch_size`), or null when nothing is known. */
export type Dim = number | string | null;

export interface TensorType {
  /** onnxruntime-style element type name: float32, int64, uint8, … ('unknown' when not stated). */
  readonly dtype: string;
  /** Undefined when the rank itself is unknown. */
  readonly dims: readonly Dim[] | undefined;
}

export interface ValueInfo extends TensorType {
  readonly name: string;
}

/**
 * Where a tensor's values are, without the values: a byte range of a file (embedded `raw_data`, an external
 * `.onnx_data` file, a tfjs weight shard), or a packed repeated field (`float_data`, `int64_data`, …), or
 * values already decoded because they were tiny (shape constants).
 */
/** A byte range of a file. */
export interface ByteRange {
  readonly file: string;
  readonly offset: number;
  readonly length: number;
}

export type TensorData =
  /** Little-endian values in one or more byte ranges (a tfjs weight can span two shards). */
  | { readonly kind: 'bytes'; readonly parts: readonly ByteRange[] }
  /** A packed repeated protobuf field (`float_data`, `int64_data`, …). */
  | { readonly kind: 'packed'; readonly part: ByteRange; readonly encoding: 'fixed32' | 'fixed64' | 'varint' }
  /** Values decoded while scanning because they were tiny. */
  | { readonly kind: 'inline'; readonly values: readonly number[] }
  /** tfjs quantized weights: `value = q * scale + min` for uint8/uint16, or float16 bits. */
  | { readonly kind: 'quantized'; readonly parts: readonly ByteRange[]; readonly storage: 'uint8' | 'uint16' | 'float16'; readonly scale: number; readonly min: number }
  | { readonly kind: 'none' };

export interface WeightInfo {
  readonly name: string;
  readonly dtype: string;
  readonly dims: readonly number[];
  readonly elements: number;
  /** Bytes as stored. */
  readonly bytes: number;
  /** 'external' for `.onnx_data` / tfjs shards, 'embedded' for bytes inside model.onnx. */
  readonly location: 'embedded' | 'external';
  /** Counted as a parameter (see {@link isParameter}). */
  readonly parameter: boolean;
  readonly data: TensorData;
}

export interface AttributeInfo {
  readonly name: string;
  /** ONNX attribute type name (FLOAT, INTS, TENSOR, GRAPH, …) or 'json' for tfjs layer config values. */
  readonly type: string;
  /** A short display form of the value (tensors and graphs are summarized, not expanded). */
  readonly value: string;
  /** Integer and float values, for shape inference (ints, perm, axes…). */
  readonly numbers?: readonly number[];
  /** A tensor attribute (Constant's `value`): its type and where its values are. */
  readonly tensor?: { readonly dtype: string; readonly dims: readonly number[]; readonly data: TensorData };
}

export interface NodeInfo {
  /** Index in the flattened node list (main graph first, subgraph nodes after their parent, in order). */
  readonly index: number;
  readonly name: string;
  readonly opType: string;
  readonly domain: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: readonly AttributeInfo[];
  /** '' for the main graph; `<parent node name>/<attribute>` (nested with '/') inside If/Loop/Scan bodies. */
  readonly graph: string;
  /** Index of the node owning the subgraph, for nodes inside one. */
  readonly parent?: number;
}

export interface OpsetInfo {
  readonly domain: string;
  readonly version: number;
}

export interface DtypeTotal {
  readonly dtype: string;
  readonly tensors: number;
  readonly elements: number;
  readonly bytes: number;
}

/** Labels, task and preprocessing from a Hugging Face-layout config.json next to the model. */
export interface FolderConfig {
  readonly file: string;
  readonly modelType?: string;
  readonly architectures?: readonly string[];
  readonly task?: string;
  readonly labels?: readonly string[];
  readonly problemType?: string;
  readonly preprocessing?: string;
  /** Other files of the Hugging Face layout that are present (tokenizer, vocabulary, preprocessor config). */
  readonly companionFiles: readonly string[];
}

export interface ModelInspection {
  readonly format: 'onnx' | 'tfjs-layers' | 'tfjs-graph';
  readonly file: string;
  readonly fileBytes: number;
  /** Bytes of external data files (`.onnx_data`, tfjs shards) the weights point into. */
  readonly externalBytes: number;
  readonly externalFiles: readonly string[];
  readonly producer: string;
  readonly producerVersion: string;
  readonly irVersion?: number;
  readonly opsets: readonly OpsetInfo[];
  readonly graphName: string;
  readonly docString: string;
  readonly metadata: readonly { readonly key: string; readonly value: string }[];
  /** Graph inputs a caller feeds (initializer-backed inputs of old IR versions are left out). */
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
  readonly nodes: readonly NodeInfo[];
  readonly weights: readonly WeightInfo[];
  /** Sum of the elements of parameter weights (see {@link isParameter}). */
  readonly parameterCount: number;
  readonly byDtype: readonly DtypeTotal[];
  /** Shapes known for values (graph inputs, outputs, intermediate tensors), from the file and shape inference. */
  readonly valueTypes: Readonly<Record<string, TensorType>>;
  readonly config?: FolderConfig;
  /** Notes about things the inspector could not fully read (a subgraph op it does not infer, a tfjs layer). */
  readonly notes: readonly string[];
  /** Milliseconds to scan the file (for the bench and the log). */
  readonly scanMs: number;
  /** Bytes read from the model file to build this (bounded: weights are skipped). */
  readonly bytesRead: number;
}

const INTEGER_INDEX_TYPES = new Set(['int32', 'int64', 'uint32', 'uint64', 'string', 'bool']);

/**
 * Parameters are the values a model learned: every weight tensor with at least one dimension whose type is
 * a number type used for weights (float16/32/64, bfloat16, int8/uint8/int16/uint16 and 4-bit types). Scalars
 * (rank 0) and 32/64-bit integer tensors are constants the graph computes with (shapes, axes, indices), not
 * parameters. Quantization scales and zero points of an int8 model are parameters (they are stored per channel).
 */
export function isParameter(dtype: string, dims: readonly number[]): boolean {
  return dims.length > 0 && !INTEGER_INDEX_TYPES.has(dtype);
}

/** `[batch_size, 28, 28, 1]`, with `?` for unknown dimensions and `[?]` for unknown rank. */
export function formatDims(dims: readonly Dim[] | undefined): string {
  if (dims === undefined) return '[?]';
  return `[${dims.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;
}
