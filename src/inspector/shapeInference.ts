/**
 * Shape inference over the scanned graph: the element type and dimensions of every value it can work out,
 * symbolic where the model is (`[batch_size, sequence_length, 768]`), following small integer tensors
 * (shape vectors built with Shape → Gather → Concat) by value so Reshape targets resolve. Types the file
 * states (value_info) fill what inference leaves open. Ops it does not know leave their outputs unknown, with
 * one note per op type. No `vscode` import.
 */
import { onnxDtypeName } from './dtypes';
import type { AttributeInfo, Dim, NodeInfo, TensorType, ValueInfo, WeightInfo } from './model';

interface Value {
  dtype: string;
  dims: Dim[] | undefined;
  /** The values of a small integer tensor (flattened), symbolic where they come from a symbolic shape. */
  values?: Dim[];
}

/** Values of tensors up to this many elements are tracked (shape vectors, axes, scalars). */
const MAX_TRACKED = 64;

const SAME_AS_INPUT = new Set([
  'Relu', 'Sigmoid', 'Tanh', 'Erf', 'Exp', 'Log', 'Sqrt', 'Neg', 'Abs', 'Reciprocal', 'Softmax', 'LogSoftmax', 'Identity',
  'Dropout', 'Gelu', 'LeakyRelu', 'Elu', 'Selu', 'Celu', 'HardSigmoid', 'HardSwish', 'Clip', 'Floor', 'Ceil', 'Round', 'Sin',
  'Cos', 'Softplus', 'Softsign', 'Mish', 'LayerNormalization', 'BatchNormalization', 'InstanceNormalization',
  'GroupNormalization', 'LpNormalization', 'SimplifiedLayerNormalization', 'SkipLayerNormalization', 'SkipSimplifiedLayerNormalization',
  'BiasGelu', 'FastGelu', 'QuickGelu', 'Sign', 'IsNaN', 'IsInf', 'Hardmax', 'Shrink', 'ThresholdedRelu', 'CumSum', 'Trilu',
  'QuantizeLinear', 'DequantizeLinear', 'Not', 'BitwiseNot',
]);
const BROADCAST = new Set(['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Max', 'Min', 'Mod', 'Sum', 'Mean', 'PRelu', 'BitwiseAnd', 'BitwiseOr', 'BitwiseXor', 'BitShift']);
const COMPARISON = new Set(['Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual', 'And', 'Or', 'Xor']);
const REDUCE = new Set(['ReduceMean', 'ReduceSum', 'ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceL1', 'ReduceL2', 'ReduceLogSum', 'ReduceLogSumExp', 'ReduceSumSquare', 'ArgMax', 'ArgMin']);

/** A product of dimensions: a number times symbolic names; undefined when any factor is unknown. */
interface Product {
  n: number;
  syms: string[];
}

function product(dims: readonly Dim[]): Product | undefined {
  let n = 1;
  const syms: string[] = [];
  for (const d of dims) {
    if (d === null) return undefined;
    if (typeof d === 'number') n *= d;
    else syms.push(d);
  }
  return { n, syms: syms.sort() };
}

function productToDim(p: Product | undefined): Dim {
  if (!p) return null;
  if (p.syms.length === 0) return p.n;
  if (p.syms.length === 1 && p.n === 1) return p.syms[0];
  return null;
}

/** a / b for products: exact when b's names are all in a and the numbers divide. */
function divide(a: Product | undefined, b: Product | undefined): Dim {
  if (!a || !b || b.n === 0 || a.n % b.n !== 0) return null;
  const rest = [...a.syms];
  for (const s of b.syms) {
    const i = rest.indexOf(s);
    if (i < 0) return null;
    rest.splice(i, 1);
  }
  return productToDim({ n: a.n / b.n, syms: rest });
}

function broadcastDim(a: Dim, b: Dim): Dim {
  if (a === 1) return b;
  if (b === 1) return a;
  if (a === b) return a;
  if (a === null) return typeof b === 'number' ? b : null;
  if (b === null) return typeof a === 'number' ? a : null;
  // A symbolic and a fixed size that differ: the model only runs when the symbol equals the size.
  if (typeof a === 'number') return a;
  if (typeof b === 'number') return b;
  return null;
}

