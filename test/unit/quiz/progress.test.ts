import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyGrade, Rating, State } from '../../../src/quiz/scheduler';
import { emptyProgress, mergeProgress, readExportFile, readProgress, toExportFile, type ProgressRecord } from '../../../src/quiz/progress';
import { PROGRESS_KEY, ProgressStore, SESSION_KEY, type KeyValueStore } from '../../../src/quiz/progressStore';
import { startSession } from '../../../src/quiz/session';

const T0 = Date.UTC(2026, 0, 5, 9);

function record(): ProgressRecord {
  const p = emptyProgress();
  for (const id of ['a', 'b', 'c']) {
    const g = applyGrade(undefined, T0, Rating.Good, true);
    p.entries[id] = { card: g.card, logs: [g.log] };
  }
  return p;
}

class MemoryStore implements KeyValueStore {
  readonly map = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.map.get(key) as T | undefined;
  }
  keys(): readonly string[] {
    return [...this.map.keys()];
  }
  async update(key: string, value: unknown): Promise<void> {
    // Like globalState, values are stored as JSON.
    if (value === undefined) this.map.delete(key);
    else this.map.set(key, JSON.parse(JSON.stringify(value)));
  }
}

test('a record survives a JSON round trip unchanged', () => {
  const p = record();
  const r = readProgress(JSON.parse(JSON.stringify(p)));
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.record, p);
});

