// The image classifier as a user meets it in a real VS Code (code-server): open a digit PNG (it opens in VS Code's
// image preview), run "Model Lab: Classify Image" from the command palette, and the result panel shows the digit,
// its probability bars, the 28×28 input and the latency. Then "Model Lab: Draw a Digit": a synthetic mouse stroke
// on the canvas inside the webview gets a prediction, with the time from stroke end to shown result.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { repoRoot, startVSCode, type VSCodeSession } from './harness';

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
