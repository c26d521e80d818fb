import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseBank } from '../../../src/quiz/bankParser';
import { parseArticle } from '../../../src/quiz/articleParser';
import { parseObsidian } from '../../../src/quiz/obsidianParser';
import { detectFormat, importAnyFormat } from '../../../src/quiz/importAnyFormat';
import { validateQuestions } from '../../../src/quiz/validator';

const root = path.resolve(__dirname, '../../..');
const fixtures = path.join(root, 'test/fixtures/quiz');
const read = (name: string) => fs.readFileSync(path.join(fixtures, name), 'utf8');
// A copy of the seed article (../shared/seed/ in the team's checkout), kept in the repo so a fresh clone runs this.
const seedArticle = path.join(fixtures, 'large-models-in-ai-startups.zh.md');

test('bank format: the sample deck parses with no errors and passes the strict validator', () => {
  const r = parseBank(read('bank-format-sample.quiz.md'), 'bank-format-sample.quiz.md');
  assert.deepEqual(r.errors, []);
  assert.equal(r.deck, 'sample-serving');
  assert.equal(r.questions.length, 3);
  const first = r.questions[0]!;
  assert.equal(first.id, 'sample-int8-memory');
  assert.equal(first.type, 'single');
  assert.equal(first.options?.length, 4);
  assert.deepEqual(first.options?.map((o) => o.correct), [false, false, true, false]);
  assert.equal(first.options?.[2]?.text.zh, '约 7 GB');
  assert.deepEqual(first.references, ['https://arxiv.org/abs/2208.07339']);
  assert.equal(first.origin.line, 7);
  assert.deepEqual(validateQuestions(r.questions, { bundled: true }), []);
});

test('bank format: the invalid fixture yields exactly the four documented errors at the documented lines', () => {
  const expected = JSON.parse(read('invalid-bank.expected.json')) as {
    errors: { id: string; questionLine: number; line: number }[];
  };
  const r = parseBank(read('invalid-bank.quiz.md'), 'invalid-bank.quiz.md');
  const issues = [...r.errors, ...validateQuestions(r.questions, { bundled: true })];
  assert.equal(issues.length, 4, issues.map((i) => `${i.line} ${i.message}`).join('\n'));
  for (const e of expected.errors) {
    const hit = issues.find((i) => i.id === e.id && (i.line === e.line || i.line === e.questionLine));
    assert.ok(hit, `no error for ${e.id} at line ${e.line}/${e.questionLine}: ${JSON.stringify(issues)}`);
  }
  assert.match(issues.find((i) => i.id === 'invalid-two-correct')!.message, /exactly one/);
  assert.match(issues.find((i) => i.id === 'invalid-missing-prompt-zh')!.message, /prompt\.zh/);
  assert.match(issues.find((i) => i.id === 'invalid-duplicate-option')!.message, /Whole words/);
});

test('bank format: structural errors carry the offending line', () => {
  const text = [
    '## q-one',
    '- topic: nlp',
    '- type: single',
    '- difficulty: 5',
    '- colour: red',
    'stray text',
    '### prompt.en',
    'Pick one',
    '### options.en',
    '- [x] A',
    'not an option',
    '- [ ] B',
    '### options.zh',
    '- [ ] 甲',
    '- [x] 乙',
    '### hints.en',
    'x',
    '## Bad Id',
    '- type: riddle',
  ].join('\n');
  const r = parseBank(text, 'x.quiz.md');
  const at = (line: number, re: RegExp) =>
    assert.ok(r.errors.some((e) => e.line === line && re.test(e.message)), `line ${line} ${re}: ${JSON.stringify(r.errors)}`);
  at(4, /Difficulty "5"/);
  at(5, /Unknown metadata key "colour"/);
  at(6, /Expected a metadata line/);
  at(11, /task-list/);
  at(14, /marked \[x\] in English/);
  at(15, /marked \[ \] in English/);
  at(16, /Unknown section "### hints.en"/);
  at(18, /lowercase/);
  at(19, /Unknown type "riddle"/);
});

