/**
 * Text: a BERT-base-shaped classifier (12 layers, hidden 768, 12 heads, intermediate 3072, vocab 30,522) with
 * random weights from our own `randomBertWeights`, exported by our `exportBertClassifier` and quantized by our
 * `quantizeDynamicInt8` — nothing downloaded. Ours = the product's `OnnxTextClassifier.runBatch` (src/text) on
 * onnxruntime-node. Peers on the SAME weights: PyTorch (bench/peers/torch_bert.py, parity-checked first),
 * TensorFlow.js wasm running the `TfjsBertClassifier.forward` of src/train/text.
 *
 * The exported graphs and raw weights are cached in ~/.cache/model-lab/bench (keyed by config, seed and the
 * exporter sources) because exporting and quantizing 110 M parameters in JS takes a while.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bertConfigJson, exportBertClassifier, randomBertWeights, readBertClassifierWeights, type BertClassifierConfig, type NamedWeights } from '../../src/train/onnx/bertExport';
import { int8OptionsForHiddenSize, quantizeDynamicInt8 } from '../../src/train/onnx/quantize';
import { OnnxTextClassifier } from '../../src/text/onnxTextClassifier';
import { loadTfjs } from '../../src/common/tfjsBackend';
import { registerSegmentSumKernel, TfjsBertClassifier } from '../../src/train/text/tfjsBertClassifier';
import { describePlan, EngineBudget, timeCalls, type TimingPlan } from '../lib/measure';
import { failed, figure, notRun, okMeasurement, round, type Figure, type Measurement, type Metric } from '../lib/report';
import { runTorchPeer, torchAvailability, writeRawWeights, type TorchOutput } from '../lib/torchPeer';

export const BERT_BASE: BertClassifierConfig = {
  vocabSize: 30522,
  hiddenSize: 768,
  numHiddenLayers: 12,
  numAttentionHeads: 12,
  intermediateSize: 3072,
  maxPositionEmbeddings: 512,
  typeVocabSize: 2,
  layerNormEps: 1e-12,
  numLabels: 2,
};

/** --quick: the same graph at toy size (the vocabulary stays 30,522 so the bundled vocab.txt fits it). */
export const BERT_QUICK: BertClassifierConfig = { ...BERT_BASE, hiddenSize: 32, numHiddenLayers: 2, numAttentionHeads: 2, intermediateSize: 64, maxPositionEmbeddings: 64 };

const SEED = 20261129;

export interface Shape {
  readonly seq: number;
  readonly batch: number;
  readonly plan: TimingPlan;
  /** Slower engines (PyTorch, tfjs) get this plan instead. */
  readonly peerPlan: TimingPlan;
  readonly tfjs: boolean;
  readonly torchInt8: boolean;
}

const p = (warmup: number, minIterations: number, maxIterations: number, budgetMs: number): TimingPlan => ({ warmup, minIterations, maxIterations, budgetMs });

export const FULL_SHAPES: Shape[] = [
  { seq: 16, batch: 1, plan: p(3, 10, 200, 3000), peerPlan: p(2, 5, 100, 2000), tfjs: true, torchInt8: true },
  { seq: 16, batch: 8, plan: p(2, 5, 100, 3000), peerPlan: p(1, 3, 50, 2000), tfjs: true, torchInt8: true },
  { seq: 128, batch: 1, plan: p(2, 8, 60, 5000), peerPlan: p(1, 3, 20, 3000), tfjs: true, torchInt8: true },
  { seq: 128, batch: 8, plan: p(1, 3, 20, 6000), peerPlan: p(1, 2, 10, 3000), tfjs: true, torchInt8: true },
  { seq: 512, batch: 1, plan: p(1, 3, 20, 6000), peerPlan: p(1, 2, 10, 3000), tfjs: true, torchInt8: true },
  // ~0.7 TFLOP per run: a handful of runs only, and the slower peers one (they are warm from the shapes before).
  // Each engine's time share (runBertFigures) still skips a shape whose single run would not fit, and says so.
  { seq: 512, batch: 8, plan: p(1, 2, 3, 0), peerPlan: p(0, 1, 1, 0), tfjs: true, torchInt8: true },
];

