/**
 * The question every note importer (article, Anki text, Obsidian flashcards) makes of a front and a back: an
 * open question in the one language the text is written in, in a deck named after the file. No `vscode` import.
 */
import { shortHash, type Lang, type Question, type QuestionOrigin } from './model';

/** zh when the text contains CJK ideographs, en otherwise. */
export function detectLanguage(text: string): Lang {
  return /[\u3400-\u9fff\uf900-\ufaff]/.test(text) ? 'zh' : 'en';
}

export interface ImportedCard {
  readonly id: string;
  readonly deck: string;
  readonly prompt: string;
  readonly answer: string;
  readonly explanation?: string;
  readonly origin: QuestionOrigin;
}

export function importedQuestion(card: ImportedCard): Question {
  const { id, deck, prompt, answer, explanation, origin } = card;
  const lang = detectLanguage(prompt + answer);
  return {
    id,
    deck,
    topic: deck,
    type: 'open',
    difficulty: 2,
    prompt: { [lang]: prompt },
    answer: { [lang]: answer },
    explanation: explanation ? { [lang]: explanation } : {},
    monolingual: lang,
    origin,
  };
}

/**
 * `preferred`, or `<deck>-<hash of the front>`; then `-2`, `-3`, … while `used` has it. The id is added to
 * `used`. A hash of the front keeps an imported card's progress when the file is edited around it.
 */
export function uniqueQuestionId(used: Set<string>, deck: string, front: string, preferred?: string): string {
  let id = preferred ?? `${deck}-${shortHash(front)}`;
  for (let n = 2; used.has(id); n++) id = `${deck}-${shortHash(front)}-${n}`;
  used.add(id);
  return id;
}
