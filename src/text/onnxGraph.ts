/**
 * Reads what ONNX Runtime's session does not tell: how many rows the word-embedding table has, so a
 * vocabulary that does not fit the model is reported before it produces out-of-range ids. No `vscode` import.
 *
 * How: decode the graph (onnx-proto), start from the `input_ids` graph input, follow it through shape-only
 * ops (Cast, Unsqueeze, Reshape, …), and take the first `Gather` that indexes a table with it. The table is
 * an initializer (fp32 export) or the output of `DequantizeLinear` over an initializer (int8 export); its
 * first dimension is the embedding's row count. Graphs that hide the table otherwise return `undefined`,
 * and the caller falls back to a probe run with the largest id.
 */
import * as fs from 'node:fs';
import { onnx } from 'onnx-proto';

/** Ops that pass the ids through without changing which rows they address. */
const PASS_THROUGH = new Set(['Cast', 'Unsqueeze', 'Squeeze', 'Reshape', 'Flatten', 'Identity', 'Expand']);

export interface OnnxGraphFacts {
  /** Rows of the word-embedding table, when found. */
  readonly wordEmbeddingRows: number | undefined;
  readonly opsetVersion: number | undefined;
}

function dimToNumber(d: number | { toNumber(): number }): number {
  return typeof d === 'number' ? d : d.toNumber();
}

export function inspectOnnxGraph(bytes: Uint8Array, idsInput = 'input_ids'): OnnxGraphFacts {
  const model = onnx.ModelProto.decode(bytes);
  const graph = model.graph;
  const opset = model.opsetImport?.find((o) => !o.domain)?.version;
  const opsetVersion = opset === undefined || opset === null ? undefined : dimToNumber(opset);
  if (!graph) return { wordEmbeddingRows: undefined, opsetVersion };

  const initializerRows = new Map<string, number>();
  for (const t of graph.initializer ?? []) {
    if (t.name && t.dims && t.dims.length >= 1) initializerRows.set(t.name, dimToNumber(t.dims[0]));
  }
  const producer = new Map<string, onnx.INodeProto>();
  for (const n of graph.node ?? []) for (const o of n.output ?? []) producer.set(o, n);

  const idTensors = new Set([idsInput]);
  // Nodes are topologically sorted in a valid ONNX graph, so one pass follows the ids forward.
  for (const n of graph.node ?? []) {
    const inputs = n.input ?? [];
    if (n.opType === 'Gather' && inputs.length >= 2 && idTensors.has(inputs[1])) {
      const table = inputs[0];
      const direct = initializerRows.get(table);
      if (direct !== undefined) return { wordEmbeddingRows: direct, opsetVersion };
      const dq = producer.get(table);
      if (dq?.opType === 'DequantizeLinear' && dq.input?.[0]) {
        const rows = initializerRows.get(dq.input[0]);
        if (rows !== undefined) return { wordEmbeddingRows: rows, opsetVersion };
      }
      return { wordEmbeddingRows: undefined, opsetVersion };
    }
    if (n.opType && PASS_THROUGH.has(n.opType) && inputs.length >= 1 && idTensors.has(inputs[0])) {
      for (const o of n.output ?? []) idTensors.add(o);
    }
  }
  return { wordEmbeddingRows: undefined, opsetVersion };
}

export function inspectOnnxFile(file: string, idsInput?: string): OnnxGraphFacts {
  return inspectOnnxGraph(fs.readFileSync(file), idsInput);
}
