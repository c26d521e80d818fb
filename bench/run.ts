/**
 * `npm run bench` — Model Lab against the peers a user would pick instead, on this machine, in one run, with the
 * same weights and thread counts. Prints a table and writes bench/results/latest.json (shape: bench/lib/report.ts).
 *
 *   npm run bench                       full run (≤ 10 minutes on the 2-core dev machine)
 *   npm run bench -- --quick            tiny shapes and few iterations, seconds; what the unit test runs
 *   npm run bench -- --out FILE         write the JSON elsewhere
 *   npm run bench -- --json             print the JSON instead of the table
 *   npm run bench -- --only text,image  sections: text, profile, e2e, tokenizer, image, extension, inspector
 *
 * A full run with the default output path also rewrites the "Latest results" block of bench/README.md.
 * Peers that are not installed are reported "not run" with the install hint; nothing is estimated.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeMachine } from './lib/machine';
import { since } from './lib/measure';
import type { BenchReport, Figure, Measurement, Metric, TargetResult } from './lib/report';
import { round } from './lib/report';
import { transformersVersion } from './lib/transformersJs';
import { runExtensionBench } from './sections/extension';
import { runImageBench, type ImageResult } from './sections/image';
import { runInspectorBench, type InspectorBenchResult } from './sections/inspector';
import { BERT_QUICK, bertArtifacts, bundledBertSource, bundledShapes, runBertFigures, runTextBert, type TextBertResult } from './sections/textBert';
import { runTextEndToEnd, type TextE2eResult } from './sections/textEndToEnd';
import { runTextProfile, type TextProfileResult } from './sections/textProfile';
import { EDGE_DOCUMENTS, RUST_ENGINE, runTokenizerBench, type TokenizerResult } from './sections/tokenizer';

export const SECTIONS = ['text', 'profile', 'e2e', 'tokenizer', 'image', 'extension', 'inspector'] as const;
type Section = (typeof SECTIONS)[number];

export interface BenchArgs {
  quick: boolean;
  json: boolean;
  out: string;
  only: Set<Section>;
}

const repoRoot = path.resolve(__dirname, '..');
export const DEFAULT_OUT = path.join(repoRoot, 'bench', 'results', 'latest.json');

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const args: BenchArgs = { quick: false, json: false, out: DEFAULT_OUT, only: new Set(SECTIONS) };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') args.quick = true;
    else if (a === '--json') args.json = true;
    else if (a === '--out') {
      const v = argv[++i];
      if (!v) throw new Error('--out needs a file path');
      args.out = path.resolve(v);
    } else if (a === '--only') {
      const v = argv[++i] ?? '';
      const names = v.split(',').filter(Boolean);
      const bad = names.filter((n) => !(SECTIONS as readonly string[]).includes(n));
      if (names.length === 0 || bad.length) throw new Error(`--only takes a comma list of ${SECTIONS.join(', ')}${bad.length ? ` (unknown: ${bad.join(', ')})` : ''}`);
      args.only = new Set(names as Section[]);
    } else throw new Error(`unknown argument ${a} (use --quick, --json, --out FILE, --only SECTIONS)`);
  }
  return args;
}

function packageVersion(name: string): string | undefined {
  try {
    return (JSON.parse(fs.readFileSync(path.join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return undefined;
  }
}

export async function runBench(args: BenchArgs, log: (line: string) => void): Promise<BenchReport> {
  const t0 = performance.now();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lab-bench-'));
  try {
    log(`Model Lab bench (${args.quick ? 'quick' : 'full'}) — measuring the clock…`);
    const machine = describeMachine(args.quick);
    const threads = machine.cores;
    log(`  ${machine.cpuModel}, ${machine.cores} cores, ${machine.measuredGhz} GHz measured, peak fp32 ${machine.peakFp32Gflops} GFLOP/s, load ${machine.loadAverage.join(' ')}`);
    const versions: Record<string, string> = { node: process.versions.node };
    for (const p of ['onnxruntime-node', '@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', '@huggingface/transformers', 'tokenizers']) {
      const v = p === '@huggingface/transformers' ? transformersVersion(repoRoot) : packageVersion(p);
      versions[p] = v ?? 'not installed';
    }
    const figures: Figure[] = [];
    const metrics: Metric[] = [];

    const section = async <T>(name: Section, title: string, fn: () => Promise<T>): Promise<T | undefined> => {
      if (!args.only.has(name)) return undefined;
      const s0 = performance.now();
      log(`\n[${name}] ${title}`);
      try {
        return await fn();
      } catch (err) {
        log(`  ${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        metrics.push({ id: `${name}.error`, section: name === 'e2e' ? 'text' : name === 'extension' ? 'extension' : name === 'image' ? 'image' : name === 'tokenizer' ? 'tokenizer' : name === 'inspector' ? 'inspector' : 'text', name: `${name} section`, status: 'failed', unit: '', method: '', reason: err instanceof Error ? err.message : String(err) });
        return undefined;
      } finally {
        log(`  [${name}] ${since(s0)}`);
      }
    };

    const text: TextBertResult | undefined = await section('text', args.quick ? 'BERT toy graph' : 'BERT-base-shaped graph, fp32 and int8, vs PyTorch and tfjs-wasm', () =>
      runTextBert({ repoRoot, quick: args.quick, threads, workDir, peakGflops: machine.peakFp32Gflops, log }),
    );
    const bundledText = await section('text', 'bundled text model, fp32 and int8, vs PyTorch and tfjs-wasm', async () => {
      const src = bundledBertSource(repoRoot, workDir);
      if (!src) {
        metrics.push({ id: 'text.bundled', section: 'text', name: 'Bundled text model (spam-bert-tiny) vs peers', status: 'not run', unit: 'ms', method: 'same figures as BERT-base on the bundled weights', reason: 'models/spam-bert-tiny/model.onnx is not built yet' });
        return undefined;
      }
      return runBertFigures(src, bundledShapes(src.config, args.quick), { repoRoot, quick: args.quick, threads, workDir, peakGflops: machine.peakFp32Gflops, log });
    });
    if (bundledText) figures.push(...bundledText.figures);
    if (text) {
      figures.push(...text.figures);
      metrics.push(...text.metrics);
      Object.assign(versions, text.versions);
    }
    const profile: TextProfileResult | undefined = await section('profile', args.quick ? 'BERT toy graph: ORT per-operator profile and fusions' : 'BERT-base-shaped fp32 at 128×8: ORT per-operator profile, fusions in the optimized graph, spinning on vs off', () =>
      runTextProfile({ repoRoot, quick: args.quick, threads, workDir, peakGflops: machine.peakFp32Gflops, log }),
    );
    if (profile) metrics.push(...profile.metrics);
    const e2e: TextE2eResult | undefined = await section('e2e', 'text end to end vs Transformers.js; bundled int8 vs fp32', () =>
      runTextEndToEnd({ repoRoot, quick: args.quick, threads, workDir, fallbackModelDir: bertArtifacts(repoRoot, BERT_QUICK, log).fp32Dir, log }),
    );
    if (e2e) figures.push(...e2e.figures);
    const tok: TokenizerResult | undefined = await section('tokenizer', 'tokenizer MB/s vs Hugging Face\'s Rust tokenizers and Transformers.js', () => runTokenizerBench({ repoRoot, quick: args.quick, workDir, log }));
    if (tok) figures.push(...tok.figures);
    const image: ImageResult | undefined = await section('image', 'image CNN vs PyTorch and tfjs', () => runImageBench({ repoRoot, quick: args.quick, workDir, log }));
    if (image) figures.push(...image.figures);
    const ext = await section('extension', 'bundle, VSIX, activation in code-server', () => runExtensionBench(repoRoot, args.quick, log));
    if (ext) metrics.push(...ext.metrics);
    const inspector: InspectorBenchResult | undefined = await section('inspector', 'model inspector: open a BERT-base-sized model.onnx to its summary', () => runInspectorBench({ repoRoot, quick: args.quick, log }));
    if (inspector) metrics.push(...inspector.metrics);
    if (!versions.torch) {
      const torchFig = figures.flatMap((f) => f.peers).find((p) => p.engine.startsWith('pytorch'));
      versions.torch = torchFig?.status === 'not run' ? 'not installed' : 'not used';
    }

    // Targets are about the real shapes: a --quick run lists them unmeasured rather than judging toy numbers.
    const targets = args.quick
      ? evaluateTargets({ figures: [] }).map((t): TargetResult => ({ id: t.id, target: t.target, status: 'not measured', reason: '--quick runs toy shapes; targets are judged by the full run' }))
      : evaluateTargets({ text, profile, e2e, tok, image, ext, inspector, figures });
    return {
      schema: 'model-lab-bench/1',
      date: new Date().toISOString(),
      mode: args.quick ? 'quick' : 'full',
      durationSeconds: round((performance.now() - t0) / 1000, 1),
      machine,
      versions,
      threads: { ortIntraOp: threads, note: `text: ORT intra-op threads = PyTorch set_num_threads = ${threads} (cores); image: 1 thread everywhere (the product's CNN session setting); tfjs-wasm runs single-threaded in Node` },
      figures,
      metrics,
      targets,
    };
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

interface TargetInputs {
  text?: TextBertResult;
  profile?: TextProfileResult;
  e2e?: TextE2eResult;
  tok?: TokenizerResult;
  image?: ImageResult;
  ext?: Awaited<ReturnType<typeof runExtensionBench>>;
  inspector?: InspectorBenchResult;
  figures: Figure[];
}

function target(id: string, text: string, value: number | undefined, holds: (v: number) => boolean, measured: (v: number) => string, missingReason: string, missReason?: string): TargetResult {
  if (value === undefined || Number.isNaN(value)) return { id, target: text, status: 'not measured', reason: missingReason };
  const ok = holds(value);
  return { id, target: text, status: ok ? 'HOLDS' : 'MISSED', measured: measured(value), ...(ok || !missReason ? {} : { reason: missReason }) };
}

/**
 * Why onnxruntime does not fuse Attention in our graph (#18 §3), from ORT 1.30's verbose optimizer log and its
 * attention_fusion_helper.h, and what was tried (bench/README.md, "Issue 18 measurements"): the exporter's bias
 * Add takes the bias first, and ORT's value path wants MatMul first; with that swapped the mask subgraph still
 * fails, because ORT matches it only in its opset ≤ 12 form (two Unsqueeze with an `axes` attribute, Cast-9,
 * Sub/Mul/Add ≤ 13) and the exporter writes opset 17. Both changed (a rewrite to opset 12), Attention fused in
 * every layer with equal logits and ~3 % less kernel time at 128×8 — a lever, not the missing 10+ points.
 */
