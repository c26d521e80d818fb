import * as path from 'node:path';
import { parseArgs, UsageError } from './cliArgs';
import { DataFileError, readLabelledTexts, type LabelledTexts } from '../train/text/userData';
import { trainTextClassifierFromScratch } from '../train/text/trainUserText';
import { EncoderFolderError, trainFrozenEncoderHead } from '../train/text/frozenEncoderRecipe';
import type { Subcommand } from './subcommands';

const USAGE = 'usage: model-lab train-text --data FILE --out DIR [--recipe bert-tiny|frozen-encoder] [--encoder DIR] [--epochs N] [--seq N] [--hidden N] [--layers N] [--seed N] [--lr X]';

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
      parsed = parseArgs(args, { flags: ['help'], options: ['data', 'out', 'epochs', 'seq', 'hidden', 'layers', 'seed', 'lr', 'recipe', 'encoder'] });
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
      return 0;
    }
    const data = parsed.options.get('data');
    const out = parsed.options.get('out');
    if (!data || !out || parsed.positionals.length > 0) {
      io.err(`model-lab train-text: ${!data ? '--data FILE is required' : !out ? '--out DIR is required' : `unexpected argument '${parsed.positionals[0]}'`}`);
      io.err(USAGE);
      return 2;
    }
    const numbers: Record<string, number> = {};
    for (const key of ['epochs', 'seq', 'hidden', 'layers', 'seed', 'lr']) {
      const raw = parsed.options.get(key);
      if (raw === undefined) continue;
      const n = Number(raw);
      const integer = key !== 'lr';
      if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
        io.err(`model-lab train-text: --${key} needs a positive ${integer ? 'integer' : 'number'}, got '${raw}'`);
        return 2;
      }
      numbers[key] = n;
    }
    const recipe = parsed.options.get('recipe') ?? 'bert-tiny';
    const encoder = parsed.options.get('encoder');
    if (recipe !== 'bert-tiny' && recipe !== 'frozen-encoder') {
      io.err(`model-lab train-text: --recipe must be bert-tiny or frozen-encoder, got '${recipe}'`);
      return 2;
    }
    if ((recipe === 'frozen-encoder') !== (encoder !== undefined)) {
      io.err(`model-lab train-text: ${encoder === undefined ? '--recipe frozen-encoder needs --encoder DIR (an ONNX encoder folder such as a bert-base-uncased export)' : '--encoder DIR is used only with --recipe frozen-encoder'}`);
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
    let lastPercent = -1;
    const progress = (message: string, fraction: number) => {
      const percent = Math.floor(fraction * 20) * 5;
      if (percent !== lastPercent || fraction === 0 || fraction === 1) {
        lastPercent = percent;
        io.err(`[${String(Math.round(fraction * 100)).padStart(3)} %] ${message}`);
      }
    };
    let result: { out: string; heldOutAccuracy: number; heldOutMacroF1: number; heldOut: number; seconds: number };
    if (recipe === 'frozen-encoder' && encoder !== undefined) {
      if (numbers.hidden !== undefined || numbers.layers !== undefined) {
        io.err('model-lab train-text: --hidden and --layers describe the BERT-tiny recipe; the frozen encoder keeps its own size');
        return 2;
      }
      try {
        result = await trainFrozenEncoderHead(
          texts,
          { encoder: path.resolve(encoder), out: path.resolve(out), source: path.basename(data), command: `model-lab train-text ${args.join(' ')}`, lr: numbers.lr, epochs: numbers.epochs, seed: numbers.seed, maxLength: numbers.seq },
          progress,
        );
      } catch (err) {
        if (err instanceof EncoderFolderError) {
          io.err(`model-lab train-text: ${err.message}`);
          return 1;
        }
        throw err;
      }
    } else {
      result = await trainTextClassifierFromScratch(texts, { out: path.resolve(out), source: path.basename(data), ...numbers }, progress);
    }
    io.out(`wrote ${result.out}: held-out accuracy ${(100 * result.heldOutAccuracy).toFixed(2)} %, macro F1 ${result.heldOutMacroF1.toFixed(4)} (${result.heldOut} texts), ${result.seconds.toFixed(0)} s`);
    return 0;
  },
};
