/**
 * The one training pipeline for text classifiers on a user's labelled texts. A recipe (bertTinyRecipe.ts,
 * frozenEncoderRecipe.ts; listed in recipes.ts) only says how to build a trainable model on the data and how
 * to write its files; everything else happens here, the same way for every recipe:
 *
 * - the split: 20 % held out (stratified, seeded) for the reported metrics; of the rest, a stratified 10 %
 *   validation slice watched for early stopping, so the held-out figures never chose anything;
 * - defaults that scale with the data: enough epochs for at least {@link MIN_DEFAULT_STEPS} optimisation steps,
 *   with early stopping on the validation loss (best epoch restored); explicit `epochs` run exactly that many;
 * - the loop (Adam, softmax cross-entropy, seeded shuffles), cancellation between batches (the run ends with
 *   common/errors `cancelledError()`, and nothing is written), progress with
 *   per-epoch curve points;
 * - the evaluation: accuracy, per-class metrics, confusion matrix, the majority baseline and a verdict on whether
 *   the model learned at all;
 * - config.json (the recipe's architecture fields plus id2label, metrics, provenance and the `model_lab` block),
 *   the model card README.md, and the atomic folder write;
 * - one result type, {@link TextTrainResult}.
 *
 * No `vscode` import.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as tfTypes from '@tensorflow/tfjs';
import { cancelledError, CodedError } from '../../common/errors';
import { loadTfjs, type Tfjs } from '../../common/tfjsBackend';
import { writeFolderAtomically } from '../modelFolderOutput';
import { runEpoch } from './epoch';
import { mulberry32, shuffleInPlace } from '../../common/random';
import { snippetOf, type EvaluationReport } from '../../common/classificationMetrics';
import { evaluateClassification, learningVerdict, majorityBaseline, type LearningVerdict } from './metrics';
import { profileTextCorpus } from '../../common/modelScope';
import { textTokenStats } from '../../text/textScope';
import type { WordPieceTokenizer } from '../../text/tokenizer';
import { modelCardMarkdown, modelLabBlock } from './modelCard';
import { withDefaults, type TrainRecipe } from './recipeOptions';
import { stratifiedIndexSplit, type LabelledTexts } from './userData';

/** Default training length: at least this many optimisation steps (a 60-row file gets ~75 epochs of 4 steps). */
export const MIN_DEFAULT_STEPS = 300;
/** Never more epochs than this by default, however small the file. */
const MAX_DEFAULT_EPOCHS = 200;
const MIN_DEFAULT_EPOCHS = 3;

/** One point of the training curves, sent after every epoch. */
export interface EpochPoint {
  epoch: number;
  epochs: number;
  trainLoss: number;
  /** Loss, accuracy and macro F1 on the validation slice. */
  validationLoss: number;
  validationAccuracy: number;
  validationMacroF1: number;
}

/** Structured progress for the training panel: curve points, and the evaluation at the end. */
export type TrainEvent = { kind: 'epoch'; point: EpochPoint } | { kind: 'evaluation'; evaluation: EvaluationReport; baseline: TextTrainSummary['baseline']; verdict: LearningVerdict };

/** `message` for a status line, `fraction` 0..1 of the whole run, `event` for curves and the final evaluation. */
export type ProgressFn = (message: string, fraction: number, event?: TrainEvent) => void;

/** Options every recipe takes; `undefined` keeps the default. */
export interface PipelineOptions {
  out: string;
  seed?: number;
  /** Passes over the training part; unset = scaled to the data, with early stopping. */
  epochs?: number;
  batch?: number;
  lr?: number;
  /** Held-out fraction (stratified). */
  validation?: number;
  /** Where the data came from (file name), for config.json and the model card. */
  source?: string;
  /** The data file's path, so the report's mistakes point at their lines. */
  dataFile?: string;
  /** The command that ran this, for config.json. */
  command?: string;
  /** Replace a model folder already at `out` (never anything else); see checkOutputFolder. */
  replaceModel?: boolean;
  /** Paths this run reads; an `out` containing one is refused. */
  inputs?: readonly string[];
  /** Languages of the texts (ISO 639-1) for the model_lab block; default ['en']. */
  languages?: readonly string[];
  /** What the texts are, for the model_lab block and the model card. */
  domain?: string;
}

