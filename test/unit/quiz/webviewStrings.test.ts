// Every string the quiz webview shows exists in English and zh-CN: same keys, same shape, no empty text, the
// same {0} placeholders, and Chinese text that is not the English left untranslated. The quiz's command titles
// in package.nls.json have zh-CN titles too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { strings } from '../../../src/webview/quiz/strings';

const root = path.resolve(__dirname, '../../..');
const placeholders = (s: string) => [...s.matchAll(/\{\d\}/g)].map((m) => m[0]).sort();
/** Keys whose zh-CN text may equal the English (language names, punctuation-only separators). */
const SAME_ALLOWED = new Set(['listComma']);

test('the quiz webview has a zh-CN string for every English one, with the same placeholders', () => {
  const en = strings('en') as Record<string, unknown>;
  const zh = strings('zh') as Record<string, unknown>;
  assert.deepEqual(Object.keys(zh).sort(), Object.keys(en).sort());
  const problems: string[] = [];
  for (const [key, value] of Object.entries(en)) {
    const other = zh[key];
    const pairs: [string, unknown][] = Array.isArray(value) ? value.map((v, k) => [`${key}[${k}]`, v]) : [[key, value]];
    const others: unknown[] = Array.isArray(value) ? (Array.isArray(other) ? other : []) : [other];
    pairs.forEach(([name, v], k) => {
      const z = others[k];
      if (typeof v !== 'string' || typeof z !== 'string') return void problems.push(`${name}: not a string in both languages`);
      if (v !== '' && z.trim() === '') problems.push(`${name}: empty in zh-CN`);
      if (v !== '' && v === z && !SAME_ALLOWED.has(key) && /[a-z]{3}/i.test(v)) problems.push(`${name}: "${v}" is not translated`);
      if (placeholders(v).join() !== placeholders(z).join()) problems.push(`${name}: placeholders differ`);
    });
  }
  assert.deepEqual(problems, []);
});

test('every quiz command title and setting in package.nls.json has a zh-CN text', () => {
  const en = JSON.parse(fs.readFileSync(path.join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;
  const zh = JSON.parse(fs.readFileSync(path.join(root, 'package.nls.zh-cn.json'), 'utf8')) as Record<string, string>;
  const quizKeys = Object.keys(en).filter((k) => /quiz|progress/i.test(k));
  assert.ok(quizKeys.length >= 10, `quiz keys found: ${quizKeys.length}`);
  assert.deepEqual(
    quizKeys.filter((k) => !(zh[k] ?? '').trim()),
    [],
  );
});
