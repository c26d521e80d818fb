/**
 * Issue 18 §3: where the fp32 BERT-base run's time goes, and which of onnxruntime's transformer fusions the
 * exported graph gets. One session of the BERT-base-shaped fp32 graph (the text section's, from the cache),
 * loaded with the product's options (`sessionOptions`: graph optimisation 'all', intra-op threads = cores,
 * spinning OFF) plus ORT's profiler and `optimizedModelFilePath`:
 * - per-operator-type share of the timed runs at 128 tokens × batch 8 (ORT's `_kernel_time` events summed by
 *   `op_name`, ÷ the `model_run` time of the same runs; warm-up run excluded), and the matrix products' own
 *   efficiency: the counted FLOPs ÷ the MatMul/FusedMatMul/Gemm kernel time, against peak;
 * - the optimized graph's operators: Attention, FastGelu / BiasGelu / Gelu, SkipLayerNormalization,
 *   LayerNormalization, FusedMatMul, MatMul, Gemm — so a fusion the export blocks shows as a count.
 * Then, interleaved with a second session of the same graph, the same shape with intra-op spinning ON: a
 * bench-only figure (the product keeps spinning off; the metric's name says "spinning on").
 *
 * What the counts mean for our exporter's graph (bench/README.md, "Issue 18 measurements", has the numbers):
 * BiasGelu fuses (faster than the unfused chain); SkipLayerNormalization does not (Range-made position ids leave
 * the sequence dim unnamed) and should not here — unblocked, ORT 1.30's CPU kernel was 4× slower than
 * Add + Add + LayerNormalization; Attention does not (run.ts ATTENTION_NOT_FUSED), worth ~3 % when forced.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sessionOptions, ort } from '../../src/text/ortSession';
import { decodeModel } from '../../src/train/onnx/graphBuilder';
import type { Metric } from '../lib/report';
import { round } from '../lib/report';
import { BERT_BASE, BERT_QUICK, bertArtifacts, bertFlops } from './textBert';

export interface TextProfileOptions {
  readonly repoRoot: string;
  readonly quick: boolean;
  readonly threads: number;
  readonly workDir: string;
  readonly peakGflops: number;
  readonly log: (line: string) => void;
}

/** Operator counts of the graph onnxruntime runs after its optimisations. */
export interface FusionCounts {
  readonly attention: number;
  readonly gelu: { fastGelu: number; biasGelu: number; gelu: number };
  readonly skipLayerNorm: number;
  readonly layerNorm: number;
  readonly fusedMatMul: number;
  readonly matMul: number;
  readonly gemm: number;
  readonly layers: number;
}

export interface OpShare {
  readonly opType: string;
  readonly percent: number;
  readonly msPerRun: number;
}

export interface TextProfileResult {
  readonly metrics: Metric[];
  readonly shape: string;
  readonly fusions?: FusionCounts;
  readonly shares?: OpShare[];
  /** Counted FLOPs ÷ the matrix-product kernels' time, % of peak. */
  readonly gemmPercentOfPeak?: number;
  /** Share of the run outside the matrix-product kernels, %. */
  readonly nonGemmPercent?: number;
  /** The same shape with intra-op spinning on (bench only), % of peak, and its speed-up over off, interleaved. */
  readonly spinning?: { percentOfPeak: number; speedup: number };
}

/** Counts the operators of an ONNX graph that tell which transformer fusions happened. */
export function countFusions(modelBytes: Uint8Array, layers: number): FusionCounts {
  const counts = new Map<string, number>();
  for (const n of decodeModel(modelBytes).graph?.node ?? []) counts.set(n.opType ?? '', (counts.get(n.opType ?? '') ?? 0) + 1);
  const c = (op: string) => counts.get(op) ?? 0;
  return {
    attention: c('Attention') + c('MultiHeadAttention'),
    gelu: { fastGelu: c('FastGelu'), biasGelu: c('BiasGelu'), gelu: c('Gelu') },
    skipLayerNorm: c('SkipLayerNormalization') + c('SkipSimplifiedLayerNormalization'),
    layerNorm: c('LayerNormalization'),
    fusedMatMul: c('FusedMatMul'),
    matMul: c('MatMul'),
    gemm: c('Gemm') + c('FusedGemm'),
    layers,
  };
}

interface ProfileEvent {
  readonly cat: string;
  readonly name: string;
  readonly ts: number;
  readonly dur: number;
  readonly args?: { readonly op_name?: string };
}

