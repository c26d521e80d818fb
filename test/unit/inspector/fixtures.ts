/**
 * Models for the inspector's tests, made at test time by this project's exporters (src/train/onnx): a BERT,
 * its DistilBERT-shaped variant (no token_type_ids), its int8 quantization, and a copy with external data.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { onnx } from 'onnx-proto';
import { bertWeightShapes, exportBertClassifier, randomBertWeights, type BertClassifierConfig, type NamedWeights } from '../../../src/train/onnx/bertExport';
import { decodeModel, encodeModel } from '../../../src/train/onnx/graphBuilder';
import { quantizeDynamicInt8WithReport, type QuantizeReport } from '../../../src/train/onnx/quantize';

export const TINY_BERT: BertClassifierConfig = {
  vocabSize: 300,
  hiddenSize: 32,
  numHiddenLayers: 2,
  numAttentionHeads: 4,
  intermediateSize: 64,
  maxPositionEmbeddings: 64,
  typeVocabSize: 2,
  layerNormEps: 1e-12,
  numLabels: 3,
};

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `modellab-inspector-${prefix}-`));
}

/** The exporter's own parameter count: the sum of the shapes it reads (bertWeightShapes). */
export function exporterParameterCount(config: BertClassifierConfig): number {
  let n = 0;
  for (const shape of bertWeightShapes(config).values()) n += shape.reduce((a, b) => a * b, 1);
  return n;
}

export interface BertFixture {
  readonly dir: string;
  readonly file: string;
  readonly weights: NamedWeights;
  readonly bytes: Uint8Array;
}

let weightsCache: NamedWeights | undefined;
export function tinyWeights(): NamedWeights {
  weightsCache ??= randomBertWeights(TINY_BERT, 7);
  return weightsCache;
}

export function writeBert(options: { tokenTypeIds?: boolean } = {}): BertFixture {
  const weights = tinyWeights();
  const bytes = exportBertClassifier(TINY_BERT, weights, { tokenTypeIds: options.tokenTypeIds, metadata: { source: 'inspector test' } });
  const dir = tempDir('bert');
  const file = path.join(dir, 'model.onnx');
  fs.writeFileSync(file, bytes);
  return { dir, file, weights, bytes };
}

export function writeInt8Bert(): BertFixture & { report: QuantizeReport } {
  const fp32 = writeBert();
  const { bytes, report } = quantizeDynamicInt8WithReport(fp32.bytes);
  const dir = tempDir('bert-int8');
  const file = path.join(dir, 'model.onnx');
  fs.writeFileSync(file, bytes);
  return { dir, file, weights: fp32.weights, bytes, report };
}

/**
 * The model with every initializer over `minBytes` moved to `dataFile` (ONNX external data, as
 * onnx.save_model(save_as_external_data=True) writes it), with `location` written as given.
 */
export function withExternalData(bytes: Uint8Array, dir: string, options: { location?: string; dataFile?: string; minBytes?: number } = {}): string {
  const model = decodeModel(bytes);
  const location = options.location ?? 'model.onnx_data';
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const t of model.graph?.initializer ?? []) {
    const raw = t.rawData;
    if (!raw || raw.length < (options.minBytes ?? 1024)) continue;
    t.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL;
    t.externalData = [
      { key: 'location', value: location },
      { key: 'offset', value: String(offset) },
      { key: 'length', value: String(raw.length) },
    ];
    chunks.push(raw);
    offset += raw.length;
    t.rawData = new Uint8Array(0);
  }
  const data = new Uint8Array(offset);
  let at = 0;
  for (const c of chunks) {
    data.set(c, at);
    at += c.length;
  }
  fs.writeFileSync(options.dataFile ?? path.join(dir, location), data);
  const file = path.join(dir, 'model.onnx');
  fs.writeFileSync(file, encodeModel(model));
  return file;
}
