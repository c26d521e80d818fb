/**
 * Scans an ONNX file with the wire-format reader: the model's header, graph, nodes (subgraphs included),
 * value types and, for each initializer, its name, type, shape and the byte range of its values, never the
 * values themselves (tiny shape constants excepted). Field numbers are those of onnx/onnx.proto3.
 * No `vscode` import.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { onnxDtypeName, storedBytes } from './dtypes';
import { inspectorError, inspectorReason, type inspectorReasonTemplates } from './errors';

type NotOnnxReason = keyof (typeof inspectorReasonTemplates)['notOnnx'];
import { isPathWithin } from '../common/insideFolder';
import { statModelFile } from './folder';
import { isParameter, type AttributeInfo, type Dim, type NodeInfo, type OpsetInfo, type TensorData, type TensorType, type ValueInfo, type WeightInfo } from './model';
import { FileSource, WIRE_FIXED32, WIRE_LENGTH, WIRE_VARINT, WireReader } from './protoReader';

/** Protobuf cannot hold a message over 2 GiB; larger .onnx files are not valid models. */
export const MAX_ONNX_FILE_BYTES = 2 * 1024 ** 3;

/** Values of tensors up to this many bytes are decoded while scanning (shape constants, scalars). */
const INLINE_BYTES = 256;

export interface ScannedOnnx {
  readonly irVersion: number;
  readonly producer: string;
  readonly producerVersion: string;
  readonly opsets: OpsetInfo[];
  readonly graphName: string;
  readonly docString: string;
  readonly metadata: { key: string; value: string }[];
  /** Graph inputs without the ones an initializer backs. */
  readonly inputs: ValueInfo[];
  readonly outputs: ValueInfo[];
  /** value_info and subgraph inputs/outputs as stated in the file. */
  readonly declaredTypes: Map<string, TensorType>;
  readonly nodes: NodeInfo[];
  readonly weights: WeightInfo[];
  readonly externalFiles: string[];
  readonly notes: string[];
  readonly bytesRead: number;
  readonly fileBytes: number;
}

interface RawTensor {
  name: string;
  dtypeCode: number;
  dims: number[];
  data: TensorData;
  /** Bytes of the values as stored (raw_data length, packed field length, external length). */
  storedLength: number;
  /** raw_data's position and length, when the tensor has raw_data (checked against the shape). */
  rawOffset?: number;
  rawLength?: number;
  external?: { location: string; offset: number; length: number | undefined };
}

/** ModelProto's fields and wire types: a file that does not begin with one of these is not ONNX. */
const MODEL_FIELDS: Readonly<Record<number, number>> = { 1: WIRE_VARINT, 2: WIRE_LENGTH, 3: WIRE_LENGTH, 4: WIRE_LENGTH, 5: WIRE_VARINT, 6: WIRE_LENGTH, 7: WIRE_LENGTH, 8: WIRE_LENGTH, 14: WIRE_LENGTH, 20: WIRE_LENGTH, 25: WIRE_LENGTH };

const ATTRIBUTE_TYPES = ['UNDEFINED', 'FLOAT', 'INT', 'STRING', 'TENSOR', 'GRAPH', 'FLOATS', 'INTS', 'STRINGS', 'TENSORS', 'GRAPHS', 'SPARSE_TENSOR', 'SPARSE_TENSORS', 'TYPE_PROTO', 'TYPE_PROTOS'];

