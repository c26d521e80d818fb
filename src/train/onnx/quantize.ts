/**
 * Dynamic int8 quantization of an ONNX model, in the form onnxruntime's `quantize_dynamic` writes, using only
 * standard ONNX ops (so any ORT build, onnxruntime-web and Transformers.js run it):
 *
 * - every `MatMul` whose right operand is a 2-D float32 initializer `B [K, N]` becomes
 *   `DynamicQuantizeLinear(A) → MatMulInteger(A_u8, B_q, A_zp, B_zp) → Cast(float) → Mul(A_scale · B_scale)`.
 *   Weights are symmetric per output column (scale = max|column| / 127); activations are quantized per tensor
 *   at run time by `DynamicQuantizeLinear`. One `DynamicQuantizeLinear` is shared by all MatMuls reading the
 *   same activation (e.g. Q, K and V). ORT's graph optimizer fuses the chain into its `DynamicQuantizeMatMul` /
 *   `MatMulIntegerToFloat` kernels (checked: the optimized BERT graph contains only those).
 * - every `Gather` whose data is a 2-D float32 initializer of at least `minGatherElements` values (embedding
 *   tables) becomes `Gather(table_s8) → Cast(float) → Mul(Gather(row_scales))`: the table is stored as int8 with
 *   one scale per row, and only the gathered rows are dequantized.
 *
 * Everything else (LayerNorm parameters, biases, small tables) stays float32.
 *
 * Weight storage (`matMulWeightType`): x86 CPUs without AVX-512 VNNI multiply u8×s8 with `vpmaddubsw`, whose
 * int16 pair sums saturate when activation and weight are both near full scale. Measured on this AVX2 machine
 * with a random small BERT: max |int8 − fp32| logit error 0.32 with s8 weights, 0.07 with s8 7-bit weights
 * (`reduceRange`, ORT's workaround), 0.018 with the same symmetric grid stored as u8 + zero point 128, at
 * the same speed. So the default is 'uint8' (ORT's `weight_type=QUInt8`); 'int8' remains available.
 */
import { onnx } from 'onnx-proto';
import { decodeModel, encodeModel, int64ToNumber, makeTensorProto, tensorProtoToFloat32 } from './graphBuilder';

export interface QuantizeOptions {
  /** Quantize weights and tables to 7 bits (±63) instead of 8 (±127). Default false. */
  reduceRange?: boolean;
  /**
   * Storage type of MatMul weights. 'uint8' (default): the symmetric grid stored as uint8 with zero point 128,
   * so ORT runs u8×u8 kernels, which never saturate. 'int8': u8×s8 (fast on VNNI CPUs; use with `reduceRange`
   * on AVX2-only CPUs).
   */
  matMulWeightType?: 'int8' | 'uint8';
  /** Gather tables with fewer values stay float32. Default 4096. */
  minGatherElements?: number;
  /** MatMul weights with fewer values stay float32. Default 0 (all). */
  minMatMulElements?: number;
}

/** Hidden size from which a BERT gets signed 7-bit weights (the same line as ortSession's SMALL_MODEL_HIDDEN_SIZE). */
export const S7_MIN_HIDDEN_SIZE = 256;

/**
 * The weight storage for a BERT of this hidden size. BERT-sized models: signed 7-bit weights, which take ORT's
 * u8×s8 kernel (never saturating at 7 bits). Measured interleaved with bench/int8Variants.ts on BERT-base
 * (2-core EPYC, loaded): fp32/int8 4.0× at 128×1 and 2.4× at 128×8 with s7 vs 1.58× / 1.68× with u8; on the
 * bundled model's weights s7 keeps the 600-mail accuracy (98.5 %, 100 % agreement with fp32). Small models keep
 * u8, the most accurate storage; for them int8 does not pay anyway.
 */
export function int8OptionsForHiddenSize(hiddenSize: number): QuantizeOptions {
  return hiddenSize >= S7_MIN_HIDDEN_SIZE ? { matMulWeightType: 'int8', reduceRange: true } : {};
}

export interface QuantizeReport {
  quantizedMatMuls: number;
  quantizedGathers: number;
  /** Bytes of float32 weights replaced by int8 (+ scales). */
  floatBytesReplaced: number;
}

/** Symmetric per-column int8 quantization of a row-major `[rows, cols]` matrix. */
export function quantizeColumns(data: Float32Array, rows: number, cols: number, qmax: number): { q: Int8Array; scales: Float32Array } {
  const scales = new Float32Array(cols);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) scales[c] = Math.max(scales[c], Math.abs(data[r * cols + c]));
  for (let c = 0; c < cols; c++) scales[c] = scales[c] > 0 ? scales[c] / qmax : 1;
  const q = new Int8Array(data.length);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) q[r * cols + c] = Math.max(-qmax, Math.min(qmax, Math.round(data[r * cols + c] / scales[c])));
  return { q, scales };
}