/** The rows of the data each part of the split holds (indices into `data.texts`). */
export interface TrainingSplit {
  /** Rows the optimiser learns from. */
  fit: number[];
  /** Rows watched for early stopping (part of the 80 % training part). */
  validation: number[];
  /** Rows held out for the reported metrics. */
  heldOut: number[];
}

/** What a recipe built on the data, for the pipeline's loop. */
export interface PreparedRecipe<Details> {
  /** Variables the optimiser updates. */
  variables: tfTypes.Variable[];
  /** Logits [rows, classes] for data rows; called inside a tidy or gradient scope, which owns the tensors. */
  logits(rows: readonly number[]): tfTypes.Tensor2D;
  /** Writes the model and tokenizer files (not config.json nor README.md) into `dir`. */
  writeFiles(dir: string): void;
  /** The recipe's part of config.json: architecture fields (the pipeline adds labels, metrics, provenance). */
  configJson(): Record<string, unknown>;
  /** Provenance fields specific to the recipe. */
  provenance: Record<string, unknown>;
  /** The recipe's tokenizer, to profile the training texts for the model_lab block's scope checks. */
  tokenizer: WordPieceTokenizer;
  /** For the model card: the model in one sentence, and how texts are prepared for it. */
  card: { model: string; preprocessing: string };
  /** Recipe-specific figures returned in the result, from the finished run. */
  details(history: readonly EpochPoint[]): Details;
  /** Recipe-specific held-out figures for config.json's `metrics.held_out`. */
  metricsJson?(details: Details): Record<string, unknown>;
  /** Frees tensors the recipe holds (not `variables`, which the pipeline disposes). */
  dispose(): void;
}

export interface TextRecipe<Options, Details> {
  name: TrainRecipe;
  /** Human name for messages and the model card. */
  title: string;
  /** Adam learning rate when none is given. */
  defaultLr: number;
  /** Batch size when none is given, from the number of fitting rows. */
  defaultBatch(fitRows: number): number;
  /** "epoch" or "head epoch", for progress lines. */
  epochWord: string;
  /** Share of the progress bar spent in `prepare` (the frozen encoder's feature pass is most of its run). */
  prepareShare: number;
  prepare(
    data: LabelledTexts,
    split: TrainingSplit,
    options: Options & { seed: number },
    ctx: { tf: Tfjs; backend: string; progress: (message: string, fraction: number) => void; check: () => void },
  ): Promise<PreparedRecipe<Details>>;
}

/** What every recipe's run returns (serialisable: it crosses the worker boundary as is). */
export interface TextTrainSummary {
  out: string;
  recipe: TrainRecipe;
  heldOutAccuracy: number;
  heldOutMacroF1: number;
  /** Held-out texts (20 %). */
  heldOut: number;
  /** The training part (80 %): the rows the optimiser saw plus the validation slice. */
  train: number;
  /** The validation slice watched for early stopping (part of `train`). */
  validation: number;
  /** Epochs asked for (or chosen from the data size) and epochs run. */
  epochs: number;
  epochsRun: number;
  /** The epoch whose weights were kept (the best validation loss with early stopping, else the last). */
  bestEpoch: number;
  stoppedEarly: boolean;
  steps: number;
  lr: number;
  batch: number;
  seconds: number;
  evaluation: EvaluationReport;
  baseline: { label: string; accuracy: number; macroF1: number };
  verdict: LearningVerdict;
  history: EpochPoint[];
}

/** The one result type of every recipe: the common summary plus the recipe's own figures. */
export type TextTrainResult<Details = object> = TextTrainSummary & Details;

