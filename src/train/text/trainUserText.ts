/**
 * "Train on your own data", recipe 1: a BERT-tiny `TextClassifier` from scratch on a user's labelled texts, with
 * the same loop, tokenizer, exporter and folder layout as `npm run train:text`. Stratified held-out split (20 %),
 * progress callbacks, cancellation by AbortSignal; the model folder is written to a temporary sibling and renamed
 * at the end, so a cancelled or failed run leaves nothing half-written.
 *
 * No `vscode` import: the CLI (`model-lab train-text`) and the extension command both call this.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as tfTypes from '@tensorflow/tfjs';
import { loadTfjs } from '../../common/tfjsBackend';
import { WordPieceTokenizer } from '../../text/tokenizer';
import { exportBertClassifier, type BertClassifierConfig } from '../onnx/bertExport';
import { mulberry32, shuffleInPlace } from '../onnx/random';
import { macroF1 } from '../../common/classificationMetrics';
import { MultinomialNaiveBayes } from './naiveBayes';
import { registerSegmentSumKernel, TextClassifier } from './textClassifier';
import { stratifiedIndexSplit, type LabelledTexts } from './userData';
import { bertBaseUncasedVocabTxtForRuntime } from './vocab';
import { writeFolderAtomically } from '../modelFolderOutput';
import { withDefaults } from './recipeOptions';

export interface UserTrainOptions {
  out: string;
  seed?: number;
  epochs?: number;
  batch?: number;
  seq?: number;
  hidden?: number;
  layers?: number;
  heads?: number;
  intermediate?: number;
  lr?: number;
  /** Where the data came from, for config.json. */
  source?: string;
  /** Replace a model folder already at `out` (never anything else); see checkOutputFolder. */
  replaceModel?: boolean;
  /** Paths this run reads; an `out` containing one is refused. */
  inputs?: readonly string[];
}

export interface UserTrainResult {
  out: string;
  heldOutAccuracy: number;
  heldOutMacroF1: number;
  heldOut: number;
  train: number;
  epochs: number;
  seconds: number;
}

export type ProgressFn = (message: string, fraction: number) => void;

export class TrainingCancelledError extends Error {
  constructor() {
    super('Training was cancelled; nothing was written.');
  }
}

