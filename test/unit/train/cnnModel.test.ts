import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { loadMnistCorpus, splitMnist } from '../../../src/train/cnn/mnistData';
import { ARTICLE_CNN_PARAMS } from '../../../src/train/cnn/articleCnn';

const modelDir = path.resolve(__dirname, '../../../models/mnist-cnn');

interface MnistCnnConfig {
  model_type: string;
  task: string;
  parameters: number;
  labels: string[];
  id2label: Record<string, string>;
  input: { name: string; shape: (number | null)[]; layout: string; dtype: string };
  output: { name: string; activation: string };
  preprocessing: { kind: string; ink: number; background: number; valueRange: number[] };
  metrics: { heldOut: { accuracy: number; onnxAccuracy: number; count: number; confusionMatrix: number[][] }; parity: { digits: number; maxAbsDifference: number } };
  provenance: { data: { splitSeed: number; heldOutSize: number; trainSize: number; version: string }; command: string; gitCommit: string; date: string; training: { epochs: number; trainingSeconds: number } };
}

test('the committed models/mnist-cnn: config describes the model, ORT reproduces its held-out accuracy', async () => {
  const config = JSON.parse(fs.readFileSync(path.join(modelDir, 'config.json'), 'utf8')) as MnistCnnConfig;
  assert.equal(config.model_type, 'cnn');
  assert.equal(config.task, 'image-classification');
  assert.equal(config.parameters, ARTICLE_CNN_PARAMS);
  assert.deepEqual(config.labels, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  assert.equal(config.id2label['7'], '7');
  assert.deepEqual(config.input, { name: 'input', shape: [null, 28, 28, 1], layout: 'NHWC', dtype: 'float32' });
  assert.equal(config.output.activation, 'softmax');
  assert.equal(config.preprocessing.kind, 'mnist');
  assert.equal(config.preprocessing.ink, 1);
  assert.equal(config.preprocessing.background, 0);
  assert.match(config.provenance.command, /^npm run train:cnn/);
  assert.match(config.provenance.gitCommit, /^[0-9a-f]{40}$/);
  assert.ok(config.metrics.parity.digits >= 100 && config.metrics.parity.maxAbsDifference < 1e-4);
  assert.ok(config.metrics.heldOut.accuracy >= 0.985, `held-out accuracy ${config.metrics.heldOut.accuracy}`);

  // Re-derive the held-out split from the recorded seed and run the committed ONNX file on it.
  const { test: heldOut } = splitMnist(loadMnistCorpus(), config.provenance.data.heldOutSize, config.provenance.data.splitSeed);
  const session = await ort.InferenceSession.create(path.join(modelDir, 'model.onnx'));
  try {
    assert.deepEqual(session.inputNames, [config.input.name]);
    assert.deepEqual(session.outputNames, [config.output.name]);
    const out = await session.run({ [config.input.name]: new ort.Tensor('float32', heldOut.images, [heldOut.count, 28, 28, 1]) });
    const probs = out[config.output.name].data as Float32Array;
    let correct = 0;
    const confusion = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
    for (let i = 0; i < heldOut.count; i++) {
      const row = probs.subarray(i * 10, i * 10 + 10);
      const predicted = row.indexOf(Math.max(...row));
      confusion[heldOut.labels[i]][predicted]++;
      if (predicted === heldOut.labels[i]) correct++;
      // Softmax is inside the graph: rows are probabilities.
      assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-4);
    }
    assert.equal(correct / heldOut.count, config.metrics.heldOut.onnxAccuracy);
    // The recorded confusion matrix comes from tfjs; ORT may flip a near-tie digit, nothing more.
    let confusionDiff = 0;
    confusion.forEach((row, t) => row.forEach((n, p) => (confusionDiff += Math.abs(n - config.metrics.heldOut.confusionMatrix[t][p]))));
    assert.ok(confusionDiff <= 2, `confusion matrices differ by ${confusionDiff} counts`);
    assert.ok(Math.abs(config.metrics.heldOut.onnxAccuracy - config.metrics.heldOut.accuracy) <= 1 / heldOut.count);
  } finally {
    await session.release();
  }
});
