/**
 * FSRS scheduling through ts-fsrs 5, with the persisted shapes of cards and review logs (dates as epoch
 * ms, so the record is plain JSON). Anki's review flow: a wrong answer suggests Again, a right one Good;
 * the user may pick Hard or Easy instead; each grade's next interval is shown before choosing.
 * No `vscode` import.
 */
import type { Card, Grade, ReviewLog } from 'ts-fsrs' with { 'resolution-mode': 'import' };

// ts-fsrs is an ES module whose package also ships a CommonJS build (`exports.require`). TypeScript's Node16
// resolution types it as ESM only, so the values come through require() (what esbuild and tsx do anyway)
// with the ESM declarations as their type.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tsfsrs = require('ts-fsrs') as typeof import('ts-fsrs', { with: { 'resolution-mode': 'import' } });
const { fsrs, createEmptyCard } = tsfsrs;

/** ts-fsrs `Rating` values (Again 1 … Easy 4), re-declared as constants so callers need no ESM import. */
export const Rating = { Manual: 0, Again: 1, Hard: 2, Good: 3, Easy: 4 } as const;
/** ts-fsrs `State` values. */
export const State = { New: 0, Learning: 1, Review: 2, Relearning: 3 } as const;
export type State = (typeof State)[keyof typeof State];
export type { Grade };

/** A ts-fsrs Card with dates as epoch milliseconds. */
export interface StoredCard {
  due: number;
  stability: number;
  difficulty: number;
  elapsed_days: number;
  scheduled_days: number;
  learning_steps: number;
  reps: number;
  lapses: number;
  state: State;
  last_review?: number;
}

/** A ts-fsrs ReviewLog with dates as epoch ms, plus whether the answer itself was right (for accuracy stats). */
export interface StoredLog {
  rating: Grade;
  state: State;
  due: number;
  stability: number;
  difficulty: number;
  elapsed_days: number;
  last_elapsed_days: number;
  scheduled_days: number;
  learning_steps: number;
  review: number;
  correct: boolean;
}

export const GRADES: readonly Grade[] = [1, 2, 3, 4];
export const GRADE_NAMES: Record<Grade, 'again' | 'hard' | 'good' | 'easy'> = { 1: 'again', 2: 'hard', 3: 'good', 4: 'easy' };

/** What the user can change about scheduling: the retention target and parameters fitted to their reviews. */
export interface SchedulerSettings {
  /** Setting `modelLab.quiz.desiredRetention` (0.70–0.97). */
  desiredRetention: number;
  /** FSRS parameters from "Optimize Quiz Scheduling"; ts-fsrs's defaults when undefined. */
  parameters?: readonly number[];
}

// Fuzz off: intervals shown before grading must be the ones applied after grading (and tests are exact).
const makeScheduler = (s: SchedulerSettings) =>
  fsrs({ enable_fuzz: false, enable_short_term: true, request_retention: s.desiredRetention, ...(s.parameters ? { w: [...s.parameters] } : {}) });
let scheduler = makeScheduler({ desiredRetention: 0.9 });

/**
 * Sets the retention target and parameters every later grade and preview uses (the extension calls it at start
 * and whenever the setting or the fitted parameters change). Out-of-range retention is clamped to 0.70–0.97.
 */
export function configureScheduler(settings: SchedulerSettings): void {
  const desiredRetention = Math.min(0.97, Math.max(0.7, Number.isFinite(settings.desiredRetention) ? settings.desiredRetention : 0.9));
  scheduler = makeScheduler({ ...settings, desiredRetention });
}

export function toCard(s: StoredCard): Card {
  return { ...s, state: s.state as number, due: new Date(s.due), last_review: s.last_review === undefined ? undefined : new Date(s.last_review) };
}

export function fromCard(c: Card): StoredCard {
  const out: StoredCard = {
    due: c.due.getTime(),
    stability: c.stability,
    difficulty: c.difficulty,
    elapsed_days: c.elapsed_days,
    scheduled_days: c.scheduled_days,
    learning_steps: c.learning_steps,
    reps: c.reps,
    lapses: c.lapses,
    state: c.state as number as State,
  };
  if (c.last_review) out.last_review = c.last_review.getTime();
  return out;
}

function fromLog(l: ReviewLog, correct: boolean): StoredLog {
  return {
    rating: l.rating as number as Grade,
    state: l.state as number as State,
    due: l.due.getTime(),
    stability: l.stability,
    difficulty: l.difficulty,
    elapsed_days: l.elapsed_days,
    last_elapsed_days: l.last_elapsed_days,
    scheduled_days: l.scheduled_days,
    learning_steps: l.learning_steps,
    review: l.review.getTime(),
    correct,
  };
}

function toLog(l: StoredLog): ReviewLog {
  return { ...l, due: new Date(l.due), review: new Date(l.review) };
}

export function newCard(now: number): StoredCard {
  return fromCard(createEmptyCard(new Date(now)));
}

/** The grade suggested for an answer: right → Good, wrong → Again. */
export function suggestedGrade(correct: boolean): Grade {
  return (correct ? Rating.Good : Rating.Again) as Grade;
}

export interface IntervalPreview {
  readonly grade: Grade;
  readonly due: number;
  /** Anki-style short interval: 1m, 10m, 3h, 4d, 2mo, 1.3y. */
  readonly label: string;
}

/** What each grade would do now: the next due time and its interval label. */
export function previewGrades(card: StoredCard | undefined, now: number): IntervalPreview[] {
  const preview = scheduler.repeat(toCard(card ?? newCard(now)), new Date(now));
  return GRADES.map((grade) => {
    const due = preview[grade].card.due.getTime();
    return { grade, due, label: formatInterval(due - now) };
  });
}

/** Applies a grade. Returns the new card and the log to keep (the log is what `undo` needs). */
export function applyGrade(card: StoredCard | undefined, now: number, grade: Grade, correct: boolean): { card: StoredCard; log: StoredLog } {
  const item = scheduler.next(toCard(card ?? newCard(now)), new Date(now), grade);
  return { card: fromCard(item.card), log: fromLog(item.log, correct) };
}

/** Undoes a grade: the card as it was before `log` was applied. */
export function undoGrade(card: StoredCard, log: StoredLog): StoredCard {
  return fromCard(scheduler.rollback(toCard(card), toLog(log)));
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Formats a duration the way Anki labels its answer buttons. */
export function formatInterval(ms: number): string {
  const trim = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1).replace(/\.0$/, ''));
  if (ms < MINUTE) return '<1m';
  if (ms < HOUR) return `${Math.round(ms / MINUTE)}m`;
  if (ms < DAY) return `${trim(Math.round((ms / HOUR) * 10) / 10)}h`;
  const days = ms / DAY;
  if (days < 30) return `${Math.round(days)}d`;
  if (days < 365) return `${trim(Math.round((days / 30) * 10) / 10)}mo`;
  return `${trim(Math.round((days / 365) * 10) / 10)}y`;
}

/** True while a card is in (re)learning: it comes back within the same session. */
export function isLearning(card: StoredCard): boolean {
  return card.state === State.Learning || card.state === State.Relearning;
}
