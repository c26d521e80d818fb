/**
 * Folder classification results as CSV and as the summary the panel shows (counts per label, files with
 * the lowest confidence first, failures listed apart). No `vscode` import.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ClassificationOutcome, Prediction } from './classifier';

export const RESULTS_CSV_NAME = 'model-lab-results.csv';

/** File extensions listed when scanning a folder (decoding itself goes by magic bytes). */
export const FOLDER_IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.bmp', '.gif', '.webp'];

/** Image files under `folder` (recursively, hidden folders and node_modules skipped), sorted. */
export async function listImageFiles(folder: string, limit = 100_000): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await fs.promises.readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (out.length >= limit) return;
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && FOLDER_IMAGE_EXTENSIONS.includes(path.extname(e.name).toLowerCase())) out.push(p);
    }
  };
  await walk(folder);
  return out;
}

/**
 * One CSV cell. Text that a spreadsheet would read as a formula (starting with = + - @, or a tab or carriage
 * return before one) gets a leading apostrophe, so a file or label named `=HYPERLINK(…)` stays text
 * (OWASP's advice on CSV injection). Scores are numbers and never start that way.
 */
export function csvField(value: string | number | undefined): string {
  if (value === undefined) return '';
  let s = typeof value === 'number' ? value.toFixed(6) : value;
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Thrown when the chosen results file is a symbolic link: Model Lab never writes through one. */
export class ResultsTargetError extends Error {}

/**
 * Writes the CSV to `target` without following a symbolic link there: a link is refused (its target is never
 * touched), and the file is written beside it under a new name (O_EXCL) and renamed over `target`, so the
 * write replaces the name itself and never lands where a link planted after the check points.
 */
export async function writeResultsCsv(target: string, csv: string): Promise<void> {
  const existing = await fs.promises.lstat(target).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (existing?.isSymbolicLink()) throw new ResultsTargetError(`${target} is a symbolic link; Model Lab does not write through links. Choose another file name.`);
  if (existing && !existing.isFile()) throw new ResultsTargetError(`${target} is not a regular file. Choose another file name.`);
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${Date.now()}.tmp`);
  await fs.promises.writeFile(temp, csv, { encoding: 'utf8', flag: 'wx' });
  try {
    await fs.promises.rename(temp, target);
  } catch (err) {
    await fs.promises.rm(temp, { force: true });
    throw err;
  }
}

/** One row per file: path relative to the folder, label, score, top-3 (label:score), error message. */
export function outcomesToCsv(folder: string, outcomes: readonly ClassificationOutcome[]): string {
  const lines = [['file', 'label', 'score', 'top2_label', 'top2_score', 'top3_label', 'top3_score', 'error'].join(',')];
  for (const o of outcomes) {
    const file = path.relative(folder, (o.ok ? o.result.file : o.file) ?? (o.ok ? o.result.name : o.name)).split(path.sep).join('/');
    if (o.ok) {
      const t = o.result.top;
      lines.push([file, o.result.label, o.result.score, t[1]?.label, t[1]?.score, t[2]?.label, t[2]?.score, undefined].map(csvField).join(','));
    } else {
      lines.push([file, undefined, undefined, undefined, undefined, undefined, undefined, o.error.message].map(csvField).join(','));
    }
  }
  return lines.join('\n') + '\n';
}

/** One file of a folder run as the summary lists it: its prediction, or the sentence saying why it failed. */
export interface FolderFileRow {
  readonly file: string;
  readonly name: string;
  readonly label?: string;
  readonly score?: number;
  readonly top?: readonly Prediction[];
  readonly error?: string;
}

/**
 * Counts per label (most frequent first, then by label), classified rows by ascending confidence, and
 * failures. `localizeError` turns an error into the user's language.
 */
export function summarizeOutcomes(
  folder: string,
  outcomes: readonly ClassificationOutcome[],
  localizeError: (o: Extract<ClassificationOutcome, { ok: false }>) => string = (o) => o.error.message,
): { counts: { label: string; count: number }[]; rows: FolderFileRow[]; errors: FolderFileRow[] } {
  const counts = new Map<string, number>();
  const rows: FolderFileRow[] = [];
  const errors: FolderFileRow[] = [];
  for (const o of outcomes) {
    const file = (o.ok ? o.result.file : o.file) ?? '';
    const name = path.relative(folder, file) || (o.ok ? o.result.name : o.name);
    if (o.ok) {
      counts.set(o.result.label, (counts.get(o.result.label) ?? 0) + 1);
      rows.push({ file, name, label: o.result.label, score: o.result.score, top: o.result.top });
    } else {
      errors.push({ file, name, error: localizeError(o) });
    }
  }
  rows.sort((a, b) => (a.score ?? 0) - (b.score ?? 0) || a.name.localeCompare(b.name));
  const countList = [...counts].map(([label, count]) => ({ label, count })).sort((a, b) => b.count - a.count || a.label.localeCompare(b.label, undefined, { numeric: true }));
  return { counts: countList, rows, errors };
}
