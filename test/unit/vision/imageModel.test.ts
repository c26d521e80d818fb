import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ImageClassifier } from '../../../src/vision/classifier';
import { CodedError, hasErrorCode } from '../../../src/common/errors';
import type { VisionErrorCode } from '../../../src/vision/errors';
import { analyzeInputShape, loadImageModel } from '../../../src/vision/imageModel';
import { main } from '../../../src/cli';
import { OnnxGraphBuilder } from '../../../src/train/onnx/graphBuilder';
import { WorkerClient } from '../../../src/common/workerClient';
import { classifyImageFile, classifyImageFiles, classifyInk, describeImageModel } from '../../../src/workers/imageProtocol';
import { encodePng, rgba, tempDir, writeLinearOnnx, writeOnnxCnn, writeTfjsCnn } from './helpers';

async function rejectsWith(p: Promise<unknown>, code: VisionErrorCode, part?: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof CodedError, String(e));
    assert.equal(e.code, code, e.message);
    if (part) assert.match(e.message, part);
    return true;
  });
}

/** A dark-on-light "digit": a thick bar, as a PNG. */
function digitPng(size = 64): Buffer {
  return encodePng(size, size, rgba(size, size, (x, y) => (x > size * 0.4 && x < size * 0.6 && y > size * 0.15 && y < size * 0.85 ? [20, 20, 20, 255] : [250, 250, 250, 255])));
}

test('input layout is read from the shape: the 1- or 3-channel dim', () => {
  const a = (shape: (number | string | null)[], config = {}) => analyzeInputShape(shape, config, 'm');
  assert.deepEqual(a([null, 28, 28, 1]), { layout: 'NHWC', geometry: { height: 28, width: 28, channels: 1 }, singleBatch: false });
  assert.deepEqual(a([1, 1, 28, 28]), { layout: 'NCHW', geometry: { height: 28, width: 28, channels: 1 }, singleBatch: true });
  assert.deepEqual(a(['N', 3, 32, 24]), { layout: 'NCHW', geometry: { height: 32, width: 24, channels: 3 }, singleBatch: false });
  assert.deepEqual(a(['batch', 224, 224, 3]).layout, 'NHWC');
  assert.deepEqual(a([null, 784]), { layout: 'flat', geometry: { height: 28, width: 28, channels: 1 }, singleBatch: false });
  assert.deepEqual(a([null, 28, 28]).layout, 'NHW');
  // Symbolic height/width filled from config.json input.shape.
  assert.deepEqual(a([null, 'h', 'w', 3], { input: { shape: [null, 64, 48, 3] } }).geometry, { height: 64, width: 48, channels: 3 });
  assert.throws(() => a([null, 5, 5, 5]), (e: unknown) => e instanceof CodedError && e.code === 'modelInput' && /no channel dimension/.test(e.message));
  assert.throws(() => a([null, 'h', 'w', 3]), /leaves the image size open/);
  assert.throws(() => a([null, 780]), /not a square/);
});

/** Weights so that class c's logit is 10 × (sum of channel c): flat index → channel depends on the layout. */
function channelSumWeights(layout: 'NCHW' | 'NHWC', side: number): number[][] {
  const plane = side * side;
  return Array.from({ length: plane * 3 }, (_, i) => {
    const channel = layout === 'NCHW' ? Math.floor(i / plane) : i % 3;
    return [0, 1, 2].map((c) => (c === channel ? 10 / plane : 0));
  });
}

for (const layout of ['NCHW', 'NHWC'] as const) {
  test(`a ${layout} 3-channel ONNX model gets its channels in the right order (labels from labels.txt)`, async () => {
    const dims = layout === 'NCHW' ? ['N', 3, 4, 4] : ['N', 4, 4, 3];
    const dir = writeLinearOnnx(dims, channelSumWeights(layout, 4));
    fs.writeFileSync(path.join(dir, 'labels.txt'), 'red\ngreen\nblue\n');
    const c = await ImageClassifier.load(dir);
    assert.equal(c.info.layout, layout);
    assert.equal(c.info.preprocessing.kind, 'resize');
    for (const [name, colour] of [['red', [255, 0, 0, 255]], ['green', [0, 255, 0, 255]], ['blue', [0, 0, 255, 255]]] as const) {
      const r = await c.classifyBytes(encodePng(8, 8, rgba(8, 8, () => colour)), `${name}.png`);
      assert.equal(r.label, name);
      // logits 10, 0, 0 → softmax e^10 / (e^10 + 2)
      assert.ok(Math.abs(r.score - Math.exp(10) / (Math.exp(10) + 2)) < 1e-4, String(r.score));
    }
    await c.dispose();
  });
}

test('ONNX export and tfjs model.json of the same CNN give the same probabilities', async () => {
  const onnx = await ImageClassifier.load(await writeOnnxCnn());
  const tfjs = await ImageClassifier.load(await writeTfjsCnn());
  assert.equal(onnx.info.kind, 'onnx');
  assert.equal(tfjs.info.kind, 'tfjs');
  assert.equal(tfjs.info.layout, 'NHWC');
  assert.deepEqual(onnx.info.labels.slice(0, 2), ['zero', 'one']); // from config.json labels
  assert.deepEqual(tfjs.info.labels.slice(0, 2), ['0', '1']); // no config: 0..n-1
  const a = await onnx.classifyBytes(digitPng(), 'd.png');
  const b = await tfjs.classifyBytes(digitPng(), 'd.png');
  assert.equal(a.top[0].index, b.top[0].index);
  a.top.forEach((p, i) => assert.ok(Math.abs(p.score - b.top[i].score) < 1e-4, `${p.score} vs ${b.top[i].score}`));
  const sum = a.top.reduce((s, p) => s + p.score, 0);
  assert.ok(sum > 0 && sum <= 1 + 1e-6);
  assert.ok(a.timings.decodeMs >= 0 && a.timings.inferMs > 0);
  await onnx.dispose();
  await tfjs.dispose();
});

