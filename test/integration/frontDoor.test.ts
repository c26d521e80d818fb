// Model Lab's front door as a new user meets it in a real VS Code (code-server): the Get Started walkthrough opens
// from the Welcome page and a step's button runs its command; the Model Lab activity-bar container shows the Quiz
// view (bundled decks with their counts; a click starts a deck), the Models view (the bundled models) and the
// Recent results view (a classification appears there and a click shows it again); the status bar says what waits.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator } from 'playwright-core';
import { repoRoot, startVSCode, type VSCodeSession } from './harness';

const nls = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.nls.json'), 'utf8')) as Record<string, string>;
const QUIZ_TITLE = 'Model Lab Quiz';
const UI_TIMEOUT = 60_000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('Model Lab front door in VS Code (code-server)', () => {
  let vscode: VSCodeSession;

  before(async () => {
    vscode = await startVSCode();
  });

  after(async () => {
    await vscode?.close();
  });

  /** The pane of one of Model Lab's views (by its localized name), expanded. */
  async function viewPane(name: string): Promise<Locator> {
    const { page } = vscode;
    const container = page.locator('.activitybar .action-item a[aria-label^="Model Lab"]').first();
    await container.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    const header = page.locator('.pane-header', { hasText: name }).first();
    if (!(await header.isVisible().catch(() => false))) await container.click();
    await header.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
    return page.locator('.pane', { has: header }).first();
  }

  async function rowTexts(pane: Locator): Promise<string[]> {
    return (await pane.locator('.monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  }

  test('the status bar says how many cards wait, never a bare "0"', async () => {
    const item = vscode.page.locator('.statusbar-item', { hasText: /new|due|Quiz/ }).first();
    await item.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    const text = (await item.innerText()).trim();
    assert.match(text, /^\d+ new$|^\d+ due · \d+ new$|^\d+ due$/, `status bar text: ${JSON.stringify(text)}`);
    assert.notEqual(text, '0');
  });

  test('the Quiz view lists the bundled decks with their counts, and a click starts one', async () => {
    const pane = await viewPane(nls['views.quiz']!);
    let rows: string[] = [];
    for (let i = 0; i < 30 && rows.length < 7; i++) {
      rows = await rowTexts(pane);
      if (rows.length < 7) await sleep(1_000);
    }
    assert.ok(rows.length >= 7, `Quiz view rows: ${JSON.stringify(rows)}`);
    // A fresh user: every bundled deck has new cards waiting (capped by the 20-a-day limit).
    assert.ok(rows.every((r) => /\d+ new/.test(r)), `every deck shows its new cards: ${JSON.stringify(rows)}`);
    const coding = pane.locator('.monaco-list-row', { hasText: /Coding/ }).first();
    await coding.click();
    const frame = await vscode.webviewFrame(QUIZ_TITLE);
    await frame.locator('body').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    await vscode.screenshot('front-door-quiz-view');
  });

  test('the Models view shows the bundled image and text models with their task and labels', async () => {
    const pane = await viewPane(nls['views.models']!);
    await pane.locator('.monaco-list-row', { hasText: 'mnist-cnn' }).first().waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    const textModel = pane.locator('.monaco-list-row', { hasText: 'spam-bert-tiny' }).first();
    await textModel.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    const rows = await rowTexts(pane);
    assert.ok(rows.some((r) => /mnist-cnn.*active.*bundled/.test(r)), `image model row: ${JSON.stringify(rows)}`);
    await textModel.click(); // expands its details
    await pane.locator('.monaco-list-row', { hasText: 'text-classification' }).first().waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    const details = await rowTexts(pane);
    assert.ok(details.some((r) => /input_ids, attention_mask/.test(r)), `text model details: ${JSON.stringify(details)}`);
    await vscode.screenshot('front-door-models-view');
  });

  test('after a classification the Recent results view lists it, and a click shows the result again', async () => {
    await vscode.openFile('images/digit-7.png');
    await vscode.runCommand(`Model Lab: ${nls['command.classifyImage']}`);
    await vscode.webviewFrame(async (f) => (await f.locator('.result-label').count().catch(() => 0)) > 0, 120_000);
    const pane = await viewPane(nls['views.recentResults']!);
    const row = pane.locator('.monaco-list-row', { hasText: 'digit-7.png' }).first();
    await row.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    assert.match((await row.innerText()).replace(/\s+/g, ' '), /^7 · \d+(\.\d)?%/);
    await vscode.runCommand('View: Close All Editors');
    await row.click();
    const frame = await vscode.webviewFrame(async (f) => (await f.locator('.result-label').count().catch(() => 0)) > 0, UI_TIMEOUT);
    assert.equal((await frame.locator('.result-label').first().innerText()).trim(), '7');
  });

  test('the walkthrough opens from the Welcome page and a step\'s button runs its command', async () => {
    const { page } = vscode;
    await vscode.runCommand('View: Close All Editors');
    await vscode.runCommand('Help: Welcome');
    const entry = page.locator('.getting-started-category', { hasText: nls['walkthrough.title']! }).first();
    await entry.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    await entry.click();
    const step = page.locator('.getting-started-step', { hasText: nls['walkthrough.snippet.title']! }).first();
    await step.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    await step.click();
    await sleep(3_000); // the step's illustration loads in its own webview
    await vscode.screenshot('front-door-walkthrough');
    await step.locator('a, button', { hasText: /Insert Model Snippet/ }).first().click();
    // Insert Model Snippet opens its quick pick of programs (into a new untitled TypeScript file: no editor was open).
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: /TypeScript/ }).first().waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    await page.keyboard.press('Enter');
    await page.locator('.tabs-container .tab', { hasText: /Untitled/ }).first().waitFor({ state: 'visible', timeout: UI_TIMEOUT });

  });
});
