/**
 * Which words drove a text classification: occlusion over whole words. No `vscode` import.
 *
 * Model-agnostic: the model is only asked for probabilities of token sequences, so any model folder works.
 * A "word" is what BERT's basic tokenizer splits (a run of letters or digits, one punctuation mark, one CJK
 * ideograph) with its word pieces joined back (`un ##want ##ed` is one word). A segment (one word, or a run of
 * neighbouring words) is scored by reading the text with the segment's tokens removed: the score is how much
 * the chosen label's log-odds fall without it (positive = the segment speaks for the label, negative = against).
 *
 * Cost decides the method. Every variant is one more model row, and on the bundled model a row does not get
 * cheaper in a batch (bench/explain: ≈0.3 ms of CPU per 128-token row at any batch size), so leave-one-out over
 * the ~100 words of a full window costs ~25 plain classifications. The explanation therefore has a budget of
 * model tokens (by default eight full-length windows' worth, about 3× a plain classification including its
 * fixed costs, measured in bench/explain):
 * - `leave-one-out` when one row per word fits the budget (short selections: every segment is one word);
 * - otherwise `coarse-to-fine`: the text is cut into spans of neighbouring words and each span is removed in
 *   turn; then the span that speaks most for the label is split into smaller parts (single words when it is
 *   short enough) and those are removed in turn. Every score is still "log-odds lost without this segment, the
 *   rest of the text kept", only coarser outside the strongest span.
 *
 * Log-odds rather than probability: a confident model (p = 0.999) moves its probability by 1e-4 when any one
 * word goes, which would make every word look irrelevant; log-odds keep those differences visible.
 *
 * Long texts are read as windows (windows.ts) and the document's probability is the mean of the windows'
 * (aggregate.ts); removing a segment changes only the windows that hold it, so the document probability without
 * it is the mean with those windows' probabilities replaced. The budget grows with the number of windows.
 */
import { CodedError } from '../common/errors';
import { activate, argmax } from './aggregate';
import type { OnnxTextClassifier } from './onnxTextClassifier';
import { batches, planWindows, type TextWindow } from './windows';

export interface SegmentAttribution {
  /** UTF-16 offsets into the explained text: `text.slice(start, end)` is the segment. */
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** Log-odds of the label with the segment minus without it. */
  readonly score: number;
  /** Whole words in the segment (1 for a single word). */
  readonly words: number;
}

export type ExplainMethod = 'leave-one-out' | 'coarse-to-fine';

export interface TextExplanation {
  readonly method: ExplainMethod;
  readonly scoreUnit: 'log-odds';
  /** The label explained (the predicted one unless asked otherwise) and its probability for the whole text. */
  readonly label: string;
  readonly labelIndex: number;
  readonly probability: number;
  /** The model's own prediction (equal to `label` unless another label was asked for). */
  readonly predictedLabel: string;
  /** Segments in text order, covering every word exactly once. */
  readonly segments: SegmentAttribution[];
  /** Whole words in the text. */
  readonly wordCount: number;
  /** Model rows run: one per window plus one per (segment, window) pair. */
  readonly evaluations: number;
  readonly windows: number;
  readonly elapsedMs: number;
}

export interface ExplainOptions {
  /** Explain this label instead of the predicted one. */
  readonly labelIndex?: number;
  readonly windowOverlap?: number;
  readonly maxWindowTokens?: number;
  /** Sequences per model run. */
  readonly batchSize?: number;
  /** Refuse texts with more words than this. */
  readonly maxWords?: number;
  /**
   * Model tokens the variants may use, in full-length windows per window of the text (default
   * DEFAULT_EXPLAIN_BUDGET). `Infinity` always runs word-level leave-one-out.
   */
  readonly budget?: number;
}

export const DEFAULT_EXPLAIN_BATCH = 32;
/** Eight full-length rows per window: ≈ 3× a plain classification of a 128-token window (bench/explain). */
export const DEFAULT_EXPLAIN_BUDGET = 8;
export const MAX_EXPLAIN_WORDS = 2000;

/** Too many words to explain in reasonable time; the message says what to do. */
export function explainTooLongError(words: number, limit: number): CodedError {
  return new CodedError('explain-too-long', 'The text has {0} words; explanations cover at most {1}. Select a shorter passage and explain that.', [words, limit]);
}

export interface WordTokens {
  tokenStart: number;
  tokenEnd: number;
  start: number;
  end: number;
}

