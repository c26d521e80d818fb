import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeTfjsRuntime, loadTfjs } from '../../../src/common/tfjsBackend';
import { main } from '../../../src/cli';

function tfjsNodeInstalled(): boolean {
  try {
    require.resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

test('picks the best backend that loads and says which, and why better ones were skipped', async () => {
  const rt = await loadTfjs();
  if (tfjsNodeInstalled()) {
    assert.equal(rt.backend, 'tensorflow');
  } else {
    // The offline case: tfjs-node's install script could not download libtensorflow, so npm left it out.
    assert.equal(rt.backend, 'wasm');
    assert.match(rt.skipped.join(' '), /^tensorflow: /);
  }
  assert.equal(rt.tf.getBackend(), rt.backend);
  assert.match(describeTfjsRuntime(rt), new RegExp(`^TensorFlow.js backend: ${rt.backend}`));
  // The backend really computes.
  const sum = rt.tf.tidy(() => rt.tf.tensor1d([1, 2, 3]).sum().dataSync()[0]);
  assert.equal(sum, 6);
});

test('a forced backend is honoured (the cpu fallback works)', async () => {
  const rt = await loadTfjs('cpu');
  assert.equal(rt.backend, 'cpu');
});

test('`model-lab backend --json` names onnxruntime-node and the tfjs backend', async () => {
  const out: string[] = [];
  const code = await main(['backend', '--json'], { out: (l) => out.push(l), err: () => undefined });
  assert.equal(code, 0);
  const report = JSON.parse(out.join('\n'));
  assert.match(report.onnxruntime, /^\d+\.\d+/);
  assert.ok(['tensorflow', 'wasm', 'cpu'].includes(report.tfjsBackend));
});
