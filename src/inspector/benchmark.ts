/**
 * "Benchmark": runs an ONNX model on random inputs of its declared shapes through onnxruntime-node and
 * reports latency percentiles, then runs it again with ORT's profiler on to split the time by operator type
 * and name the slowest nodes. Runs inside the inspector's worker (ORT's run() blocks its thread) or in the
 * CLI's process. No `vscode` import.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import type { CodedError } from '../common/errors';
import { inspectorError, inspectorReason } from './errors';
import type { Dim, ModelInspection, ValueInfo } from './model';
// ort() loads onnxruntime-node on the first benchmark: opening a model in the inspector never pays for it.
import { ort, sessionOptions } from '../text/ortSession';

/** What fills one input: its shape with every dynamic dimension made concrete, and the value range. */
export interface BenchmarkInputPlan {
  readonly name: string;
  readonly dtype: string;
  readonly dims: readonly Dim[];
  /** How values are drawn: uniform floats in [0, 1), integers in [0, maxInt), all ones, or zeros. */
  readonly fill: 'uniform' | 'ids' | 'ones' | 'zeros';
  readonly maxInt: number;
}

export interface BenchmarkOptions {
  /** Values for symbolic dimensions by name (`batch_size: 1`); unnamed dynamic dims use `?`. */
  readonly dims?: Readonly<Record<string, number>>;
  /** Timed runs after warm-up (default 20; fewer when one run is slow, see `budgetMs`). */
  readonly runs?: number;
  readonly warmup?: number;
  /** Stop timing after this long (but after at least 3 runs). Default 10 s. */
  readonly budgetMs?: number;
  /** Runs recorded by the profiler (default 3). 0 skips the profile. */
  readonly profileRuns?: number;
  /** ORT intra-op threads (default 1: the editor shares the machine). */
  readonly threads?: number;
  readonly onProgress?: (message: string) => void;
}

export interface OpTime {
  readonly opType: string;
  /** Mean milliseconds per run spent in kernels of this type. */
  readonly ms: number;
  readonly share: number;
  readonly count: number;
}

export interface NodeTime {
  readonly node: string;
  readonly opType: string;
  readonly ms: number;
}

export interface BenchmarkResult {
  readonly file: string;
  readonly inputs: readonly { readonly name: string; readonly dtype: string; readonly dims: readonly number[] }[];
  readonly runs: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly meanMs: number;
  readonly minMs: number;
  readonly sessionMs: number;
  readonly threads: number;
  /** Per op type and slowest nodes, from ORT's profiler (after its graph optimizations fused nodes). */
  readonly profile: { readonly runs: number; readonly byOpType: readonly OpTime[]; readonly slowestNodes: readonly NodeTime[] } | undefined;
  readonly runtime: string;
}

/** Default sizes for dynamic dimensions: one item per batch, 128 tokens per sequence, else 1. */
export function defaultDimValue(name: string): number {
  if (/seq|length|len$|tokens|time|position/i.test(name)) return 128;
  return 1;
}

/** Symbolic dimension names of the model's inputs, with their default values. */
export function dynamicDims(inputs: readonly ValueInfo[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of inputs) {
    for (const d of i.dims ?? []) {
      if (typeof d === 'string' && !(d in out)) out[d] = defaultDimValue(d);
    }
    if ((i.dims ?? []).some((d) => d === null) && !('?' in out)) out['?'] = 1;
  }
  return out;
}

/**
 * How each input is filled. Token ids are drawn below the row count of the embedding table they index
 * (found from the graph: a Gather reading the input from an initializer), so the run does not fail on an
 * out-of-range id; attention masks are ones and token types zeros, as a tokenizer would produce.
 */