/** Symmetric per-row int8 quantization of a row-major `[rows, cols]` matrix. */
export function quantizeRows(data: Float32Array, rows: number, cols: number, qmax: number): { q: Int8Array; scales: Float32Array } {
  const scales = new Float32Array(rows);
  const q = new Int8Array(data.length);
  for (let r = 0; r < rows; r++) {
    let max = 0;
    for (let c = 0; c < cols; c++) max = Math.max(max, Math.abs(data[r * cols + c]));
    const scale = max > 0 ? max / qmax : 1;
    scales[r] = scale;
    for (let c = 0; c < cols; c++) q[r * cols + c] = Math.max(-qmax, Math.min(qmax, Math.round(data[r * cols + c] / scale)));
  }
  return { q, scales };
}

function node(opType: string, inputs: string[], outputs: string[], name: string, attribute: onnx.IAttributeProto[] = []): onnx.NodeProto {
  return onnx.NodeProto.create({ opType, input: inputs, output: outputs, name, domain: '', attribute });
}

const INT_ATTR = onnx.AttributeProto.AttributeType.INT;

/**
 * Returns the quantized model's bytes. Throws when the input is not a parseable ONNX model or uses external
 * data for the weights it would quantize.
 */
export function quantizeDynamicInt8(modelBytes: Uint8Array, options: QuantizeOptions = {}): Uint8Array {
  return quantizeDynamicInt8WithReport(modelBytes, options).bytes;
}

