/**
 * Position rules for the bundled bank (issue #14 §1): the files themselves must not give the answer away
 * by where it stands. The bank is exported to Anki and read as Markdown, where the quiz's display-time
 * shuffle does not apply, so the rules are about the order and wording in the files.
 *
 * - no option position holds more than 40 % of the single-choice answers;
 * - the correct single-choice option is the longest option in at most 40 % of them (in each language);
 * - true/false answers are between 40 % and 60 % "true";
 * - a multiple-choice question does not list all its correct options first (per question);
 * - explanations and answers do not name options by letter or position ("option B", "the first three",
 *   "选项 B", "前三项"): the quiz shows options shuffled, so such a reference would point at the wrong one.
 *
 * No `vscode` import.
 */
import { LANGS, type Lang, type Question, type QuizIssue } from './model';

export const POSITION_LIMITS = {
  /** Largest share of single-choice answers one position may hold. */
  maxSinglePositionShare: 0.4,
  /** Largest share of single-choice questions whose correct option is the longest. */
  maxLongestCorrectShare: 0.4,
  minTrueShare: 0.4,
  maxTrueShare: 0.6,
} as const;

export interface PositionShares {
  readonly singleCount: number;
  /** Index k holds the number of single-choice questions whose answer is option k + 1. */
  readonly singleByPosition: readonly number[];
  /** Ids of single-choice questions by answer position (index k: answer is option k + 1). */
  readonly singleIdsByPosition: readonly (readonly string[])[];
  /** Ids of single-choice questions whose correct option is longer than every other option, per language. */
  readonly longestCorrect: Readonly<Record<Lang, readonly string[]>>;
  readonly trueFalseCount: number;
  readonly trueIds: readonly string[];
  readonly falseIds: readonly string[];
}

const percent = (x: number) => `${Math.round(x * 100)}%`;

/** Counts where the answers stand over a set of questions (the whole bundled bank, in the tests). */
export function positionShares(questions: readonly Question[]): PositionShares {
  const singleIdsByPosition: string[][] = [];
  const longestCorrect: Record<Lang, string[]> = { en: [], zh: [] };
  const trueIds: string[] = [];
  const falseIds: string[] = [];
  let singleCount = 0;
  for (const q of questions) {
    if (q.type === 'truefalse' && q.truth !== undefined) (q.truth ? trueIds : falseIds).push(q.id);
    if (q.type !== 'single' || !q.options) continue;
    const k = q.options.findIndex((o) => o.correct);
    if (k < 0) continue;
    singleCount++;
    while (singleIdsByPosition.length <= k) singleIdsByPosition.push([]);
    singleIdsByPosition[k]!.push(q.id);
    for (const lang of LANGS) {
      const lengths = q.options.map((o) => [...(o.text[lang] ?? '').trim()].length);
      // Strictly longest: when another option is as long, length no longer singles the answer out.
      if (lengths.every((n, j) => j === k || n < lengths[k]!)) longestCorrect[lang].push(q.id);
    }
  }
  return {
    singleCount,
    singleByPosition: singleIdsByPosition.map((ids) => ids.length),
    singleIdsByPosition,
    longestCorrect,
    trueFalseCount: trueIds.length + falseIds.length,
    trueIds,
    falseIds,
  };
}

const sample = (ids: readonly string[]) => (ids.length > 6 ? `${ids.slice(0, 6).join(', ')} and ${ids.length - 6} more` : ids.join(', '));

/**
 * The bank-wide shares as issues (line 0: they concern the whole bank). Each message names the worst
 * position and the questions to change, so a failing test says what to fix.
 */
