// Every translated surface has its zh-CN text: the runtime strings of the whole extension (vscode.l10n.t with a
// literal key, in any file under src/), the error message templates that are localized by key, and the manifest
// strings (package.nls.json). The quiz webview's own string table is checked by test/unit/quiz.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { visionErrorTemplates } from '../../src/vision/errors';
import { inspectorErrorTemplates } from '../../src/inspector/errors';
import { fitTemplates } from '../../src/inspector/fit';
import { fileInputTemplates } from '../../src/common/fileInput';
import { workerErrorTemplates } from '../../src/common/workerClient';

const root = path.resolve(__dirname, '../..');
const zhBundle = JSON.parse(fs.readFileSync(path.join(root, 'l10n/bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;

function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => path.join(dir, f));
}

/** The literal first arguments of `l10n.t(...)` calls ('…', "…" or a template literal without `${}`). */
function literalL10nKeys(source: string): string[] {
  const keys: string[] = [];
  for (const m of source.matchAll(/l10n\.t\(\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|`((?:[^`\\$]|\\.)*)`)/g)) {
    const raw = m[1] ?? m[2] ?? m[3] ?? '';
    keys.push(raw.replace(/\\n/g, '\n').replace(/\\(.)/g, '$1'));
  }
  return keys;
}

test('l10n scan: finds keys in every quoting style and across lines (the check itself works)', () => {
  const sample = "vscode.l10n.t('It\\'s {0}', a); l10n.t(\n  \"Two\"); vscode.l10n.t(`Three`); vscode.l10n.t(dynamic);";
  assert.deepEqual(literalL10nKeys(sample), ["It's {0}", 'Two', 'Three']);
});

test('every vscode.l10n.t string in src/ has a zh-CN translation', () => {
  const missing: string[] = [];
  let count = 0;
  for (const file of sourceFiles(path.join(root, 'src'))) {
    for (const key of literalL10nKeys(fs.readFileSync(file, 'utf8'))) {
      count++;
      if (!zhBundle[key]?.trim()) missing.push(`${path.relative(root, file)}: ${JSON.stringify(key)}`);
    }
  }
  assert.ok(count > 100, `only ${count} l10n.t calls found: the scan is broken`);
  assert.deepEqual(missing, [], `strings without a zh-CN translation in l10n/bundle.l10n.zh-cn.json:\n${missing.join('\n')}`);
});

test('every error message template localized by key has a zh-CN translation', () => {
  const missing = Object.entries({ ...visionErrorTemplates, ...inspectorErrorTemplates, ...fitTemplates, ...fileInputTemplates, ...workerErrorTemplates })
    .filter(([, template]) => !zhBundle[template]?.trim())
    .map(([code, template]) => `${code}: ${JSON.stringify(template)}`);
  assert.deepEqual(missing, []);
});

test('every manifest string (package.nls.json) has a zh-CN translation, and the placeholders match', () => {
  const en = JSON.parse(fs.readFileSync(path.join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;
  const zh = JSON.parse(fs.readFileSync(path.join(root, 'package.nls.zh-cn.json'), 'utf8')) as Record<string, string>;
  const missing = Object.keys(en).filter((k) => !zh[k]?.trim());
  assert.deepEqual(missing, [], 'keys of package.nls.json without package.nls.zh-cn.json text');
  const placeholders = (s: string) => [...s.matchAll(/\{\d+\}|`[^`]+`/g)].map((m) => m[0]).filter((p) => p.startsWith('{')).sort();
  const differing = Object.keys(en).filter((k) => zh[k] && placeholders(en[k]!).join() !== placeholders(zh[k]!).join());
  assert.deepEqual(differing, [], 'zh-CN manifest strings whose {n} placeholders differ from the English');
});

test('every zh-CN runtime translation keeps the placeholders of its key', () => {
  const placeholders = (s: string) => [...s.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort().join();
  const differing = Object.entries(zhBundle).filter(([key, zh]) => placeholders(key) !== placeholders(zh)).map(([key]) => key);
  assert.deepEqual(differing, []);
});
