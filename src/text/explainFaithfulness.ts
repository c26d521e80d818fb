/**
 * Are the explanations faithful? For each text, delete its k most supportive words (by the explanation)
 * and, separately, k words chosen at random, and compare how much the predicted label's probability falls.
 * A faithful explanation's words matter more than random ones. No `vscode` import.
 *
 * Texts are cut to one window first (the words then are exactly the sequence the model reads), and the
 * deletions remove those words' tokens, as the explanation itself does. A word's score is its segment's (a
 * coarse-to-fine explanation scores runs of words); words of one segment are taken in text order.
 */
import { activate, argmax } from './aggregate';
import { explainText, groupWords, type ExplainOptions } from './explain';
import type { OnnxTextClassifier } from './onnxTextClassifier';

export interface FaithfulnessRow {
  readonly k: number;
  /** Mean fall of the predicted label's probability when the top-k words are deleted. */
  readonly topDrop: number;
  /** The same for k random words (mean over `randomDraws` draws per text). */
  readonly randomDrop: number;
  /** Texts where deleting the top-k words lowered the probability more than the random words did. */
  readonly textsTopWins: number;
}

export interface FaithfulnessResult {
  readonly texts: number;
  /** Explanations by method (leave-one-out for texts whose words fit the budget, coarse-to-fine otherwise). */
  readonly methods: Record<string, number>;
  readonly rows: FaithfulnessRow[];
  readonly randomDraws: number;
  /** Mean words per text. */
  readonly meanWords: number;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `text` cut after its first `tokens` word-piece tokens (at a token boundary). */
export function firstTokens(classifier: OnnxTextClassifier, text: string, tokens: number): string {
  const { ends } = classifier.tokenizer.tokenizeToIds(text, tokens);
  return ends.length === 0 ? '' : text.slice(0, ends[Math.min(tokens, ends.length) - 1]);
}

export async function measureFaithfulness(classifier: OnnxTextClassifier, texts: readonly string[], ks: readonly number[] = [1, 3, 5], options: { seed?: number; randomDraws?: number; /** Cut each text to this many tokens (default: one full window). */ maxTokens?: number; explain?: ExplainOptions } = {}): Promise<FaithfulnessResult> {
  const tokenizer = classifier.tokenizer;
  const cls = tokenizer.tokenToId(tokenizer.config.clsToken)!;
  const sep = tokenizer.tokenToId(tokenizer.config.sepToken)!;
  const problemType = classifier.files.config.problemType;
  const draws = options.randomDraws ?? 5;
  const random = mulberry32(options.seed ?? 1);
  const sums = ks.map(() => ({ top: 0, random: 0, wins: 0 }));
  let counted = 0;
  let wordTotal = 0;
  const methods: Record<string, number> = {};
  for (const text of texts) {
    const cut = firstTokens(classifier, text, Math.min(options.maxTokens ?? Infinity, classifier.maxLength - 2));
    const { ids, starts, ends } = tokenizer.tokenizeToIds(cut);
    const words = groupWords(ids, starts, ends, (id) => tokenizer.idToTokenString(id));
    if (words.length <= Math.max(...ks)) continue;
    const explanation = await explainText(classifier, cut, options.explain);
    const target = explanation.labelIndex;
    const wordScores = explanation.segments.flatMap((s) => Array<number>(s.words).fill(s.score));
    if (wordScores.length !== words.length) throw new Error(`the explanation covers ${wordScores.length} words, the text has ${words.length}`);
    // A stable sort keeps text order among equal scores.
    const order = wordScores.map((score, i) => ({ i, score })).sort((a, b) => b.score - a.score).map((x) => x.i);
    const without = (drop: ReadonlySet<number>) => [cls, ...words.flatMap((w, i) => (drop.has(i) ? [] : ids.slice(w.tokenStart, w.tokenEnd))), sep];
    const rows: number[][] = [];
    for (const k of ks) {
      rows.push(without(new Set(order.slice(0, k))));
      for (let d = 0; d < draws; d++) {
        const pick = new Set<number>();
        while (pick.size < k) pick.add(Math.floor(random() * words.length));
        rows.push(without(pick));
      }
    }
    const probs = (await classifier.runBatch(rows)).map((l) => activate(l, problemType)[target]);
    if (argmax(activate((await classifier.runBatch([[cls, ...ids, sep]]))[0], problemType)) !== target) throw new Error('the explanation explains a label other than the prediction');
    ks.forEach((_, j) => {
      const base = explanation.probability;
      const top = base - probs[j * (draws + 1)];
      let rand = 0;
      for (let d = 1; d <= draws; d++) rand += base - probs[j * (draws + 1) + d];
      rand /= draws;
      sums[j].top += top;
      sums[j].random += rand;
      if (top > rand) sums[j].wins++;
    });
    counted++;
    methods[explanation.method] = (methods[explanation.method] ?? 0) + 1;
    wordTotal += words.length;
  }
  return {
    texts: counted,
    methods,
    randomDraws: draws,
    meanWords: counted === 0 ? 0 : wordTotal / counted,
    rows: ks.map((k, j) => ({ k, topDrop: sums[j].top / Math.max(1, counted), randomDrop: sums[j].random / Math.max(1, counted), textsTopWins: sums[j].wins })),
  };
}