export function planInputs(model: Pick<ModelInspection, 'inputs' | 'nodes' | 'weights'>, dims: Readonly<Record<string, number>> = {}): BenchmarkInputPlan[] {
  const rowsOf = new Map(model.weights.map((w) => [w.name, w.dims[0] ?? 0] as const));
  return model.inputs.map((input) => {
    if (!input.dims) throw inspectorReason('benchmarkInput', 'unknownShape', [input.name]);
    const concrete = input.dims.map((d) => {
      const v = typeof d === 'number' ? d : typeof d === 'string' ? (dims[d] ?? defaultDimValue(d)) : (dims['?'] ?? 1);
      if (!Number.isInteger(v) || v < 0) throw inspectorReason('benchmarkInput', 'badDimension', [input.name, String(d)]);
      return v;
    });
    const isInt = /int/.test(input.dtype);
    let fill: BenchmarkInputPlan['fill'] = isInt ? 'ids' : input.dtype === 'bool' ? 'ones' : 'uniform';
    let maxInt = 2;
    if (isInt) {
      if (/mask/i.test(input.name)) fill = 'ones';
      else if (/type|segment/i.test(input.name)) fill = 'zeros';
      else {
        const gather = model.nodes.find((n) => n.opType === 'Gather' && n.inputs[1] === input.name && rowsOf.has(n.inputs[0]));
        // A quantized embedding table is read by a Gather on its int8 copy, which keeps the row count.
        maxInt = gather ? rowsOf.get(gather.inputs[0])! : 2;
      }
    }
    if (!['float32', 'float64', 'float16', 'int64', 'int32', 'int8', 'uint8', 'bool'].includes(input.dtype)) {
      throw inspectorReason('benchmarkInput', 'unsupportedType', [input.name, input.dtype]);
    }
    return { name: input.name, dtype: input.dtype, dims: concrete, fill, maxInt: Math.max(1, maxInt) };
  });
}

function randomTensor(plan: BenchmarkInputPlan, next: () => number): Tensor {
  const { Tensor: T } = ort();
  const dims = plan.dims as number[];
  const n = dims.reduce((a, b) => a * b, 1);
  const int = (): number => (plan.fill === 'ones' ? 1 : plan.fill === 'zeros' ? 0 : Math.floor(next() * plan.maxInt));
  switch (plan.dtype) {
    case 'float32':
      return new T('float32', Float32Array.from({ length: n }, next), dims);
    case 'float64':
      return new T('float64', Float64Array.from({ length: n }, next), dims);
    case 'float16':
      // float16 travels as its bit pattern; values in [0, 1) via the 10-bit fraction with exponent 14.
      return new T('float16', Uint16Array.from({ length: n }, () => 0x3800 | Math.floor(next() * 1024)), dims);
    case 'int64':
      return new T('int64', BigInt64Array.from({ length: n }, () => BigInt(int())), dims);
    case 'int32':
      return new T('int32', Int32Array.from({ length: n }, int), dims);
    case 'int8':
      return new T('int8', Int8Array.from({ length: n }, () => Math.min(127, int())), dims);
    case 'uint8':
      return new T('uint8', Uint8Array.from({ length: n }, () => Math.min(255, int())), dims);
    default:
      return new T('bool', Uint8Array.from({ length: n }, () => (plan.fill === 'zeros' ? 0 : 1)), dims);
  }
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

interface ProfileEvent {
  readonly cat?: string;
  readonly name?: string;
  readonly dur?: number;
  readonly args?: { readonly op_name?: string };
}

/** Kernel times from an ORT profile (chrome trace JSON), per op type and per node, as means per run. */
export function summarizeProfile(events: readonly ProfileEvent[], runs: number): { byOpType: OpTime[]; slowestNodes: NodeTime[] } {
  const byOp = new Map<string, { us: number; nodes: Set<string> }>();
  const byNode = new Map<string, { us: number; opType: string }>();
  let total = 0;
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name?.endsWith('_kernel_time') || typeof e.dur !== 'number') continue;
    const node = e.name.slice(0, -'_kernel_time'.length);
    const opType = e.args?.op_name ?? 'unknown';
    const op = byOp.get(opType) ?? { us: 0, nodes: new Set<string>() };
    op.us += e.dur;
    op.nodes.add(node);
    byOp.set(opType, op);
    const n = byNode.get(node) ?? { us: 0, opType };
    n.us += e.dur;
    byNode.set(node, n);
    total += e.dur;
  }
  const perRun = Math.max(1, runs);
  const byOpType = [...byOp]
    .map(([opType, v]) => ({ opType, ms: v.us / 1000 / perRun, share: total > 0 ? v.us / total : 0, count: v.nodes.size }))
    .sort((a, b) => b.ms - a.ms);
  const slowestNodes = [...byNode]
    .map(([node, v]) => ({ node, opType: v.opType, ms: v.us / 1000 / perRun }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 10);
  return { byOpType, slowestNodes };
}