test('bank format: headings inside fenced code do not start sections', () => {
  const text = [
    '## code-q',
    '- topic: coding',
    '- type: code',
    '- difficulty: 2',
    '- check: cnn-parameters',
    '### prompt.en',
    'Build it',
    '### answer.en',
    'See below',
    '### explanation.en',
    '```md',
    '## not-a-question',
    '### not.a.section',
    '```',
    '### starter.ts',
    '```ts',
    'export function buildModel(tf) {}',
    '```',
  ].join('\n');
  const r = parseBank(text, 'c.quiz.md');
  assert.deepEqual(r.errors, []);
  assert.equal(r.questions.length, 1);
  assert.match(r.questions[0]!.explanation.en!, /## not-a-question/);
  assert.equal(r.questions[0]!.starter, 'export function buildModel(tf) {}');
});

test('article format: the project fixture imports as its four open, monolingual Chinese questions', () => {
  const r = parseArticle(read('article-format-sample.zh.md'), 'article-format-sample.zh.md');
  assert.deepEqual(r.errors, []);
  assert.equal(r.questions.length, 4);
  for (const q of r.questions) {
    assert.equal(q.type, 'open');
    assert.equal(q.monolingual, 'zh');
    assert.equal(q.prompt.en, undefined);
  }
  assert.match(r.questions[1]!.answer.zh!, /时间穿越/);
  assert.match(r.questions[2]!.answer.zh!, /```python\ndef precision_recall_f1/);
  assert.match(r.questions[2]!.explanation.zh!, /调和平均/);
  assert.equal(r.questions[1]!.explanation.zh, undefined, 'question 2 has no 解析');
});

test('article format: the seed article imports as exactly its 5 questions', () => {
  const r = importAnyFormat(fs.readFileSync(seedArticle, 'utf8'), 'large-models-in-ai-startups.zh.md');
  assert.equal(r.format, 'article');
  assert.deepEqual(r.errors, []);
  assert.equal(r.questions.length, 5);
  assert.deepEqual(r.questions.map((q) => q.id.replace(/^.*-q/, 'q')), ['q1', 'q2', 'q3', 'q4', 'q5']);
  assert.match(r.questions[3]!.answer.zh!, /layers\.Conv2D\(32/);
  assert.match(r.questions[4]!.answer.zh!, /class TextClassifier\(nn\.Module\)/);
  // The article's closing "解析说明" section is under a heading and must not leak into question 5.
  assert.doesNotMatch(r.questions[4]!.explanation.zh!, /本篇博客/);
  assert.match(r.questions[2]!.answer.zh!, /过拟合风险/);
});

test('article format: errors name the line', () => {
  const text = ['**题目 1：** 什么是 LoRA？', '', '没有答案', '', '**题目 1：** 重复', '**答案：** 有'].join('\n');
  const r = parseArticle(text, 'a.md');
  assert.ok(r.errors.some((e) => e.line === 1 && /no \*\*答案：\*\*/.test(e.message)), JSON.stringify(r.errors));
  assert.ok(r.errors.some((e) => e.line === 5 && /used twice/.test(e.message)), JSON.stringify(r.errors));
});

test('Obsidian format: the fixture gives two single-line and two multi-line cards; the SR comment is dropped', () => {
  const r = parseObsidian(read('obsidian-sample.md'), 'obsidian-sample.md');
  assert.deepEqual(r.errors, []);
  assert.equal(r.questions.length, 4);
  assert.match(r.questions[0]!.prompt.en!, /^What does the KV cache store/);
  assert.match(r.questions[0]!.answer.en!, /^The key and value tensors/);
  assert.equal(r.questions[2]!.prompt.en, 'Why does dynamic batching raise throughput\nbut can hurt latency?');
  assert.doesNotMatch(r.questions[3]!.answer.en!, /SR:/);
  assert.equal(new Set(r.questions.map((q) => q.id)).size, 4);
  assert.equal(r.questions[0]!.origin.line, 5);
});

test('Obsidian format: reversed cards and errors', () => {
  const r = parseObsidian(['front:::back', '', 'empty::', '', 'q', '?'].join('\n'), 'o.md');
  assert.equal(r.questions.length, 2);
  assert.equal(r.questions[1]!.prompt.en, 'back');
  assert.ok(r.errors.some((e) => e.line === 3));
  assert.ok(r.errors.some((e) => e.line === 6 && /no answer/.test(e.message)));
});

test('format detection picks the right parser for every fixture', () => {
  assert.equal(detectFormat(read('bank-format-sample.quiz.md'), 'bank-format-sample.quiz.md'), 'bank');
  assert.equal(detectFormat(read('bank-format-sample.quiz.md'), 'untitled'), 'bank');
  assert.equal(detectFormat(read('article-format-sample.zh.md'), 'a.md'), 'article');
  assert.equal(detectFormat(read('obsidian-sample.md'), 'o.md'), 'obsidian');
  assert.equal(detectFormat('#separator:tab\nA\tB\n', 'x.txt'), 'anki');
  assert.equal(detectFormat('just prose', 'p.md'), undefined);
  const none = importAnyFormat('just prose', 'p.md');
  assert.equal(none.questions.length, 0);
  assert.match(none.errors[0]!.message, /No quiz questions recognised/);
});

test('the HTML-injection bank parses with the markup kept as literal text', () => {
  const r = parseBank(read('bank-with-html.quiz.md'), 'bank-with-html.quiz.md');
  assert.deepEqual(r.errors, []);
  assert.match(r.questions[0]!.prompt.en!, /<script>alert\(1\)<\/script>/);
  assert.equal(r.questions[0]!.options?.[1]?.text.en, '<img src=x onerror=alert(1)>');
});