export function quantizeDynamicInt8WithReport(modelBytes: Uint8Array, options: QuantizeOptions = {}): { bytes: Uint8Array; report: QuantizeReport } {
  const qmax = options.reduceRange ? 63 : 127;
  const unsignedWeights = (options.matMulWeightType ?? 'uint8') === 'uint8';
  const minGather = options.minGatherElements ?? 4096;
  const minMatMul = options.minMatMulElements ?? 0;
  const model = decodeModel(modelBytes);
  const graph = model.graph;
  if (!graph) throw new Error('This ONNX file has no graph.');
  const defaultOpset = (model.opsetImport ?? []).find((o) => !o.domain);
  if (!defaultOpset || int64ToNumber(defaultOpset.version) < 13) {
    throw new Error('Dynamic quantization needs a model with default-domain opset 13 or newer.');
  }

  const initializers = new Map<string, onnx.ITensorProto>();
  for (const t of graph.initializer ?? []) initializers.set(t.name ?? '', t);
  const usedNames = new Set<string>();
  for (const n of graph.node ?? []) for (const name of [...(n.input ?? []), ...(n.output ?? [])]) usedNames.add(name);
  for (const name of initializers.keys()) usedNames.add(name);
  for (const vi of [...(graph.input ?? []), ...(graph.output ?? [])]) usedNames.add(vi.name ?? '');
  const fresh = (hint: string): string => {
    let name = hint;
    for (let i = 1; usedNames.has(name); i++) name = `${hint}_${i}`;
    usedNames.add(name);
    return name;
  };
  const floatMatrix = (name: string): { t: onnx.ITensorProto; rows: number; cols: number } | undefined => {
    const t = initializers.get(name);
    if (!t || t.dataType !== 1 || (t.dims ?? []).length !== 2) return undefined;
    if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) {
      throw new Error(`Weight "${name}" is stored as external data; load it into the model before quantizing.`);
    }
    return { t, rows: int64ToNumber(t.dims?.[0]), cols: int64ToNumber(t.dims?.[1]) };
  };

  const newInitializers: onnx.TensorProto[] = [];
  const quantizedWeights = new Map<string, { q: string; scale: string; zeroPoint: string }>();
  const quantizedTables = new Map<string, { q: string; scales: string }>();
  const activationQuant = new Map<string, { q: string; scale: string; zeroPoint: string }>();
  const replacedFloat = new Set<string>();
  const report: QuantizeReport = { quantizedMatMuls: 0, quantizedGathers: 0, floatBytesReplaced: 0 };
  const outNodes: onnx.INodeProto[] = [];

  for (const n of graph.node ?? []) {
    const opType = n.opType ?? '';
    const domain = n.domain ?? '';
    const inputs = n.input ?? [];
    if (domain === '' && opType === 'MatMul' && inputs.length === 2) {
      const weight = floatMatrix(inputs[1]);
      if (weight && weight.rows * weight.cols >= minMatMul) {
        const [a, b] = inputs;
        let wq = quantizedWeights.get(b);
        if (!wq) {
          const { q, scales } = quantizeColumns(tensorProtoToFloat32(weight.t), weight.rows, weight.cols, qmax);
          wq = { q: fresh(`${b}_quantized`), scale: fresh(`${b}_scale`), zeroPoint: fresh(`${b}_zero_point`) };
          if (unsignedWeights) {
            // Same symmetric grid shifted by 128: q_u8 = q_s8 + 128, zero point 128.
            newInitializers.push(makeTensorProto(wq.q, Uint8Array.from(q, (v) => v + 128), [weight.rows, weight.cols]));
            newInitializers.push(makeTensorProto(wq.zeroPoint, new Uint8Array(weight.cols).fill(128), [weight.cols]));
          } else {
            newInitializers.push(makeTensorProto(wq.q, q, [weight.rows, weight.cols]));
            newInitializers.push(makeTensorProto(wq.zeroPoint, new Int8Array(weight.cols), [weight.cols]));
          }
          newInitializers.push(makeTensorProto(wq.scale, scales, [weight.cols]));
          quantizedWeights.set(b, wq);
          replacedFloat.add(b);
          report.floatBytesReplaced += weight.rows * weight.cols * 4;
        }
        let aq = activationQuant.get(a);
        if (!aq) {
          aq = { q: fresh(`${a}_quantized`), scale: fresh(`${a}_scale`), zeroPoint: fresh(`${a}_zero_point`) };
          outNodes.push(node('DynamicQuantizeLinear', [a], [aq.q, aq.scale, aq.zeroPoint], fresh(`${a}_DynamicQuantizeLinear`)));
          activationQuant.set(a, aq);
        }
        const base = n.name || (n.output ?? [])[0] || 'matmul';
        const int32 = fresh(`${base}_MatMulInteger_out`);
        const asFloat = fresh(`${base}_cast_out`);
        const scale = fresh(`${base}_scale_product`);
        outNodes.push(node('MatMulInteger', [aq.q, wq.q, aq.zeroPoint, wq.zeroPoint], [int32], fresh(`${base}_MatMulInteger`)));
        outNodes.push(node('Cast', [int32], [asFloat], fresh(`${base}_Cast`), [{ name: 'to', type: INT_ATTR, i: 1 }]));
        outNodes.push(node('Mul', [aq.scale, wq.scale], [scale], fresh(`${base}_scale_Mul`)));
        outNodes.push(node('Mul', [asFloat, scale], [...(n.output ?? [])], fresh(`${base}_output_Mul`)));
        report.quantizedMatMuls++;
        continue;
      }
    }
    if (domain === '' && opType === 'Gather' && inputs.length === 2) {
      const axis = (n.attribute ?? []).find((at) => at.name === 'axis');
      const table = floatMatrix(inputs[0]);
      if (table && int64ToNumber(axis?.i) === 0 && table.rows * table.cols >= minGather) {
        const [data, indices] = inputs;
        let tq = quantizedTables.get(data);
        if (!tq) {
          const { q, scales } = quantizeRows(tensorProtoToFloat32(table.t), table.rows, table.cols, qmax);
          tq = { q: fresh(`${data}_quantized`), scales: fresh(`${data}_row_scales`) };
          newInitializers.push(makeTensorProto(tq.q, q, [table.rows, table.cols]));
          newInitializers.push(makeTensorProto(tq.scales, scales, [table.rows, 1]));
          quantizedTables.set(data, tq);
          replacedFloat.add(data);
          report.floatBytesReplaced += table.rows * table.cols * 4;
        }
        const base = n.name || (n.output ?? [])[0] || 'gather';
        const rowsQ = fresh(`${base}_rows_quantized`);
        const rowScales = fresh(`${base}_row_scales`);
        const rowsF = fresh(`${base}_rows_float`);
        outNodes.push(node('Gather', [tq.q, indices], [rowsQ], fresh(`${base}_quantized_Gather`), [{ name: 'axis', type: INT_ATTR, i: 0 }]));
        // Scales are stored [rows, 1], so gathering them yields [..., 1], which broadcasts over the hidden axis.
        outNodes.push(node('Gather', [tq.scales, indices], [rowScales], fresh(`${base}_scale_Gather`), [{ name: 'axis', type: INT_ATTR, i: 0 }]));
        outNodes.push(node('Cast', [rowsQ], [rowsF], fresh(`${base}_Cast`), [{ name: 'to', type: INT_ATTR, i: 1 }]));
        outNodes.push(node('Mul', [rowsF, rowScales], [...(n.output ?? [])], fresh(`${base}_dequantize_Mul`)));
        report.quantizedGathers++;
        continue;
      }
    }
    outNodes.push(n);
  }

  // Drop float initializers nothing reads any more.
  const stillRead = new Set<string>();
  for (const n of outNodes) for (const name of n.input ?? []) stillRead.add(name);
  for (const o of graph.output ?? []) stillRead.add(o.name ?? '');
  graph.initializer = [...(graph.initializer ?? []).filter((t) => !replacedFloat.has(t.name ?? '') || stillRead.has(t.name ?? '')), ...newInitializers] as onnx.TensorProto[];
  graph.node = outNodes as onnx.NodeProto[];
  // Intermediate shape annotations may describe float tensors that are now computed differently; ORT re-infers them.
  graph.valueInfo = [];
  return { bytes: encodeModel(model), report };
}
