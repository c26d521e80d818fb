/**
 * Reads a TensorFlow.js `model.json` (layers or graph model) into the inspector's model shape: one node per
 * layer (or GraphDef node), inputs and outputs, and for each weight of the manifest the byte ranges of its
 * values in the weight shards. Every shard path must stay inside the model's folder, and the shards must
 * hold every byte the manifest names; nothing is read from the shards here. No `vscode` import.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isFileInputError, MODEL_FILE_LIMITS, readTextFileBoundedSync } from '../common/fileInput';
import { inspectorError, inspectorReason } from './errors';
import { isPathWithin } from '../common/insideFolder';
import { statModelFile } from './folder';
import { isParameter, type AttributeInfo, type ByteRange, type Dim, type NodeInfo, type TensorData, type TensorType, type ValueInfo, type WeightInfo } from './model';

/** model.json holds topology and a manifest; a larger one is not a tfjs model.json. */
const MODEL_JSON_LIMIT_BYTES = MODEL_FILE_LIMITS.tfjsModelJson.maxBytes;

export interface ScannedTfjs {
  readonly format: 'tfjs-layers' | 'tfjs-graph';
  readonly producer: string;
  readonly producerVersion: string;
  readonly graphName: string;
  readonly inputs: ValueInfo[];
  readonly outputs: ValueInfo[];
  readonly nodes: NodeInfo[];
  readonly weights: WeightInfo[];
  readonly types: Map<string, TensorType>;
  readonly externalFiles: string[];
  readonly externalBytes: number;
  readonly notes: string[];
  readonly fileBytes: number;
}

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const TFJS_DTYPE_BYTES: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1, complex64: 8 };
const QUANT_BYTES: Readonly<Record<string, number>> = { uint8: 1, uint16: 2, float16: 2 };

/** True when the parsed JSON looks like a tfjs model.json (so `*.json` files that are not are told apart). */
export function looksLikeTfjs(raw: unknown): boolean {
  return isRecord(raw) && (isRecord(raw.modelTopology) || Array.isArray(raw.weightsManifest));
}

export function scanTfjsFile(file: string): ScannedTfjs {
  const stat = statModelFile(file);
  if (stat.size > MODEL_JSON_LIMIT_BYTES) throw inspectorReason('tfjsInvalid', 'tooBig', [file, (stat.size / 1024 ** 2).toFixed(0)]);
  let raw: unknown;
  try {
    raw = JSON.parse(readTextFileBoundedSync(file, MODEL_FILE_LIMITS.tfjsModelJson));
  } catch (err) {
    // The bounded reader's own sentence (not a regular file, too large, unreadable) says it best.
    if (isFileInputError(err)) throw err;
    throw inspectorReason('tfjsInvalid', 'notJson', [file, err instanceof Error ? err.message : String(err)]);
  }
  if (!looksLikeTfjs(raw)) throw inspectorReason('tfjsInvalid', 'noTopology', [file]);
  const json = raw as Json;
  const notes: string[] = [];
  const { weights, externalFiles, externalBytes } = readManifest(file, json.weightsManifest);
  const generatedBy = typeof json.generatedBy === 'string' ? json.generatedBy : '';
  const convertedBy = typeof json.convertedBy === 'string' ? json.convertedBy : '';
  const producerText = convertedBy || generatedBy;
  const versionMatch = /v?(\d+\.\d+(\.\d+)?)\s*$/.exec(producerText);
  const producer = versionMatch ? producerText.slice(0, versionMatch.index).trim() : producerText;
  const producerVersion = versionMatch ? versionMatch[1] : '';
  let topology = isRecord(json.modelTopology) ? json.modelTopology : {};
  // Keras-converted files wrap the model in model_config.
  if (isRecord(topology.model_config)) topology = topology.model_config;
  const isGraph = json.format === 'graph-model' || Array.isArray(topology.node);
  const base = { producer, producerVersion, weights, externalFiles, externalBytes, notes, fileBytes: stat.size };
  if (isGraph) return { format: 'tfjs-graph', ...base, ...graphModel(topology, json.signature, weights, notes) };
  return { format: 'tfjs-layers', ...base, ...layersModel(topology, weights, notes) };
}

