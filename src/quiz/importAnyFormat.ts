/**
 * One entry point for "Import Quiz from Current File" and `model-lab quiz import`: detects which of the
 * supported formats a text is in (the bank format, the article's format, Obsidian flashcards, Anki TSV),
 * parses it, and validates the result. No `vscode` import.
 */
import { ARTICLE_QUESTION_LINE } from './articleParser';
import { looksLikeAnkiTsv, parseAnkiTsv } from './ankiTsv';
import { parseArticle } from './articleParser';
import { parseBank } from './bankParser';
import type { ParseResult, SourceFormat } from './model';
import { parseObsidian } from './obsidianParser';
import { validateQuestions } from './validator';

export function detectFormat(text: string, fileName = ''): SourceFormat | undefined {
  if (looksLikeAnkiTsv(text, fileName)) return 'anki';
  if (/\.quiz\.md$/i.test(fileName)) return 'bank';
  if (/^##\s+\S+\s*$/m.test(text) && /^\s*[-*]\s+type\s*:/m.test(text)) return 'bank';
  if (text.split(/\r?\n/).some((l) => ARTICLE_QUESTION_LINE.test(l))) return 'article';
  if (/[^:\s]:{2,3}[^:\s]/.test(text) || /^\s*\?{1,2}\s*$/m.test(text)) return 'obsidian';
  return undefined;
}

/**
 * Parses `text` in whichever format it is in and validates the questions as a user bank (monolingual
 * questions allowed; bilingual ones must be complete). Errors from both steps carry line numbers.
 */
export function importAnyFormat(rawText: string, fileName: string): ParseResult {
  // Every parser splits on LF or CRLF; old Mac files end lines with CR alone (one line each, so line numbers hold).
  const text = rawText.replace(/\r\n?/g, '\n');
  const format = detectFormat(text, fileName);
  if (!format) {
    return {
      format: 'bank',
      deck: 'unknown',
      questions: [],
      errors: [
        {
          line: 0,
          message:
            'No quiz questions recognised. Use the bank format ("## id" + "- type:"), the article format ("**题目 1：**" … "**答案：**"), Obsidian flashcards ("Question::Answer" or a "?" line), or an Anki TSV export.',
        },
      ],
    };
  }
  const parsed =
    format === 'anki'
      ? parseAnkiTsv(text, fileName)
      : format === 'bank'
        ? parseBank(text, fileName)
        : format === 'article'
          ? parseArticle(text, fileName)
          : parseObsidian(text, fileName);
  const validation = validateQuestions(parsed.questions, { bundled: false });
  const errors = [...parsed.errors, ...validation].sort((a, b) => a.line - b.line);
  return { ...parsed, errors };
}
