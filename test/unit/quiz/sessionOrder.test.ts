// A first session that makes sense: new cards easy to hard with topics interleaved, never a code exercise
// first; a header that counts done / new / learning and never grows; options shuffled per showing from a
// seed that survives a reload (JSON round trip) and an undo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Question } from '../../../src/quiz/model';
import { emptyProgress, type ProgressRecord } from '../../../src/quiz/progress';
import { answer, grade, orderNewCards, readSessionState, sessionCounts, startSession, undo, type QuizResponse, type SessionState } from '../../../src/quiz/session';
import { optionOrder } from '../../../src/quiz/shuffle';

const T0 = new Date(2026, 0, 5, 9, 0, 0).getTime();
const MIN = 60_000;

function q(id: string, topic: string, difficulty: 1 | 2 | 3, type: Question['type'] = 'single'): Question {
  return {
    id,
    deck: `deck-${topic}`,
    topic,
    type,
    difficulty,
    prompt: { en: id },
    options: type === 'single' ? [0, 1, 2, 3].map((k) => ({ text: { en: `${id}-o${k}` }, correct: k === 0 })) : undefined,
    answer: { en: 'a' },
    explanation: { en: 'e' },
    origin: { file: 'f', line: 1, format: 'bank' },
  };
}

// Bank order: every topic lists its hardest questions first, as the bundled decks did.
const pool = [
  q('nlp-3', 'nlp', 3),
  q('nlp-2', 'nlp', 2),
  q('nlp-1a', 'nlp', 1),
  q('nlp-1b', 'nlp', 1),
  q('vis-3', 'vision', 3),
  q('vis-1', 'vision', 1),
  q('code-2', 'coding', 2, 'code'),
  q('code-1', 'coding', 1, 'code'),
  q('srv-2', 'serving', 2),
];

test('new cards go from easy to hard, topics taking turns within each difficulty', () => {
  const order = orderNewCards(pool).map((x) => x.id);
  assert.deepEqual(order, ['nlp-1a', 'vis-1', 'code-1', 'nlp-1b', 'nlp-2', 'code-2', 'srv-2', 'nlp-3', 'vis-3']);
  const difficulties = orderNewCards(pool).map((x) => x.difficulty);
  assert.deepEqual(difficulties, [...difficulties].sort(), 'never harder before easier');
});

test('a session over every deck starts with an easy question that is not a code exercise', () => {
  const s = startSession({ kind: 'due', label: 'All', pool, progress: emptyProgress(), now: T0, newCardsPerDay: 20, seed: 1 });
  assert.equal(s.current, 'nlp-1a');
  // Even when the easiest card is a code exercise, something else comes first.
  const codeFirst = [q('code-1', 'coding', 1, 'code'), q('nlp-2', 'nlp', 2)];
  const s2 = startSession({ kind: 'due', label: 'All', pool: codeFirst, progress: emptyProgress(), now: T0, newCardsPerDay: 20, seed: 1 });
  assert.equal(s2.current, 'nlp-2');
  assert.deepEqual(s2.queue, ['code-1']);
});

test('the counter shows done · new · learning and never a total that grows as you answer', () => {
  const byId = new Map(pool.map((x) => [x.id, x]));
  let s: SessionState = startSession({ kind: 'due', label: 'All', pool, progress: emptyProgress(), now: T0, newCardsPerDay: 5, seed: 3 });
  let p: ProgressRecord = emptyProgress();
  assert.deepEqual(sessionCounts(s, p), { done: 0, new: 5, learning: 0, review: 0 });
  let now = T0;
  const seen: { done: number; left: number; newLeft: number }[] = [];
  for (let step = 0; step < 20 && s.current; step++) {
    const question = byId.get(s.current)!;
    const response: QuizResponse = question.type === 'code' ? { kind: 'reveal' } : { kind: 'choice', selected: [step % 3 === 0 ? 1 : 0] };
    s = answer(s, question, response);
    const before = sessionCounts(s, p);
    const g = s.feedback!.correct === false ? 1 : 3;
    ({ session: s, progress: p } = grade(s, p, g, now));
    const after = sessionCounts(s, p);
    assert.equal(after.done, before.done + 1, 'done counts grades');
    assert.ok(after.new <= before.new, 'new never grows');
    // A graded card either leaves the session or moves to learning: what is left never grows.
    assert.ok(after.new + after.learning + after.review <= before.new + before.learning + before.review, JSON.stringify({ before, after }));
    seen.push({ done: after.done, left: after.new + after.learning + after.review, newLeft: after.new });
    now += 11 * MIN;
  }
  assert.equal(seen.at(-1)!.newLeft, 0);
  assert.ok(seen.some((x) => x.left > 0) && seen.at(-1)!.done >= 5);
});

test('options are shuffled per showing from the saved seed: a reload shows the same order, the next showing a new one', () => {
  const one = [q('a', 'nlp', 1), q('b', 'nlp', 1)];
  const s = startSession({ kind: 'due', label: 'All', pool: one, progress: emptyProgress(), now: T0, newCardsPerDay: 20, seed: 77 });
  assert.equal(typeof s.shownSeed, 'number');
  const reloaded = readSessionState(JSON.parse(JSON.stringify(s)))!;
  assert.deepEqual(optionOrder(one[0]!, reloaded.shownSeed!), optionOrder(one[0]!, s.shownSeed!));
  // Two sessions with different seeds show the first question with different seeds (and, over a few, orders).
  const orders = new Set<string>();
  for (let seed = 0; seed < 8; seed++) {
    const other = startSession({ kind: 'due', label: 'All', pool: one, progress: emptyProgress(), now: T0, newCardsPerDay: 20, seed });
    orders.add(optionOrder(one[0]!, other.shownSeed!).join(''));
  }
  assert.ok(orders.size > 1);
  // Grade, then undo: the question comes back with the order it was answered in.
  const answered = answer(s, one[0]!, { kind: 'choice', selected: [0] });
  const graded = grade(answered, emptyProgress(), 3, T0);
  assert.notEqual(graded.session.shownSeed, s.shownSeed, 'the next question draws a new seed');
  const back = undo(graded.session, graded.progress)!;
  assert.equal(back.session.shownSeed, s.shownSeed);
});

test('a session saved before seeds existed still loads, and shows its question', () => {
  const s = startSession({ kind: 'due', label: 'All', pool, progress: emptyProgress(), now: T0, newCardsPerDay: 20, seed: 1 });
  const old = JSON.parse(JSON.stringify(s)) as Record<string, unknown>;
  delete old.seed;
  delete old.shownSeed;
  const loaded = readSessionState(old);
  assert.ok(loaded);
  assert.equal(loaded.current, s.current);
});
