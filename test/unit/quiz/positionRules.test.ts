import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { formatIssue, loadBankDirectory } from '../../../src/quiz/bankLoader';
import { parseBank } from '../../../src/quiz/bankParser';
import type { Question } from '../../../src/quiz/model';
import { POSITION_LIMITS, checkPositionShares, positionReference, positionShares } from '../../../src/quiz/positionRules';
import { validateQuestions } from '../../../src/quiz/validator';

const bankDir = path.resolve(__dirname, '../../../media/quiz');

/** A bilingual single-choice question in bank format; `answerAt` is the 0-based position of the [x]. */
function single(id: string, answerAt: number, texts = ['alpha', 'beta', 'gamma', 'delta']): string {
  const opts = (lang: string) => texts.map((t, k) => `- [${k === answerAt ? 'x' : ' '}] ${t} ${lang}`).join('\n');
  return [`## ${id}`, '- topic: nlp', '- type: single', '- difficulty: 1', '', '### prompt.en', 'Pick one.', '### prompt.zh', '选一个。',
    '### options.en', opts('en'), '### options.zh', opts('zh'), '### answer.en', 'It.', '### answer.zh', '它。',
    '### explanation.en', 'Because.', '### explanation.zh', '因为。', ''].join('\n');
}

function trueFalse(id: string, truth: boolean): string {
  return [`## ${id}`, '- topic: nlp', '- type: truefalse', '- difficulty: 1', `- answer: ${truth}`, '', '### prompt.en', 'True?', '### prompt.zh', '对吗？',
    '### answer.en', 'Yes.', '### answer.zh', '是。', '### explanation.en', 'Because.', '### explanation.zh', '因为。', ''].join('\n');
}

const parse = (text: string): Question[] => {
  const r = parseBank(text, 'synthetic.quiz.md');
  assert.deepEqual(r.errors, []);
  return r.questions;
};

test('the bundled bank keeps every position share within the limits (the message names the worst position)', async () => {
  const bank = await loadBankDirectory(bankDir, { bundled: true });
  const issues = checkPositionShares(bank.questions);
  assert.deepEqual(issues.map(formatIssue), []);
  const s = positionShares(bank.questions);
  assert.ok(s.singleCount > 0 && s.trueFalseCount > 0);
  for (const n of s.singleByPosition) assert.ok(n / s.singleCount <= POSITION_LIMITS.maxSinglePositionShare);
  for (const ids of Object.values(s.longestCorrect)) assert.ok(ids.length / s.singleCount <= POSITION_LIMITS.maxLongestCorrectShare);
  const trueShare = s.trueIds.length / s.trueFalseCount;
  assert.ok(trueShare >= POSITION_LIMITS.minTrueShare && trueShare <= POSITION_LIMITS.maxTrueShare, `${Math.round(trueShare * 100)}% true`);
});

test('no multiple-choice question of the bundled bank lists all its correct options first, and no explanation names an option by position', async () => {
  const bank = await loadBankDirectory(bankDir, { bundled: true });
  const positional = bank.issues.filter((i) => /come first|by letter or position/.test(i.message));
  assert.deepEqual(positional.map(formatIssue), []);
  assert.ok(bank.questions.some((q) => q.type === 'multiple'));
});

test('a bank whose answers pile up on one position fails with a message naming that position and its questions', () => {
  // 6 of 10 answers on option 2 (60 %), the rest spread out.
  const positions = [1, 1, 1, 1, 1, 1, 0, 2, 3, 0];
  const questions = parse(positions.map((k, n) => single(`q-${n}`, k)).join('\n'));
  const issues = checkPositionShares(questions);
  assert.equal(issues.length, 1, issues.map((i) => i.message).join('\n'));
  assert.match(issues[0]!.message, /lean on option 2: 6 of 10 \(60%\)/);
  assert.match(issues[0]!.message, /q-0, q-1/);
});