/** Per-op-type kernel time of the runs after the first (the warm-up), as shares of those runs' `model_run` time. */
export function opShares(events: readonly ProfileEvent[]): { shares: OpShare[]; timedRuns: number; runMs: number } {
  const runs = events.filter((e) => e.cat === 'Session' && e.name === 'model_run').sort((a, b) => a.ts - b.ts);
  if (runs.length < 2) throw new Error(`the ORT profile holds ${runs.length} model_run event(s); a warm-up and at least one timed run are needed`);
  const timed = runs.slice(1);
  const start = timed[0].ts;
  const runUs = timed.reduce((a, r) => a + r.dur, 0);
  const perOp = new Map<string, number>();
  let kernels = 0;
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time') || e.ts < start) continue;
    const op = e.args?.op_name ?? 'unknown';
    perOp.set(op, (perOp.get(op) ?? 0) + e.dur);
    kernels += e.dur;
  }
  perOp.set('(between kernels: ORT scheduling, allocation)', Math.max(0, runUs - kernels));
  const shares = [...perOp]
    .map(([opType, us]) => ({ opType, percent: round((100 * us) / runUs, 1), msPerRun: round(us / 1000 / timed.length, 1) }))
    .sort((a, b) => b.percent - a.percent);
  return { shares, timedRuns: timed.length, runMs: runUs / 1000 / timed.length };
}

const GEMM_OPS = new Set(['MatMul', 'FusedMatMul', 'Gemm', 'FusedGemm', 'Attention']);

function feedsFor(ortMod: ReturnType<typeof ort>, batch: number, seq: number, vocab: number): Record<string, InstanceType<ReturnType<typeof ort>['Tensor']>> {
  const n = batch * seq;
  const ids = new BigInt64Array(n);
  for (let i = 0; i < n; i++) ids[i] = BigInt(1000 + ((i * 7919) % (vocab - 1000)));
  return {
    input_ids: new ortMod.Tensor('int64', ids, [batch, seq]),
    attention_mask: new ortMod.Tensor('int64', new BigInt64Array(n).fill(1n), [batch, seq]),
    token_type_ids: new ortMod.Tensor('int64', new BigInt64Array(n), [batch, seq]),
  };
}

/**
 * The section's share of the full bench's 10 minutes: three loads of the 440 MB graph (one writing the optimized
 * copy), 1 + 3 profiled runs and 2 × 3 interleaved runs at 128×8: 70 s at load average 10, ~40 s expected quiet.
 */
export const PROFILE_RUNS = { warmup: 1, profiled: 3, spinPairs: 3 } as const;

