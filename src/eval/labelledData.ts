/**
 * Labelled data for evaluation: which kind a path is, and its examples. No `vscode` import.
 *
 * - images: a folder whose sub-folders are named by label (the ImageFolder convention; images anywhere
 *   under a label's folder belong to it), or a CSV with `path` and `label` columns (paths relative to the CSV);
 * - texts: CSV / TSV / JSONL with `text` and `label`, read by the same reader `train-text` uses.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { snippetOf, type ExampleRef } from '../common/classificationMetrics';
import { kindOf, readFileBoundedSync } from '../common/fileInput';
import { dataFileUnreadable, DataFileError, decodeUtf8, parseDelimited, readLabelledTexts, MAX_DATA_FILE_BYTES, MAX_TRAINING_ROWS } from '../train/text/userData';
import { listImageFiles } from '../vision/folderReport';

export type DataKind = 'images' | 'texts';

export interface LabelledImage {
  readonly file: string;
  readonly label: string;
  readonly ref: ExampleRef;
}

export interface LabelledText {
  readonly text: string;
  readonly label: string;
  readonly ref: ExampleRef;
}

export type LabelledData =
  | { readonly kind: 'images'; readonly source: string; readonly examples: LabelledImage[]; readonly labels: string[] }
  | { readonly kind: 'texts'; readonly source: string; readonly examples: LabelledText[]; readonly labels: string[] };

/** The most examples one evaluation reads (the training reader's limit, for texts and images alike). */
export const MAX_EVAL_EXAMPLES = MAX_TRAINING_ROWS;

/** The header row of a CSV, lower-cased (empty when the file is empty). */
function csvHeader(file: string): string[] {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(4096);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    const head = buf.subarray(0, n).toString('utf8').replace(/^\ufeff/, '');
    const first = head.split(/\r?\n/)[0] ?? '';
    return first.split(',').map((h) => h.trim().replace(/^"|"$/g, '').toLowerCase());
  } finally {
    fs.closeSync(fd);
  }
}

/** `images` for a folder or a CSV with a `path` column, `texts` for CSV/TSV/JSONL with text; throws DataFileError otherwise. */
export function detectDataKind(target: string): DataKind {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch {
    throw new DataFileError('unreadable', '{0} does not exist. Choose a folder of images in label-named sub-folders, or a CSV / TSV / JSONL file with labels.', [target]);
  }
  if (stat.isDirectory()) return 'images';
  // Opening a FIFO blocks until a writer comes, and /dev/zero never ends: refuse them before csvHeader opens one.
  if (!stat.isFile()) throw new DataFileError('unreadable', '{0} is {1}, not a regular file. Choose a folder of images in label-named sub-folders, or a CSV / TSV / JSONL file with labels.', [target, kindOf(stat)]);
  const ext = path.extname(target).toLowerCase();
  if (ext === '.csv') {
    const header = csvHeader(target);
    if (header.includes('path') && header.includes('label')) return 'images';
    return 'texts'; // the text reader names any missing column
  }
  if (ext === '.tsv' || ext === '.tab' || ext === '.jsonl' || ext === '.ndjson') return 'texts';
  throw new DataFileError('unsupported-type', '{0}: unsupported file type "{1}"; give a folder of images in label-named sub-folders, a CSV with path,label (images), or a CSV / TSV / JSONL with text,label.', [target, ext || '(none)']);
}

/** Images in label-named sub-folders; files directly in the root have no label and are listed in `unlabelled`. */
async function readImageFolder(root: string): Promise<{ examples: LabelledImage[]; labels: string[] }> {
  const entries = (await fs.promises.readdir(root, { withFileTypes: true })).filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules');
  entries.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
  const examples: LabelledImage[] = [];
  const labels: string[] = [];
  for (const e of entries) {
    const files = await listImageFiles(path.join(root, e.name), MAX_EVAL_EXAMPLES - examples.length + 1);
    if (files.length === 0) continue;
    labels.push(e.name);
    for (const file of files) examples.push({ file, label: e.name, ref: { file } });
    if (examples.length > MAX_EVAL_EXAMPLES) throw tooMany(root);
  }
  if (examples.length === 0) {
    throw new DataFileError('no-rows', '{0} has no images in label-named sub-folders. Put each class\'s images in a folder named after the label (for example {1}).', [root, path.join(root, '7', 'a.png')]);
  }
  return { examples, labels };
}