export function checkPositionShares(questions: readonly Question[]): QuizIssue[] {
  const s = positionShares(questions);
  const issues: QuizIssue[] = [];
  if (s.singleCount > 0) {
    let worst = 0;
    s.singleByPosition.forEach((n, k) => {
      if (n > s.singleByPosition[worst]!) worst = k;
    });
    const n = s.singleByPosition[worst]!;
    const share = n / s.singleCount;
    if (share > POSITION_LIMITS.maxSinglePositionShare) {
      issues.push({
        line: 0,
        message:
          `Single-choice answers lean on option ${worst + 1}: ${n} of ${s.singleCount} (${percent(share)}) stand there, ` +
          `more than ${percent(POSITION_LIMITS.maxSinglePositionShare)}. Distribution by position: ` +
          `${s.singleByPosition.map((c, k) => `option ${k + 1}: ${c}`).join(', ')}. Move the answer elsewhere in: ${sample(s.singleIdsByPosition[worst]!)}.`,
      });
    }
    for (const lang of LANGS) {
      const ids = s.longestCorrect[lang];
      const longShare = ids.length / s.singleCount;
      if (longShare > POSITION_LIMITS.maxLongestCorrectShare) {
        issues.push({
          line: 0,
          message:
            `The correct single-choice option is the longest (${lang}) in ${ids.length} of ${s.singleCount} questions (${percent(longShare)}), ` +
            `more than ${percent(POSITION_LIMITS.maxLongestCorrectShare)}. Shorten the answer or lengthen a distractor in: ${sample(ids)}.`,
        });
      }
    }
  }
  if (s.trueFalseCount > 0) {
    const trueShare = s.trueIds.length / s.trueFalseCount;
    if (trueShare < POSITION_LIMITS.minTrueShare || trueShare > POSITION_LIMITS.maxTrueShare) {
      const many = trueShare > POSITION_LIMITS.maxTrueShare ? 'true' : 'false';
      issues.push({
        line: 0,
        message:
          `True/false answers lean on "${many}": ${s.trueIds.length} true and ${s.falseIds.length} false of ${s.trueFalseCount} ` +
          `(${percent(trueShare)} true; keep it between ${percent(POSITION_LIMITS.minTrueShare)} and ${percent(POSITION_LIMITS.maxTrueShare)}). ` +
          `Flip some of: ${sample(many === 'true' ? s.trueIds : s.falseIds)}.`,
      });
    }
  }
  return issues;
}

/** True when a multiple-choice question lists every correct option before every wrong one. */
export function correctOptionsAllFirst(q: Question): boolean {
  const opts = q.options ?? [];
  const correct = opts.filter((o) => o.correct).length;
  return correct > 0 && opts.slice(0, correct).every((o) => o.correct);
}

// Words that point at an option by its place in the list. The Chinese patterns cover 选项 B / 第二个选项 /
// 第二项 / 前三项 / 最后一项; the English ones "option B", "choice 2", "(B)", "the first option", "the first three".
const POSITION_REFERENCES: readonly RegExp[] = [
  /\b(?:[Oo]ption|[Cc]hoice)s?\s+\(?(?:[A-H]|[1-9])\)?(?![\w.])/,
  /\b(?:first|second|third|fourth|fifth|sixth|last)\s+(?:option|choice|statement)s?\b/i,
  /\b(?:first|last)\s+(?:two|three|four|five)\b(?=\s*(?:[.,;:)]|$|\s+(?:are|is|were|options?|choices?|statements?|answers?|ones?|of\s+them|listed)\b))/i,
  /(?:^|\s)[(（]?[A-H][)）]\s/,
  /选项\s*[A-Ha-hＡ-Ｈ1-9一二三四五六]/,
  /第\s*[一二三四五六七八九1-9]\s*个?\s*(?:选项|项)/,
  /[前后]\s*[两二三四五]\s*(?:个选项|项)/,
  /最后\s*一\s*(?:个选项|项)/,
];

/** The first phrase in `text` that refers to an option by letter or position, if any. */
export function positionReference(text: string): string | undefined {
  for (const re of POSITION_REFERENCES) {
    const m = re.exec(text);
    if (m) return m[0].trim();
  }
  return undefined;
}
