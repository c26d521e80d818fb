import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { formatIssue, loadBankDirectory } from '../../../src/quiz/bankLoader';
import { BUNDLED_TOPICS } from '../../../src/quiz/model';

const bankDir = path.resolve(__dirname, '../../../media/quiz');

test('the bundled bank passes the strict validator (both languages, unique ids, valid options)', async () => {
  const bank = await loadBankDirectory(bankDir, { bundled: true });
  assert.deepEqual(bank.issues.map(formatIssue), []);
});

test('the bundled bank has at least 60 questions over at least 6 topics, all five article questions and both code checks', async () => {
  const bank = await loadBankDirectory(bankDir, { bundled: true });
  assert.ok(bank.questions.length >= 60, `only ${bank.questions.length} questions in media/quiz`);
  const topics = new Set(bank.questions.map((q) => q.topic));
  assert.ok(topics.size >= 6, `only ${topics.size} topics: ${[...topics].join(', ')}`);
  for (const t of topics) assert.ok((BUNDLED_TOPICS as readonly string[]).includes(t), t);
  const sources = new Set(bank.questions.map((q) => q.source).filter(Boolean));
  for (let n = 1; n <= 5; n++) assert.ok(sources.has(`article-q${n}`), `article question ${n} missing (source: article-q${n})`);
  const checks = new Set(bank.questions.filter((q) => q.type === 'code').map((q) => q.check));
  assert.deepEqual([...checks].sort(), ['cnn-parameters', 'text-classifier-forward']);
  for (const type of ['single', 'multiple', 'truefalse', 'open', 'code']) {
    assert.ok(bank.questions.some((q) => q.type === type), `no ${type} question`);
  }
});
