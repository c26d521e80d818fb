import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deckCounts, formatWaiting } from '../../../src/quiz/deckCounts';
import type { Question } from '../../../src/quiz/model';
import { emptyProgress, type ProgressRecord } from '../../../src/quiz/progress';
import { applyGrade } from '../../../src/quiz/scheduler';

const DAY = 86_400_000;
const now = Date.UTC(2026, 11, 4, 12);
const question = (id: string) => ({ id }) as unknown as Question;
const bank = ['a', 'b', 'c', 'd', 'e'].map(question);

function answered(record: ProgressRecord, id: string, at: number, grade: 1 | 4): void {
  const { card, log } = applyGrade(record.entries[id]?.card, at, grade, grade !== 1);
  record.entries[id] = { card, logs: [...(record.entries[id]?.logs ?? []), log] };
}

test('deck counts: a fresh deck is all new, capped by the daily limit', () => {
  assert.deepEqual(deckCounts(bank, emptyProgress(), now, 3), { due: 0, newToday: 3, unseen: 5, learning: 0, total: 5 });
  assert.deepEqual(deckCounts(bank, emptyProgress(), now, 20), { due: 0, newToday: 5, unseen: 5, learning: 0, total: 5 });
});

test('deck counts: new cards answered today use up the limit; an old review that is due counts as due', () => {
  const p = emptyProgress();
  answered(p, 'a', now - 10_000, 1); // today, Again: learning, due again in under a minute
  answered(p, 'b', now - 60 * DAY, 4); // two months ago, Easy: in review, long due by now
  const c = deckCounts(bank, p, now, 2);
  assert.equal(c.unseen, 3);
  assert.equal(c.newToday, 1, 'one of the two new cards allowed today was used by a');
  assert.equal(c.learning, 1);
  assert.equal(c.due, 1, 'b is due; a comes back in a few minutes');
  assert.equal(deckCounts(bank, p, now + 60 * 60_000, 2).due, 2, 'an hour later a is due too');
  assert.equal(deckCounts(bank, p, now + DAY, 2).newToday, 2, 'the limit resets the next day');
});

test('waiting text: only the non-zero parts', () => {
  const words = { due: 'due', new: 'new' };
  assert.equal(formatWaiting({ due: 3, newToday: 10 }, words), '3 due · 10 new');
  assert.equal(formatWaiting({ due: 0, newToday: 20 }, words), '20 new');
  assert.equal(formatWaiting({ due: 4, newToday: 0 }, words), '4 due');
  assert.equal(formatWaiting({ due: 0, newToday: 0 }, words), '');
});