export const QUICK_SHAPES: Shape[] = [
  { seq: 16, batch: 1, plan: p(1, 3, 3, 0), peerPlan: p(1, 2, 2, 0), tfjs: true, torchInt8: true },
  { seq: 32, batch: 2, plan: p(1, 3, 3, 0), peerPlan: p(1, 2, 2, 0), tfjs: true, torchInt8: false },
];

/** Forward FLOPs (multiply-add = 2) of the encoder: per layer 2·seq·(4H² + 2·H·I) + attention 2·2·seq²·H, × batch. */
export function bertFlops(config: BertClassifierConfig, seq: number, batch: number): number {
  const H = config.hiddenSize;
  const I = config.intermediateSize;
  const perLayer = 2 * seq * (4 * H * H + 2 * H * I) + 2 * 2 * seq * seq * H;
  return batch * config.numHiddenLayers * perLayer;
}

export function cacheRoot(): string {
  const base = process.env.MODEL_LAB_BENCH_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'model-lab', 'bench');
  fs.mkdirSync(base, { recursive: true });
  return base;
}

interface BertArtifacts {
  readonly dir: string;
  readonly fp32Dir: string;
  readonly int8Dir: string;
  readonly weights: { bin: string; index: { name: string; shape: number[]; offset: number }[] };
  readonly built: boolean;
  readonly buildSeconds: number;
}

/** A model folder the product's OnnxTextClassifier loads: the graph as model.onnx, config.json and the vocabulary. */
function writeModelFolder(dir: string, onnx: Uint8Array, config: BertClassifierConfig, vocabTxt: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'model.onnx'), onnx);
  fs.writeFileSync(
    path.join(dir, 'config.json'),
    JSON.stringify(bertConfigJson(config, { id2label: { 0: 'ham', 1: 'spam' }, label2id: { ham: 0, spam: 1 }, problem_type: 'single_label_classification' })),
  );
  fs.writeFileSync(path.join(dir, 'vocab.txt'), vocabTxt);
}

export function bertVocabTxt(repoRoot: string): string {
  return fs.readFileSync(path.join(repoRoot, 'models', 'spam-bert-tiny', 'vocab.txt'), 'utf8');
}

/** Exports (or reuses from the cache) the fp32 and int8 graphs and the raw weights of one config. */
export function bertArtifacts(repoRoot: string, config: BertClassifierConfig, log: (l: string) => void): BertArtifacts {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ config, seed: SEED }));
  for (const f of ['src/train/onnx/bertExport.ts', 'src/train/onnx/quantize.ts', 'src/train/onnx/graphBuilder.ts', 'src/common/random.ts']) {
    hash.update(fs.readFileSync(path.join(repoRoot, f)));
  }
  const dir = path.join(cacheRoot(), `bert-h${config.hiddenSize}-l${config.numHiddenLayers}-${hash.digest('hex').slice(0, 12)}`);
  const fp32Dir = path.join(dir, 'fp32');
  const int8Dir = path.join(dir, 'int8');
  const indexPath = path.join(dir, 'weights.index.json');
  if (fs.existsSync(path.join(int8Dir, 'model.onnx')) && fs.existsSync(indexPath)) {
    const index = JSON.parse(fs.readFileSync(indexPath, 'utf8')) as BertArtifacts['weights']['index'];
    return { dir, fp32Dir, int8Dir, weights: { bin: path.join(dir, 'weights.f32'), index }, built: false, buildSeconds: 0 };
  }
  const t0 = performance.now();
  log(`  building ${path.basename(dir)}: randomBertWeights → exportBertClassifier → quantizeDynamicInt8 (cached afterwards)`);
  const weights = randomBertWeights(config, SEED);
  const fp32 = exportBertClassifier(config, weights, { metadata: { source: 'model-lab bench, random weights' } });
  const vocab = bertVocabTxt(repoRoot);
  writeModelFolder(fp32Dir, fp32, config, vocab);
  const int8 = quantizeDynamicInt8(fp32, int8OptionsForHiddenSize(config.hiddenSize));
  writeModelFolder(int8Dir, int8, config, vocab);
  const raw = writeRawWeights(dir, weights);
  fs.writeFileSync(indexPath, JSON.stringify(raw.index));
  return { dir, fp32Dir, int8Dir, weights: raw, built: true, buildSeconds: (performance.now() - t0) / 1000 };
}