test('id2label in config.json names the classes', async () => {
  const dir = await writeOnnxCnn({ labels: undefined, id2label: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [String(i), `digit ${i}`])) });
  const c = await ImageClassifier.load(dir);
  assert.equal(c.info.labels[7], 'digit 7');
  await c.dispose();
});

test('bad models: missing, corrupt bytes, broken config.json, wrong input type or shape', async () => {
  await rejectsWith(loadImageModel('/nonexistent/model/dir'), 'modelMissing', /modelLab\.imageModel/);
  await rejectsWith(loadImageModel(tempDir('empty-model')), 'modelMissing');
  const corrupt = tempDir('corrupt');
  fs.writeFileSync(path.join(corrupt, 'model.onnx'), 'this is not a protobuf');
  await rejectsWith(loadImageModel(corrupt), 'modelCorrupt', /could not be loaded/);
  const badConfig = await writeOnnxCnn();
  fs.writeFileSync(path.join(badConfig, 'config.json'), '{ "labels": [1, 2');
  await rejectsWith(loadImageModel(badConfig), 'modelCorrupt', /config\.json/);
  await rejectsWith(loadImageModel(writeLinearOnnx(['N', 5, 5, 5], Array.from({ length: 125 }, () => [1, 0]))), 'modelInput', /no channel dimension/);
  // An int64 input (a text model, say) is refused with the reason.
  const g = new OnnxGraphBuilder();
  g.addInput('ids', 'int64', ['N', 8]);
  const y = g.op('Cast', ['ids'], { to: 1 }, 'y');
  g.addOutput(y, 'float32', ['N', 8]);
  const intDir = tempDir('int-input');
  fs.writeFileSync(path.join(intDir, 'model.onnx'), g.toBytes());
  await rejectsWith(loadImageModel(intDir), 'modelInput', /input "ids" is int64 \[N, 8\], but the image classifier needs float32/);
  const tfjsBroken = tempDir('tfjs-broken');
  fs.writeFileSync(path.join(tfjsBroken, 'model.json'), JSON.stringify({ format: 'layers-model', weightsManifest: [] }));
  await rejectsWith(loadImageModel(tfjsBroken), 'modelCorrupt', /modelTopology/);
});

let worker: WorkerClient | undefined;
after(() => worker?.dispose());

test('image worker: cached model, file and ink classification, per-file errors in a batch', async () => {
  const modelDir = await writeOnnxCnn();
  const files = tempDir('worker-files');
  const good = path.join(files, 'good.png');
  fs.writeFileSync(good, digitPng());
  const empty = path.join(files, 'empty.png');
  fs.writeFileSync(empty, '');
  worker = new WorkerClient(path.resolve(__dirname, '../../../src/workers/imageWorker.ts'));
  const described = await worker.call(describeImageModel, { model: modelDir });
  assert.equal(described.name, 'test-cnn');
  const one = await worker.call(classifyImageFile, { model: modelDir, file: good, preview: true });
  assert.ok(one.previewPng && Buffer.from(one.previewPng, 'base64').subarray(1, 4).toString() === 'PNG');
  const batch = await worker.call(classifyImageFiles, { model: modelDir, files: [good, empty, path.join(files, 'missing.png')] });
  assert.deepEqual(batch.outcomes.map((o) => (o.ok ? 'ok' : o.error.code)), ['ok', 'empty', 'unreadable']);
  // The same bar drawn as ink (bright on dark) gives the same prediction as the file.
  const ink = new Uint8Array(56 * 56);
  for (let y = 0; y < 56; y++) for (let x = 0; x < 56; x++) if (x > 56 * 0.4 && x < 56 * 0.6 && y > 56 * 0.15 && y < 56 * 0.85) ink[y * 56 + x] = 255;
  const drawn = await worker.call(classifyInk, { model: modelDir, ink, width: 56, height: 56 });
  assert.equal(drawn.result.label, one.label);
  // Errors come back as rejections carrying the code (the same way for every worker).
  await assert.rejects(worker.call(classifyInk, { model: modelDir, ink: new Uint8Array(56 * 56), width: 56, height: 56 }), (e: unknown) => hasErrorCode(e, 'blank'));
  await assert.rejects(worker.call(classifyImageFile, { model: '/no/such/model', file: good, preview: false }), (e: unknown) => hasErrorCode(e, 'modelMissing'));
});

test('CLI classify-image: label, score, top-3 per file; errors per file and exit 1', async () => {
  const modelDir = await writeOnnxCnn();
  const dir = tempDir('cli');
  const good = path.join(dir, 'good.png');
  fs.writeFileSync(good, digitPng());
  const bad = path.join(dir, 'notes.png');
  fs.writeFileSync(bad, 'plain text');
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
  assert.equal(await main(['classify-image', '--model', modelDir, good], io), 0);
  assert.match(out[0], /good\.png\t\w+\t\d+\.\d%\t\[\w+ \d+\.\d%, \w+ \d+\.\d%, \w+ \d+\.\d%\]/);
  out.length = 0;
  assert.equal(await main(['classify-image', '--model', modelDir, '--json', good, bad], io), 1);
  const rows = out.map((l) => JSON.parse(l) as { file: string; label?: string; top?: unknown[]; code?: string });
  assert.equal(rows[0].top?.length, 3);
  assert.equal(rows[1].code, 'notImage');
  assert.match(err.join('\n'), /notes\.png: .*not an image/);
  assert.equal(await main(['classify-image'], io), 2);
  assert.equal(await main(['classify-image', '--model', '/no/model', good], io), 1);
});
