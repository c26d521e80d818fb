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