export function readRawWeights(weights: BertArtifacts['weights']): NamedWeights {
  const buf = fs.readFileSync(weights.bin);
  const all = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
  const out: NamedWeights = new Map();
  for (const t of weights.index) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    out.set(t.name, { shape: t.shape, data: all.subarray(t.offset, t.offset + n) });
  }
  return out;
}

/** Deterministic token ids in [1000, vocab): content does not change the cost of a dense forward. */
function randomRows(seq: number, batch: number, vocab: number, seed: number): number[][] {
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  return Array.from({ length: batch }, () => Array.from({ length: seq }, () => 1000 + Math.floor(next() * (vocab - 1000))));
}

/** The parity input: two rows of 16 ids, the second with 5 padded positions (exercises the mask). */
function checkInput(vocab: number): { ids: number[][]; mask: number[][] } {
  const ids = randomRows(16, 2, vocab, 99);
  const mask = [Array<number>(16).fill(1), [...Array<number>(11).fill(1), ...Array<number>(5).fill(0)]];
  for (let i = 11; i < 16; i++) ids[1][i] = 0;
  return { ids, mask };
}

export interface TextBertOptions {
  readonly repoRoot: string;
  readonly quick: boolean;
  readonly threads: number;
  readonly workDir: string;
  readonly peakGflops: number;
  readonly log: (line: string) => void;
}

export interface TextBertResult {
  readonly figures: Figure[];
  readonly metrics: Metric[];
  readonly versions: Record<string, string>;
  /** fp32 / int8 p50 at 128×1, for the targets. */
  readonly int8SpeedupAt128: number | undefined;
  readonly int8SpeedupAt128x8: number | undefined;
  readonly efficiency: { fp32Percent?: number; int8EquivalentPercent?: number; shape: string } | undefined;
}

/** What the figures run on: a config, the fp32 / int8 model folders and the raw weights the peers load. */
export interface BertSource {
  readonly label: string;
  /** Figure ids are `text.<idPrefix>.<fp32|int8>.s<seq>.b<batch>`. */
  readonly idPrefix: string;
  readonly config: BertClassifierConfig;
  readonly fp32Dir: string;
  readonly int8Dir: string | undefined;
  readonly weights: BertArtifacts['weights'];
}

export async function runTextBert(opts: TextBertOptions): Promise<TextBertResult> {
  const { log, quick } = opts;
  const config = quick ? BERT_QUICK : BERT_BASE;
  const art = bertArtifacts(opts.repoRoot, config, log);
  log(`  graphs: ${art.dir}${art.built ? ` (built in ${art.buildSeconds.toFixed(0)} s)` : ' (cached)'}`);
  const label = quick ? 'BERT-toy (2 layers, H 32)' : 'BERT-base-shaped (12 layers, H 768, random weights)';
  return runBertFigures({ label, idPrefix: 'bert', config, fp32Dir: art.fp32Dir, int8Dir: art.int8Dir, weights: art.weights }, quick ? QUICK_SHAPES : FULL_SHAPES, opts);
}

/** The bundled text model as a source for the same figures (its own weights, peers included). */
export function bundledBertSource(repoRoot: string, workDir: string): BertSource | undefined {
  const dir = path.join(repoRoot, 'models', 'spam-bert-tiny');
  const onnxPath = path.join(dir, 'model.onnx');
  if (!fs.existsSync(onnxPath) || !fs.existsSync(path.join(dir, 'config.json'))) return undefined;
  const c = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
  const num = (k: string, d?: number): number => {
    const v = c[k];
    if (typeof v === 'number') return v;
    if (d === undefined) throw new Error(`models/spam-bert-tiny/config.json has no ${k}`);
    return d;
  };
  const config: BertClassifierConfig = {
    vocabSize: num('vocab_size'),
    hiddenSize: num('hidden_size'),
    numHiddenLayers: num('num_hidden_layers'),
    numAttentionHeads: num('num_attention_heads'),
    intermediateSize: num('intermediate_size'),
    maxPositionEmbeddings: num('max_position_embeddings', 512),
    typeVocabSize: num('type_vocab_size', 2),
    layerNormEps: num('layer_norm_eps', 1e-12),
    numLabels: Object.keys((c.id2label as Record<string, string> | undefined) ?? { 0: 'ham', 1: 'spam' }).length,
  };
  const weights = writeRawWeights(path.join(workDir, 'bundled-bert'), readBertClassifierWeights(fs.readFileSync(onnxPath), config));
  let int8Dir: string | undefined;
  const int8 = path.join(dir, 'model.int8.onnx');
  if (fs.existsSync(int8)) {
    int8Dir = path.join(workDir, 'bundled-bert-int8');
    fs.mkdirSync(int8Dir, { recursive: true });
    for (const f of fs.readdirSync(dir)) if (!f.endsWith('.onnx') && fs.statSync(path.join(dir, f)).isFile()) fs.copyFileSync(path.join(dir, f), path.join(int8Dir, f));
    fs.symlinkSync(int8, path.join(int8Dir, 'model.onnx'));
  }
  const label = `bundled spam-bert-tiny (${config.numHiddenLayers} layers, H ${config.hiddenSize})`;
  return { label, idPrefix: 'bundled', config, fp32Dir: dir, int8Dir, weights };
}

