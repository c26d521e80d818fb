/**
 * `npm run train:text`: trains the article's `TextClassifier` (`TfjsBertClassifier`: a BERT-tiny encoder + Linear(hidden, 2)) on the
 * SpamAssassin corpus in a PyTorch-style loop (epochs → batches → forward → softmax cross-entropy → gradients →
 * Adam step), compares it with multinomial naive Bayes on the same split, exports fp32 and int8 ONNX with our
 * exporter, checks ORT-vs-tfjs parity, and writes `models/spam-bert-tiny/` in Hugging Face Optimum's layout.
 *
 * Options (all optional): --out DIR, --seed N, --epochs N, --batch N, --seq N, --hidden N, --layers N, --heads N,
 * --intermediate N, --lr X, --budget-minutes N (stop starting new epochs when the next one would not fit),
 * --max-steps N (cap steps per epoch: smoke runs only).
 *
 * Output goes to a temporary sibling folder that is renamed over the target at the end: nothing half-written.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execSync } from 'node:child_process';
import * as ort from 'onnxruntime-node';
import type * as tfTypes from '@tensorflow/tfjs';
import { loadTfjs } from '../src/common/tfjsBackend';
import { WordPieceTokenizer } from '../src/text/tokenizer';
import { bertConfigJson, exportBertClassifier, type BertClassifierConfig, type NamedWeights } from '../src/train/onnx/bertExport';
import { quantizeDynamicInt8 } from '../src/train/onnx/quantize';
import { mulberry32, shuffleInPlace } from '../src/common/random';
import { binaryMetrics, formatMetrics, type BinaryMetrics } from '../src/train/text/metrics';
import { MultinomialNaiveBayes } from '../src/train/text/naiveBayes';
import { LABELS, loadSpamAssassin, mailToExample, MAX_BODY_CHARS, SPAM_DATA_PACKAGE, spamPackageVersion, stratifiedSplit, type MailExample } from '../src/train/text/spamData';
import { registerSegmentSumKernel, TfjsBertClassifier } from '../src/train/text/tfjsBertClassifier';
import { bertBaseUncasedVocabTxt } from '../src/train/text/vocab';
import { writeFolderAtomically } from '../src/train/modelFolderOutput';
import { runEpoch } from '../src/train/text/epoch';

type Tf = import('../src/common/tfjsBackend').Tfjs;

interface Options {
  out: string;
  seed: number;
  epochs: number;
  batch: number;
  seq: number;
  hidden: number;
  layers: number;
  heads: number;
  intermediate: number;
  lr: number;
  budgetMinutes: number;
  /** Steps per epoch cap, for smoke runs (0 = the whole training part). */
  maxSteps: number;
}

const ROOT = path.resolve(__dirname, '..');

function parseArgs(argv: string[]): Options {
  const o: Options = {
    out: path.join(ROOT, 'models', 'spam-bert-tiny'),
    seed: 42,
    epochs: 4,
    batch: 32,
    seq: 128,
    hidden: 32,
    layers: 2,
    heads: 2,
    intermediate: 128,
    lr: 1e-3,
    budgetMinutes: 45,
    maxSteps: 0,
  };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    const value = argv[++i];
    if (!(key in o) || value === undefined) throw new Error(`Unknown or incomplete option ${argv[i - 1]}; see the header of scripts/trainText.ts.`);
    if (key === 'out') o.out = path.resolve(value);
    else {
      const n = Number(value);
      if (!Number.isFinite(n)) throw new Error(`--${argv[i - 1].replace(/^--/, '')} needs a number, got "${value}".`);
      (o as unknown as Record<string, number>)[key] = n;
    }
  }
  return o;
}

interface Encoded {
  ids: Int32Array;
  mask: Int32Array;
  label: 0 | 1;
}

function encodeAll(tok: WordPieceTokenizer, examples: readonly MailExample[], seq: number): Encoded[] {
  return examples.map((e) => {
    const enc = tok.encode(e.text, { maxLength: seq, padToLength: seq });
    return { ids: Int32Array.from(enc.inputIds), mask: Int32Array.from(enc.attentionMask), label: e.label };
  });
}