export async function trainTextClassifierFromScratch(data: LabelledTexts, options: UserTrainOptions, progress: ProgressFn = () => {}, signal?: AbortSignal): Promise<UserTrainResult> {
  const o = withDefaults({ seed: 42, epochs: 3, batch: 32, seq: 128, hidden: 32, layers: 2, heads: 2, intermediate: 128, lr: 1e-3 }, options);
  const t0 = Date.now();
  const check = () => {
    if (signal?.aborted) throw new TrainingCancelledError();
  };
  const { tf, backend } = await loadTfjs();
  registerSegmentSumKernel(tf);
  const classes = data.labelNames.length;
  const vocabTxt = bertBaseUncasedVocabTxtForRuntime();
  const tok = WordPieceTokenizer.fromVocabText(vocabTxt);
  const enc = data.texts.map((t) => {
    const e = tok.encode(t, { maxLength: o.seq, padToLength: o.seq });
    return { ids: Int32Array.from(e.inputIds), mask: Int32Array.from(e.attentionMask) };
  });
  const { train, heldOut } = stratifiedIndexSplit(data.labels, 0.2, o.seed);
  if (train.length === 0 || heldOut.length === 0) throw new Error('Too few rows to hold out a validation split; add at least two rows per class.');
  progress(`${train.length} training and ${heldOut.length} held-out texts, ${classes} classes, tfjs ${backend}`, 0);

  // Binary tasks get the naive Bayes word prior in the embeddings (as the bundled model); others start random.
  let tokenPrior: Float64Array | undefined;
  if (classes === 2) {
    const ids = train.map((i) => Array.from(enc[i].ids).filter((_, k) => enc[i].mask[k] === 1));
    tokenPrior = MultinomialNaiveBayes.fit(ids, train.map((i) => data.labels[i] as 0 | 1), tok.vocabSize).tokenLogRatios();
  }
  const config: BertClassifierConfig = {
    vocabSize: tok.vocabSize,
    hiddenSize: o.hidden,
    numHiddenLayers: o.layers,
    numAttentionHeads: o.heads,
    intermediateSize: o.intermediate,
    maxPositionEmbeddings: Math.max(512, o.seq),
    typeVocabSize: 2,
    layerNormEps: 1e-12,
    numLabels: classes,
  };
  const model = new TextClassifier(tf, config, { seed: o.seed, tokenPrior });
  try {
    const optimizer = tf.train.adam(o.lr);
    const vars = model.variables();
    const rng = mulberry32(o.seed + 7);
    const steps = Math.ceil(train.length / o.batch);
    const batchOf = (idx: number[]) => {
      const ids = new Int32Array(idx.length * o.seq);
      const mask = new Int32Array(idx.length * o.seq);
      idx.forEach((r, i) => {
        ids.set(enc[r].ids, i * o.seq);
        mask.set(enc[r].mask, i * o.seq);
      });
      return { ids: tf.tensor2d(ids, [idx.length, o.seq], 'int32'), mask: tf.tensor2d(mask, [idx.length, o.seq], 'int32') };
    };
    for (let epoch = 1; epoch <= o.epochs; epoch++) {
      const order = shuffleInPlace([...train], rng);
      let lossSum = 0;
      for (let s = 0; s < steps; s++) {
        check();
        const idx = order.slice(s * o.batch, (s + 1) * o.batch);
        const loss = optimizer.minimize(
          () => {
            const b = batchOf(idx);
            const labels = tf.oneHot(tf.tensor1d(idx.map((i) => data.labels[i]), 'int32'), classes);
            return tf.losses.softmaxCrossEntropy(labels, model.forward(b.ids, b.mask)) as tfTypes.Scalar;
          },
          true,
          vars,
        );
        if (!loss) throw new Error('optimizer.minimize returned no loss');
        lossSum += loss.dataSync()[0];
        loss.dispose();
        // Yield to the event loop so cancellation and progress reach us.
        await new Promise((r) => setImmediate(r));
        progress(`epoch ${epoch}/${o.epochs}, step ${s + 1}/${steps}, loss ${(lossSum / (s + 1)).toFixed(4)}`, ((epoch - 1) * steps + s + 1) / (o.epochs * steps));
      }
    }
    check();
    const predicted: number[] = [];
    for (let s = 0; s < heldOut.length; s += 64) {
      const idx = heldOut.slice(s, s + 64);
      const logits = tf.tidy(() => {
        const b = batchOf(idx);
        return tf.argMax(model.forward(b.ids, b.mask), 1);
      });
      predicted.push(...Array.from(logits.dataSync()));
      logits.dispose();
    }
    const actual = heldOut.map((i) => data.labels[i]);
    const accuracy = actual.filter((a, i) => a === predicted[i]).length / actual.length;
    const f1 = macroF1(actual, predicted, classes);
    progress(`held-out accuracy ${(100 * accuracy).toFixed(2)} %, macro F1 ${f1.toFixed(4)}`, 1);

    const onnx = exportBertClassifier(config, model.namedWeights(), { metadata: { producer: 'model-lab train-text' } });
    const seconds = (Date.now() - t0) / 1000;
    const id2label = Object.fromEntries(data.labelNames.map((n, i) => [i, n]));
    const label2id = Object.fromEntries(data.labelNames.map((n, i) => [n, i]));
    const configJson = {
      architectures: ['BertForSequenceClassification'],
      model_type: 'bert',
      vocab_size: config.vocabSize,
      hidden_size: config.hiddenSize,
      num_hidden_layers: config.numHiddenLayers,
      num_attention_heads: config.numAttentionHeads,
      intermediate_size: config.intermediateSize,
      hidden_act: 'gelu',
      max_position_embeddings: config.maxPositionEmbeddings,
      type_vocab_size: config.typeVocabSize,
      layer_norm_eps: config.layerNormEps,
      pad_token_id: 0,
      problem_type: 'single_label_classification',
      id2label,
      label2id,
      trained_sequence_length: o.seq,
      metrics: { held_out: { accuracy, macro_f1: f1, n: heldOut.length }, train_size: train.length },
      provenance: { data: o.source ?? 'user data', split: { seed: o.seed, method: 'stratified 80/20' }, epochs: o.epochs, lr: o.lr, batch: o.batch, backend, seconds, date: new Date().toISOString(), recipe: 'BERT-tiny from scratch (model-lab train-text)' },
    };
    writeFolderAtomically(
      o.out,
      (dir) => {
        fs.writeFileSync(path.join(dir, 'model.onnx'), onnx);
        fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(configJson, null, 2) + '\n');
        fs.writeFileSync(path.join(dir, 'vocab.txt'), vocabTxt);
        fs.writeFileSync(path.join(dir, 'tokenizer_config.json'), JSON.stringify({ tokenizer_class: 'BertTokenizer', do_lower_case: true, model_max_length: o.seq }, null, 2) + '\n');
        fs.writeFileSync(path.join(dir, 'special_tokens_map.json'), JSON.stringify({ unk_token: '[UNK]', sep_token: '[SEP]', pad_token: '[PAD]', cls_token: '[CLS]', mask_token: '[MASK]' }, null, 2) + '\n');
      },
      { replaceModel: o.replaceModel, inputs: o.inputs, beforeSwap: check },
    );
    return { out: o.out, heldOutAccuracy: accuracy, heldOutMacroF1: f1, heldOut: heldOut.length, train: train.length, epochs: o.epochs, seconds };
  } finally {
    model.dispose();
  }
}
