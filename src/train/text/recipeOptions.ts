/**
 * The training recipes a user can choose (CLI `--recipe`, the command's quick pick) and the tuning options each
 * takes, with their bounds. The CLI and the training worker check requests with the same {@link checkTuning},
 * so a value refused in one is refused in the other with the same sentence.
 *
 * No `vscode` import.
 */
import { CodedError } from '../../common/errors';

export const TRAIN_RECIPES = ['bert-tiny', 'frozen-encoder'] as const;
export type TrainRecipe = (typeof TRAIN_RECIPES)[number];

/** Tuning a user may set; anything left `undefined` gets the recipe's default (which may scale with the data). */
export interface TrainTuning {
  epochs?: number;
  /** Tokens per text, special tokens included. */
  seq?: number;
  hidden?: number;
  layers?: number;
  seed?: number;
  lr?: number;
}

export type TuningKey = keyof TrainTuning;

interface OptionSpec {
  integer: boolean;
  min: number;
  max: number;
  /** For usage text. */
  describe: string;
}

/** The attention heads of the BERT-tiny recipe; `hidden` must split evenly across them. */
export const BERT_TINY_HEADS = 2;
/** BERT's position-embedding table has 512 rows: no recipe can read more tokens per text. */
export const MAX_SEQUENCE_LENGTH = 512;
export const MAX_EPOCHS = 1000;

export const TUNING_SPECS: Record<TuningKey, OptionSpec> = {
  epochs: { integer: true, min: 1, max: MAX_EPOCHS, describe: `passes over the training part, 1–${MAX_EPOCHS} (default: enough for a few hundred steps, with early stopping)` },
  seq: { integer: true, min: 8, max: MAX_SEQUENCE_LENGTH, describe: `tokens per text, 8–${MAX_SEQUENCE_LENGTH} (default: fits 95 % of the texts, at most 128)` },
  hidden: { integer: true, min: 8, max: 512, describe: `BERT-tiny hidden size, 8–512 and a multiple of ${BERT_TINY_HEADS} (default 32)` },
  layers: { integer: true, min: 1, max: 12, describe: 'BERT-tiny encoder layers, 1–12 (default 2)' },
  seed: { integer: true, min: 0, max: 2 ** 31 - 1, describe: 'seed of the split, the initialisation and the shuffles (default 42)' },
  lr: { integer: false, min: Number.MIN_VALUE, max: 1, describe: 'Adam learning rate, above 0 and at most 1 (default 1e-3 for BERT-tiny, 1e-3 for the frozen-encoder head)' },
};

export const RECIPE_TUNING: Record<TrainRecipe, readonly TuningKey[]> = {
  'bert-tiny': ['epochs', 'seq', 'hidden', 'layers', 'seed', 'lr'],
  'frozen-encoder': ['epochs', 'seq', 'seed', 'lr'],
};

export function isTrainRecipe(value: unknown): value is TrainRecipe {
  return typeof value === 'string' && (TRAIN_RECIPES as readonly string[]).includes(value);
}

/** The code of every refused training request (recipe, encoder or tuning value); the sentence names the flag. */
export const BAD_TRAINING_OPTION = 'bad-training-option';

/**
 * The first problem with `tuning` for `recipe` as a coded error whose sentence names the flag (`--epochs …`), or
 * undefined when every value is in range. Values must be finite numbers; integers where the option counts something.
 */
export function checkTuning(recipe: TrainRecipe, tuning: TrainTuning): CodedError | undefined {
  for (const key of Object.keys(tuning) as TuningKey[]) {
    const value = tuning[key];
    if (value === undefined) continue;
    const spec = TUNING_SPECS[key];
    if (!spec) return new CodedError(BAD_TRAINING_OPTION, '--{0} is not a training option', [String(key)]);
    if (!RECIPE_TUNING[recipe].includes(key)) {
      return key === 'hidden' || key === 'layers' ? new CodedError(BAD_TRAINING_OPTION, '--hidden and --layers describe the BERT-tiny recipe; the frozen encoder keeps its own size') : new CodedError(BAD_TRAINING_OPTION, '--{0} is not used by the {1} recipe', [key, recipe]);
    }
    if (typeof value !== 'number' || !Number.isFinite(value) || (spec.integer && !Number.isInteger(value)) || value < spec.min || value > spec.max) {
      if (key === 'lr') return new CodedError(BAD_TRAINING_OPTION, '--lr must be a number above 0 and at most 1, got {0}', [String(value)]);
      return spec.integer ? new CodedError(BAD_TRAINING_OPTION, '--{0} must be a whole number from {1} to {2}, got {3}', [key, spec.min, spec.max, String(value)]) : new CodedError(BAD_TRAINING_OPTION, '--{0} must be a number from {1} to {2}, got {3}', [key, spec.min, spec.max, String(value)]);
    }
    if (key === 'hidden' && value % BERT_TINY_HEADS !== 0) return new CodedError(BAD_TRAINING_OPTION, '--hidden must be a multiple of {0} (the attention heads), got {1}', [BERT_TINY_HEADS, value]);
  }
  return undefined;
}

/** Usage lines for the tuning options, from the same table the checks use. */
export function tuningUsage(): string[] {
  return (Object.keys(TUNING_SPECS) as TuningKey[]).map((k) => `  --${k.padEnd(7)} ${TUNING_SPECS[k].describe}`);
}

/**
 * `defaults` overlaid with the values of `given` that are not `undefined`: the one way every recipe applies its
 * defaults, so an absent CLI flag or an unset field of a worker request never overrides a default.
 */
export function withDefaults<D extends object, G extends object>(defaults: D, given: G): D & G {
  const defined = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
  return { ...defaults, ...defined } as D & G;
}
