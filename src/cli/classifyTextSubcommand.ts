import { fileInputReason, isFileInputError, readFileBoundedSync } from '../common/fileInput';
import { bundledTextModelDirFrom } from '../text/bundledModel';
import { checkSize, DEFAULT_MAX_FILE_KB, detectBinaryBytes, isBlank } from '../text/inputCheck';
import { loadTextModel, DEFAULT_WINDOW_OVERLAP, type TextClassificationResult } from '../text/onnxTextClassifier';
import { explainText, topSegments, type TextExplanation } from '../text/explain';
import { textScopeWarnings } from '../text/textScope';
import { displayLabel, readModelScope, type ScopeWarning } from '../common/modelScope';
import { intOption, parseArgs, UsageError } from './cliArgs';
import type { CliIo, Subcommand } from './subcommand';
import { counted } from '../common/plural';

const usage = [
  'usage: model-lab classify-text [--model DIR] [--json] [--explain [--label NAME]] [--overlap N] [--max-tokens N] [--threads N] [--max-kb N] (TEXT… | --file F | -)',
  '',
  '  TEXT          the text to classify (several words are joined with spaces)',
  '  --file F      classify the UTF-8 text file F',
  '  -             read the text from standard input',
  '  --model DIR   a model folder (model.onnx, config.json, vocab.txt); default: the bundled spam-bert-tiny',
  '  --json        print the full result as JSON (labels, probabilities, windows with character ranges, timings, warnings)',
  '  --explain     also say which words drove the result: occlusion over whole words (leave-one-out when it fits',
  '                about 3× a plain classification, else spans then the strongest span refined); with --json,',
  '                `explanation.segments` = [{start, end, text, score, words}]',
  '                is [{start, end, text, score}] (UTF-16 offsets into the text; score in log-odds of the label, + for, − against)',
  '  --label NAME  explain this label instead of the predicted one',
  `  --overlap N   tokens shared by neighbouring windows of a long text (default ${DEFAULT_WINDOW_OVERLAP})`,
  '  --max-tokens N  cap the window length (default: the model maximum)',
  '  --threads N   onnxruntime threads (default 0 = one per core)',
  `  --max-kb N    refuse inputs larger than N KiB (default ${DEFAULT_MAX_FILE_KB})`,
  '',
  'Exit codes: 0 classified, 1 bad input or model error, 2 usage error.',
].join('\n');

/** The bundled model, resolved next to the CLI bundle (dist/../models/spam-bert-tiny). */
export function defaultTextModelDir(): string {
  return bundledTextModelDirFrom(__dirname);
}

/** Standard input, up to `maxBytes` + 1 bytes (enough to tell that it is over the limit): never unbounded. */
async function readStdin(maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    chunks.push(b);
    total += b.length;
    if (total > maxBytes) break;
  }
  return Buffer.concat(chunks);
}

function percent(p: number): string {
  return `${(p * 100).toFixed(1)}%`;
}

/** The human-readable summary: label line, one bar per label (text + bar), decisive windows. `shown` names labels for people. */
export function formatTextResult(r: TextClassificationResult, shown: (label: string) => string = (l) => l): string[] {
  const width = Math.max(...r.labels.map((l) => shown(l.label).length));
  const lines = [
    `${shown(r.label)}  ${percent(r.probability)}  (${r.model.name}; ${r.tokenCount} tokens in ${r.windows.length} window${r.windows.length === 1 ? '' : 's'}; ` +
      `tokenize ${r.timings.tokenizeMs.toFixed(1)} ms, inference ${r.timings.inferenceMs.toFixed(1)} ms, total ${r.timings.totalMs.toFixed(1)} ms)`,
  ];
  for (const l of r.labels) lines.push(`  ${shown(l.label).padEnd(width)}  ${percent(l.probability).padStart(6)}  ${'█'.repeat(Math.round(l.probability * 30))}`);
  if (r.windows.length > 1) {
    lines.push(`most decisive windows for "${shown(r.label)}" (mean of ${counted(r.windows.length, 'window', 'windows')}, ${counted(r.windowLength, 'token', 'tokens')} each, overlap ${r.windowOverlap}):`);
    for (const i of r.decisiveWindows) {
      const w = r.windows[i];
      lines.push(`  #${i + 1}  chars ${w.charStart}–${w.charEnd}  ${shown(r.label)} ${percent(w.probabilities[r.labelIndex])}`);
    }
  }
  return lines;
}

/** The words that pushed hardest for and against the explained label. */
export function formatExplanation(e: TextExplanation, shown: (label: string) => string = (l) => l, count = 8): string[] {
  const top = topSegments(e.segments, count);
  const list = (ws: readonly { text: string; score: number; start: number }[]) => ws.map((w) => `${JSON.stringify(w.text)} ${w.score >= 0 ? '+' : ''}${w.score.toFixed(3)} @${w.start}`).join(', ') || '(none)';
  const method = e.method === 'leave-one-out' ? `leave-one-out over ${counted(e.wordCount, 'word', 'words')}` : `coarse-to-fine occlusion over ${counted(e.wordCount, 'word', 'words')} in ${counted(e.segments.length, 'segment', 'segments')}`;
  return [
    `why "${shown(e.label)}" (${method}, ${counted(e.evaluations, 'model row', 'model rows')}, ${e.elapsedMs.toFixed(0)} ms; score = log-odds lost without the word or segment):`,
    `  for:     ${list(top.for)}`,
    `  against: ${list(top.against)}`,
  ];
}

