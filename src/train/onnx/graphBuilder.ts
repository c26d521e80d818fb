/**
 * A small, dependency-light ONNX graph builder on top of `onnx-proto`'s protobufjs static classes.
 *
 * It writes standard ONNX: IR version 8 (what onnx 1.10+ writes for opset ≤ 17; onnxruntime-node 1.30 reads
 * IR ≤ 10) and the default-domain opset 17 unless told otherwise. Initializers are stored as little-endian
 * `raw_data`, which is what PyTorch / Optimum write and what ORT loads fastest.
 *
 * No `vscode` import: used by the training scripts, the tests and the fixture builders.
 */
import { onnx } from 'onnx-proto';

/** Element types the exporter uses; names follow onnxruntime-node's tensor type names. */
export type OnnxElementType = 'float32' | 'int64' | 'int32' | 'int8' | 'uint8' | 'bool';

/** ONNX `TensorProto.DataType` codes. */
export const ONNX_DATA_TYPE: Readonly<Record<OnnxElementType, number>> = {
  float32: 1,
  uint8: 2,
  int8: 3,
  int32: 6,
  int64: 7,
  bool: 9,
};

/** A dimension: a fixed size, or a symbolic (dynamic) name such as `batch_size`, or null for an unnamed dynamic one. */
export type OnnxDim = number | string | null;

/** Typed arrays an initializer can hold; the element type follows from the array class. */
export type InitializerData = Float32Array | BigInt64Array | Int32Array | Int8Array | Uint8Array;

/**
 * Attribute values. Plain numbers are INT when they are integers and FLOAT otherwise; a float attribute whose
 * value happens to be an integer (e.g. `alpha = 1`) must be written as `{ float: 1 }`.
 */
export type OnnxAttributeValue =
  | number
  | string
  | number[]
  | { float: number }
  | { floats: number[] }
  | { ints: number[] }
  | { tensor: { data: InitializerData; dims: number[] } };

export type OnnxAttributes = Record<string, OnnxAttributeValue>;

export interface OnnxGraphBuilderOptions {
  /** Graph name stored in the model (informational). */
  graphName?: string;
  /** Default-domain opset; 17 unless given (LayerNormalization needs ≥ 17). */
  opset?: number;
  producerName?: string;
  producerVersion?: string;
  /** Free-form `metadata_props` (e.g. provenance). */
  metadata?: Record<string, string>;
}

const IR_VERSION = 8;

/** Element type of a typed array. */
export function elementTypeOf(data: InitializerData): OnnxElementType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof BigInt64Array) return 'int64';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Int8Array) return 'int8';
  return 'uint8';
}

/** A `TensorProto` with `raw_data` (little-endian, as ONNX requires; x64 and arm64 are little-endian). */
export function makeTensorProto(name: string, data: InitializerData, dims: readonly number[]): onnx.TensorProto {
  const expected = dims.reduce((a, b) => a * b, 1);
  if (expected !== data.length) {
    throw new Error(`Tensor "${name}": dims [${dims.join(', ')}] hold ${expected} values but the data has ${data.length}.`);
  }
  return onnx.TensorProto.create({
    name,
    dims: [...dims],
    dataType: ONNX_DATA_TYPE[elementTypeOf(data)],
    rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  });
}

function makeValueInfo(name: string, elemType: OnnxElementType, dims: readonly OnnxDim[]): onnx.ValueInfoProto {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType: ONNX_DATA_TYPE[elemType],
        shape: {
          dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : typeof d === 'string' ? { dimParam: d } : {})),
        },
      },
    },
  });
}

function makeAttribute(name: string, value: OnnxAttributeValue): onnx.AttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof value === 'number') {
    return Number.isInteger(value)
      ? onnx.AttributeProto.create({ name, type: T.INT, i: value })
      : onnx.AttributeProto.create({ name, type: T.FLOAT, f: value });
  }
  if (typeof value === 'string') {
    return onnx.AttributeProto.create({ name, type: T.STRING, s: new TextEncoder().encode(value) });
  }
  if (Array.isArray(value)) {
    if (!value.every(Number.isInteger)) throw new Error(`Attribute "${name}": use { floats: [...] } for float lists.`);
    return onnx.AttributeProto.create({ name, type: T.INTS, ints: value });
  }
  if ('float' in value) return onnx.AttributeProto.create({ name, type: T.FLOAT, f: value.float });
  if ('floats' in value) return onnx.AttributeProto.create({ name, type: T.FLOATS, floats: value.floats });
  if ('ints' in value) return onnx.AttributeProto.create({ name, type: T.INTS, ints: value.ints });
  return onnx.AttributeProto.create({ name, type: T.TENSOR, t: makeTensorProto(name, value.tensor.data, value.tensor.dims) });
}

/**
 * Builds one ONNX graph. Typical use:
 * ```ts
 * const g = new OnnxGraphBuilder({ graphName: 'cnn' });
 * g.addInput('input', 'float32', ['batch_size', 28, 28, 1]);
 * const w = g.addInitializer('conv.weight', weights, [32, 1, 3, 3]);
 * g.addNode('Conv', ['x_nchw', w], ['conv_out'], { kernel_shape: [3, 3] });
 * g.addOutput('probabilities', 'float32', ['batch_size', 10]);
 * const bytes = g.toBytes();
 * ```
 */
