// "Copy Result as JSON" for one image, on the bundled digit model and a real example image: before Explain
// the result alone (no preview bytes, no `saliency`); after it, the occlusion grid under `saliency` exactly
// as `classify-image --explain --json` prints it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../../src/cli';
import { bundledImageModelDir } from '../../../src/cli/classifyImageSubcommand';
import { ImageClassifier } from '../../../src/vision/classifier';
import { occlusionSaliency } from '../../../src/vision/explain';
import { imageResultToJson } from '../../../src/vision/resultJson';

const seven = path.resolve(__dirname, '../../../examples/images/seven.png');

/** What the image worker's explainFile returns: the result with its preview, and the grid. */
async function explained() {
  const c = await ImageClassifier.load(bundledImageModelDir());
  try {
    const prepared = await c.prepareBytes(new Uint8Array(fs.readFileSync(seven)), 'seven.png', seven);
    const [result] = await c.infer([prepared], { preview: true });
    return { result, saliency: await occlusionSaliency(c, prepared.input) };
  } finally {
    await c.dispose();
  }
}

test('before Explain: the result without its preview bytes and without a saliency key', async () => {
  const { result } = await explained();
  assert.ok(result.previewPng, 'the panel\'s result carries a preview');
  const copied = JSON.parse(imageResultToJson(result));
  assert.equal('saliency' in copied, false);
  assert.equal('previewPng' in copied, false);
  assert.deepEqual(copied, JSON.parse(JSON.stringify({ ...result, previewPng: undefined })));
});

test('after Explain: `saliency` has the shape and values classify-image --explain --json prints', async () => {
  const { result, saliency } = await explained();
  const copied = JSON.parse(imageResultToJson(result, saliency));
  assert.equal('previewPng' in copied, false);
  assert.equal(copied.label, result.label);

  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['classify-image', '--json', '--explain', seven], { out: (l) => out.push(l), err: (l) => err.push(l) });
  assert.equal(code, 0, err.join('\n'));
  const cli = JSON.parse(out[0]).saliency;
  // Timing differs between runs; every other field, the grid included, must match.
  const untimed = ({ elapsedMs, ...g }: { elapsedMs: number }) => (assert.equal(typeof elapsedMs, 'number'), g);
  assert.deepEqual(Object.keys(copied.saliency).sort(), Object.keys(cli).sort());
  assert.deepEqual(untimed(copied.saliency), untimed(cli));
});
