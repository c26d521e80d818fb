/**
 * Text end to end on the bundled model folder (models/spam-bert-tiny): ours = `TextClassifier.classify(text)`
 * (src/text: tokenize + window + ORT run + softmax) vs Transformers.js `pipeline('text-classification')` on the
 * SAME folder turned into its layout (tokenizer.json written from vocab.txt, the graph as onnx/model.onnx),
 * offline. Texts: SpamAssassin mail bodies cut to 300–900 characters (one window for both: Transformers.js
 * truncates long texts where ours windows them, so only texts that fit are a like-for-like comparison).
 * The predicted labels are compared first.
 *
 * Also: the bundled int8 model (model.int8.onnx) vs fp32 — latency at 128 tokens and accuracy on labelled mail.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextClassifier } from '../../src/text/textClassifier';
import { loadSpamAssassin, mailToExample } from '../../src/train/text/spamData';
import { describePlan, timeCalls, type TimingPlan } from '../lib/measure';
import { failed, figure, notRun, okMeasurement, round, type Figure, type Measurement } from '../lib/report';
import { loadTransformers, TRANSFORMERS_INSTALL_HINT, transformersFolderFrom } from '../lib/transformersJs';

export interface TextE2eOptions {
  readonly repoRoot: string;
  readonly quick: boolean;
  readonly threads: number;
  readonly workDir: string;
  /** Used when the bundled model has not been built: a folder of the same layout (stated in the figure name). */
  readonly fallbackModelDir: string;
  readonly log: (line: string) => void;
}

export interface TextE2eResult {
  readonly figures: Figure[];
  readonly fasterThanTransformers?: number;
  readonly bundled: boolean;
  readonly int8: { speedup?: number; fp32Accuracy?: number; int8Accuracy?: number; examples?: number; reason?: string };
}

interface Sample {
  readonly text: string;
  readonly label: 0 | 1;
}

function sampleMails(count: number, stride: number): Sample[] {
  const out: Sample[] = [];
  const mails = loadSpamAssassin();
  for (let i = 0; i < mails.length && out.length < count; i += stride) {
    const ex = mailToExample(mails[i]);
    const text = ex.text.replace(/\s+/g, ' ').trim();
    if (text.length < 300) continue;
    out.push({ text: text.slice(0, 300 + (i % 600)), label: ex.label });
  }
  return out;
}

type Pipe = (text: string) => Promise<{ label: string; score: number }[] | { label: string; score: number }>;