/** Byte ranges of every weight, validating shard paths and sizes group by group. */
function readManifest(file: string, manifest: unknown): { weights: WeightInfo[]; externalFiles: string[]; externalBytes: number } {
  const dir = path.dirname(path.resolve(file));
  const realDir = fs.realpathSync(dir);
  const weights: WeightInfo[] = [];
  const externalFiles: string[] = [];
  let externalBytes = 0;
  if (manifest === undefined) return { weights, externalFiles, externalBytes };
  if (!Array.isArray(manifest)) throw inspectorReason('tfjsInvalid', 'manifestNotList', [file]);
  for (const group of manifest) {
    if (!isRecord(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) throw inspectorReason('tfjsInvalid', 'groupWithoutLists', [file]);
    const shards: { file: string; size: number }[] = [];
    for (const p of group.paths) {
      if (typeof p !== 'string') throw inspectorReason('tfjsInvalid', 'pathNotString', [file]);
      shards.push(resolveShard(file, dir, realDir, p));
    }
    const groupBytes = shards.reduce((a, s) => a + s.size, 0);
    let offset = 0;
    for (const spec of group.weights) {
      if (!isRecord(spec) || typeof spec.name !== 'string' || !Array.isArray(spec.shape) || typeof spec.dtype !== 'string') {
        throw inspectorReason('tfjsInvalid', 'entryIncomplete', [file]);
      }
      const dims = spec.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : 0));
      const elements = dims.reduce((a, b) => a * b, 1);
      const quant = isRecord(spec.quantization) ? spec.quantization : undefined;
      const quantDtype = quant && typeof quant.dtype === 'string' ? quant.dtype : undefined;
      const perValue = quantDtype ? QUANT_BYTES[quantDtype] : TFJS_DTYPE_BYTES[spec.dtype];
      if (perValue === undefined) throw inspectorReason('tfjsInvalid', 'unsupportedType', [file, spec.name, quantDtype ?? spec.dtype]);
      const bytes = elements * perValue;
      const parts = locate(shards, offset, bytes);
      let data: TensorData;
      if (quantDtype) {
        data = { kind: 'quantized', parts, storage: quantDtype as 'uint8' | 'uint16' | 'float16', scale: Number(quant?.scale ?? 1), min: Number(quant?.min ?? 0) };
      } else data = { kind: 'bytes', parts };
      weights.push({ name: spec.name, dtype: spec.dtype, dims, elements, bytes, location: 'external', parameter: isParameter(spec.dtype, dims), data });
      offset += bytes;
    }
    if (offset > groupBytes) throw inspectorError('weightsShort', [file, String(groupBytes), String(offset)]);
    externalFiles.push(...shards.map((s) => s.file));
    externalBytes += groupBytes;
  }
  return { weights, externalFiles, externalBytes };
}

function resolveShard(file: string, dir: string, realDir: string, p: string): { file: string; size: number } {
  let rel: string;
  try {
    rel = decodeURIComponent(p);
  } catch {
    rel = p;
  }
  // URLs and absolute paths are never followed; relative paths must stay in the folder, symlinks included.
  const target = path.resolve(dir, rel);
  if (/^[a-z][a-z0-9+.-]*:/i.test(rel) && !/^[a-z]:[\\/]/i.test(rel)) throw inspectorError('weightsOutside', [p, file]);
  if (path.isAbsolute(rel) || !isPathWithin(dir, target)) throw inspectorError('weightsOutside', [p, file]);
  let real: string;
  try {
    real = fs.realpathSync(target);
  } catch {
    throw inspectorError('weightsMissing', [target, file]);
  }
  if (!isPathWithin(realDir, real)) throw inspectorError('weightsOutside', [p, file]);
  const stat = fs.statSync(real);
  if (!stat.isFile()) throw inspectorError('weightsMissing', [target, file]);
  return { file: target, size: stat.size };
}

