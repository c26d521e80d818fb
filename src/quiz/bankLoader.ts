/**
 * Loads a folder of `*.quiz.md` decks (the bundled bank in media/quiz/, or a workspace folder's decks)
 * with Node's fs. No `vscode` import: the CLI, the unit tests and the extension share it.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { ReadLimit } from '../common/fileInput';
import { parseBank } from './bankParser';
import type { LocalizedText, Question, QuizIssue } from './model';
import { checkPositionShares } from './positionRules';
import { validateQuestions } from './validator';

/** The largest quiz file read (an import, a workspace deck): the whole bundled bank is well under 1 MB. */
export const QUIZ_FILE_LIMIT: ReadLimit = { maxBytes: 16 * 1024 * 1024, purpose: 'a quiz file' };

export interface DeckInfo {
  readonly deck: string;
  readonly title?: LocalizedText;
  readonly file: string;
  readonly count: number;
}

export interface LoadedBank {
  readonly questions: Question[];
  readonly decks: DeckInfo[];
  /** Parse and validation issues, each naming its file. */
  readonly issues: QuizIssue[];
}

/** Parses every `*.quiz.md` in `dir` (sorted by name) and validates them together (ids unique across decks). */
export async function loadBankDirectory(dir: string, options: { bundled: boolean }): Promise<LoadedBank> {
  const names = (await fs.readdir(dir)).filter((n) => n.endsWith('.quiz.md')).sort();
  const files = await Promise.all(names.map(async (n) => ({ file: path.join(dir, n), text: await fs.readFile(path.join(dir, n), 'utf8') })));
  return loadBankTexts(files, options);
}

/** The same over texts already read (the extension reads workspace decks through `vscode.workspace.fs`). */
export function loadBankTexts(files: readonly { file: string; text: string }[], options: { bundled: boolean }): LoadedBank {
  const questions: Question[] = [];
  const decks: DeckInfo[] = [];
  const issues: QuizIssue[] = [];
  for (const { file, text } of files) {
    // CR-only line endings (old Mac files) become LF, as importAnyFormat does.
    const parsed = parseBank(text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text, file);
    questions.push(...parsed.questions);
    decks.push({ deck: parsed.deck, title: parsed.title, file, count: parsed.questions.length });
    issues.push(...parsed.errors.map((e) => ({ ...e, file })));
  }
  issues.push(...validateQuestions(questions, options));
  // The bank-wide position shares apply to the bundled bank as a whole, not to a user's small deck.
  if (options.bundled) issues.push(...checkPositionShares(questions));
  return { questions, decks, issues };
}

/** `file:line: message` for logs and the CLI. */
export function formatIssue(issue: QuizIssue): string {
  return `${issue.file ? `${issue.file}:` : ''}${issue.line}: ${issue.id ? `[${issue.id}] ` : ''}${issue.message}`;
}
