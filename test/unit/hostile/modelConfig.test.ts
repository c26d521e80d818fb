/**
 * Issue #17 defects 10, 12 and 13: config.json is validated with clear messages (input.shape bounded and
 * whole, preprocessing numbers, string labels), never "NaN%"; internal errors become sentences naming the file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../../src/cli';
import { analyzeInputShape, loadImageModel } from '../../../src/vision/imageModel';
import { hostileFiles } from '../../fixtures/hostile/generate';
import { tempDir, writeLinearOnnx } from '../vision/helpers';

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A 2 × 2 grey linear model (dynamic height and width when `dynamic`) with the given config.json. */
function model(config: unknown, dynamic = false): string {
  const dir = writeLinearOnnx(dynamic ? ['batch', 'h', 'w', 1] : [1, 2, 2, 1], [[1, 0], [0, 1], [1, 0], [0, 1]], tempDir('cfg'));
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
  return dir;
}

async function refusedWith(dir: string, pattern: RegExp): Promise<void> {
  await assert.rejects(loadImageModel(dir), (err: Error) => {
    assert.match(err.message, pattern);
    assert.ok(err.message.includes(dir), `names the model folder: ${err.message}`);
    return true;
  });
}

test('defect 10 (input.shape is unbounded): giant, fractional and negative dimensions are refused with a clear message', async () => {
  await refusedWith(model({ input: { shape: [1, 20000.5, 20000, 1] } }, true), /"input\.shape" must list whole numbers from 1 to 65535/);
  await refusedWith(model({ input: { shape: [1, -3, 4, 1] } }, true), /"input\.shape" must list whole numbers/);
  assert.throws(() => analyzeInputShape([1, 20000, 20000, 1], {}, 'm.onnx'), /asks for 20000 × 20000 pixels, more than the 50-megapixel limit/);
  const dir = model({ input: { shape: [1, 20000, 20000, 1] } }, true);
  const t = performance.now();
  await refusedWith(dir, /asks for 20000 × 20000 pixels, more than the 50-megapixel limit/);
  assert.ok(performance.now() - t < 2000);
});

test('defect 12 (silent garbage): preprocessing "abc" / std 0 and non-string id2label are refused; never "NaN%"', async () => {
  await refusedWith(model({ preprocessing: { kind: 'resize', mean: 'abc', std: 0 } }), /"preprocessing\.mean" must be a number or a list of numbers, not "abc"/);
  await refusedWith(model({ preprocessing: { kind: 'resize', std: 0 } }), /"preprocessing\.std" must not be 0/);
  await refusedWith(model({ id2label: { 0: 7, 1: 'b' } }), /"id2label" maps "0" to 7; keys must be class numbers and values strings/);
  await refusedWith(model({ labels: [1, 2] }), /"labels" must be a list of strings/);
  const png = path.join(tempDir('img'), 'a.png');
  fs.copyFileSync(path.resolve(__dirname, '../../fixtures/images', fs.readdirSync(path.resolve(__dirname, '../../fixtures/images')).find((f) => f.endsWith('.png'))!), png);
  const r = await run('classify-image', '--model', model({ preprocessing: { kind: 'resize', mean: 'abc', std: 0 } }), png);
  assert.equal(r.code, 1);
  assert.doesNotMatch(r.out + r.err, /NaN/);
});

test('defect 13 (internal errors leak as messages): non-string fields, a JPEG with no scan data, --max-kb 0', async () => {
  await refusedWith(model({ output: { activation: 5 } }), /"output\.activation" must be a string, not 5/);
  await refusedWith(model({ input: { layout: ['NHWC'] } }), /"input\.layout" must be a string/);
  const jpeg = await run('classify-image', path.join(hostileFiles, 'jpeg-no-scan.jpg'));
  assert.equal(jpeg.code, 1);
  assert.match(jpeg.err, /jpeg-no-scan\.jpg is damaged and cannot be decoded \(its data does not match what its header describes\)/);
  assert.doesNotMatch(jpeg.err, /Cannot read properties|undefined/);
  const maxKb = await run('classify-text', '--max-kb', '0', 'hello');
  assert.equal(maxKb.code, 2);
  assert.match(maxKb.err, /--max-kb must be at least 1 \(got '0'\)/);
});
