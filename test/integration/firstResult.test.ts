// The answer before the panel (#18 §1): "Classify File" and "Classify Image" put the label and its probability in
// the status bar as soon as the worker replies, without waiting for the result panel's webview. To prove the label
// does not wait for the webview, the test holds back every webview's document (Playwright intercepts the request
// for VS Code's webview host page and answers it only when told): the status bar must show the label the CLI gives
// for the same input while no result panel can exist yet; released, the panel shows the same label and
// probability. The item is a keyboard-reachable button that shows the result again, and the next classification
// replaces it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Route } from 'playwright-core';
import { repoRoot, startVSCode, type VSCodeSession } from './harness';
import { installProbe, parseStatusLabel, STATUS_ITEM_SUFFIX, timeClassification } from '../../bench/lib/firstResultProbe';

const TEXT_SAMPLE = 'text-classifier-sample.txt';
const IMAGE_SAMPLE = 'images/digit-7.png';

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function cli(args: string[], input?: string): Record<string, unknown> {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: repoRoot, input, encoding: 'utf8' });
  assert.equal(r.status, 0, `the CLI failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n')[0]) as Record<string, unknown>;
}

const percent = (p: number): string => `${(p * 100).toFixed(1)}%`;

describe('Model Lab shows the label before the result panel (code-server)', () => {
  let vscode: VSCodeSession;
  /** Requests for the webview host page wait here while `holding` is true. */
  let holding = false;
  const held: Route[] = [];

  before(async () => {
    vscode = await startVSCode({ settings: { 'files.autoSave': 'off' } });
    // VS Code's webview host document (…/webview/browser/pre/index.html?…&extensionId=model-lab.model-lab…): without it
    // Model Lab's webviews cannot load. Other webviews (the image preview) go through.
    await vscode.page.route(/\/webview\/browser\/pre\/index\.html\?.*extensionId=model-lab\.model-lab/, async (route) => {
      if (holding) held.push(route);
      else await route.continue();
    });
  });

  after(async () => {
    await vscode?.close();
  });

  async function open(file: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await vscode.openFile(file);
        return;
      } catch (err) {
        if (attempt >= 4) throw err;
        await sleep(3_000);
      }
    }
  }

  /** How many webviews have a content frame showing `selector` (a result panel's rendered label). */
  async function renderedPanels(selector: string): Promise<number> {
    let n = 0;
    for (const outer of await vscode.page.locator('iframe.webview').elementHandles()) {
      const frame = await (await (await outer.contentFrame())?.$('#active-frame'))?.contentFrame();
      if (frame && (await frame.locator(selector).count().catch(() => 0)) > 0) n++;
    }
    return n;
  }

  async function release(): Promise<void> {
    holding = false;
    while (held.length) await held.shift()?.continue();
  }

  test('Classify File: the status bar shows the CLI\'s label while the panel\'s webview cannot load yet', async () => {
    await open(TEXT_SAMPLE);
    const expected = cli(['classify-text', '--json', '-'], fs.readFileSync(path.join(vscode.workspace, TEXT_SAMPLE), 'utf8')) as { label: string; displayLabel?: string; probability: number };
    holding = true;
    try {
      const t = await timeClassification(vscode, 'Model Lab: Classify File', 'text', { timeoutMs: 120_000 });
      assert.deepEqual(t.status, { label: expected.displayLabel ?? expected.label, percent: percent(expected.probability) });
      assert.equal(await renderedPanels('.text-entry .result-label'), 0, 'the text panel rendered although its webview was held back');
      assert.ok(held.length > 0, 'the panel did not even ask for its webview: the hold proves nothing');
      await vscode.screenshot('first-result-text-status');
    } finally {
      await release();
    }
    const frame = await vscode.webviewFrame(async (f) => (await f.locator('.text-entry .result-label strong').count().catch(() => 0)) > 0, 120_000);
    const line = (await frame.locator('.text-entry .result-label').first().innerText()).trim();
    assert.equal(line, `${expected.displayLabel ?? expected.label} ${percent(expected.probability)}`);
  });

  test('Classify Image: the status bar shows the digit while the panel\'s webview cannot load yet', async () => {
    await open(IMAGE_SAMPLE);
    const expected = cli(['classify-image', '--json', path.join(vscode.workspace, IMAGE_SAMPLE)]) as { label: string; score: number };
    assert.equal(expected.label, '7');
    holding = true;
    try {
      const t = await timeClassification(vscode, 'Model Lab: Classify Image', 'image', { timeoutMs: 120_000 });
      assert.deepEqual(t.status, { label: '7', percent: percent(expected.score) });
      assert.equal(await renderedPanels('h1.result-label'), 0, 'the image panel rendered although its webview was held back');
      assert.ok(held.length > 0, 'the image panel did not ask for its webview: the hold proves nothing');
      await vscode.screenshot('first-result-image-status');
    } finally {
      await release();
    }
    const frame = await vscode.webviewFrame(async (f) => (await f.locator('h1.result-label').count().catch(() => 0)) > 0, 120_000);
    assert.equal((await frame.locator('h1.result-label').innerText()).trim(), '7');
    assert.match(await frame.locator('h1.result-label + p').innerText(), new RegExp(`^${percent(expected.score).replace('.', '\\.')}`));
  });

  test('the status item is a button the keyboard reaches: Enter shows the result again', async () => {
    const { page } = vscode;
    await vscode.runCommand('View: Close All Editors');
    await page.locator('iframe.webview').first().waitFor({ state: 'detached', timeout: 30_000 }).catch(() => undefined);
    const item = page.locator(`[id$="${STATUS_ITEM_SUFFIX}"]`);
    assert.equal(parseStatusLabel(await item.innerText())?.label, '7', 'the item still shows the last result');
    assert.match((await item.locator('a').getAttribute('aria-label')) ?? '', /Image: 7/, 'its accessible name says where the full result is');
    await vscode.runCommand('View: Focus Status Bar');
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      reached = await page.evaluate((suffix) => !!document.activeElement?.closest(`[id$="${suffix}"]`), STATUS_ITEM_SUFFIX);
      if (!reached) await page.keyboard.press('ArrowRight');
    }
    assert.ok(reached, 'ArrowRight from "Focus Status Bar" never reached the Model Lab item');
    await page.keyboard.press('Enter');
    const frame = await vscode.webviewFrame(async (f) => (await f.locator('h1.result-label').count().catch(() => 0)) > 0, 60_000);
    assert.equal((await frame.locator('h1.result-label').innerText()).trim(), '7');
  });

  test('the next classification replaces the label at once, then shows its own', async () => {
    await open(TEXT_SAMPLE);
    await installProbe(vscode.page);
    const from = await vscode.page.evaluate(() => window.__modelLabProbe?.changes.length ?? 0);
    const t = await timeClassification(vscode, 'Model Lab: Classify File', 'text', { waitPanel: true });
    const changes = await vscode.page.evaluate((n) => window.__modelLabProbe?.changes.slice(n).map((c) => c.text) ?? [], from);
    // "classifying …" came between the image's label and the text's: the old answer never stood for the new input.
    const busy = changes.findIndex((c) => /…/.test(c));
    assert.ok(busy >= 0, `no "classifying" state among ${JSON.stringify(changes)}`);
    assert.notEqual(t.status.label, '7');
    assert.deepEqual(t.panel, t.status, 'the panel and the status bar show the same label and probability');
  });
});
