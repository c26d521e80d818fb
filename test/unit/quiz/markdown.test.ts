import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseInline, parseMarkdown } from '../../../src/quiz/markdown';

test('inline: bold, italic, code and http(s) links; other link schemes stay text', () => {
  assert.deepEqual(parseInline('a **b** *c* `d*e` [f](https://x.org/y)'), [
    { t: 'text', v: 'a ' },
    { t: 'strong', c: [{ t: 'text', v: 'b' }] },
    { t: 'text', v: ' ' },
    { t: 'em', c: [{ t: 'text', v: 'c' }] },
    { t: 'text', v: ' ' },
    { t: 'code', v: 'd*e' },
    { t: 'text', v: ' ' },
    { t: 'link', href: 'https://x.org/y', c: [{ t: 'text', v: 'f' }] },
  ]);
  const js = parseInline('[x](javascript:alert(1))');
  assert.ok(js.every((n) => n.t === 'text'), JSON.stringify(js));
  assert.ok(parseInline('[x](command:workbench.action.quit)').every((n) => n.t === 'text'));
  assert.deepEqual(parseInline('snake_case_name and 2 * 3 * 4'), [{ t: 'text', v: 'snake_case_name and 2 * 3 * 4' }]);
});

test('raw HTML is plain text in the tree', () => {
  const blocks = parseMarkdown('Hi <script>alert(1)</script> <img src=x onerror=alert(1)>');
  assert.deepEqual(blocks, [{ t: 'p', c: [{ t: 'text', v: 'Hi <script>alert(1)</script> <img src=x onerror=alert(1)>' }] }]);
});

test('blocks: paragraphs, lists, fenced code (markup inside code stays literal)', () => {
  const md = ['First line', 'second line', '', '- one', '- **two**', '', '1. a', '2. b', '', '```ts', 'const x = `**not bold**`;', '```'].join('\n');
  const b = parseMarkdown(md);
  assert.equal(b.length, 4);
  assert.deepEqual(b[0], { t: 'p', c: [{ t: 'text', v: 'First line' }, { t: 'br' }, { t: 'text', v: 'second line' }] });
  assert.deepEqual(b[1], { t: 'ul', items: [[{ t: 'text', v: 'one' }], [{ t: 'strong', c: [{ t: 'text', v: 'two' }] }]] });
  assert.equal(b[2]!.t, 'ol');
  assert.deepEqual(b[3], { t: 'pre', lang: 'ts', v: 'const x = `**not bold**`;' });
});
