import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { hasCode } from './helpers';
import { exporterParameterCount, tempDir, TINY_BERT, withExternalData, writeBert, writeInt8Bert } from './fixtures';
import { inspectModel, operatorHistogram } from '../../../src/inspector/inspect';
import { weightStatistics } from '../../../src/inspector/tensorStats';
import type { ModelInspection } from '../../../src/inspector/model';
import { smallCnn, writeOnnxCnn, writeTfjsCnn } from '../vision/helpers';

const repo = path.resolve(__dirname, '../../..');
const H = TINY_BERT.hiddenSize;

function typeOf(m: ModelInspection, value: string): unknown {
  return m.valueTypes[value]?.dims;
}

test('bundled digit CNN: input [batch_size, 28, 28, 1], 93,322 parameters as its config.json records, config labels', () => {
  const m = inspectModel(path.join(repo, 'models/mnist-cnn/model.onnx'));
  const config = JSON.parse(fs.readFileSync(path.join(repo, 'models/mnist-cnn/config.json'), 'utf8')) as { parameters: number };
  assert.equal(m.format, 'onnx');
  assert.deepEqual(m.inputs, [{ name: 'input', dtype: 'float32', dims: ['batch_size', 28, 28, 1] }]);
  assert.deepEqual(m.outputs, [{ name: 'probabilities', dtype: 'float32', dims: ['batch_size', 10] }]);
  assert.equal(m.parameterCount, config.parameters);
  assert.equal(m.config?.task, 'image-classification');
  assert.equal(m.config?.labels?.length, 10);
  assert.deepEqual(m.opsets, [{ domain: '', version: 17 }]);
  assert.equal(m.producer, 'model-lab');
  // Shape inference through Transpose → Conv → MaxPool → Flatten → Gemm.
  const flatten = m.nodes.find((n) => n.opType === 'Flatten');
  assert.ok(flatten);
  assert.deepEqual(typeOf(m, flatten.outputs[0]), ['batch_size', 576]);
});

test('CNN exported at test time: parameter count equals tfjs countParams(); shapes through every layer', async () => {
  const dir = await writeOnnxCnn();
  const model = await smallCnn();
  const m = inspectModel(path.join(dir, 'model.onnx'));
  assert.equal(m.parameterCount, model.countParams());
  const convs = m.nodes.filter((n) => n.opType === 'Conv');
  assert.deepEqual(typeOf(m, convs[0].outputs[0]), ['batch_size', 4, 26, 26]);
  assert.deepEqual(typeOf(m, convs[1].outputs[0]), ['batch_size', 8, 11, 11]);
  assert.deepEqual(typeOf(m, m.nodes.find((n) => n.opType === 'Gemm')!.outputs[0]), ['batch_size', 10]);
});

test('BERT: parameter count equals the exporter’s, inputs/outputs, hidden shapes from shape inference', () => {
  const { file } = writeBert();
  const m = inspectModel(file);
  assert.equal(m.parameterCount, exporterParameterCount(TINY_BERT));
  const dyn = ['batch_size', 'sequence_length'];
  assert.deepEqual(m.inputs, [
    { name: 'input_ids', dtype: 'int64', dims: dyn },
    { name: 'attention_mask', dtype: 'int64', dims: dyn },
    { name: 'token_type_ids', dtype: 'int64', dims: dyn },
  ]);
  assert.deepEqual(m.outputs, [{ name: 'logits', dtype: 'float32', dims: ['batch_size', TINY_BERT.numLabels] }]);
  assert.deepEqual(m.metadata, [{ key: 'source', value: 'inspector test' }]);
  // Every LayerNorm output is a hidden state [batch, seq, H].
  const layerNorms = m.nodes.filter((n) => n.opType === 'LayerNormalization');
  assert.equal(layerNorms.length, 1 + 2 * TINY_BERT.numHiddenLayers);
  for (const ln of layerNorms) assert.deepEqual(typeOf(m, ln.outputs[0]), ['batch_size', 'sequence_length', H], ln.name);
  const heads = TINY_BERT.numAttentionHeads;
  const l0 = 'bert.encoder.layer.0';
  assert.deepEqual(typeOf(m, `${l0}.attention.self.query.split`), ['batch_size', 'sequence_length', heads, H / heads]);
  assert.deepEqual(typeOf(m, `${l0}.attention.self.key.heads`), ['batch_size', heads, H / heads, 'sequence_length']);
  assert.deepEqual(typeOf(m, `${l0}.attention.scores`), ['batch_size', heads, 'sequence_length', 'sequence_length']);
  assert.deepEqual(typeOf(m, `${l0}.attention.merged`), ['batch_size', 'sequence_length', H]);
  assert.deepEqual(typeOf(m, `${l0}.intermediate.dense.out`), ['batch_size', 'sequence_length', TINY_BERT.intermediateSize]);
  assert.deepEqual(typeOf(m, 'position_ids'), ['sequence_length']);
  assert.deepEqual(typeOf(m, 'cls_hidden'), ['batch_size', H]);
  assert.deepEqual(typeOf(m, 'pooled'), ['batch_size', H]);
  assert.deepEqual(m.notes, []);
  const hist = operatorHistogram(m);
  assert.equal(hist.find((h) => h.opType === 'MatMul')?.count, TINY_BERT.numHiddenLayers * 8 + 2);
  assert.equal(hist.reduce((a, h) => a + h.count, 0), m.nodes.length);
});