/** The text classifier's session options (no busy-waiting pool threads: the editor shares the cores), plus profiling when asked. */
function benchmarkSessionOptions(threads: number, profilePrefix?: string): InferenceSession.SessionOptions {
  return {
    ...sessionOptions({ threads }),
    interOpNumThreads: 1,
    ...(profilePrefix ? { enableProfiling: true, profileFilePrefix: profilePrefix } : {}),
  };
}

async function createSession(file: string, options: InferenceSession.SessionOptions): Promise<InferenceSession> {
  try {
    return await ort().InferenceSession.create(file, options);
  } catch (err) {
    throw inspectorError('benchmarkFailed', [file, (err instanceof Error ? err.message : String(err)).split('\n')[0]]);
  }
}

async function runOnce(session: InferenceSession, feeds: Record<string, Tensor>, file: string): Promise<void> {
  let out: InferenceSession.ReturnType;
  try {
    out = await session.run(feeds);
  } catch (err) {
    throw inspectorError('benchmarkFailed', [file, (err instanceof Error ? err.message : String(err)).split('\n')[0]]);
  }
  for (const t of Object.values(out)) t.dispose();
}

/** Why the benchmark cannot run this model, or undefined when it can (ORT runs ONNX only). */
export function benchmarkUnsupported(model: Pick<ModelInspection, 'file' | 'format'>): CodedError | undefined {
  if (model.format === 'onnx') return undefined;
  return inspectorReason('benchmarkFailed', 'tfjsModel', [model.file]);
}

/** Times the model, then profiles it. The model must be ONNX (onnxruntime-node runs nothing else). */
export async function benchmarkModel(model: Pick<ModelInspection, 'file' | 'format' | 'inputs' | 'nodes' | 'weights'>, options: BenchmarkOptions = {}): Promise<BenchmarkResult> {
  const unsupported = benchmarkUnsupported(model);
  if (unsupported) throw unsupported;
  const plans = planInputs(model, options.dims);
  let seed = 12345;
  const next = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const feeds: Record<string, Tensor> = {};
  for (const p of plans) feeds[p.name] = randomTensor(p, next);
  const threads = Math.max(1, options.threads ?? 1);
  const progress = options.onProgress ?? (() => undefined);

  progress('loading');
  const t0 = performance.now();
  const session = await createSession(model.file, benchmarkSessionOptions(threads));
  const sessionMs = performance.now() - t0;
  const times: number[] = [];
  try {
    for (let i = 0; i < (options.warmup ?? 2); i++) await runOnce(session, feeds, model.file);
    const runs = Math.max(1, options.runs ?? 20);
    const budget = options.budgetMs ?? 10_000;
    const started = performance.now();
    for (let i = 0; i < runs; i++) {
      const s = performance.now();
      await runOnce(session, feeds, model.file);
      times.push(performance.now() - s);
      progress(`run ${i + 1}/${runs}`);
      if (times.length >= 3 && performance.now() - started > budget) break;
    }
  } finally {
    await session.release();
  }

  // A second session with the profiler on, so its bookkeeping never inflates the latencies above.
  let profile: BenchmarkResult['profile'];
  const profileRuns = options.profileRuns ?? 3;
  if (profileRuns > 0) {
    progress('profiling');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lab-profile-'));
    try {
      const prefix = path.join(dir, 'profile');
      const profiled = await createSession(model.file, benchmarkSessionOptions(threads, prefix));
      try {
        await runOnce(profiled, feeds, model.file);
        // The warm-up run's events are in the file too; they are counted as a run below.
        for (let i = 0; i < profileRuns; i++) await runOnce(profiled, feeds, model.file);
        profiled.endProfiling();
      } finally {
        await profiled.release();
      }
      const file = fs.readdirSync(dir).find((f) => f.startsWith('profile') && f.endsWith('.json'));
      if (file) {
        const events = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as ProfileEvent[];
        profile = { runs: profileRuns + 1, ...summarizeProfile(events, profileRuns + 1) };
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  for (const t of Object.values(feeds)) t.dispose();
  const sorted = [...times].sort((a, b) => a - b);
  return {
    file: model.file,
    inputs: plans.map((p) => ({ name: p.name, dtype: p.dtype, dims: p.dims as number[] })),
    runs: times.length,
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    meanMs: times.reduce((a, b) => a + b, 0) / Math.max(1, times.length),
    minMs: sorted[0] ?? NaN,
    sessionMs,
    threads,
    profile,
    runtime: `onnxruntime-node ${ort().env.versions?.node ?? ''}`.trim(),
  };
}