/** What a file that is not ONNX looks like, from its first bytes, for the "not ONNX" sentence. */
/** What the file is instead, when its first bytes say it is something else: a key of the `notOnnx` reasons. */
export function sniffNotOnnx(head: Uint8Array): NotOnnxReason | undefined {
  const ascii = new TextDecoder('latin1').decode(head.subarray(0, 16));
  if (ascii.startsWith('\x89PNG')) return 'png';
  if (ascii.startsWith('\xff\xd8\xff')) return 'jpeg';
  if (ascii.startsWith('PK\x03\x04')) return 'zip';
  if (ascii.startsWith('\x89HDF')) return 'hdf5';
  if (ascii.startsWith('TFL3') || ascii.slice(4, 8) === 'TFL3') return 'tflite';
  if (ascii.startsWith('GGUF')) return 'gguf';
  if (/^\s*[{[]/.test(ascii)) return 'json';
  if (head.length > 0 && [...head.subarray(0, 64)].every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127))) return 'text';
  return undefined;
}

export function scanOnnxFile(file: string): ScannedOnnx {
  const stat = statModelFile(file);
  if (stat.size > MAX_ONNX_FILE_BYTES) throw inspectorError('tooLarge', [file, (stat.size / 1024 ** 3).toFixed(2)]);
  let source: FileSource;
  try {
    source = new FileSource(file);
  } catch (err) {
    throw inspectorError('unreadable', [file, err instanceof Error ? err.message : String(err)]);
  }
  try {
    const sniffed = sniffNotOnnx(source.read(0, Math.min(64, source.size)));
    if (sniffed) throw inspectorReason('notOnnx', sniffed, [file]);
    return new OnnxScan(source, file).model();
  } finally {
    source.close();
  }
}

class OnnxScan {
  private readonly dir: string;
  private readonly realDir: string;
  private readonly nodes: NodeInfo[] = [];
  private readonly weights: WeightInfo[] = [];
  private readonly declaredTypes = new Map<string, TensorType>();
  private readonly externalFiles = new Set<string>();
  private readonly notes: string[] = [];

  constructor(
    private readonly source: FileSource,
    private readonly file: string,
  ) {
    this.dir = path.dirname(path.resolve(file));
    this.realDir = fs.realpathSync(this.dir);
  }

  model(): ScannedOnnx {
    const r = new WireReader(this.source, this.file, 0, this.source.size, 'the ModelProto');
    let irVersion = 0;
    let producer = '';
    let producerVersion = '';
    let docString = '';
    const opsets: OpsetInfo[] = [];
    const metadata: { key: string; value: string }[] = [];
    let graph: { name: string; docString: string; inputs: ValueInfo[]; outputs: ValueInfo[] } | undefined;
    let first = true;
    while (!r.done) {
      const at = r.pos;
      let tag: { field: number; wire: number };
      try {
        tag = r.tag();
      } catch (err) {
        if (first) throw inspectorReason('notOnnx', 'notProtobuf', [this.file]);
        throw err;
      }
      if (first && MODEL_FIELDS[tag.field] !== tag.wire) {
        throw inspectorReason('notOnnx', 'foreignField', [this.file, tag.field]);
      }
      first = false;
      switch (tag.field) {
        case 1:
          r.expectWire(tag.wire, WIRE_VARINT);
          irVersion = r.varint();
          break;
        case 2:
          producer = this.stringField(r, tag.wire);
          break;
        case 3:
          producerVersion = this.stringField(r, tag.wire);
          break;
        case 6:
          docString = this.stringField(r, tag.wire);
          break;
        case 7:
          r.expectWire(tag.wire, WIRE_LENGTH);
          graph = this.graph(r.message('the GraphProto'), '', undefined);
          break;
        case 8:
          r.expectWire(tag.wire, WIRE_LENGTH);
          opsets.push(this.opset(r.message('an OperatorSetIdProto')));
          break;
        case 14:
          r.expectWire(tag.wire, WIRE_LENGTH);
          metadata.push(this.entry(r.message('a metadata entry')));
          break;
        case 25:
          this.notes.push('The model defines local functions; their bodies are not listed.');
          r.skip(tag.wire);
          break;
        default:
          if (r.pos === at) r.corrupt(at, 'a field that cannot be read');
          r.skip(tag.wire);
      }
    }
    if (!graph) throw inspectorReason('notOnnx', 'noGraph', [this.file]);
    const initializerNames = new Set(this.weights.map((w) => w.name));
    return {
      irVersion,
      producer,
      producerVersion,
      opsets,
      graphName: graph.name,
      docString,
      metadata,
      inputs: graph.inputs.filter((i) => !initializerNames.has(i.name)),
      outputs: graph.outputs,
      declaredTypes: this.declaredTypes,
      nodes: this.nodes,
      weights: this.weights,
      externalFiles: [...this.externalFiles],
      notes: this.notes,
      bytesRead: this.source.bytesRead,
      fileBytes: this.source.size,
    };
  }

