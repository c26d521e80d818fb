/**
 * The durable progress record: one FSRS card and its review logs per question id (so bank edits keep
 * progress), versioned, with migrations and per-entry validation. A corrupted entry is reported and
 * skipped; it never wipes the other entries. No `vscode` import.
 *
 * Version history:
 *  - v1: the first schema — dates as ISO strings, `history` as one flat list of `{ id, rating, review, correct }`.
 *  - v2 (current): dates as epoch ms; `entries[id] = { card, logs }` with full ts-fsrs review logs (needed by
 *    `rollback` for undo); v1 history entries migrate into logs with the card fields they lack set to 0.
 */
import { State, type Grade, type StoredCard, type StoredLog } from './scheduler';

export const PROGRESS_VERSION = 2;

export interface ProgressEntry {
  card: StoredCard;
  logs: StoredLog[];
}

export interface ProgressRecord {
  version: typeof PROGRESS_VERSION;
  entries: Record<string, ProgressEntry>;
}

export interface ProgressReadResult {
  record: ProgressRecord;
  /** Human-readable problems: skipped entries, or why nothing could be read. */
  problems: string[];
  /** True when the whole value was unusable (not an object, unknown version): callers must keep the raw value. */
  unreadable: boolean;
  /** True when the value was migrated from an older version and should be written back. */
  migrated: boolean;
}

export function emptyProgress(): ProgressRecord {
  return { version: PROGRESS_VERSION, entries: {} };
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isGrade = (v: unknown): v is Grade => v === 1 || v === 2 || v === 3 || v === 4;
const isState = (v: unknown): v is State => v === 0 || v === 1 || v === 2 || v === 3;

const CARD_NUMBERS = ['due', 'stability', 'difficulty', 'elapsed_days', 'scheduled_days', 'learning_steps', 'reps', 'lapses'] as const;
const LOG_NUMBERS = ['due', 'stability', 'difficulty', 'elapsed_days', 'last_elapsed_days', 'scheduled_days', 'learning_steps', 'review'] as const;

/** The fields `keys` of `v`, already checked to be numbers (copied, so unknown fields are dropped). */
function numbers<K extends string>(v: Record<string, unknown>, keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((k) => [k, v[k] as number])) as Record<K, number>;
}

/** Validates one v2 card; returns the reason it is unusable, or the card. */
function readCard(v: unknown): StoredCard | string {
  if (!isObject(v)) return 'card is not an object';
  for (const k of CARD_NUMBERS) if (!isNum(v[k])) return `card.${k} is not a number`;
  if (!isState(v.state)) return 'card.state is not 0–3';
  if (v.last_review !== undefined && !isNum(v.last_review)) return 'card.last_review is not a number';
  const card: StoredCard = { ...numbers(v, CARD_NUMBERS), state: v.state };
  if (isNum(v.last_review)) card.last_review = v.last_review;
  return card;
}

function readLog(v: unknown): StoredLog | string {
  if (!isObject(v)) return 'log is not an object';
  for (const k of LOG_NUMBERS) if (!isNum(v[k])) return `log.${k} is not a number`;
  if (!isGrade(v.rating)) return 'log.rating is not 1–4';
  if (!isState(v.state)) return 'log.state is not 0–3';
  if (typeof v.correct !== 'boolean') return 'log.correct is not a boolean';
  return { rating: v.rating, state: v.state, ...numbers(v, LOG_NUMBERS), correct: v.correct };
}

function readEntry(v: unknown): ProgressEntry | string {
  if (!isObject(v)) return 'entry is not an object';
  const card = readCard(v.card);
  if (typeof card === 'string') return card;
  if (!Array.isArray(v.logs)) return 'logs is not a list';
  const logs: StoredLog[] = [];
  for (const [k, l] of v.logs.entries()) {
    const log = readLog(l);
    if (typeof log === 'string') return `logs[${k}]: ${log}`;
    logs.push(log);
  }
  logs.sort((a, b) => a.review - b.review);
  return { card, logs };
}

