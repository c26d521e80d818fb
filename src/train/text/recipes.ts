/**
 * The recipe table: the one place the CLI (`model-lab train-text`) and the training worker (the VS Code
 * command) turn a request into a training run, with the same checks and the same defaults.
 *
 * No `vscode` import.
 */
import { bertTinyRecipe } from './bertTinyRecipe';
import { frozenEncoderRecipe } from './frozenEncoderRecipe';
import { runTextTraining, type ProgressFn, type TextTrainResult } from './pipeline';
import { CodedError } from '../../common/errors';
import { BAD_TRAINING_OPTION, checkTuning, isTrainRecipe, TRAIN_RECIPES, type TrainRecipe, type TrainTuning } from './recipeOptions';
import type { LabelledTexts } from './userData';

/** One training run as the CLI and the worker describe it. */
export interface TrainRun {
  recipe: TrainRecipe;
  /** The encoder folder, for the frozen-encoder recipe only. */
  encoder?: string;
  out: string;
  tuning: TrainTuning;
  /** Where the data came from (file name), for config.json and the model card. */
  source?: string;
  /** The data file's path (for the report's examples). */
  dataFile?: string;
  /** The command that ran this, for config.json. */
  command?: string;
  /** Replace a model folder already at `out` (never anything else). */
  replaceModel?: boolean;
  /** Paths the run reads (data file, encoder); an `out` containing one is refused. */
  inputs?: readonly string[];
}

/** The first problem with a run's recipe, encoder and tuning as a coded error naming the flag, or undefined. */
export function checkTrainRun(run: { recipe: unknown; encoder?: string; tuning: TrainTuning }): CodedError | undefined {
  if (!isTrainRecipe(run.recipe)) return new CodedError(BAD_TRAINING_OPTION, '--recipe must be {0}, got \'{1}\'', [TRAIN_RECIPES.join(' or '), String(run.recipe)]);
  if ((run.recipe === 'frozen-encoder') !== (run.encoder !== undefined)) {
    return run.encoder === undefined
      ? new CodedError(BAD_TRAINING_OPTION, '--recipe frozen-encoder needs --encoder DIR (an ONNX encoder folder such as a bert-base-uncased export)')
      : new CodedError(BAD_TRAINING_OPTION, '--encoder DIR is used only with --recipe frozen-encoder');
  }
  return checkTuning(run.recipe, run.tuning);
}

/** Trains `data` with the run's recipe; throws the error of {@link checkTrainRun} for a bad run. */
export async function trainTextClassifier(data: LabelledTexts, run: TrainRun, progress?: ProgressFn, signal?: AbortSignal): Promise<TextTrainResult> {
  const problem = checkTrainRun(run);
  if (problem) throw problem;
  const common = { out: run.out, source: run.source, dataFile: run.dataFile, command: run.command, replaceModel: run.replaceModel, inputs: run.inputs, seed: run.tuning.seed, epochs: run.tuning.epochs, lr: run.tuning.lr };
  if (run.recipe === 'frozen-encoder') {
    return runTextTraining(frozenEncoderRecipe, data, { ...common, encoder: run.encoder ?? '', seq: run.tuning.seq }, progress, signal);
  }
  return runTextTraining(bertTinyRecipe, data, { ...common, seq: run.tuning.seq, hidden: run.tuning.hidden, layers: run.tuning.layers }, progress, signal);
}
