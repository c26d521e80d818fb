import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../../..');

test('every runtime string of the quiz (vscode.l10n.t) has a zh-CN translation', () => {
  const bundle = JSON.parse(fs.readFileSync(path.join(root, 'l10n/bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
  const inDir = (dir: string, pattern: RegExp) => fs.readdirSync(path.join(root, dir)).filter((f) => pattern.test(f)).map((f) => path.join(root, dir, f));
  const files = [...inDir('src/ui', /^quiz/), ...inDir('src/commands', /Quiz|Progress/)];
  assert.ok(files.some((f) => f.endsWith('quizPanel.ts')) && files.some((f) => f.endsWith('quizStatsPanel.ts')), 'the quiz panels are scanned');
  const missing: string[] = [];
  for (const f of files) {
    const src = fs.readFileSync(f, 'utf8');
    for (const m of src.matchAll(/l10n\.t\(\s*'((?:[^'\\]|\\.)*)'/g)) {
      const key = m[1]!.replace(/\\(.)/g, '$1');
      if (!bundle[key]) missing.push(`${path.basename(f)}: ${key}`);
    }
  }
  assert.deepEqual(missing, []);
});
