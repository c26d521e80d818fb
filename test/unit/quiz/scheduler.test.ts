import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyGrade, formatInterval, previewGrades, Rating, State, undoGrade } from '../../../src/quiz/scheduler';
import { answer, grade, newCardsSeenToday, startSession, summarize, undo, mistakes, type SessionState } from '../../../src/quiz/session';
import { emptyProgress, type ProgressRecord } from '../../../src/quiz/progress';
import type { Question } from '../../../src/quiz/model';

const MIN = 60_000;
const DAY = 86_400_000;
const T0 = new Date(2026, 0, 5, 9, 0, 0).getTime(); // local 09:00, so learning steps stay within the day

function q(id: string, correct = 0, topic = 'nlp'): Question {
  return {
    id,
    deck: 'd',
    topic,
    type: 'single',
    difficulty: 1,
    prompt: { en: `prompt ${id}`, zh: `题 ${id}` },
    options: [0, 1, 2].map((k) => ({ text: { en: `o${k}`, zh: `选${k}` }, correct: k === correct })),
    answer: { en: 'a', zh: '答' },
    explanation: { en: 'e', zh: '解' },
    origin: { file: 'f', line: 1, format: 'bank' },
  };
}
const bank = [q('a'), q('b'), q('c'), q('d')];
const byId = new Map(bank.map((x) => [x.id, x]));

function answerAndGrade(s: SessionState, p: ProgressRecord, choice: number, now: number, g?: 1 | 2 | 3 | 4) {
  const question = byId.get(s.current!)!;
  const answered = answer(s, question, { kind: 'choice', selected: [choice] });
  const right = answered.feedback!.correct;
  return grade(answered, p, g ?? (right ? 3 : 1), now);
}

test('interval labels are Anki-style', () => {
  assert.equal(formatInterval(MIN), '1m');
  assert.equal(formatInterval(10 * MIN), '10m');
  assert.equal(formatInterval(3 * 3600_000), '3h');
  assert.equal(formatInterval(4 * DAY), '4d');
  assert.equal(formatInterval(60 * DAY), '2mo');
  assert.equal(formatInterval(400 * DAY), '1.1y');
});

test('a new card previews Again 1m · Hard 6m · Good 10m · Easy in days', () => {
  const labels = previewGrades(undefined, T0).map((p) => p.label);
  assert.deepEqual(labels.slice(0, 3), ['1m', '6m', '10m']);
  assert.match(labels[3]!, /^\d+d$/);
});

test('new → learning → review: Good twice graduates the card; preview matches the applied grade', () => {
  const first = applyGrade(undefined, T0, Rating.Good, true);
  assert.equal(first.card.state, State.Learning);
  assert.equal(first.card.due, T0 + 10 * MIN);
  const t1 = T0 + 10 * MIN;
  const preview = previewGrades(first.card, t1).find((p) => p.grade === Rating.Good)!;
  const second = applyGrade(first.card, t1, Rating.Good, true);
  assert.equal(second.card.state, State.Review);
  assert.equal(second.card.due, preview.due);
  assert.ok(second.card.due - t1 >= DAY, 'graduated card is due in days');
  // A lapse sends a review card to relearning.
  const lapse = applyGrade(second.card, second.card.due, Rating.Again, false);
  assert.equal(lapse.card.state, State.Relearning);
  assert.equal(lapse.card.lapses, 1);
});

test('rollback restores the card exactly', () => {
  const first = applyGrade(undefined, T0, Rating.Good, true);
  const second = applyGrade(first.card, T0 + 10 * MIN, Rating.Easy, true);
  assert.deepEqual(undoGrade(second.card, second.log), first.card);
});

test('session: due cards first, then new cards up to the daily limit', () => {
  const p = emptyProgress();
  // "c" was reviewed days ago and is due now; "d" is a review card due tomorrow.
  p.entries.c = { card: { ...applyGrade(undefined, T0 - 10 * DAY, Rating.Easy, true).card }, logs: [] };
  p.entries.c.card.due = T0 - DAY;
  p.entries.d = { card: { ...applyGrade(undefined, T0 - 10 * DAY, Rating.Easy, true).card }, logs: [] };
  p.entries.d.card.due = T0 + DAY;
  const s = startSession({ kind: 'due', label: 'all', pool: bank, progress: p, now: T0, newCardsPerDay: 1 });
  assert.equal(s.current, 'c');
  assert.deepEqual(s.queue, ['a']);
  assert.equal(s.total, 2);
});

