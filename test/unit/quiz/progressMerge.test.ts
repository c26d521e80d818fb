// Two VS Code windows share one globalState, but each window reads its own copy: a write reaches the other
// windows only after a delay, and the database keeps the last write of a key. Here two (or more) ProgressStores
// run on such a shared state, interleaving grades, undos, an import and compactions with the propagation held
// back, and every review must survive. The first test also shows the old design (every window rewriting one
// key) losing a review on the same schedule, so the harness can fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyGrade, Rating } from '../../../src/quiz/scheduler';
import { DORMANT_MS, JOURNAL_PREFIX, PROGRESS_KEY, ProgressStore, SESSION_KEY, type KeyValueStore } from '../../../src/quiz/progressStore';
import { emptyProgress, mergeEntry, type ProgressEntry, type ProgressRecord } from '../../../src/quiz/progress';
import { startSession } from '../../../src/quiz/session';

const T0 = Date.UTC(2026, 0, 5, 9);
const MIN = 60_000;
const json = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** The database behind globalState (last writer wins per key) and the writes not yet copied to the other windows. */
class SharedDatabase {
  readonly windows: WindowState[] = [];
  private pending: { from: WindowState; key: string; value: unknown }[] = [];
  window(): WindowState {
    const w = new WindowState(this, new Map(this.windows[0]?.local ?? []));
    this.windows.push(w);
    return w;
  }
  send(from: WindowState, key: string, value: unknown): void {
    this.pending.push({ from, key, value });
  }
  /** VS Code copying the writes to the other windows (in order), after its delay. */
  propagate(): void {
    for (const { from, key, value } of this.pending) {
      for (const w of this.windows) {
        if (w === from) continue;
        if (value === undefined) w.local.delete(key);
        else w.local.set(key, json(value));
      }
    }
    this.pending = [];
  }
}