/** Groups word-piece tokens into words: a piece whose vocabulary string starts with `##` continues the previous word. */
export function groupWords(ids: readonly number[], starts: readonly number[], ends: readonly number[], pieceOf: (id: number) => string | undefined): WordTokens[] {
  const words: WordTokens[] = [];
  for (let i = 0; i < ids.length; i++) {
    const piece = pieceOf(ids[i]);
    const last = words[words.length - 1];
    // A continuation piece that touches the previous token belongs to its word.
    if (last && piece !== undefined && piece.startsWith('##') && starts[i] <= last.end) {
      last.tokenEnd = i + 1;
      last.end = Math.max(last.end, ends[i]);
    } else {
      words.push({ tokenStart: i, tokenEnd: i + 1, start: starts[i], end: ends[i] });
    }
  }
  return words;
}

const EPS = 1e-7;
export function logOdds(p: number): number {
  const q = Math.min(1 - EPS, Math.max(EPS, p));
  return Math.log(q / (1 - q));
}

/** A run of words `[from, to)` (word indices). */
interface Span {
  readonly from: number;
  readonly to: number;
}

/** `span` cut into `parts` runs of nearly equal word counts (fewer when it has fewer words). */
export function splitSpan(span: Span, parts: number): Span[] {
  const n = span.to - span.from;
  const k = Math.max(1, Math.min(n, Math.floor(parts)));
  return Array.from({ length: k }, (_, i) => ({ from: span.from + Math.floor((i * n) / k), to: span.from + Math.floor(((i + 1) * n) / k) }));
}

