/**
 * The quiz bank's data model, shared by the parsers, the validator, the scheduler, the CLI and (as plain
 * JSON over postMessage) the webview. No `vscode` import.
 */

/** The two display languages of the bundled bank: English and Simplified Chinese (zh-CN). */
export type Lang = 'en' | 'zh';
export const LANGS: readonly Lang[] = ['en', 'zh'];

/** A text in one or both languages. Imported monolingual questions fill only their source language. */
export type LocalizedText = Partial<Record<Lang, string>>;

export type QuestionType = 'single' | 'multiple' | 'truefalse' | 'open' | 'code';
export const QUESTION_TYPES: readonly QuestionType[] = ['single', 'multiple', 'truefalse', 'open', 'code'];

/** The automatic checks a `code` question can ask for (implemented in src/workers/codeCheckWorker.ts). */
export type CodeCheckId = 'cnn-parameters' | 'text-classifier-forward';
export const CODE_CHECKS: readonly CodeCheckId[] = ['cnn-parameters', 'text-classifier-forward'];

export const BUNDLED_TOPICS = ['fundamentals', 'training', 'nlp', 'vision', 'serving', 'product', 'coding', 'rag', 'agents', 'reasoning', 'architecture', 'long-context', 'decoding', 'distributed', 'data', 'alignment', 'multimodal', 'evaluation', 'safety'] as const;

export interface QuizOption {
  readonly text: LocalizedText;
  readonly correct: boolean;
}

/** Where a question came from, so errors and "open source" can point at the line. */
export interface QuestionOrigin {
  readonly file: string;
  /** 1-based line of the question's first line. */
  readonly line: number;
  readonly format: SourceFormat;
}

export type SourceFormat = 'bank' | 'article' | 'obsidian' | 'anki';

export interface Question {
  /** Stable id; progress is keyed by it. */
  readonly id: string;
  readonly deck: string;
  readonly topic: string;
  readonly type: QuestionType;
  /** 1 basic, 2 intermediate, 3 advanced. */
  readonly difficulty: 1 | 2 | 3;
  readonly prompt: LocalizedText;
  /** Only for single and multiple. */
  readonly options?: readonly QuizOption[];
  readonly answer: LocalizedText;
  readonly explanation: LocalizedText;
  /** Only for truefalse. */
  readonly truth?: boolean;
  /** Only for code. */
  readonly check?: CodeCheckId;
  /** Only for code: the TypeScript the exercise editor opens with. */
  readonly starter?: string;
  readonly source?: string;
  readonly references?: readonly string[];
  /** Set for imported questions that exist in one language only (article, Obsidian, Anki). */
  readonly monolingual?: Lang;
  readonly origin: QuestionOrigin;
}

/** A parse or validation problem, with the 1-based line it concerns (0 when it concerns the whole file). */
export interface QuizIssue {
  readonly line: number;
  readonly message: string;
  /** The question id, when known. */
  readonly id?: string;
  readonly file?: string;
}

export interface ParseResult {
  readonly format: SourceFormat;
  readonly deck: string;
  readonly title?: LocalizedText;
  readonly questions: Question[];
  readonly errors: QuizIssue[];
}

/** Languages a question has a prompt in. */
export function languagesOf(q: Question): Lang[] {
  return LANGS.filter((l) => (q.prompt[l] ?? '').trim() !== '');
}

/** Picks the text in `lang`, falling back to the other language (monolingual imports). */
export function pick(text: LocalizedText | undefined, lang: Lang): string {
  if (!text) return '';
  return text[lang] ?? text[lang === 'en' ? 'zh' : 'en'] ?? '';
}

/** Deck slug from a file name: `fundamentals.quiz.md` → `fundamentals`. */
export function deckFromFileName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  return (
    base
      .replace(/\.quiz\.md$/i, '')
      .replace(/\.(md|markdown|txt|tsv)$/i, '')
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'deck'
  );
}

/** A short, stable slug for ids of imported questions. */
export function slugify(s: string, max = 40): string {
  const slug = s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug.slice(0, max).replace(/-+$/, '');
}

/** A tiny stable hash (FNV-1a, 32-bit, base36) for ids of imported questions whose text is not ASCII. */
export function shortHash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}
