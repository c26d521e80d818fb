import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { trainCnn } from '../../../src/train/cnn/trainCnn';

interface WrittenConfig {
  metrics: { heldOut: { accuracy: number; confusionMatrix: number[][] }; parity: { maxAbsDifference: number }; history: { loss: number; accuracy: number }[] };
  provenance: { data: { trainSize: number; heldOutSize: number; splitSeed: number }; training: { backend: string } };
}

test('train:cnn end to end on a small slice: writes model.onnx + config.json, and the same seed reproduces the metrics', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnn-train-'));
  try {
    const runs: WrittenConfig[] = [];
    for (const name of ['a', 'b']) {
      const out = path.join(dir, name);
      const lines: string[] = [];
      await trainCnn({ seed: 3, epochs: 1, batchSize: 32, heldOut: 100, augment: true, limit: 96, out, backend: 'wasm' }, (l) => lines.push(l));
      assert.ok(lines.some((l) => l.startsWith('epoch 1/1')), lines.join('\n'));
      assert.deepEqual(fs.readdirSync(out).sort(), ['config.json', 'model.onnx']);
      assert.deepEqual(fs.readdirSync(dir).filter((f) => f.includes('.tmp-') || f.includes('.old-')), [], 'no temp folders left');
      runs.push(JSON.parse(fs.readFileSync(path.join(out, 'config.json'), 'utf8')) as WrittenConfig);
    }
    const [a, b] = runs;
    assert.equal(a.provenance.data.trainSize, 96);
    assert.equal(a.provenance.data.heldOutSize, 100);
    assert.equal(a.provenance.training.backend, 'wasm');
    assert.ok(a.metrics.parity.maxAbsDifference < 1e-4);
    assert.equal(a.metrics.history[0].loss, b.metrics.history[0].loss, 'same seed, same loss');
    assert.equal(a.metrics.heldOut.accuracy, b.metrics.heldOut.accuracy);
    assert.deepEqual(a.metrics.heldOut.confusionMatrix, b.metrics.heldOut.confusionMatrix);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
