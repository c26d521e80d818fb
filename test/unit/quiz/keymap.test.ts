import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keyAction, type KeyPress, type KeyScreen } from '../../../src/webview/quiz/keymap';

const press = (key: string, more: Partial<KeyPress> = {}): KeyPress => ({ key, ctrl: false, meta: false, shift: false, alt: false, target: 'none', ...more });
const single: KeyScreen = { type: 'question', questionType: 'single', optionCount: 4 };
const tf: KeyScreen = { type: 'question', questionType: 'truefalse', optionCount: 2 };
const open: KeyScreen = { type: 'question', questionType: 'open', optionCount: 0 };
const code: KeyScreen = { type: 'question', questionType: 'code', optionCount: 0 };
const feedback: KeyScreen = { type: 'feedback', suggested: 3 };

test('1–9 pick the option at that displayed position; keys beyond the options do nothing', () => {
  assert.deepEqual(keyAction(single, press('1')), { kind: 'toggle', index: 0 });
  assert.deepEqual(keyAction(single, press('4')), { kind: 'toggle', index: 3 });
  assert.equal(keyAction(single, press('5')), undefined);
  assert.deepEqual(keyAction(tf, press('2')), { kind: 'toggle', index: 1 });
  assert.equal(keyAction(open, press('1')), undefined, 'no options on a recall question');
  assert.deepEqual(keyAction(single, press('2', { target: 'option' })), { kind: 'toggle', index: 1 }, 'also while an option has focus');
});

test('Enter submits from the page, an option or Submit, but activates any other focused control', () => {
  assert.deepEqual(keyAction(single, press('Enter')), { kind: 'submit' });
  assert.deepEqual(keyAction(single, press('Enter', { target: 'option' })), { kind: 'submit' });
  assert.deepEqual(keyAction(single, press('Enter', { target: 'submit' })), { kind: 'submit' });
  assert.equal(keyAction(single, press('Enter', { target: 'control' })), undefined);
  assert.equal(keyAction(open, press('Enter')), undefined);
});

test('Space reveals a recall or code question from the page; on the Show answer button it is the button’s own click', () => {
  assert.deepEqual(keyAction(open, press(' ')), { kind: 'reveal' });
  assert.deepEqual(keyAction(code, press(' ')), { kind: 'reveal' });
  assert.equal(keyAction(open, press(' ', { target: 'reveal' })), undefined);
  assert.equal(keyAction(open, press(' ', { target: 'control' })), undefined);
  assert.equal(keyAction(single, press(' ')), undefined);
});

test('E and C open and check a code exercise, in either case; not on other question types', () => {
  assert.deepEqual(keyAction(code, press('e')), { kind: 'openExercise' });
  assert.deepEqual(keyAction(code, press('E', { shift: true })), { kind: 'openExercise' });
  assert.deepEqual(keyAction(code, press('c', { target: 'control' })), { kind: 'checkCode' });
  assert.equal(keyAction(open, press('e')), undefined);
});

test('after answering, 1–4 grade and Enter takes the suggested grade', () => {
  assert.deepEqual(keyAction(feedback, press('1')), { kind: 'grade', grade: 1 });
  assert.deepEqual(keyAction(feedback, press('4')), { kind: 'grade', grade: 4 });
  assert.equal(keyAction(feedback, press('5')), undefined);
  assert.deepEqual(keyAction(feedback, press('Enter')), { kind: 'grade', grade: 3 });
  assert.equal(keyAction(feedback, press('Enter', { target: 'control' })), undefined, 'Enter on the Undo button is Undo');
});

test('Ctrl/Cmd+Z undoes on every screen; other modified keys are left alone', () => {
  for (const screen of [single, open, feedback, { type: 'other' } as const]) {
    assert.deepEqual(keyAction(screen, press('z', { ctrl: true })), { kind: 'undo' });
    assert.deepEqual(keyAction(screen, press('Z', { meta: true })), { kind: 'undo' });
  }
  assert.equal(keyAction(single, press('z', { ctrl: true, shift: true })), undefined, 'Ctrl+Shift+Z is redo elsewhere');
  assert.equal(keyAction(single, press('1', { ctrl: true })), undefined);
  assert.equal(keyAction(feedback, press('3', { alt: true })), undefined);
  assert.equal(keyAction({ type: 'other' }, press('1')), undefined);
});
