/**
 * The calls of src/workers/inspectorWorker.ts, used by the model inspector editor (src/ui/modelInspectorEditor.ts).
 * Every call names the model file; the worker keeps the last inspections so weight statistics do not re-read
 * the structure. A model problem rejects the call with a CodedError (src/inspector/errors.ts). No `vscode` import.
 */
import { workerCall } from '../common/workerCall';
import type { BenchmarkResult } from '../inspector/benchmark';
import type { WeightStats } from '../inspector/tensorStats';
import type { ModelView } from '../inspector/view';

export const inspectModelFile = workerCall<{ readonly file: string }, ModelView>('inspect');

export const weightStatisticsOf = workerCall<{ readonly file: string; readonly weight: string }, WeightStats>('weightStats');

export const benchmarkModelFile = workerCall<
  { readonly file: string; readonly dims: Readonly<Record<string, number>>; readonly runs: number; readonly threads: number },
  BenchmarkResult
>('benchmark');