/** Occlusion attribution of `text` (see the module comment). */
export async function explainText(classifier: OnnxTextClassifier, text: string, options: ExplainOptions = {}): Promise<TextExplanation> {
  const t0 = performance.now();
  const tokenizer = classifier.tokenizer;
  const { ids, starts, ends } = tokenizer.tokenizeToIds(text);
  if (ids.length === 0) throw new Error('The text has no tokens the model can read (it is empty, whitespace, or control characters only). Select some words and try again.');
  const words = groupWords(ids, starts, ends, (id) => tokenizer.idToTokenString(id));
  const maxWords = options.maxWords ?? MAX_EXPLAIN_WORDS;
  if (words.length > maxWords) throw explainTooLongError(words.length, maxWords);

  const cls = tokenizer.tokenToId(tokenizer.config.clsToken);
  const sep = tokenizer.tokenToId(tokenizer.config.sepToken);
  if (cls === undefined || sep === undefined) throw new Error('The vocabulary has no [CLS] or [SEP] token.');
  const problemType = classifier.files.config.problemType;
  const maxWindowTokens = Math.floor(options.maxWindowTokens ?? 0);
  const windowLength = Math.max(3, maxWindowTokens > 0 ? Math.min(maxWindowTokens, classifier.maxLength) : classifier.maxLength);
  const offsets = starts.map((s, i): [number, number] => [s, ends[i]]);
  const plan = planWindows(offsets, windowLength - 2, options.windowOverlap ?? 32);
  const windows = plan.windows;
  const batchSize = Math.max(1, options.batchSize ?? DEFAULT_EXPLAIN_BATCH);
  const labels = classifier.labels;
  let evaluations = 0;

  /** Probabilities of each row, in batches; rows are built from token ids (one tokenization). */
  const runRows = async (rows: readonly (readonly number[])[]): Promise<number[][]> => {
    const out: number[][] = [];
    // Few, full batches: a run has a fixed cost (one pass over the graph's operators) besides its rows.
    for (const group of batches(rows, batchSize)) {
      for (const logits of await classifier.runBatch(group)) out.push(activate(logits, problemType));
    }
    evaluations += rows.length;
    return out;
  };
  const windowRow = (w: TextWindow) => [cls, ...ids.slice(w.tokenStart, w.tokenEnd), sep];
  /** The (window, row) pairs that remove `span`'s tokens from each window holding them. */
  const spanRows = (span: Span): { window: number; tokens: number[] }[] => {
    const tokenStart = words[span.from].tokenStart;
    const tokenEnd = words[span.to - 1].tokenEnd;
    const out: { window: number; tokens: number[] }[] = [];
    windows.forEach((w, wi) => {
      const from = Math.max(tokenStart, w.tokenStart);
      const to = Math.min(tokenEnd, w.tokenEnd);
      if (from < to) out.push({ window: wi, tokens: [cls, ...ids.slice(w.tokenStart, from), ...ids.slice(to, w.tokenEnd), sep] });
    });
    return out;
  };

  // The budget in model tokens; a variant row costs about its length.
  const budgetTokens = (options.budget ?? DEFAULT_EXPLAIN_BUDGET) * windowLength * windows.length;
  let wordLoo = 0; // tokens of word-level leave-one-out: one row per (word, window holding it)
  for (const word of words) {
    for (const w of windows) {
      const removed = Math.min(word.tokenEnd, w.tokenEnd) - Math.max(word.tokenStart, w.tokenStart);
      if (removed > 0) wordLoo += w.tokenEnd - w.tokenStart + 2 - removed;
    }
  }
  const method: ExplainMethod = wordLoo <= budgetTokens || words.length <= 1 ? 'leave-one-out' : 'coarse-to-fine';
  // Rows per stage when coarse: half the budget for the spans, half for refining the strongest ones.
  const meanRowTokens = windows.reduce((s, w) => s + w.tokenEnd - w.tokenStart + 2, 0) / windows.length;
  const budgetRows = Math.max(4, Math.round(budgetTokens / meanRowTokens));

  const firstSpans = method === 'leave-one-out' ? words.map((_w, k) => ({ from: k, to: k + 1 })) : splitSpan({ from: 0, to: words.length }, Math.ceil(budgetRows / 2));
  // First run: the windows as they are, then the first spans.
  const firstRows = firstSpans.map(spanRows);
  const firstProbs = await runRows([...windows.map(windowRow), ...firstRows.flat().map((r) => r.tokens)]);
  const windowProbs = firstProbs.slice(0, windows.length);
  const docMean = labels.map((_, l) => windowProbs.reduce((s, p) => s + p[l], 0) / windows.length);
  const predicted = argmax(docMean);
  const target = options.labelIndex ?? predicted;
  if (!(target >= 0 && target < labels.length)) throw new Error(`There is no label ${target}; the model has ${labels.length}.`);
  const baseLogOdds = logOdds(docMean[target]);

  /** Score of each span from its rows' probabilities: the document mean with the touched windows replaced. */
  const scoreSpans = (rowsPerSpan: readonly { window: number }[][], probs: readonly number[][]): number[] => {
    let i = 0;
    return rowsPerSpan.map((rows) => {
      let without = docMean[target] * windows.length;
      for (const r of rows) without += probs[i++][target] - windowProbs[r.window][target];
      return baseLogOdds - logOdds(without / windows.length);
    });
  };
  const firstScores = scoreSpans(firstRows, firstProbs.slice(windows.length));
  let scored = firstSpans.map((span, i) => ({ span, score: firstScores[i] }));

  if (method === 'coarse-to-fine') {
    // Refine the spans that speak most for the label (one per window), each into the rows left.
    const refinable = scored.filter((s) => s.span.to - s.span.from > 1).sort((a, b) => b.score - a.score);
    const chosen = refinable.slice(0, windows.length);
    const parts = Math.max(2, Math.floor((budgetRows - firstSpans.length) / Math.max(1, chosen.length)));
    const children = chosen.map((c) => splitSpan(c.span, parts));
    const childRows = children.flat().map(spanRows);
    const childScores = scoreSpans(childRows, await runRows(childRows.flat().map((r) => r.tokens)));
    const replaced = new Map(chosen.map((c, i) => [c.span, children[i]]));
    let next = 0;
    const childScore = new Map(children.flat().map((span) => [span, childScores[next++]]));
    scored = scored.flatMap((s) => replaced.get(s.span)?.map((span) => ({ span, score: childScore.get(span)! })) ?? [s]);
  }

  const segments = scored.map(({ span, score }): SegmentAttribution => {
    const start = words[span.from].start;
    const end = words[span.to - 1].end;
    return { start, end, text: text.slice(start, end), score, words: span.to - span.from };
  });
  return {
    method,
    scoreUnit: 'log-odds',
    label: labels[target],
    labelIndex: target,
    probability: docMean[target],
    predictedLabel: labels[predicted],
    segments,
    wordCount: words.length,
    evaluations,
    windows: windows.length,
    elapsedMs: performance.now() - t0,
  };
}

/** The segments with the largest positive and negative scores, strongest first (for the panel and the CLI). */
export function topSegments(segments: readonly SegmentAttribution[], count = 10): { for: SegmentAttribution[]; against: SegmentAttribution[] } {
  const sorted = [...segments].sort((a, b) => b.score - a.score);
  return {
    for: sorted.filter((w) => w.score > 0).slice(0, count),
    against: sorted.filter((w) => w.score < 0).reverse().slice(0, count),
  };
}
