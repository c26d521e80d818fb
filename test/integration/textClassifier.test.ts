// The text classifier as a user meets it in a real VS Code (code-server): select a line in a text file, right-click,
// pick "Classify Selection" from the editor's context menu; the result panel shows the same label (and the same
// probability, to the panel's 0.1 %) that `model-lab classify-text` prints for the same text with the bundled model.
// A whitespace-only selection gets a clear message instead of a result.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { repoRoot, startVSCode, type VSCodeSession } from './harness';

const SAMPLE = 'text-classifier-sample.txt';
const sampleLines = fs.readFileSync(path.join(repoRoot, 'test/fixtures/workspace', SAMPLE), 'utf8').split('\n');
// The bundled model by default; MODEL_LAB_TEXT_TEST_MODEL runs the same test against another model folder
// (given to both the extension, as "modelLab.textModel", and the CLI, as --model).
const modelOverride = process.env.MODEL_LAB_TEXT_TEST_MODEL;
const nls = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.nls.json'), 'utf8')) as Record<string, string>;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** `model-lab classify-text --json -` with the bundled model (the CLI's default), the same code path as the worker. */
function cliClassify(text: string): { label: string; displayLabel?: string; probability: number } {
  const model = modelOverride ? ['--model', modelOverride] : [];
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'classify-text', ...model, '--json', '-'], { cwd: repoRoot, input: text, encoding: 'utf8' });
  assert.equal(r.status, 0, `the CLI failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { label: string; displayLabel?: string; probability: number };
}

describe('Model Lab text classifier in VS Code (code-server)', () => {
  let vscode: VSCodeSession;

  before(async () => {
    vscode = await startVSCode({
      settings: { 'editor.wordWrap': 'off', 'files.autoSave': 'off', ...(modelOverride ? { 'modelLab.textModel': modelOverride } : {}) },
    });
  });

  after(async () => {
    await vscode?.close();
  });

  /**
   * Opens the sample and selects line `line` (1-based) with the keyboard:
   * from column 1 to the end of the line, or with `withNewline` down to the start of the next line (on a
   * whitespace-only line the End/Home keys jump to the indentation, so that selection is made by lines).
   */
  async function selectLine(line: number, withNewline = false): Promise<void> {
    await vscode.openFile(SAMPLE);
    const { page } = vscode;
    const focused = page.locator('.editor-instance .monaco-editor.focused').first();
    try {
      await focused.waitFor({ state: 'visible', timeout: 10_000 });
    } catch {
      // On a busy machine the focus can land elsewhere (a notification): click into the text, then go on by keyboard.
      await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
      await focused.waitFor({ state: 'visible', timeout: 20_000 });
    }
    await page.keyboard.press('Control+Home');
    // Straight down from column 1 keeps column 1.
    for (let i = 1; i < line; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press(withNewline ? 'Shift+ArrowDown' : 'Shift+End');
  }

  test('Classify Selection from the editor context menu shows the label the CLI gives for the same text', async () => {
    const { page } = vscode;
    const text = sampleLines[0];
    await selectLine(1);
    // Right-click inside the selection: on the rendered text of line 1 (the selection highlight lies under the text
    // layer, which takes the pointer events).
    await page.locator('.editor-instance .monaco-editor .selected-text').first().waitFor({ state: 'visible', timeout: 10_000 });
    const words = page.locator('.editor-instance .monaco-editor .view-lines .view-line span span', { hasText: 'gift card' }).first();
    try {
      await words.click({ button: 'right', timeout: 10_000 });
    } catch {
      // Something lies over the text (a hover, a notification): the keyboard opens the same context menu at the caret.
      await page.keyboard.press('Shift+F10');
    }
    const item = page.locator('.context-view .monaco-menu .action-item', { hasText: nls['command.classifySelection'] }).first();
    await item.waitFor({ state: 'visible', timeout: 10_000 });
    await vscode.screenshot('text-context-menu');
    await item.click();

    const frame: Frame = await vscode.webviewFrame(async (f) => (await f.locator('.text-entry .result-label strong').count().catch(() => 0)) > 0, 120_000);
    const shownLabel = (await frame.locator('.text-entry .result-label strong').first().innerText()).trim();
    const shownLine = (await frame.locator('.text-entry .result-label').first().innerText()).trim();
    await vscode.screenshot('text-result-panel');

    const cli = cliClassify(text);
    // The panel shows the model's display name for the label (config.json model_lab.label_names: "not spam" for ham).
    assert.equal(shownLabel, cli.displayLabel ?? cli.label, `panel shows ${shownLine}; the CLI says ${cli.label} (${cli.displayLabel}) ${cli.probability}`);
    assert.ok(shownLine.endsWith(`${(cli.probability * 100).toFixed(1)}%`), `panel "${shownLine}" vs CLI ${(cli.probability * 100).toFixed(1)}%`);
    // Probability bars carry their numbers as text, one row per label.
    const rows = await frame.locator('.prob-row').allInnerTexts();
    assert.ok(rows.length >= 2, JSON.stringify(rows));
    assert.ok(rows.every((r) => /\d+\.\d%/.test(r)), JSON.stringify(rows));
    // The latency and the model are shown.
    const meta = await frame.locator('.meta').first().innerText();
    assert.match(meta, modelOverride ? new RegExp(path.basename(modelOverride)) : /spam-bert-tiny/);
    assert.match(meta, /ms/);
  });

  test('a whitespace-only selection gets a message, not a result', async () => {
    const { page } = vscode;
    const line = sampleLines.findIndex((l) => l.length > 0 && l.trim() === '') + 1;
    assert.ok(line > 0, 'the sample has a whitespace-only line');
    await selectLine(line, true);
    await vscode.runCommand(`Model Lab: ${nls['command.classifySelection']}`);
    const deadline = Date.now() + 20_000;
    let shown: string[] = [];
    while (Date.now() < deadline) {
      shown = await vscode.notifications();
      if (shown.some((n) => /empty or only whitespace/.test(n))) break;
      await sleep(250);
    }
    await vscode.screenshot('text-whitespace-selection');
    assert.ok(shown.some((n) => /The selection is empty or only whitespace/.test(n)), JSON.stringify(shown));
    await page.keyboard.press('Escape');
  });
});
