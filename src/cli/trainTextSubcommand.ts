import * as path from 'node:path';
import { parseArgs, UsageError } from './cliArgs';
import { DataFileError, MAX_TRAINING_ROWS, readLabelledTexts, type LabelledTexts } from '../train/text/userData';
import { TrainingCancelledError, type TextTrainResult } from '../train/text/pipeline';
import { checkOutputFolder, OutputFolderError, recoverInterruptedWrites } from '../train/modelFolderOutput';
import { tuningUsage, type TrainTuning } from '../train/text/recipeOptions';
import { EncoderFolderError } from '../train/text/frozenEncoderRecipe';
import { checkTrainRun, trainTextClassifier } from '../train/text/recipes';
import type { Subcommand } from './subcommand';
import type { TrainRecipe } from '../train/text/recipeOptions';
import { counted } from '../common/plural';

const USAGE = 'usage: model-lab train-text --data FILE --out DIR [--force] [--recipe bert-tiny|frozen-encoder] [--encoder DIR] [--epochs N] [--seq N] [--hidden N] [--layers N] [--seed N] [--lr X]';

/**
 * `model-lab train-text`: trains a BERT-tiny text classifier from scratch on a CSV/TSV/JSONL file with text and
 * label columns and writes a model folder the text classifier commands can use directly.
 */
