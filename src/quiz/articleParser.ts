/**
 * Parser for the article's own interview-bank format:
 *
 *   **题目 1：** prompt …
 *   **答案：** answer … (may span paragraphs, lists and fenced code)
 *   **解析：** explanation … (optional)
 *
 * English labels (`**Question 1:**`, `**Answer:**`, `**Explanation:**`) and ASCII colons are accepted too.
 * A heading ends the current question, so the article's closing "解析说明" section is not swallowed.
 * Questions are `open` (self-graded) and monolingual in the detected source language.
 */
import { isFence } from './bankParser';
import { importedQuestion } from './importedQuestion';
import { deckFromFileName, type ParseResult, type Question, type QuizIssue } from './model';

const QUESTION = /^\s*\*\*\s*(?:题目|问题|question|q)\s*(\d+)\s*[：:.]?\s*\*\*\s*[：:.]?\s*(.*)$/i;
const ANSWER = /^\s*\*\*\s*(?:答案|参考答案|answer)\s*[：:]?\s*\*\*\s*[：:]?\s*(.*)$/i;
const EXPLANATION = /^\s*\*\*\s*(?:解析|答案解析|explanation)\s*[：:]?\s*\*\*\s*[：:]?\s*(.*)$/i;
const HEADING = /^ {0,3}#{1,6}\s/;

/** Matches a line that starts an article-format question; used for format detection. */
export const ARTICLE_QUESTION_LINE = QUESTION;

interface Draft {
  number: number;
  line: number;
  part: 'prompt' | 'answer' | 'explanation';
  prompt: string[];
  answer: string[];
  explanation: string[];
  answerLine?: number;
}

function joinTrim(lines: string[]): string {
  return lines.join('\n').replace(/^\s*\n/, '').trim();
}

export function parseArticle(text: string, fileName = 'article.md'): ParseResult {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const deck = deckFromFileName(fileName);
  const errors: QuizIssue[] = [];
  const drafts: Draft[] = [];
  let current: Draft | undefined;
  let inFence = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const lineNo = i + 1;
    if (!inFence) {
      const q = QUESTION.exec(line);
      if (q) {
        current = { number: Number(q[1]), line: lineNo, part: 'prompt', prompt: [q[2]!], answer: [], explanation: [] };
        drafts.push(current);
        continue;
      }
      if (HEADING.test(line)) {
        current = undefined;
        continue;
      }
      if (current) {
        const a = ANSWER.exec(line);
        if (a) {
          if (current.part !== 'prompt') errors.push({ line: lineNo, message: `Question ${current.number} has a second **答案：** label; keep one answer per question.` });
          current.part = 'answer';
          current.answerLine = lineNo;
          current.answer.push(a[1]!);
          continue;
        }
        const e = EXPLANATION.exec(line);
        if (e) {
          if (current.part === 'prompt') errors.push({ line: lineNo, message: `Question ${current.number} has **解析：** before **答案：**; put the answer first.` });
          current.part = 'explanation';
          current.explanation.push(e[1]!);
          continue;
        }
      }
    }
    if (isFence(line)) inFence = !inFence;
    if (current) current[current.part].push(line);
  }
  if (inFence) errors.push({ line: lines.length, message: 'A fenced code block (```) is never closed.' });

  const questions: Question[] = [];
  const seen = new Map<number, number>();
  for (const d of drafts) {
    const prompt = joinTrim(d.prompt);
    const answer = joinTrim(d.answer);
    if (seen.has(d.number)) {
      errors.push({ line: d.line, message: `Question number ${d.number} is used twice (first at line ${seen.get(d.number)}); number questions uniquely.` });
      continue;
    }
    seen.set(d.number, d.line);
    if (!prompt) errors.push({ line: d.line, message: `Question ${d.number} has no text after its label.` });
    if (d.answerLine === undefined) {
      errors.push({ line: d.line, message: `Question ${d.number} has no **答案：** (answer) section; add one after the question.` });
      continue;
    }
    if (!answer) errors.push({ line: d.answerLine, message: `Question ${d.number} has an empty answer.` });
    if (!prompt || !answer) continue;
    questions.push(importedQuestion({ id: `${deck}-q${d.number}`, deck, prompt, answer, explanation: joinTrim(d.explanation), origin: { file: fileName, line: d.line, format: 'article' } }));
  }
  if (drafts.length === 0) errors.push({ line: 0, message: 'No "**题目 N：**" question labels found.' });
  return { format: 'article', deck, questions, errors };
}
