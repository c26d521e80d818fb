import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EvaluationAccumulator, macroF1, MAX_CELL_EXAMPLES, MAX_MISTAKES, snippetOf } from '../../../src/common/classificationMetrics';

const close = (a: number, b: number, msg?: string) => assert.ok(Math.abs(a - b) < 1e-12, `${msg ?? ''} ${a} ≠ ${b}`);

function run(rows: [string, string, number][], modelLabels = ['cat', 'dog', 'bird']) {
  const acc = new EvaluationAccumulator(modelLabels);
  rows.forEach(([actual, predicted, confidence], i) => acc.add({ file: `/d/${i}.png`, actual, predicted, confidence }));
  return acc;
}

test('hand-computed three-class case: matrix, per-class P/R/F1/support, accuracy, macro F1', () => {
  // actual → predicted: cat→cat ×3, cat→dog ×1, dog→dog ×2, dog→cat ×1, bird→bird ×1, bird→dog ×2
  const rows: [string, string, number][] = [
    ['cat', 'cat', 0.9], ['cat', 'cat', 0.8], ['cat', 'cat', 0.7], ['cat', 'dog', 0.6],
    ['dog', 'dog', 0.9], ['dog', 'dog', 0.55], ['dog', 'cat', 0.95],
    ['bird', 'bird', 0.65], ['bird', 'dog', 0.85], ['bird', 'dog', 0.5],
  ];
  const r = run(rows).report();
  assert.deepEqual(r.labels, ['cat', 'dog', 'bird']);
  assert.deepEqual(r.confusion, [[3, 1, 0], [1, 2, 0], [0, 2, 1]]);
  close(r.accuracy, 6 / 10);
  // cat: tp 3, predicted 4, support 4 → P .75 R .75 F1 .75
  // dog: tp 2, predicted 5, support 3 → P .4 R 2/3 F1 = 2·2/(2·2+3+1) = .5
  // bird: tp 1, predicted 1, support 3 → P 1 R 1/3 F1 = 2/(2+0+2) = .5
  const [cat, dog, bird] = r.perClass;
  assert.deepEqual([cat.support, dog.support, bird.support], [4, 3, 3]);
  assert.deepEqual([cat.predicted, dog.predicted, bird.predicted], [4, 5, 1]);
  close(cat.precision, 0.75); close(cat.recall, 0.75); close(cat.f1, 0.75);
  close(dog.precision, 0.4); close(dog.recall, 2 / 3); close(dog.f1, 0.5);
  close(bird.precision, 1); close(bird.recall, 1 / 3); close(bird.f1, 0.5);
  close(r.macroF1, (0.75 + 0.5 + 0.5) / 3);
  // The same macro F1 from the index-based helper the training recipes use.
  const idx = { cat: 0, dog: 1, bird: 2 } as Record<string, number>;
  close(macroF1(rows.map((x) => idx[x[0]]), rows.map((x) => idx[x[1]]), 3), r.macroF1);
  // Mistakes, most confident first: dog→cat .95, bird→dog .85, cat→dog .6, bird→dog .5
  assert.deepEqual(r.mostConfidentMistakes.map((m) => m.confidence), [0.95, 0.85, 0.6, 0.5]);
  assert.equal(r.mostConfidentMistakes[0].actual, 'dog');
  assert.equal(r.mostConfidentMistakes[0].predicted, 'cat');
});

test('expected calibration error: hand-computed over 10 equal bins', () => {
  // bin [0.9,1): .95 right, .95 wrong → acc .5, conf .95 ; bin [0.6,0.7): .6 right, .6 right → acc 1, conf .6
  // ECE = 2/4·|.5−.95| + 2/4·|1−.6| = .225 + .2 = .425
  const r = run([['cat', 'cat', 0.95], ['cat', 'dog', 0.95], ['dog', 'dog', 0.6], ['bird', 'bird', 0.6]]).report();
  close(r.expectedCalibrationError, 0.425);
  assert.equal(r.calibration[9].count, 2);
  assert.equal(r.calibration[6].count, 2);
  // A confidence of exactly 1 falls in the last bin; perfect calibration gives 0.
  const perfect = run([['cat', 'cat', 1], ['dog', 'dog', 1]]).report();
  assert.equal(perfect.calibration[9].count, 2);
  close(perfect.expectedCalibrationError, 0);
});

test('labels on one side only are reported by name; data-only labels get their own row and always count wrong', () => {
  const r = run([['cat', 'cat', 0.9], ['fish', 'dog', 0.7], ['fish', 'cat', 0.8]], ['cat', 'dog', 'bird']).report();
  assert.deepEqual(r.labels, ['cat', 'dog', 'bird', 'fish']);
  assert.deepEqual(r.labelsOnlyInData, ['fish']);
  assert.deepEqual(r.labelsOnlyInModel, ['dog', 'bird']);
  assert.deepEqual(r.confusion[3], [1, 1, 0, 0]);
  close(r.accuracy, 1 / 3);
  // Macro F1 over labels present in data or predictions: cat (tp1, fp1 → 2/3), dog (0), fish (0); bird is absent on both sides.
  close(r.macroF1, (2 / 3) / 3);
});

test('bounded memory: 10,000 examples keep at most 200 per cell and 20 mistakes; counts stay exact', () => {
  const acc = new EvaluationAccumulator(['a', 'b']);
  const wrong: number[] = [];
  for (let i = 0; i < 10_000; i++) {
    const confidence = ((i * 7919) % 10_000) / 10_000;
    const [actual, predicted] = [i % 2 ? 'a' : 'b', i % 3 ? 'a' : 'b'];
    if (actual !== predicted) wrong.push(confidence);
    acc.add({ file: `/x/${i}`, actual, predicted, confidence });
  }
  const r = acc.report();
  assert.equal(r.count, 10_000);
  assert.equal(r.confusion.flat().reduce((s, v) => s + v, 0), 10_000);
  assert.equal(r.mostConfidentMistakes.length, MAX_MISTAKES);
  assert.deepEqual(r.mostConfidentMistakes.map((m) => m.confidence), wrong.sort((x, y) => y - x).slice(0, MAX_MISTAKES));
  for (const cell of acc.allCells()) {
    assert.ok(cell.examples.length <= MAX_CELL_EXAMPLES);
    assert.equal(cell.count, r.confusion[r.labels.indexOf(cell.actual)][r.labels.indexOf(cell.predicted)]);
  }
});

test('failures are counted apart from the metrics; a confidence outside [0, 1] is refused', () => {
  const acc = new EvaluationAccumulator(['a']);
  acc.add({ file: 'f', actual: 'a', predicted: 'a', confidence: 0.5 });
  acc.fail({ file: 'bad.png' }, 'truncated');
  assert.equal(acc.report().count, 1);
  assert.equal(acc.report().failureCount, 1);
  assert.throws(() => acc.add({ file: 'f', actual: 'a', predicted: 'a', confidence: NaN }));
});

test('snippets collapse whitespace and never split a surrogate pair', () => {
  assert.equal(snippetOf('  a\n\n b  '), 'a b');
  const s = snippetOf('x'.repeat(159) + '😀' + 'tail');
  assert.ok(!/[\ud800-\udbff]…$/.test(s));
  assert.ok(s.endsWith('…'));
});
