/**
 * An evaluation as files: CSV (per-class metrics, totals, the confusion matrix, the most confident mistakes)
 * and JSON (everything, including each cell's examples), and as text for a terminal. No `vscode` import.
 */
import * as path from 'node:path';
import { isPathWithin } from '../common/insideFolder';
import type { EvaluationOutcome } from './evaluate';

function csvField(value: string | number | undefined): string {
  if (value === undefined) return '';
  const s = typeof value === 'number' ? (Number.isInteger(value) ? String(value) : value.toFixed(6)) : value;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const row = (...fields: (string | number | undefined)[]) => fields.map(csvField).join(',');

export interface EvaluationFile {
  readonly model: string;
  readonly data: string;
  readonly outcome: EvaluationOutcome;
}

/** Four tables separated by blank lines, each with its own header row. */
export function evaluationToCsv({ model, data, outcome }: EvaluationFile): string {
  const r = outcome.report;
  const lines = [row('model', model), row('data', data), row('examples', r.count), row('accuracy', r.accuracy), row('macro_f1', r.macroF1), row('expected_calibration_error', r.expectedCalibrationError)];
  lines.push(row('labels_only_in_data', r.labelsOnlyInData.join(' ')), row('labels_only_in_model', r.labelsOnlyInModel.join(' ')), row('failures', r.failureCount), row('cancelled', String(outcome.cancelled)));
  lines.push('', row('label', 'precision', 'recall', 'f1', 'support', 'predicted'));
  for (const c of r.perClass) lines.push(row(c.label, c.precision, c.recall, c.f1, c.support, c.predicted));
  lines.push('', row('actual \\ predicted', ...r.labels));
  r.confusion.forEach((counts, i) => lines.push(row(r.labels[i], ...counts)));
  lines.push('', row('mistake', 'actual', 'predicted', 'confidence', 'file', 'line', 'snippet'));
  r.mostConfidentMistakes.forEach((m, i) => lines.push(row(i + 1, m.actual, m.predicted, m.confidence, m.file, m.line, m.snippet)));
  return lines.join('\n') + '\n';
}

export function evaluationToJson(file: EvaluationFile): string {
  return JSON.stringify({ model: file.model, data: file.data, ...file.outcome }, null, 2) + '\n';
}

/**
 * Where Export proposes the CSV: the workspace folder holding the data (the innermost, when folders nest), else
 * the first workspace folder, else the data's parent; named after the data (`digits-evaluation.csv`, or
 * `reviews-evaluation.csv` for `reviews.jsonl`). Never inside an image folder: the next evaluation or training
 * run reads that folder, and a report left among the images is not the user's data.
 */
export function defaultEvaluationExportPath(data: string, options: { readonly dataIsFolder: boolean; readonly workspaceFolders: readonly string[] }): string {
  const full = path.resolve(data);
  const holding = options.workspaceFolders.filter((f) => isPathWithin(f, full)).sort((a, b) => path.resolve(b).length - path.resolve(a).length)[0];
  let folder = path.resolve(holding ?? options.workspaceFolders[0] ?? path.dirname(full));
  // A workspace folder that is the image folder itself (or lies inside it) would put the report among the images.
  if (options.dataIsFolder && isPathWithin(full, folder)) folder = path.dirname(full);
  const name = options.dataIsFolder ? path.basename(full) : path.parse(full).name;
  // The file-system root has no name to borrow.
  return path.join(folder, `${name || 'model-lab'}-evaluation.csv`);
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** The terminal summary: totals, per-class table, confusion matrix, the first mistakes. */
export function formatEvaluation({ model, data, outcome }: EvaluationFile, mistakes = 5): string[] {
  const r = outcome.report;
  const lines = [
    `${data} with ${model}: ${r.count} examples${outcome.cancelled ? ` (cancelled after ${r.count} of ${outcome.total})` : ''}${r.failureCount ? `, ${r.failureCount} could not be read` : ''}`,
    `accuracy ${pct(r.accuracy)}  macro F1 ${r.macroF1.toFixed(4)}  expected calibration error ${r.expectedCalibrationError.toFixed(4)}`,
  ];
  if (r.labelsOnlyInData.length) lines.push(`labels in the data that the model does not have: ${r.labelsOnlyInData.join(', ')}`);
  if (r.labelsOnlyInModel.length) lines.push(`labels of the model that the data does not use: ${r.labelsOnlyInModel.join(', ')}`);
  const w = Math.max(5, ...r.labels.map((l) => l.length));
  lines.push('', `${'label'.padEnd(w)}  precision  recall     f1  support`);
  for (const c of r.perClass) lines.push(`${c.label.padEnd(w)}  ${c.precision.toFixed(4).padStart(9)}  ${c.recall.toFixed(4).padStart(6)}  ${c.f1.toFixed(4)}  ${String(c.support).padStart(7)}`);
  const cw = Math.max(...r.labels.map((l) => l.length), ...r.confusion.flat().map((n) => String(n).length));
  lines.push('', `confusion (rows actual, columns predicted):`, `${''.padEnd(w)}  ${r.labels.map((l) => l.padStart(cw)).join(' ')}`);
  r.confusion.forEach((counts, i) => lines.push(`${r.labels[i].padEnd(w)}  ${counts.map((n) => String(n).padStart(cw)).join(' ')}`));
  if (r.mostConfidentMistakes.length) {
    lines.push('', `most confident mistakes (${Math.min(mistakes, r.mostConfidentMistakes.length)} of ${r.mostConfidentMistakes.length} shown; --json has ${r.mostConfidentMistakes.length}):`);
    for (const m of r.mostConfidentMistakes.slice(0, mistakes)) lines.push(`  ${m.actual} → ${m.predicted} ${pct(m.confidence)}  ${m.file}${m.line ? `:${m.line}` : ''}${m.snippet ? `  ${m.snippet.slice(0, 60)}` : ''}`);
  }
  for (const f of r.failures.slice(0, 5)) lines.push(`could not read ${f.ref.file}: ${f.message}`);
  return lines;
}
