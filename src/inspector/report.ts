/**
 * The inspection as text and as JSON for `model-lab inspect`: summary, operator histogram and, on request,
 * the benchmark. No `vscode` import.
 */
import * as path from 'node:path';
import type { BenchmarkResult } from './benchmark';
import { operatorHistogram } from './inspect';
import { formatDims, type ModelInspection } from './model';
import { counted } from '../common/plural';

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)} ${units[i]}`;
}

export const formatCount = (n: number): string => n.toLocaleString('en-US');

const formatMs = (ms: number): string => (ms < 1 ? ms.toFixed(3) : ms < 10 ? ms.toFixed(2) : ms.toFixed(1));

const FORMAT_NAMES: Record<ModelInspection['format'], string> = { onnx: 'ONNX', 'tfjs-layers': 'TensorFlow.js layers model', 'tfjs-graph': 'TensorFlow.js graph model' };

export function inspectionText(m: ModelInspection): string[] {
  const lines: string[] = [];
  const opsets = m.opsets.map((o) => `${o.domain || 'ai.onnx'} ${o.version}`).join(', ');
  lines.push(`${path.basename(m.file)} — ${FORMAT_NAMES[m.format]}${m.irVersion ? `, IR ${m.irVersion}` : ''}${opsets ? `, opset ${opsets}` : ''}`);
  if (m.producer || m.producerVersion) lines.push(`Producer: ${[m.producer, m.producerVersion].filter(Boolean).join(' ')}`);
  lines.push(`File: ${formatBytes(m.fileBytes)}${m.externalFiles.length ? `; external data: ${formatBytes(m.externalBytes)} in ${m.externalFiles.map((f) => path.basename(f)).join(', ')}` : ''}`);
  if (m.graphName) lines.push(`Graph: ${m.graphName}`);
  const io = (title: string, values: ModelInspection['inputs']) => {
    lines.push(`${title}:`);
    const width = Math.max(0, ...values.map((v) => v.name.length));
    for (const v of values) lines.push(`  ${v.name.padEnd(width)}  ${v.dtype}  ${formatDims(v.dims)}`);
  };
  io('Inputs', m.inputs);
  io('Outputs', m.outputs);
  lines.push(`Parameters: ${formatCount(m.parameterCount)}`);
  for (const d of m.byDtype) lines.push(`  ${d.dtype}: ${formatCount(d.elements)} values in ${d.tensors} tensor${d.tensors === 1 ? '' : 's'}, ${formatBytes(d.bytes)}`);
  if (m.metadata.length > 0) {
    lines.push('Metadata:');
    for (const p of m.metadata) lines.push(`  ${p.key}: ${p.value}`);
  }
  if (m.config) {
    const c = m.config;
    lines.push(`Config (${path.basename(c.file)}):`);
    if (c.modelType) lines.push(`  model type: ${c.modelType}`);
    if (c.task) lines.push(`  task: ${c.task}`);
    if (c.labels) lines.push(`  labels (${c.labels.length}): ${c.labels.slice(0, 20).join(', ')}${c.labels.length > 20 ? ', …' : ''}`);
    if (c.preprocessing) lines.push(`  preprocessing: ${c.preprocessing}`);
  }
  const hist = operatorHistogram(m);
  lines.push(`Operators: ${counted(m.nodes.length, 'node', 'nodes')}, ${counted(hist.length, 'type', 'types')}`);
  const width = Math.max(0, ...hist.map((h) => h.opType.length));
  for (const h of hist) lines.push(`  ${h.opType.padEnd(width)}  ${h.count}`);
  for (const n of m.notes) lines.push(`Note: ${n}`);
  return lines;
}

export function benchmarkText(b: BenchmarkResult): string[] {
  const lines = [
    `Benchmark (${b.runtime}, ${b.threads} thread${b.threads === 1 ? '' : 's'}, inputs ${b.inputs.map((i) => `${i.name} [${i.dims.join(', ')}]`).join(', ')}):`,
    `  p50 ${formatMs(b.p50Ms)} ms, p95 ${formatMs(b.p95Ms)} ms, mean ${formatMs(b.meanMs)} ms over ${b.runs} runs; session created in ${formatMs(b.sessionMs)} ms`,
  ];
  if (b.profile) {
    lines.push(`  Time per operator type (ORT profiler, mean of ${b.profile.runs} runs, after ORT's graph optimizations):`);
    for (const o of b.profile.byOpType) lines.push(`    ${o.opType.padEnd(24)} ${formatMs(o.ms).padStart(9)} ms  ${(o.share * 100).toFixed(1).padStart(5)} %  (${o.count} node${o.count === 1 ? '' : 's'})`);
    lines.push('  Slowest nodes:');
    for (const n of b.profile.slowestNodes) lines.push(`    ${n.node} (${n.opType})  ${formatMs(n.ms)} ms`);
  }
  return lines;
}

/** The JSON `model-lab inspect --json` prints: the summary, histogram and weights list, without node details. */
export function inspectionJson(m: ModelInspection, benchmark?: BenchmarkResult): Record<string, unknown> {
  return {
    file: m.file,
    format: m.format,
    fileBytes: m.fileBytes,
    externalBytes: m.externalBytes,
    externalFiles: m.externalFiles,
    producer: m.producer,
    producerVersion: m.producerVersion,
    irVersion: m.irVersion,
    opsets: m.opsets,
    graphName: m.graphName,
    metadata: m.metadata,
    inputs: m.inputs,
    outputs: m.outputs,
    parameterCount: m.parameterCount,
    byDtype: m.byDtype,
    config: m.config,
    nodeCount: m.nodes.length,
    operators: operatorHistogram(m),
    weights: m.weights.map((w) => ({ name: w.name, dtype: w.dtype, dims: w.dims, elements: w.elements, bytes: w.bytes, location: w.location, parameter: w.parameter })),
    notes: m.notes,
    ...(benchmark ? { benchmark } : {}),
  };
}