function tooMany(source: string): DataFileError {
  return new DataFileError('too-many-rows', '{0}: more than {1} examples; Model Lab evaluates at most {1} at once. Evaluate a sample.', [source, MAX_EVAL_EXAMPLES.toLocaleString('en-US')]);
}

/** A CSV of `path,label` rows; relative paths start at the CSV's folder. */
function readImageCsv(file: string): { examples: LabelledImage[]; labels: string[] } {
  let bytes: Uint8Array;
  try {
    // Bounded like the text data: a huge CSV is refused before it is read, not loaded whole into memory.
    bytes = readFileBoundedSync(file, { maxBytes: MAX_DATA_FILE_BYTES, purpose: 'a labelled-data CSV' });
  } catch (err) {
    throw dataFileUnreadable(file, err);
  }
  const records = parseDelimited(decodeUtf8(file, bytes), ',', file, MAX_EVAL_EXAMPLES + 1);
  const header = records[0]?.fields.map((h) => h.trim().toLowerCase()) ?? [];
  const pathCol = header.indexOf('path');
  const labelCol = header.indexOf('label');
  if (pathCol < 0 || labelCol < 0) throw new DataFileError('header-incomplete', '{0}:1: the header needs "path" and "label" columns.', [file]);
  const base = path.dirname(file);
  const examples: LabelledImage[] = [];
  const labels = new Set<string>();
  for (const r of records.slice(1)) {
    const p = r.fields[pathCol]?.trim() ?? '';
    const label = r.fields[labelCol]?.trim() ?? '';
    if (!p) throw new DataFileError('empty-text', '{0}:{1}: the path is empty; every row needs an image path.', [file, r.line]);
    if (!label) throw new DataFileError('empty-label', '{0}:{1}: the label is empty; every row needs a label.', [file, r.line]);
    const abs = path.resolve(base, p);
    labels.add(label);
    examples.push({ file: abs, label, ref: { file: abs, line: r.line } });
  }
  if (examples.length === 0) throw new DataFileError('no-rows', '{0}: no data rows; add path,label rows under the header.', [file]);
  return { examples, labels: [...labels].sort() };
}

/** Reads any supported labelled data. Problems are DataFileErrors naming the file (and line). */
export async function readLabelledData(target: string): Promise<LabelledData> {
  const source = path.resolve(target);
  const kind = detectDataKind(source);
  if (kind === 'images') {
    const { examples, labels } = fs.statSync(source).isDirectory() ? await readImageFolder(source) : readImageCsv(source);
    return { kind, source, examples, labels };
  }
  const data = readLabelledTexts(source, { minClasses: 1 });
  const examples = data.texts.map((text, i): LabelledText => ({
    text,
    label: data.labelNames[data.labels[i]],
    ref: { file: source, line: data.lines[i], snippet: snippetOf(text) },
  }));
  return { kind, source, examples, labels: data.labelNames };
}

/** A model folder is a text model when it has a tokenizer (vocab.txt or tokenizer.json), else an image model. */
export function modelKindOf(model: string): DataKind {
  let dir = model;
  try {
    if (fs.statSync(model).isFile()) dir = path.dirname(model);
  } catch {
    return 'images'; // the image loader names a missing model
  }
  return fs.existsSync(path.join(dir, 'vocab.txt')) || fs.existsSync(path.join(dir, 'tokenizer.json')) ? 'texts' : 'images';
}

/** The sentence for data and a model that do not fit each other. */
export function kindMismatchMessage(data: string, dataKind: DataKind, model: string): string {
  return dataKind === 'images'
    ? `${data} holds images, but ${model} is a text model. Choose an image model (a folder with model.onnx or model.json and no vocabulary).`
    : `${data} holds texts, but ${model} is an image model. Choose a text model folder (model.onnx, config.json, vocab.txt).`;
}