/** The three-way split: 20 % held out, then 10 % of the whole (⅛ of the rest) for early stopping. */
export function splitForTraining(labels: readonly number[], heldOutFraction: number, seed: number): TrainingSplit {
  const { train, heldOut } = stratifiedIndexSplit(labels, heldOutFraction, seed);
  const inner = stratifiedIndexSplit(
    train.map((i) => labels[i]),
    0.125,
    seed + 1,
  );
  return { fit: inner.train.map((j) => train[j]), validation: inner.heldOut.map((j) => train[j]), heldOut };
}

/** Epochs for at least {@link MIN_DEFAULT_STEPS} steps, within 3–200. */
export function defaultEpochs(fitRows: number, batch: number): number {
  const stepsPerEpoch = Math.max(1, Math.ceil(fitRows / batch));
  return Math.min(MAX_DEFAULT_EPOCHS, Math.max(MIN_DEFAULT_EPOCHS, Math.ceil(MIN_DEFAULT_STEPS / stepsPerEpoch)));
}

/** Epochs without a better validation loss before early stopping ends the run. */
/** Batch size when none is given: small files get small batches so a few hundred steps stay cheap, large files 32. */
export function defaultBatchSize(fitRows: number): number {
  return Math.min(32, Math.max(8, Math.ceil(fitRows / 8)));
}

export function earlyStoppingPatience(epochs: number): number {
  return Math.max(5, Math.ceil(epochs / 8));
}

