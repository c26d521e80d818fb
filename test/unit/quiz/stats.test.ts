import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeStats, countDue, dayKey } from '../../../src/quiz/stats';
import { applyGrade, Rating } from '../../../src/quiz/scheduler';
import { emptyProgress } from '../../../src/quiz/progress';
import type { Question } from '../../../src/quiz/model';

const DAY = 86_400_000;
const NOW = new Date(2026, 2, 10, 12).getTime();
const q = (id: string, topic: string): Question => ({
  id,
  deck: 'd',
  topic,
  type: 'open',
  difficulty: 1,
  prompt: { en: id },
  answer: { en: 'a' },
  explanation: {},
  origin: { file: 'f', line: 1, format: 'bank' },
});

test('stats: accuracy per topic, streak, reviews per day and due forecast', () => {
  const bank = [q('a', 'nlp'), q('b', 'nlp'), q('c', 'vision'), q('d', 'vision')];
  const p = emptyProgress();
  // a: reviewed 2 days ago (right) and yesterday (wrong); b: today (right); c: 5 days ago (right), due in 3 days.
  const a1 = applyGrade(undefined, NOW - 2 * DAY, Rating.Easy, true);
  const a2 = applyGrade(a1.card, NOW - DAY, Rating.Again, false);
  p.entries.a = { card: a2.card, logs: [a1.log, a2.log] };
  const b1 = applyGrade(undefined, NOW - 60_000, Rating.Good, true);
  p.entries.b = { card: b1.card, logs: [b1.log] };
  const c1 = applyGrade(undefined, NOW - 5 * DAY, Rating.Easy, true);
  p.entries.c = { card: { ...c1.card, due: NOW + 3 * DAY }, logs: [c1.log] };
  p.entries.gone = { card: b1.card, logs: [b1.log] }; // not in the bank any more
  const s = computeStats(bank, p, NOW);
  assert.deepEqual(s.accuracyByTopic, [
    { topic: 'nlp', answered: 3, correct: 2 },
    { topic: 'vision', answered: 1, correct: 1 },
  ]);
  assert.equal(s.streakDays, 3, 'today, yesterday and the day before');
  assert.equal(s.totalReviews, 4);
  assert.equal(s.reviewsPerDay.length, 30);
  assert.equal(s.reviewsPerDay.at(-1)!.day, dayKey(NOW));
  assert.equal(s.reviewsPerDay.at(-1)!.count, 1);
  assert.equal(s.reviewsPerDay.at(-6)!.count, 1);
  assert.equal(s.dueForecast.length, 14);
  // a (relearning, due 10 min after yesterday's lapse → overdue) and b (learning, due in 10 min) fall on today.
  assert.equal(s.dueForecast[0]!.count, 2);
  assert.equal(s.dueForecast[3]!.count, 1);
  assert.equal(s.seen, 3);
  assert.equal(countDue(bank, p, NOW), 1);
});

test('streak is 0 after a missed day', () => {
  const p = emptyProgress();
  const g = applyGrade(undefined, NOW - 2 * DAY, Rating.Good, true);
  p.entries.a = { card: g.card, logs: [g.log] };
  assert.equal(computeStats([q('a', 'x')], p, NOW).streakDays, 0);
});