const isoToMs = (v: unknown): number | undefined => {
  if (typeof v !== 'string') return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
};

/** v1 → v2: ISO dates to epoch ms; the flat history list into per-question logs. */
export function migrateV1(v1: Json, problems: string[]): Json {
  const entries: Json = {};
  const cards = isObject(v1.cards) ? v1.cards : {};
  for (const [id, c] of Object.entries(cards)) {
    if (!isObject(c)) {
      problems.push(`Progress for "${id}" (v1) is not an object; skipped.`);
      continue;
    }
    const due = isoToMs(c.due);
    if (due === undefined) {
      problems.push(`Progress for "${id}" (v1) has no valid due date; skipped.`);
      continue;
    }
    const last = isoToMs(c.last_review);
    entries[id] = { card: { ...c, due, ...(last === undefined ? { last_review: undefined } : { last_review: last }) }, logs: [] };
  }
  const history = Array.isArray(v1.history) ? v1.history : [];
  for (const h of history) {
    if (!isObject(h) || typeof h.id !== 'string' || !isObject(entries[h.id])) continue;
    const review = isoToMs(h.review);
    if (review === undefined || !isGrade(h.rating)) {
      problems.push(`A v1 review of "${h.id}" has no valid date or rating; skipped.`);
      continue;
    }
    const entry = entries[h.id] as { logs: Json[] };
    // v1 kept only the rating and time; the FSRS state before the review is unknown, so rollback across a
    // migrated log is not offered (undo only covers grades made in the current session).
    entry.logs.push({
      rating: h.rating,
      state: isState(h.state) ? h.state : State.Review,
      due: review,
      stability: 0,
      difficulty: 0,
      elapsed_days: 0,
      last_elapsed_days: 0,
      scheduled_days: 0,
      learning_steps: 0,
      review,
      correct: typeof h.correct === 'boolean' ? h.correct : h.rating !== 1,
    });
  }
  // v1 kept no elapsed days, but they follow from the review times (the optimizer needs them).
  for (const e of Object.values(entries) as { logs: { review: number; elapsed_days: number; last_elapsed_days: number }[] }[]) {
    e.logs.sort((a, b) => a.review - b.review);
    e.logs.forEach((l, k) => {
      l.elapsed_days = k === 0 ? 0 : daysBetween(e.logs[k - 1]!.review, l.review);
      l.last_elapsed_days = k <= 1 ? 0 : e.logs[k - 1]!.elapsed_days;
    });
  }
  return { version: 2, entries };
}

const DAY = 86_400_000;

/** Whole calendar days between two instants (UTC days, as ts-fsrs counts `elapsed_days`). */
export function daysBetween(earlier: number, later: number): number {
  return Math.max(0, Math.floor(later / DAY) - Math.floor(earlier / DAY));
}

/**
 * Reads a stored or imported value. Never throws. Unknown or corrupted entries are skipped and listed in
 * `problems`; an unreadable whole value yields an empty record with `unreadable: true`.
 */
export function readProgress(raw: unknown): ProgressReadResult {
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { record: emptyProgress(), problems, unreadable: false, migrated: false };
  if (!isObject(raw)) {
    return { record: emptyProgress(), problems: ['The progress record is not a JSON object.'], unreadable: true, migrated: false };
  }
  let value = raw;
  let migrated = false;
  if (value.version === 1) {
    value = migrateV1(value, problems);
    migrated = true;
  }
  if (value.version !== PROGRESS_VERSION) {
    const newer = isNum(value.version) && value.version > PROGRESS_VERSION;
    return {
      record: emptyProgress(),
      problems: [
        newer
          ? `The progress record is version ${String(value.version)}, newer than this Model Lab understands (${PROGRESS_VERSION}); update the extension.`
          : `The progress record has an unknown version (${JSON.stringify(value.version)}).`,
      ],
      unreadable: true,
      migrated: false,
    };
  }
  const record = emptyProgress();
  if (!isObject(value.entries)) {
    return { record, problems: ['The progress record has no "entries" object.'], unreadable: true, migrated: false };
  }
  for (const [id, e] of Object.entries(value.entries)) {
    const entry = readEntry(e);
    if (typeof entry === 'string') problems.push(`Progress for "${id}" is corrupted (${entry}); it was skipped, the rest is kept.`);
    else record.entries[id] = entry;
  }
  return { record, problems, unreadable: false, migrated };
}

