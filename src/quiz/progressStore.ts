/**
 * A typed wrapper over the extension's `globalState` (any Memento-like key-value store) for the quiz's
 * durable state: the progress record and the in-flight session (so a window reload resumes at the same
 * question). No `vscode` import: the store is passed in, and tests use an in-memory map.
 */
import { emptyProgress, readProgress, type ProgressRecord } from './progress';
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

export class ProgressStore {
  private cached: ProgressRecord | undefined;

  /** @param report receives every problem found while reading (shown to the user and logged by the caller). */
  constructor(
    private readonly store: KeyValueStore,
    private readonly report: (problem: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** The progress record. Corrupted entries are reported once and skipped; an unreadable value is backed up first. */
  async load(): Promise<ProgressRecord> {
    if (this.cached) return this.cached;
    const raw = this.store.get<unknown>(PROGRESS_KEY);
    const r = readProgress(raw);
    for (const p of r.problems) this.report(p);
    if (r.unreadable) {
      // Keep the unreadable value under a backup key so nothing is lost when new progress is saved.
      const backupKey = `${BACKUP_PREFIX}${this.now()}`;
      await this.store.update(backupKey, raw);
      this.report(`The unreadable progress was kept under "${backupKey}"; new progress starts empty.`);
    } else if (r.migrated) {
      await this.store.update(PROGRESS_KEY, r.record);
    }
    this.cached = r.record;
    return r.record;
  }

  async save(record: ProgressRecord): Promise<void> {
    this.cached = record;
    await this.store.update(PROGRESS_KEY, record);
  }

  async reset(): Promise<void> {
    await this.save(emptyProgress());
  }

  loadSession(): SessionState | undefined {
    return readSessionState(this.store.get<unknown>(SESSION_KEY));
  }

  async saveSession(session: SessionState | undefined): Promise<void> {
    await this.store.update(SESSION_KEY, session);
  }
}
