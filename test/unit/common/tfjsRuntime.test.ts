import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as umbrella from '@tensorflow/tfjs';
import { tf } from '../../../src/common/tfjsRuntime';

// What the shipped runtime leaves out of `import * as tf from '@tensorflow/tfjs'`, on purpose: tfjs-converter
// (graph models), tfjs-data, the WebGL backend, and the cpu backend's own class exports.
const LEFT_OUT = new Set([
  'data', 'GraphModel', 'loadGraphModel', 'loadGraphModelSync', 'registerOp', 'deregisterOp', 'version_converter',
  'MathBackendWebGL', 'GPGPUContext', 'gpgpu_util', 'webgl', 'webgl_util', 'setWebGLContext', 'forceHalfFloat', 'version_webgl',
  'MathBackendCPU', 'shared', 'version_cpu',
]);

test('the shipped tfjs API has every name of @tensorflow/tfjs but the converter, data and WebGL ones', () => {
  // `default` is the CommonJS interop wrapper tsx adds to the umbrella's namespace, not a tfjs name.
  const missing = Object.keys(umbrella).filter((name) => name !== 'default' && !(name in tf) && !LEFT_OUT.has(name));
  assert.deepEqual(missing, []);
  assert.equal(tf.version.tfjs, umbrella.version.tfjs);
  for (const name of ['sequential', 'loadLayersModel', 'tensor', 'grad', 'variable', 'registerKernel', 'getKernel']) assert.equal(typeof (tf as Record<string, unknown>)[name], 'function', name);
  assert.equal(typeof tf.layers.conv2d, 'function');
  assert.equal(typeof tf.train.adam, 'function');
});

test('importing the runtime alone registers the cpu and wasm backends, the chained ops and the gradients', () => {
  // In a fresh process: the umbrella imported above registers most of these itself, and the registries are global.
  const probe = `
    const { tf } = require(${JSON.stringify(path.resolve(__dirname, '../../../src/common/tfjsRuntime.ts'))});
    (async () => {
      const ok = await tf.setBackend('cpu');
      const x = tf.tensor1d([1, 2, 3]);
      console.log(JSON.stringify({
        ok, cpu: !!tf.findBackendFactory('cpu'), wasm: !!tf.findBackendFactory('wasm'),
        squareSum: Array.from(x.square().sum().dataSync()),
        grad: Array.from(tf.grad((v) => v.square().sum())(x).dataSync()),
        conv2dGrad: !!tf.getGradient('Conv2D'),
      }));
    })();`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', probe], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const line = r.stdout.split('\n').find((l) => l.startsWith('{'));
  assert.ok(line, r.stdout + r.stderr);
  assert.deepEqual(JSON.parse(line), { ok: true, cpu: true, wasm: true, squareSum: [14], grad: [2, 4, 6], conv2dGrad: true });
});