function batchTensors(tf: Tf, items: readonly Encoded[], seq: number): { ids: tfTypes.Tensor2D; mask: tfTypes.Tensor2D; types: tfTypes.Tensor2D } {
  const ids = new Int32Array(items.length * seq);
  const mask = new Int32Array(items.length * seq);
  items.forEach((it, i) => {
    ids.set(it.ids, i * seq);
    mask.set(it.mask, i * seq);
  });
  return {
    ids: tf.tensor2d(ids, [items.length, seq], 'int32'),
    mask: tf.tensor2d(mask, [items.length, seq], 'int32'),
    types: tf.zeros([items.length, seq], 'int32') as tfTypes.Tensor2D,
  };
}

/** tfjs logits for every item, in batches, as a flat [n, 2] array. */
function predictLogits(tf: Tf, model: TfjsBertClassifier, items: readonly Encoded[], seq: number, batch = 64): Float32Array {
  const out = new Float32Array(items.length * 2);
  for (let s = 0; s < items.length; s += batch) {
    const chunk = items.slice(s, s + batch);
    const logits = tf.tidy(() => {
      const b = batchTensors(tf, chunk, seq);
      return model.forward(b.ids, b.mask, b.types);
    });
    out.set(logits.dataSync() as Float32Array, s * 2);
    logits.dispose();
  }
  return out;
}

function argmax2(logits: Float32Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < logits.length; i += 2) out.push(logits[i + 1] > logits[i] ? 1 : 0);
  return out;
}

async function ortLogits(session: ort.InferenceSession, items: readonly Encoded[], seq: number, batch = 64): Promise<Float32Array> {
  const out = new Float32Array(items.length * 2);
  for (let s = 0; s < items.length; s += batch) {
    const chunk = items.slice(s, s + batch);
    const n = chunk.length;
    const ids = new BigInt64Array(n * seq);
    const mask = new BigInt64Array(n * seq);
    chunk.forEach((it, i) => {
      for (let j = 0; j < seq; j++) {
        ids[i * seq + j] = BigInt(it.ids[j]);
        mask[i * seq + j] = BigInt(it.mask[j]);
      }
    });
    const feeds = {
      input_ids: new ort.Tensor('int64', ids, [n, seq]),
      attention_mask: new ort.Tensor('int64', mask, [n, seq]),
      token_type_ids: new ort.Tensor('int64', new BigInt64Array(n * seq), [n, seq]),
    };
    const res = await session.run(feeds);
    out.set(res.logits.data as Float32Array, s * 2);
  }
  return out;
}

