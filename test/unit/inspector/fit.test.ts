import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { imageModelFit, textModelFit, type FitResult } from '../../../src/inspector/fit';
import { inspectModel } from '../../../src/inspector/inspect';
import { OnnxGraphBuilder } from '../../../src/train/onnx/graphBuilder';
import { loadImageModel } from '../../../src/vision/imageModel';
import { tempDir, writeBert } from './fixtures';
import { writeTfjsCnn } from '../vision/helpers';

const repo = path.resolve(__dirname, '../../..');

function reason(r: FitResult): string {
  assert.equal(r.fits, false, 'expected the model not to fit');
  return r.fits ? '' : r.reason.message;
}

function graph(inputs: [string, 'float32' | 'int32' | 'int64', (string | number)[]][]): string {
  const g = new OnnxGraphBuilder();
  for (const [name, type, dims] of inputs) g.addInput(name, type, dims);
  const y = g.op('Cast', [inputs[0][0]], { to: 1 }, 'y');
  g.addOutput(y, 'float32', inputs[0][2]);
  const dir = tempDir('fit');
  fs.writeFileSync(path.join(dir, 'model.onnx'), g.toBytes());
  return path.join(dir, 'model.onnx');
}

test('the bundled models fit their classifiers: the digit CNN as image model, the spam BERT (its folder) as text model', () => {
  const cnn = inspectModel(path.join(repo, 'models/mnist-cnn/model.onnx'));
  assert.deepEqual(imageModelFit(cnn), { fits: true, setting: 'modelLab.imageModel', value: cnn.file });
  const bert = inspectModel(path.join(repo, 'models/spam-bert-tiny/model.onnx'));
  assert.deepEqual(textModelFit(bert), { fits: true, setting: 'modelLab.textModel', value: path.join(repo, 'models/spam-bert-tiny') });
});

test('mismatches are refused with the classifier’s own sentence', async () => {
  const cnn = inspectModel(path.join(repo, 'models/mnist-cnn/model.onnx'));
  assert.match(reason(textModelFit(cnn)), /has no input "input_ids" \(its inputs are: input\)/);
  const bert = inspectModel(path.join(repo, 'models/spam-bert-tiny/model.onnx'));
  assert.match(reason(imageModelFit(bert)), /input "input_ids" is int64 \[batch_size, sequence_length\], but the image classifier needs float32/);
  // The example: an int32 NCHW input.
  const int32 = graph([['pixels', 'int32', ['batch', 3, 224, 224]]]);
  const sentence = reason(imageModelFit(inspectModel(int32)));
  assert.match(sentence, /input "pixels" is int32 \[batch, 3, 224, 224\], but the image classifier needs float32/);
  // The same check the loader runs: loading the model fails with the same sentence.
  await assert.rejects(loadImageModel(int32), (err: Error) => err.message === sentence);
  assert.match(reason(imageModelFit(inspectModel(graph([['a', 'float32', ['n', 28, 28, 1]], ['b', 'float32', ['n', 4]]])))), /the model has 2 inputs \(a, b\)/);
  assert.match(reason(imageModelFit(inspectModel(graph([['x', 'float32', ['n', 5, 5, 5]]])))), /has no channel dimension of 1 or 3/);
  // The folder's model.onnx is what the text classifier runs, not a sibling.
  const int8 = inspectModel(path.join(repo, 'models/spam-bert-tiny/model.int8.onnx'));
  assert.equal(reason(textModelFit(int8)), "The text classifier runs the folder's model.onnx, not model.int8.onnx; give this model its own folder with the file named model.onnx.");
  // A BERT without config.json and vocabulary: the model-folder check names what is missing.
  const { file } = writeBert();
  assert.match(reason(textModelFit(inspectModel(file))), /has no config\.json/);
  const ids = graph([['input_ids', 'int64', ['b', 's']], ['pixel_values', 'float32', ['b', 3]]]);
  fs.copyFileSync(path.join(repo, 'models/spam-bert-tiny/config.json'), path.join(path.dirname(ids), 'config.json'));
  fs.copyFileSync(path.join(repo, 'models/spam-bert-tiny/vocab.txt'), path.join(path.dirname(ids), 'vocab.txt'));
  assert.match(reason(textModelFit(inspectModel(ids))), /needs the input "pixel_values", which Model Lab cannot fill/);
});

test('a TensorFlow.js CNN fits the image classifier, not the text classifier', async () => {
  const dir = await writeTfjsCnn();
  const m = inspectModel(path.join(dir, 'model.json'));
  assert.equal(imageModelFit(m).fits, true);
  assert.match(reason(textModelFit(m)), /The text classifier runs ONNX models; .*model\.json is a TensorFlow\.js model\./);
});