export async function runTextEndToEnd(opts: TextE2eOptions): Promise<TextE2eResult> {
  const { log, quick } = opts;
  const bundledDir = path.join(opts.repoRoot, 'models', 'spam-bert-tiny');
  const bundled = fs.existsSync(path.join(bundledDir, 'model.onnx')) && fs.existsSync(path.join(bundledDir, 'config.json'));
  const modelDir = bundled ? bundledDir : opts.fallbackModelDir;
  const modelName = bundled ? 'bundled spam-bert-tiny' : `stand-in ${path.basename(path.dirname(modelDir))} (bundled model not built yet: models/spam-bert-tiny/model.onnx missing)`;
  const texts = sampleMails(quick ? 6 : 60, quick ? 101 : 97);
  const plan: TimingPlan = quick ? { warmup: 1, minIterations: 6, maxIterations: 6, budgetMs: 0 } : { warmup: 3, minIterations: 60, maxIterations: 600, budgetMs: 5000 };

  const ours = await TextClassifier.load(modelDir, { threads: opts.threads });
  const oursLabels: string[] = [];
  let i = 0;
  const oursSamples = await timeCalls(async () => {
    const r = await ours.classify(texts[i++ % texts.length].text);
    if (oursLabels.length < texts.length) oursLabels.push(r.label);
  }, plan);
  const oursM = okMeasurement('model-lab', oursSamples, `TextClassifier.classify (tokenize + window + onnxruntime-node ${opts.threads} threads + softmax) per mail, ${texts.length} mails of 300–900 chars cycled; ${describePlan(plan, oursSamples.length)}`);
  log(`  ours end to end: p50 ${oursM.p50Ms} ms`);

  let peerM: Measurement;
  try {
    const root = path.join(opts.workDir, 'hf-models');
    const name = 'model-lab-text';
    transformersFolderFrom(modelDir, root, name, ours.maxLength);
    const t = await loadTransformers(root);
    const pipe = (await t.pipeline('text-classification', name, { dtype: 'fp32', device: 'cpu', session_options: { intraOpNumThreads: opts.threads } })) as unknown as Pipe;
    const peerLabels: string[] = [];
    let j = 0;
    const samples = await timeCalls(async () => {
      const r = await pipe(texts[j++ % texts.length].text);
      const top = Array.isArray(r) ? r[0] : r;
      if (peerLabels.length < texts.length) peerLabels.push(top.label);
    }, plan);
    // Label agreement over the first pass (the order is the same for both).
    const n = Math.min(oursLabels.length, peerLabels.length);
    let agree = 0;
    for (let k = 0; k < n; k++) if (oursLabels[k] === peerLabels[k]) agree++;
    peerM = okMeasurement('transformers.js', samples, `pipeline('text-classification') on the same folder in Transformers.js layout (tokenizer.json from vocab.txt, onnx/model.onnx), dtype fp32, intraOpNumThreads ${opts.threads}, offline; ${describePlan(plan, samples.length)}`, {
      notes: { labelAgreement: round(agree / Math.max(1, n), 4), textsCompared: n },
    });
    log(`  transformers.js end to end: p50 ${peerM.p50Ms} ms, labels agree ${agree}/${n}`);
  } catch (err) {
    peerM = /Cannot find (module|package)/.test(String(err)) ? notRun('transformers.js', `@huggingface/transformers is not installed (${TRANSFORMERS_INSTALL_HINT})`) : failed('transformers.js', err);
  }
  const e2e = figure('text.e2e.transformers-js', 'text', `Text end to end, ${modelName}: one mail (300–900 chars)`, oursM, [peerM]);
  const figures = [e2e];

  // int8 vs fp32 of the bundled model.
  const int8Path = path.join(bundledDir, 'model.int8.onnx');
  let int8: TextE2eResult['int8'] = { reason: 'models/spam-bert-tiny/model.int8.onnx not built yet' };
  if (bundled && fs.existsSync(int8Path)) {
    const int8Dir = path.join(opts.workDir, 'spam-bert-tiny-int8');
    fs.mkdirSync(int8Dir, { recursive: true });
    for (const f of fs.readdirSync(bundledDir)) {
      if (f.endsWith('.onnx')) continue;
      const src = path.join(bundledDir, f);
      if (fs.statSync(src).isFile()) fs.copyFileSync(src, path.join(int8Dir, f));
    }
    fs.symlinkSync(int8Path, path.join(int8Dir, 'model.onnx'));
    const q = await TextClassifier.load(int8Dir, { threads: opts.threads });
    try {
      const rows = [Array.from({ length: 128 }, (_, k) => (k === 0 ? 101 : k === 127 ? 102 : 1000 + ((k * 7919) % 20000)))];
      const lat: TimingPlan = quick ? { warmup: 1, minIterations: 3, maxIterations: 3, budgetMs: 0 } : { warmup: 5, minIterations: 30, maxIterations: 2000, budgetMs: 3000 };
      const f = await timeCalls(() => ours.runBatch(rows), lat);
      const s = await timeCalls(() => q.runBatch(rows), lat);
      const fM = okMeasurement('onnxruntime-fp32', f, `runBatch, 128 tokens × 1; ${describePlan(lat, f.length)}`);
      const qM = okMeasurement('onnxruntime-int8', s, `runBatch, 128 tokens × 1, model.int8.onnx; ${describePlan(lat, s.length)}`);
      figures.push(figure('text.bundled.int8.s128.b1', 'text', 'Bundled model int8 vs fp32, 128 tokens × batch 1', qM, [fM]));
      // Accuracy on labelled mail: a fixed sample across the corpus.
      const evalSet = sampleMails(quick ? 20 : 600, quick ? 211 : 9);
      let fc = 0;
      let qc = 0;
      for (const ex of evalSet) {
        const labels = ours.labels;
        if ((await ours.classify(ex.text)).label === labels[ex.label]) fc++;
        if ((await q.classify(ex.text)).label === labels[ex.label]) qc++;
      }
      int8 = { speedup: fM.p50Ms && qM.p50Ms ? round(fM.p50Ms / qM.p50Ms, 2) : undefined, fp32Accuracy: round((100 * fc) / evalSet.length, 2), int8Accuracy: round((100 * qc) / evalSet.length, 2), examples: evalSet.length };
      log(`  bundled int8: ${int8.speedup}× fp32; accuracy fp32 ${int8.fp32Accuracy} % vs int8 ${int8.int8Accuracy} % on ${evalSet.length} mails`);
    } finally {
      await q.dispose();
    }
  }
  await ours.dispose();
  return { figures, fasterThanTransformers: e2e.fasterThan['transformers.js'], bundled, int8 };
}