  private stringField(r: WireReader, wire: number): string {
    r.expectWire(wire, WIRE_LENGTH);
    return r.string();
  }

  private opset(r: WireReader): OpsetInfo {
    let domain = '';
    let version = 0;
    while (!r.done) {
      const { field, wire } = r.tag();
      if (field === 1) domain = this.stringField(r, wire);
      else if (field === 2 && wire === WIRE_VARINT) version = r.varint();
      else r.skip(wire);
    }
    return { domain, version };
  }

  private entry(r: WireReader): { key: string; value: string } {
    let key = '';
    let value = '';
    while (!r.done) {
      const { field, wire } = r.tag();
      if (field === 1) key = this.stringField(r, wire);
      else if (field === 2) value = this.stringField(r, wire);
      else r.skip(wire);
    }
    return { key, value };
  }

  private graph(r: WireReader, graphPath: string, parent: number | undefined): { name: string; docString: string; inputs: ValueInfo[]; outputs: ValueInfo[] } {
    let name = '';
    let docString = '';
    const inputs: ValueInfo[] = [];
    const outputs: ValueInfo[] = [];
    // Nodes are read after the graph's other fields so subgraph nodes follow their parent in the list.
    const nodeReaders: WireReader[] = [];
    while (!r.done) {
      const { field, wire } = r.tag();
      switch (field) {
        case 1:
          r.expectWire(wire, WIRE_LENGTH);
          nodeReaders.push(r.message('a NodeProto'));
          break;
        case 2:
          name = this.stringField(r, wire);
          break;
        case 5: {
          r.expectWire(wire, WIRE_LENGTH);
          this.weights.push(this.weight(this.tensor(r.message('an initializer TensorProto'))));
          break;
        }
        case 10:
          docString = this.stringField(r, wire);
          break;
        case 11:
        case 12:
        case 13: {
          r.expectWire(wire, WIRE_LENGTH);
          const vi = this.valueInfo(r.message('a ValueInfoProto'));
          if (field === 11) inputs.push(vi);
          else if (field === 12) outputs.push(vi);
          this.declaredTypes.set(vi.name, { dtype: vi.dtype, dims: vi.dims });
          break;
        }
        case 15:
          this.notes.push(`Sparse initializers${graphPath ? ` in ${graphPath}` : ''} are not listed.`);
          r.skip(wire);
          break;
        default:
          r.skip(wire);
      }
    }
    for (const nr of nodeReaders) this.node(nr, graphPath, parent);
    for (const vi of [...inputs, ...outputs]) this.declaredTypes.set(vi.name, { dtype: vi.dtype, dims: vi.dims });
    return { name, docString, inputs, outputs };
  }

