/**
 * Statistics over the progress record: accuracy per topic, streak, reviews per day and the due forecast.
 * Days are local calendar days. No `vscode` import.
 */
import type { Question } from './model';
import type { ProgressRecord } from './progress';
import { State } from './scheduler';
import { startOfDay } from './session';

export interface TopicAccuracy {
  topic: string;
  answered: number;
  correct: number;
}

export interface DayCount {
  /** YYYY-MM-DD, local. */
  day: string;
  count: number;
}

export interface QuizStats {
  questions: number;
  seen: number;
  learning: number;
  review: number;
  dueNow: number;
  totalReviews: number;
  accuracyByTopic: TopicAccuracy[];
  /** Consecutive days with at least one review, ending today (or yesterday if nothing yet today). */
  streakDays: number;
  /** The longest run of consecutive days with at least one review, ever. */
  longestStreakDays: number;
  /** Days with at least one review, ever. */
  activeDays: number;
  reviewsPerDay: DayCount[];
  /** Reviews on each of the last `heatmapDays` days (365), oldest first, ending today. */
  heatmap: DayCount[];
  /** Cards due on each of the next days; the first day includes everything overdue. */
  dueForecast: DayCount[];
}

export function dayKey(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Local midnight `n` calendar days after the day of `ms` (DST-safe: built from the calendar, not 24 h steps). */
function addDays(ms: number, n: number): number {
  const d = new Date(startOfDay(ms));
  d.setDate(d.getDate() + n);
  return d.getTime();
}

export function computeStats(
  bank: readonly Question[],
  progress: ProgressRecord,
  now: number,
  options: { historyDays: number; forecastDays: number; heatmapDays: number } = { historyDays: 30, forecastDays: 14, heatmapDays: 365 },
): QuizStats {
  const topicOf = new Map(bank.map((q) => [q.id, q.topic]));
  const byTopic = new Map<string, TopicAccuracy>();
  const perDay = new Map<string, number>();
  let seen = 0;
  let learning = 0;
  let review = 0;
  let dueNow = 0;
  let totalReviews = 0;
  const forecast = new Map<string, number>();
  const today = dayKey(now);
  const lastForecastDay = addDays(now, options.forecastDays);
  for (const [id, e] of Object.entries(progress.entries)) {
    const topic = topicOf.get(id);
    // Progress for questions no longer in the bank (or in an unloaded deck) is kept but not counted.
    if (topic === undefined) continue;
    if (e.card.state !== State.New) {
      seen++;
      if (e.card.state === State.Review) review++;
      else learning++;
      if (e.card.due <= now) dueNow++;
      if (e.card.due < lastForecastDay) {
        const day = e.card.due <= now ? today : dayKey(e.card.due);
        forecast.set(day, (forecast.get(day) ?? 0) + 1);
      }
    }
    const acc = byTopic.get(topic) ?? { topic, answered: 0, correct: 0 };
    for (const l of e.logs) {
      totalReviews++;
      acc.answered++;
      if (l.correct) acc.correct++;
      const day = dayKey(l.review);
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
    }
    byTopic.set(topic, acc);
  }
  let streakDays = 0;
  for (let k = perDay.has(today) ? 0 : 1; perDay.has(dayKey(addDays(now, -k))); k++) streakDays++;
  // Longest run: walk the active days in calendar order; a day continues a run when it is the day after the last.
  let longestStreakDays = 0;
  let run = 0;
  let previous: string | undefined;
  for (const day of [...perDay.keys()].sort()) {
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    run = previous !== undefined && dayKey(addDays(new Date(y, m - 1, d).getTime(), -1)) === previous ? run + 1 : 1;
    longestStreakDays = Math.max(longestStreakDays, run);
    previous = day;
  }
  const heatmap: DayCount[] = [];
  for (let k = options.heatmapDays - 1; k >= 0; k--) {
    const day = dayKey(addDays(now, -k));
    heatmap.push({ day, count: perDay.get(day) ?? 0 });
  }
  const reviewsPerDay: DayCount[] = [];
  for (let k = options.historyDays - 1; k >= 0; k--) {
    const day = dayKey(addDays(now, -k));
    reviewsPerDay.push({ day, count: perDay.get(day) ?? 0 });
  }
  const dueForecast: DayCount[] = [];
  for (let k = 0; k < options.forecastDays; k++) {
    const day = dayKey(addDays(now, k));
    dueForecast.push({ day, count: forecast.get(day) ?? 0 });
  }
  return {
    questions: bank.length,
    seen,
    learning,
    review,
    dueNow,
    totalReviews,
    accuracyByTopic: [...byTopic.values()].filter((t) => t.answered > 0).sort((a, b) => a.topic.localeCompare(b.topic)),
    streakDays,
    longestStreakDays,
    activeDays: perDay.size,
    reviewsPerDay,
    heatmap,
    dueForecast,
  };
}

/** Cards due now among `bank` (for the status-bar item). */
export function countDue(bank: readonly Question[], progress: ProgressRecord, now: number): number {
  let n = 0;
  for (const q of bank) {
    const e = progress.entries[q.id];
    if (e && e.card.state !== State.New && e.card.due <= now) n++;
  }
  return n;
}
