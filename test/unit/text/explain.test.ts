import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../../src/cli';
import { explainText, groupWords, splitSpan, topSegments } from '../../../src/text/explain';
import { firstTokens, measureFaithfulness } from '../../../src/text/explainFaithfulness';
import { loadTextModel, type OnnxTextClassifier } from '../../../src/text/onnxTextClassifier';
import { loadSpamAssassin, mailToExample, stratifiedSplit } from '../../../src/train/text/spamData';
import { makeTempDir, meanPoolFolder, SPAM_WORDS } from './textModelFixtures';

const bundled = path.resolve(__dirname, '../../../models/spam-bert-tiny');
const root = makeTempDir();
const classifiers: OnnxTextClassifier[] = [];
after(async () => {
  for (const c of classifiers) await c.dispose();
  fs.rmSync(root, { recursive: true, force: true });
});
async function load(dir: string) {
  const c = await loadTextModel(dir);
  classifiers.push(c);
  return c;
}

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

test('word pieces join into whole words; a continuation piece after a gap starts a new word', () => {
  const pieces = ['un', '##want', '##ed', ',', 'run', '##ning'];
  const words = groupWords([0, 1, 2, 3, 4, 5], [0, 2, 6, 8, 10, 13], [2, 6, 8, 9, 13, 17], (id) => pieces[id]);
  assert.deepEqual(words.map((w) => [w.start, w.end, w.tokenStart, w.tokenEnd]), [[0, 8, 0, 3], [8, 9, 3, 4], [10, 17, 4, 6]]);
});

test('a hand-made model: spam words score for "spam", ham words against, in log-odds', async () => {
  const c = await load(meanPoolFolder(path.join(root, 'meanpool')));
  const text = 'win free cash prize money, click to review the meeting';
  // This model reads 16 tokens at most, so eleven one-word rows exceed the default budget (8 rows of 16 tokens):
  // no budget here, word-level leave-one-out.
  const e = await explainText(c, text, { budget: Infinity });
  assert.equal(e.label, 'spam');
  assert.ok(Math.abs(e.probability - (await c.classify(text)).probability) < 1e-9, 'the same probability as a plain classification');
  assert.equal(e.method, 'leave-one-out');
  assert.equal((await explainText(c, text)).method, 'coarse-to-fine', 'within the default budget');
  const score = (w: string) => e.segments.find((x) => x.text === w)!.score;
  for (const w of ['win', 'free', 'cash']) assert.ok(score(w) > 0, `${w} ${score(w)}`);
  for (const w of ['meeting', 'review', 'the']) assert.ok(score(w) < 0, `${w} ${score(w)}`);
  const top = topSegments(e.segments, 3);
  assert.ok(top.for.every((w) => SPAM_WORDS.includes(w.text)));
  assert.ok(top.against.length > 0 && top.against.every((w) => w.score < 0));
  assert.equal(e.evaluations, 1 + e.segments.length);
});

test('offsets point into the input: surrogate pairs (emoji, astral Han) and CJK ideographs, one word each', async () => {
  const c = await load(bundled);
  const text = '😀 Free 𠀀cash! 中文邮件 naïve café 👍🏽 prize';
  const e = await explainText(c, text);
  for (const w of e.segments) {
    assert.equal(text.slice(w.start, w.end), w.text);
    assert.ok(w.start >= 0 && w.end <= text.length && w.start < w.end);
    // Never a lone surrogate at either edge.
    assert.ok(!/^[\udc00-\udfff]|[\ud800-\udbff]$/.test(w.text), JSON.stringify(w.text));
  }
  const texts = e.segments.map((w) => w.text);
  for (const ch of ['中', '文', '邮', '件', '𠀀']) assert.ok(texts.includes(ch), `${ch} is its own word: ${JSON.stringify(texts)}`);
  assert.ok(texts.includes('naïve') && texts.includes('café'));
  assert.ok(e.segments.some((w) => w.text === '𠀀' && w.end - w.start === 2), 'an astral ideograph spans two UTF-16 units');
});

