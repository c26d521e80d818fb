import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { main } from '../../../src/cli';
import { writeBert } from './fixtures';
import { writeTfjsCnn } from '../vision/helpers';

const repo = path.resolve(__dirname, '../../..');

async function cli(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

test('model-lab inspect: summary and operator histogram of the bundled CNN', async () => {
  const r = await cli(['inspect', path.join(repo, 'models/mnist-cnn/model.onnx')]);
  assert.equal(r.code, 0, r.err.join('\n'));
  const text = r.out.join('\n');
  assert.match(text, /^model\.onnx — ONNX, IR 8, opset ai\.onnx 17/);
  assert.match(text, /input\s+float32\s+\[batch_size, 28, 28, 1\]/);
  assert.match(text, /Parameters: 93,322/);
  assert.match(text, /Operators: 16 nodes, 8 types\n\s+Relu\s+4\n\s+Conv\s+3/);
});

test('model-lab inspect --json --benchmark: the same facts as JSON, with p50/p95 and a per-operator profile', async () => {
  const { file } = writeBert();
  const r = await cli(['inspect', file, '--json', '--benchmark', '--runs', '5', '--dim', 'sequence_length=16']);
  assert.equal(r.code, 0, r.err.join('\n'));
  assert.equal(r.out.length, 1);
  const j = JSON.parse(r.out[0]) as {
    parameterCount: number;
    inputs: { name: string; dims: unknown[] }[];
    operators: { opType: string; count: number }[];
    benchmark: { runs: number; p50Ms: number; p95Ms: number; inputs: { dims: number[] }[]; profile: { byOpType: { opType: string; ms: number; share: number }[]; slowestNodes: unknown[] } };
  };
  assert.ok(j.parameterCount > 0);
  assert.deepEqual(j.inputs[0].dims, ['batch_size', 'sequence_length']);
  assert.ok(j.operators.some((o) => o.opType === 'LayerNormalization'));
  const b = j.benchmark;
  assert.equal(b.runs, 5);
  assert.deepEqual(b.inputs[0].dims, [1, 16]);
  assert.ok(b.p50Ms > 0 && b.p95Ms >= b.p50Ms);
  assert.ok(b.profile.byOpType.length > 0);
  assert.ok(Math.abs(b.profile.byOpType.reduce((a, o) => a + o.share, 0) - 1) < 1e-6);
  assert.ok(b.profile.slowestNodes.length > 0 && b.profile.slowestNodes.length <= 10);
});

test('model-lab inspect: usage errors exit 2', async () => {
  assert.equal((await cli(['inspect'])).code, 2);
  assert.equal((await cli(['inspect', 'a.onnx', '--nope'])).code, 2);
  assert.equal((await cli(['inspect', 'a.onnx', '--dim', 'batch'])).code, 2);
  assert.equal((await cli(['inspect', 'a.onnx', '--runs', '0'])).code, 2);
});

test('model-lab inspect --benchmark on a tfjs model.json: exit 1 with the reason', async () => {
  const dir = await writeTfjsCnn();
  const r = await cli(['inspect', path.join(dir, 'model.json'), '--benchmark']);
  assert.equal(r.code, 1);
  assert.match(r.err.join('\n'), /runs ONNX models with onnxruntime-node/);
  assert.match(r.out.join('\n'), /TensorFlow\.js layers model/);
});
