/**
 * Classification metrics over labels by name, for any model (text or image) and any labelled data: the
 * confusion matrix, per-class precision / recall / F1 / support, accuracy, macro F1, expected calibration
 * error and the most confident mistakes. `EvaluationAccumulator` takes one prediction at a time and keeps
 * bounded state (the matrix, ten calibration bins, a capped example list per cell, the top mistakes), so a
 * data set of any size is evaluated in constant memory. No `vscode` import.
 */

/** Where an example came from, so a user can open it: a file (an image) or a line of a data file (a text). */
export interface ExampleRef {
  /** Absolute path of the image, or of the data file that holds the text. */
  readonly file: string;
  /** 1-based line of the text in the data file. */
  readonly line?: number;
  /** The start of the text (texts only), at most SNIPPET_CHARS characters. */
  readonly snippet?: string;
}

export interface ScoredExample extends ExampleRef {
  readonly actual: string;
  readonly predicted: string;
  /** The model's probability for its predicted label. */
  readonly confidence: number;
}

export interface ClassMetrics {
  readonly label: string;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Examples whose true label this is. */
  readonly support: number;
  /** Examples the model gave this label. */
  readonly predicted: number;
}

export interface CalibrationBin {
  /** Confidence range [lower, upper). The last bin includes 1. */
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
  readonly accuracy: number;
  readonly meanConfidence: number;
}

export interface EvaluationReport {
  /** Row and column labels of the matrix: the model's labels in id order, then labels only the data has. */
  readonly labels: string[];
  /** confusion[actual][predicted], indices into `labels`. */
  readonly confusion: number[][];
  readonly perClass: ClassMetrics[];
  readonly accuracy: number;
  /** Mean F1 over the labels that occur in the data or in the predictions. */
  readonly macroF1: number;
  /** Expected calibration error over 10 equal-width confidence bins (Guo et al. 2017). */
  readonly expectedCalibrationError: number;
  readonly calibration: CalibrationBin[];
  /** Wrong predictions, most confident first (at most MAX_MISTAKES). */
  readonly mostConfidentMistakes: ScoredExample[];
  /** Examples evaluated (failures not counted). */
  readonly count: number;
  /** Labels in the data that the model does not have: those examples are always counted wrong. */
  readonly labelsOnlyInData: string[];
  /** Labels the model has that no example in the data carries. */
  readonly labelsOnlyInModel: string[];
  /** Examples that could not be classified (unreadable images, …), with the reason; at most MAX_FAILURES kept. */
  readonly failures: { readonly ref: ExampleRef; readonly message: string }[];
  readonly failureCount: number;
}

export const MAX_MISTAKES = 20;
/** Examples kept per confusion-matrix cell for the panel; the counts are always exact. */
export const MAX_CELL_EXAMPLES = 200;
export const MAX_FAILURES = 200;
export const SNIPPET_CHARS = 160;
export const CALIBRATION_BINS = 10;

/** F1 from counts; 0 when the class was neither predicted correctly nor missed (tp = 0). */
function f1FromCounts(tp: number, fp: number, fn: number): number {
  return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
}

/** Mean over classes `0…classes-1` of each class's F1 (a class with no true positive counts 0). */
export function macroF1(actual: readonly number[], predicted: readonly number[], classes: number): number {
  if (actual.length !== predicted.length) throw new Error('actual and predicted differ in length');
  const tp = new Array<number>(classes).fill(0);
  const fp = new Array<number>(classes).fill(0);
  const fn = new Array<number>(classes).fill(0);
  actual.forEach((a, i) => {
    const p = predicted[i];
    if (p === a) tp[a]++;
    else {
      if (p >= 0 && p < classes) fp[p]++;
      if (a >= 0 && a < classes) fn[a]++;
    }
  });
  let sum = 0;
  for (let c = 0; c < classes; c++) sum += f1FromCounts(tp[c], fp[c], fn[c]);
  return classes === 0 ? 0 : sum / classes;
}

/**
 * Keeps the `capacity` largest items by `key`, in O(log capacity) per item (a min-heap on the key): the
 * most confident mistakes of a 10,000-example run without keeping all mistakes.
 */
class TopK<T> {
  private readonly heap: T[] = [];
  constructor(
    private readonly capacity: number,
    private readonly key: (item: T) => number,
  ) {}

  push(item: T): void {
    const h = this.heap;
    if (h.length < this.capacity) {
      h.push(item);
      let i = h.length - 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (this.key(h[parent]) <= this.key(h[i])) break;
        [h[parent], h[i]] = [h[i], h[parent]];
        i = parent;
      }
    } else if (this.capacity > 0 && this.key(item) > this.key(h[0])) {
      h[0] = item;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let smallest = i;
        if (l < h.length && this.key(h[l]) < this.key(h[smallest])) smallest = l;
        if (r < h.length && this.key(h[r]) < this.key(h[smallest])) smallest = r;
        if (smallest === i) break;
        [h[smallest], h[i]] = [h[i], h[smallest]];
        i = smallest;
      }
    }
  }

  /** Largest first. */
  sorted(): T[] {
    return [...this.heap].sort((a, b) => this.key(b) - this.key(a));
  }
}

/** A cell of the confusion matrix: its exact count and the first MAX_CELL_EXAMPLES examples. */
export interface CellExamples {
  readonly actual: string;
  readonly predicted: string;
  readonly count: number;
  readonly examples: ScoredExample[];
}

/**
 * Takes predictions one at a time (`add`) and produces the report (`report`). Labels are matched by name:
 * the model's labels come first in their id order; a label only the data has gets a row and column of its own.
 */
