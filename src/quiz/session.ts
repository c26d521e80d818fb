/**
 * One quiz session as a pure state machine over plain JSON (so it can be saved in `globalState` after every
 * step and a window reload resumes at the same question): build the queue (due cards first, then new cards
 * within the daily limit), check answers, grade through FSRS, bring learning cards back within the session,
 * undo the last grade with ts-fsrs `rollback`. No `vscode` import.
 */
import type { Question } from './model';
import { nextSeed, randomSeed } from './shuffle';
import type { ProgressEntry, ProgressRecord } from './progress';
import {
  applyGrade,
  isLearning,
  previewGrades,
  suggestedGrade,
  undoGrade,
  State,
  type Grade,
  type IntervalPreview,
  type StoredLog,
} from './scheduler';

export type SessionKind = 'due' | 'topic' | 'mistakes' | 'deck';

/** What the user answered. `reveal` is an open (or code) question shown for self-grading. */
export type QuizResponse =
  | { kind: 'choice'; selected: number[] }
  | { kind: 'truefalse'; value: boolean }
  | { kind: 'reveal' }
  | { kind: 'code'; passed: boolean; detail: string };

export interface Feedback {
  /** undefined for self-graded reveals: the user's grade says whether they knew it. */
  correct?: boolean;
  response: QuizResponse;
}

export interface SessionResult {
  id: string;
  correct: boolean;
  grade: Grade;
}

interface UndoItem {
  id: string;
  log: StoredLog;
  feedback: Feedback;
  /** Whether the card was put back into the session's learning list by this grade. */
  requeued: boolean;
  /** The question that was current after this grade (put back in front of the queue on undo). */
  nextId?: string;
  /** The seed the undone question was shown with, so undo shows its options in the same order. */
  shownSeed?: number;
}

export interface SessionState {
  version: 1;
  kind: SessionKind;
  /** A description for logs and for sessions saved before `scope` existed; the title is built from `kind` and `scope`. */
  label: string;
  /** The topic slug (kind `topic`) or deck id (kind `deck`), so the title is shown in the current language. */
  scope?: string;
  /** Question ids still to show, in order. */
  queue: string[];
  /** Cards in (re)learning that come back within the session at `due`. */
  learning: { id: string; due: number }[];
  current?: string;
  phase: 'question' | 'feedback';
  feedback?: Feedback;
  results: SessionResult[];
  undo: UndoItem[];
  startedAt: number;
  /** How many questions the session started with (logged; the header shows counts that do not grow). */
  total: number;
  /** The session's seed chain: each shown question draws the next seed from it. */
  seed?: number;
  /** The seed the current question is shown with: it fixes the displayed order of its options. */
  shownSeed?: number;
}

const DAY = 86_400_000;

