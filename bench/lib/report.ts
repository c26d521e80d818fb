/**
 * The shape of `bench/results/latest.json` and the helpers every section uses to fill it. One file, so the
 * unit test (test/unit/bench/benchQuick.test.ts) and the README describe the same thing.
 */

/** One timed engine: ours or a peer. Never estimated: a peer that did not run says so, with the reason. */
export interface Measurement {
  readonly engine: string;
  readonly status: 'ok' | 'not run' | 'failed';
  /** Why it did not run, with the install hint when it is a missing peer. */
  readonly reason?: string;
  readonly method?: string;
  readonly iterations?: number;
  readonly p50Ms?: number;
  readonly p95Ms?: number;
  /** Throughput figures (tokenizer): MB/s of UTF-8 input at the median pass. */
  readonly mbPerSecond?: number;
  /** Extra facts (parity checks, identical-output fractions, …). */
  readonly notes?: Record<string, number | string | boolean>;
}

/** A figure: our measurement, each peer's, and ours ÷ peer expressed as "× faster" (peer p50 ÷ our p50). */
export interface Figure {
  readonly id: string;
  readonly section: 'text' | 'image' | 'tokenizer' | 'efficiency' | 'extension' | 'inspector';
  readonly name: string;
  readonly ours: Measurement;
  readonly peers: Measurement[];
  /** Peer engine → how many times faster ours is (> 1: ours faster). Only for peers that ran. */
  readonly fasterThan: Record<string, number>;
}

/** A plain number the bench reports (sizes, activation time, GFLOP/s). */
export interface Metric {
  readonly id: string;
  readonly section: Figure['section'];
  readonly name: string;
  readonly status: 'ok' | 'not run' | 'failed';
  readonly value?: number;
  readonly unit: string;
  readonly method: string;
  readonly reason?: string;
}

export interface TargetResult {
  readonly id: string;
  readonly target: string;
  readonly status: 'HOLDS' | 'MISSED' | 'not measured';
  readonly measured?: string;
  readonly reason?: string;
}

export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly flags: { avx2: boolean; fma: boolean; avx512: string[] };
  readonly cpuinfoMhz: number | undefined;
  /** Clock measured by the bench (dependent integer-multiply chain), and how. */
  readonly measuredGhz: number;
  readonly clockMethod: string;
  readonly peakFp32Gflops: number;
  readonly peakMethod: string;
  readonly memoryGiB: number;
  readonly loadAverage: number[];
  readonly os: string;
}

export interface BenchReport {
  readonly schema: 'model-lab-bench/1';
  readonly date: string;
  readonly mode: 'full' | 'quick';
  readonly durationSeconds: number;
  readonly machine: MachineInfo;
  readonly versions: Record<string, string>;
  readonly threads: { ortIntraOp: number; note: string };
  readonly figures: Figure[];
  readonly metrics: Metric[];
  readonly targets: TargetResult[];
}

/** Sorted-sample percentile by nearest rank (p in 0..100). */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new Error('percentile of no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function okMeasurement(engine: string, samplesMs: readonly number[], method: string, extra: Partial<Measurement> = {}): Measurement {
  return { engine, status: 'ok', method, iterations: samplesMs.length, p50Ms: round(percentile(samplesMs, 50)), p95Ms: round(percentile(samplesMs, 95)), ...extra };
}

export function notRun(engine: string, reason: string): Measurement {
  return { engine, status: 'not run', reason };
}

export function failed(engine: string, err: unknown): Measurement {
  return { engine, status: 'failed', reason: err instanceof Error ? err.message.split('\n')[0] : String(err) };
}

/** Builds a figure and its "× faster" ratios from whichever peers ran. Throughput figures compare MB/s. */
export function figure(id: string, section: Figure['section'], name: string, ours: Measurement, peers: Measurement[]): Figure {
  const fasterThan: Record<string, number> = {};
  for (const peer of peers) {
    if (ours.status !== 'ok' || peer.status !== 'ok') continue;
    if (ours.mbPerSecond !== undefined && peer.mbPerSecond !== undefined && peer.mbPerSecond > 0) fasterThan[peer.engine] = round(ours.mbPerSecond / peer.mbPerSecond, 2);
    else if (ours.p50Ms !== undefined && peer.p50Ms !== undefined && ours.p50Ms > 0) fasterThan[peer.engine] = round(peer.p50Ms / ours.p50Ms, 2);
  }
  return { id, section, name, ours, peers, fasterThan };
}

export function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