export async function runTextProfile(opts: TextProfileOptions): Promise<TextProfileResult> {
  const { log, quick } = opts;
  const config = quick ? BERT_QUICK : BERT_BASE;
  const [seq, batch] = quick ? [32, 2] : [128, 8];
  const shape = `${seq}×${batch}`;
  const label = quick ? 'BERT toy graph' : 'BERT-base-shaped fp32';
  const art = bertArtifacts(opts.repoRoot, config, log);
  const modelPath = path.join(art.fp32Dir, 'model.onnx');
  const o = ort();
  const optimizedPath = path.join(opts.workDir, 'bert-fp32.optimized.onnx');
  const prefix = path.join(opts.workDir, 'ort-profile');
  const metrics: Metric[] = [];
  const flops = bertFlops(config, seq, batch);
  const feeds = feedsFor(o, batch, seq, config.vocabSize);

  // 1. Profiled session, the product's options.
  const session = await o.InferenceSession.create(modelPath, { ...sessionOptions({ threads: opts.threads }, config.hiddenSize), enableProfiling: true, profileFilePrefix: prefix, optimizedModelFilePath: optimizedPath });
  try {
    for (let i = 0; i < PROFILE_RUNS.warmup + PROFILE_RUNS.profiled; i++) await session.run(feeds);
    session.endProfiling();
  } finally {
    await session.release();
  }
  const profileFile = fs
    .readdirSync(opts.workDir)
    .filter((f) => f.startsWith(path.basename(prefix)) && f.endsWith('.json'))
    .map((f) => path.join(opts.workDir, f))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
  if (!profileFile) throw new Error(`onnxruntime wrote no profile under ${opts.workDir}`);
  const { shares, timedRuns, runMs } = opShares(JSON.parse(fs.readFileSync(profileFile, 'utf8')) as ProfileEvent[]);
  fs.rmSync(profileFile, { force: true });
  const fusions = countFusions(fs.readFileSync(optimizedPath), config.numHiddenLayers);
  fs.rmSync(optimizedPath, { force: true });

  const gemmMs = shares.filter((s) => GEMM_OPS.has(s.opType)).reduce((a, s) => a + s.msPerRun, 0);
  const gemmPercentOfPeak = gemmMs > 0 ? round((100 * flops) / (gemmMs / 1000) / 1e9 / opts.peakGflops, 1) : undefined;
  const nonGemmPercent = round(shares.filter((s) => !GEMM_OPS.has(s.opType)).reduce((a, s) => a + s.percent, 0), 1);
  const shareText = shares.filter((s) => s.percent >= 0.1).map((s) => `${s.opType} ${s.percent} %`).join(', ');
  const method = `ORT profiler (enableProfiling) on the product's session options (graph optimisation all, ${opts.threads} intra-op threads, spinning off), ${label} ${shape}: kernel time summed per op type over ${timedRuns} runs after ${PROFILE_RUNS.warmup} warm-up, ÷ their model_run time (${round(runMs, 0)} ms per run with the profiler on)`;
  metrics.push({ id: 'profile.op-shares', section: 'efficiency', name: `${label} ${shape}: time per operator type (% of the run)`, status: 'ok', value: nonGemmPercent, unit: '% outside the matrix products', method: `${method}. Shares: ${shareText}` });
  if (gemmPercentOfPeak !== undefined) {
    metrics.push({ id: 'profile.gemm-efficiency', section: 'efficiency', name: `${label} ${shape}: matrix products alone (MatMul, FusedMatMul, Gemm kernels), % of peak`, status: 'ok', value: gemmPercentOfPeak, unit: '% of peak fp32', method: `${round(flops / 1e9, 2)} GFLOP (the efficiency figures' count) ÷ the profiled matrix-product kernel time (${round(gemmMs, 0)} ms per run) ÷ peak ${opts.peakGflops} GFLOP/s` });
  }
  const g = fusions.gelu;
  const fusionText = `Attention ${fusions.attention}/${fusions.layers} layers (Q, K and V MatMuls merged into one only inside Attention), BiasGelu ${g.biasGelu} + FastGelu ${g.fastGelu} + Gelu ${g.gelu}, SkipLayerNormalization ${fusions.skipLayerNorm} (LayerNormalization left ${fusions.layerNorm}), FusedMatMul ${fusions.fusedMatMul} (Qₕ·Kₕᵀ with the 1/√d scale folded in), MatMul ${fusions.matMul}, Gemm ${fusions.gemm}`;
  metrics.push({ id: 'profile.fusions', section: 'efficiency', name: `${label}: onnxruntime fusions in the optimized graph`, status: 'ok', value: fusions.skipLayerNorm + g.biasGelu + g.fastGelu + g.gelu + fusions.attention, unit: 'fused nodes', method: `optimizedModelFilePath of the same session, operators counted: ${fusionText}` });
  log(`  ${shape} profile: ${shareText}`);
  log(`  matrix products alone: ${gemmPercentOfPeak ?? '?'} % of peak; fusions: ${fusionText}`);

  // 2. Spinning on vs off, interleaved (bench-only figure).
  let spinning: TextProfileResult['spinning'];
  const off = await o.InferenceSession.create(modelPath, sessionOptions({ threads: opts.threads }, config.hiddenSize));
  const on = await o.InferenceSession.create(modelPath, sessionOptions({ threads: opts.threads, allowSpinning: true }, config.hiddenSize));
  try {
    await off.run(feeds);
    await on.run(feeds);
    const tOff: number[] = [];
    const tOn: number[] = [];
    for (let i = 0; i < (quick ? 1 : PROFILE_RUNS.spinPairs); i++) {
      // Alternate which goes first, so that drift within a pair falls on both.
      for (const [s, out] of i % 2 === 0 ? ([[off, tOff], [on, tOn]] as const) : ([[on, tOn], [off, tOff]] as const)) {
        const t0 = performance.now();
        await s.run(feeds);
        out.push(performance.now() - t0);
      }
    }
    const med = (x: number[]) => [...x].sort((a, b) => a - b)[Math.floor((x.length - 1) / 2)];
    const pctOn = round((100 * flops) / (med(tOn) / 1000) / 1e9 / opts.peakGflops, 1);
    const pctOff = round((100 * flops) / (med(tOff) / 1000) / 1e9 / opts.peakGflops, 1);
    spinning = { percentOfPeak: pctOn, speedup: round(med(tOff) / med(tOn), 2) };
    metrics.push({
      id: 'profile.spinning',
      section: 'efficiency',
      name: `${label} ${shape} with intra-op spinning ON (bench only; the product keeps it off): % of peak`,
      status: 'ok',
      value: pctOn,
      unit: '% of peak fp32',
      method: `two sessions of the same graph, session.intra_op.allow_spinning 1 vs 0, ${tOn.length} alternating pairs after one warm-up each: on p50 ${round(med(tOn), 0)} ms (${pctOn} %), off p50 ${round(med(tOff), 0)} ms (${pctOff} %), on is ${spinning.speedup}× off`,
    });
    log(`  spinning on vs off at ${shape}, interleaved: ${spinning.speedup}× (${pctOn} % vs ${pctOff} % of peak)`);
  } finally {
    await off.release();
    await on.release();
  }
  return { metrics, shape, fusions, shares, gemmPercentOfPeak, nonGemmPercent, spinning };
}
