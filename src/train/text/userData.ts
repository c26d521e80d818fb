/**
 * Reads a user's labelled texts for "train on your own data": CSV, TSV (header row with `text` and `label`
 * columns, any order, case-insensitive, RFC 4180 quoting) or JSONL (one object per line with `text` and `label`).
 * Every problem is reported as a sentence naming the file and the line: non-UTF-8 bytes, missing columns,
 * empty texts, missing labels, a single class.
 *
 * No `vscode` import.
 */
import * as path from 'node:path';
import { CodedError, type ErrorArg } from '../../common/errors';
import { fileInputReason, isFileInputError, readFileBoundedSync } from '../../common/fileInput';
import { mulberry32, shuffleInPlace } from '../../common/random';

export interface LabelledTexts {
  texts: string[];
  /** Index into `labelNames` per text. */
  labels: number[];
  /** Sorted class names. */
  labelNames: string[];
  /** 1-based line of each record in the file (for messages). */
  lines: number[];
}

/**
 * A problem with a labelled-data file (training here, evaluation in src/eval/labelledData.ts): a CodedError whose
 * sentence names the file, and the line where there is one.
 */
export class DataFileError extends CodedError {
  constructor(code: string, template: string, args: readonly ErrorArg[] = []) {
    super(code, template, args);
    this.name = 'DataFileError';
  }
}

/** `file` could not be read: the reason from the bounded read (common/fileInput), in the same sentence shape. */
export function dataFileUnreadable(file: string, err: unknown): DataFileError {
  if (isFileInputError(err)) {
    switch (err.code) {
      case 'fileMissing':
        return new DataFileError('unreadable', '{0}: cannot be read (the file does not exist).', [file]);
      case 'fileNotRegular':
        return new DataFileError('unreadable', '{0}: cannot be read (it is {1}, not a regular file).', [file, err.args[1]]);
      case 'fileTooLarge':
        return new DataFileError('unreadable', '{0}: cannot be read (it is {1}, more than the {2} limit for {3}).', [file, err.args[1], err.args[2], err.args[3]]);
      default:
        return new DataFileError('unreadable', '{0}: cannot be read ({1}).', [file, fileInputReason(err)]);
    }
  }
  return new DataFileError('unreadable', '{0}: cannot be read ({1}).', [file, (err as NodeJS.ErrnoException).code ?? (err as Error).message]);
}

/** The largest data file read (checked before reading): far above any CSV the trainers can use in one run. */
export const MAX_DATA_FILE_BYTES = 256 * 1024 * 1024;

/**
 * The most data rows a training file may have. Training from scratch on this machine class runs at tens of
 * milliseconds per text and step, and the frozen encoder at up to half a second per text, so a larger file
 * would run for many hours; it is refused at once (while reading, before anything is tokenized) with this
 * number in the message, instead of appearing to hang.
 */
export const MAX_TRAINING_ROWS = 100_000;

function tooManyRows(file: string): DataFileError {
  return new DataFileError('too-many-rows', '{0}: more than {1} data rows; Model Lab trains on at most {1}. Sample the file down (keeping every class) and try again.', [file, MAX_TRAINING_ROWS.toLocaleString('en-US')]);
}

type Format = 'csv' | 'tsv' | 'jsonl';

function formatOf(file: string): Format {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.tsv' || ext === '.tab') return 'tsv';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  throw new DataFileError('unsupported-type', '{0}: unsupported file type "{1}"; use .csv, .tsv or .jsonl with text and label columns.', [file, ext || '(none)']);
}

/** Decodes strictly as UTF-8; on failure names the line of the first bad byte. */
export function decodeUtf8(file: string, bytes: Uint8Array): string {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    // Find the first invalid sequence by decoding growing prefixes line by line.
    let line = 1;
    let start = 0;
    for (let i = 0; i <= bytes.length; i++) {
      if (i === bytes.length || bytes[i] === 0x0a) {
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start, i));
        } catch {
          break;
        }
        line++;
        start = i + 1;
      }
    }
    throw new DataFileError('not-utf8', '{0}:{1}: the file is not valid UTF-8; save it as UTF-8 and try again.', [file, line]);
  }
}

