// Training as a user meets it in a real VS Code (code-server): open a labelled CSV, run "Train Text Classifier…",
// take the recipe and the default settings, accept the output folder; the training panel shows the live curves
// (an SVG with one point per epoch) and, at the end, the verdict, the confusion matrix and the per-class table.
// The 60-row examples/texts/product-reviews.csv is learnable, so the panel must say the model learned.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { repoRoot, startVSCode, type VSCodeSession } from './harness';

const DATA = 'product-reviews.csv';
const nls = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.nls.json'), 'utf8')) as Record<string, string>;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('Model Lab training panel in VS Code (code-server)', () => {
  let vscode: VSCodeSession;
  let workspace: string;

  before(async () => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lab-train-ws-'));
    fs.cpSync(path.join(repoRoot, 'test/fixtures/workspace'), workspace, { recursive: true });
    fs.copyFileSync(path.join(repoRoot, 'examples/texts', DATA), path.join(workspace, DATA));
    vscode = await startVSCode({ workspace, settings: { 'files.autoSave': 'off' } });
  });

  after(async () => {
    await vscode?.close();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  /** Waits for the quick input titled `title` and accepts its default (the first item, or the prefilled value). */
  async function acceptQuickInput(title: string): Promise<void> {
    const { page } = vscode;
    try {
      await page.locator('.quick-input-widget .quick-input-title', { hasText: title }).first().waitFor({ state: 'visible', timeout: 60_000 });
    } catch (err) {
      // Say what is on screen instead: another prompt, a notification with an error.
      const shown = await page.locator('.quick-input-widget .quick-input-title').allInnerTexts().catch(() => []);
      const shot = await vscode.screenshot(`training-no-${title.replace(/\W+/g, '-')}`);
      throw new Error(`no quick input "${title}" (quick input titles: ${JSON.stringify(shown)}; notifications: ${JSON.stringify(await vscode.notifications())}; ${shot})`, { cause: err });
    }
    await sleep(300);
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: title }).first().waitFor({ state: 'hidden', timeout: 30_000 });
  }

  test('Train Text Classifier… shows live curves, then the confusion matrix and per-class metrics', async () => {
    await vscode.openFile(DATA);
    await vscode.runCommand(`Model Lab: ${nls['command.trainTextClassifier']}`);
    await acceptQuickInput('Training recipe');
    await acceptQuickInput('Training settings');
    await acceptQuickInput('Output model folder');

    const frame: Frame = await vscode.webviewFrame(`Training: ${DATA}`, 120_000);
    // Live curves: the SVG gains points epoch by epoch while training runs.
    const chart = frame.locator('.curves svg');
    await chart.waitFor({ state: 'visible', timeout: 180_000 });
    const deadline = Date.now() + 180_000;
    let points = 0;
    while (Date.now() < deadline && points < 2) {
      points = Number((await chart.getAttribute('data-points').catch(() => '0')) ?? '0');
      await sleep(500);
    }
    assert.ok(points >= 2, `curve points shown: ${points}`);
    const polyline = await frame.locator('.curves polyline.curve-val').getAttribute('points');
    assert.ok((polyline ?? '').trim().split(' ').length >= 2, `validation-loss polyline: ${polyline}`);
    assert.equal(await frame.locator('.legend li').count(), 3);
    await vscode.screenshot('training-curves');

    // The end: verdict, 2×2 confusion matrix over the 12 held-out texts, per-class rows.
    await frame.locator('.outcome').waitFor({ state: 'visible', timeout: 300_000 });
    await vscode.screenshot('training-outcome');
    const verdict = (await frame.locator('.verdict strong').innerText()).trim();
    assert.equal(verdict, 'The model learned.');
    const cells = (await frame.locator('table.confusion tbody td').allInnerTexts()).map(Number);
    assert.equal(cells.length, 4);
    assert.equal(cells.reduce((a, b) => a + b, 0), 12);
    const rows = await frame.locator('table.per-class tbody tr').allInnerTexts();
    assert.deepEqual(rows.map((r) => r.split(/\s+/)[0]), ['negative', 'positive']);
    // The notification offers the model, naming the folder relative to the workspace; the folder holds the model card.
    // Every toast seen is kept: an information toast hides itself after a while, so the last poll may show none.
    const deadlineNote = Date.now() + 30_000;
    const seen = new Set<string>();
    const trained = /^Trained models\/product-reviews-classifier: held-out accuracy/;
    while (Date.now() < deadlineNote && ![...seen].some((n) => trained.test(n))) {
      for (const n of await vscode.notifications()) seen.add(n);
      await sleep(250);
    }
    assert.ok([...seen].some((n) => trained.test(n)), JSON.stringify([...seen]));
    const out = path.join(vscode.workspace, 'models', 'product-reviews-classifier');
    for (const f of ['model.onnx', 'config.json', 'README.md']) assert.ok(fs.existsSync(path.join(out, f)), f);
  });
});
