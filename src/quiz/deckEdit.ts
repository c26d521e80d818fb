/**
 * Text operations behind "Edit This Question": cut one question's block out of a bank file, and add it to a
 * workspace deck (creating the deck's front matter when the file is new). The copy keeps the question's id,
 * so its progress carries over. No `vscode` import.
 */
import { isFence, splitLines } from './bankParser';
import type { LocalizedText } from './model';

/** The question starting at 1-based `line` (its `## id` heading) up to the next question or the end, blank lines trimmed. */
export function questionBlock(text: string, line: number): string {
  const lines = splitLines(text);
  const start = line - 1;
  if (start < 0 || start >= lines.length || !/^##\s/.test(lines[start]!)) {
    throw new Error(`Line ${line} does not start a question ("## <id>").`);
  }
  let inFence = false;
  let end = lines.length;
  for (let i = start + 1; i < lines.length; i++) {
    const l = lines[i]!;
    if (isFence(l)) inFence = !inFence;
    else if (!inFence && /^##\s/.test(l) && !l.startsWith('###')) {
      end = i;
      break;
    }
  }
  while (end > start + 1 && lines[end - 1]!.trim() === '') end--;
  return lines.slice(start, end).join('\n');
}

/** The 1-based line of `## <id>` in a bank text, if it is there (outside code fences). */
export function findQuestionLine(text: string, id: string): number | undefined {
  let inFence = false;
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (isFence(l)) inFence = !inFence;
    else if (!inFence && /^##\s/.test(l) && !l.startsWith('###') && l.replace(/^##\s+/, '').replace(/\s*#*\s*$/, '') === id) return i + 1;
  }
  return undefined;
}

/**
 * Adds `block` to a workspace deck. `existing` is the deck's text, or undefined for a new file, which gets
 * front matter naming the deck and its titles. Returns the new text and the 1-based line of the question.
 */
export function appendQuestion(existing: string | undefined, block: string, deck: { id: string; title: LocalizedText }): { text: string; line: number } {
  let head: string;
  if (existing === undefined || existing.trim() === '') {
    const front = ['---', `deck: ${deck.id}`];
    if (deck.title.en) front.push(`title: ${deck.title.en}`);
    if (deck.title.zh) front.push(`title_zh: ${deck.title.zh}`);
    front.push('---', '', '');
    head = front.join('\n');
  } else {
    head = existing.replace(/\s*$/, '\n\n');
  }
  const line = splitLines(head).length;
  return { text: `${head}${block}\n`, line };
}