/**
 * Splits delimited text into records of fields with the line each record starts on (RFC 4180 quoting).
 * Fields are built from slices of `text` (runs of ordinary characters), not a character at a time: appending one
 * character per step made a rope node per character, and a 13 MB CSV of 10,000 mails peaked at 600 MB while read.
 */
export function parseDelimited(text: string, delimiter: string, file: string, maxRecords: number): { fields: string[]; line: number }[] {
  const records: { fields: string[]; line: number }[] = [];
  let fields: string[] = [];
  let field = '';
  let inQuotes = false;
  let line = 1;
  let recordLine = 1;
  let fieldStarted = false;
  /** Start of the ordinary characters not yet added to `field`, or -1. */
  let run = -1;
  const flush = (end: number): void => {
    if (run >= 0) {
      field += text.slice(run, end);
      run = -1;
    }
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inQuotes) {
      if (c === '"') {
        flush(i);
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else {
        if (c === '\n') line++;
        if (run < 0) run = i;
      }
      continue;
    }
    if (c === '"' && !fieldStarted) {
      inQuotes = true;
      fieldStarted = true;
    } else if (c === delimiter) {
      flush(i);
      fields.push(field);
      field = '';
      fieldStarted = false;
    } else if (c === '\n' || c === '\r') {
      flush(i);
      if (c === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      if (!(fields.length === 1 && fields[0] === '')) {
        records.push({ fields, line: recordLine });
        if (records.length > maxRecords) throw tooManyRows(file);
      }
      fields = [];
      field = '';
      fieldStarted = false;
      line++;
      recordLine = line;
    } else {
      if (run < 0) run = i;
      fieldStarted = true;
    }
  }
  if (inQuotes) throw new DataFileError('unclosed-quote', '{0}:{1}: a quoted field is never closed; check the quotes on this line.', [file, recordLine]);
  flush(text.length);
  fields.push(field);
  if (!(fields.length === 1 && fields[0] === '')) records.push({ fields, line: recordLine });
  if (records.length > maxRecords) throw tooManyRows(file);
  return records;
}

/**
 * Reads and validates a labelled-text file; throws {@link DataFileError} with file:line on bad data.
 * Training needs two classes (`minClasses` 2, the default); evaluation accepts a file with one.
 */
export function readLabelledTexts(file: string, options: { minClasses?: number } = {}): LabelledTexts {
  const format = formatOf(file);
  let bytes: Uint8Array;
  try {
    // A regular file of bounded size, checked before the read: /dev/zero or a FIFO is refused at once.
    bytes = readFileBoundedSync(file, { maxBytes: MAX_DATA_FILE_BYTES, purpose: 'a training data file' });
  } catch (err) {
    throw dataFileUnreadable(file, err);
  }
  const text = decodeUtf8(file, bytes);
  const rows: { text: unknown; label: unknown; line: number }[] = [];
  if (format === 'jsonl') {
    text.split('\n').forEach((raw, i) => {
      const lineText = raw.trim();
      if (!lineText) return;
      if (rows.length >= MAX_TRAINING_ROWS) throw tooManyRows(file);
      let obj: unknown;
      try {
        obj = JSON.parse(lineText);
      } catch (err) {
        throw new DataFileError('invalid-json', '{0}:{1}: not valid JSON ({2}); each line must be an object like {"text": "...", "label": "..."}.', [file, i + 1, (err as Error).message]);
      }
      if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new DataFileError('invalid-json', '{0}:{1}: expected a JSON object with "text" and "label".', [file, i + 1]);
      const rec = obj as Record<string, unknown>;
      if (!('text' in rec)) throw new DataFileError('field-missing', '{0}:{1}: the "text" field is missing.', [file, i + 1]);
      if (!('label' in rec)) throw new DataFileError('field-missing', '{0}:{1}: the "label" field is missing.', [file, i + 1]);
      rows.push({ text: rec.text, label: rec.label, line: i + 1 });
    });
  } else {
    // One header row plus at most MAX_TRAINING_ROWS data rows.
    const records = parseDelimited(text, format === 'csv' ? ',' : '\t', file, MAX_TRAINING_ROWS + 1);
    if (records.length === 0) throw new DataFileError('no-rows', '{0}: the file is empty; it needs a header row with text and label columns.', [file]);
    const header = records[0].fields.map((h) => h.trim().toLowerCase());
    const textCol = header.indexOf('text');
    const labelCol = header.indexOf('label');
    if (textCol < 0 || labelCol < 0) {
      const args = [file, records[0].line, records[0].fields.join(', ') || 'nothing'];
      if (textCol < 0 && labelCol < 0) throw new DataFileError('header-incomplete', '{0}:{1}: the header has no text or label column (found: {2}); name the columns "text" and "label".', args);
      throw textCol < 0
        ? new DataFileError('header-incomplete', '{0}:{1}: the header has no text column (found: {2}); name the columns "text" and "label".', args)
        : new DataFileError('header-incomplete', '{0}:{1}: the header has no label column (found: {2}); name the columns "text" and "label".', args);
    }
    for (const r of records.slice(1)) {
      if (r.fields.length <= Math.max(textCol, labelCol)) {
        throw new DataFileError('row-incomplete', '{0}:{1}: this row has {2} column(s) but the header has {3}; check the separators and quotes.', [file, r.line, r.fields.length, header.length]);
      }
      rows.push({ text: r.fields[textCol], label: r.fields[labelCol], line: r.line });
    }
  }
  const texts: string[] = [];
  const labelStrings: string[] = [];
  const lines: number[] = [];
  for (const r of rows) {
    if (typeof r.text !== 'string' || r.text.trim() === '') throw new DataFileError('empty-text', '{0}:{1}: the text is empty; remove the row or fill it in.', [file, r.line]);
    const label = typeof r.label === 'number' || typeof r.label === 'boolean' ? String(r.label) : r.label;
    if (typeof label !== 'string' || label.trim() === '') throw new DataFileError('empty-label', '{0}:{1}: the label is empty; every row needs a label.', [file, r.line]);
    texts.push(r.text);
    labelStrings.push(label.trim());
    lines.push(r.line);
  }
  if (texts.length === 0) throw new DataFileError('no-rows', '{0}: no data rows; add rows under the header.', [file]);
  const labelNames = [...new Set(labelStrings)].sort();
  if (labelNames.length < (options.minClasses ?? 2)) throw new DataFileError('one-class', '{0}: every row has the label "{1}"; a classifier needs at least two classes.', [file, labelNames[0]]);
  const index = new Map(labelNames.map((n, i) => [n, i]));
  return { texts, labels: labelStrings.map((l) => index.get(l)!), labelNames, lines };
}

/** Stratified split of record indices: per class, a seeded shuffle, the first `fraction` held out. */
export function stratifiedIndexSplit(labels: readonly number[], fraction: number, seed: number): { train: number[]; heldOut: number[] } {
  // Linear: append in place (copying the class's list on every row made a 100k-row file take minutes).
  const byClass = new Map<number, number[]>();
  labels.forEach((l, i) => {
    const list = byClass.get(l);
    if (list) list.push(i);
    else byClass.set(l, [i]);
  });
  const train: number[] = [];
  const heldOut: number[] = [];
  for (const [label, idx] of [...byClass].sort((a, b) => a[0] - b[0])) {
    shuffleInPlace(idx, mulberry32(seed * 31 + label));
    // At least one held-out example per class when the class has two or more.
    const n = idx.length >= 2 ? Math.max(1, Math.round(idx.length * fraction)) : 0;
    heldOut.push(...idx.slice(0, n));
    train.push(...idx.slice(n));
  }
  shuffleInPlace(train, mulberry32(seed + 1));
  return { train, heldOut };
}