test('spans are cut into nearly equal runs of words', () => {
  assert.deepEqual(splitSpan({ from: 0, to: 10 }, 4), [{ from: 0, to: 2 }, { from: 2, to: 5 }, { from: 5, to: 7 }, { from: 7, to: 10 }]);
  assert.deepEqual(splitSpan({ from: 3, to: 5 }, 4), [{ from: 3, to: 4 }, { from: 4, to: 5 }], 'never more parts than words');
});

test('a long window: coarse-to-fine within the budget, segments cover every word once, in order, offsets into the input', async () => {
  const c = await load(bundled);
  const { test: heldOut } = stratifiedSplit(loadSpamAssassin().map(mailToExample), 0.2, 42);
  const text = firstTokens(c, heldOut[5].text, 126);
  const e = await explainText(c, text);
  assert.equal(e.method, 'coarse-to-fine');
  assert.ok(e.wordCount > 60, `${e.wordCount} words`);
  assert.ok(e.evaluations <= 1 + 10, `${e.evaluations} model rows for one window (budget: 8 full-length rows)`);
  assert.equal(e.segments.reduce((s, x) => s + x.words, 0), e.wordCount);
  for (let i = 0; i < e.segments.length; i++) {
    const x = e.segments[i];
    assert.equal(text.slice(x.start, x.end), x.text);
    if (i > 0) assert.ok(x.start >= e.segments[i - 1].end, 'in text order, not overlapping');
  }
  // The refined span's parts are smaller than the first spans.
  const sizes = e.segments.map((x) => x.words);
  assert.ok(Math.min(...sizes) < Math.max(...sizes) / 2, JSON.stringify(sizes));
  assert.ok(Math.abs(e.probability - (await c.classify(text)).probability) < 1e-9);
  // The same text with no budget limit: one row per word.
  const full = await explainText(c, text, { budget: Infinity });
  assert.equal(full.method, 'leave-one-out');
  assert.equal(full.evaluations, 1 + full.wordCount);
  assert.ok(full.segments.every((x) => x.words === 1));
});

test('classify-text --explain --json: segments with {start, end, text, score, words}; --label explains another label', async () => {
  const text = 'Dear Friend, claim your FREE cash prize now 中文';
  const r = await run('classify-text', '--json', '--explain', text);
  assert.equal(r.code, 0, r.err);
  const out = JSON.parse(r.out);
  assert.equal(out.explanation.label, out.label);
  for (const w of out.explanation.segments) {
    assert.deepEqual(Object.keys(w).sort(), ['end', 'score', 'start', 'text', 'words']);
    assert.equal(text.slice(w.start, w.end), w.text);
  }
  const other = JSON.parse((await run('classify-text', '--json', '--explain', '--label', out.label === 'spam' ? 'ham' : 'spam', text)).out);
  assert.notEqual(other.explanation.label, out.label);
  // Two labels, softmax: every word's log-odds effect on one label is the negative of the other's.
  other.explanation.segments.forEach((w: { score: number }, i: number) => assert.ok(Math.abs(w.score + out.explanation.segments[i].score) < 1e-3));
  assert.equal((await run('classify-text', '--label', 'spam', text)).code, 2, '--label without --explain is a usage error');
});

test('faithfulness on 200 held-out mails, default (budgeted) explanations: deleting the top-k words lowers the probability more than k random words (k = 1, 3, 5)', async () => {
  const c = await load(bundled);
  const { test: heldOut } = stratifiedSplit(loadSpamAssassin().map(mailToExample), 0.2, 42);
  // The bundled model's own held-out part (seed 42, as trained), each mail cut to one full 126-token window:
  // almost all of them are explained coarse-to-fine (the words do not fit the budget one row each).
  const r = await measureFaithfulness(c, heldOut.slice(0, 220).map((m) => m.text), [1, 3, 5]);
  assert.ok(r.texts >= 200, `${r.texts} texts`);
  assert.ok((r.methods['coarse-to-fine'] ?? 0) > r.texts * 0.9, JSON.stringify(r.methods));
  for (const row of r.rows) {
    assert.ok(row.topDrop > row.randomDrop, `k=${row.k}: top ${row.topDrop} vs random ${row.randomDrop}`);
    assert.ok(row.textsTopWins > r.texts / 2, `k=${row.k}: top-k wins on ${row.textsTopWins} of ${r.texts}`);
  }
  console.log(JSON.stringify(r));
});