test('DistilBERT-shaped export: two inputs; the exporter stores only row 0 of the token-type table', () => {
  const { file } = writeBert({ tokenTypeIds: false });
  const m = inspectModel(file);
  assert.deepEqual(m.inputs.map((i) => i.name), ['input_ids', 'attention_mask']);
  assert.equal(m.parameterCount, exporterParameterCount(TINY_BERT) - (TINY_BERT.typeVocabSize - 1) * H);
  for (const ln of m.nodes.filter((n) => n.opType === 'LayerNormalization')) assert.deepEqual(typeOf(m, ln.outputs[0]), ['batch_size', 'sequence_length', H]);
});

test('int8 BERT: quantized values match the quantizer’s report; scales and zero points are counted; shapes still inferred', () => {
  const { file, report } = writeInt8Bert();
  const m = inspectModel(file);
  const quantized = m.weights.filter((w) => w.name.endsWith('_quantized'));
  assert.equal(quantized.length, report.quantizedMatMuls + report.quantizedGathers);
  // Every quantized tensor holds one byte per float it replaced (the quantizer reports those floats' bytes).
  assert.equal(quantized.reduce((a, w) => a + w.elements, 0), report.floatBytesReplaced / 4);
  assert.ok(quantized.every((w) => w.dtype === 'int8' || w.dtype === 'uint8'));
  const extras = m.weights.filter((w) => /\.weight(_t)?_(scale|zero_point|row_scales)$/.test(w.name)).reduce((a, w) => a + w.elements, 0);
  assert.ok(extras > 0);
  assert.equal(m.parameterCount, exporterParameterCount(TINY_BERT) + extras);
  for (const ln of m.nodes.filter((n) => n.opType === 'LayerNormalization')) assert.deepEqual(typeOf(m, ln.outputs[0]), ['batch_size', 'sequence_length', H]);
  const mm = m.nodes.find((n) => n.opType === 'MatMulInteger');
  assert.ok(mm);
  assert.deepEqual(m.valueTypes[mm.outputs[0]], { dtype: 'int32', dims: ['batch_size', 'sequence_length', H] });
  assert.ok(m.byDtype.some((d) => d.dtype === 'int8') && m.byDtype.some((d) => d.dtype === 'uint8'));
});

test('bundled text model (fp32 and int8): inputs, outputs and the labels of its config.json', () => {
  for (const name of ['model.onnx', 'model.int8.onnx']) {
    const m = inspectModel(path.join(repo, 'models/spam-bert-tiny', name));
    assert.deepEqual(m.inputs.map((i) => i.name), ['input_ids', 'attention_mask', 'token_type_ids']);
    assert.deepEqual(m.outputs, [{ name: 'logits', dtype: 'float32', dims: ['batch_size', 2] }]);
    assert.deepEqual(m.config?.labels, ['ham', 'spam']);
    assert.equal(m.config?.task, 'text-classification');
  }
});

test('weights stream their statistics from the file: min, max, mean, std, zeros equal the exporter’s values', () => {
  const { file, weights } = writeBert();
  const m = inspectModel(file);
  for (const name of ['bert.embeddings.word_embeddings.weight', 'bert.embeddings.LayerNorm.weight', 'bert.encoder.layer.1.output.dense.bias']) {
    const w = m.weights.find((x) => x.name === name);
    assert.ok(w, name);
    const data = weights.get(name)!.data;
    const s = weightStatistics(w);
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (const v of data) {
      min = Math.min(min, v);
      max = Math.max(max, v);
      sum += v;
    }
    const mean = sum / data.length;
    let sq = 0;
    for (const v of data) sq += (v - mean) ** 2;
    assert.equal(s.count, data.length);
    assert.equal(s.min, min);
    assert.equal(s.max, max);
    assert.ok(Math.abs(s.mean - mean) < 1e-9, `${name} mean`);
    assert.ok(Math.abs(s.std - Math.sqrt(sq / data.length)) < 1e-9, `${name} std`);
    assert.equal(s.zeros, 0);
    assert.equal(s.histogram.reduce((a, b) => a + b, 0), data.length);
    assert.deepEqual(s.head, Array.from(data.slice(0, 16)));
  }
});

