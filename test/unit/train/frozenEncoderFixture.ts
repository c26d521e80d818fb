/** Test fixtures for the frozen-encoder recipe: a tiny encoder-only ONNX folder and separable toy data. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { onnx } from 'onnx-proto';
import { exportBertClassifier, randomBertWeights, type BertClassifierConfig } from '../../../src/train/onnx/bertExport';
import { decodeModel, encodeModel } from '../../../src/train/onnx/graphBuilder';
import { mulberry32 } from '../../../src/common/random';
import type { LabelledTexts } from '../../../src/train/text/userData';

export const POSITIVE = ['good', 'great', 'happy', 'love', 'nice'];
export const NEGATIVE = ['bad', 'awful', 'sad', 'hate', 'poor'];
const NEUTRAL = ['the', 'a', 'movie', 'was', 'it', 'day'];
export const VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', ...POSITIVE, ...NEGATIVE, ...NEUTRAL];

export const config: BertClassifierConfig = {
  vocabSize: VOCAB.length,
  hiddenSize: 32,
  numHiddenLayers: 1,
  numAttentionHeads: 2,
  intermediateSize: 32,
  maxPositionEmbeddings: 32,
  typeVocabSize: 2,
  layerNormEps: 1e-12,
  numLabels: 2,
};

/**
 * An encoder-only export made from H2's classifier export by graph surgery: the classifier's `logits` output and
 * head are replaced by `last_hidden_state` (the last LayerNorm) and, optionally, `pooler_output` (tanh pooler).
 */
export function writeEncoderFolder(dir: string, opts: { pooler: boolean; onnxSubfolder?: boolean; keepLogits?: boolean }): void {
  const model = decodeModel(exportBertClassifier(config, randomBertWeights(config, 3)));
  const graph = model.graph as onnx.GraphProto;
  if (!opts.keepLogits) {
    const last = `bert.encoder.layer.${config.numHiddenLayers - 1}.output.LayerNorm.out`;
    graph.node = graph.node.filter((n) => !(n.output ?? []).includes('logits'));
    graph.node.push(onnx.NodeProto.create({ name: 'lhs', opType: 'Identity', input: [last], output: ['last_hidden_state'] }));
    const f = onnx.TensorProto.DataType.FLOAT;
    graph.output = [onnx.ValueInfoProto.create({ name: 'last_hidden_state', type: { tensorType: { elemType: f, shape: { dim: [{ dimParam: 'batch_size' }, { dimParam: 'sequence_length' }, { dimValue: config.hiddenSize }] } } } })];
    if (opts.pooler) {
      graph.node.push(onnx.NodeProto.create({ name: 'pool', opType: 'Identity', input: ['pooled'], output: ['pooler_output'] }));
      graph.output.push(onnx.ValueInfoProto.create({ name: 'pooler_output', type: { tensorType: { elemType: f, shape: { dim: [{ dimParam: 'batch_size' }, { dimValue: config.hiddenSize }] } } } }));
    }
  }
  const onnxDir = opts.onnxSubfolder ? path.join(dir, 'onnx') : dir;
  fs.mkdirSync(onnxDir, { recursive: true });
  fs.writeFileSync(path.join(onnxDir, 'model.onnx'), encodeModel(model));
  fs.writeFileSync(path.join(dir, 'vocab.txt'), VOCAB.join('\n') + '\n');
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ model_type: 'bert', hidden_size: config.hiddenSize, max_position_embeddings: config.maxPositionEmbeddings }));
}

/** Separable toy data: label 1 texts use positive words, label 0 negative ones, both mixed with neutral words. */
export function toyData(perClass: number, seed: number): LabelledTexts {
  const rng = mulberry32(seed);
  const pick = (words: string[]) => words[Math.floor(rng() * words.length)];
  const texts: string[] = [];
  const labels: number[] = [];
  for (let i = 0; i < perClass * 2; i++) {
    const label = i % 2;
    const words = label === 1 ? POSITIVE : NEGATIVE;
    texts.push([pick(NEUTRAL), pick(words), pick(NEUTRAL), pick(words), pick(words)].join(' '));
    labels.push(label);
  }
  return { texts, labels, labelNames: ['negative', 'positive'], lines: texts.map((_, i) => i + 2) };
}