export const ATTENTION_NOT_FUSED = 'Attention is not fused (the exporter writes opset 17; ORT matches the attention-mask subgraph only in its opset ≤ 12 form, and the bias Add only with the MatMul first): a rewrite that fused it in every layer saved ~3 % of kernel time; SkipLayerNormalization is not fused either (position ids from Range leave the sequence dim unnamed), which is faster here: ORT 1.30\'s CPU SkipLayerNormalization took 4.4 ms per 8×128×768 vs 1.1 ms for Add + Add + LayerNormalization'

/** Why a first-result target is missed and the next lever, from the measured split (filled in by #18 §1's runs). */
// Measured 2026-12-05 on the idle 2-core machine: the text worker alone, started by plain Node, answers its first
// classification in ~300 ms (ORT library and environment ~75 ms, vocab.txt → tokenizer ~100 ms, session ~50 ms, the
// probe run); in a code-server window the same work shares the 2 cores with code-server and Chromium.
const FIRST_RESULT_COLD_MISS =
  'see the cold split in the metrics: VS Code\'s command round trip (the "classifying" row) and the model load in the worker (the "Text model load" row) are most of it; the worker alone, in plain Node, answers in ~300 ms (ORT library and environment ~75 ms, tokenizer built from vocab.txt ~100 ms, session ~50 ms, probe run), about 1.5× that while code-server and Chromium share the 2 cores; next levers: a tokenizer loaded from a precomputed trie instead of built from vocab.txt, and starting the text worker when a text editor first gets a selection';