test('the scanner reads the structure, not the weights: the bundled BERT opens reading a fraction of its bytes', () => {
  const file = path.join(repo, 'models/spam-bert-tiny/model.onnx');
  const m = inspectModel(file);
  assert.equal(m.fileBytes, fs.statSync(file).size);
  assert.ok(m.bytesRead < m.fileBytes / 4, `read ${m.bytesRead} of ${m.fileBytes} bytes`);
});

test('external data (.onnx_data): same parameters and statistics; the data file is listed', () => {
  const { bytes, weights } = writeBert();
  const dir = tempDir('external');
  const file = withExternalData(bytes, dir);
  const m = inspectModel(file);
  assert.equal(m.parameterCount, exporterParameterCount(TINY_BERT));
  assert.deepEqual(m.externalFiles, [path.join(dir, 'model.onnx_data')]);
  assert.equal(m.externalBytes, fs.statSync(path.join(dir, 'model.onnx_data')).size);
  const w = m.weights.find((x) => x.name === 'bert.embeddings.word_embeddings.weight')!;
  assert.equal(w.location, 'external');
  const data = weights.get(w.name)!.data;
  assert.equal(weightStatistics(w).max, Math.max(...data));
  assert.ok(m.fileBytes < 20_000);
});

test('external data outside the folder, missing or short: a clear error, and the outside file is never read', () => {
  const { bytes } = writeBert();
  const outside = tempDir('outside');
  // A complete, valid data file outside the model's folder: refused all the same.
  const dir1 = tempDir('ext-outside');
  withExternalData(bytes, dir1, { location: `../${path.basename(outside)}/data.bin`, dataFile: path.join(outside, 'data.bin') });
  assert.throws(() => inspectModel(path.join(dir1, 'model.onnx')), hasCode('externalOutside', /outside the model's folder/));
  const dir2 = tempDir('ext-absolute');
  withExternalData(bytes, dir2, { location: path.join(outside, 'data.bin'), dataFile: path.join(outside, 'data2.bin') });
  assert.throws(() => inspectModel(path.join(dir2, 'model.onnx')), hasCode('externalOutside'));
  // A symlink inside the folder that points outside it.
  const dir3 = tempDir('ext-symlink');
  withExternalData(bytes, dir3, { location: 'link.bin', dataFile: path.join(outside, 'data3.bin') });
  fs.symlinkSync(path.join(outside, 'data3.bin'), path.join(dir3, 'link.bin'));
  assert.throws(() => inspectModel(path.join(dir3, 'model.onnx')), hasCode('externalOutside'));
  const dir4 = tempDir('ext-missing');
  withExternalData(bytes, dir4);
  fs.rmSync(path.join(dir4, 'model.onnx_data'));
  assert.throws(() => inspectModel(path.join(dir4, 'model.onnx')), hasCode('externalMissing', /does not exist/));
  const dir5 = tempDir('ext-short');
  withExternalData(bytes, dir5);
  fs.truncateSync(path.join(dir5, 'model.onnx_data'), 1000);
  assert.throws(() => inspectModel(path.join(dir5, 'model.onnx')), hasCode('externalShort', /is 1000 bytes/));
});

test('TensorFlow.js model.json: parameters equal countParams(), inputs/outputs, layer shapes, weights in the shard', async () => {
  const dir = await writeTfjsCnn();
  const model = await smallCnn();
  const m = inspectModel(path.join(dir, 'model.json'));
  assert.equal(m.format, 'tfjs-layers');
  assert.equal(m.parameterCount, model.countParams());
  assert.equal(m.inputs.length, 1);
  assert.deepEqual(m.inputs[0].dims, [null, 28, 28, 1]);
  assert.deepEqual(m.outputs[0].dims, [null, 10]);
  assert.deepEqual(m.nodes.map((n) => n.opType), ['Conv2D', 'MaxPooling2D', 'Conv2D', 'MaxPooling2D', 'Flatten', 'Dense']);
  assert.deepEqual(m.valueTypes[m.nodes[2].outputs[0]].dims, [null, 11, 11, 8]);
  assert.deepEqual(m.externalFiles, [path.join(dir, 'group1-shard1of1.bin')]);
  // The dense kernel's statistics from the shard equal the layer's own weights.
  const denseKernel = m.weights.find((w) => w.dims.length === 2)!;
  const values = model.layers[5].getWeights()[0].dataSync();
  assert.equal(weightStatistics(denseKernel).max, Math.max(...values));
});
