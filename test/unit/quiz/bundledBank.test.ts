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

test('the bundled bank has at least 240 questions over at least 14 topics (#15), all five article questions and both code checks', async () => {
  const bank = await loadBankDirectory(bankDir, { bundled: true });
  assert.ok(bank.questions.length >= 240, `only ${bank.questions.length} questions in media/quiz`);
  const topics = new Set(bank.questions.map((q) => q.topic));
  assert.ok(topics.size >= 14, `only ${topics.size} topics: ${[...topics].join(', ')}`);
  for (const t of topics) assert.ok((BUNDLED_TOPICS as readonly string[]).includes(t), t);
  const sources = new Set(bank.questions.map((q) => q.source).filter(Boolean));
  for (let n = 1; n <= 5; n++) assert.ok(sources.has(`article-q${n}`), `article question ${n} missing (source: article-q${n})`);
  const checks = new Set(bank.questions.filter((q) => q.type === 'code').map((q) => q.check));
  assert.deepEqual([...checks].sort(), ['cnn-parameters', 'text-classifier-forward']);
  for (const type of ['single', 'multiple', 'truefalse', 'open', 'code']) {
    assert.ok(bank.questions.some((q) => q.type === type), `no ${type} question`);
  }
});

test('every bundled question cites at least one reference (a paper or official documentation URL)', async () => {
  const bank = await loadBankDirectory(bankDir, { bundled: true });
  const missing = bank.questions.filter((q) => (q.references ?? []).length === 0).map((q) => q.id);
  assert.deepEqual(missing, [], `questions without references: ${missing.join(', ')}`);
  for (const q of bank.questions) {
    for (const url of q.references ?? []) assert.match(url, /^https:\/\/\S+$/, `${q.id}: reference "${url}" is not an https URL`);
  }
});

test('every bundled topic has at least 8 questions spread over difficulties 1–3 and at least three question types (#15)', async () => {
  const bank = await loadBankDirectory(bankDir, { bundled: true });
  const byTopic = new Map<string, typeof bank.questions>();
  for (const q of bank.questions) byTopic.set(q.topic, [...(byTopic.get(q.topic) ?? []), q]);
  assert.ok(byTopic.size >= 14, `only ${byTopic.size} topics`);
  for (const [topic, qs] of byTopic) {
    assert.ok(qs.length >= 8, `${topic}: only ${qs.length} questions`);
    assert.deepEqual([...new Set(qs.map((q) => q.difficulty))].sort(), [1, 2, 3], `${topic}: difficulties ${[...new Set(qs.map((q) => q.difficulty))].join(', ')}`);
    assert.ok(new Set(qs.map((q) => q.type)).size >= 3, `${topic}: types ${[...new Set(qs.map((q) => q.type))].join(', ')}`);
  }
});
