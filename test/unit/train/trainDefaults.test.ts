// Issue #16 §4 "Training that does not pretend": with no flags, the 60-row two-class file learns (defaults
// scale with the data: a few hundred steps, early stopping on the validation slice), and a copy with its labels
// shuffled is reported as "did not learn". Both run the real recipe end to end through the CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli';
import { readLabelledTexts } from '../../../src/train/text/userData';
import { defaultEpochs, MIN_DEFAULT_STEPS, splitForTraining } from '../../../src/train/text/pipeline';
import { evaluateClassification, learningVerdict, majorityBaseline } from '../../../src/train/text/metrics';
import { mulberry32, shuffleInPlace } from '../../../src/common/random';
import { parseModelLabBlock } from '../../../src/common/modelScope';

const REVIEWS = path.resolve(__dirname, '../../../examples/texts/product-reviews.csv');

interface Config {
  metrics: { held_out: { accuracy: number; macro_f1: number; per_class: { label: string; support: number }[]; confusion: { matrix: number[][] } }; majority_baseline: { accuracy: number }; learned: boolean; epochs: unknown[] };
  provenance: { epochs: number; epochs_run: number; early_stopping: string };
  model_lab: { version: number; task: string; languages: string[]; domain: string; intended_use: string };
}

async function train(data: string, out: string): Promise<{ code: number; out: string; err: string; config: Config; card: string }> {
  const lines: string[] = [];
  const errs: string[] = [];
  const code = await main(['train-text', '--data', data, '--out', out], { out: (l) => lines.push(l), err: (l) => errs.push(l) });
  assert.equal(code, 0, errs.join('\n'));
  return { code, out: lines.join('\n'), err: errs.join('\n'), config: JSON.parse(fs.readFileSync(path.join(out, 'config.json'), 'utf8')) as Config, card: fs.readFileSync(path.join(out, 'README.md'), 'utf8') };
}

test('defaults scale with the data: at least a few hundred steps for a small file, three-way split', () => {
  assert.equal(defaultEpochs(42, 8), Math.ceil(MIN_DEFAULT_STEPS / 6));
  assert.ok(defaultEpochs(42, 8) * Math.ceil(42 / 8) >= MIN_DEFAULT_STEPS);
  assert.equal(defaultEpochs(50_000, 32), 3);
  const data = readLabelledTexts(REVIEWS);
  const split = splitForTraining(data.labels, 0.2, 42);
  assert.equal(split.heldOut.length, 12);
  assert.equal(split.fit.length + split.validation.length, 48);
  const all = new Set([...split.fit, ...split.validation, ...split.heldOut]);
  assert.equal(all.size, 60, 'the three parts are disjoint and cover the file');
  for (const part of [split.validation, split.heldOut]) assert.deepEqual(new Set(part.map((i) => data.labels[i])), new Set([0, 1]), 'every class in each part');
});

test('the verdict: hand-computed cases against chance and the majority baseline', () => {
  const labels = ['a', 'b'];
  // 12 balanced held-out texts: 11 right clears the bar (78.9 %), 9 right does not.
  const actual = [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1];
  const good = evaluateClassification(actual, [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0], labels);
  assert.equal(good.accuracy, 11 / 12);
  assert.deepEqual(good.confusion, [
    [6, 0],
    [1, 5],
  ]);
  assert.equal(good.perClass[0].precision, 6 / 7);
  assert.equal(good.perClass[1].recall, 5 / 6);
  const baseline = majorityBaseline([0, 0, 1], actual, labels);
  assert.deepEqual(baseline, { label: 'a', accuracy: 0.5, macroF1: (2 / 3 + 0) / 2 });
  assert.equal(learningVerdict(good, baseline).learned, true);
  const weak = evaluateClassification(actual, [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0], labels);
  assert.equal(weak.accuracy, 0.75);
  assert.equal(learningVerdict(weak, baseline).learned, false);
  // Always the majority class: never "learned", whatever the accuracy on imbalanced data.
  const skewed = Array.from({ length: 100 }, (_, i) => (i < 90 ? 0 : 1));
  const majority = evaluateClassification(skewed, skewed.map(() => 0), labels);
  assert.equal(majority.accuracy, 0.9);
  assert.equal(learningVerdict(majority, majorityBaseline([0], skewed, labels)).learned, false);
});

test('the 60-row two-class CSV learns with default settings (≥ 85 % held out); a label-shuffled copy is reported as "did not learn"', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'train-defaults-'));
  try {
    const learnable = await train(REVIEWS, path.join(root, 'reviews'));
    const held = learnable.config.metrics.held_out;
    assert.ok(held.accuracy >= 0.85, `held-out accuracy ${held.accuracy}`);
    assert.equal(learnable.config.metrics.learned, true);
    assert.ok(learnable.config.provenance.epochs >= 20, `default epochs ${learnable.config.provenance.epochs}`);
    assert.match(learnable.config.provenance.early_stopping, /validation loss/);
    assert.doesNotMatch(learnable.err, /did not learn/);
    assert.match(learnable.out, /majority baseline \(always "negative"\): 50\.00 %/);
    // The model card and the model_lab block.
    for (const heading of ['## Data and split', '## Metrics on the held-out texts', '## Intended use', '## Limitations', '## Preprocessing', 'Majority baseline']) assert.ok(learnable.card.includes(heading), heading);
    assert.match(learnable.card, /The model learned/);
    assert.deepEqual(held.per_class.map((c) => c.support), [6, 6]);
    assert.equal(held.confusion.matrix.flat().reduce((a, b) => a + b, 0), 12);
    assert.equal(learnable.config.model_lab.version, 1);
    assert.equal(learnable.config.model_lab.task, 'text-classification');
    assert.deepEqual(learnable.config.model_lab.languages, ['en']);
    assert.match(learnable.config.model_lab.domain, /product-reviews\.csv/);
    // The block is what classification reads for scope warnings, with the training texts' profile.
    const block = parseModelLabBlock(learnable.config, 'config.json');
    assert.equal(block?.training_data?.examples, 48);
    assert.ok((block?.training_data?.script_shares?.Latin ?? 0) > 0.99);
    assert.ok((block?.training_data?.tokens?.median ?? 0) > 3);

    // The same texts with the labels shuffled: nothing to learn.
    const [header, ...rows] = fs.readFileSync(REVIEWS, 'utf8').trimEnd().split('\n');
    const labels = shuffleInPlace(
      rows.map((r) => r.slice(r.lastIndexOf(',') + 1)),
      mulberry32(3),
    );
    const shuffled = path.join(root, 'shuffled.csv');
    fs.writeFileSync(shuffled, [header, ...rows.map((r, i) => `${r.slice(0, r.lastIndexOf(','))},${labels[i]}`)].join('\n') + '\n');
    const noise = await train(shuffled, path.join(root, 'shuffled'));
    assert.equal(noise.config.metrics.learned, false);
    assert.match(noise.err, /the model did not learn/);
    assert.match(noise.err, /check that the labels match the texts/);
    assert.match(noise.card, /\*\*The model did not learn\.\*\*/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