function round(x: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Runs `recipe` on `data` and writes the model folder at `options.out`. */
export async function runTextTraining<Options extends PipelineOptions, Details>(
  recipe: TextRecipe<Options, Details>,
  data: LabelledTexts,
  options: Options,
  progress: ProgressFn = () => {},
  signal?: AbortSignal,
): Promise<TextTrainResult<Details>> {
  const t0 = Date.now();
  const o = withDefaults({ seed: 42, validation: 0.2 }, options) as Options & { seed: number; validation: number };
  const check = () => {
    if (signal?.aborted) throw cancelledError();
  };
  const classes = data.labelNames.length;
  const split = splitForTraining(data.labels, o.validation, o.seed);
  if (split.fit.length === 0 || split.heldOut.length === 0) throw new CodedError('too-few-rows', 'Too few rows to hold out a validation split; add at least two rows per class.');
  const { tf, backend } = await loadTfjs();
  const share = recipe.prepareShare;
  const prepared = await recipe.prepare(data, split, o, { tf, backend, progress: (m, f) => progress(m, share * f), check });
  const batch = o.batch ?? recipe.defaultBatch(split.fit.length);
  const lr = o.lr ?? recipe.defaultLr;
  const explicitEpochs = o.epochs !== undefined;
  const epochs = o.epochs ?? defaultEpochs(split.fit.length, batch);
  const patience = earlyStoppingPatience(epochs);
  const stepsPerEpoch = Math.ceil(split.fit.length / batch);
  const vars = prepared.variables;
  const optimizer = tf.train.adam(lr);
  const history: EpochPoint[] = [];
  let best: { epoch: number; loss: number; weights: Float32Array[] } | undefined;
  let steps = 0;
  let stoppedEarly = false;

  const lossAndPredictions = (rows: readonly number[]): { loss: number; predicted: number[]; confidence: number[] } => {
    let lossSum = 0;
    const predicted: number[] = [];
    const confidence: number[] = [];
    for (let s = 0; s < rows.length; s += 64) {
      const part = rows.slice(s, s + 64);
      const [loss, argmax, top] = tf.tidy(() => {
        const logits = prepared.logits(part);
        const labels = tf.oneHot(tf.tensor1d(part.map((i) => data.labels[i]), 'int32'), classes);
        return [tf.mul(tf.losses.softmaxCrossEntropy(labels, logits), part.length), tf.argMax(logits, 1), tf.max(tf.softmax(logits), 1)];
      });
      lossSum += (loss.dataSync() as Float32Array)[0];
      predicted.push(...Array.from(argmax.dataSync() as Int32Array));
      // Clamped: float32 softmax can round a hair past 1.
      confidence.push(...Array.from(top.dataSync() as Float32Array, (c) => Math.min(1, Math.max(0, c))));
      tf.dispose([loss, argmax, top]);
    }
    return { loss: rows.length ? lossSum / rows.length : NaN, predicted, confidence };
  };

  try {
    progress(`${split.fit.length} training, ${split.validation.length} validation and ${split.heldOut.length} held-out texts, ${classes} classes; ${explicitEpochs ? `${epochs} epochs` : `up to ${epochs} epochs (early stopping)`} of ${stepsPerEpoch} steps, batch ${batch}, Adam lr ${lr}, tfjs ${backend}`, share);
    const rng = mulberry32(o.seed + 7);
    try {
      for (let epoch = 1; epoch <= epochs; epoch++) {
        const trainLoss = await runEpoch({
          tf,
          optimizer,
          variables: vars,
          order: shuffleInPlace([...split.fit], rng),
          batch,
          steps: stepsPerEpoch,
          loss: (idx) => {
            const labels = tf.oneHot(tf.tensor1d(idx.map((i) => data.labels[i]), 'int32'), classes);
            return tf.losses.softmaxCrossEntropy(labels, prepared.logits(idx)) as tfTypes.Scalar;
          },
          beforeStep: check,
          afterStep: async () => {
            steps++;
            // Yield so cancellation and progress messages get through.
            await new Promise((r) => setImmediate(r));
          },
        });
        const val = split.validation.length ? lossAndPredictions(split.validation) : { loss: trainLoss, predicted: [], confidence: [] };
        const valEval = evaluateClassification(split.validation.map((i) => data.labels[i]), val.predicted, data.labelNames);
        const point: EpochPoint = { epoch, epochs, trainLoss, validationLoss: val.loss, validationAccuracy: valEval.accuracy, validationMacroF1: valEval.macroF1 };
        history.push(point);
        progress(
          `${recipe.epochWord} ${epoch}/${epochs}, loss ${trainLoss.toFixed(4)}, validation loss ${val.loss.toFixed(4)}, validation accuracy ${(100 * valEval.accuracy).toFixed(1)} %`,
          share + (1 - share) * 0.95 * (epoch / epochs),
          { kind: 'epoch', point },
        );
        if (!best || val.loss < best.loss - 1e-6) best = { epoch, loss: val.loss, weights: vars.map((v) => Float32Array.from(v.dataSync() as Float32Array)) };
        if (!explicitEpochs && epoch - best.epoch >= patience) {
          stoppedEarly = true;
          progress(`early stopping: the validation loss has not improved for ${patience} epochs; keeping epoch ${best.epoch}`, share + (1 - share) * 0.95);
          break;
        }
      }
    } finally {
      optimizer.dispose();
    }
    // Early stopping keeps the best epoch's weights; a fixed number of epochs keeps the last.
    const kept = !explicitEpochs && best ? best.epoch : history.length;
    if (!explicitEpochs && best) vars.forEach((v, i) => v.assign(tf.tensor(best!.weights[i], v.shape)));
    check();

    const heldOutLabels = split.heldOut.map((i) => data.labels[i]);
    const heldOutRun = lossAndPredictions(split.heldOut);
    const evaluation = evaluateClassification(heldOutLabels, heldOutRun.predicted, data.labelNames, {
      confidence: heldOutRun.confidence,
      refOf: (i) => ({ file: o.dataFile ?? o.source ?? '', line: data.lines[split.heldOut[i]], snippet: snippetOf(data.texts[split.heldOut[i]]) }),
    });
    const baseline = majorityBaseline(
      split.fit.map((i) => data.labels[i]),
      heldOutLabels,
      data.labelNames,
    );
    const verdict = learningVerdict(evaluation, baseline);
    const details = prepared.details(history);
    progress(
      `held-out accuracy ${(100 * evaluation.accuracy).toFixed(2)} %, macro F1 ${evaluation.macroF1.toFixed(4)} (always "${baseline.label}": ${(100 * baseline.accuracy).toFixed(2)} %)${verdict.learned ? '' : ' — the model did not learn'}`,
      0.97,
      { kind: 'evaluation', evaluation, baseline, verdict },
    );

    const result: TextTrainResult<Details> = {
      ...details,
      out: path.resolve(o.out),
      recipe: recipe.name,
      heldOutAccuracy: evaluation.accuracy,
      heldOutMacroF1: evaluation.macroF1,
      heldOut: split.heldOut.length,
      train: split.fit.length + split.validation.length,
      validation: split.validation.length,
      epochs,
      epochsRun: history.length,
      bestEpoch: kept,
      stoppedEarly,
      steps,
      lr,
      batch,
      seconds: 0,
      evaluation,
      baseline,
      verdict,
      history,
    };
    const configJson = {
      ...prepared.configJson(),
      num_labels: classes,
      problem_type: 'single_label_classification',
      id2label: Object.fromEntries(data.labelNames.map((n, i) => [i, n])),
      label2id: Object.fromEntries(data.labelNames.map((n, i) => [n, i])),
      metrics: {
        held_out: {
          accuracy: evaluation.accuracy,
          macro_f1: evaluation.macroF1,
          n: evaluation.count,
          expected_calibration_error: round(evaluation.expectedCalibrationError),
          per_class: evaluation.perClass.map((c) => ({ label: c.label, precision: round(c.precision), recall: round(c.recall), f1: round(c.f1), support: c.support })),
          confusion: { rows: 'actual', columns: 'predicted', labels: data.labelNames, matrix: evaluation.confusion },
          ...(prepared.metricsJson?.(details) ?? {}),
        },
        majority_baseline: { label: baseline.label, accuracy: baseline.accuracy, macro_f1: baseline.macroF1 },
        learned: verdict.learned,
        train_size: result.train,
        validation_size: split.validation.length,
        epochs: history.map((p) => ({ epoch: p.epoch, train_loss: round(p.trainLoss), validation_loss: round(p.validationLoss), validation_accuracy: round(p.validationAccuracy) })),
      },
      provenance: {
        ...prepared.provenance,
        data: o.source ?? 'user data',
        split: { seed: o.seed, method: `stratified ${Math.round(100 * (1 - o.validation))}/${Math.round(100 * o.validation)}; validation = a stratified ⅛ of the training part, for early stopping` },
        epochs,
        epochs_run: history.length,
        kept_epoch: kept,
        early_stopping: explicitEpochs ? 'off (epochs given)' : `validation loss, patience ${patience} epochs`,
        lr,
        batch,
        backend,
        date: new Date().toISOString(),
        ...(o.command ? { command: o.command } : {}),
      },
      model_lab: modelLabBlock(recipe, data, o, profileTextCorpus([...split.fit, ...split.validation].map((i) => textTokenStats(prepared.tokenizer, data.texts[i])))),
    };
    result.seconds = (Date.now() - t0) / 1000;
    (configJson.provenance as Record<string, unknown>).seconds = result.seconds;
    writeFolderAtomically(
      o.out,
      (dir) => {
        prepared.writeFiles(dir);
        fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(configJson, null, 2) + '\n');
        fs.writeFileSync(path.join(dir, 'README.md'), modelCardMarkdown(recipe, prepared.card, data, result, o));
      },
      { replaceModel: o.replaceModel, inputs: o.inputs, beforeSwap: check },
    );
    progress(`wrote ${result.out}`, 1);
    return result;
  } finally {
    prepared.dispose();
    for (const v of vars) v.dispose();
  }
}
