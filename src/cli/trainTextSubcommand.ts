import * as path from 'node:path';
import { parseArgs, UsageError } from './cliArgs';
import { DataFileError, MAX_TRAINING_ROWS, readLabelledTexts, type LabelledTexts } from '../train/text/userData';
import { trainTextClassifierFromScratch, TrainingCancelledError } from '../train/text/trainUserText';
import { checkOutputFolder, OutputFolderError, recoverInterruptedWrites } from '../train/modelFolderOutput';
import { checkTuning, isTrainRecipe, TRAIN_RECIPES, tuningUsage, type TrainTuning } from '../train/text/recipeOptions';
import { EncoderFolderError, trainFrozenEncoderHead } from '../train/text/frozenEncoderRecipe';
import type { Subcommand } from './subcommands';

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
      io.out('The file needs a header row (CSV/TSV) or objects (JSONL) with "text" and "label"; 20 % is held out for validation.');
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
    const numbers: TrainTuning = {};
    for (const key of ['epochs', 'seq', 'hidden', 'layers', 'seed', 'lr'] as const) {
      const raw = parsed.options.get(key);
      if (raw === undefined) continue;
      const n = raw.trim() === '' ? NaN : Number(raw);
      if (!Number.isFinite(n)) {
        io.err(`model-lab train-text: --${key} needs a number, got '${raw}'`);
        io.err(USAGE);
        return 2;
      }
      numbers[key] = n;
    }
    const recipe = parsed.options.get('recipe') ?? 'bert-tiny';
    const encoder = parsed.options.get('encoder');
    if (!isTrainRecipe(recipe)) {
      io.err(`model-lab train-text: --recipe must be ${TRAIN_RECIPES.join(' or ')}, got '${recipe}'`);
      return 2;
    }
    if ((recipe === 'frozen-encoder') !== (encoder !== undefined)) {
      io.err(`model-lab train-text: ${encoder === undefined ? '--recipe frozen-encoder needs --encoder DIR (an ONNX encoder folder such as a bert-base-uncased export)' : '--encoder DIR is used only with --recipe frozen-encoder'}`);
      return 2;
    }
    const problem = checkTuning(recipe, numbers);
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
    const dataPath = path.resolve(data);
    const outPath = path.resolve(out);
    const inputs = [dataPath, ...(encoder !== undefined ? [path.resolve(encoder)] : [])];
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
    progress(`${texts.texts.length} texts, ${texts.labelNames.length} classes (${texts.labelNames.join(', ')})`, 0);
    // Ctrl+C stops between batches, so the temporary folder is removed and the old model stays; a second
    // Ctrl+C ends the process at once (the next run then cleans up what the journal names).
    const controller = new AbortController();
    const onSigint = () => {
      if (controller.signal.aborted) process.exit(130);
      io.err('model-lab train-text: stopping after this batch (Ctrl+C again to quit at once)…');
      controller.abort();
    };
    process.on('SIGINT', onSigint);
    let result: { out: string; heldOutAccuracy: number; heldOutMacroF1: number; heldOut: number; seconds: number };
    try {
      if (recipe === 'frozen-encoder' && encoder !== undefined) {
        result = await trainFrozenEncoderHead(
          texts,
          { encoder: path.resolve(encoder), out: outPath, source: path.basename(data), command: `model-lab train-text ${args.join(' ')}`, lr: numbers.lr, epochs: numbers.epochs, seed: numbers.seed, maxLength: numbers.seq, replaceModel, inputs },
          progress,
          controller.signal,
        );
      } else {
        result = await trainTextClassifierFromScratch(texts, { out: outPath, source: path.basename(data), ...numbers, replaceModel, inputs }, progress, controller.signal);
      }
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
    io.out(`wrote ${result.out}: held-out accuracy ${(100 * result.heldOutAccuracy).toFixed(2)} %, macro F1 ${result.heldOutMacroF1.toFixed(4)} (${result.heldOut} texts), ${result.seconds.toFixed(0)} s`);
    return 0;
  },
};