test('session: a wrong answer is graded Again and the card comes back in the same session; undo restores it', () => {
  let p = emptyProgress();
  let s = startSession({ kind: 'due', label: 'all', pool: bank.slice(0, 2), progress: p, now: T0, newCardsPerDay: 20 });
  assert.equal(s.current, 'a');
  // Wrong on "a" (correct is option 0).
  ({ session: s, progress: p } = answerAndGrade(s, p, 2, T0));
  assert.equal(p.entries.a!.logs[0]!.rating, Rating.Again);
  assert.equal(p.entries.a!.logs[0]!.correct, false);
  assert.deepEqual(s.learning.map((l) => l.id), ['a']);
  assert.equal(s.current, 'b');
  // Undo: back to "a" in the feedback phase, no progress for "a", "b" back in the queue.
  const undone = undo(s, p)!;
  assert.equal(undone.session.current, 'a');
  assert.equal(undone.session.phase, 'feedback');
  assert.equal(undone.progress.entries.a, undefined);
  assert.deepEqual(undone.session.queue, ['b']);
  assert.deepEqual(undone.session.learning, []);
  // Re-grade as Hard instead, then answer "b" right 2 minutes later.
  ({ session: s, progress: p } = grade(undone.session, undone.progress, Rating.Hard, T0));
  assert.equal(p.entries.a!.logs[0]!.rating, Rating.Hard);
  assert.equal(p.entries.a!.logs[0]!.correct, false, 'a wrong answer stays wrong for accuracy even when graded Hard');
  ({ session: s, progress: p } = answerAndGrade(s, p, 0, T0 + 2 * MIN));
  assert.equal(p.entries.b!.card.state, State.Learning);
  // Nothing left in the queue: the learning cards come back (learn ahead), the earliest first.
  assert.equal(s.current, 'a');
  ({ session: s, progress: p } = answerAndGrade(s, p, 0, T0 + 6 * MIN));
  assert.equal(s.current, 'b');
  ({ session: s, progress: p } = answerAndGrade(s, p, 0, T0 + 12 * MIN));
  assert.equal(p.entries.b!.card.state, State.Review);
  const summary = summarize(s, T0 + 20 * MIN);
  assert.equal(summary.answered, 4);
  assert.equal(summary.correct, 3);
  assert.deepEqual(summary.wrongIds, ['a']);
  assert.equal(newCardsSeenToday(p, T0 + 20 * MIN), 2);
  assert.equal(newCardsSeenToday(p, T0 + DAY), 0);
});

test('multiple choice needs exactly the marked set; mistakes lists the last-wrong questions', () => {
  const multi: Question = { ...q('m'), type: 'multiple', options: [0, 1, 2].map((k) => ({ text: { en: `o${k}` }, correct: k !== 1 })) };
  let s = startSession({ kind: 'due', label: 'x', pool: [multi], progress: emptyProgress(), now: T0, newCardsPerDay: 5 });
  assert.equal(answer(s, multi, { kind: 'choice', selected: [2, 0] }).feedback!.correct, true);
  assert.equal(answer(s, multi, { kind: 'choice', selected: [0] }).feedback!.correct, false);
  s = answer(s, multi, { kind: 'choice', selected: [0, 1, 2] });
  const { progress } = grade(s, emptyProgress(), Rating.Again, T0);
  assert.deepEqual(mistakes([multi, q('a')], progress).map((x) => x.id), ['m']);
  const review = startSession({ kind: 'mistakes', label: 'm', pool: [multi], progress, now: T0 + MIN, newCardsPerDay: 0 });
  assert.equal(review.current, 'm');
});

test('daily new-card limit counts cards first seen today', () => {
  let p = emptyProgress();
  let s = startSession({ kind: 'due', label: 'all', pool: bank, progress: p, now: T0, newCardsPerDay: 2 });
  assert.equal(s.total, 2);
  ({ session: s, progress: p } = answerAndGrade(s, p, 0, T0, 4));
  ({ session: s, progress: p } = answerAndGrade(s, p, 0, T0, 4));
  const again = startSession({ kind: 'due', label: 'all', pool: bank, progress: p, now: T0 + MIN, newCardsPerDay: 2 });
  assert.equal(again.current, undefined, 'limit reached today');
  const tomorrow = startSession({ kind: 'due', label: 'all', pool: bank, progress: p, now: T0 + DAY, newCardsPerDay: 2 });
  assert.deepEqual([tomorrow.current, ...tomorrow.queue], ['c', 'd']);
});
