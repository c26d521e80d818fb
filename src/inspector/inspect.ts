/**
 * `inspectModel(file)`: an ONNX file or a TensorFlow.js model.json as a {@link ModelInspection} — summary,
 * nodes, weights (locations, not values), shapes. The one entry point the editor's worker, the CLI and the
 * tests use. No `vscode` import.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { inspectorError } from './errors';
import { readFolderConfig } from './folder';
import type { DtypeTotal, ModelInspection, WeightInfo } from './model';
import { scanOnnxFile } from './onnxScanner';
import { inferShapes } from './shapeInference';
import { scanTfjsFile } from './tfjsScanner';

export type ModelFileKind = 'onnx' | 'tfjs';

/** Which reader a file needs: `.onnx` → ONNX; `.json` → TensorFlow.js; anything else is refused. */
export function modelFileKind(file: string): ModelFileKind | undefined {
  const lower = file.toLowerCase();
  if (lower.endsWith('.onnx')) return 'onnx';
  if (lower.endsWith('.json')) return 'tfjs';
  return undefined;
}

function dtypeTotals(weights: readonly WeightInfo[]): DtypeTotal[] {
  const totals = new Map<string, { tensors: number; elements: number; bytes: number }>();
  for (const w of weights) {
    const t = totals.get(w.dtype) ?? { tensors: 0, elements: 0, bytes: 0 };
    t.tensors++;
    t.elements += w.elements;
    t.bytes += w.bytes;
    totals.set(w.dtype, t);
  }
  return [...totals].map(([dtype, t]) => ({ dtype, ...t })).sort((a, b) => b.bytes - a.bytes);
}

export function inspectModel(file: string): ModelInspection {
  const abs = path.resolve(file);
  const kind = modelFileKind(abs);
  if (!kind) throw inspectorError('unsupportedFile', [abs]);
  const started = performance.now();
  const notes: string[] = [];
  if (kind === 'onnx') {
    const scan = scanOnnxFile(abs);
    const defaultOpset = scan.opsets.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version ?? 0;
    const shapes = inferShapes(scan.nodes, scan.weights, scan.inputs, scan.declaredTypes, defaultOpset);
    if (shapes.uninferred.length > 0) notes.push(`Shape inference does not cover ${shapes.uninferred.join(', ')}; their outputs show no shape unless the file states it.`);
    notes.push(...scan.notes);
    const externalBytes = scan.externalFiles.reduce((a, f) => a + fs.statSync(f).size, 0);
    return {
      format: 'onnx',
      file: abs,
      fileBytes: scan.fileBytes,
      externalBytes,
      externalFiles: scan.externalFiles,
      producer: scan.producer,
      producerVersion: scan.producerVersion,
      irVersion: scan.irVersion,
      opsets: scan.opsets,
      graphName: scan.graphName,
      docString: scan.docString,
      metadata: scan.metadata,
      inputs: scan.inputs.map((i) => ({ ...i, ...(shapes.types[i.name] ?? {}) })),
      outputs: scan.outputs.map((o) => ({ ...o, ...(shapes.types[o.name] ?? {}), name: o.name })),
      nodes: scan.nodes,
      weights: scan.weights,
      parameterCount: scan.weights.reduce((a, w) => a + (w.parameter ? w.elements : 0), 0),
      byDtype: dtypeTotals(scan.weights),
      valueTypes: shapes.types,
      config: readFolderConfig(abs, notes),
      notes,
      scanMs: performance.now() - started,
      bytesRead: scan.bytesRead,
    };
  }
  const scan = scanTfjsFile(abs);
  notes.push(...scan.notes);
  const valueTypes: Record<string, { dtype: string; dims: readonly (number | string | null)[] | undefined }> = {};
  for (const [name, t] of scan.types) valueTypes[name] = t;
  for (const w of scan.weights) valueTypes[w.name] = { dtype: w.dtype, dims: w.dims };
  return {
    format: scan.format,
    file: abs,
    fileBytes: scan.fileBytes,
    externalBytes: scan.externalBytes,
    externalFiles: scan.externalFiles,
    producer: scan.producer,
    producerVersion: scan.producerVersion,
    opsets: [],
    graphName: scan.graphName,
    docString: '',
    metadata: [],
    inputs: scan.inputs,
    outputs: scan.outputs,
    nodes: scan.nodes,
    weights: scan.weights,
    parameterCount: scan.weights.reduce((a, w) => a + (w.parameter ? w.elements : 0), 0),
    byDtype: dtypeTotals(scan.weights),
    valueTypes,
    config: readFolderConfig(abs, notes),
    notes,
    scanMs: performance.now() - started,
    bytesRead: scan.fileBytes,
  };
}

/** Op types and how often each occurs, most frequent first (subgraph nodes included). */
export function operatorHistogram(inspection: Pick<ModelInspection, 'nodes'>): { opType: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const n of inspection.nodes) {
    const key = n.domain ? `${n.domain}.${n.opType}` : n.opType;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([opType, count]) => ({ opType, count })).sort((a, b) => b.count - a.count || a.opType.localeCompare(b.opType));
}