/** One window's globalState: reads its own copy; a write is set at once here and reaches the others on propagate(). */
class WindowState implements KeyValueStore {
  constructor(
    private readonly db: SharedDatabase,
    readonly local: Map<string, unknown>,
  ) {}
  get<T>(key: string): T | undefined {
    return this.local.get(key) as T | undefined;
  }
  keys(): readonly string[] {
    return [...this.local.keys()];
  }
  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.local.delete(key);
    else this.local.set(key, json(value));
    this.db.send(this, key, value);
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

const reviews = (r: ProgressRecord) =>
  Object.entries(r.entries)
    .flatMap(([id, e]) => e.logs.map((l) => `${id}@${(l.review - T0) / MIN}`))
    .sort();

test('two windows grading within the propagation delay lose no review (the old one-key design did)', async () => {
  const db = new SharedDatabase();
  const stateA = db.window();
  const stateB = db.window();
  const problems: string[] = [];
  const a = new ProgressStore(stateA, (p) => problems.push(p), () => T0, { writerId: 'A' });
  const b = new ProgressStore(stateB, (p) => problems.push(p), () => T0, { writerId: 'B' });
  // Neither window sees the other's writes until propagate(): the worst case of VS Code's delay.
  await gradeIn(a, 'q1', T0, 3);
  await gradeIn(b, 'q2', T0 + 1 * MIN, 3);
  await gradeIn(a, 'q3', T0 + 2 * MIN, 1);
  await gradeIn(b, 'q1', T0 + 3 * MIN, 1); // the same question, before A's review reached B
  await gradeIn(a, 'q1', T0 + 4 * MIN, 3);
  db.propagate();
  await gradeIn(b, 'q3', T0 + 5 * MIN, 3);
  await Promise.all([gradeIn(a, 'q4', T0 + 6 * MIN, 3), gradeIn(b, 'q4', T0 + 7 * MIN, 1)]);
  db.propagate();
  const expected = ['q1@0', 'q1@3', 'q1@4', 'q2@1', 'q3@2', 'q3@5', 'q4@6', 'q4@7'];
  assert.deepEqual(reviews(await a.load()), expected);
  assert.deepEqual(reviews(await b.load()), expected);
  // A third window opened later sees the same, and the card of the latest review wins.
  const c = new ProgressStore(db.window(), () => undefined, () => T0, { writerId: 'C' });
  const q1 = (await c.load()).entries.q1!;
  assert.equal(q1.card.last_review, T0 + 4 * MIN);
  assert.deepEqual(reviews(await c.load()), expected);
  assert.deepEqual(problems, []);

  // The same schedule with every window rewriting one shared key (read, merge, write — the design before this
  // one): the write made later in the database wins, and a review is lost.
  const old = new SharedDatabase();
  const oldA = old.window();
  const oldB = old.window();
  const saveOld = async (s: WindowState, id: string, now: number) => {
    const stored = s.get<ProgressRecord>(PROGRESS_KEY) ?? emptyProgress();
    const { card, log } = applyGrade(stored.entries[id]?.card, now, 3, true);
    const entry = mergeEntry(stored.entries[id], { card, logs: [...(stored.entries[id]?.logs ?? []), log] });
    await s.update(PROGRESS_KEY, { ...stored, entries: { ...stored.entries, [id]: entry } });
  };
  await saveOld(oldA, 'q1', T0);
  await saveOld(oldB, 'q2', T0 + MIN);
  old.propagate();
  assert.deepEqual(reviews(oldA.get<ProgressRecord>(PROGRESS_KEY)!), ['q2@1'], 'the old design loses q1@0');
});

test('an undo in one window removes only its own review; the other window’s review of the same question stays', async () => {
  const db = new SharedDatabase();
  const a = new ProgressStore(db.window(), () => undefined, () => T0, { writerId: 'A' });
  const b = new ProgressStore(db.window(), () => undefined, () => T0, { writerId: 'B' });
  const first = await gradeIn(a, 'q', T0, Rating.Good);
  db.propagate();
  await gradeIn(b, 'q', T0 + 5 * MIN, Rating.Again); // B has seen A's review
  // Window A undoes its grade: its view of the entry after the undo is "never seen".
  await a.removeReview('q', undefined, first.logs.at(-1)!);
  db.propagate();
  for (const s of [a, b]) {
    const q = (await s.load()).entries.q!;
    assert.deepEqual(q.logs.map((l) => l.review), [T0 + 5 * MIN]);
    assert.equal(q.card.last_review, T0 + 5 * MIN);
  }
  // Undoing the only review left removes the entry (the card is new again).
  const q = (await b.load()).entries.q!;
  await b.removeReview('q', undefined, q.logs[0]!);
  db.propagate();
  assert.equal((await a.load()).entries.q, undefined);
});

test('an import in one window while the other grades keeps both', async () => {
  const db = new SharedDatabase();
  const a = new ProgressStore(db.window(), () => undefined, () => T0, { writerId: 'A' });
  const b = new ProgressStore(db.window(), () => undefined, () => T0, { writerId: 'B' });
  await gradeIn(b, 'q1', T0, 3);
  const g = applyGrade(undefined, T0 + MIN, 3, true);
  const counts = await a.mergeIn({ version: 2, entries: { q2: { card: g.card, logs: [g.log] } } });
  assert.deepEqual(counts, { added: 1, updated: 0, unchanged: 0 });
  db.propagate();
  assert.deepEqual(reviews(await b.load()), ['q1@0', 'q2@1']);
  assert.deepEqual(reviews(await a.load()), ['q1@0', 'q2@1']);
});

test('journals of closed windows fold into the shared record, are deleted only after that write arrived, and racing folds lose nothing', async () => {
  const db = new SharedDatabase();
  let now = T0;
  const clock = () => now;
  const a = new ProgressStore(db.window(), () => undefined, clock, { writerId: 'A' });
  const b = new ProgressStore(db.window(), () => undefined, clock, { writerId: 'B' });
  await gradeIn(a, 'q1', T0, 3);
  await gradeIn(b, 'q2', T0 + MIN, 3);
  db.propagate();
  // A day later both windows are closed; two new windows open at once and both compact before either sees the other.
  now = T0 + DORMANT_MS + 2 * MIN;
  const c = new ProgressStore(db.window(), () => undefined, clock, { writerId: 'C' });
  const d = new ProgressStore(db.window(), () => undefined, clock, { writerId: 'D' });
  assert.deepEqual(reviews(await c.load()), ['q1@0', 'q2@1']);
  await gradeIn(d, 'q3', now, 3);
  db.propagate();
  const journalsAfterFold = db.windows[0]!.keys().filter((k) => k.startsWith(JOURNAL_PREFIX)).sort();
  assert.ok(journalsAfterFold.includes(`${JOURNAL_PREFIX}A`) && journalsAfterFold.includes(`${JOURNAL_PREFIX}B`), 'not deleted in the run that folded them');
  assert.deepEqual(reviews(db.windows[0]!.get<ProgressRecord>(PROGRESS_KEY)!), ['q1@0', 'q2@1'], 'folded into the shared record');
  // A later window finds the record holding them and deletes the journals; nothing is lost.
  const e = new ProgressStore(db.window(), () => undefined, clock, { writerId: 'E' });
  assert.deepEqual(reviews(await e.load()), ['q1@0', 'q2@1', `q3@${(now - T0) / MIN}`]);
  db.propagate();
  const left = db.windows[0]!.keys().filter((k) => k.startsWith(JOURNAL_PREFIX)).sort();
  assert.deepEqual(left, [`${JOURNAL_PREFIX}D`], 'A and B deleted; D (written just now) kept');
  assert.deepEqual(reviews(await c.load()), ['q1@0', 'q2@1', `q3@${(now - T0) / MIN}`]);
});

test('each workspace keeps its own in-flight session: two windows never overwrite each other’s place', async () => {
  const db = new SharedDatabase();
  const shared = db.window();
  const workspaceA = db.window(); // stands in for window A's workspaceState (its own store, not shared)
  const workspaceB = new SharedDatabase().window();
  const a = new ProgressStore(shared, () => undefined, () => T0, { writerId: 'A', sessionStore: workspaceA });
  const b = new ProgressStore(db.window(), () => undefined, () => T0, { writerId: 'B', sessionStore: workspaceB });
  const sessionA = startSession({ kind: 'due', label: 'a', pool: [], progress: emptyProgress(), now: T0, newCardsPerDay: 1 });
  const sessionB = startSession({ kind: 'mistakes', label: 'b', pool: [], progress: emptyProgress(), now: T0, newCardsPerDay: 1 });
  await a.saveSession(sessionA);
  await b.saveSession(sessionB);
  assert.equal(a.loadSession()?.label, 'a');
  assert.equal(b.loadSession()?.label, 'b');
  assert.equal(shared.get(SESSION_KEY), undefined, 'nothing in the shared state');
  // A session saved by an older version in the shared state is still resumed once.
  await shared.update(SESSION_KEY, json(sessionB));
  const c = new ProgressStore(shared, () => undefined, () => T0, { writerId: 'C', sessionStore: new SharedDatabase().window() });
  assert.equal(c.loadSession()?.label, 'b');
});