function round(x: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function metricsJson(m: BinaryMetrics) {
  return {
    accuracy: round(m.accuracy),
    spam_f1: round(m.spamF1),
    spam_precision: round(m.spamPrecision),
    spam_recall: round(m.spamRecall),
    confusion: { rows: 'actual ham, actual spam', columns: 'predicted ham, predicted spam', matrix: m.confusion },
    n: m.n,
  };
}

function gitCommit(): string {
  try {
    return execSync('git rev-parse HEAD', { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  // The commit whose code runs (taken at start: other work may be committed while training runs).
  const commit = gitCommit();
  const t0 = Date.now();
  const cpu0 = process.cpuUsage();
  const elapsed = () => (Date.now() - t0) / 1000;
  const log = (msg: string) => console.log(`[${elapsed().toFixed(0).padStart(5)} s] ${msg}`);

  const { tf, backend, skipped } = await loadTfjs();
  registerSegmentSumKernel(tf);
  log(`tfjs backend ${backend}${skipped.length ? ` (skipped: ${skipped.join('; ')})` : ''}`);

  // Data and split.
  const examples = loadSpamAssassin().map(mailToExample);
  const { train: trainAll, test } = stratifiedSplit(examples, 0.2, opts.seed);
  // Early-stopping slice: every 10th training message (the split already shuffled them deterministically).
  const val = trainAll.filter((_, i) => i % 10 === 0);
  const train = trainAll.filter((_, i) => i % 10 !== 0);
  log(`data: ${examples.length} mails → train ${train.length} + validation ${val.length} (from the 80 %), test ${test.length}`);

  const vocabTxt = bertBaseUncasedVocabTxt();
  const tok = WordPieceTokenizer.fromVocabText(vocabTxt);
  const trainEnc = encodeAll(tok, train, opts.seq);
  const valEnc = encodeAll(tok, val, opts.seq);
  const testEnc = encodeAll(tok, test, opts.seq);
  log(`tokenized to ${opts.seq} tokens`);

  // Baselines: multinomial NB on the full text's tokens and on the model's truncated tokens.
  const allIds = (e: MailExample) => tok.tokenizeToIds(e.text).ids;
  const truncIds = (e: MailExample) => tok.tokenizeToIds(e.text, opts.seq - 2).ids;
  const nbFull = MultinomialNaiveBayes.fit(trainAll.map(allIds), trainAll.map((e) => e.label), tok.vocabSize);
  const nbFullMetrics = binaryMetrics(test.map((e) => e.label), test.map((e) => nbFull.predict(allIds(e))));
  const nbTrunc = MultinomialNaiveBayes.fit(trainAll.map(truncIds), trainAll.map((e) => e.label), tok.vocabSize);
  const nbTruncMetrics = binaryMetrics(test.map((e) => e.label), test.map((e) => nbTrunc.predict(truncIds(e))));
  log(`naive Bayes (all tokens):   ${formatMetrics(nbFullMetrics)}`);
  log(`naive Bayes (${opts.seq - 2} tokens):   ${formatMetrics(nbTruncMetrics)}`);
  // The embedding prior comes from the model's own training part only (validation stays unseen).
  const nbPrior = MultinomialNaiveBayes.fit(train.map(truncIds), train.map((e) => e.label), tok.vocabSize);

  const config: BertClassifierConfig = {
    vocabSize: tok.vocabSize,
    hiddenSize: opts.hidden,
    numHiddenLayers: opts.layers,
    numAttentionHeads: opts.heads,
    intermediateSize: opts.intermediate,
    maxPositionEmbeddings: 512,
    typeVocabSize: 2,
    layerNormEps: 1e-12,
    numLabels: 2,
  };
  const model = new TfjsBertClassifier(tf, config, { seed: opts.seed, tokenPrior: nbPrior.tokenLogRatios(), priorChannels: 4 });
  const optimizer = tf.train.adam(opts.lr);
  const fullSteps = Math.ceil(trainEnc.length / opts.batch);
  const stepsPerEpoch = opts.maxSteps > 0 ? Math.min(opts.maxSteps, fullSteps) : fullSteps;
  const totalSteps = stepsPerEpoch * opts.epochs;
  const warmup = Math.max(1, Math.round(totalSteps * 0.05));
  const setLr = (step: number) => {
    const lr = step < warmup ? (opts.lr * (step + 1)) / warmup : opts.lr * Math.max(0.05, 1 - (step - warmup) / Math.max(1, totalSteps - warmup));
    // tfjs' AdamOptimizer reads `learningRate` on every step but declares it protected: linear warm-up/decay.
    (optimizer as unknown as { learningRate: number }).learningRate = lr;
    return lr;
  };
  log(`model: ${opts.layers} layers, hidden ${opts.hidden}, ${opts.heads} heads, intermediate ${opts.intermediate}, seq ${opts.seq}; ${model.variables().reduce((a, v) => a + v.size, 0)} parameters; Adam lr ${opts.lr}, batch ${opts.batch}, ≤ ${opts.epochs} epochs`);

  const vars = model.variables();
  const rng = mulberry32(opts.seed + 7);
  let best: { epoch: number; f1: number; acc: number; weights: NamedWeights } | undefined;
  const epochLog: { epoch: number; loss: number; val_accuracy: number; val_spam_f1: number; seconds: number; lr_end: number }[] = [];
  let step = 0;
  const trainStart = Date.now();
  for (let epoch = 1; epoch <= opts.epochs; epoch++) {
    const spent = (Date.now() - t0) / 60000;
    const perEpoch = epochLog.length ? (Date.now() - trainStart) / 60000 / epochLog.length : 0;
    if (epochLog.length && spent + perEpoch > opts.budgetMinutes) {
      log(`stopping before epoch ${epoch}: ${spent.toFixed(1)} min spent, an epoch takes ${perEpoch.toFixed(1)} min, budget ${opts.budgetMinutes} min`);
      break;
    }
    const epochStart = Date.now();
    let lr = 0;
    const meanLoss = await runEpoch({
      tf,
      optimizer,
      variables: vars,
      order: shuffleInPlace(trainEnc.map((_, i) => i), rng),
      batch: opts.batch,
      steps: stepsPerEpoch,
      // forward → softmax cross-entropy (the batch tensors are made inside the loss, so its scope frees them).
      loss: (rows) => {
        const items = rows.map((i) => trainEnc[i]);
        const t = batchTensors(tf, items, opts.seq);
        const labels = tf.oneHot(tf.tensor1d(items.map((it) => it.label), 'int32'), 2);
        return tf.losses.softmaxCrossEntropy(labels, model.forward(t.ids, t.mask, t.types)) as tfTypes.Scalar;
      },
      beforeStep: () => {
        lr = setLr(step);
      },
      afterStep: (b, mean) => {
        step++;
        if ((b + 1) % 25 === 0) log(`epoch ${epoch} step ${b + 1}/${stepsPerEpoch} loss ${mean.toFixed(4)} lr ${lr.toExponential(2)}`);
      },
    });
    const valPred = argmax2(predictLogits(tf, model, valEnc, opts.seq));
    const vm = binaryMetrics(valEnc.map((e) => e.label), valPred);
    const seconds = (Date.now() - epochStart) / 1000;
    epochLog.push({ epoch, loss: round(meanLoss), val_accuracy: round(vm.accuracy), val_spam_f1: round(vm.spamF1), seconds: round(seconds, 1), lr_end: lr });
    log(`epoch ${epoch} done in ${seconds.toFixed(0)} s: train loss ${meanLoss.toFixed(4)}; validation ${formatMetrics(vm)}`);
    if (!best || vm.spamF1 > best.f1 || (vm.spamF1 === best.f1 && vm.accuracy > best.acc)) {
      best = { epoch, f1: vm.spamF1, acc: vm.accuracy, weights: model.namedWeights() };
    }
  }
  if (!best) throw new Error('no epoch completed');
  model.loadNamedWeights(best.weights);
  log(`restored the weights of epoch ${best.epoch} (best validation spam F1 ${best.f1.toFixed(4)})`);
  const trainSeconds = (Date.now() - trainStart) / 1000;

  // Held-out evaluation with the tfjs forward.
  const testLogits = predictLogits(tf, model, testEnc, opts.seq);
  const testMetrics = binaryMetrics(testEnc.map((e) => e.label), argmax2(testLogits));
  log(`TEST tfjs:  ${formatMetrics(testMetrics)}`);

  // Export, quantize, and check both with onnxruntime-node.
  const weights = model.namedWeights();
  const onnxBytes = exportBertClassifier(config, weights, { metadata: { producer: 'model-lab train:text', labels: LABELS.join(',') } });
  const int8Bytes = quantizeDynamicInt8(onnxBytes);
  const fp32Session = await ort.InferenceSession.create(onnxBytes);
  const int8Session = await ort.InferenceSession.create(int8Bytes);
  const ortFp32 = await ortLogits(fp32Session, testEnc, opts.seq);
  const ortInt8 = await ortLogits(int8Session, testEnc, opts.seq);
  const fp32Metrics = binaryMetrics(testEnc.map((e) => e.label), argmax2(ortFp32));
  const int8Metrics = binaryMetrics(testEnc.map((e) => e.label), argmax2(ortInt8));
  let parityMax = 0;
  const parityCount = Math.min(100, testEnc.length);
  for (let i = 0; i < parityCount * 2; i++) parityMax = Math.max(parityMax, Math.abs(ortFp32[i] - testLogits[i]));
  log(`TEST ORT fp32: ${formatMetrics(fp32Metrics)}`);
  log(`TEST ORT int8: ${formatMetrics(int8Metrics)}; size ${(int8Bytes.length / 1e6).toFixed(2)} MB vs ${(onnxBytes.length / 1e6).toFixed(2)} MB (${((100 * int8Bytes.length) / onnxBytes.length).toFixed(1)} %)`);
  log(`parity: max |ORT − tfjs| over the first ${parityCount} held-out inputs = ${parityMax.toExponential(2)} (tolerance 1e-4)`);
  if (parityMax > 1e-4) throw new Error(`ORT and tfjs logits differ by ${parityMax} (> 1e-4): the export does not match the forward.`);

  const cpu = process.cpuUsage(cpu0);
  const totalSeconds = elapsed();
  const command = `npm run train:text${process.argv.length > 2 ? ' -- ' + process.argv.slice(2).join(' ') : ''}`;
  // The hand-written scope (model_lab block) and model card of the bundled model survive retraining.
  const previousConfig = fs.existsSync(path.join(opts.out, 'config.json')) ? (JSON.parse(fs.readFileSync(path.join(opts.out, 'config.json'), 'utf8')) as Record<string, unknown>) : {};
  const configJson = bertConfigJson(config, {
    ...(previousConfig.model_lab !== undefined ? { model_lab: previousConfig.model_lab } : {}),
    problem_type: 'single_label_classification',
    id2label: { 0: 'ham', 1: 'spam' },
    label2id: { ham: 0, spam: 1 },
    trained_sequence_length: opts.seq,
    metrics: {
      split: 'held-out 20 % test set',
      bert_tfjs: metricsJson(testMetrics),
      bert_onnx_fp32: metricsJson(fp32Metrics),
      bert_onnx_int8: { ...metricsJson(int8Metrics), accuracy_delta_points_vs_fp32: round(100 * (int8Metrics.accuracy - fp32Metrics.accuracy), 2) },
      naive_bayes_all_tokens: metricsJson(nbFullMetrics),
      naive_bayes_same_tokens: { ...metricsJson(nbTruncMetrics), tokens: opts.seq - 2 },
      best_validation: { epoch: best.epoch, accuracy: round(best.acc), spam_f1: round(best.f1), n: valEnc.length },
      epochs: epochLog,
    },
    onnx: {
      fp32_bytes: onnxBytes.length,
      int8_bytes: int8Bytes.length,
      int8_size_ratio: round(int8Bytes.length / onnxBytes.length),
      parity: { inputs: parityCount, max_abs_logit_difference: parityMax, tolerance: 1e-4, compared: 'onnxruntime-node fp32 logits vs TfjsBertClassifier.forward (tfjs)' },
      onnxruntime_node_version: ort.env.versions.common,
    },
    provenance: {
      data: { package: SPAM_DATA_PACKAGE, version: spamPackageVersion(), mails: examples.length, groups: 'easy-ham-1, easy-ham-2, hard-ham-1 → ham; spam-1, spam-2 → spam' },
      split: { seed: opts.seed, method: 'stratified per class, by message (MD5 checksum order, seeded shuffle), 80/20; validation = every 10th training message', train: train.length, validation: val.length, test: test.length },
      text: `Subject (RFC 2047 decoded) + sender domain + body (MIME walked, base64/quoted-printable decoded, HTML stripped, first ${MAX_BODY_CHARS} chars); all other headers dropped (X-Spam-* would leak the label); first ${opts.seq - 2} WordPiece tokens`,
      training: { optimizer: 'Adam', lr: opts.lr, schedule: '5 % linear warm-up, then linear decay to 5 %', batch: opts.batch, epochs_run: epochLog.length, max_epochs: opts.epochs, early_stopping: 'best validation spam F1', word_embedding_init: 'N(0, 0.02) with the first 4 channels set to 0.02 · clip(NB log-likelihood ratio, ±4) from the training part', dropout: 0 },
      command,
      git_commit: commit,
      date: new Date().toISOString(),
      backend,
      seconds: { total: round(totalSeconds, 1), training: round(trainSeconds, 1), cpu: round((cpu.user + cpu.system) / 1e6, 1) },
      node: process.version,
    },
  });
  const tokenizerConfig = {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    strip_accents: null,
    tokenize_chinese_chars: true,
    model_max_length: opts.seq,
    unk_token: '[UNK]',
    sep_token: '[SEP]',
    pad_token: '[PAD]',
    cls_token: '[CLS]',
    mask_token: '[MASK]',
  };
  const specialTokens = { unk_token: '[UNK]', sep_token: '[SEP]', pad_token: '[PAD]', cls_token: '[CLS]', mask_token: '[MASK]' };

  // The bundled model's folder is replaced as a whole, atomically (a model folder only: see modelFolderOutput.ts).
  writeFolderAtomically(
    opts.out,
    (dir) => {
      fs.writeFileSync(path.join(dir, 'model.onnx'), onnxBytes);
      fs.writeFileSync(path.join(dir, 'model.int8.onnx'), int8Bytes);
      fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(configJson, null, 2) + '\n');
      fs.writeFileSync(path.join(dir, 'tokenizer_config.json'), JSON.stringify(tokenizerConfig, null, 2) + '\n');
      fs.writeFileSync(path.join(dir, 'special_tokens_map.json'), JSON.stringify(specialTokens, null, 2) + '\n');
      fs.writeFileSync(path.join(dir, 'vocab.txt'), vocabTxt);
      if (fs.existsSync(path.join(opts.out, 'README.md'))) fs.copyFileSync(path.join(opts.out, 'README.md'), path.join(dir, 'README.md'));
    },
    { replaceModel: true },
  );
  log(`wrote ${opts.out} (total ${totalSeconds.toFixed(0)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(0)} s CPU)`);
  model.dispose();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
