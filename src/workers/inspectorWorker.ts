/**
 * The model inspector's worker: reading the model's structure, weight statistics (streamed from disk) and the
 * benchmark (onnxruntime's run() blocks its thread) all run here, off the extension host's event loop. The
 * editor uses two instances, one for inspection and statistics and one for benchmarks, so a long benchmark
 * never holds up a statistics request and cancelling it (terminating its worker) loses nothing else.
 */
import * as fs from 'node:fs';
import { handle, serve } from '../common/workerServer';
import { benchmarkModel } from '../inspector/benchmark';
import { inspectorError } from '../inspector/errors';
import { inspectModel } from '../inspector/inspect';
import type { ModelInspection } from '../inspector/model';
import { weightStatistics } from '../inspector/tensorStats';
import { modelView } from '../inspector/view';
import { benchmarkModelFile, inspectModelFile, weightStatisticsOf } from './inspectorProtocol';

/** Inspections by file, keyed by modification time so an overwritten model is read again. Small: structure only. */
const cache = new Map<string, { mtimeMs: number; inspection: ModelInspection }>();
const CACHE_SIZE = 8;

function inspection(file: string): ModelInspection {
  let mtimeMs = 0;
  try {
    mtimeMs = fs.statSync(file).mtimeMs;
  } catch {
    // inspectModel reports the missing file.
  }
  const hit = cache.get(file);
  if (hit && hit.mtimeMs === mtimeMs) return hit.inspection;
  const fresh = inspectModel(file);
  cache.delete(file);
  cache.set(file, { mtimeMs, inspection: fresh });
  while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return fresh;
}

serve([
  handle(inspectModelFile, ({ file }) => modelView(inspection(file))),
  handle(weightStatisticsOf, ({ file, weight }) => {
    const w = inspection(file).weights.find((x) => x.name === weight);
    if (!w) throw inspectorError('noSuchWeight', [weight]);
    return weightStatistics(w);
  }),
  handle(benchmarkModelFile, ({ file, dims, runs, threads }) => benchmarkModel(inspection(file), { dims, runs, threads })),
]);