const logKey = (l: StoredLog) => `${l.review}:${l.rating}`;

/**
 * One question's progress from two sources (two windows, or a record and an import): the union of their
 * reviews (one review is one time and rating) and the card of whichever was reviewed last.
 */
export function mergeEntry(base: ProgressEntry | undefined, incoming: ProgressEntry): ProgressEntry {
  if (!base) return incoming;
  const seen = new Set(base.logs.map(logKey));
  const extra = incoming.logs.filter((l) => !seen.has(logKey(l)));
  const incNewer = (incoming.card.last_review ?? 0) >= (base.card.last_review ?? 0);
  return { card: incNewer ? incoming.card : base.card, logs: [...base.logs, ...extra].sort((a, b) => a.review - b.review) };
}

/**
 * Merges `incoming` into `base` by question id. For an id in both, the logs are united (deduplicated by
 * review time and rating) and the card with the later last review wins. Returns counts for the message.
 */
export function mergeProgress(base: ProgressRecord, incoming: ProgressRecord): { record: ProgressRecord; added: number; updated: number; unchanged: number } {
  const record: ProgressRecord = { version: PROGRESS_VERSION, entries: { ...base.entries } };
  let added = 0;
  let updated = 0;
  let unchanged = 0;
  for (const [id, inc] of Object.entries(incoming.entries)) {
    const cur = record.entries[id];
    if (!cur) {
      record.entries[id] = inc;
      added++;
      continue;
    }
    const key = (l: StoredLog) => `${l.review}:${l.rating}`;
    const seen = new Set(cur.logs.map(key));
    const extra = inc.logs.filter((l) => !seen.has(key(l)));
    const incNewer = (inc.card.last_review ?? 0) > (cur.card.last_review ?? 0);
    if (extra.length === 0 && !incNewer) {
      unchanged++;
      continue;
    }
    record.entries[id] = {
      card: incNewer ? inc.card : cur.card,
      logs: [...cur.logs, ...extra].sort((a, b) => a.review - b.review),
    };
    updated++;
  }
  return { record, added, updated, unchanged };
}

/** The export file: the record plus a marker so a wrong JSON file is recognised as such on import. */
export interface ProgressExportFile {
  format: 'model-lab-quiz-progress';
  exportedAt: number;
  progress: ProgressRecord;
}

export function toExportFile(record: ProgressRecord, now: number): ProgressExportFile {
  return { format: 'model-lab-quiz-progress', exportedAt: now, progress: record };
}

/**
 * Reads an export file's text. Any error that makes the whole file unusable is returned as `error` (the
 * caller then changes nothing); skipped entries are `problems`.
 */
export function readExportFile(text: string): { record?: ProgressRecord; problems: string[]; error?: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { problems: [], error: `The file is not valid JSON (${e instanceof Error ? e.message : String(e)}).` };
  }
  if (!isObject(json) || json.format !== 'model-lab-quiz-progress') {
    return { problems: [], error: 'The file is not a Model Lab progress export (it lacks "format": "model-lab-quiz-progress").' };
  }
  const r = readProgress(json.progress);
  if (r.unreadable) return { problems: r.problems, error: r.problems[0] ?? 'The progress in the file is unreadable.' };
  return { record: r.record, problems: r.problems };
}