const FIRST_RESULT_WARM_MISS = 'see the warm split in the metrics';
const MEMORY_MISS = 'see the memory metrics';

export function evaluateTargets(r: TargetInputs): TargetResult[] {
  const fig = (id: string) => r.figures.find((f) => f.id === id);
  const peer = (id: string, engine: string): Measurement | undefined => fig(id)?.peers.find((p) => p.engine === engine);
  const whyNot = (id: string, engine: string) => {
    const p = peer(id, engine);
    return p && p.status !== 'ok' ? `${engine} ${p.status}: ${p.reason ?? ''}` : `${id} not run`;
  };
  const out: TargetResult[] = [];
  // The session-1 target 'ours ≥ 2.5× PyTorch at 128×1' assumed a PyTorch whose OpenMP threads spin; issue 18 §3
  // replaced it with ≥ 1.5× against PyTorch at its best setting (OMP_WAIT_POLICY=PASSIVE), judged below.
  out.push(target('text.vs-transformers-js', 'Text: faster than Transformers.js end to end on the same model folder', r.e2e?.fasterThanTransformers, (v) => v > 1, (v) => `${v}×${r.e2e?.bundled ? '' : ' (stand-in model: bundled model not built)'}`, whyNot('text.e2e.transformers-js', 'transformers.js')));
  // Judged on the interleaved pairs (textBert.ts): the separately timed figures drift apart on this VM.
  const int8At128 = r.text?.int8SpeedupAt128 ?? fig('text.bert.int8.s128.b1')?.fasterThan['onnxruntime-fp32'];
  out.push(
    target(
      'text.int8-speed',
      'Text: int8 ≥ 1.5× faster than fp32 (BERT-base-shaped, 128 tokens, batch 1, interleaved pairs)',
      int8At128,
      (v) => v >= 1.5,
      (v) => `${v}×`,
      'the int8 or fp32 run did not complete',
      "the fp32 GEMMs reach ~60 % of peak here, and on AVX2 without VNNI our uint8 weights take onnxruntime's u8×u8 kernel; signed 7-bit weights (quantizeDynamicInt8 { matMulWeightType: 'int8', reduceRange: true }) take the faster u8×s8 kernel: 1.38× vs 1.14× interleaved at this shape, same bundled-model accuracy on 1,500 mails; the bench's BERT-base int8 uses them since #18 (int8OptionsForHiddenSize)",
    ),
  );
  out.push(
    target(
      'text.int8-speed.b8',
      'Text (issue 18 §2): int8 ≥ 1.5× faster than fp32 (BERT-base-shaped, 128 tokens, batch 8, interleaved pairs)',
      r.text?.int8SpeedupAt128x8,
      (v) => v >= 1.5,
      (v) => `${v}×`,
      'the int8 or fp32 run at 128×8 did not complete',
    ),
  );
  const acc = r.e2e?.int8;
  out.push(
    target('text.int8-accuracy', 'Text: int8 accuracy within 0.5 point of fp32 (bundled model, labelled SpamAssassin mail)', acc?.fp32Accuracy !== undefined && acc.int8Accuracy !== undefined ? Math.abs(acc.fp32Accuracy - acc.int8Accuracy) : undefined, (v) => v <= 0.5, (v) => `Δ ${round(v, 2)} points (fp32 ${acc?.fp32Accuracy} %, int8 ${acc?.int8Accuracy} % on ${acc?.examples} mails)`, acc?.reason ?? 'not run'),
  );
  const eff = r.text?.efficiency;
  out.push(
    target('efficiency', `Efficiency: BERT-base-shaped fp32 ≥ 35 % of peak fp32 FLOP/s (or int8 faster than that equivalent), at ${eff?.shape ?? '128×8'}`, eff?.fp32Percent, (v) => v >= 35 || (eff?.int8EquivalentPercent ?? 0) >= 35, (v) => `fp32 ${v} % of peak, int8 ${eff?.int8EquivalentPercent ?? '?'} % fp32-equivalent`, 'text section not run', 'GEMMs at this size reach ~60–70 % of peak in MLAS, but attention, softmax, GELU, LayerNorm and memory-bound ops add time, and the 2 cores are shared with other processes during the run'),
  );
  // #18 §3: closer to the machine's peak, product settings (spinning off); the profile section says where the rest goes.
  const prof = r.profile;
  const profWhy = prof
    ? `matrix products run at ${prof.gemmPercentOfPeak ?? '?'} % of peak and take ${round(100 - (prof.nonGemmPercent ?? 0), 1)} % of the run; the other ${prof.nonGemmPercent ?? '?'} %: ${(prof.shares ?? [])
        .filter((s) => !['MatMul', 'FusedMatMul', 'Gemm', 'FusedGemm', 'Attention'].includes(s.opType))
        .slice(0, 4)
        .map((s) => `${s.opType} ${s.percent} %`)
        .join(', ')}; fusions: SkipLayerNormalization ${prof.fusions?.skipLayerNorm ?? '?'}, BiasGelu ${prof.fusions?.gelu.biasGelu ?? '?'}, Attention ${prof.fusions?.attention ?? '?'} — ${ATTENTION_NOT_FUSED}${prof.spinning ? `; intra-op spinning on (bench only): ${prof.spinning.percentOfPeak} % of peak, ${prof.spinning.speedup}× off` : ''}`
    : 'run the profile section (--only text,profile) for the per-operator split';
  // Where the rest would come from: not the graph (fusing attention saved ~3 %), but the GEMM kernel itself.
  const profLever =
    'next lever: int8, not fp32 — the whole cannot run faster than its matrix products (their share of peak is above; one large MLAS fp32 MatMul on one thread measured ~72 % of a core\'s peak here), and int8 weights (VNNI) already run the same shape at the fp32-equivalent figure of the Efficiency row above';
  out.push(
    target('efficiency.issue18', `Efficiency (issue 18 §3): BERT-base-shaped fp32 ≥ 75 % of peak fp32 FLOP/s at ${eff?.shape ?? '128×8'}, product settings (spinning off)`, eff?.fp32Percent, (v) => v >= 75, (v) => `${v} % of peak`, 'text section not run', `${profWhy}; ${profLever}`),
  );
  out.push(
    target(
      'text.vs-pytorch.issue18',
      'Text (issue 18 §3): ours ≥ 1.5× faster than PyTorch, same weights, 128 tokens, batch 1 (BERT-base-shaped, fp32)',
      fig('text.bert.fp32.s128.b1')?.fasterThan['pytorch-fp32'],
      (v) => v >= 1.5,
      (v) => `${v}×`,
      whyNot('text.bert.fp32.s128.b1', 'pytorch-fp32'),
      `both run the same fp32 GEMMs (MLAS vs OpenBLAS) for most of the time; ${profWhy}`,
    ),
  );
  out.push(target('image.vs-pytorch', 'Image: ours ≥ 2.5× faster than PyTorch, one image, inference alone', r.image?.fasterThanTorchBatch1, (v) => v >= 2.5, (v) => `${v}×`, whyNot('image.infer.b1', 'pytorch')));
  out.push(target('image.e2e', 'Image: end to end one 512×512 PNG ≤ 3 ms p50', r.image?.e2eP50, (v) => v <= 3, (v) => `${v} ms`, 'image section not run', 'decode + preprocessing dominate; see the product path in src/vision'));
  out.push(target('image.e2e.jpeg', 'Image: end to end one 512×512 JPEG ≤ 5 ms p50 (digit model)', r.image?.jpeg.jpeg512P50, (v) => v <= 5, (v) => `${v} ms`, 'image section not run', 'the entropy (Huffman) decoding of every coefficient remains; the DCT-domain 1/4-scale decode skips the inverse transform, colour and RGBA stages'));
  out.push(
    target(
      'image.e2e.photo-jpeg',
      'Image: a 2000×1500 photo as JPEG ≤ 2× the same photo as PNG, end to end, 3-channel model (interleaved)',
      r.image?.jpeg.photoJpegOverPng,
      (v) => v <= 2,
      (v) => `JPEG ${v}× PNG (p50 ${r.image?.jpeg.photoJpegP50} ms vs ${r.image?.jpeg.photoPngP50} ms)`,
      'image section not run',
      'Huffman decoding of the full-size coefficient stream is the floor at 1/4 scale',
    ),
  );
  out.push(
    target('tokenizer.speed', 'Tokenizer: ≥ 5× the peer\'s throughput (English mail)', r.tok?.englishSpeedup, (v) => v >= 5, (v) => `${v}×`, whyNot('tokenizer.english', 'transformers.js')),
  );
  out.push(
    target('tokenizer.identical', 'Tokenizer: identical output wherever the peer follows the reference tokenizer', r.tok?.identicalWhereReference === undefined ? undefined : r.tok.identicalWhereReference ? 1 : 0, (v) => v === 1, (v) => (v === 1 ? 'identical on every checked document (astral-CJK documents excepted)' : 'some documents differ (see tokenizer notes)'), 'peer not run'),
  );
  // #18 §5: the strongest peer, Hugging Face's Rust tokenizer, per-document calls; the slower corpus decides.
  const rs = r.tok?.rustSpeedup;
  out.push(
    target(
      'tokenizer.vs-rust',
      "Tokenizer: ≥ 1.0× Hugging Face's Rust tokenizer (npm tokenizers) throughput, per-document calls, English mail and mixed zh/en",
      rs?.english === undefined || rs.mixed === undefined ? undefined : Math.min(rs.english, rs.mixed),
      (v) => v >= 1,
      () => `English mail ${rs?.english}×, mixed zh/en ${rs?.mixed}× (interleaved passes)`,
      whyNot('tokenizer.english', RUST_ENGINE),
      'see the tokenizer figures: MB/s of both per corpus and the binding\'s cost per call',
    ),
  );
  const rc = r.tok?.rustComparison;
  out.push(
    target(
      'tokenizer.rust-identical',
      "Tokenizer: ids and offsets identical to Hugging Face's Rust tokenizer on every compared document",
      rc === undefined ? undefined : rc.checked - rc.identical,
      (v) => v === 0,
      (v) => `${rc?.identical}/${rc?.checked} documents identical (both corpora and ${EDGE_DOCUMENTS.length} edge cases; offsets compared in code points)${v ? `; ids differ in ${rc?.idsDiffer}, offsets only in ${rc?.offsetsOnlyDiffer}` : ''}`,
      whyNot('tokenizer.english', RUST_ENGINE),
      `first differences: ${rc?.differences.join(' | ') ?? ''}`,
    ),
  );
  out.push(target('extension.activation', 'Extension: activation ≤ 50 ms', r.ext?.activationMs, (v) => v <= 50, (v) => `${v} ms`, r.ext?.metrics.find((m) => m.id === 'extension.activation')?.reason ?? 'not run'));
  // #18 §1: the slower of text and image decides; the measured line names both.
  const fr = r.ext?.firstResult;
  const worst = (m: Partial<Record<'text' | 'image', number>> | undefined) => (m?.text === undefined || m.image === undefined ? undefined : Math.max(m.text, m.image));
  const bothMs = (m: Partial<Record<'text' | 'image', number>> | undefined) => `text ${m?.text} ms, image ${m?.image} ms (medians; panel: see the metrics)`;
  const frReason = r.ext?.metrics.find((m) => m.id === 'extension.first-result')?.reason ?? 'extension section not run';
  out.push(target('extension.first-result.cold', 'Extension: palette pick → label on screen, cold (first use in a window), text and image ≤ 1.0 s', worst(fr?.labelColdMs), (v) => v <= 1000, () => bothMs(fr?.labelColdMs), frReason, FIRST_RESULT_COLD_MISS));
  out.push(target('extension.first-result.warm', 'Extension: palette pick → label on screen, warm, text and image ≤ 150 ms', worst(fr?.labelWarmMs), (v) => v <= 150, () => bothMs(fr?.labelWarmMs), frReason, FIRST_RESULT_WARM_MISS));
  const mem = r.ext?.memory;
  const memReason = r.ext?.metrics.find((m) => m.id === 'extension.memory')?.reason ?? 'extension section not run';
  out.push(target('extension.memory.idle', 'Extension: extension host memory added by Model Lab, active and idle ≤ 30 MB', mem?.addedIdleMB, (v) => v <= 30, (v) => `${v} MB added (after one text and one image classification: ${mem?.addedAfterUseMB ?? '?'} MB${mem?.addedAfterIdleTerminationMB !== undefined ? `; after the workers' idle termination: ${mem.addedAfterIdleTerminationMB} MB` : ''})`, memReason, MEMORY_MISS));
  out.push(target('inspector.open', 'Model inspector: a 450 MB BERT-base-sized model.onnx opens to its summary in ≤ 2 s (p95)', r.inspector?.openP95Ms, (v) => v <= 2000, (v) => `${round(v, 0)} ms`, 'inspector section not run'));
  out.push(target('extension.bundle', 'Extension: bundle (without models and native binaries) ≤ 2 MB', r.ext?.bundleBytes === undefined ? undefined : r.ext.bundleBytes / (1024 * 1024), (v) => v <= 2, (v) => `${round(v, 2)} MB`, 'dist/ not built'));
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Output.

function fmtMs(m: Measurement): string {
  if (m.status !== 'ok') return `${m.status}`;
  if (m.mbPerSecond !== undefined) return `${m.mbPerSecond} MB/s`;
  return `${fmt(m.p50Ms)} / ${fmt(m.p95Ms)} ms (n=${m.iterations})`;
}

function fmt(x: number | undefined): string {
  if (x === undefined) return '?';
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

/** Markdown tables: figures (ours p50/p95, each peer with "× faster"), metrics, targets. */
export function markdownReport(r: BenchReport): string {
  const lines: string[] = [];
  lines.push(`Run ${r.date} (${r.mode}, ${r.durationSeconds} s) on ${r.machine.cpuModel}, ${r.machine.cores} cores (${r.machine.flags.avx2 ? 'AVX2' : 'no AVX2'}${r.machine.flags.fma ? ' + FMA' : ''}${r.machine.flags.avx512.length ? ` + ${r.machine.flags.avx512.join(' ')}` : ', no AVX-512'}), ${r.machine.measuredGhz} GHz measured, peak fp32 ${r.machine.peakFp32Gflops} GFLOP/s, load average ${r.machine.loadAverage.join(' / ')}.`);
  lines.push(`Versions: ${Object.entries(r.versions).map(([k, v]) => `${k} ${v}`).join(', ')}.`);
  lines.push('');
  lines.push('| Figure | Ours p50 / p95 | Peers (ours is N× faster) |');
  lines.push('|---|---|---|');
  for (const f of r.figures) {
    const peers = f.peers.map((p) => (p.status === 'ok' ? `${p.engine} ${p.mbPerSecond !== undefined ? `${p.mbPerSecond} MB/s` : `${fmt(p.p50Ms)} ms`} (**${f.fasterThan[p.engine]}×**)` : `${p.engine}: ${p.status}${p.reason ? ` — ${p.reason}` : ''}`));
    lines.push(`| ${f.name} | ${f.ours.engine}: ${fmtMs(f.ours)} | ${peers.join('; ') || '—'} |`);
  }
  lines.push('');
  lines.push('| Metric | Value | Method |');
  lines.push('|---|---|---|');
  for (const m of r.metrics) lines.push(`| ${m.name} | ${m.status === 'ok' ? `${m.value} ${m.unit}` : `${m.status}${m.reason ? `: ${m.reason}` : ''}`} | ${m.method} |`);
  lines.push('');
  lines.push('| Target | Status | Measured / why |');
  lines.push('|---|---|---|');
  for (const t of r.targets) lines.push(`| ${t.target} | ${t.status === 'MISSED' ? '**MISSED**' : t.status} | ${[t.measured, t.reason].filter(Boolean).join(' — ')} |`);
  return lines.join('\n');
}

/** The terminal table (plain text). */
export function textTable(r: BenchReport): string {
  const lines: string[] = [];
  let section = '';
  for (const f of r.figures) {
    if (f.section !== section) {
      section = f.section;
      lines.push(`\n${section.toUpperCase()}`);
    }
    lines.push(`  ${f.name}`);
    lines.push(`    ${f.ours.engine.padEnd(22)} ${fmtMs(f.ours)}${f.ours.status === 'ok' ? '' : ` — ${f.ours.reason ?? ''}`}`);
    for (const p of f.peers) {
      const ratio = f.fasterThan[p.engine];
      lines.push(`    ${p.engine.padEnd(22)} ${fmtMs(p)}${ratio !== undefined ? `   → ours ${ratio}× faster` : p.reason ? ` — ${p.reason}` : ''}`);
    }
  }
  lines.push('\nMETRICS');
  for (const m of r.metrics) lines.push(`  ${m.name}: ${m.status === 'ok' ? `${m.value} ${m.unit}` : `${m.status}${m.reason ? ` — ${m.reason}` : ''}`}`);
  lines.push('\nTARGETS');
  for (const t of r.targets) lines.push(`  ${t.status.padEnd(12)} ${t.target}${t.measured ? `: ${t.measured}` : ''}${t.reason ? ` (${t.reason})` : ''}`);
  return lines.join('\n');
}

const README_START = '<!-- bench:latest:start -->';
const README_END = '<!-- bench:latest:end -->';

/** The short form for the project README: when, where, and every target's status. */
export function summaryReport(r: BenchReport): string {
  const lines = markdownReport(r).split('\n').slice(0, 2);
  lines.push('');
  lines.push('| Target | Status | Measured / why |');
  lines.push('|---|---|---|');
  for (const t of r.targets) lines.push(`| ${t.target} | ${t.status === 'MISSED' ? '**MISSED**' : t.status} | ${[t.measured, t.reason].filter(Boolean).join(' — ')} |`);
  lines.push('');
  // A plain path, not a link: vsce refuses to package a README with relative links when package.json names
  // no repository.
  lines.push('Every figure with its method, iterations and peers: `bench/README.md`, section "Latest results".');
  return lines.join('\n');
}

/** Rewrites the block between the markers in bench/README.md (full report) and CONTRIBUTING.md (summary). */
function updateReadmes(r: BenchReport): void {
  const targets: [string, string][] = [
    [path.join(repoRoot, 'bench', 'README.md'), markdownReport(r)],
    [path.join(repoRoot, 'CONTRIBUTING.md'), summaryReport(r)],
  ];
  for (const [readme, block] of targets) {
    if (!fs.existsSync(readme)) continue;
    const text = fs.readFileSync(readme, 'utf8');
    const a = text.indexOf(README_START);
    const b = text.indexOf(README_END);
    if (a < 0 || b < a) continue;
    fs.writeFileSync(readme, `${text.slice(0, a + README_START.length)}\n${block}\n${text.slice(b)}`);
  }
}

export async function main(argv: readonly string[]): Promise<number> {
  let args: BenchArgs;
  try {
    args = parseBenchArgs(argv);
  } catch (err) {
    process.stderr.write(`bench: ${(err as Error).message}\n`);
    return 2;
  }
  // Progress goes to stderr, so `--json` leaves stdout to the JSON.
  const report = await runBench(args, (l) => process.stderr.write(`${l}\n`));
  fs.mkdirSync(path.dirname(args.out), { recursive: true });
  fs.writeFileSync(args.out, `${JSON.stringify(report, null, 2)}\n`);
  if (!args.quick && args.out === DEFAULT_OUT && args.only.size === SECTIONS.length) {
    fs.writeFileSync(path.join(path.dirname(args.out), 'latest.md'), `${markdownReport(report)}\n`);
    updateReadmes(report);
  }
  if (args.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else process.stdout.write(`${textTable(report)}\n\nwrote ${path.relative(process.cwd(), args.out) || args.out} (${report.durationSeconds} s)\n`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