/** The byte ranges of [offset, offset + length) in a group's shards taken as one concatenated buffer. */
function locate(shards: readonly { file: string; size: number }[], offset: number, length: number): ByteRange[] {
  const parts: ByteRange[] = [];
  let start = 0;
  let remaining = length;
  let pos = offset;
  for (const s of shards) {
    const end = start + s.size;
    if (remaining > 0 && pos < end) {
      const take = Math.min(remaining, end - pos);
      parts.push({ file: s.file, offset: pos - start, length: take });
      remaining -= take;
      pos += take;
    }
    start = end;
  }
  return parts;
}

function shapeOf(v: unknown): Dim[] | undefined {
  return Array.isArray(v) ? v.map((d) => (typeof d === 'number' && d >= 0 ? d : null)) : undefined;
}

function attributes(config: Json): AttributeInfo[] {
  return Object.entries(config)
    .filter(([k, v]) => k !== 'name' && v !== null && v !== undefined && !(isRecord(v) && Object.keys(v).length === 0))
    .map(([k, v]) => {
      const value = isRecord(v) && typeof v.class_name === 'string' ? `${v.class_name}${isRecord(v.config) && Object.keys(v.config).length ? ` ${JSON.stringify(v.config)}` : ''}` : JSON.stringify(v);
      const numbers = typeof v === 'number' ? [v] : Array.isArray(v) && v.every((x) => typeof x === 'number') ? (v as number[]) : undefined;
      return { name: k, type: 'json', value: value.length > 200 ? `${value.slice(0, 200)}…` : value, ...(numbers ? { numbers } : {}) };
    });
}

function layersModel(topology: Json, weights: WeightInfo[], notes: string[]): { graphName: string; inputs: ValueInfo[]; outputs: ValueInfo[]; nodes: NodeInfo[]; types: Map<string, TensorType> } {
  const modelConfig = isRecord(topology.config) ? topology.config : {};
  const className = typeof topology.class_name === 'string' ? topology.class_name : 'Model';
  // Old Sequential files store config as the layer list itself.
  const layerList = Array.isArray(topology.config) ? topology.config : Array.isArray(modelConfig.layers) ? modelConfig.layers : [];
  const graphName = typeof modelConfig.name === 'string' ? modelConfig.name : className;
  const nodes: NodeInfo[] = [];
  const types = new Map<string, TensorType>();
  const inputs: ValueInfo[] = [];
  const weightNames = weights.map((w) => w.name);
  const sequential = className === 'Sequential';
  let previous: string | undefined;
  for (const layer of layerList) {
    if (!isRecord(layer)) continue;
    const cls = typeof layer.class_name === 'string' ? layer.class_name : 'Layer';
    const config = isRecord(layer.config) ? layer.config : {};
    const name = typeof config.name === 'string' ? config.name : typeof layer.name === 'string' ? layer.name : `${cls}_${nodes.length}`;
    let dataInputs: string[] = [];
    if (!sequential && Array.isArray(layer.inbound_nodes)) {
      for (const call of layer.inbound_nodes) {
        if (!Array.isArray(call)) continue;
        for (const ref of call) if (Array.isArray(ref) && typeof ref[0] === 'string') dataInputs.push(ref[0]);
      }
    } else if (sequential && previous) dataInputs = [previous];
    const batchShape = shapeOf(config.batch_input_shape ?? config.batchInputShape ?? config.batch_shape);
    if (cls === 'InputLayer' || (sequential && nodes.length === 0 && batchShape)) {
      const inputName = cls === 'InputLayer' ? name : `${name}_input`;
      const dtype = typeof config.dtype === 'string' ? config.dtype : 'float32';
      inputs.push({ name: inputName, dtype, dims: batchShape });
      types.set(inputName, { dtype, dims: batchShape });
      if (cls !== 'InputLayer') dataInputs = [inputName];
    }
    if (cls === 'InputLayer') {
      previous = name;
      continue;
    }
    const ownWeights = weightNames.filter((w) => w.startsWith(`${name}/`));
    nodes.push({ index: nodes.length, name, opType: cls, domain: '', inputs: [...dataInputs, ...ownWeights], outputs: [name], attributes: attributes(config), graph: '' });
    const inType = dataInputs.length > 0 ? types.get(dataInputs[0]) : undefined;
    const out = layerOutput(cls, config, inType, weights.filter((w) => ownWeights.includes(w.name)));
    if (out) types.set(name, out);
    else notes.push(`The output shape of layer "${name}" (${cls}) is not inferred.`);
    previous = name;
  }
  const outputNames: string[] = [];
  if (!sequential && Array.isArray(modelConfig.output_layers)) {
    for (const ref of modelConfig.output_layers) if (Array.isArray(ref) && typeof ref[0] === 'string') outputNames.push(ref[0]);
  } else if (previous) outputNames.push(previous);
  const outputs = outputNames.map((n) => ({ name: n, dtype: types.get(n)?.dtype ?? 'float32', dims: types.get(n)?.dims }));
  return { graphName, inputs, outputs, nodes, types };
}

