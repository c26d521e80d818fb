import { EvaluationAccumulator, type EvaluationReport, type ExampleRef } from '../../common/classificationMetrics';

/**
 * Binary classification metrics with spam (label 1) as the positive class.
 *
 * No `vscode` import.
 */
export interface BinaryMetrics {
  accuracy: number;
  spamPrecision: number;
  spamRecall: number;
  spamF1: number;
  /** confusion[actual][predicted], 0 = ham, 1 = spam. */
  confusion: [[number, number], [number, number]];
  n: number;
}

export function binaryMetrics(actual: readonly number[], predicted: readonly number[]): BinaryMetrics {
  if (actual.length !== predicted.length) throw new Error('actual and predicted differ in length');
  const confusion: [[number, number], [number, number]] = [
    [0, 0],
    [0, 0],
  ];
  actual.forEach((a, i) => confusion[a === 1 ? 1 : 0][predicted[i] === 1 ? 1 : 0]++);
  const tp = confusion[1][1];
  const fp = confusion[0][1];
  const fn = confusion[1][0];
  const n = actual.length;
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { accuracy: n === 0 ? 0 : (confusion[0][0] + tp) / n, spamPrecision: precision, spamRecall: recall, spamF1: f1, confusion, n };
}

export function formatMetrics(m: BinaryMetrics): string {
  const pct = (x: number) => (100 * x).toFixed(2) + '%';
  return `accuracy ${pct(m.accuracy)}, spam F1 ${m.spamF1.toFixed(4)} (P ${m.spamPrecision.toFixed(4)}, R ${m.spamRecall.toFixed(4)}), confusion [[${m.confusion[0].join(', ')}], [${m.confusion[1].join(', ')}]] (rows actual ham/spam)`;
}

/** Where a held-out text came from, for the report's example lists (the data file and its line). */
export type ExampleRefOf = (index: number) => ExampleRef;

/**
 * The evaluation report (classificationMetrics.ts: per-class metrics, confusion matrix, calibration, most
 * confident mistakes) of one prediction per text, with label indices into `labels`.
 */
export function evaluateClassification(
  actual: readonly number[],
  predicted: readonly number[],
  labels: readonly string[],
  opts: { confidence?: readonly number[]; refOf?: ExampleRefOf } = {},
): EvaluationReport {
  if (actual.length !== predicted.length) throw new Error('actual and predicted differ in length');
  const acc = new EvaluationAccumulator(labels);
  actual.forEach((a, i) => acc.add({ ...(opts.refOf?.(i) ?? { file: '' }), actual: labels[a], predicted: labels[predicted[i]], confidence: opts.confidence?.[i] ?? 1 }));
  return acc.report();
}

/** What always answering the training part's most frequent class scores on the same held-out texts. */
export function majorityBaseline(trainLabels: readonly number[], heldOutLabels: readonly number[], labels: readonly string[]): { label: string; accuracy: number; macroF1: number } {
  const counts = new Array<number>(labels.length).fill(0);
  for (const l of trainLabels) counts[l]++;
  const majority = counts.indexOf(Math.max(...counts));
  const ev = evaluateClassification(heldOutLabels, heldOutLabels.map(() => majority), labels);
  return { label: labels[majority], accuracy: ev.accuracy, macroF1: ev.macroF1 };
}

export interface LearningVerdict {
  learned: boolean;
  /** The bars the model had to clear, for messages and the model card. */
  accuracyBar: number;
  macroF1Bar: number;
}

/**
 * Did the model learn? Only when its held-out accuracy clears the better of chance (1/classes) and the majority
 * baseline by a margin the held-out size justifies (two binomial standard errors, at least 5 points), and its
 * macro F1 clears the better of the baseline's and chance's (1/classes) by 0.1. With 12 held-out texts of two
 * balanced classes that is ≥ 79 % accuracy and ≥ 0.6 macro F1; with 1,000 it is ≥ 55 % and ≥ 0.6.
 */
export function learningVerdict(evaluation: EvaluationReport, baseline: { accuracy: number; macroF1: number }): LearningVerdict {
  const k = evaluation.labels.length;
  const base = Math.max(baseline.accuracy, 1 / k);
  const se = Math.sqrt((base * (1 - base)) / Math.max(1, evaluation.count));
  const accuracyBar = Math.min(1, base + Math.max(0.05, 2 * se));
  const macroF1Bar = Math.min(1, Math.max(baseline.macroF1, 1 / k) + 0.1);
  return { learned: evaluation.accuracy >= accuracyBar && evaluation.macroF1 >= macroF1Bar, accuracyBar, macroF1Bar };
}
