/**
 * A typed wrapper over the extension's `globalState` (any Memento-like key-value store) for the quiz's
 * durable state: the progress record and the in-flight session (so a window reload resumes at the same
 * question). No `vscode` import: the stores are passed in, and tests use in-memory maps.
 */
import { randomUUID } from 'node:crypto';
import { emptyProgress, mergeEntry, mergeProgress, readProgress, type ProgressEntry, type ProgressRecord } from './progress';
import type { StoredLog } from './scheduler';
import type { SessionState } from './session';
import { readSessionState } from './session';

/** The subset of `vscode.Memento` used here. */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void> | Promise<void>;
  keys(): readonly string[];
}

/** The shared record: what older versions wrote, plus the journals of windows long gone (see `compact`). */
export const PROGRESS_KEY = 'modelLab.quiz.progress';
/** One journal per writer (window session): `${JOURNAL_PREFIX}${writerId}`. Only its own window writes it. */
export const JOURNAL_PREFIX = 'modelLab.quiz.progress.journal.';
/** Reviews made before this time (epoch ms) were reset away; journals of other windows may still hold them. */
export const RESET_KEY = 'modelLab.quiz.progress.resetAt';
export const SESSION_KEY = 'modelLab.quiz.session';
const BACKUP_PREFIX = 'modelLab.quiz.progress.unreadable.';
/** A journal untouched this long belongs to a closed window: its reviews move into the shared record. */
export const DORMANT_MS = 24 * 3600_000;

interface Journal extends ProgressRecord {
  writtenAt: number;
}

const logKey = (l: StoredLog) => `${l.review}:${l.rating}`;

/** True when every review in `journal` is in `record` already. */
function holdsAll(record: ProgressRecord, journal: ProgressRecord): boolean {
  return Object.entries(journal.entries).every(([id, e]) => {
    const have = new Set((record.entries[id]?.logs ?? []).map(logKey));
    return e.logs.every((l) => have.has(logKey(l)));
  });
}

/** The record without the reviews made before a reset. */
function sinceReset(record: ProgressRecord, resetAt: number): ProgressRecord {
  if (!resetAt) return record;
  const entries: Record<string, ProgressEntry> = {};
  for (const [id, e] of Object.entries(record.entries)) {
    const logs = e.logs.filter((l) => l.review >= resetAt);
    if (logs.length) entries[id] = { card: e.card, logs };
  }
  return { ...record, entries };
}

/**
 * Progress that two VS Code windows can write at the same time without losing a review. VS Code shares
 * `globalState` between windows but copies a write to the other windows only after a delay, and a key is
 * last-writer-wins: two windows that both rewrite one key within that delay lose one write. So no key here
 * has two writers: each window appends its own reviews to its own journal key, and a read merges the shared
 * record with every journal (per question: the union of the reviews, the card of the latest one).
 * The shared record is written only by migration, reset, and `compact`, which folds in journals of windows
 * closed for a day and deletes a journal only once a later read shows the record holds all of it.
 */
export class ProgressStore {
  private readonly reported = new Set<string>();
  private writes: Promise<unknown> = Promise.resolve();
  private readonly journalKey: string;
  private journal: ProgressRecord | undefined;
  private compacted = false;

  /**
   * @param report receives every problem found while reading (shown to the user and logged by the caller), once each.
   * @param options.writerId this window's journal name (a new one per window session by default).
   * @param options.sessionStore where the in-flight session lives: the workspace's state, so two windows never share it.
   */
  constructor(
    private readonly store: KeyValueStore,
    private readonly report: (problem: string) => void,
    private readonly now: () => number = Date.now,
    private readonly options: { writerId?: string; sessionStore?: KeyValueStore } = {},
  ) {
    this.journalKey = `${JOURNAL_PREFIX}${options.writerId ?? randomUUID()}`;
  }

  private problems(list: readonly string[]): void {
    for (const p of list) {
      if (this.reported.has(p)) continue;
      this.reported.add(p);
      this.report(p);
    }
  }

  /** The shared record. An unreadable value is backed up first; an old version is migrated in place. */
  private async loadBase(): Promise<ProgressRecord> {
    const raw = this.store.get<unknown>(PROGRESS_KEY);
    const r = readProgress(raw);
    this.problems(r.problems);
    if (r.unreadable) {
      // Keep the unreadable value under a backup key so nothing is lost, then start again from an empty record.
      const backupKey = `${BACKUP_PREFIX}${this.now()}`;
      await this.store.update(backupKey, raw);
      await this.store.update(PROGRESS_KEY, r.record);
      this.report(`The unreadable progress was kept under "${backupKey}"; new progress starts empty.`);
    } else if (r.migrated) {
      await this.store.update(PROGRESS_KEY, r.record);
    }
    return r.record;
  }

  private resetAt(): number {
    const v = this.store.get<unknown>(RESET_KEY);
    return typeof v === 'number' && Number.isFinite(v) ? v : 0;
  }

  /** Every journal in the store (this window's from memory: it is the only writer, so memory is newest). */
  private journals(): { key: string; record: ProgressRecord; writtenAt: number }[] {
    const out: { key: string; record: ProgressRecord; writtenAt: number }[] = [];
    for (const key of this.store.keys()) {
      if (!key.startsWith(JOURNAL_PREFIX) || key === this.journalKey) continue;
      const raw = this.store.get<Partial<Journal>>(key);
      const r = readProgress(raw);
      this.problems(r.problems.map((p) => `${p} (window journal ${key.slice(JOURNAL_PREFIX.length)})`));
      if (!r.unreadable) out.push({ key, record: r.record, writtenAt: typeof raw?.writtenAt === 'number' ? raw.writtenAt : 0 });
    }
    return out;
  }

