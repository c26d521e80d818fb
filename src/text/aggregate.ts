/**
 * Turns logits into probabilities and per-window probabilities into one document result. No `vscode` import.
 *
 * Aggregation choice: the document's probabilities are the unweighted mean of the windows' probabilities.
 * Every window has the same length (see windows.ts: the last one is moved back to be full), so the mean
 * weighs every part of the text about equally; a max would let one odd paragraph decide a whole file, and
 * averaging logits would let one over-confident window dominate. Because a mean can hide a single strongly
 * different window (one spam paragraph in a long mail), the result also names, per label, the window with
 * the highest probability for it, and lists the most decisive windows for the document's label.
 */

export type ProblemType = 'single_label_classification' | 'multi_label_classification';

/** Numerically stable softmax over one row. */
export function softmax(logits: ArrayLike<number>): number[] {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]);
  const exps: number[] = [];
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    const e = Math.exp(logits[i] - max);
    exps.push(e);
    sum += e;
  }
  return exps.map((e) => e / sum);
}

/** Element-wise logistic function, stable for large negative inputs. */
export function sigmoid(logits: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < logits.length; i++) {
    const x = logits[i];
    out.push(x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
  }
  return out;
}

/** Softmax for single-label models (probabilities sum to 1), sigmoid for multi-label ones (independent). */
export function activate(logits: ArrayLike<number>, problemType: ProblemType): number[] {
  return problemType === 'multi_label_classification' ? sigmoid(logits) : softmax(logits);
}

export function argmax(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

export interface LabelProbability {
  readonly label: string;
  readonly probability: number;
}

export interface AggregateResult {
  /** Mean probability per label, in label-id order. */
  readonly probabilities: number[];
  /** Index of the document's label (highest mean probability). */
  readonly top: number;
  /** Window indices, most decisive first: highest probability for the document's label. */
  readonly decisiveWindows: number[];
  /** Per label, the window that gives it the highest probability. */
  readonly maxWindowByLabel: { readonly windowIndex: number; readonly probability: number }[];
}

/**
 * @param windowProbabilities one row of label probabilities per window (at least one window)
 * @param decisiveCount how many windows to name as the most decisive
 */
export function aggregateWindows(windowProbabilities: readonly (readonly number[])[], decisiveCount = 3): AggregateResult {
  if (windowProbabilities.length === 0) throw new Error('There are no windows to aggregate.');
  const labels = windowProbabilities[0].length;
  const probabilities = new Array<number>(labels).fill(0);
  const maxWindowByLabel = Array.from({ length: labels }, () => ({ windowIndex: 0, probability: -Infinity }));
  windowProbabilities.forEach((row, w) => {
    if (row.length !== labels) throw new Error(`Window ${w} has ${row.length} probabilities, expected ${labels}.`);
    row.forEach((p, l) => {
      probabilities[l] += p;
      if (p > maxWindowByLabel[l].probability) maxWindowByLabel[l] = { windowIndex: w, probability: p };
    });
  });
  for (let l = 0; l < labels; l++) probabilities[l] /= windowProbabilities.length;
  const top = argmax(probabilities);
  const decisiveWindows = windowProbabilities
    .map((row, w) => ({ w, p: row[top] }))
    // Stable order for ties: earlier windows first.
    .sort((a, b) => b.p - a.p || a.w - b.w)
    .slice(0, Math.max(0, decisiveCount))
    .map((x) => x.w);
  return { probabilities, top, decisiveWindows, maxWindowByLabel };
}