/** Every shape for the small bundled model: cheap enough for all engines at every shape. */
export function bundledShapes(config: BertClassifierConfig, quick: boolean): Shape[] {
  if (quick) return QUICK_SHAPES.filter((s) => s.seq <= config.maxPositionEmbeddings);
  return FULL_SHAPES.filter((s) => s.seq <= config.maxPositionEmbeddings).map((s) => ({ ...s, plan: p(3, 10, 500, 1500), peerPlan: p(1, 3, 100, 800), tfjs: true, torchInt8: true }));
}

export async function runBertFigures(src: BertSource, shapes: Shape[], opts: TextBertOptions): Promise<TextBertResult> {
  const { log, quick } = opts;
  const { config, label } = src;
  const art = src;
  const versions: Record<string, string> = {};
  const key = (s: Shape) => `s${s.seq}.b${s.batch}`;

  // Ours: the product's classifier, fp32 then int8.
  const ours = new Map<string, Measurement>();
  // Each engine's share of the 10-minute budget (BERT-base full run); generous elsewhere.
  const full = src.idPrefix === 'bert' && !quick;
  const budgets = full ? { fp32: 90_000, int8: 60_000, torchFp32: 90_000, torchInt8: 60_000, tfjs: 75_000 } : quick ? { fp32: 60_000, int8: 60_000, torchFp32: 60_000, torchInt8: 60_000, tfjs: 60_000 } : { fp32: 15_000, int8: 15_000, torchFp32: 20_000, torchInt8: 10_000, tfjs: 20_000 };
  const check = checkInput(config.vocabSize);
  let checkLogits: number[][] = [];
  for (const variant of ['fp32', 'int8'] as const) {
    const dir = variant === 'fp32' ? art.fp32Dir : art.int8Dir;
    if (!dir) {
      for (const s of shapes) ours.set(`int8.${key(s)}`, notRun('onnxruntime-int8', `${label}: no int8 model (model.int8.onnx) in the folder`));
      continue;
    }
    const clf = await OnnxTextClassifier.load(dir, { threads: opts.threads });
    try {
      if (variant === 'fp32') {
        // The check input through runBatch pads the second row itself (its ids stop at the mask's zeros).
        const rows = check.ids.map((r, i) => r.slice(0, check.mask[i].filter((m) => m === 1).length));
        checkLogits = (await clf.runBatch(rows)).map((r) => Array.from(r));
      }
      const budget = new EngineBudget(`onnxruntime-${variant}`, budgets[variant]);
      for (const s of shapes) {
        const units = bertFlops(config, s.seq, s.batch);
        const fit = budget.fit(s.plan, units);
        if ('skip' in fit) {
          ours.set(`${variant}.${key(s)}`, notRun(`onnxruntime-${variant}`, fit.skip));
          log(`  ours ${variant} ${s.seq}×${s.batch}: not run (${fit.skip})`);
          continue;
        }
        const rows = randomRows(s.seq, s.batch, config.vocabSize, s.seq * 31 + s.batch);
        const w0 = performance.now();
        const samples = await timeCalls(() => clf.runBatch(rows), fit.plan);
        budget.record(samples, units, performance.now() - w0);
        const method = `OnnxTextClassifier.runBatch (src/text) on onnxruntime-node, ${opts.threads} intra-op threads, graph optimization 'all'; ${describePlan(fit.plan, samples.length)}${fit.note ? `; ${fit.note}` : ''}`;
        ours.set(`${variant}.${key(s)}`, okMeasurement(`onnxruntime-${variant}`, samples, method));
        log(`  ours ${variant} ${s.seq}×${s.batch}: p50 ${ours.get(`${variant}.${key(s)}`)?.p50Ms} ms`);
      }
    } finally {
      await clf.dispose();
    }
  }

  // PyTorch on the same weights.
  const torch = new Map<string, Measurement>();
  const avail = torchAvailability();
  let torchOut: TorchOutput | undefined;
  let torchError: unknown;
  if (avail.ok) {
    versions.torch = avail.version ?? '?';
    const runs = shapes.flatMap((s) => [
      { seq: s.seq, batch: s.batch, variant: 'fp32', units: bertFlops(config, s.seq, s.batch), ...s.peerPlan },
      ...(s.torchInt8 ? [{ seq: s.seq, batch: s.batch, variant: 'int8', units: bertFlops(config, s.seq, s.batch), ...s.peerPlan }] : []),
    ]);
    try {
      torchOut = await runTorchPeer(path.join(opts.repoRoot, 'bench/peers/torch_bert.py'), { config, weights: art.weights, threads: opts.threads, check: { ...check, logits: checkLogits }, runs, budgetsMs: { fp32: budgets.torchFp32, int8: budgets.torchInt8 } }, opts.workDir, log);
    } catch (err) {
      torchError = err;
    }
  }
  for (const s of shapes) {
    for (const variant of ['fp32', 'int8'] as const) {
      const id = `${variant}.${key(s)}`;
      const engine = `pytorch-${variant}`;
      if (!avail.ok) torch.set(id, notRun(engine, avail.reason ?? 'PyTorch unavailable'));
      else if (torchError) torch.set(id, failed(engine, torchError));
      else if (torchOut?.error) torch.set(id, { engine, status: 'failed', reason: torchOut.error, notes: { maxAbsDiffVsOrt: torchOut.check.maxAbsDiff } });
      else {
        const run = torchOut?.runs.find((r) => r.seq === s.seq && r.batch === s.batch && r.variant === variant);
        if (!run) torch.set(id, notRun(engine, variant === 'int8' ? 'PyTorch int8 (quantize_dynamic) skipped at this shape to keep the bench within 10 minutes' : 'no result'));
        else if (typeof run.skip === 'string') torch.set(id, notRun(engine, run.skip));
        else if (run.error || !run.samplesMs) torch.set(id, { engine, status: 'failed', reason: String(run.error ?? 'no samples') });
        else {
          const notes: Record<string, number> = { maxAbsDiffVsOrt: torchOut?.check.maxAbsDiff ?? NaN };
          if (variant === 'int8' && typeof torchOut?.int8MaxAbsDiffVsFp32 === 'number') notes.int8MaxAbsDiffVsTorchFp32 = torchOut.int8MaxAbsDiffVsFp32;
          const method =
            variant === 'fp32'
              ? `torch ${torchOut?.torch} (Debian, ${avail.blas}), set_num_threads(${torchOut?.threads}), inference_mode; same weights, logits checked against ORT first (max |Δ| ${torchOut?.check.maxAbsDiff.toExponential(2)}); ${describePlan(s.peerPlan, run.samplesMs.length)}${typeof run.note === 'string' ? `; ${run.note}` : ''}`
              : `torch.ao.quantization.quantize_dynamic(Linear → qint8) of the same model, ${torchOut?.threads} threads; ${describePlan(s.peerPlan, run.samplesMs.length)}${typeof run.note === 'string' ? `; ${run.note}` : ''}`;
          torch.set(id, okMeasurement(engine, run.samplesMs, method, { notes }));
        }
      }
    }
  }

  // TensorFlow.js (wasm) running src/train/text's TfjsBertClassifier.forward on the same weights.
  const tfjs = new Map<string, Measurement>();
  const tfjsShapes = shapes.filter((s) => s.tfjs);
  try {
    const rt = await loadTfjs('wasm');
    const tf = rt.tf;
    versions['@tensorflow/tfjs'] = tf.version.tfjs;
    registerSegmentSumKernel(tf);
    const model = new TfjsBertClassifier(tf, config, { seed: 1, initStd: 0 });
    model.loadNamedWeights(readRawWeights(art.weights));
    const multithread = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT');
    const run = (ids: number[][], mask: number[][]): Promise<Float32Array> => {
      const logits = tf.tidy(() => model.forward(tf.tensor2d(ids, undefined, 'int32'), tf.tensor2d(mask, undefined, 'int32'), tf.zeros([ids.length, ids[0].length], 'int32')));
      return logits.data().then((d) => {
        logits.dispose();
        return d as Float32Array;
      });
    };
    const tfCheck = await run(check.ids, check.mask);
    let diff = 0;
    checkLogits.flat().forEach((v, i) => (diff = Math.max(diff, Math.abs(v - tfCheck[i]))));
    const tfBudget = new EngineBudget('tfjs-wasm', budgets.tfjs);
    for (const s of shapes) {
      const id = key(s);
      if (!s.tfjs) {
        tfjs.set(id, notRun('tfjs-wasm', 'tfjs-wasm takes seconds per run at this shape; skipped to keep the bench within 10 minutes'));
        continue;
      }
      const units = bertFlops(config, s.seq, s.batch);
      const fit = tfBudget.fit(s.peerPlan, units);
      if ('skip' in fit) {
        tfjs.set(id, notRun('tfjs-wasm', fit.skip));
        continue;
      }
      const rows = randomRows(s.seq, s.batch, config.vocabSize, s.seq * 31 + s.batch);
      const mask = rows.map((r) => r.map(() => 1));
      const w0 = performance.now();
      const samples = await timeCalls(() => run(rows, mask), fit.plan);
      tfBudget.record(samples, units, performance.now() - w0);
      tfjs.set(
        id,
        okMeasurement('tfjs-wasm', samples, `@tensorflow/tfjs ${tf.version.tfjs} wasm backend (${multithread ? 'multi' : 'single'}-threaded), TfjsBertClassifier.forward (src/train/text) in tf.tidy + data(); same weights, max |Δ| vs ORT ${diff.toExponential(2)}; ${describePlan(fit.plan, samples.length)}${fit.note ? `; ${fit.note}` : ''}`, {
          notes: { maxAbsDiffVsOrt: diff },
        }),
      );
      log(`  tfjs-wasm ${s.seq}×${s.batch}: p50 ${tfjs.get(id)?.p50Ms} ms`);
    }
    model.dispose();
  } catch (err) {
    for (const s of tfjsShapes) tfjs.set(key(s), failed('tfjs-wasm', err));
  }

  const figures: Figure[] = [];
  for (const s of shapes) {
    const k = key(s);
    const fp32 = ours.get(`fp32.${k}`) ?? notRun('onnxruntime-fp32', 'no result');
    const int8 = ours.get(`int8.${k}`) ?? notRun('onnxruntime-int8', 'no result');
    figures.push(figure(`text.${src.idPrefix}.fp32.${k}`, 'text', `${label}, fp32, ${s.seq} tokens × batch ${s.batch}`, fp32, [torch.get(`fp32.${k}`)!, tfjs.get(k) ?? notRun('tfjs-wasm', 'not planned')]));
    figures.push(figure(`text.${src.idPrefix}.int8.${k}`, 'text', `${label}, int8 (dynamic), ${s.seq} tokens × batch ${s.batch}`, int8, [torch.get(`int8.${k}`)!, fp32]));
  }

  // Efficiency: GFLOP/s of the fp32 runs vs the measured peak.
  const metrics: Metric[] = [];
  let efficiency: TextBertResult['efficiency'];
  for (const s of src.idPrefix === 'bert' ? shapes : []) {
    const m = ours.get(`fp32.${key(s)}`);
    const q = ours.get(`int8.${key(s)}`);
    if (!m?.p50Ms) continue;
    const flops = bertFlops(config, s.seq, s.batch);
    const gflops = flops / (m.p50Ms / 1000) / 1e9;
    const pct = (100 * gflops) / opts.peakGflops;
    metrics.push({ id: `efficiency.fp32.${key(s)}`, section: 'efficiency', name: `${label} fp32 ${s.seq}×${s.batch}: GFLOP/s (${round(pct, 1)} % of peak)`, status: 'ok', value: round(gflops, 1), unit: 'GFLOP/s', method: `${round(flops / 1e9, 2)} GFLOP per forward (2·seq·(4H²+2HI) + 4·seq²·H per layer × layers × batch; embeddings, pooler not counted) ÷ p50` });
    if (q?.p50Ms) {
      const qg = flops / (q.p50Ms / 1000) / 1e9;
      metrics.push({ id: `efficiency.int8.${key(s)}`, section: 'efficiency', name: `${label} int8 ${s.seq}×${s.batch}: fp32-equivalent GFLOP/s (${round((100 * qg) / opts.peakGflops, 1)} % of fp32 peak)`, status: 'ok', value: round(qg, 1), unit: 'GFLOP/s', method: 'the same FLOP count ÷ the int8 p50' });
    }
    if (s.seq === 128 && s.batch === 8 || (quick && !efficiency)) {
      efficiency = { fp32Percent: round(pct, 1), int8EquivalentPercent: q?.p50Ms ? round((100 * flops) / (q.p50Ms / 1000) / 1e9 / opts.peakGflops, 1) : undefined, shape: `${s.seq}×${s.batch}` };
    }
  }
  // The int8 target is a ratio of two of our own runs, so it gets a paired measurement: fp32 and int8 calls
  // alternate, so that both see the same machine. On this VM the speed drifts by ±25 % over tens of seconds,
  // enough to turn the separately timed figures' ratio from 1.9× in one run to 0.9× in the next.
  // Issue 18 §2 judges both 128×1 and 128×8.
  let int8SpeedupAt128: number | undefined;
  let int8SpeedupAt128x8: number | undefined;
  if (ours.get('fp32.s128.b1')?.p50Ms && ours.get('int8.s128.b1')?.p50Ms && art.int8Dir) {
    const [fp32, int8] = await Promise.all([OnnxTextClassifier.load(art.fp32Dir, { threads: opts.threads }), OnnxTextClassifier.load(art.int8Dir, { threads: opts.threads })]);
    try {
      // 128×8 costs ~0.8 s a pair at BERT-base size: fewer pairs, same alternation.
      for (const [batch, pairs] of [[1, quick ? 3 : 15], [8, quick ? 2 : 6]] as const) {
        if (!ours.get(`fp32.s128.b${batch}`)?.p50Ms || !ours.get(`int8.s128.b${batch}`)?.p50Ms) continue;
        const rows = randomRows(128, batch, config.vocabSize, 128 * 31 + batch);
        const tf: number[] = [];
        const tq: number[] = [];
        for (let i = 0; i < pairs + 1; i++) {
          const a = performance.now();
          await fp32.runBatch(rows);
          const b = performance.now();
          await int8.runBatch(rows);
          const c = performance.now();
          if (i > 0) {
            tf.push(b - a);
            tq.push(c - b);
          }
        }
        const median = (v: number[]) => [...v].sort((x, y) => x - y)[Math.floor(v.length / 2)];
        const speedup = round(median(tf) / median(tq), 2);
        if (batch === 1) int8SpeedupAt128 = speedup;
        else int8SpeedupAt128x8 = speedup;
        metrics.push({
          id: `text.${src.idPrefix}.int8-vs-fp32.paired.s128.b${batch}`,
          section: 'text',
          name: `${label}: int8 vs fp32 at 128 tokens × batch ${batch}, interleaved`,
          status: 'ok',
          value: speedup,
          unit: '× (fp32 p50 / int8 p50)',
          method: `OnnxTextClassifier.runBatch, fp32 and int8 sessions loaded side by side, ${pairs} alternating pairs after one warm-up pair; fp32 p50 ${round(median(tf), 1)} ms, int8 p50 ${round(median(tq), 1)} ms`,
        });
        log(`  int8 vs fp32 at 128×${batch}, interleaved: ${speedup}×`);
      }
    } finally {
      await Promise.all([fp32.dispose(), int8.dispose()]);
    }
  }
  return { figures, metrics, versions, int8SpeedupAt128, int8SpeedupAt128x8, efficiency };
}
