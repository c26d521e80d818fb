/**
 * Parser for Obsidian spaced-repetition flashcards (the obsidian-spaced-repetition plugin's syntax):
 *
 *   Question::Answer          one card        Question:::Answer   a card each way
 *
 *   Multi-line question       one card (the block runs from the previous blank line to the next one)
 *   ?
 *   Multi-line answer
 *
 * `??` separates a multi-line card that is studied both ways. Headings, tag-only lines (`#flashcards`)
 * and fenced code are not cards. Cards are `open` questions in the detected source language.
 */
import { isFence } from './bankParser';
import { importedQuestion, uniqueQuestionId } from './importedQuestion';
import { deckFromFileName, type ParseResult, type Question, type QuizIssue } from './model';

interface Card {
  front: string;
  back: string;
  line: number;
}

const TAG_LINE = /^\s*(#[\p{L}\p{N}_/-]+\s*)+$/u;

export function parseObsidian(text: string, fileName = 'cards.md'): ParseResult {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const deck = deckFromFileName(fileName);
  const errors: QuizIssue[] = [];
  const cards: Card[] = [];
  let inFence = false;
  // Paragraph-level scan: a multi-line card is one blank-line-separated block containing a `?`/`??` line.
  let block: { text: string; line: number }[] = [];
  const flush = () => {
    if (block.length > 0) readBlock(block, cards, errors);
    block = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const lineNo = i + 1;
    if (isFence(line)) {
      inFence = !inFence;
      block.push({ text: line, line: lineNo });
      continue;
    }
    if (inFence) {
      block.push({ text: line, line: lineNo });
      continue;
    }
    if (line.trim() === '') {
      flush();
      continue;
    }
    if (/^ {0,3}#{1,6}\s/.test(line) || TAG_LINE.test(line)) {
      flush();
      continue;
    }
    block.push({ text: line, line: lineNo });
  }
  flush();

  const questions: Question[] = [];
  const used = new Set<string>();
  for (const c of cards) {
    const id = uniqueQuestionId(used, deck, c.front);
    questions.push(importedQuestion({ id, deck, prompt: c.front, answer: c.back, origin: { file: fileName, line: c.line, format: 'obsidian' } }));
  }
  if (cards.length === 0 && errors.length === 0) errors.push({ line: 0, message: 'No flashcards found: write "Question::Answer" or a block with a "?" line between question and answer.' });
  return { format: 'obsidian', deck, questions, errors };
}

function readBlock(block: { text: string; line: number }[], cards: Card[], errors: QuizIssue[]): void {
  let inFence = false;
  const sep = block.findIndex((l) => {
    if (isFence(l.text)) inFence = !inFence;
    return !inFence && /^\s*\?{1,2}\s*$/.test(l.text);
  });
  if (sep >= 0) {
    const front = block.slice(0, sep).map((l) => l.text).join('\n').trim();
    // The plugin appends its schedule as an HTML comment (`<!--SR:!2026-12-03,4,270-->`); it is not answer text.
    const back = block.slice(sep + 1).map((l) => l.text).join('\n').replace(/<!--SR:[^>]*-->/g, '').trim();
    const sepLine = block[sep]!.line;
    if (!front) errors.push({ line: sepLine, message: 'The "?" separator has no question above it (the question is the lines right above, after a blank line).' });
    if (!back) errors.push({ line: sepLine, message: 'The "?" separator has no answer below it.' });
    if (!front || !back) return;
    cards.push({ front, back, line: block[0]!.line });
    if (block[sep]!.text.trim() === '??') cards.push({ front: back, back: front, line: block[0]!.line });
    return;
  }
  inFence = false;
  for (const l of block) {
    if (isFence(l.text)) inFence = !inFence;
    if (inFence) continue;
    const m = /^(.*?[^:])(:{2,3})([^:].*)?$/.exec(l.text);
    if (!m) continue;
    const front = m[1]!.replace(/^\s*[-*]\s+/, '').trim();
    const back = (m[3] ?? '').replace(/<!--SR:[^>]*-->/g, '').trim();
    if (!front || !back) {
      errors.push({ line: l.line, message: `The card "${l.text.trim()}" needs text on both sides of "${m[2]}".` });
      continue;
    }
    cards.push({ front, back, line: l.line });
    if (m[2] === ':::') cards.push({ front: back, back: front, line: l.line });
  }
}
