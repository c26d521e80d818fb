import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWebviewMessage } from '../../../src/quiz/messages';

test('valid webview messages pass through unchanged', () => {
  const ok = [
    { type: 'ready' },
    { type: 'undo' },
    { type: 'answer', questionId: 'nlp-bpe', response: { kind: 'choice', selected: [0, 2] } },
    { type: 'answer', questionId: 'q', response: { kind: 'truefalse', value: false } },
    { type: 'answer', questionId: 'q', response: { kind: 'reveal' } },
    { type: 'grade', questionId: 'q', grade: 4 },
    { type: 'setLang', lang: 'zh' },
    { type: 'openExercise', questionId: 'coding-cnn' },
    { type: 'checkCode', questionId: 'coding-cnn' },
    { type: 'openLink', href: 'https://arxiv.org/abs/1810.04805' },
    { type: 'command', command: 'showStats' },
  ];
  for (const m of ok) assert.deepEqual(parseWebviewMessage(m), m, JSON.stringify(m));
});

test('malformed or hostile messages are rejected', () => {
  const bad: unknown[] = [
    null,
    'ready',
    [],
    { type: 'nope' },
    { type: 'ready', extra: 1 },
    { type: 'answer', questionId: 'q', response: { kind: 'code', passed: true, detail: '' } },
    { type: 'answer', questionId: 'q', response: { kind: 'choice', selected: [] } },
    { type: 'answer', questionId: 'q', response: { kind: 'choice', selected: [1.5] } },
    { type: 'answer', questionId: 'q', response: { kind: 'choice', selected: [-1] } },
    { type: 'answer', questionId: '', response: { kind: 'reveal' } },
    { type: 'answer', questionId: 'x'.repeat(201), response: { kind: 'reveal' } },
    { type: 'grade', questionId: 'q', grade: 0 },
    { type: 'grade', questionId: 'q', grade: '3' },
    { type: 'setLang', lang: 'fr' },
    { type: 'openLink', href: 'javascript:alert(1)' },
    { type: 'openLink', href: 'command:workbench.action.quit' },
    { type: 'openLink', href: 'file:///etc/passwd' },
    { type: 'command', command: 'workbench.action.quit' },
  ];
  for (const m of bad) assert.equal(parseWebviewMessage(m), undefined, JSON.stringify(m));
});
