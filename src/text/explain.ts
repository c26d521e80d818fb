/**
 * Which words drove a text classification: leave-one-out over whole words. No `vscode` import.
 *
 * Model-agnostic: the model is only asked for probabilities of token sequences, so any model folder works.
 * A "word" is what BERT's basic tokenizer splits (a run of letters or digits, one punctuation mark, one CJK
 * ideograph) with its word pieces joined back (`un ##want ##ed` is one word). For each word, the model reads
 * the text with that word's tokens removed, all variants in batches; the word's score is how much the chosen
 * label's log-odds fall without it: positive = the word speaks for the label, negative = against it.
 *
 * Log-odds rather than probability: a confident model (p = 0.999) moves its probability by 1e-4 when any one
 * word goes, which would make every word look irrelevant; log-odds keep those differences visible.
 *
 * Long texts are read as windows (windows.ts) and the document's probability is the mean of the windows'
 * (aggregate.ts); a word's removal changes only the windows that hold it, so the document probability without
 * the word is the mean with those windows' probabilities replaced. With one window this is plain leave-one-out.
 */
import { CodedError } from '../common/errors';
import { activate, argmax } from './aggregate';
import type { OnnxTextClassifier } from './onnxTextClassifier';
import { batches, planWindows } from './windows';

export interface WordAttribution {
  /** UTF-16 offsets into the explained text: `text.slice(start, end)` is the word. */
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** Log-odds of the label with the word minus without it. */
  readonly score: number;
}

export interface TextExplanation {
  readonly method: 'leave-one-out';
  readonly scoreUnit: 'log-odds';
  /** The label explained (the predicted one unless asked otherwise) and its probability for the whole text. */
  readonly label: string;
  readonly labelIndex: number;
  readonly probability: number;
  /** The model's own prediction (equal to `label` unless another label was asked for). */
  readonly predictedLabel: string;
  /** Every word in text order. */
  readonly words: WordAttribution[];
  /** Model evaluations run: one per window plus one per (word, window) pair. */
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
  /** Refuse texts with more words than this (each word costs one model evaluation per window it is in). */
  readonly maxWords?: number;
}

export const DEFAULT_EXPLAIN_BATCH = 32;
export const MAX_EXPLAIN_WORDS = 2000;

/** Too many words to explain in reasonable time; the message says what to do. */
export function explainTooLongError(words: number, limit: number): CodedError {
  return new CodedError('explain-too-long', 'The text has {0} words; explanations cover at most {1} (one model run per word). Select a shorter passage and explain that.', [words, limit]);
}

/** Groups word-piece tokens into words: a piece whose vocabulary string starts with `##` continues the previous word. */
export function groupWords(ids: readonly number[], starts: readonly number[], ends: readonly number[], pieceOf: (id: number) => string | undefined): { tokenStart: number; tokenEnd: number; start: number; end: number }[] {
  const words: { tokenStart: number; tokenEnd: number; start: number; end: number }[] = [];
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

/** Leave-one-out attribution of every word of `text` (see the module comment). */
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

  // One row per window (the text as it is), then one per (word, window) with the word's tokens removed.
  interface Row {
    readonly window: number;
    readonly word: number; // -1: the window itself
    readonly tokens: number[];
  }
  const rows: Row[] = [];
  plan.windows.forEach((w, wi) => rows.push({ window: wi, word: -1, tokens: [cls, ...ids.slice(w.tokenStart, w.tokenEnd), sep] }));
  words.forEach((word, k) => {
    plan.windows.forEach((w, wi) => {
      const from = Math.max(word.tokenStart, w.tokenStart);
      const to = Math.min(word.tokenEnd, w.tokenEnd);
      if (from >= to) return;
      rows.push({ window: wi, word: k, tokens: [cls, ...ids.slice(w.tokenStart, from), ...ids.slice(to, w.tokenEnd), sep] });
    });
  });

  const probabilities: number[][] = [];
  for (const group of batches(rows, Math.max(1, options.batchSize ?? DEFAULT_EXPLAIN_BATCH))) {
    for (const logits of await classifier.runBatch(group.map((r) => r.tokens))) probabilities.push(activate(logits, problemType));
  }

  const windowCount = plan.windows.length;
  const labels = classifier.labels;
  const docMean = labels.map((_, l) => plan.windows.reduce((s, _w, wi) => s + probabilities[wi][l], 0) / windowCount);
  const predicted = argmax(docMean);
  const target = options.labelIndex ?? predicted;
  if (!(target >= 0 && target < labels.length)) throw new Error(`There is no label ${target}; the model has ${labels.length}.`);
  const baseLogOdds = logOdds(docMean[target]);

  // Document probability of the target without word k: the mean with the windows holding k replaced.
  const without = words.map(() => docMean[target] * windowCount);
  rows.forEach((r, i) => {
    if (r.word >= 0) without[r.word] += probabilities[i][target] - probabilities[r.window][target];
  });
  const attributions = words.map((w, k): WordAttribution => ({
    start: w.start,
    end: w.end,
    text: text.slice(w.start, w.end),
    score: baseLogOdds - logOdds(without[k] / windowCount),
  }));
  return {
    method: 'leave-one-out',
    scoreUnit: 'log-odds',
    label: labels[target],
    labelIndex: target,
    probability: docMean[target],
    predictedLabel: labels[predicted],
    words: attributions,
    evaluations: rows.length,
    windows: windowCount,
    elapsedMs: performance.now() - t0,
  };
}

/** The words with the largest positive and negative scores, strongest first (for the panel and the CLI). */
export function topWords(words: readonly WordAttribution[], count = 10): { for: WordAttribution[]; against: WordAttribution[] } {
  const sorted = [...words].sort((a, b) => b.score - a.score);
  return {
    for: sorted.filter((w) => w.score > 0).slice(0, count),
    against: sorted.filter((w) => w.score < 0).reverse().slice(0, count),
  };
}