export class OnnxGraphBuilder {
  private readonly nodes: onnx.NodeProto[] = [];
  private readonly initializers: onnx.TensorProto[] = [];
  private readonly inputs: onnx.ValueInfoProto[] = [];
  private readonly outputs: onnx.ValueInfoProto[] = [];
  private readonly usedNames = new Set<string>();
  private readonly domains = new Map<string, number>();
  private nodeCounter = 0;

  constructor(private readonly options: OnnxGraphBuilderOptions = {}) {
    this.domains.set('', options.opset ?? 17);
  }

  /** Declares a graph input. Symbolic dims (strings) become dynamic axes ORT accepts any size for. */
  addInput(name: string, elemType: OnnxElementType, dims: readonly OnnxDim[]): string {
    this.claim(name);
    this.inputs.push(makeValueInfo(name, elemType, dims));
    return name;
  }

  /** Declares a graph output (the tensor of that name must be produced by some node). */
  addOutput(name: string, elemType: OnnxElementType, dims: readonly OnnxDim[]): string {
    this.outputs.push(makeValueInfo(name, elemType, dims));
    return name;
  }

  /** Adds a constant tensor; returns its name for use as a node input. */
  addInitializer(name: string, data: InitializerData, dims: readonly number[]): string {
    this.claim(name);
    this.initializers.push(makeTensorProto(name, data, dims));
    return name;
  }

  /** Shorthand for small constants (shapes, axes, scalars): a fresh unique name derived from `hint`. */
  addConstant(hint: string, data: InitializerData, dims: readonly number[]): string {
    return this.addInitializer(this.uniqueName(hint), data, dims);
  }

  /**
   * Adds a node. Returns its output names. `domain` is '' (ai.onnx) unless given, e.g. 'com.microsoft'; a
   * non-default domain is declared in the model's opset imports at version `domainVersion` (default 1).
   */
  addNode(
    opType: string,
    inputs: readonly string[],
    outputs: readonly string[],
    attributes: OnnxAttributes = {},
    opts: { name?: string; domain?: string; domainVersion?: number } = {},
  ): string[] {
    const domain = opts.domain ?? '';
    if (domain && !this.domains.has(domain)) this.domains.set(domain, opts.domainVersion ?? 1);
    for (const out of outputs) this.claim(out);
    this.nodes.push(
      onnx.NodeProto.create({
        name: opts.name ?? `${opType}_${this.nodeCounter++}`,
        opType,
        domain,
        input: [...inputs],
        output: [...outputs],
        attribute: Object.entries(attributes).map(([k, v]) => makeAttribute(k, v)),
      }),
    );
    return [...outputs];
  }

  /**
   * Adds a single-output node whose output gets a fresh unique name derived from `hint` (or the op type).
   * The common case when wiring a graph: `const y = g.op('Relu', [x]);`
   */
  op(opType: string, inputs: readonly string[], attributes: OnnxAttributes = {}, hint?: string): string {
    const out = this.uniqueName(hint ?? opType.toLowerCase());
    this.addNode(opType, inputs, [out], attributes);
    return out;
  }

  /** A name not used yet in this graph: `hint`, else `hint_1`, `hint_2`, … */
  uniqueName(hint: string): string {
    if (!this.usedNames.has(hint)) return hint;
    for (let i = 1; ; i++) {
      const candidate = `${hint}_${i}`;
      if (!this.usedNames.has(candidate)) return candidate;
    }
  }

  /** The assembled `ModelProto` (for callers who want to post-process it). */
  toModelProto(): onnx.ModelProto {
    return onnx.ModelProto.create({
      irVersion: IR_VERSION,
      producerName: this.options.producerName ?? 'model-lab',
      producerVersion: this.options.producerVersion ?? '0.1.0',
      opsetImport: [...this.domains].map(([domain, version]) => ({ domain, version })),
      metadataProps: Object.entries(this.options.metadata ?? {}).map(([key, value]) => ({ key, value })),
      graph: {
        name: this.options.graphName ?? 'model_lab_graph',
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    });
  }

  /** Serialised `.onnx` bytes. */
  toBytes(): Uint8Array {
    return encodeModel(this.toModelProto());
  }

  private claim(name: string): void {
    if (this.usedNames.has(name)) throw new Error(`ONNX graph: the name "${name}" is already used.`);
    this.usedNames.add(name);
  }
}

/** Serialises a model proto to `.onnx` bytes. */
export function encodeModel(model: onnx.IModelProto): Uint8Array {
  return onnx.ModelProto.encode(model).finish();
}

/** Parses `.onnx` bytes. */
export function decodeModel(bytes: Uint8Array): onnx.ModelProto {
  return onnx.ModelProto.decode(bytes);
}

/** protobufjs returns int64 fields as `Long` objects when the `long` package is present, else as numbers. */
export function int64ToNumber(value: number | { toNumber(): number } | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}

/** Reads a float32 initializer's values whether stored as `raw_data` or as `float_data`. */
export function tensorProtoToFloat32(t: onnx.ITensorProto): Float32Array {
  if (t.dataType !== ONNX_DATA_TYPE.float32) throw new Error(`Tensor "${t.name}" is not float32 (data type ${t.dataType}).`);
  if (t.rawData && t.rawData.length > 0) {
    // Copy into an aligned buffer: raw_data from a decoder can start at any byte offset.
    const copy = new Uint8Array(t.rawData.length);
    copy.set(t.rawData);
    return new Float32Array(copy.buffer);
  }
  return Float32Array.from(t.floatData ?? []);
}
