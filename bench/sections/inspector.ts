/**
 * Model inspector: the time to open a BERT-base-sized model.onnx (438 MB fp32, built by our own exporter through
 * textBert.ts's cached `bertArtifacts`, nothing downloaded) to its summary — what the editor's worker does before
 * the webview can show anything: scan the file (src/inspector/onnxScanner.ts), infer shapes, lay out the graph and
 * run the fit checks (`modelView(inspectModel(file))`). fp32 and int8 are timed interleaved, cold file cache not
 * forced (the OS keeps the file cached after the first run, as it would for a user reopening it), and the bytes the
 * scanner read are reported: the weights are skipped, not read. The reference, interleaved with ours in the same
 * runs so machine load affects both alike: reading the whole fp32 file and decoding it with protobufjs (onnx-proto),
 * the usual way to open an ONNX model in JavaScript (and what src/text/onnxGraph.ts does for small models).
 */
import * as fs from 'node:fs';
import { onnx } from 'onnx-proto';
import { inspectModel } from '../../src/inspector/inspect';
import { modelView } from '../../src/inspector/view';
import type { Metric } from '../lib/report';
import { round } from '../lib/report';
import { BERT_BASE, BERT_QUICK, bertArtifacts } from './textBert';

export interface InspectorBenchResult {
  readonly metrics: Metric[];
  /** p95 ms to the summary of the BERT-base fp32 file (full run). */
  readonly openP95Ms?: number;
}

function percentile(sorted: number[], p: number): number {
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

export async function runInspectorBench(options: { repoRoot: string; quick: boolean; log: (line: string) => void }): Promise<InspectorBenchResult> {
  const { repoRoot, quick, log } = options;
  const artifacts = bertArtifacts(repoRoot, quick ? BERT_QUICK : BERT_BASE, log);
  const files = [
    { label: 'fp32', file: `${artifacts.fp32Dir}/model.onnx` },
    { label: 'int8', file: `${artifacts.int8Dir}/model.onnx` },
  ];
  const runs = quick ? 2 : 7;
  const times = new Map<string, number[]>([...files.map((f) => [f.label, []] as [string, number[]]), ['protobufjs', []]]);
  const read = new Map<string, number>();
  for (let i = 0; i < runs; i++) {
    const p0 = performance.now();
    const decoded = onnx.ModelProto.decode(fs.readFileSync(files[0].file));
    times.get('protobufjs')!.push(performance.now() - p0);
    if (!decoded.graph) throw new Error('protobufjs decoded no graph');
    for (const f of files) {
      const t0 = performance.now();
      const inspection = inspectModel(f.file);
      const view = modelView(inspection);
      const ms = performance.now() - t0;
      if (view.nodes.length === 0 || inspection.parameterCount === 0) throw new Error(`${f.file}: the inspection is empty`);
      times.get(f.label)!.push(ms);
      read.set(f.label, inspection.bytesRead);
    }
  }
  const shape = quick ? 'toy BERT (hidden 32, 2 layers)' : 'BERT-base-sized (12 layers, hidden 768, vocab 30,522)';
  const metrics: Metric[] = [];
  let openP95Ms: number | undefined;
  for (const f of files) {
    const sorted = [...times.get(f.label)!].sort((a, b) => a - b);
    const size = fs.statSync(f.file).size;
    const p50 = percentile(sorted, 50);
    const p95 = percentile(sorted, 95);
    if (f.label === 'fp32' && !quick) openP95Ms = p95;
    log(`  ${f.label}: ${(size / 1024 ** 2).toFixed(0)} MB, summary in p50 ${p50.toFixed(0)} ms / p95 ${p95.toFixed(0)} ms, ${(read.get(f.label)! / 1024 ** 2).toFixed(1)} MB read`);
    metrics.push({
      id: `inspector.open.${f.label}`,
      section: 'inspector',
      name: `Model inspector: open a ${shape} ${f.label} model.onnx (${round(size / 1024 ** 2, 0)} MB) to its summary`,
      status: 'ok',
      value: round(p50, 1),
      unit: `ms p50 (p95 ${round(p95, 1)} ms, max ${round(sorted[sorted.length - 1], 1)} ms; ${round(read.get(f.label)! / 1024 ** 2, 1)} MB of the file read)`,
      method: `modelView(inspectModel(file)) in one process — the worker's work before the editor shows the summary (scan, shape inference, graph layout, fit checks) — ${runs} runs, fp32 and int8 interleaved`,
    });
  }
  const peer = [...times.get('protobufjs')!].sort((a, b) => a - b);
  const ours = [...times.get('fp32')!].sort((a, b) => a - b);
  const ratio = percentile(peer, 50) / percentile(ours, 50);
  log(`  reference: readFileSync + onnx-proto decode of the fp32 file p50 ${percentile(peer, 50).toFixed(0)} ms; ours ${ratio.toFixed(1)}× faster`);
  metrics.push({
    id: 'inspector.open.reference-protobufjs',
    section: 'inspector',
    name: `Reference: read the whole fp32 file and decode it with protobufjs (onnx-proto) — ours is ${round(ratio, 1)}× faster at p50`,
    status: 'ok',
    value: round(percentile(peer, 50), 1),
    unit: `ms p50 (p95 ${round(percentile(peer, 95), 1)} ms)`,
    method: `fs.readFileSync + onnx.ModelProto.decode, interleaved with the runs above (${runs} runs)`,
  });
  return { metrics, openP95Ms };
}