export const classifyTextSubcommand: Subcommand = {
  name: 'classify-text',
  summary: 'classify text with a BERT-family ONNX model (default: the bundled spam model)',
  async run(args: string[], io: CliIo): Promise<number> {
    let parsed;
    try {
      parsed = parseArgs(args, { flags: ['json', 'help', 'explain'], options: ['model', 'file', 'overlap', 'max-tokens', 'threads', 'max-kb', 'label'] });
      if (parsed.flags.has('help')) {
        io.out(usage);
        return 0;
      }
      const sources = (parsed.options.has('file') ? 1 : 0) + (parsed.positionals.length > 0 ? 1 : 0);
      if (sources !== 1) throw new UsageError(sources === 0 ? 'give the text, --file F, or - for standard input' : 'give either the text or --file, not both');
      if (parsed.positionals.includes('-') && parsed.positionals.length > 1) throw new UsageError("'-' reads standard input and takes no other text");
      if (parsed.options.has('label') && !parsed.flags.has('explain')) throw new UsageError('--label chooses the label to explain; it needs --explain');
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      io.err(`model-lab classify-text: ${err.message}`);
      io.err(usage.split('\n')[0]);
      return 2;
    }
    let overlap: number, maxTokens: number, threads: number, maxKB: number;
    try {
      overlap = intOption(parsed, 'overlap', DEFAULT_WINDOW_OVERLAP);
      maxTokens = intOption(parsed, 'max-tokens', 0);
      threads = intOption(parsed, 'threads', 0);
      maxKB = intOption(parsed, 'max-kb', DEFAULT_MAX_FILE_KB);
      if (maxKB < 1) throw new UsageError(`--max-kb must be at least 1 (got '${parsed.options.get('max-kb')}')`);
    } catch (err) {
      io.err(`model-lab classify-text: ${(err as Error).message}`);
      return 2;
    }

    let text: string;
    const file = parsed.options.get('file');
    if (file !== undefined || parsed.positionals[0] === '-') {
      let bytes: Buffer;
      const label = file ?? 'standard input';
      const tooLargeMessage = (size: string) => `model-lab classify-text: ${label} is ${size}, over the ${maxKB} KiB limit. Raise it with --max-kb, or classify a part of it.`;
      if (file !== undefined) {
        try {
          // Size and file type are checked before reading: /dev/zero or a FIFO is refused, not read.
          bytes = readFileBoundedSync(file, { maxBytes: maxKB * 1024, purpose: 'the text to classify' });
        } catch (err) {
          if (isFileInputError(err) && err.code === 'fileTooLarge') io.err(tooLargeMessage(`${Math.ceil((err.sizeBytes ?? 0) / 1024)} KiB`));
          else if (isFileInputError(err) && err.code === 'fileMissing') io.err(`model-lab classify-text: cannot read ${file}: no such file.`);
          else io.err(`model-lab classify-text: cannot read ${file}: ${isFileInputError(err) ? fileInputReason(err) : (err as Error).message}.`);
          return 1;
        }
      } else {
        bytes = await readStdin(maxKB * 1024);
      }
      if (checkSize(bytes.length, maxKB)) {
        io.err(tooLargeMessage(file === undefined ? `more than ${maxKB} KiB` : `${Math.ceil(bytes.length / 1024)} KiB`));
        return 1;
      }
      if (detectBinaryBytes(bytes)) {
        io.err(`model-lab classify-text: ${label} looks like a binary file (NUL bytes or invalid UTF-8), not text. Give a UTF-8 text file.`);
        return 1;
      }
      text = bytes.toString('utf8');
    } else {
      text = parsed.positionals.join(' ');
    }
    if (isBlank(text)) {
      io.err('model-lab classify-text: the text is empty or only whitespace; there is nothing to classify.');
      return 1;
    }

    const modelDir = parsed.options.get('model') ?? defaultTextModelDir();
    const classifier = await loadTextModel(modelDir, { threads });
    try {
      const options = { windowOverlap: overlap, maxWindowTokens: maxTokens };
      const result = await classifier.classify(text, options);
      const { block } = readModelScope(classifier.files.dir);
      const shown = (label: string) => displayLabel(block, label, 'en');
      const warnings: ScopeWarning[] = textScopeWarnings(classifier.files.dir, classifier.tokenizer, text);
      let explanation: TextExplanation | undefined;
      if (parsed.flags.has('explain')) {
        const asked = parsed.options.get('label');
        const labelIndex = asked === undefined ? undefined : classifier.labels.findIndex((l) => l === asked || shown(l) === asked);
        if (labelIndex === -1) {
          io.err(`model-lab classify-text: the model has no label "${asked}" (its labels: ${classifier.labels.join(', ')}).`);
          return 2;
        }
        explanation = await explainText(classifier, text, { ...options, labelIndex });
      }
      if (parsed.flags.has('json')) {
        io.out(JSON.stringify({ ...result, displayLabel: shown(result.label), warnings, ...(explanation ? { explanation } : {}) }));
      } else {
        for (const line of formatTextResult(result, shown)) io.out(line);
        for (const w of warnings) io.out(`warning: ${w.message}`);
        if (explanation) for (const line of formatExplanation(explanation, shown)) io.out(line);
      }
      return 0;
    } finally {
      await classifier.dispose();
    }
  },
};