test('4 of 10 on one position (40 %) is allowed; the correct option being longest counts only when it is strictly longest', () => {
  const positions = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3];
  assert.deepEqual(checkPositionShares(parse(positions.map((k, n) => single(`q-${n}`, k)).join('\n'))), []);

  const long = ['a short one', 'the correct and clearly much longer option', 'tiny', 'small'];
  const tied = ['as long as this', 'as long as that', 'x', 'y'];
  const text = [0, 1, 2, 3, 0].map((k, n) => single(`plain-${n}`, k)).join('\n') +
    [0, 1, 2].map((n) => single(`long-${n}`, 1, long)).join('\n') + single('tied', 1, tied) + single('tied-2', 0, tied);
  const questions = parse(text);
  assert.deepEqual(positionShares(questions).longestCorrect.en, ['long-0', 'long-1', 'long-2']);
  // 3 of 10 strictly longest: within the limit.
  assert.ok(!checkPositionShares(questions).some((i) => /longest/.test(i.message)));
  const more = parse(text + [0, 1].map((n) => single(`longer-${n}`, 1, long)).join('\n'));
  const issue = checkPositionShares(more).find((i) => /longest/.test(i.message));
  assert.ok(issue, 'expected a longest-option issue for 5 of 12');
  assert.match(issue.message, /longest \(en\) in 5 of 12 questions \(42%\)/);
});

test('true/false answers outside 40–60 % true fail and name the side to flip', () => {
  const skewed = parse([true, false, false, false, false].map((t, n) => trueFalse(`tf-${n}`, t)).join('\n'));
  const issues = checkPositionShares(skewed);
  assert.equal(issues.length, 1);
  assert.match(issues[0]!.message, /lean on "false": 1 true and 4 false of 5 \(20% true/);
  assert.match(issues[0]!.message, /Flip some of: tf-1, tf-2, tf-3, tf-4/);
  const balanced = parse([true, false, true, false, false].map((t, n) => trueFalse(`tf-${n}`, t)).join('\n'));
  assert.deepEqual(checkPositionShares(balanced), []);
});

test('the strict validator flags a multiple-choice question with all correct options first, not one that mixes them', () => {
  const multiple = (id: string, marks: string) =>
    [`## ${id}`, '- topic: nlp', '- type: multiple', '- difficulty: 1', '', '### prompt.en', 'Pick.', '### prompt.zh', '选。',
      '### options.en', ...[...marks].map((m, k) => `- [${m}] en ${k}`), '### options.zh', ...[...marks].map((m, k) => `- [${m}] zh ${k}`),
      '### answer.en', 'Some.', '### answer.zh', '一些。', '### explanation.en', 'Why.', '### explanation.zh', '为何。', ''].join('\n');
  const questions = parse(multiple('first', 'xx  ') + multiple('mixed', ' xx ') + multiple('last', '  xx'));
  const issues = validateQuestions(questions, { bundled: true });
  assert.deepEqual(issues.map((i) => i.id), ['first']);
  assert.match(issues[0]!.message, /All correct options come first/);
  // Users' own decks are not held to the bundled bank's rules.
  assert.deepEqual(validateQuestions(questions, { bundled: false }), []);
});

test('references to options by letter or position are found in English and Chinese; ordinary prose is not', () => {
  for (const text of ['Option B is right.', 'so choice 3 fails', 'The first three are correct.', 'the last option is a trap',
    'Pick (C) here', '选项 B 正确', '选项二不对', '第二个选项才对', '前三项正确', '最后一项是陷阱']) {
    assert.ok(positionReference(text), `not caught: ${text}`);
  }
  for (const text of ['The first two layers learn edges.', 'the first layer', 'loss depends on N, D and C.', 'Choose an option by content.',
    'a 3×3 kernel', 'GPT-3 (175B) showed', 'P(A) = 0.6 and P(B) = 0.4', '第一层学到边缘', '前两层卷积', 'Plan A fails when']) {
    assert.equal(positionReference(text), undefined, `false alarm: ${text}`);
  }
});