  private node(r: WireReader, graphPath: string, parent: number | undefined): void {
    const inputs: string[] = [];
    const outputs: string[] = [];
    let name = '';
    let opType = '';
    let domain = '';
    const attributeReaders: WireReader[] = [];
    while (!r.done) {
      const { field, wire } = r.tag();
      if (field === 1) inputs.push(this.stringField(r, wire));
      else if (field === 2) outputs.push(this.stringField(r, wire));
      else if (field === 3) name = this.stringField(r, wire);
      else if (field === 4) opType = this.stringField(r, wire);
      else if (field === 7) domain = this.stringField(r, wire);
      else if (field === 5) {
        r.expectWire(wire, WIRE_LENGTH);
        attributeReaders.push(r.message('an AttributeProto'));
      } else r.skip(wire);
    }
    const index = this.nodes.length;
    const displayName = name || `${opType}_${index}`;
    const attributes: AttributeInfo[] = [];
    const subgraphs: { attr: string; reader: WireReader }[] = [];
    for (const ar of attributeReaders) attributes.push(this.attribute(ar, subgraphs));
    this.nodes.push({ index, name: displayName, opType, domain: domain === 'ai.onnx' ? '' : domain, inputs, outputs, attributes, graph: graphPath, ...(parent !== undefined ? { parent } : {}) });
    for (const sg of subgraphs) {
      this.graph(sg.reader, `${graphPath ? `${graphPath}/` : ''}${displayName}/${sg.attr}`, index);
    }
  }

  private attribute(r: WireReader, subgraphs: { attr: string; reader: WireReader }[]): AttributeInfo {
    let name = '';
    let type = 0;
    const numbers: number[] = [];
    const strings: string[] = [];
    let tensor: RawTensor | undefined;
    let graphs = 0;
    let refAttr = '';
    const pendingGraphs: WireReader[] = [];
    while (!r.done) {
      const { field, wire } = r.tag();
      switch (field) {
        case 1:
          name = this.stringField(r, wire);
          break;
        case 20:
          type = r.varint();
          break;
        case 2:
          r.expectWire(wire, WIRE_FIXED32);
          numbers.push(r.fixed32Float());
          break;
        case 3:
          r.expectWire(wire, WIRE_VARINT);
          numbers.push(this.signed(r));
          break;
        case 4:
        case 9:
          strings.push(this.stringField(r, wire));
          break;
        case 5:
          r.expectWire(wire, WIRE_LENGTH);
          tensor = this.tensor(r.message('an attribute TensorProto'));
          break;
        case 6:
        case 11:
          r.expectWire(wire, WIRE_LENGTH);
          pendingGraphs.push(r.message('a subgraph GraphProto'));
          graphs++;
          break;
        case 7:
          if (wire === WIRE_FIXED32) numbers.push(r.fixed32Float());
          else {
            r.expectWire(wire, WIRE_LENGTH);
            const sub = r.message('an attribute float list');
            while (!sub.done) numbers.push(sub.fixed32Float());
          }
          break;
        case 8:
          if (wire === WIRE_VARINT) numbers.push(this.signed(r));
          else {
            r.expectWire(wire, WIRE_LENGTH);
            const sub = r.message('an attribute int list');
            while (!sub.done) numbers.push(this.signed(sub));
          }
          break;
        case 21:
          refAttr = this.stringField(r, wire);
          break;
        default:
          r.skip(wire);
      }
    }
    pendingGraphs.forEach((reader, i) => subgraphs.push({ attr: pendingGraphs.length > 1 ? `${name}[${i}]` : name, reader }));
    const typeName = ATTRIBUTE_TYPES[type] ?? `type ${type}`;
    let value: string;
    if (refAttr) value = `@${refAttr}`;
    else if (tensor) value = `tensor ${onnxDtypeName(tensor.dtypeCode)} [${tensor.dims.join(', ')}]${tensor.data.kind === 'inline' && tensor.data.values.length <= 8 ? ` = ${formatValues(tensor.data.values)}` : ''}`;
    else if (graphs > 0) value = graphs === 1 ? 'graph' : `${graphs} graphs`;
    else if (typeName === 'STRING' || typeName === 'STRINGS' || (strings.length > 0 && numbers.length === 0)) value = typeName === 'STRINGS' ? `[${strings.map((s) => JSON.stringify(s)).join(', ')}]` : (strings[0] ?? '');
    else if (typeName === 'INTS' || typeName === 'FLOATS') value = `[${formatValues(numbers)}]`;
    else value = numbers.length > 0 ? formatValues(numbers) : '';
    return {
      name,
      type: typeName,
      value,
      ...(numbers.length > 0 ? { numbers } : {}),
      ...(tensor ? { tensor: { dtype: onnxDtypeName(tensor.dtypeCode), dims: tensor.dims, data: tensor.data } } : {}),
    };
  }