const pair = (v: unknown): [number, number] => (Array.isArray(v) ? [Number(v[0]), Number(v[1] ?? v[0])] : [Number(v), Number(v)]);

/** Output type of common Keras layers (channels-last); undefined for layers it does not know. */
function layerOutput(cls: string, config: Json, input: TensorType | undefined, own: WeightInfo[]): TensorType | undefined {
  const dims = input?.dims;
  const dtype = input?.dtype ?? 'float32';
  if (!dims) return undefined;
  switch (cls) {
    case 'Dropout':
    case 'Activation':
    case 'BatchNormalization':
    case 'LayerNormalization':
    case 'ReLU':
    case 'LeakyReLU':
    case 'Softmax':
    case 'SpatialDropout2D':
    case 'GaussianNoise':
      return { dtype, dims };
    case 'Dense': {
      const units = Number(config.units);
      return { dtype, dims: [...dims.slice(0, -1), Number.isFinite(units) ? units : null] };
    }
    case 'Flatten': {
      const rest = dims.slice(1);
      return { dtype, dims: [dims[0], rest.every((d) => typeof d === 'number') ? (rest as number[]).reduce((a, b) => a * b, 1) : null] };
    }
    case 'Conv2D':
    case 'DepthwiseConv2D':
    case 'SeparableConv2D':
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      if (dims.length !== 4 || (config.data_format ?? config.dataFormat ?? 'channels_last') !== 'channels_last') return undefined;
      const isConv = cls.endsWith('Conv2D');
      const [kh, kw] = pair(isConv ? (config.kernel_size ?? config.kernelSize) : (config.pool_size ?? config.poolSize ?? 2));
      const [sh, sw] = pair(config.strides ?? (isConv ? 1 : [kh, kw]));
      const [dh, dw] = pair(config.dilation_rate ?? config.dilationRate ?? 1);
      const same = (config.padding ?? 'valid') === 'same';
      const out = (d: Dim, k: number, s: number, dil: number): Dim => (typeof d !== 'number' ? null : same ? Math.ceil(d / s) : Math.floor((d - ((k - 1) * dil + 1)) / s) + 1);
      let channels: Dim = dims[3];
      if (cls === 'Conv2D' || cls === 'SeparableConv2D') channels = Number(config.filters);
      else if (cls === 'DepthwiseConv2D') channels = typeof dims[3] === 'number' ? dims[3] * Number(config.depth_multiplier ?? config.depthMultiplier ?? 1) : null;
      return { dtype, dims: [dims[0], out(dims[1], kh, sh, dh), out(dims[2], kw, sw, dw), channels] };
    }
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D':
      return { dtype, dims: [dims[0], dims[3]] };
    case 'Reshape': {
      const target = shapeOf(config.target_shape ?? config.targetShape);
      return target ? { dtype, dims: [dims[0], ...target] } : undefined;
    }
    case 'Embedding': {
      const table = own.find((w) => w.dims.length === 2);
      return { dtype: 'float32', dims: [...dims, table ? table.dims[1] : Number(config.output_dim ?? config.outputDim)] };
    }
    default:
      return undefined;
  }
}

