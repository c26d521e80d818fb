import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SCOPE_WARNING_TEMPLATES } from '../../../src/common/modelScope';
import { explainTooLongError } from '../../../src/text/explain';

const root = path.resolve(__dirname, '../../..');
const bundle = JSON.parse(fs.readFileSync(path.join(root, 'l10n/bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;

test('evaluation, explanation and scope strings all have zh-CN translations with the same placeholders', () => {
  const files = ['src/commands/evaluateModelCommand.ts', 'src/commands/explainSelectionCommand.ts', 'src/ui/evalResultPanel.ts', 'src/ui/explanationDecorations.ts', 'src/ui/textClassifierHost.ts', 'src/ui/textResultPanel.ts'];
  const keys: string[] = [...Object.values(SCOPE_WARNING_TEMPLATES), explainTooLongError(1, 1).template];
  for (const f of files) {
    const src = fs.readFileSync(path.join(root, f), 'utf8');
    for (const m of src.matchAll(/vscode\.l10n\.t\(\s*(['"])((?:\\.|(?!\1).)*)\1/g)) keys.push(m[2].replace(/\\(['"])/g, '$1'));
  }
  assert.ok(keys.length > 50);
  for (const k of keys) {
    assert.ok(bundle[k], `no zh-CN translation for: ${k}`);
    const holes = (s: string) => [...s.matchAll(/\{\d+\}/g)].map((x) => x[0]).sort().join();
    assert.equal(holes(bundle[k]), holes(k), `placeholders differ: ${k}`);
  }
});
