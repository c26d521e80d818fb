/**
 * Multinomial naive Bayes over WordPiece ids with Laplace (add-α) smoothing: the plain baseline reported next
 * to the BERT model, on the same split and the same tokens. Its per-token log-likelihood ratios also seed one
 * channel of the BERT word embeddings (see textClassifier.ts).
 *
 * No `vscode` import.
 */
export class MultinomialNaiveBayes {
  /** log P(token | class) for class 0 and 1. */
  readonly logLikelihood: [Float64Array, Float64Array];
  readonly logPrior: [number, number];

  private constructor(logLikelihood: [Float64Array, Float64Array], logPrior: [number, number]) {
    this.logLikelihood = logLikelihood;
    this.logPrior = logPrior;
  }

  static fit(docs: readonly (readonly number[])[], labels: readonly (0 | 1)[], vocabSize: number, alpha = 1): MultinomialNaiveBayes {
    if (docs.length !== labels.length) throw new Error('docs and labels differ in length');
    const counts = [new Float64Array(vocabSize), new Float64Array(vocabSize)];
    const totals = [0, 0];
    const docsPerClass = [0, 0];
    docs.forEach((doc, i) => {
      const c = labels[i];
      docsPerClass[c]++;
      for (const id of doc) {
        counts[c][id]++;
        totals[c]++;
      }
    });
    if (docsPerClass[0] === 0 || docsPerClass[1] === 0) throw new Error('naive Bayes needs examples of both classes');
    const ll = counts.map((cnt, c) => {
      const out = new Float64Array(vocabSize);
      const denom = Math.log(totals[c] + alpha * vocabSize);
      for (let t = 0; t < vocabSize; t++) out[t] = Math.log(cnt[t] + alpha) - denom;
      return out;
    }) as [Float64Array, Float64Array];
    const n = docs.length;
    return new MultinomialNaiveBayes(ll, [Math.log(docsPerClass[0] / n), Math.log(docsPerClass[1] / n)]);
  }

  /** log P(spam | doc) − log P(ham | doc), up to the shared normaliser. */
  score(doc: readonly number[]): number {
    let s = this.logPrior[1] - this.logPrior[0];
    for (const id of doc) s += this.logLikelihood[1][id] - this.logLikelihood[0][id];
    return s;
  }

  predict(doc: readonly number[]): 0 | 1 {
    return this.score(doc) > 0 ? 1 : 0;
  }

  /** Per-token log P(t|spam) − log P(t|ham). */
  tokenLogRatios(): Float64Array {
    const [l0, l1] = this.logLikelihood;
    const out = new Float64Array(l0.length);
    for (let t = 0; t < out.length; t++) out[t] = l1[t] - l0[t];
    return out;
  }
}
