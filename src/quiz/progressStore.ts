/**
 * A typed wrapper over the extension's `globalState` (any Memento-like key-value store) for the quiz's
 * durable state: the progress record and the in-flight session (so a window reload resumes at the same
 * question). No `vscode` import: the store is passed in, and tests use an in-memory map.
 */
import { emptyProgress, mergeEntry, mergeProgress, readProgress, type ProgressEntry, type ProgressRecord } from './progress';
import type { StoredLog } from './scheduler';
import type { SessionState } from './session';
import { readSessionState } from './session';

/** The subset of `vscode.Memento` used here. */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void> | Promise<void>;
}

export const PROGRESS_KEY = 'modelLab.quiz.progress';
export const SESSION_KEY = 'modelLab.quiz.session';
const BACKUP_PREFIX = 'modelLab.quiz.progress.unreadable.';

/**
 * Progress is written per question: read what is stored now, merge this window's change for that one
 * question into it, write. Two VS Code windows answering at the same time then lose no review — each write
 * starts from the other window's last write (VS Code shares `globalState` between windows). Within one
 * window, writes are chained so they never interleave.
 */
export class ProgressStore {
  private cached: { raw: unknown; record: ProgressRecord } | undefined;
  private readonly reported = new Set<string>();
  private writes: Promise<unknown> = Promise.resolve();

  /** @param report receives every problem found while reading (shown to the user and logged by the caller), once each. */
  constructor(
    private readonly store: KeyValueStore,
    private readonly report: (problem: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** The progress record as stored now. Corrupted entries are reported once and skipped; an unreadable value is backed up first. */
  async load(): Promise<ProgressRecord> {
    const raw = this.store.get<unknown>(PROGRESS_KEY);
    if (this.cached && this.cached.raw === raw) return this.cached.record;
    const r = readProgress(raw);
    for (const p of r.problems) {
      if (this.reported.has(p)) continue;
      this.reported.add(p);
      this.report(p);
    }
    if (r.unreadable) {
      // Keep the unreadable value under a backup key so nothing is lost, then start again from an empty record.
      const backupKey = `${BACKUP_PREFIX}${this.now()}`;
      await this.store.update(backupKey, raw);
      await this.store.update(PROGRESS_KEY, r.record);
      this.report(`The unreadable progress was kept under "${backupKey}"; new progress starts empty.`);
    } else if (r.migrated) {
      await this.store.update(PROGRESS_KEY, r.record);
    }
    this.cached = { raw: this.store.get<unknown>(PROGRESS_KEY), record: r.record };
    return r.record;
  }

  /** The stored record, read synchronously (a readable, current-version value, as `load` leaves it). */
  private readNow(): ProgressRecord {
    const raw = this.store.get<unknown>(PROGRESS_KEY);
    if (this.cached && this.cached.raw === raw) return this.cached.record;
    const record = readProgress(raw).record;
    this.cached = { raw, record };
    return record;
  }

  /**
   * Runs `change` on the record as stored at this instant and writes the result, one change at a time. The
   * read and the write happen in one synchronous step (VS Code's Memento sets its value when `update` is
   * called and persists it afterwards), so nothing another store wrote can slip in between.
   */
  private change<T>(change: (stored: ProgressRecord) => { record: ProgressRecord; result: T }): Promise<T> {
    const step = this.writes.then(async () => {
      await this.load(); // migrations, backups and problem reports first
      const { record, result } = change(this.readNow());
      const written = this.store.update(PROGRESS_KEY, record);
      this.cached = { raw: this.store.get<unknown>(PROGRESS_KEY), record };
      await written;
      return result;
    });
    this.writes = step.catch(() => undefined);
    return step;
  }

  /** Saves one question's entry after a grade, merged with the stored one (another window may have graded it too). */
  async saveEntry(id: string, entry: ProgressEntry): Promise<void> {
    await this.change((stored) => ({ record: { ...stored, entries: { ...stored.entries, [id]: mergeEntry(stored.entries[id], entry) } }, result: undefined }));
  }

  /**
   * Removes one review (an undone grade). `after` is the entry as this window computed it after the undo
   * (undefined when the card went back to never seen); reviews another window added meanwhile are kept.
   */
  async removeReview(id: string, after: ProgressEntry | undefined, removed: StoredLog): Promise<void> {
    await this.change((stored) => {
      const entries = { ...stored.entries };
      const cur = entries[id];
      const logs = (cur?.logs ?? []).filter((l) => !(l.review === removed.review && l.rating === removed.rating));
      const undoneWasLast = !cur || cur.logs.at(-1)?.review === removed.review;
      if (logs.length === 0) delete entries[id];
      else entries[id] = { card: undoneWasLast && after ? after.card : cur!.card, logs };
      return { record: { ...stored, entries }, result: undefined };
    });
  }

  /** Merges an imported record into the stored one (by question id); returns the counts for the message. */
  mergeIn(incoming: ProgressRecord): Promise<{ added: number; updated: number; unchanged: number }> {
    return this.change((stored) => {
      const { record, ...counts } = mergeProgress(stored, incoming);
      return { record, result: counts };
    });
  }

  async reset(): Promise<void> {
    await this.change(() => ({ record: emptyProgress(), result: undefined }));
  }

  loadSession(): SessionState | undefined {
    return readSessionState(this.store.get<unknown>(SESSION_KEY));
  }

  async saveSession(session: SessionState | undefined): Promise<void> {
    await this.store.update(SESSION_KEY, session);
  }
}