/** Local midnight at or before `now`. */
export function startOfDay(now: number): number {
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/** How many new cards were first seen today (their first log was made today, from the New state). */
export function newCardsSeenToday(progress: ProgressRecord, now: number): number {
  const today = startOfDay(now);
  let n = 0;
  for (const e of Object.values(progress.entries)) {
    const first = e.logs[0];
    if (first && first.state === State.New && first.review >= today) n++;
  }
  return n;
}

const isNew = (e: ProgressEntry | undefined) => !e || e.card.state === State.New;

/** Questions whose most recent answer was wrong, most recent first. */
export function mistakes(pool: readonly Question[], progress: ProgressRecord): Question[] {
  const last = (q: Question) => progress.entries[q.id]?.logs.at(-1);
  return pool.filter((q) => last(q)?.correct === false).sort((a, b) => last(b)!.review - last(a)!.review);
}

export interface StartOptions {
  kind: SessionKind;
  label: string;
  scope?: string;
  pool: readonly Question[];
  progress: ProgressRecord;
  now: number;
  /** Setting `modelLab.quiz.newCardsPerDay`. */
  newCardsPerDay: number;
  /** The session's first seed (random when omitted); tests pass one to get a reproducible session. */
  seed?: number;
}

/**
 * New cards in the order a learner meets them: easy to hard, and within each difficulty the topics take
 * turns (round robin, topics in the order they first appear; bank order within a topic), so a first session
 * over every deck is not one topic's questions in a row.
 */
export function orderNewCards(fresh: readonly Question[]): Question[] {
  const out: Question[] = [];
  for (const level of [1, 2, 3] as const) {
    const byTopic = new Map<string, Question[]>();
    for (const q of fresh) if (q.difficulty === level) byTopic.set(q.topic, [...(byTopic.get(q.topic) ?? []), q]);
    const lists = [...byTopic.values()];
    for (let k = 0; lists.some((l) => k < l.length); k++) for (const l of lists) if (k < l.length) out.push(l[k]!);
  }
  // Anything with a difficulty outside 1–3 (never in a validated bank) keeps its place at the end.
  for (const q of fresh) if (q.difficulty !== 1 && q.difficulty !== 2 && q.difficulty !== 3) out.push(q);
  return out;
}

/** A code exercise is never the first question of a session when anything else is in it. */
export function notCodeFirst(queue: readonly string[], typeOf: (id: string) => string | undefined): string[] {
  if (queue.length === 0 || typeOf(queue[0]!) !== 'code') return [...queue];
  const k = queue.findIndex((id) => typeOf(id) !== 'code');
  if (k < 0) return [...queue];
  return [queue[k]!, ...queue.slice(0, k), ...queue.slice(k + 1)];
}

/**
 * Builds a session: due cards (oldest first), then new cards up to today's remaining limit, easy to hard
 * with topics interleaved; never a code exercise first.
 */
export function startSession(o: StartOptions): SessionState {
  let queue: string[];
  const learning: { id: string; due: number }[] = [];
  if (o.kind === 'mistakes') {
    queue = mistakes(o.pool, o.progress).map((q) => q.id);
  } else {
    const endOfDay = startOfDay(o.now) + DAY;
    const due: { id: string; due: number }[] = [];
    const fresh: Question[] = [];
    for (const q of o.pool) {
      const e = o.progress.entries[q.id];
      if (isNew(e)) fresh.push(q);
      else if (e!.card.due <= o.now) due.push({ id: q.id, due: e!.card.due });
      // Learning cards due later today come back during this session, as in Anki.
      else if (isLearning(e!.card) && e!.card.due < endOfDay) learning.push({ id: q.id, due: e!.card.due });
    }
    due.sort((a, b) => a.due - b.due);
    const room = Math.max(0, o.newCardsPerDay - newCardsSeenToday(o.progress, o.now));
    queue = [...due.map((d) => d.id), ...orderNewCards(fresh).slice(0, room).map((q) => q.id)];
  }
  const typeOf = new Map(o.pool.map((q) => [q.id, q.type]));
  queue = notCodeFirst(queue, (id) => typeOf.get(id));
  const state: SessionState = {
    version: 1,
    kind: o.kind,
    label: o.label,
    ...(o.scope === undefined ? {} : { scope: o.scope }),
    queue,
    learning,
    phase: 'question',
    results: [],
    undo: [],
    startedAt: o.now,
    total: queue.length + learning.length,
    seed: o.seed ?? randomSeed(),
  };
  return advance(state, o.now);
}

/** Moves to the next question: a learning card that is due, else the queue, else the earliest learning card. */
export function advance(s: SessionState, now: number): SessionState {
  const learning = [...s.learning].sort((a, b) => a.due - b.due);
  const queue = [...s.queue];
  let current: string | undefined;
  if (learning[0] && learning[0].due <= now) current = learning.shift()!.id;
  else if (queue.length > 0) current = queue.shift();
  else if (learning[0]) current = learning.shift()!.id; // nothing else left: learn ahead, as Anki does
  // Every showing of a question draws a fresh seed, so its options are shuffled anew each time it comes back.
  const seed = nextSeed(s.seed ?? s.startedAt);
  return { ...s, queue, learning, current, phase: 'question', feedback: undefined, seed, shownSeed: current === undefined ? undefined : seed };
}

/** Whether a response is right. undefined for a reveal (self-graded). */
export function checkResponse(q: Question, r: QuizResponse): boolean | undefined {
  switch (r.kind) {
    case 'choice': {
      if (!q.options) return false;
      const want = q.options.flatMap((o, k) => (o.correct ? [k] : []));
      const got = [...new Set(r.selected)].sort((a, b) => a - b);
      return want.length === got.length && want.every((k, i) => k === got[i]);
    }
    case 'truefalse':
      return q.truth === r.value;
    case 'code':
      return r.passed;
    case 'reveal':
      return undefined;
  }
}

/** Records the answer to the current question; the session moves to the feedback phase. */
export function answer(s: SessionState, q: Question, r: QuizResponse): SessionState {
  if (s.current !== q.id || s.phase !== 'question') return s;
  return { ...s, phase: 'feedback', feedback: { correct: checkResponse(q, r), response: r } };
}

/** The grade preselected after an answer: Good when right, Again when wrong; Good for a reveal. */
export function defaultGrade(f: Feedback): Grade {
  return suggestedGrade(f.correct !== false);
}

export function intervalsFor(progress: ProgressRecord, id: string, now: number): IntervalPreview[] {
  return previewGrades(progress.entries[id]?.card, now);
}

/**
 * Grades the current question. Returns the new session and progress; the caller saves both. A wrong answer
 * graded Hard or better still counts as wrong for accuracy; a reveal graded Again counts as wrong.
 */
export function grade(s: SessionState, progress: ProgressRecord, g: Grade, now: number): { session: SessionState; progress: ProgressRecord } {
  if (!s.current || s.phase !== 'feedback' || !s.feedback) return { session: s, progress };
  const id = s.current;
  const correct = s.feedback.correct ?? g !== 1;
  const entry = progress.entries[id];
  const { card, log } = applyGrade(entry?.card, now, g, correct);
  const nextProgress: ProgressRecord = {
    ...progress,
    entries: { ...progress.entries, [id]: { card, logs: [...(entry?.logs ?? []), log] } },
  };
  const requeued = isLearning(card) && card.due < startOfDay(now) + DAY;
  const learning = requeued ? [...s.learning, { id, due: card.due }] : s.learning;
  const graded: SessionState = {
    ...s,
    learning,
    results: [...s.results, { id, correct, grade: g }],
  };
  const next = advance(graded, now);
  const undoItem: UndoItem = { id, log, feedback: s.feedback, requeued, nextId: next.current, shownSeed: s.shownSeed };
  return { session: { ...next, undo: [...s.undo, undoItem].slice(-50) }, progress: nextProgress };
}

/** Undoes the last grade (ts-fsrs rollback): the card, its log and the session return to the feedback step. */
export function undo(s: SessionState, progress: ProgressRecord): { session: SessionState; progress: ProgressRecord } | undefined {
  const item = s.undo.at(-1);
  if (!item) return undefined;
  const entry = progress.entries[item.id];
  if (!entry || entry.logs.at(-1)?.review !== item.log.review) return undefined;
  const card = undoGrade(entry.card, item.log);
  const entries = { ...progress.entries };
  const logs = entry.logs.slice(0, -1);
  // A card graded for the first time goes back to "never seen", so the daily new-card count drops again.
  if (logs.length === 0) delete entries[item.id];
  else entries[item.id] = { card, logs };
  let learning = s.learning;
  if (item.requeued) {
    const k = learning.findIndex((l) => l.id === item.id);
    if (k >= 0) learning = [...learning.slice(0, k), ...learning.slice(k + 1)];
  }
  const queue = [...s.queue];
  if (s.current !== undefined && s.current !== item.id) {
    // The question shown after the undone grade goes back where it came from.
    if (!learning.some((l) => l.id === s.current) && !queue.includes(s.current)) queue.unshift(s.current);
  }
  return {
    session: {
      ...s,
      queue,
      learning,
      current: item.id,
      shownSeed: item.shownSeed,
      phase: 'feedback',
      feedback: item.feedback,
      results: s.results.slice(0, -1),
      undo: s.undo.slice(0, -1),
    },
    progress: { ...progress, entries },
  };
}

/** What is left of a session and what is done, as Anki counts it: never a total that grows as you answer. */
export interface SessionCounts {
  /** Grades given in this session. */
  done: number;
  /** Cards never seen before, still to show (the current one included until it is graded). */
  new: number;
  /** Cards in (re)learning still to show: they come back within the session. */
  learning: number;
  /** Review cards still to show. */
  review: number;
}

export function sessionCounts(s: SessionState, progress: ProgressRecord): SessionCounts {
  const counts: SessionCounts = { done: s.results.length, new: 0, learning: s.learning.length, review: 0 };
  const inLearning = new Set(s.learning.map((l) => l.id));
  const pending = s.current !== undefined && !inLearning.has(s.current) ? [s.current, ...s.queue] : s.queue;
  for (const id of pending) {
    const e = progress.entries[id];
    if (isNew(e)) counts.new++;
    else if (isLearning(e!.card)) counts.learning++;
    else counts.review++;
  }
  return counts;
}

export interface SessionSummary {
  answered: number;
  correct: number;
  wrongIds: string[];
  grades: Record<'again' | 'hard' | 'good' | 'easy', number>;
  durationMs: number;
}

export function summarize(s: SessionState, now: number): SessionSummary {
  const grades = { again: 0, hard: 0, good: 0, easy: 0 };
  const names = ['again', 'again', 'hard', 'good', 'easy'] as const;
  for (const r of s.results) grades[names[r.grade]]++;
  return {
    answered: s.results.length,
    correct: s.results.filter((r) => r.correct).length,
    wrongIds: [...new Set(s.results.filter((r) => !r.correct).map((r) => r.id))],
    grades,
    durationMs: now - s.startedAt,
  };
}

const KINDS: readonly SessionKind[] = ['due', 'topic', 'mistakes', 'deck'];

/** Validates a saved session (from globalState); anything malformed means "no session to resume". */
export function readSessionState(v: unknown): SessionState | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const s = v as Partial<SessionState>;
  const strings = (a: unknown) => Array.isArray(a) && a.every((x) => typeof x === 'string');
  if (s.version !== 1 || !KINDS.includes(s.kind as SessionKind) || typeof s.label !== 'string') return undefined;
  if (!strings(s.queue) || !Array.isArray(s.learning) || !Array.isArray(s.results) || !Array.isArray(s.undo)) return undefined;
  if (s.phase !== 'question' && s.phase !== 'feedback') return undefined;
  if (s.current !== undefined && typeof s.current !== 'string') return undefined;
  if (typeof s.startedAt !== 'number' || typeof s.total !== 'number') return undefined;
  if (s.seed !== undefined && typeof s.seed !== 'number') return undefined;
  if (s.shownSeed !== undefined && typeof s.shownSeed !== 'number') return undefined;
  if (s.scope !== undefined && typeof s.scope !== 'string') return undefined;
  if (s.phase === 'feedback' && (typeof s.feedback !== 'object' || s.feedback === null)) return undefined;
  return s as SessionState;
}
