import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatBytes, summarizeModelFolder } from '../../../src/common/modelSummary';

const models = path.resolve(__dirname, '../../../models');

test('model summary: the bundled digit CNN', () => {
  const s = summarizeModelFolder(path.join(models, 'mnist-cnn'), 'image');
  assert.equal(s.problem, undefined);
  assert.equal(s.task, 'image-classification');
  assert.deepEqual(s.labels, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  assert.equal(s.inputs, 'input [batch, 28, 28, 1] float32');
  assert.equal(s.outputs, 'probabilities [batch, 10]');
  assert.equal(s.bytes, fs.statSync(path.join(models, 'mnist-cnn/model.onnx')).size);
});

test('model summary: the bundled text model, both model files counted', () => {
  const s = summarizeModelFolder(path.join(models, 'spam-bert-tiny'), 'text');
  assert.equal(s.problem, undefined);
  assert.equal(s.task, 'text-classification');
  assert.equal(s.labels.length, 2);
  assert.match(s.inputs ?? '', /input_ids, attention_mask \(≤ 512 tokens\)/);
  assert.equal(s.outputs, 'logits [batch, 2]');
  assert.deepEqual(s.modelFiles, ['model.int8.onnx', 'model.onnx']);
});

test('model summary: missing folder, a file, broken config and no model each say what is wrong', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'model-summary-'));
  try {
    assert.match(summarizeModelFolder(path.join(dir, 'nope'), 'text').problem ?? '', /does not exist/);
    fs.writeFileSync(path.join(dir, 'file.txt'), 'x');
    assert.match(summarizeModelFolder(path.join(dir, 'file.txt'), 'image').problem ?? '', /is not a folder/);
    fs.writeFileSync(path.join(dir, 'config.json'), '{ broken');
    fs.writeFileSync(path.join(dir, 'model.onnx'), 'x');
    assert.match(summarizeModelFolder(dir, 'image').problem ?? '', /not valid JSON/);
    fs.writeFileSync(path.join(dir, 'config.json'), '{}');
    fs.rmSync(path.join(dir, 'model.onnx'));
    assert.match(summarizeModelFolder(dir, 'image').problem ?? '', /holds no model\.onnx or model\.json/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('format bytes', () => {
  assert.equal(formatBytes(4093709), '3.9 MB');
  assert.equal(formatBytes(374968), '366 KB');
  assert.equal(formatBytes(12), '12 B');
});