  /** An int64 varint that may be negative (axis = -1 is a 10-byte varint). */
  private signed(r: WireReader): number {
    return r.varint();
  }

  private valueInfo(r: WireReader): ValueInfo {
    let name = '';
    let type: TensorType = { dtype: 'unknown', dims: undefined };
    while (!r.done) {
      const { field, wire } = r.tag();
      if (field === 1) name = this.stringField(r, wire);
      else if (field === 2) {
        r.expectWire(wire, WIRE_LENGTH);
        type = this.typeProto(r.message('a TypeProto'));
      } else r.skip(wire);
    }
    return { name, ...type };
  }

  private typeProto(r: WireReader): TensorType {
    let result: TensorType = { dtype: 'unknown', dims: undefined };
    while (!r.done) {
      const { field, wire } = r.tag();
      if ((field === 1 || field === 8) && wire === WIRE_LENGTH) result = this.tensorType(r.message('a tensor type'));
      else if ((field === 4 || field === 9) && wire === WIRE_LENGTH) {
        // sequence_type / optional_type wrap another TypeProto in field 1.
        const inner = r.message('a sequence type');
        let elem: TensorType = { dtype: 'unknown', dims: undefined };
        while (!inner.done) {
          const t = inner.tag();
          if (t.field === 1 && t.wire === WIRE_LENGTH) elem = this.typeProto(inner.message('a TypeProto'));
          else inner.skip(t.wire);
        }
        result = { dtype: `${field === 4 ? 'sequence' : 'optional'}<${elem.dtype}>`, dims: undefined };
      } else if (field === 5 && wire === WIRE_LENGTH) {
        r.skip(wire);
        result = { dtype: 'map', dims: undefined };
      } else r.skip(wire);
    }
    return result;
  }

  private tensorType(r: WireReader): TensorType {
    let dtype = 'unknown';
    let dims: Dim[] | undefined;
    while (!r.done) {
      const { field, wire } = r.tag();
      if (field === 1 && wire === WIRE_VARINT) dtype = onnxDtypeName(r.varint());
      else if (field === 2 && wire === WIRE_LENGTH) {
        dims = [];
        const shape = r.message('a TensorShapeProto');
        while (!shape.done) {
          const t = shape.tag();
          if (t.field !== 1 || t.wire !== WIRE_LENGTH) {
            shape.skip(t.wire);
            continue;
          }
          const dr = shape.message('a dimension');
          let dim: Dim = null;
          while (!dr.done) {
            const d = dr.tag();
            if (d.field === 1 && d.wire === WIRE_VARINT) dim = dr.varint();
            else if (d.field === 2 && d.wire === WIRE_LENGTH) dim = dr.string() || null;
            else dr.skip(d.wire);
          }
          dims.push(typeof dim === 'number' && dim < 0 ? null : dim);
        }
      } else r.skip(wire);
    }
    return { dtype, dims };
  }