function graphModel(topology: Json, signature: unknown, weights: WeightInfo[], notes: string[]): { graphName: string; inputs: ValueInfo[]; outputs: ValueInfo[]; nodes: NodeInfo[]; types: Map<string, TensorType> } {
  const nodes: NodeInfo[] = [];
  const types = new Map<string, TensorType>();
  const weightNames = new Set(weights.map((w) => w.name));
  const inputs: ValueInfo[] = [];
  const tfDtype = (attr: unknown): string => {
    const t = isRecord(attr) && typeof attr.type === 'string' ? attr.type : '';
    return ({ DT_FLOAT: 'float32', DT_INT32: 'int32', DT_INT64: 'int64', DT_BOOL: 'bool', DT_STRING: 'string', DT_UINT8: 'uint8' } as Record<string, string>)[t] ?? 'unknown';
  };
  const tfShape = (attr: unknown): Dim[] | undefined => {
    const shape = isRecord(attr) && isRecord(attr.shape) ? attr.shape : undefined;
    if (!shape || !Array.isArray(shape.dim)) return undefined;
    return shape.dim.map((d) => {
      const size = isRecord(d) ? Number(d.size) : NaN;
      return Number.isFinite(size) && size >= 0 ? size : null;
    });
  };
  for (const n of Array.isArray(topology.node) ? topology.node : []) {
    if (!isRecord(n) || typeof n.name !== 'string') continue;
    const op = typeof n.op === 'string' ? n.op : 'Op';
    const attr = isRecord(n.attr) ? n.attr : {};
    if (op === 'Const' && weightNames.has(n.name)) continue;
    if (op === 'Placeholder') {
      const vi = { name: n.name, dtype: tfDtype(attr.dtype), dims: tfShape(attr.shape) };
      inputs.push(vi);
      types.set(n.name, { dtype: vi.dtype, dims: vi.dims });
      continue;
    }
    const ins = (Array.isArray(n.input) ? n.input : []).filter((i): i is string => typeof i === 'string' && !i.startsWith('^')).map((i) => i.replace(/:0$/, ''));
    const attrs: AttributeInfo[] = Object.entries(attr).map(([k, v]) => ({ name: k, type: 'json', value: JSON.stringify(v).slice(0, 200) }));
    nodes.push({ index: nodes.length, name: n.name, opType: op, domain: '', inputs: ins, outputs: [n.name], attributes: attrs, graph: '' });
  }
  // Outputs: the signature's, else the nodes nothing reads.
  const outputs: ValueInfo[] = [];
  const sigOutputs = isRecord(signature) && isRecord(signature.outputs) ? signature.outputs : undefined;
  if (sigOutputs) {
    for (const [key, v] of Object.entries(sigOutputs)) {
      const name = isRecord(v) && typeof v.name === 'string' ? v.name.replace(/:0$/, '') : key;
      outputs.push({ name, dtype: 'unknown', dims: undefined });
    }
  } else {
    const read = new Set(nodes.flatMap((n) => n.inputs));
    for (const n of nodes) if (!read.has(n.name)) outputs.push({ name: n.name, dtype: 'unknown', dims: undefined });
  }
  notes.push('Shapes inside a TensorFlow.js graph model are not inferred.');
  return { graphName: 'graph-model', inputs, outputs, nodes, types };
}
