import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { hasCode } from './helpers';
import { tempDir, writeBert } from './fixtures';
import { inspectModel } from '../../../src/inspector/inspect';
import { MAX_ONNX_FILE_BYTES } from '../../../src/inspector/onnxScanner';
import { main } from '../../../src/cli';
import { decodeModel, encodeModel } from '../../../src/train/onnx/graphBuilder';
import { writeTfjsCnn } from '../vision/helpers';

const repo = path.resolve(__dirname, '../../..');

function write(name: string, bytes: Uint8Array | string): string {
  const file = path.join(tempDir('bad'), name);
  fs.writeFileSync(file, bytes);
  return file;
}

async function cli(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

test('a truncated ONNX file: "truncated", naming where it ends; the CLI exits 1 with the sentence', async () => {
  const bytes = fs.readFileSync(path.join(repo, 'models/mnist-cnn/model.onnx'));
  for (const cut of [10, 1000, bytes.length - 10]) {
    const file = write('model.onnx', bytes.subarray(0, cut));
    assert.throws(() => inspectModel(file), hasCode('truncated', new RegExp(`is truncated: it ends at byte ${cut}`)), `cut at ${cut}`);
  }
  const file = write('model.onnx', bytes.subarray(0, 5000));
  const r = await cli(['inspect', file]);
  assert.equal(r.code, 1);
  assert.match(r.err.join('\n'), /is truncated/);
});

test('a corrupt ONNX file: a field longer than its message, an invalid wire type', () => {
  // ir_version 8, then a graph (field 7) of 4 bytes whose node (field 1) claims 16.
  const longer = write('model.onnx', Uint8Array.from([0x08, 0x08, 0x3a, 0x04, 0x0a, 0x10, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
  assert.throws(() => inspectModel(longer), hasCode('corrupt', /is damaged at byte \d+ \(a field longer than its enclosing/));
  // ir_version 8, then a tag with wire type 7.
  const wire = write('model.onnx', Uint8Array.from([0x08, 0x08, 0x3f, 0x01]));
  assert.throws(() => inspectModel(wire), hasCode('corrupt', /invalid field tag/));
  // A weight whose raw_data does not fill its shape.
  const model = decodeModel(writeBert().bytes);
  const bias = model.graph!.initializer!.find((t) => t.name === 'classifier.bias')!;
  bias.rawData = bias.rawData!.subarray(0, 8);
  const short = write('model.onnx', encodeModel(model));
  assert.throws(() => inspectModel(short), hasCode('corrupt', /"classifier.bias" has 8 bytes of data, but its shape \[3\] of float32 needs 12/));
});

test('files that are not ONNX: a PNG, a text file, protobuf without a graph', async () => {
  const png = write('model.onnx', fs.readFileSync(path.join(repo, 'media/icon.png')));
  assert.throws(() => inspectModel(png), hasCode('notOnnx', /is not an ONNX model \(it is a PNG image\)/));
  const text = write('model.onnx', 'hello, this is not a model\n');
  assert.throws(() => inspectModel(text), hasCode('notOnnx', /it is a text file/));
  const noGraph = write('model.onnx', Uint8Array.from([0x08, 0x08, 0x12, 0x02, 0x61, 0x62]));
  assert.throws(() => inspectModel(noGraph), hasCode('notOnnx', /it has no graph/));
  const otherProto = write('model.onnx', Uint8Array.from([0x80, 0x01, 0x05]));
  assert.throws(() => inspectModel(otherProto), hasCode('notOnnx'));
  const empty = write('model.onnx', new Uint8Array(0));
  assert.throws(() => inspectModel(empty), hasCode('empty'));
  assert.throws(() => inspectModel(write('model.bin', 'x')), hasCode('unsupportedFile'));
  assert.throws(() => inspectModel(path.join(tempDir('none'), 'model.onnx')), hasCode('notFound'));
  const r = await cli(['inspect', png]);
  assert.equal(r.code, 1);
  assert.match(r.err[0], /not an ONNX model/);
});

test('an ONNX file over 2 GB: a clear message (checked on a sparse file, nothing is read)', () => {
  const file = path.join(tempDir('huge'), 'model.onnx');
  fs.writeFileSync(file, Uint8Array.from([0x08, 0x08]));
  fs.truncateSync(file, MAX_ONNX_FILE_BYTES + 1);
  assert.throws(() => inspectModel(file), hasCode('tooLarge', /cannot be larger than 2 GB.*external data/));
});

test('model.json: weight paths outside the folder (relative, absolute, URL), missing and short shards', async () => {
  const good = await writeTfjsCnn();
  const json = JSON.parse(fs.readFileSync(path.join(good, 'model.json'), 'utf8')) as { weightsManifest: { paths: string[] }[] };
  const shard = fs.readFileSync(path.join(good, 'group1-shard1of1.bin'));
  const variant = (paths: string[], files: Record<string, Uint8Array> = {}): string => {
    const dir = tempDir('tfjs');
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify({ ...json, weightsManifest: [{ ...json.weightsManifest[0], paths }] }));
    for (const [name, bytes] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), bytes);
    return path.join(dir, 'model.json');
  };
  // The outside file exists and is complete: refused all the same, never read.
  const outsideDir = tempDir('outside');
  fs.writeFileSync(path.join(outsideDir, 'weights.bin'), shard);
  assert.throws(() => inspectModel(variant([`../${path.basename(outsideDir)}/weights.bin`])), hasCode('weightsOutside', /outside the model's folder/));
  assert.throws(() => inspectModel(variant([path.join(outsideDir, 'weights.bin')])), hasCode('weightsOutside'));
  assert.throws(() => inspectModel(variant(['%2E%2E/secret.bin'])), hasCode('weightsOutside'));
  assert.throws(() => inspectModel(variant(['https://example.com/weights.bin'])), hasCode('weightsOutside'));
  const linkDir = variant(['link.bin']);
  fs.symlinkSync(path.join(outsideDir, 'weights.bin'), path.join(path.dirname(linkDir), 'link.bin'));
  assert.throws(() => inspectModel(linkDir), hasCode('weightsOutside'));
  assert.throws(() => inspectModel(variant(['group1-shard1of1.bin'])), hasCode('weightsMissing', /does not exist/));
  assert.throws(() => inspectModel(variant(['group1-shard1of1.bin'], { 'group1-shard1of1.bin': shard.subarray(0, 100) })), hasCode('weightsShort', /hold 100 bytes/));
  // Split across two shards: fine.
  const split = variant(['a.bin', 'b.bin'], { 'a.bin': shard.subarray(0, 333), 'b.bin': shard.subarray(333) });
  assert.equal(inspectModel(split).weights.length, 6);
  const notJson = variant([]);
  fs.writeFileSync(notJson, '{ "modelTopology": ');
  assert.throws(() => inspectModel(notJson), hasCode('tfjsInvalid', /not valid JSON/));
  const otherJson = variant([]);
  fs.writeFileSync(otherJson, '{ "name": "my-package" }');
  assert.throws(() => inspectModel(otherJson), hasCode('tfjsInvalid', /neither "modelTopology" nor "weightsManifest"/));
  const r = await cli(['inspect', variant([`../${path.basename(outsideDir)}/weights.bin`])]);
  assert.equal(r.code, 1);
  assert.match(r.err[0], /outside the model's folder/);
});