function broadcast(shapes: (Dim[] | undefined)[]): Dim[] | undefined {
  if (shapes.some((s) => s === undefined)) return undefined;
  const all = shapes as Dim[][];
  const rank = Math.max(...all.map((s) => s.length));
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    let d: Dim = 1;
    for (const s of all) {
      const j = s.length - rank + i;
      if (j >= 0) d = broadcastDim(d, s[j]);
    }
    out.push(d);
  }
  return out;
}

const norm = (axis: number, rank: number) => (axis < 0 ? axis + rank : axis);

export interface ShapeInferenceResult {
  readonly types: Record<string, TensorType>;
  /** Op types whose outputs could not be inferred (and the file did not state). */
  readonly uninferred: string[];
}

/**
 * Infers value types for the graph. `declared` holds value_info/input/output types from the file; they are
 * used for graph inputs and to fill dimensions inference leaves unknown.
 */
export function inferShapes(nodes: readonly NodeInfo[], weights: readonly WeightInfo[], inputs: readonly ValueInfo[], declared: ReadonlyMap<string, TensorType>, opsetVersion: number): ShapeInferenceResult {
  const env = new Map<string, Value>();
  for (const w of weights) {
    const v: Value = { dtype: w.dtype, dims: [...w.dims] };
    if (w.data.kind === 'inline' && w.elements <= MAX_TRACKED && /int|bool/.test(w.dtype)) v.values = [...w.data.values];
    env.set(w.name, v);
  }
  for (const [name, t] of declared) if (!env.has(name)) env.set(name, { dtype: t.dtype, dims: t.dims ? [...t.dims] : undefined });
  for (const i of inputs) env.set(i.name, { dtype: i.dtype, dims: i.dims ? [...i.dims] : undefined });

  const uninferred = new Set<string>();
  for (const node of nodes) {
    let outs: (Value | undefined)[] = [];
    try {
      outs = inferNode(node, env, opsetVersion);
    } catch {
      outs = [];
    }
    node.outputs.forEach((name, i) => {
      if (!name) return;
      const inferred = outs[i];
      const stated = declared.get(name);
      const merged = merge(inferred, stated);
      if (merged) env.set(name, merged);
      else if (!env.has(name)) uninferred.add(node.domain ? `${node.domain}.${node.opType}` : node.opType);
    });
  }
  const types: Record<string, TensorType> = {};
  for (const [name, v] of env) types[name] = { dtype: v.dtype, dims: v.dims };
  return { types, uninferred: [...uninferred].sort() };
}

function merge(inferred: Value | undefined, stated: TensorType | undefined): Value | undefined {
  if (!stated) return inferred;
  if (!inferred) return { dtype: stated.dtype, dims: stated.dims ? [...stated.dims] : undefined };
  const dtype = inferred.dtype !== 'unknown' ? inferred.dtype : stated.dtype;
  let dims = inferred.dims;
  if (!dims) dims = stated.dims ? [...stated.dims] : undefined;
  else if (stated.dims && stated.dims.length === dims.length) dims = dims.map((d, i) => (d === null ? stated.dims![i] : d));
  return { ...inferred, dtype, dims };
}

function attr(node: NodeInfo, name: string): AttributeInfo | undefined {
  return node.attributes.find((a) => a.name === name);
}

function intAttr(node: NodeInfo, name: string, fallback: number): number {
  return attr(node, name)?.numbers?.[0] ?? fallback;
}

function intsAttr(node: NodeInfo, name: string): number[] | undefined {
  const a = attr(node, name);
  return a?.numbers ? [...a.numbers] : undefined;
}

