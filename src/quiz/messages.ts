/**
 * The quiz webview's message protocol: one discriminated union each way, imported by both the extension
 * (src/ui/quizPanel.ts, src/ui/quizStatsPanel.ts) and the webview (src/webview/quiz/main.ts). The extension validates every message it
 * receives with `parseWebviewMessage`; the webview never learns which options are correct before answering.
 * No `vscode` import and no Node APIs (this module is bundled into the browser script).
 */
import type { CodeCheckId, Lang, LocalizedText, QuestionType } from './model';
import type { Grade, IntervalPreview } from './scheduler';
import type { QuizResponse, SessionCounts, SessionKind, SessionSummary } from './session';
import type { QuizStats } from './stats';

/**
 * What the webview may show of a question before it is answered: no marks, no answer. Options come in
 * their displayed (shuffled) order, and every position the webview sends back is a displayed position.
 */
export interface QuestionView {
  id: string;
  deck: string;
  topic: string;
  /** The topic's display name in the message's language (from the deck that holds the topic). */
  topicLabel: string;
  type: QuestionType;
  difficulty: 1 | 2 | 3;
  prompt: LocalizedText;
  options?: LocalizedText[];
  check?: CodeCheckId;
  monolingual?: Lang;
  /** The seed the options were shuffled with (shown as a data attribute, so a test can tell two showings apart). */
  shownSeed?: number;
}

export interface FeedbackView {
  /** undefined for a self-graded reveal. */
  correct?: boolean;
  /** The answer, with choices as displayed positions. */
  response: QuizResponse;
  /** Displayed positions of the right options. */
  correctOptions?: number[];
  truth?: boolean;
  answer: LocalizedText;
  explanation: LocalizedText;
  references?: string[];
  intervals: IntervalPreview[];
  suggested: Grade;
  /** Whether "Edit This Question" can open the question's source (false for questions with no file). */
  canEdit: boolean;
}

export interface SessionHeader {
  kind: SessionKind;
  /** The session's title in the message's language. */
  label: string;
  counts: SessionCounts;
  canUndo: boolean;
}

export type ToWebview =
  | { type: 'question'; lang: Lang; session: SessionHeader; question: QuestionView }
  | { type: 'feedback'; lang: Lang; session: SessionHeader; question: QuestionView; feedback: FeedbackView }
  | { type: 'summary'; lang: Lang; kind: SessionKind; label: string; summary: SessionSummary; dueNow: number }
  | { type: 'stats'; lang: Lang; stats: QuizStats; topicLabels: Record<string, string> }
  | { type: 'empty'; lang: Lang; kind: SessionKind; label: string; reason: 'nothingDue' | 'noQuestions' | 'noMistakes' }
  | { type: 'codeStatus'; lang: Lang; questionId: string; status: 'opened' | 'checking' | 'failed' | 'untrusted' | 'error'; detail: string };

export type WebviewCommand = 'startDue' | 'startByTopic' | 'reviewMistakes' | 'showStats';

/** Responses a webview may send: code results come from the check worker, never from the webview. */
export type WebviewResponse = Exclude<QuizResponse, { kind: 'code' }>;

export type FromWebview =
  | { type: 'ready' }
  | { type: 'answer'; questionId: string; response: WebviewResponse }
  | { type: 'grade'; questionId: string; grade: Grade }
  | { type: 'undo' }
  | { type: 'setLang'; lang: Lang }
  | { type: 'openExercise'; questionId: string }
  | { type: 'checkCode'; questionId: string }
  | { type: 'editQuestion'; questionId: string }
  | { type: 'openLink'; href: string }
  | { type: 'command'; command: WebviewCommand };

const COMMANDS: readonly WebviewCommand[] = ['startDue', 'startByTopic', 'reviewMistakes', 'showStats'];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 200;
const hasOnly = (o: Obj, keys: string[]) => Object.keys(o).every((k) => keys.includes(k));

function parseResponse(v: unknown): WebviewResponse | undefined {
  if (!isObj(v)) return undefined;
  if (v.kind === 'choice' && hasOnly(v, ['kind', 'selected'])) {
    const s = v.selected;
    if (!Array.isArray(s) || s.length === 0 || s.length > 26) return undefined;
    if (!s.every((k) => Number.isInteger(k) && (k as number) >= 0 && (k as number) < 26)) return undefined;
    return { kind: 'choice', selected: s as number[] };
  }
  if (v.kind === 'truefalse' && hasOnly(v, ['kind', 'value']) && typeof v.value === 'boolean') return { kind: 'truefalse', value: v.value };
  if (v.kind === 'reveal' && hasOnly(v, ['kind'])) return { kind: 'reveal' };
  return undefined;
}

/** Validates a message from the webview. Anything unexpected (extra keys, wrong types) yields undefined. */
export function parseWebviewMessage(v: unknown): FromWebview | undefined {
  if (!isObj(v) || typeof v.type !== 'string') return undefined;
  switch (v.type) {
    case 'ready':
    case 'undo':
      return hasOnly(v, ['type']) ? { type: v.type } : undefined;
    case 'answer': {
      if (!hasOnly(v, ['type', 'questionId', 'response']) || !isId(v.questionId)) return undefined;
      const response = parseResponse(v.response);
      return response ? { type: 'answer', questionId: v.questionId, response } : undefined;
    }
    case 'grade':
      if (!hasOnly(v, ['type', 'questionId', 'grade']) || !isId(v.questionId)) return undefined;
      return v.grade === 1 || v.grade === 2 || v.grade === 3 || v.grade === 4 ? { type: 'grade', questionId: v.questionId, grade: v.grade as Grade } : undefined;
    case 'setLang':
      return hasOnly(v, ['type', 'lang']) && (v.lang === 'en' || v.lang === 'zh') ? { type: 'setLang', lang: v.lang } : undefined;
    case 'openExercise':
    case 'checkCode':
    case 'editQuestion':
      return hasOnly(v, ['type', 'questionId']) && isId(v.questionId) ? { type: v.type, questionId: v.questionId } : undefined;
    case 'openLink':
      return hasOnly(v, ['type', 'href']) && typeof v.href === 'string' && /^https?:\/\/[^\s<>"]{1,2000}$/i.test(v.href)
        ? { type: 'openLink', href: v.href }
        : undefined;
    case 'command':
      return hasOnly(v, ['type', 'command']) && COMMANDS.includes(v.command as WebviewCommand) ? { type: 'command', command: v.command as WebviewCommand } : undefined;
    default:
      return undefined;
  }
}
