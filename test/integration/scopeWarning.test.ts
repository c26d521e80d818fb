// The project's own Chinese sample (examples/llm-serving-notes.zh.md) classified with the bundled English spam
// model in a real VS Code: the result is shown together with an out-of-scope warning, and the labels read
// "spam" / "not spam".
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { repoRoot, startVSCode, type VSCodeSession } from './harness';

const nls = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.nls.json'), 'utf8')) as Record<string, string>;

describe('Model Lab scope warnings in VS Code (code-server)', () => {
  let vscode: VSCodeSession;

  before(async () => {
    vscode = await startVSCode({ workspace: path.join(repoRoot, 'examples'), settings: { 'files.autoSave': 'off' } });
  });

  after(async () => {
    await vscode?.close();
  });

  test('classifying the Chinese sample shows the result and an out-of-scope warning', async () => {
    await vscode.openFile('llm-serving-notes.zh.md');
    const { page } = vscode;
    await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+A');
    await vscode.runCommand(`Model Lab: ${nls['command.classifySelection']}`);
    const frame: Frame = await vscode.webviewFrame(async (f) => (await f.locator('.text-entry .scope-warning').count().catch(() => 0)) > 0, 120_000);
    const warning = (await frame.locator('.text-entry .scope-warning').first().innerText()).trim();
    assert.match(warning, /Out of scope: \d+ % of the letters are Han, but the model was trained on en text/);
    const label = (await frame.locator('.text-entry .result-label strong').first().innerText()).trim();
    assert.ok(['spam', 'not spam'].includes(label), label);
    const rows = await frame.locator('.prob-row .prob-label').allInnerTexts();
    assert.deepEqual(rows.map((r) => r.trim()).sort(), ['not spam', 'spam']);
    await vscode.screenshot('scope-warning-zh-sample');
  });
});
