/**
 * Recipe "bert-tiny": a BERT-tiny `TfjsBertClassifier` from scratch on the user's labelled texts, with the tokenizer,
 * exporter and folder layout of the bundled model (`npm run train:text`). Binary tasks start from the naive Bayes
 * word prior in the embeddings (as the bundled model does). The loop, split, evaluation and folder write are the
 * pipeline's (pipeline.ts).
 *
 * No `vscode` import.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { WordPieceTokenizer } from '../../text/tokenizer';
import { bertConfigJson, exportBertClassifier, type BertClassifierConfig } from '../onnx/bertExport';
import { MultinomialNaiveBayes } from './naiveBayes';
import { defaultBatchSize, type PipelineOptions, type TextRecipe } from './pipeline';
import { BERT_TINY_HEADS } from './recipeOptions';
import { registerSegmentSumKernel, TfjsBertClassifier } from './tfjsBertClassifier';
import { bertBaseUncasedVocabTxtForRuntime } from './vocab';

export interface BertTinyOptions extends PipelineOptions {
  /** Tokens per text, special tokens included; unset = enough for 95 % of the texts, 16–128. */
  seq?: number;
  hidden?: number;
  layers?: number;
  intermediate?: number;
}

export interface BertTinyDetails {
  seq: number;
  hidden: number;
  layers: number;
}

/** The smallest power of two ≥ the 95th-percentile token count (special tokens included), within 16–128. */
export function defaultSequenceLength(tokenCounts: readonly number[]): number {
  const sorted = [...tokenCounts].sort((a, b) => a - b);
  const p95 = sorted[Math.min(sorted.length - 1, Math.floor(0.95 * sorted.length))] ?? 0;
  let seq = 16;
  while (seq < p95 + 2 && seq < 128) seq *= 2;
  return seq;
}

export const bertTinyRecipe: TextRecipe<BertTinyOptions, BertTinyDetails> = {
  name: 'bert-tiny',
  title: 'BERT-tiny from scratch',
  defaultLr: 1e-3,
  defaultBatch: defaultBatchSize,
  epochWord: 'epoch',
  prepareShare: 0.02,
  async prepare(data, split, o, { tf }) {
    registerSegmentSumKernel(tf);
    const vocabTxt = bertBaseUncasedVocabTxtForRuntime();
    const tok = WordPieceTokenizer.fromVocabText(vocabTxt);
    const seq = o.seq ?? defaultSequenceLength(split.fit.map((i) => tok.tokenizeToIds(data.texts[i], 1024).ids.length));
    const hidden = o.hidden ?? 32;
    const layers = o.layers ?? 2;
    const classes = data.labelNames.length;
    const enc = data.texts.map((t) => {
      const e = tok.encode(t, { maxLength: seq, padToLength: seq });
      return { ids: Int32Array.from(e.inputIds), mask: Int32Array.from(e.attentionMask) };
    });
    let tokenPrior: Float64Array | undefined;
    if (classes === 2) {
      const ids = split.fit.map((i) => Array.from(enc[i].ids).filter((_, k) => enc[i].mask[k] === 1));
      tokenPrior = MultinomialNaiveBayes.fit(ids, split.fit.map((i) => data.labels[i] as 0 | 1), tok.vocabSize).tokenLogRatios();
    }
    const config: BertClassifierConfig = {
      vocabSize: tok.vocabSize,
      hiddenSize: hidden,
      numHiddenLayers: layers,
      numAttentionHeads: BERT_TINY_HEADS,
      intermediateSize: o.intermediate ?? 4 * hidden,
      maxPositionEmbeddings: Math.max(512, seq),
      typeVocabSize: 2,
      layerNormEps: 1e-12,
      numLabels: classes,
    };
    const model = new TfjsBertClassifier(tf, config, { seed: o.seed, tokenPrior });
    return {
      variables: model.variables(),
      logits(rows) {
        const ids = new Int32Array(rows.length * seq);
        const mask = new Int32Array(rows.length * seq);
        rows.forEach((r, i) => {
          ids.set(enc[r].ids, i * seq);
          mask.set(enc[r].mask, i * seq);
        });
        return model.forward(tf.tensor2d(ids, [rows.length, seq], 'int32'), tf.tensor2d(mask, [rows.length, seq], 'int32'));
      },
      writeFiles(dir) {
        fs.writeFileSync(path.join(dir, 'model.onnx'), exportBertClassifier(config, model.namedWeights(), { metadata: { producer: 'model-lab train-text' } }));
        fs.writeFileSync(path.join(dir, 'vocab.txt'), vocabTxt);
        fs.writeFileSync(path.join(dir, 'tokenizer_config.json'), JSON.stringify({ tokenizer_class: 'BertTokenizer', do_lower_case: true, model_max_length: seq }, null, 2) + '\n');
        fs.writeFileSync(path.join(dir, 'special_tokens_map.json'), JSON.stringify({ unk_token: '[UNK]', sep_token: '[SEP]', pad_token: '[PAD]', cls_token: '[CLS]', mask_token: '[MASK]' }, null, 2) + '\n');
      },
      tokenizer: tok,
      configJson: () => bertConfigJson(config, { trained_sequence_length: seq }),
      provenance: { recipe: 'BERT-tiny from scratch (model-lab train-text)', sequence_length: seq, word_embedding_init: tokenPrior ? 'N(0, 0.02) with naive Bayes log-likelihood ratios from the training rows' : 'N(0, 0.02)' },
      card: {
        model: `A BERT encoder trained from scratch on these texts alone: ${layers} layer(s), hidden size ${hidden}, ${BERT_TINY_HEADS} attention heads, then Linear(hidden, ${classes}) on the pooled [CLS] vector. It knows nothing but what these texts taught it.`,
        preprocessing: `Lower-cased WordPiece tokens of the bert-base-uncased vocabulary (30,522 pieces), [CLS] … [SEP], the first ${seq} tokens (longer texts are truncated in training).`,
      },
      details: () => ({ seq, hidden, layers }),
      dispose: () => {},
    };
  },
};