  private tensor(r: WireReader): RawTensor {
    let name = '';
    let dtypeCode = 0;
    const dims: number[] = [];
    let data: TensorData = { kind: 'none' };
    let storedLength = 0;
    let dataLocation = 0;
    const externalEntries: { key: string; value: string }[] = [];
    const inlineValues: number[] = [];
    let rawOffset: number | undefined;
    let rawLength: number | undefined;
    const packed = (encoding: 'fixed32' | 'fixed64' | 'varint', wire: number, field: number): void => {
      if (wire === WIRE_LENGTH) {
        const { offset, length } = r.range();
        storedLength += length;
        if (data.kind === 'packed' || inlineValues.length > 0) this.notes.push(`Tensor "${name}" splits field ${field} into several parts; its statistics may be incomplete.`);
        else data = { kind: 'packed', part: { file: this.file, offset, length }, encoding };
      } else if (encoding === 'fixed32') inlineValues.push(r.fixed32Float());
      else if (encoding === 'fixed64') inlineValues.push(r.fixed64Double());
      else inlineValues.push(r.varint());
    };
    while (!r.done) {
      const { field, wire } = r.tag();
      switch (field) {
        case 1:
          r.repeatedVarint(wire, dims);
          break;
        case 2:
          r.expectWire(wire, WIRE_VARINT);
          dtypeCode = r.varint();
          break;
        case 8:
          name = this.stringField(r, wire);
          break;
        case 9: {
          r.expectWire(wire, WIRE_LENGTH);
          const { offset, length } = r.range();
          storedLength = length;
          rawOffset = offset;
          rawLength = length;
          data = { kind: 'bytes', parts: [{ file: this.file, offset, length }] };
          break;
        }
        case 4:
          packed('fixed32', wire, field);
          break;
        case 10:
          packed('fixed64', wire, field);
          break;
        case 5:
        case 7:
        case 11:
          packed('varint', wire, field);
          break;
        case 13:
          r.expectWire(wire, WIRE_LENGTH);
          externalEntries.push(this.entry(r.message('an external data entry')));
          break;
        case 14:
          r.expectWire(wire, WIRE_VARINT);
          dataLocation = r.varint();
          break;
        default:
          r.skip(wire);
      }
    }
    if (inlineValues.length > 0 && data.kind === 'none') data = { kind: 'inline', values: inlineValues };
    // `packed` assigns `data` inside a closure, which TypeScript's narrowing does not see.
    data = data as TensorData;
    const tensor: RawTensor = { name, dtypeCode, dims: dims.map((d) => (d < 0 ? 0 : d)), data, storedLength, rawOffset, rawLength };
    if (dataLocation === 1) {
      const get = (k: string) => externalEntries.find((e) => e.key === k)?.value;
      const location = get('location') ?? '';
      const offset = Number(get('offset') ?? '0');
      const lengthText = get('length');
      tensor.external = { location, offset, length: lengthText === undefined ? undefined : Number(lengthText) };
    } else if (data.kind === 'bytes' && data.parts[0].length <= INLINE_BYTES) {
      const values = decodeRaw(this.source.read(data.parts[0].offset, data.parts[0].length), onnxDtypeName(dtypeCode));
      if (values) tensor.data = { kind: 'inline', values };
    } else if (data.kind === 'packed' && data.part.length <= INLINE_BYTES) {
      tensor.data = { kind: 'inline', values: decodePacked(this.source.read(data.part.offset, data.part.length), data.encoding) };
    }
    return tensor;
  }

  private weight(t: RawTensor): WeightInfo {
    const dtype = onnxDtypeName(t.dtypeCode);
    const elements = t.dims.reduce((a, b) => a * b, 1);
    const expectedBytes = storedBytes(dtype, elements);
    let data = t.data;
    let bytes = t.storedLength;
    let location: 'embedded' | 'external' = 'embedded';
    if (t.external) {
      const target = this.externalTarget(t.name, t.external.location);
      const length = t.external.length ?? expectedBytes;
      let size: number;
      try {
        size = fs.statSync(target).size;
      } catch {
        throw inspectorError('externalMissing', [t.name, this.file, t.external.location]);
      }
      if (t.external.offset + length > size) throw inspectorError('externalShort', [target, String(size), t.name, String(t.external.offset + length)]);
      this.externalFiles.add(target);
      data = { kind: 'bytes', parts: [{ file: target, offset: t.external.offset, length }] };
      bytes = length;
      location = 'external';
    } else {
      // raw_data or a packed field: what the file holds; unpacked repeated values: what they take as raw data.
      bytes = t.storedLength > 0 ? t.storedLength : expectedBytes;
      if (t.rawLength !== undefined && expectedBytes > 0 && t.rawLength !== expectedBytes) {
        throw inspectorReason('corrupt', 'weightBytes', [this.file, String(t.rawOffset ?? 0), t.name, t.rawLength, t.dims.join(', '), dtype, expectedBytes]);
      }
    }
    return { name: t.name, dtype, dims: t.dims, elements, bytes, location, parameter: isParameter(dtype, t.dims), data };
  }

