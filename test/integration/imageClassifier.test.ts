// The image classifier as a user meets it in a real VS Code (code-server): open a digit PNG (it opens in VS Code's
// image preview), run "Model Lab: Classify Image" from the command palette, and the result panel shows the digit,
// its probability bars, the 28×28 input and the latency. Then "Model Lab: Draw a Digit": a synthetic mouse stroke
// on the canvas inside the webview gets a prediction, with the time from stroke end to shown result. In between,
// the panel's Explain button (pressed with the keyboard) draws the occlusion saliency map over the model's input,
// with a legend whose numbers match `model-lab classify-image --explain --json` on the same file.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { repoRoot, startVSCode, type VSCodeSession } from './harness';
import { main as cli } from '../../src/cli';
import type { OcclusionGrid } from '../../src/vision/explain';

const nls = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.nls.json'), 'utf8')) as Record<string, string>;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('Model Lab image classifier in VS Code (code-server)', () => {
  let vscode: VSCodeSession;

  before(async () => {
    // The bundled model is committed: a missing one fails this file instead of skipping it.
    assert.ok(fs.existsSync(path.join(repoRoot, 'models/mnist-cnn/model.onnx')), 'models/mnist-cnn/model.onnx is missing');
    vscode = await startVSCode();
  });

  after(async () => {
    await vscode?.close();
  });

  test('Classify Image on the open digit PNG shows the digit, bars, the model input and the latency', async () => {
    await vscode.openFile('images/digit-7.png');
    await vscode.runCommand(`Model Lab: ${nls['command.classifyImage']}`);
    const frame: Frame = await vscode.webviewFrame(async (f) => (await f.locator('.result-label').count().catch(() => 0)) > 0, 120_000);
    const label = (await frame.locator('.result-label').first().innerText()).trim();
    await vscode.screenshot('image-result-panel');
    assert.equal(label, '7');
    const rows = await frame.locator('.prob-row').allInnerTexts();
    assert.equal(rows.length, 3, JSON.stringify(rows));
    assert.ok(rows.every((r) => /\d+\.\d%/.test(r)), JSON.stringify(rows));
    assert.equal(await frame.locator('img.pixelated').count(), 1, 'the 28×28 input is shown');
    const details = await frame.locator('.result-details').innerText();
    assert.match(details, /ms/);
    assert.match(details, /mnist-cnn|onnxruntime/);
    assert.equal(await frame.locator('#copy-json').count(), 1);
  });

  test('Explain draws the occlusion map over the model input, with a legend that matches classify-image --explain --json', async () => {
    // The CLI on the same file (the workspace copy is byte-identical to the fixture).
    const out: string[] = [];
    const err: string[] = [];
    const code = await cli(['classify-image', '--json', '--explain', path.join(repoRoot, 'test/fixtures/workspace/images/digit-7.png')], { out: (l) => out.push(l), err: (l) => err.push(l) });
    assert.equal(code, 0, err.join('\n'));
    const expected = (JSON.parse(out[0]) as { saliency: OcclusionGrid }).saliency;
    const expectedMax = Math.max(...expected.values.flat());
    const expectedMin = Math.min(0, ...expected.values.flat());

    const frame: Frame = await vscode.webviewFrame(async (f) => (await f.locator('#explain').count().catch(() => 0)) > 0, 60_000);
    // Keyboard only: focus the button and press Enter.
    await frame.locator('#explain').focus();
    await vscode.page.keyboard.press('Enter');
    const overlay = frame.locator('#saliency-overlay');
    await overlay.waitFor({ state: 'visible', timeout: 60_000 });
    const legend = frame.locator('#saliency-legend');
    await legend.waitFor({ state: 'visible', timeout: 10_000 });
    await vscode.screenshot('image-result-explained');

    // The grid the panel drew is the CLI's grid: size, label and the largest drop.
    assert.equal(Number(await overlay.getAttribute('data-rows')), expected.rows);
    assert.equal(Number(await overlay.getAttribute('data-cols')), expected.cols);
    assert.equal(await overlay.getAttribute('data-label'), expected.label);
    const shownMax = Number(await overlay.getAttribute('data-max'));
    assert.ok(Math.abs(shownMax - expectedMax) < 1e-3, `panel max ${shownMax}, CLI max ${expectedMax}`);
    assert.ok(Math.abs(Number(await overlay.getAttribute('data-min')) - expectedMin) < 1e-3, 'min');
    // The legend states the range in percentage points, as the user reads it.
    const range = (await frame.locator('#legend-range').innerText()).trim();
    const legendMax = /to \+(\d+\.\d)\.$/.exec(range)?.[1];
    assert.ok(legendMax, `the legend states the range: ${range}`);
    assert.ok(Math.abs(Number(legendMax) - expectedMax * 100) <= 0.051, `legend says ${legendMax}, CLI max ${(expectedMax * 100).toFixed(2)} points`);
    const ends = await frame.locator('.legend-ends').innerText();
    assert.match(ends, /lowers P\(7\)/);
    assert.match(ends, /raises P\(7\)/);

    // Visible: the overlay covers the preview exactly and has coloured pixels; the summary says it in words.
    const [imgBox, overlayBox] = await Promise.all([frame.locator('img.pixelated').boundingBox(), overlay.boundingBox()]);
    assert.ok(imgBox && overlayBox, 'both have a box');
    assert.ok(Math.abs(imgBox.width - 2 - overlayBox.width) < 1.5 && Math.abs(imgBox.x + 1 - overlayBox.x) < 1.5, `img ${JSON.stringify(imgBox)}, overlay ${JSON.stringify(overlayBox)}`);
    const painted = await overlay.evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      // Coloured, not just the grey veil: blue or orange dominates.
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i + 2] - d[i]) > 24) n++;
      return n / (c.width * c.height);
    });
    assert.ok(painted > 0.02 && painted < 0.95, `share of overlay pixels coloured: ${painted}`);
    const summary = await frame.locator('#saliency-summary').innerText();
    assert.match(summary, new RegExp(`lowers P\\(7\\) most, by ${(expectedMax * 100).toFixed(1)} percentage points`), summary);
    // The focus is back on the button, so Enter explains again.
    assert.equal(await frame.evaluate(() => document.activeElement?.id), 'explain');
    console.log(`# explain: ${expected.rows}×${expected.cols} grid, max ${(expectedMax * 100).toFixed(1)} points (panel ${(shownMax * 100).toFixed(1)}); ${summary}`);

    // A failure goes through the one error model and is said next to the button: the file is gone.
    const shownFile = path.join(vscode.workspace, 'images/digit-7.png');
    const bytes = fs.readFileSync(shownFile);
    fs.rmSync(shownFile);
    try {
      await frame.locator('#explain').focus();
      await vscode.page.keyboard.press('Enter');
      const error = frame.locator('#explain-error');
      await error.waitFor({ state: 'visible', timeout: 30_000 });
      assert.match(await error.innerText(), /^Could not read digit-7\.png: /);
      assert.equal(await frame.locator('#explain').isEnabled(), true, 'the button works again');
      assert.equal(await overlay.isVisible(), true, 'the last explanation stays');
    } finally {
      fs.writeFileSync(shownFile, bytes);
      await vscode.runCommand('Notifications: Clear All Notifications');
    }
  });

  test('Draw a Digit predicts after a synthetic stroke, and says how long it took', async () => {
    const { page } = vscode;
    await vscode.runCommand(`Model Lab: ${nls['command.drawDigit']}`);
    const frame: Frame = await vscode.webviewFrame(async (f) => (await f.locator('#digit-canvas').count().catch(() => 0)) > 0, 60_000);
    const canvas = frame.locator('#digit-canvas');
    await canvas.waitFor({ state: 'visible', timeout: 20_000 });
    // Wait until the model is loaded (the panel names it), so the stroke measures the warm path.
    await frame.locator('.draw-result p', { hasText: /onnxruntime|tfjs/ }).first().waitFor({ timeout: 60_000 });
    const box = await canvas.boundingBox();
    assert.ok(box, 'the canvas has a box');
    // A "1": one vertical stroke down the middle.
    const x = box.x + box.width * 0.5;
    await page.mouse.move(x, box.y + box.height * 0.15);
    await page.mouse.down();
    for (let i = 1; i <= 20; i++) {
      await page.mouse.move(x + i * 0.3, box.y + box.height * (0.15 + (0.7 * i) / 20));
      await sleep(10);
    }
    await page.mouse.up();
    const latency = frame.locator('#latency[data-ms]');
    await latency.waitFor({ timeout: 30_000 });
    const ms = Number(await latency.getAttribute('data-ms'));
    const label = (await frame.locator('#predicted-label').innerText()).trim();
    await vscode.screenshot('draw-digit-panel');
    console.log(`# draw a digit: predicted ${label}, stroke end → shown ${ms.toFixed(1)} ms`);
    assert.equal(label, '1');
    assert.ok(Number.isFinite(ms) && ms > 0, `latency ${ms}`);
    // Ctrl+Z undoes the stroke: the canvas is empty again and the prediction is cleared.
    await canvas.focus();
    await page.keyboard.press('Control+z');
    await frame.locator('#prediction[data-state="empty"]').waitFor({ timeout: 10_000 });
  });
});
