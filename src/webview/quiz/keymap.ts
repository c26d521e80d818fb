/**
 * The quiz webview's keyboard map as a pure function: which action a key press means on the current
 * screen. The webview's keydown listener describes the event and performs the action; this module knows no
 * DOM, so its decisions are unit-tested with plain Node (test/unit/quiz/keymap.test.ts).
 *
 * Keys: 1–9 choose the option at that displayed position, Enter submits, Space reveals an open or code
 * question, E / C open and check a code exercise, 1–4 grade after the answer (Enter takes the suggested
 * grade), Ctrl/Cmd+Z undoes the last grade anywhere.
 */
import type { QuestionType } from '../../quiz/model';
import type { Grade } from '../../quiz/scheduler';

/** What the key press is on. `control` is any other button, link or field, which keeps its own keys. */
export type KeyTarget = 'none' | 'option' | 'submit' | 'reveal' | 'control';

export interface KeyPress {
  key: string;
  ctrl: boolean;
  meta: boolean;
  shift: boolean;
  alt: boolean;
  target: KeyTarget;
}

export type KeyScreen =
  | { type: 'question'; questionType: QuestionType; optionCount: number }
  | { type: 'feedback'; suggested: Grade }
  | { type: 'other' };

export type KeyAction =
  | { kind: 'toggle'; index: number }
  | { kind: 'submit' }
  | { kind: 'reveal' }
  | { kind: 'openExercise' }
  | { kind: 'checkCode' }
  | { kind: 'grade'; grade: Grade }
  | { kind: 'undo' };

const isChoice = (t: QuestionType) => t === 'single' || t === 'multiple' || t === 'truefalse';

/** The action for a key press, or undefined when the key keeps its default behaviour. */
export function keyAction(screen: KeyScreen, press: KeyPress): KeyAction | undefined {
  if ((press.ctrl || press.meta) && !press.shift && !press.alt && press.key.toLowerCase() === 'z') return { kind: 'undo' };
  if (press.ctrl || press.meta || press.alt) return undefined;
  const digit = /^[1-9]$/.test(press.key) ? Number(press.key) : undefined;
  if (screen.type === 'question') {
    const t = screen.questionType;
    if (digit !== undefined && isChoice(t)) return digit <= screen.optionCount ? { kind: 'toggle', index: digit - 1 } : undefined;
    // Enter submits from the options, the Submit button or the page; on any other control Enter activates it.
    if (press.key === 'Enter' && isChoice(t) && (press.target === 'none' || press.target === 'option' || press.target === 'submit')) return { kind: 'submit' };
    // Space on the Show answer button is that button's own click; elsewhere on the page it reveals.
    if (press.key === ' ' && (t === 'open' || t === 'code') && press.target === 'none') return { kind: 'reveal' };
    if (t === 'code' && (press.key === 'e' || press.key === 'E')) return { kind: 'openExercise' };
    if (t === 'code' && (press.key === 'c' || press.key === 'C')) return { kind: 'checkCode' };
    return undefined;
  }
  if (screen.type === 'feedback') {
    if (digit !== undefined && digit <= 4) return { kind: 'grade', grade: digit as Grade };
    if (press.key === 'Enter' && press.target === 'none') return { kind: 'grade', grade: screen.suggested };
  }
  return undefined;
}