test('a corrupted entry is reported and skipped; the other entries are kept', () => {
  const raw = JSON.parse(JSON.stringify(record())) as { entries: Record<string, { card: Record<string, unknown>; logs: unknown[] }> };
  raw.entries.b!.card.due = 'yesterday';
  raw.entries.c!.logs.push({ rating: 9 });
  (raw.entries as Record<string, unknown>).d = 42;
  const r = readProgress(raw);
  assert.deepEqual(Object.keys(r.record.entries), ['a']);
  assert.equal(r.problems.length, 3);
  assert.match(r.problems.join('\n'), /"b" is corrupted \(card\.due is not a number\)/);
  assert.match(r.problems.join('\n'), /"c" is corrupted \(logs\[1\]: log\.stability is not a number\)|"c" is corrupted \(logs\[1\]/);
  assert.equal(r.unreadable, false);
});

test('v1 records migrate to v2: ISO dates to epoch ms, flat history to per-card logs', () => {
  const v1 = {
    version: 1,
    cards: {
      a: { due: '2026-01-06T09:00:00.000Z', stability: 3, difficulty: 5, elapsed_days: 0, scheduled_days: 1, learning_steps: 0, reps: 1, lapses: 0, state: 2, last_review: '2026-01-05T09:00:00.000Z' },
      broken: { due: 'not a date' },
    },
    history: [
      { id: 'a', rating: 3, review: '2026-01-05T09:00:00.000Z', correct: true },
      { id: 'a', rating: 7, review: '2026-01-05T09:00:00.000Z' },
    ],
  };
  const r = readProgress(v1);
  assert.equal(r.migrated, true);
  assert.equal(r.record.version, 2);
  assert.equal(r.record.entries.a!.card.due, Date.UTC(2026, 0, 6, 9));
  assert.equal(r.record.entries.a!.card.last_review, Date.UTC(2026, 0, 5, 9));
  assert.equal(r.record.entries.a!.card.state, State.Review);
  assert.equal(r.record.entries.a!.logs.length, 1);
  assert.equal(r.record.entries.a!.logs[0]!.rating, 3);
  assert.equal(r.record.entries.broken, undefined);
  assert.equal(r.problems.length, 2);
});

test('unreadable or newer records are reported, not silently replaced', async () => {
  assert.equal(readProgress('garbage').unreadable, true);
  assert.match(readProgress({ version: 99, entries: {} }).problems[0]!, /newer/);
  const store = new MemoryStore();
  store.map.set(PROGRESS_KEY, { version: 99, entries: { a: 1 } });
  const problems: string[] = [];
  const ps = new ProgressStore(store, (p) => problems.push(p), () => 123);
  const loaded = await ps.load();
  assert.deepEqual(loaded.entries, {});
  assert.deepEqual(store.get('modelLab.quiz.progress.unreadable.123'), { version: 99, entries: { a: 1 } });
  assert.equal(problems.length, 2);
});

test('the store migrates v1 in place and round-trips sessions; a malformed session is ignored', async () => {
  const store = new MemoryStore();
  store.map.set(PROGRESS_KEY, { version: 1, cards: {}, history: [] });
  const ps = new ProgressStore(store, () => undefined);
  await ps.load();
  assert.equal((store.get(PROGRESS_KEY) as { version: number }).version, 2);
  const session = startSession({ kind: 'due', label: 'all', pool: [], progress: emptyProgress(), now: T0, newCardsPerDay: 1 });
  await ps.saveSession(session);
  assert.deepEqual(ps.loadSession(), JSON.parse(JSON.stringify(session)));
  store.map.set(SESSION_KEY, { version: 1, kind: 'nope' });
  assert.equal(ps.loadSession(), undefined);
});

test('import merges by id and never loses existing progress; bad files change nothing', () => {
  const mine = record();
  const theirs = emptyProgress();
  const later = applyGrade(mine.entries.a!.card, T0 + 600_000, Rating.Good, true);
  theirs.entries.a = { card: later.card, logs: [mine.entries.a!.logs[0]!, later.log] };
  const g = applyGrade(undefined, T0, Rating.Again, false);
  theirs.entries.z = { card: g.card, logs: [g.log] };
  const file = JSON.stringify(toExportFile(theirs, T0));
  const parsed = readExportFile(file);
  assert.equal(parsed.error, undefined);
  const merged = mergeProgress(mine, parsed.record!);
  assert.deepEqual([merged.added, merged.updated, merged.unchanged], [1, 1, 0]);
  assert.equal(merged.record.entries.a!.logs.length, 2, 'logs united without duplicates');
  assert.equal(merged.record.entries.a!.card.state, State.Review);
  assert.ok(merged.record.entries.b && merged.record.entries.c, 'entries only in the base are kept');
  // Merging an older copy back changes nothing.
  const again = mergeProgress(merged.record, mine);
  assert.deepEqual([again.added, again.updated, again.unchanged], [0, 0, 3]);
  assert.match(readExportFile('{not json').error!, /not valid JSON/);
  assert.match(readExportFile('{"hello":1}').error!, /not a Model Lab progress export/);
  assert.match(readExportFile(JSON.stringify({ format: 'model-lab-quiz-progress', progress: { version: 7 } })).error!, /version/);
});

test('v1 migration keeps every review with what the optimizer needs: card id, time, rating, state, elapsed days', () => {
  const v1 = {
    version: 1,
    cards: {
      a: { due: '2026-01-12T09:00:00.000Z', stability: 5, difficulty: 5, elapsed_days: 3, scheduled_days: 4, learning_steps: 0, reps: 3, lapses: 0, state: 2, last_review: '2026-01-08T09:00:00.000Z' },
    },
    history: [
      { id: 'a', rating: 3, review: '2026-01-08T09:00:00.000Z', correct: true, state: 2 },
      { id: 'a', rating: 3, review: '2026-01-05T09:00:00.000Z', correct: true, state: 0 },
      { id: 'a', rating: 1, review: '2026-01-05T09:10:00.000Z', correct: false, state: 1 },
    ],
  };
  const r = readProgress(v1);
  assert.deepEqual(r.problems, []);
  const logs = r.record.entries.a!.logs;
  assert.deepEqual(
    logs.map((l) => [new Date(l.review).toISOString(), l.rating, l.state, l.elapsed_days]),
    [
      ['2026-01-05T09:00:00.000Z', 3, 0, 0],
      ['2026-01-05T09:10:00.000Z', 1, 1, 0],
      ['2026-01-08T09:00:00.000Z', 3, 2, 3],
    ],
  );
});
