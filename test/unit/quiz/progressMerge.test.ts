// Two VS Code windows share one globalState. Each window's ProgressStore writes per question (read, merge,
// write), so answers given in both windows at the same time are all kept. Here two stores run on one shared
// key-value store, interleaving grades and an undo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyGrade, Rating } from '../../../src/quiz/scheduler';
import { PROGRESS_KEY, ProgressStore, type KeyValueStore } from '../../../src/quiz/progressStore';
import type { ProgressEntry } from '../../../src/quiz/progress';

const T0 = Date.UTC(2026, 0, 5, 9);
const MIN = 60_000;

class SharedState implements KeyValueStore {
  readonly map = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.map.get(key) as T | undefined;
  }
  /** Like VS Code's Memento: the value is set when update is called; persisting it takes a while. */
  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.map.delete(key);
    else this.map.set(key, JSON.parse(JSON.stringify(value)));
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** What a window does after a grade: take its view of the entry, apply the grade, save that entry. */
async function gradeIn(store: ProgressStore, id: string, now: number, rating: 1 | 3): Promise<ProgressEntry> {
  const before = (await store.load()).entries[id];
  const { card, log } = applyGrade(before?.card, now, rating, rating !== 1);
  const entry = { card, logs: [...(before?.logs ?? []), log] };
  await store.saveEntry(id, entry);
  return entry;
}

test('two windows grading at the same time lose no review', async () => {
  const shared = new SharedState();
  const problems: string[] = [];
  const a = new ProgressStore(shared, (p) => problems.push(p));
  const b = new ProgressStore(shared, (p) => problems.push(p));
  // Both windows load the same (empty) record, then grade different questions concurrently.
  await Promise.all([a.load(), b.load()]);
  await Promise.all([gradeIn(a, 'q1', T0, 3), gradeIn(b, 'q2', T0 + 1, 3), gradeIn(a, 'q3', T0 + 2, 1), gradeIn(b, 'q4', T0 + 3, 3)]);
  const after = await a.load();
  assert.deepEqual(Object.keys(after.entries).sort(), ['q1', 'q2', 'q3', 'q4']);
  // The same question graded in both windows keeps both reviews.
  await Promise.all([gradeIn(a, 'q1', T0 + 10 * MIN, 3), gradeIn(b, 'q1', T0 + 11 * MIN, 1)]);
  const q1 = (await b.load()).entries.q1!;
  assert.deepEqual(q1.logs.map((l) => l.review), [T0, T0 + 10 * MIN, T0 + 11 * MIN]);
  assert.equal(q1.card.last_review, T0 + 11 * MIN, 'the card of the latest review wins');
  assert.deepEqual(problems, []);
});

test('a whole-record save would have lost the other window’s review (what the merge prevents)', async () => {
  // The old way: each window writes its whole cached record. Shown here so the test above means something.
  const shared = new SharedState();
  const cachedA: Record<string, unknown> = {};
  const cachedB: Record<string, unknown> = {};
  const g1 = applyGrade(undefined, T0, 3, true);
  const g2 = applyGrade(undefined, T0, 3, true);
  cachedA.q1 = { card: g1.card, logs: [g1.log] };
  cachedB.q2 = { card: g2.card, logs: [g2.log] };
  await shared.update(PROGRESS_KEY, { version: 2, entries: cachedA });
  await shared.update(PROGRESS_KEY, { version: 2, entries: cachedB });
  const stored = shared.get<{ entries: Record<string, unknown> }>(PROGRESS_KEY)!;
  assert.deepEqual(Object.keys(stored.entries), ['q2']);
});

test('an undo in one window removes only its own review; the other window’s review of the same question stays', async () => {
  const shared = new SharedState();
  const a = new ProgressStore(shared, () => undefined);
  const b = new ProgressStore(shared, () => undefined);
  const first = await gradeIn(a, 'q', T0, Rating.Good);
  const mine = first.logs.at(-1)!;
  await gradeIn(b, 'q', T0 + 5 * MIN, Rating.Again);
  // Window A undoes its grade: its view of the entry after the undo is "never seen".
  await a.removeReview('q', undefined, mine);
  const q = (await b.load()).entries.q!;
  assert.deepEqual(q.logs.map((l) => l.review), [T0 + 5 * MIN]);
  assert.equal(q.card.last_review, T0 + 5 * MIN);
  // Undoing the only review removes the entry (the card is new again).
  await b.removeReview('q', undefined, q.logs[0]!);
  assert.equal((await a.load()).entries.q, undefined);
});

test('an import merges into what is stored now, not into a stale copy', async () => {
  const shared = new SharedState();
  const a = new ProgressStore(shared, () => undefined);
  const b = new ProgressStore(shared, () => undefined);
  await a.load();
  await gradeIn(b, 'q1', T0, 3);
  const g = applyGrade(undefined, T0 + MIN, 3, true);
  const counts = await a.mergeIn({ version: 2, entries: { q2: { card: g.card, logs: [g.log] } } });
  assert.deepEqual(counts, { added: 1, updated: 0, unchanged: 0 });
  assert.deepEqual(Object.keys((await b.load()).entries).sort(), ['q1', 'q2']);
});