  private ownJournal(): ProgressRecord {
    if (!this.journal) {
      const r = readProgress(this.store.get<unknown>(this.journalKey));
      this.journal = r.unreadable ? emptyProgress() : r.record;
    }
    return this.journal;
  }

  /** The shared record merged with the journals, own journal excluded. */
  private async othersView(): Promise<ProgressRecord> {
    const resetAt = this.resetAt();
    let record = sinceReset(await this.loadBase(), resetAt);
    for (const j of this.journals()) record = mergeProgress(record, sinceReset(j.record, resetAt)).record;
    return record;
  }

  /** All progress as this window sees it now: the shared record and every window's journal, merged per question. */
  async load(): Promise<ProgressRecord> {
    if (!this.compacted) {
      this.compacted = true;
      await this.compact();
    }
    return mergeProgress(await this.othersView(), sinceReset(this.ownJournal(), this.resetAt())).record;
  }

  /**
   * Folds the journals of windows closed for `DORMANT_MS` into the shared record. A journal is deleted only when
   * the record read now already holds all of it (so it was folded by an earlier run, long enough ago for the
   * write to have reached every window); if a racing fold lost it, it is simply folded again next time.
   */
  private async compact(): Promise<void> {
    const dormant = this.journals().filter((j) => this.now() - j.writtenAt > DORMANT_MS);
    if (dormant.length === 0) return;
    const base = await this.loadBase();
    let folded = base;
    for (const j of dormant) {
      if (holdsAll(base, j.record)) await this.store.update(j.key, undefined);
      else folded = mergeProgress(folded, j.record).record;
    }
    if (folded !== base) await this.store.update(PROGRESS_KEY, folded);
  }

  /** Writes this window's journal (the one key only this window writes), one change at a time. */
  private change<T>(change: (journal: ProgressRecord, others: ProgressRecord) => { journal: ProgressRecord; result: T }): Promise<T> {
    const step = this.writes.then(async () => {
      const others = await this.othersView();
      const { journal, result } = change(this.ownJournal(), others);
      this.journal = journal;
      const value: Journal = { ...journal, writtenAt: this.now() };
      await this.store.update(this.journalKey, Object.keys(journal.entries).length ? value : undefined);
      return result;
    });
    this.writes = step.catch(() => undefined);
    return step;
  }

  /**
   * Saves one question's entry after a grade. The journal keeps this window's reviews only (the entry's other
   * reviews are in the record or in other windows' journals), so an undo elsewhere is never undone by this copy.
   */
  async saveEntry(id: string, entry: ProgressEntry): Promise<void> {
    await this.change((journal, others) => {
      const known = new Set((others.entries[id]?.logs ?? []).map(logKey));
      const mine = entry.logs.filter((l) => !known.has(logKey(l)));
      const own = { card: entry.card, logs: mine.length ? mine : entry.logs.slice(-1) };
      return { journal: { ...journal, entries: { ...journal.entries, [id]: mergeEntry(journal.entries[id], own) } }, result: undefined };
    });
  }

  /**
   * Removes one review (an undone grade, made in this window). `after` is the entry as this window computed it
   * after the undo (undefined when the card went back to never seen); reviews of other windows are untouched.
   */
  async removeReview(id: string, after: ProgressEntry | undefined, removed: StoredLog): Promise<void> {
    await this.change((journal) => {
      const entries = { ...journal.entries };
      const cur = entries[id];
      const logs = (cur?.logs ?? []).filter((l) => logKey(l) !== logKey(removed));
      const undoneWasLast = !cur || cur.logs.at(-1)?.review === removed.review;
      if (logs.length === 0) delete entries[id];
      else entries[id] = { card: undoneWasLast && after ? after.card : cur!.card, logs };
      return { journal: { ...journal, entries }, result: undefined };
    });
  }

  /** Merges an imported record (by question id) into this window's journal; the counts compare with all progress. */
  async mergeIn(incoming: ProgressRecord): Promise<{ added: number; updated: number; unchanged: number }> {
    const { added, updated, unchanged } = mergeProgress(await this.load(), incoming);
    return this.change((journal) => ({ journal: mergeProgress(journal, incoming).record, result: { added, updated, unchanged } }));
  }

  /** Forgets all progress: later reads ignore every review made before now, in every window's journal. */
  async reset(): Promise<void> {
    await this.writes;
    const at = this.now();
    await this.store.update(RESET_KEY, at);
    await this.store.update(PROGRESS_KEY, emptyProgress());
    await this.change(() => ({ journal: emptyProgress(), result: undefined }));
  }

  /** The in-flight session of this workspace (older versions kept it in the shared state: read that once). */
  loadSession(): SessionState | undefined {
    const sessions = this.options.sessionStore ?? this.store;
    return readSessionState(sessions.get<unknown>(SESSION_KEY) ?? (sessions === this.store ? undefined : this.store.get<unknown>(SESSION_KEY)));
  }

  async saveSession(session: SessionState | undefined): Promise<void> {
    await (this.options.sessionStore ?? this.store).update(SESSION_KEY, session);
  }
}
