// Snippets as a user meets them in a real VS Code (code-server): typing a prefix in a .ts file and accepting the
// completion inserts the expanded program; "Model Lab: Insert Model Snippet…" offers TypeScript and Python
// programs in a Markdown file and inserts the chosen one in a fenced code block; with no editor open it says what to do.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot, startVSCode, type VSCodeSession } from './harness';
import { expandSnippet, loadSnippetCatalogue } from '../../src/snippets/catalogue';

const catalogue = loadSnippetCatalogue(repoRoot);
const nls = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.nls.json'), 'utf8')) as Record<string, string>;
const insertCommandLabel = `Model Lab: ${nls['command.insertSnippet']}`;

function expandedBody(prefix: string): string {
  const snippet = catalogue.find((s) => s.prefixes.includes(prefix));
  assert.ok(snippet, `no snippet with prefix ${prefix}`);
  return expandSnippet(snippet.body);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls the saved file on disk until `predicate` holds (saving is asynchronous in the web workbench). */
async function waitForFile(file: string, predicate: (text: string) => boolean, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < deadline) {
    text = fs.readFileSync(file, 'utf8');
    if (predicate(text)) return text;
    await sleep(250);
  }
  return text;
}

describe('Model Lab snippets in VS Code (code-server)', () => {
  let vscode: VSCodeSession;

  before(async () => {
    vscode = await startVSCode({ settings: { 'files.autoSave': 'off', 'editor.formatOnSave': false } });
  });

  after(async () => {
    await vscode?.close();
  });

  /**
   * Opens a workspace file and puts
   * the caret on a fresh line at its end. Keyboard only: a mouse left over the editor would raise hovers that sit
   * on top of the command palette's rows.
   */
  async function openAtNewLastLine(relPath: string): Promise<void> {
    await vscode.openFile(relPath);
    const { page } = vscode;
    await page.locator('.editor-instance .monaco-editor.focused').first().waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
  }

  /** Leaves snippet mode, saves with Ctrl+S and returns the file's saved text. */
  async function saveAndRead(relPath: string, mustContain: string): Promise<string> {
    await vscode.page.keyboard.press('Escape');
    await vscode.page.keyboard.press('Escape');
    await vscode.page.keyboard.press('Control+S');
    return waitForFile(path.join(vscode.workspace, relPath), (t) => t.includes(mustContain));
  }

  test('typing "tfcnn" in a .ts file and accepting the completion inserts the article CNN', async () => {
    const { page } = vscode;
    await openAtNewLastLine('snippet-playground.ts');
    await page.keyboard.type('tfcnn');
    await page.keyboard.press('Control+Space');
    const suggest = page.locator('.editor-widget.suggest-widget.visible');
    await suggest.waitFor({ state: 'visible', timeout: 30_000 });
    await suggest.locator('.monaco-list-row', { hasText: 'tfcnn' }).first().waitFor({ state: 'visible', timeout: 30_000 });
    // Move the focus onto our snippet if the language server ranked something else first.
    for (let i = 0; i < 15; i++) {
      const focused = (await suggest.locator('.monaco-list-row.focused').first().innerText().catch(() => '')).replace(/\s+/g, ' ');
      if (/\btfcnn\b/.test(focused)) break;
      await page.keyboard.press('ArrowDown');
    }
    await page.keyboard.press('Enter');
    const expected = expandedBody('tfcnn');
    const saved = await saveAndRead('snippet-playground.ts', "loss: 'sparseCategoricalCrossentropy'");
    await vscode.screenshot('snippets-completion');
    assert.ok(saved.includes("tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }),"), saved);
    assert.ok(saved.includes(expected), `the saved file does not contain the expanded snippet:\n${saved}`);
    assert.ok(!saved.includes('tfcnn'), 'the typed prefix must be replaced by the snippet');
  });

  test('"Insert Model Snippet…" in a Markdown file offers TypeScript and Python programs and inserts the pick', async () => {
    const { page } = vscode;
    await openAtNewLastLine('snippet-notes.md');
    await vscode.runCommand(insertCommandLabel);
    const rows = page.locator('.quick-input-widget .monaco-list-row .label-name');
    await rows.first().waitFor({ state: 'visible', timeout: 15_000 });
    const labels = (await rows.allInnerTexts()).map((l) => l.trim());
    assert.ok(labels.some((l) => l.startsWith('TensorFlow.js')), `no TypeScript snippet offered: ${JSON.stringify(labels)}`);
    await vscode.screenshot('snippets-quick-pick-open');
    // Python rows come after the TypeScript ones and may be scrolled out of view: filter to them.
    await page.keyboard.type('Keras: the article');
    await page.locator('.quick-input-widget .monaco-list-row .label-name', { hasText: "Keras: the article's CNN" }).first().waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
    const expected = expandedBody('kerascnn');
    const saved = await saveAndRead('snippet-notes.md', 'sparse_categorical_crossentropy');
    await vscode.screenshot('snippets-quick-pick');
    assert.ok(saved.includes('layers.Conv2D(32, (3, 3), activation="relu"),'), saved);
    // In Markdown the program lands in a fenced code block tagged with its language.
    assert.ok(saved.includes('```python\n' + expected + '```\n'), `the saved file does not contain the fenced, expanded snippet:\n${saved}`);
  });

  test('with no editor open, the command opens a new TypeScript file, inserts the pick and says what to install', async () => {
    const { page } = vscode;
    await vscode.runCommand('View: Close All Editors');
    // Driven by hand: the command opens its own quick pick right after the palette closes.
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget .quick-input-box input').waitFor({ state: 'visible', timeout: 30_000 });
    await page.keyboard.type(insertCommandLabel);
    await page.locator('.quick-input-widget .monaco-list-row .label-name', { hasText: insertCommandLabel }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await page.keyboard.press('Enter');
    const tsRow = page.locator('.quick-input-widget .monaco-list-row', { hasText: /TensorFlow\.js/ }).first();
    await tsRow.waitFor({ state: 'visible', timeout: 30_000 });
    const labels = (await page.locator('.quick-input-widget .monaco-list-row .label-name').allInnerTexts()).map((l) => l.trim());
    assert.ok(!labels.some((l) => l.startsWith('Keras:') || l.startsWith('PyTorch:')), `an untitled TypeScript file offers TypeScript programs only: ${JSON.stringify(labels)}`);
    await page.keyboard.press('Enter');
    await page.locator('.tabs-container .tab', { hasText: /Untitled/ }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await page.locator('.editor-instance .view-lines', { hasText: /tf\./ }).first().waitFor({ state: 'visible', timeout: 30_000 });
    // The test workspace has no package.json: the command says what the inserted code needs.
    const deadline = Date.now() + 15_000;
    let toasts: string[] = [];
    while (Date.now() < deadline) {
      toasts = await vscode.notifications();
      if (toasts.some((t) => t.includes('npm install @tensorflow/tfjs'))) break;
      await sleep(250);
    }
    assert.ok(toasts.some((t) => t.includes('npm install @tensorflow/tfjs')), `notifications: ${JSON.stringify(toasts)}`);
  });
});