export const trainTextSubcommand: Subcommand = {
  name: 'train-text',
  summary: 'train a BERT-tiny text classifier on your CSV/TSV/JSONL (text, label) file into a model folder',
  async run(args, io) {
    let parsed;
    try {
      parsed = parseArgs(args, { flags: ['help', 'force'], options: ['data', 'out', 'epochs', 'seq', 'hidden', 'layers', 'seed', 'lr', 'recipe', 'encoder'] });
    } catch (err) {
      if (err instanceof UsageError) {
        io.err(`model-lab train-text: ${err.message}`);
        io.err(USAGE);
        return 2;
      }
      throw err;
    }
    if (parsed.flags.has('help')) {
      io.out(USAGE);
      io.out('The file needs a header row (CSV/TSV) or objects (JSONL) with "text" and "label"; 20 % is held out for the reported metrics,');
      io.out('and a stratified eighth of the rest is watched for early stopping. By default training runs at least a few hundred steps.');
      io.out('A model whose held-out accuracy and macro F1 do not clear chance and the majority baseline is reported as "did not learn", with what to try.');
      io.out('The folder gets config.json (labels, metrics, provenance, a model_lab block), README.md (the model card) and the model files.');
      io.out('--recipe frozen-encoder --encoder DIR: the article\'s recipe, a linear head (Adam, lr 1e-5 unless --lr, cross-entropy) on the frozen ONNX encoder in DIR (e.g. a bert-base-uncased export); --seq caps its tokens per text.');
      io.out(`At most ${MAX_TRAINING_ROWS.toLocaleString('en-US')} data rows.`);
      io.out('--out DIR must be new, empty, or (with --force) a folder that holds a model (config.json and model.onnx); nothing else is ever replaced.');
      io.out('The new folder is written beside DIR and swapped in at the end, so an interrupted run leaves the old model or the new one.');
      for (const line of tuningUsage()) io.out(line);
      return 0;
    }
    const data = parsed.options.get('data');
    const out = parsed.options.get('out');
    if (!data || !out || parsed.positionals.length > 0) {
      io.err(`model-lab train-text: ${!data ? '--data FILE is required' : !out ? '--out DIR is required' : `unexpected argument '${parsed.positionals[0]}'`}`);
      io.err(USAGE);
      return 2;
    }
    const tuning: TrainTuning = {};
    for (const key of ['epochs', 'seq', 'hidden', 'layers', 'seed', 'lr'] as const) {
      const raw = parsed.options.get(key);
      if (raw === undefined) continue;
      const n = raw.trim() === '' ? NaN : Number(raw);
      if (!Number.isFinite(n)) {
        io.err(`model-lab train-text: --${key} needs a number, got '${raw}'`);
        io.err(USAGE);
        return 2;
      }
      tuning[key] = n;
    }
    const recipe = parsed.options.get('recipe') ?? 'bert-tiny';
    const encoder = parsed.options.get('encoder');
    const problem = checkTrainRun({ recipe, encoder, tuning });
    if (problem) {
      io.err(`model-lab train-text: ${problem}`);
      io.err(USAGE);
      return 2;
    }
    // tfjs itself loads lazily inside the trainer (loadTfjs), so other subcommands do not pay for it.
    let texts: LabelledTexts;
    try {
      texts = readLabelledTexts(path.resolve(data));
    } catch (err) {
      if (err instanceof DataFileError) {
        io.err(`model-lab train-text: ${err.message}`);
        return 1;
      }
      throw err;
    }
    const outPath = path.resolve(out);
    const inputs = [path.resolve(data), ...(encoder !== undefined ? [path.resolve(encoder)] : [])];
    const replaceModel = parsed.flags.has('force');
    try {
      for (const note of recoverInterruptedWrites(outPath)) io.err(`model-lab train-text: ${note}`);
      checkOutputFolder(outPath, { replaceModel, inputs });
    } catch (err) {
      if (err instanceof OutputFolderError) {
        io.err(`model-lab train-text: ${err.message}`);
        return 1;
      }
      throw err;
    }
    let lastPercent = -1;
    const progress = (message: string, fraction: number) => {
      const percent = Math.floor(fraction * 20) * 5;
      if (percent !== lastPercent || fraction === 0 || fraction === 1) {
        lastPercent = percent;
        io.err(`[${String(Math.round(fraction * 100)).padStart(3)} %] ${message}`);
      }
    };
    progress(`${counted(texts.texts.length, 'text', 'texts')}, ${counted(texts.labelNames.length, 'class', 'classes')} (${texts.labelNames.join(', ')})`, 0);
    // Ctrl+C stops between batches, so the temporary folder is removed and the old model stays; a second
    // Ctrl+C ends the process at once (the next run then cleans up what the journal names).
    const controller = new AbortController();
    const onSigint = () => {
      if (controller.signal.aborted) process.exit(130);
      io.err('model-lab train-text: stopping after this batch (Ctrl+C again to quit at once)…');
      controller.abort();
    };
    process.on('SIGINT', onSigint);
    let result: TextTrainResult;
    try {
      result = await trainTextClassifier(
        texts,
        {
          recipe: recipe as TrainRecipe,
          encoder: encoder !== undefined ? path.resolve(encoder) : undefined,
          out: outPath,
          tuning,
          source: path.basename(data),
          dataFile: path.resolve(data),
          command: `model-lab train-text ${args.join(' ')}`,
          replaceModel,
          inputs,
        },
        progress,
        controller.signal,
      );
    } catch (err) {
      if (err instanceof EncoderFolderError || err instanceof OutputFolderError) {
        io.err(`model-lab train-text: ${err.message}`);
        return 1;
      }
      if (err instanceof TrainingCancelledError) {
        io.err(`model-lab train-text: ${err.message}`);
        return 130;
      }
      throw err;
    } finally {
      process.off('SIGINT', onSigint);
    }
    const e = result.evaluation;
    io.out(`wrote ${result.out}: held-out accuracy ${(100 * result.heldOutAccuracy).toFixed(2)} %, macro F1 ${result.heldOutMacroF1.toFixed(4)} (${counted(result.heldOut, 'text', 'texts')}), ${result.seconds.toFixed(0)} s`);
    io.out(`  majority baseline (always "${result.baseline.label}"): ${(100 * result.baseline.accuracy).toFixed(2)} %, macro F1 ${result.baseline.macroF1.toFixed(4)}; ${result.epochsRun} of ${counted(result.epochs, 'epoch', 'epochs')} (${counted(result.steps, 'step', 'steps')})${result.stoppedEarly ? `, early stopping kept epoch ${result.bestEpoch}` : ''}`);
    for (const c of e.perClass) io.out(`  ${c.label}: precision ${c.precision.toFixed(3)}, recall ${c.recall.toFixed(3)}, F1 ${c.f1.toFixed(3)}, support ${c.support}`);
    if (!result.verdict.learned) {
      io.err(`model-lab train-text: the model did not learn: held-out accuracy ${(100 * e.accuracy).toFixed(1)} % and macro F1 ${e.macroF1.toFixed(3)} do not clear ${(100 * result.verdict.accuracyBar).toFixed(1)} % and ${result.verdict.macroF1Bar.toFixed(3)} (chance and the majority baseline).`);
      for (const hint of notLearnedHints(result)) io.err(`  - ${hint}`);
    }
    return 0;
  },
};

/** What to try when a model did not learn, from what the run saw. */
function notLearnedHints(result: TextTrainResult): string[] {
  const hints: string[] = [];
  const perClass = Math.min(...result.evaluation.perClass.map((c) => c.support)) * 5;
  if (perClass < 50) hints.push('add labelled examples: a few dozen per class at least, more when classes differ subtly');
  hints.push('check that the labels match the texts (a shuffled or noisy label column cannot be learned)');
  if (result.recipe === 'frozen-encoder' && result.lr < 1e-4) hints.push('raise the head\'s learning rate (--lr 1e-3): 1e-5 suits fine-tuning a whole encoder, not a head alone');
  else hints.push('train longer (--epochs) or try another learning rate (--lr)');
  if (result.recipe === 'bert-tiny') hints.push('or use --recipe frozen-encoder with a pre-trained encoder, which needs far fewer examples');
  return hints;
}