export class EvaluationAccumulator {
  private readonly labels: string[];
  private readonly index = new Map<string, number>();
  private readonly modelLabelCount: number;
  private confusion: number[][] = [];
  private readonly cells = new Map<string, ScoredExample[]>();
  private readonly bins = Array.from({ length: CALIBRATION_BINS }, () => ({ count: 0, correct: 0, confidence: 0 }));
  private readonly mistakes = new TopK<ScoredExample>(MAX_MISTAKES, (e) => e.confidence);
  private readonly failures: { ref: ExampleRef; message: string }[] = [];
  private failureCount = 0;
  private count = 0;

  constructor(modelLabels: readonly string[]) {
    this.labels = [];
    for (const l of modelLabels) this.labelIndex(l);
    this.modelLabelCount = this.labels.length;
  }

  private labelIndex(label: string): number {
    let i = this.index.get(label);
    if (i === undefined) {
      i = this.labels.length;
      this.labels.push(label);
      this.index.set(label, i);
      for (const row of this.confusion) row.push(0);
      this.confusion.push(new Array<number>(this.labels.length).fill(0));
    }
    return i;
  }

  add(example: ScoredExample): void {
    if (!(example.confidence >= 0 && example.confidence <= 1)) throw new Error(`confidence ${example.confidence} is not a probability`);
    const a = this.labelIndex(example.actual);
    const p = this.labelIndex(example.predicted);
    this.confusion[a][p]++;
    this.count++;
    const key = `${a}\u0000${p}`;
    let cell = this.cells.get(key);
    if (!cell) this.cells.set(key, (cell = []));
    if (cell.length < MAX_CELL_EXAMPLES) cell.push(example);
    const correct = a === p;
    const bin = this.bins[Math.min(CALIBRATION_BINS - 1, Math.floor(example.confidence * CALIBRATION_BINS))];
    bin.count++;
    bin.confidence += example.confidence;
    if (correct) bin.correct++;
    else this.mistakes.push(example);
  }

  /** An example that could not be classified: counted and listed, never part of the metrics. */
  fail(ref: ExampleRef, message: string): void {
    this.failureCount++;
    if (this.failures.length < MAX_FAILURES) this.failures.push({ ref, message });
  }

  get evaluated(): number {
    return this.count;
  }

  /** The examples of one cell (by label names), most confident first. */
  cell(actual: string, predicted: string): CellExamples {
    const a = this.index.get(actual);
    const p = this.index.get(predicted);
    const examples = a === undefined || p === undefined ? [] : [...(this.cells.get(`${a}\u0000${p}`) ?? [])];
    examples.sort((x, y) => y.confidence - x.confidence);
    return { actual, predicted, count: a === undefined || p === undefined ? 0 : this.confusion[a][p], examples };
  }

  /** Every non-empty cell's examples (for the panel and the JSON export). */
  allCells(): CellExamples[] {
    const out: CellExamples[] = [];
    this.labels.forEach((actual, a) =>
      this.labels.forEach((predicted, p) => {
        if (this.confusion[a][p] > 0) out.push(this.cell(actual, predicted));
      }),
    );
    return out;
  }

  report(): EvaluationReport {
    const m = this.confusion;
    const support = m.map((row) => row.reduce((s, v) => s + v, 0));
    const predictedCounts = this.labels.map((_, p) => m.reduce((s, row) => s + row[p], 0));
    let correct = 0;
    const perClass: ClassMetrics[] = this.labels.map((label, c) => {
      const tp = m[c][c];
      correct += tp;
      const fp = predictedCounts[c] - tp;
      const fn = support[c] - tp;
      return {
        label,
        precision: predictedCounts[c] === 0 ? 0 : tp / predictedCounts[c],
        recall: support[c] === 0 ? 0 : tp / support[c],
        f1: f1FromCounts(tp, fp, fn),
        support: support[c],
        predicted: predictedCounts[c],
      };
    });
    const present = perClass.filter((c) => c.support > 0 || c.predicted > 0);
    let ece = 0;
    const calibration = this.bins.map((b, i): CalibrationBin => {
      const accuracy = b.count === 0 ? 0 : b.correct / b.count;
      const meanConfidence = b.count === 0 ? 0 : b.confidence / b.count;
      if (this.count > 0) ece += (b.count / this.count) * Math.abs(accuracy - meanConfidence);
      return { lower: i / CALIBRATION_BINS, upper: (i + 1) / CALIBRATION_BINS, count: b.count, accuracy, meanConfidence };
    });
    return {
      labels: [...this.labels],
      confusion: m.map((row) => [...row]),
      perClass,
      accuracy: this.count === 0 ? 0 : correct / this.count,
      macroF1: present.length === 0 ? 0 : present.reduce((s, c) => s + c.f1, 0) / present.length,
      expectedCalibrationError: ece,
      calibration,
      mostConfidentMistakes: this.mistakes.sorted(),
      count: this.count,
      labelsOnlyInData: this.labels.slice(this.modelLabelCount).filter((_, i) => support[this.modelLabelCount + i] > 0),
      labelsOnlyInModel: this.labels.slice(0, this.modelLabelCount).filter((_, i) => support[i] === 0),
      failures: [...this.failures],
      failureCount: this.failureCount,
    };
  }
}

/** The start of a text for lists: whitespace runs collapsed, cut at SNIPPET_CHARS characters (never inside a surrogate pair). */
export function snippetOf(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= SNIPPET_CHARS) return flat;
  let end = SNIPPET_CHARS;
  const c = flat.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return flat.slice(0, end) + '…';
}
