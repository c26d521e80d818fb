/**
 * The counts a user sees before starting a quiz — in the status bar and the Quiz view: cards due now, new cards
 * still available today (unseen cards, capped by what is left of the daily new-card limit) and cards in learning.
 * No `vscode` import.
 */
import type { Question } from './model';
import type { ProgressRecord } from './progress';
import { State } from './scheduler';
import { newCardsSeenToday } from './session';

export interface DeckCounts {
  /** Reviewed before and due now (learning cards included). */
  readonly due: number;
  /** Never answered, and within what is left of today's new-card limit. */
  readonly newToday: number;
  /** Never answered, in all. */
  readonly unseen: number;
  /** In (re)learning: short intervals, come back within the day. */
  readonly learning: number;
  readonly total: number;
}

export function deckCounts(questions: readonly Question[], progress: ProgressRecord, now: number, newCardsPerDay: number): DeckCounts {
  let due = 0;
  let unseen = 0;
  let learning = 0;
  for (const q of questions) {
    const e = progress.entries[q.id];
    if (!e || e.card.state === State.New) {
      unseen++;
      continue;
    }
    if (e.card.state === State.Learning || e.card.state === State.Relearning) learning++;
    if (e.card.due <= now) due++;
  }
  const room = Math.max(0, newCardsPerDay - newCardsSeenToday(progress, now));
  return { due, newToday: Math.min(unseen, room), unseen, learning, total: questions.length };
}

/** "3 due · 10 new", or only the non-zero parts; "" when nothing is waiting. Strings come in localized. */
export function formatWaiting(counts: Pick<DeckCounts, 'due' | 'newToday'>, words: { due: string; new: string }): string {
  const parts: string[] = [];
  if (counts.due > 0) parts.push(`${counts.due} ${words.due}`);
  if (counts.newToday > 0) parts.push(`${counts.newToday} ${words.new}`);
  return parts.join(' · ');
}
