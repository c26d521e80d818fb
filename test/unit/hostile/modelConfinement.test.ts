/**
 * Issue #17 defect 5: a model folder cannot make Model Lab read files outside it — tfjs `model.json` weight
 * paths are confined (`..`, absolute paths, symlinks), onnxruntime confines ONNX external data itself, and an
 * untrusted workspace cannot choose the model.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { OnnxGraphBuilder } from '../../../src/train/onnx/graphBuilder';
import { onnx } from 'onnx-proto';
import { loadImageModel } from '../../../src/vision/imageModel';
import { CodedError } from '../../../src/common/errors';
import { tempDir, writeTfjsCnn } from '../vision/helpers';

/** The small CNN as model.json, its weight shard moved to `shardAt` and listed in model.json as `listedAs`. */
async function tfjsWithShard(listedAs: (dir: string) => string, place: (dir: string, shard: Buffer) => void): Promise<string> {
  const dir = await writeTfjsCnn();
  const shardFile = path.join(dir, 'group1-shard1of1.bin');
  const shard = fs.readFileSync(shardFile);
  fs.rmSync(shardFile);
  place(dir, shard);
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
  json.weightsManifest[0].paths = [listedAs(dir)];
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
  return dir;
}

async function refused(dir: string, pattern: RegExp): Promise<void> {
  let caught: unknown;
  try {
    const model = await loadImageModel(dir);
    await model.dispose();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof CodedError, `expected a coded error, got ${String(caught)}`);
  assert.equal(caught.code, 'modelCorrupt');
  assert.match(caught.message, pattern);
}

test('defect 5 (tfjs weight paths escape the model folder): "../secret.bin" is refused, not read as weights', async () => {
  const dir = await tfjsWithShard(
    () => '../secret.bin',
    (d, shard) => fs.writeFileSync(path.join(path.dirname(d), 'secret.bin'), shard),
  );
  await refused(dir, /weight file "\.\.\/secret\.bin", which is outside the model folder/);
});

test('defect 5: an absolute weight path and a URL-encoded "..%2F" are refused', async () => {
  const secret = path.join(tempDir('secret'), 'secret.bin');
  const abs = await tfjsWithShard(() => secret, (_d, shard) => fs.writeFileSync(secret, shard));
  await refused(abs, /outside the model folder/);
  const encoded = await tfjsWithShard(
    () => '..%2Fsecret2.bin',
    (d, shard) => fs.writeFileSync(path.join(path.dirname(d), 'secret2.bin'), shard),
  );
  await refused(encoded, /"\.\.\/secret2\.bin", which is outside the model folder/);
});

test('defect 5: a weight file that is a symlink to a file outside the folder is refused (realpath)', async () => {
  const secret = path.join(tempDir('secret'), 'secret.bin');
  const dir = await tfjsWithShard(
    () => 'weights.bin',
    (d, shard) => {
      fs.writeFileSync(secret, shard);
      fs.symlinkSync(secret, path.join(d, 'weights.bin'));
    },
  );
  await refused(dir, /"weights\.bin", which is outside the model folder/);
});

test('defect 5: a shard inside the folder larger than the manifest describes is refused, not read whole', async () => {
  const dir = await tfjsWithShard(
    () => 'big.bin',
    (d, shard) => fs.writeFileSync(path.join(d, 'big.bin'), Buffer.concat([shard, Buffer.alloc(1024)])),
  );
  await refused(dir, /big\.bin is .* more than the .* limit for the weights model\.json describes/);
});

test('defect 5: a weight shard inside the folder (also through a symlink that stays inside) still loads', async () => {
  const dir = await tfjsWithShard(
    () => 'link.bin',
    (d, shard) => {
      fs.mkdirSync(path.join(d, 'shards'));
      fs.writeFileSync(path.join(d, 'shards', 'real.bin'), shard);
      fs.symlinkSync(path.join(d, 'shards', 'real.bin'), path.join(d, 'link.bin'));
    },
  );
  const model = await loadImageModel(dir);
  assert.equal(model.info.kind, 'tfjs');
  await model.dispose();
});

test('defect 5: onnxruntime refuses ONNX external data outside the model folder (../secret.bin)', async () => {
  const root = tempDir('onnx-external');
  const dir = path.join(root, 'model');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(root, 'secret.bin'), Buffer.from(new Float32Array([1, 2, 3, 4]).buffer));
  const g = new OnnxGraphBuilder({ graphName: 'external' });
  g.addInput('x', 'float32', [1, 4]);
  const w = g.addInitializer('W', new Float32Array(4), [1, 4]);
  g.addOutput(g.op('Add', ['x', w], {}, 'y'), 'float32', [1, 4]);
  const model = g.toModelProto();
  const init = model.graph!.initializer![0]!;
  init.rawData = new Uint8Array(0);
  init.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL;
  init.externalData = [
    onnx.StringStringEntryProto.create({ key: 'location', value: '../secret.bin' }),
    onnx.StringStringEntryProto.create({ key: 'length', value: '16' }),
  ];
  const file = path.join(dir, 'model.onnx');
  fs.writeFileSync(file, onnx.ModelProto.encode(model).finish());
  // The control: the same model with its data inside the folder loads, so the refusal is about the path.
  const inside = path.join(root, 'inside');
  fs.mkdirSync(inside);
  fs.copyFileSync(path.join(root, 'secret.bin'), path.join(inside, 'data.bin'));
  init.externalData[0] = onnx.StringStringEntryProto.create({ key: 'location', value: 'data.bin' });
  fs.writeFileSync(path.join(inside, 'model.onnx'), onnx.ModelProto.encode(model).finish());
  const ok = await ort.InferenceSession.create(path.join(inside, 'model.onnx'));
  const y = await ok.run({ x: new ort.Tensor('float32', new Float32Array(4), [1, 4]) });
  assert.deepEqual(Array.from(y[ok.outputNames[0]!]!.data as Float32Array), [1, 2, 3, 4]);
  await ok.release();

  await assert.rejects(ort.InferenceSession.create(file), /external data|outside|escapes|\.\./i);
  await refused(dir, /could not be loaded/);
});

test('defect 5: modelLab.imageModel and modelLab.textModel are restricted in untrusted workspaces', () => {
  const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8'));
  const restricted: string[] = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations ?? [];
  assert.ok(restricted.includes('modelLab.imageModel'), 'modelLab.imageModel is restricted');
  assert.ok(restricted.includes('modelLab.textModel'), 'modelLab.textModel is restricted');
});
