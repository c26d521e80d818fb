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

/** Mean over classes of each class's F1 (a class never predicted nor present counts 0). */
export function macroF1(actual: readonly number[], predicted: readonly number[], classes: number): number {
  let sum = 0;
  for (let c = 0; c < classes; c++) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    actual.forEach((a, i) => {
      if (predicted[i] === c && a === c) tp++;
      else if (predicted[i] === c) fp++;
      else if (a === c) fn++;
    });
    sum += tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  }
  return sum / classes;
}

export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** Held-out texts whose true label is this class. */
  support: number;
}

/** Multi-class evaluation of one prediction per text. */
export interface Evaluation {
  accuracy: number;
  macroF1: number;
  perClass: ClassMetrics[];
  /** confusion[actual][predicted], in the order of `labels`. */
  confusion: number[][];
  labels: string[];
  n: number;
}

/** Accuracy, per-class precision/recall/F1/support, macro F1 and the confusion matrix (0 where undefined). */
export function evaluateClassification(actual: readonly number[], predicted: readonly number[], labels: readonly string[]): Evaluation {
  if (actual.length !== predicted.length) throw new Error('actual and predicted differ in length');
  const k = labels.length;
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  actual.forEach((a, i) => confusion[a][predicted[i]]++);
  const perClass = labels.map((label, c) => {
    const tp = confusion[c][c];
    const support = confusion[c].reduce((s, v) => s + v, 0);
    const predictedC = confusion.reduce((s, row) => s + row[c], 0);
    const precision = predictedC === 0 ? 0 : tp / predictedC;
    const recall = support === 0 ? 0 : tp / support;
    const f1 = tp === 0 ? 0 : (2 * tp) / (predictedC + support);
    return { label, precision, recall, f1, support };
  });
  const correct = labels.reduce((s, _, c) => s + confusion[c][c], 0);
  return { accuracy: actual.length === 0 ? 0 : correct / actual.length, macroF1: macroF1(actual, predicted, k), perClass, confusion, labels: [...labels], n: actual.length };
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
export function learningVerdict(evaluation: Evaluation, baseline: { accuracy: number; macroF1: number }): LearningVerdict {
  const k = evaluation.labels.length;
  const base = Math.max(baseline.accuracy, 1 / k);
  const se = Math.sqrt((base * (1 - base)) / Math.max(1, evaluation.n));
  const accuracyBar = Math.min(1, base + Math.max(0.05, 2 * se));
  const macroF1Bar = Math.min(1, Math.max(baseline.macroF1, 1 / k) + 0.1);
  return { learned: evaluation.accuracy >= accuracyBar && evaluation.macroF1 >= macroF1Bar, accuracyBar, macroF1Bar };
}