function inferNode(node: NodeInfo, env: Map<string, Value>, opset: number): (Value | undefined)[] {
  const get = (i: number): Value | undefined => (node.inputs[i] ? env.get(node.inputs[i]) : undefined);
  const x = get(0);
  const op = node.opType;
  const numericValues = (v: Value | undefined): number[] | undefined => (v?.values && v.values.every((d) => typeof d === 'number') ? (v.values as number[]) : undefined);

  if (op === 'Constant') {
    const a = node.attributes[0];
    if (!a) return [];
    if (a.tensor) {
      const t = a.tensor;
      const values = t.data.kind === 'inline' && t.data.values.length <= MAX_TRACKED ? [...t.data.values] : undefined;
      return [{ dtype: t.dtype, dims: [...t.dims], values }];
    }
    if (a.name === 'value_float' || a.name === 'value_int') return [{ dtype: a.name === 'value_int' ? 'int64' : 'float32', dims: [], values: a.numbers ? [...a.numbers] : undefined }];
    if (a.name === 'value_floats' || a.name === 'value_ints') return [{ dtype: a.name === 'value_ints' ? 'int64' : 'float32', dims: [a.numbers?.length ?? 0], values: a.numbers ? [...a.numbers] : undefined }];
    return [];
  }
  if (SAME_AS_INPUT.has(op)) {
    if (!x) return [];
    let dtype = x.dtype;
    if (op === 'QuantizeLinear') dtype = get(2)?.dtype ?? 'uint8';
    if (op === 'DequantizeLinear') dtype = get(1)?.dtype ?? 'float32';
    if (op === 'IsNaN' || op === 'IsInf') dtype = 'bool';
    return [{ dtype, dims: x.dims, values: op === 'Identity' ? x.values : undefined }];
  }
  if (BROADCAST.has(op) || COMPARISON.has(op)) {
    const ins = node.inputs.map((_, i) => get(i));
    if (ins.some((v) => !v)) return [];
    const dims = broadcast(ins.map((v) => v!.dims));
    const dtype = COMPARISON.has(op) ? 'bool' : ins[0]!.dtype;
    let values: Dim[] | undefined;
    // Arithmetic on shape vectors (e.g. seq_len - 1) stays numeric only when every operand is a number.
    const a = numericValues(ins[0]);
    const b = numericValues(ins[1]);
    if (a && b && ins.length === 2 && dims && dims.length <= 1) {
      const n = Math.max(a.length, b.length);
      const f = { Add: (p: number, q: number) => p + q, Sub: (p: number, q: number) => p - q, Mul: (p: number, q: number) => p * q, Div: (p: number, q: number) => Math.trunc(p / q) }[op as 'Add'];
      if (f && /int/.test(dtype)) values = Array.from({ length: n }, (_, i) => f(a[a.length === 1 ? 0 : i], b[b.length === 1 ? 0 : i]));
    }
    return [{ dtype, dims, values }];
  }
  if (op === 'Where') {
    const c = get(0);
    const a = get(1);
    const b = get(2);
    if (!c || !a || !b) return [];
    return [{ dtype: a.dtype, dims: broadcast([c.dims, a.dims, b.dims]) }];
  }
  if (op === 'Cast' || op === 'CastLike') {
    if (!x) return [];
    const dtype = op === 'Cast' ? onnxDtypeName(intAttr(node, 'to', 0)) : (get(1)?.dtype ?? 'unknown');
    return [{ dtype, dims: x.dims, values: x.values }];
  }
  if (op === 'Shape') {
    if (!x?.dims) return [{ dtype: 'int64', dims: [null] }];
    const rank = x.dims.length;
    const start = Math.max(0, Math.min(rank, norm(intAttr(node, 'start', 0), rank)));
    const end = Math.max(start, Math.min(rank, norm(intAttr(node, 'end', rank), rank)));
    const values = x.dims.slice(start, end);
    return [{ dtype: 'int64', dims: [values.length], values }];
  }
  if (op === 'Size') return [{ dtype: 'int64', dims: [], values: x?.dims ? [productToDim(product(x.dims))] : undefined }];
  if (op === 'Gather') {
    const idx = get(1);
    if (!x?.dims || !idx?.dims) return [];
    const axis = norm(intAttr(node, 'axis', 0), x.dims.length);
    const dims = [...x.dims.slice(0, axis), ...idx.dims, ...x.dims.slice(axis + 1)];
    let values: Dim[] | undefined;
    const iv = numericValues(idx);
    if (x.values && iv && x.dims.length === 1) values = iv.map((i) => x.values![norm(i, x.values!.length)] ?? null);
    return [{ dtype: x.dtype, dims, values }];
  }
  if (op === 'Unsqueeze' || op === 'Squeeze') {
    if (!x?.dims) return [];
    const axes = opset >= 13 && node.inputs[1] ? numericValues(get(1)) : intsAttr(node, 'axes');
    if (op === 'Unsqueeze') {
      if (!axes) return [];
      const rank = x.dims.length + axes.length;
      const set = new Set(axes.map((a) => norm(a, rank)));
      const dims: Dim[] = [];
      let j = 0;
      for (let i = 0; i < rank; i++) dims.push(set.has(i) ? 1 : x.dims[j++]);
      return [{ dtype: x.dtype, dims, values: x.values }];
    }
    const set = new Set((axes ?? x.dims.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0)).map((a) => norm(a, x.dims!.length)));
    return [{ dtype: x.dtype, dims: x.dims.filter((_, i) => !set.has(i)), values: x.values }];
  }
  if (op === 'Concat') {
    const ins = node.inputs.map((_, i) => get(i));
    if (ins.some((v) => !v?.dims)) return [];
    const first = ins[0]!.dims!;
    const axis = norm(intAttr(node, 'axis', 0), first.length);
    const sum = ins.reduce<Dim>((acc, v) => (typeof acc === 'number' && typeof v!.dims![axis] === 'number' ? acc + (v!.dims![axis] as number) : null), 0);
    const dims = first.map((d, i) => (i === axis ? sum : ins.reduce<Dim>((acc, v) => (acc === null ? v!.dims![i] : acc), d)));
    const values = first.length === 1 && ins.every((v) => v!.values) ? ins.flatMap((v) => v!.values!) : undefined;
    return [{ dtype: ins[0]!.dtype, dims, values }];
  }
  if (op === 'Reshape') {
    const target = get(1)?.values;
    if (!x || !target) return [{ dtype: x?.dtype ?? 'unknown', dims: get(1)?.dims?.[0] !== undefined && typeof get(1)!.dims![0] === 'number' ? new Array<Dim>(get(1)!.dims![0] as number).fill(null) : undefined }];
    const allowZero = intAttr(node, 'allowzero', 0) === 1;
    const dims: Dim[] = target.map((t, i) => (t === 0 && !allowZero ? (x.dims?.[i] ?? null) : t === -1 ? -1 : t));
    const unknownAt = dims.indexOf(-1);
    if (unknownAt >= 0) dims[unknownAt] = x.dims ? divide(product(x.dims), product(dims.filter((_, i) => i !== unknownAt))) : null;
    return [{ dtype: x.dtype, dims, values: x.values }];
  }
  if (op === 'Flatten') {
    if (!x?.dims) return [];
    const axis = norm(intAttr(node, 'axis', 1), x.dims.length);
    return [{ dtype: x.dtype, dims: [productToDim(product(x.dims.slice(0, axis))), productToDim(product(x.dims.slice(axis)))] }];
  }
  if (op === 'Transpose') {
    if (!x?.dims) return [];
    const perm = intsAttr(node, 'perm') ?? x.dims.map((_, i) => x.dims!.length - 1 - i);
    return [{ dtype: x.dtype, dims: perm.map((p) => x.dims![p] ?? null) }];
  }
  if (op === 'MatMul' || op === 'MatMulInteger' || op === 'MatMulIntegerToFloat' || op === 'DynamicQuantizeMatMul' || op === 'FusedMatMul') {
    const a = x?.dims;
    const b = get(1)?.dims;
    if (!a || !b) return [];
    const dtype = op === 'MatMulInteger' ? 'int32' : op === 'MatMul' || op === 'FusedMatMul' ? (x?.dtype ?? 'float32') : 'float32';
    const a2 = a.length === 1 ? [1, a[0]] : a;
    const b2 = b.length === 1 ? [b[0], 1] : b;
    const batch = broadcast([a2.slice(0, -2), b2.slice(0, -2)]) ?? [];
    const dims = [...batch, ...(a.length === 1 ? [] : [a2[a2.length - 2]]), ...(b.length === 1 ? [] : [b2[b2.length - 1]])];
    return [{ dtype, dims }];
  }
  if (op === 'Gemm') {
    const a = x?.dims;
    const b = get(1)?.dims;
    if (!a || !b || a.length !== 2 || b.length !== 2) return [];
    const m = intAttr(node, 'transA', 0) ? a[1] : a[0];
    const n = intAttr(node, 'transB', 0) ? b[0] : b[1];
    return [{ dtype: x!.dtype, dims: [m, n] }];
  }
  if (op === 'Conv' || op === 'ConvInteger' || op === 'MaxPool' || op === 'AveragePool' || op === 'LpPool' || op === 'QLinearConv') {
    const inDims = x?.dims;
    if (!inDims || inDims.length < 3) return [];
    const w = op === 'Conv' || op === 'ConvInteger' ? get(1)?.dims : op === 'QLinearConv' ? get(3)?.dims : undefined;
    const spatial = inDims.length - 2;
    const kernel = intsAttr(node, 'kernel_shape') ?? (w ? (w.slice(2) as Dim[]).map((d) => (typeof d === 'number' ? d : NaN)) : []);
    const strides = intsAttr(node, 'strides') ?? new Array<number>(spatial).fill(1);
    const dilations = intsAttr(node, 'dilations') ?? new Array<number>(spatial).fill(1);
    const pads = intsAttr(node, 'pads') ?? new Array<number>(2 * spatial).fill(0);
    const autoPad = attr(node, 'auto_pad')?.value ?? 'NOTSET';
    const ceil = intAttr(node, 'ceil_mode', 0) === 1;
    const out: Dim[] = [inDims[0], w ? w[0] : inDims[1]];
    for (let i = 0; i < spatial; i++) {
      const d = inDims[2 + i];
      const k = kernel[i];
      if (typeof d !== 'number' || !Number.isFinite(k)) {
        out.push(null);
        continue;
      }
      const effective = (k - 1) * dilations[i] + 1;
      if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') out.push(Math.ceil(d / strides[i]));
      else if (autoPad === 'VALID') out.push(Math.floor((d - effective) / strides[i]) + 1);
      else {
        const span = d + pads[i] + pads[i + spatial] - effective;
        out.push((ceil ? Math.ceil(span / strides[i]) : Math.floor(span / strides[i])) + 1);
      }
    }
    const dtype = op === 'ConvInteger' ? 'int32' : op === 'QLinearConv' ? (get(7)?.dtype ?? 'uint8') : x!.dtype;
    return op === 'MaxPool' ? [{ dtype, dims: out }, { dtype: 'int64', dims: out }] : [{ dtype, dims: out }];
  }
  if (op === 'GlobalAveragePool' || op === 'GlobalMaxPool' || op === 'GlobalLpPool') {
    if (!x?.dims) return [];
    return [{ dtype: x.dtype, dims: x.dims.map((d, i) => (i < 2 ? d : 1)) }];
  }
  if (REDUCE.has(op)) {
    if (!x?.dims) return [];
    const keep = intAttr(node, 'keepdims', 1) === 1;
    const axesFromInput = node.inputs[1] ? numericValues(get(1)) : undefined;
    let axes = op === 'ArgMax' || op === 'ArgMin' ? [intAttr(node, 'axis', 0)] : (axesFromInput ?? intsAttr(node, 'axes'));
    if (!axes) axes = intAttr(node, 'noop_with_empty_axes', 0) ? [] : x.dims.map((_, i) => i);
    const set = new Set(axes.map((a) => norm(a, x.dims!.length)));
    const dims = keep ? x.dims.map((d, i) => (set.has(i) ? 1 : d)) : x.dims.filter((_, i) => !set.has(i));
    return [{ dtype: op === 'ArgMax' || op === 'ArgMin' ? 'int64' : x.dtype, dims }];
  }
  if (op === 'Range') {
    const [s, l, d] = [get(0)?.values?.[0], get(1)?.values?.[0], get(2)?.values?.[0]];
    let len: Dim = null;
    if (typeof s === 'number' && typeof l === 'number' && typeof d === 'number' && d !== 0) len = Math.max(0, Math.ceil((l - s) / d));
    else if (s === 0 && d === 1 && l !== undefined) len = l;
    return [{ dtype: x?.dtype ?? 'int64', dims: [len] }];
  }
  if (op === 'Slice') {
    if (!x?.dims) return [];
    const starts = opset >= 10 ? numericValues(get(1)) : intsAttr(node, 'starts');
    const ends = opset >= 10 ? numericValues(get(2)) : intsAttr(node, 'ends');
    if (!starts || !ends) return [{ dtype: x.dtype, dims: x.dims.map(() => null) }];
    const axes = (opset >= 10 ? (node.inputs[3] ? numericValues(get(3)) : undefined) : intsAttr(node, 'axes')) ?? starts.map((_, i) => i);
    const steps = (opset >= 10 && node.inputs[4] ? numericValues(get(4)) : undefined) ?? starts.map(() => 1);
    const dims = [...x.dims];
    let values = x.values && x.dims.length === 1 ? [...x.values] : undefined;
    axes.forEach((a, i) => {
      const ax = norm(a, dims.length);
      const d = dims[ax];
      const step = steps[i];
      if (typeof d !== 'number') {
        // Slicing everything of a symbolic axis keeps it.
        dims[ax] = starts[i] === 0 && ends[i] >= 2 ** 31 - 1 && step === 1 ? d : null;
        values = undefined;
        return;
      }
      const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v < 0 ? v + d : v));
      const st = step > 0 ? clamp(starts[i], 0, d) : clamp(starts[i], -1, d - 1);
      const en = step > 0 ? clamp(ends[i], 0, d) : clamp(ends[i], -1, d - 1);
      dims[ax] = Math.max(0, Math.ceil((en - st) / step));
      if (values && ax === 0) {
        const picked: Dim[] = [];
        for (let k = st; step > 0 ? k < en : k > en; k += step) picked.push(values[k]);
        values = picked;
      }
    });
    return [{ dtype: x.dtype, dims, values }];
  }
  if (op === 'Split') {
    if (!x?.dims) return [];
    const axis = norm(intAttr(node, 'axis', 0), x.dims.length);
    const parts = (opset >= 13 && node.inputs[1] ? numericValues(get(1)) : intsAttr(node, 'split')) ?? undefined;
    const n = node.outputs.length;
    const d = x.dims[axis];
    return node.outputs.map((_, i) => {
      const size: Dim = parts ? parts[i] : typeof d === 'number' && d % n === 0 ? d / n : null;
      return { dtype: x.dtype, dims: x.dims!.map((e, j) => (j === axis ? size : e)) };
    });
  }
  if (op === 'Expand') {
    const shape = get(1)?.values;
    if (!x?.dims || !shape) return [];
    return [{ dtype: x.dtype, dims: broadcast([x.dims, shape]) }];
  }
  if (op === 'ConstantOfShape') {
    const shape = x?.values;
    const dtype = attr(node, 'value')?.tensor?.dtype ?? 'float32';
    return [{ dtype, dims: shape ? [...shape] : undefined }];
  }
  if (op === 'Tile') {
    const reps = numericValues(get(1));
    if (!x?.dims || !reps) return [];
    return [{ dtype: x.dtype, dims: x.dims.map((d, i) => (typeof d === 'number' ? d * reps[i] : reps[i] === 1 ? d : null)) }];
  }
  if (op === 'DynamicQuantizeLinear') {
    if (!x) return [];
    return [{ dtype: 'uint8', dims: x.dims }, { dtype: 'float32', dims: [] }, { dtype: 'uint8', dims: [] }];
  }
  if (op === 'TopK') {
    if (!x?.dims) return [];
    const k = numericValues(get(1))?.[0] ?? null;
    const axis = norm(intAttr(node, 'axis', -1), x.dims.length);
    const dims = x.dims.map((d, i) => (i === axis ? k : d));
    return [{ dtype: x.dtype, dims }, { dtype: 'int64', dims }];
  }
  if (op === 'Attention' && node.domain === 'com.microsoft') {
    const bias = get(2)?.dims;
    if (!x?.dims || !bias) return [];
    const hidden = typeof bias[0] === 'number' ? bias[0] / 3 : null;
    return [{ dtype: x.dtype, dims: [x.dims[0], x.dims[1], hidden] }];
  }
  if (op === 'EmbedLayerNormalization' && node.domain === 'com.microsoft') {
    const ids = x?.dims;
    const table = get(2)?.dims;
    if (!ids || !table) return [];
    return [{ dtype: 'float32', dims: [ids[0], ids[1], table[1]] }, { dtype: 'int32', dims: [ids[0]] }];
  }
  return [];
}