  /** Resolves an external data location, refusing anything outside the model's folder (symlinks included). */
  private externalTarget(weight: string, location: string): string {
    const target = path.resolve(this.dir, location);
    if (!location || path.isAbsolute(location) || !isPathWithin(this.dir, target)) throw inspectorError('externalOutside', [weight, this.file, location || '(no location)']);
    let real: string;
    try {
      real = fs.realpathSync(target);
    } catch {
      throw inspectorError('externalMissing', [weight, this.file, location]);
    }
    if (!isPathWithin(this.realDir, real)) throw inspectorError('externalOutside', [weight, this.file, location]);
    return target;
  }
}

function formatValues(values: readonly number[]): string {
  const shown = values.slice(0, 16).map((v) => (Number.isInteger(v) ? String(v) : Number(v.toPrecision(6)).toString()));
  return values.length > 16 ? `${shown.join(', ')}, … (${values.length})` : shown.join(', ');
}

/** Decodes little-endian raw bytes of a numeric dtype (undefined for types the inspector does not decode). */
export function decodeRaw(bytes: Uint8Array, dtype: string): number[] | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: number[] = [];
  const each = (size: number, get: (o: number) => number) => {
    for (let o = 0; o + size <= bytes.length; o += size) out.push(get(o));
  };
  switch (dtype) {
    case 'float32':
      each(4, (o) => view.getFloat32(o, true));
      break;
    case 'float64':
      each(8, (o) => view.getFloat64(o, true));
      break;
    case 'int64':
      each(8, (o) => Number(view.getBigInt64(o, true)));
      break;
    case 'uint64':
      each(8, (o) => Number(view.getBigUint64(o, true)));
      break;
    case 'int32':
      each(4, (o) => view.getInt32(o, true));
      break;
    case 'uint32':
      each(4, (o) => view.getUint32(o, true));
      break;
    case 'int16':
      each(2, (o) => view.getInt16(o, true));
      break;
    case 'uint16':
      each(2, (o) => view.getUint16(o, true));
      break;
    case 'float16':
      each(2, (o) => halfToFloat(view.getUint16(o, true)));
      break;
    case 'bfloat16':
      each(2, (o) => bfloatToFloat(view.getUint16(o, true)));
      break;
    case 'int8':
      each(1, (o) => view.getInt8(o));
      break;
    case 'uint8':
    case 'bool':
      each(1, (o) => view.getUint8(o));
      break;
    default:
      return undefined;
  }
  return out;
}

export function decodePacked(bytes: Uint8Array, encoding: 'fixed32' | 'fixed64' | 'varint'): number[] {
  if (encoding === 'fixed32') return decodeRaw(bytes, 'float32') ?? [];
  if (encoding === 'fixed64') return decodeRaw(bytes, 'float64') ?? [];
  const out: number[] = [];
  let value = 0n;
  let shift = 0n;
  for (const b of bytes) {
    value |= BigInt(b & 0x7f) << shift;
    if (b < 0x80) {
      out.push(Number(BigInt.asIntN(64, value)));
      value = 0n;
      shift = 0n;
    } else shift += 7n;
  }
  return out;
}

export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

export function bfloatToFloat(b: number): number {
  const buf = new DataView(new ArrayBuffer(4));
  buf.setUint32(0, b << 16, false);
  return buf.getFloat32(0, false);
}
