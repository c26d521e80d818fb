// The text classifier as a user meets it in a real VS Code (code-server): select a line in a text file, right-click,
// pick "Classify Selection" from the editor's context menu; the result panel shows the same label (and the same
// probability, to the panel's 0.1 %) that `model-lab classify-text` prints for the same text with the bundled model.
// A whitespace-only selection gets a clear message instead of a result. "Explain Selection" colours the selected words in
// the editor and hovering one shows its score, the one `model-lab classify-text --explain --json` gives that word.
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

interface CliExplanation {
  label: string;
  segments: { start: number; end: number; text: string; score: number; words: number }[];
}

/** `model-lab classify-text --json -` with the bundled model (the CLI's default), the same code path as the worker. */
function cliClassify(text: string, explain = false): { label: string; displayLabel?: string; probability: number; explanation?: CliExplanation } {
  const model = modelOverride ? ['--model', modelOverride] : [];
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'classify-text', ...model, ...(explain ? ['--explain'] : []), '--json', '-'], { cwd: repoRoot, input: text, encoding: 'utf8' });
  assert.equal(r.status, 0, `the CLI failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { label: string; displayLabel?: string; probability: number; explanation?: CliExplanation };
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

  test('Explain Selection colours the words in the editor, and a hover shows the value the CLI gives', async () => {
    const { page } = vscode;
    // Line 5: a plain office line with words for and against its label.
    const line = 5;
    const text = sampleLines[line - 1];
    const cli = cliClassify(text, true);
    const explanation = cli.explanation;
    assert.ok(explanation && explanation.segments.length > 0, `the CLI explained nothing: ${JSON.stringify(cli)}`);
    await selectLine(line);
    await vscode.runCommand(`Model Lab: ${nls['command.explainSelection']}`);

    // The decorations are the extension's (class "ced-…") boxes in the editor's overlay layer, on line 5.
    const editor = page.locator('.editor-instance .monaco-editor').first();
    const marks = editor.locator('.view-overlays .cdr[class*="ced-"]');
    await marks.first().waitFor({ state: 'visible', timeout: 120_000 });
    // The result panel opens beside the editor right after: let the layout settle before measuring where words are.
    await vscode.webviewFrame(async (f) => (await f.locator('.text-entry').count().catch(() => 0)) > 0, 60_000);
    await sleep(500);
    const strongest = [...explanation.segments].sort((x, y) => Math.abs(y.score) - Math.abs(x.score))[0];

    // Click on the empty line below, then Home: the selection goes (so the colours show as they are), the view scrolls
    // back to column 1 (Shift+End scrolled it right while the panel took half the width), and the editor sees a whole
    // click (the first test's right-click ended on the context menu, and the editor keeps its hovers off until then).
    const textArea = await editor.locator('.editor-scrollable').first().boundingBox();
    let lineBox = await editor.locator('.view-lines .view-line').filter({ hasText: text.slice(0, 20) }).first().boundingBox();
    assert.ok(textArea && lineBox, 'line 5 is rendered');
    await page.mouse.click(textArea.x + 20, lineBox.y + lineBox.height * 1.5);
    await page.keyboard.press('Home');
    await sleep(500);
    lineBox = await editor.locator('.view-lines .view-line').filter({ hasText: text.slice(0, 20) }).first().boundingBox();
    assert.ok(lineBox);
    assert.ok(lineBox.x >= textArea.x - 1, `line 5 starts at ${lineBox.x}, left of the text area (${textArea.x}): the view is still scrolled`);
    await vscode.screenshot('text-explanation-decorations');

    // Line 5's marks (line 1 keeps the window mark of the first test): at most one per explained segment (touching
    // words of one strength show as one box), coloured; "for" and "against" differ in colour when both are marked
    // (the panel leaves words under 5 % of the strongest |score| plain).
    const boxes = await marks.evaluateAll((els) =>
      els.map((e) => ({ ...e.getBoundingClientRect().toJSON(), background: getComputedStyle(e).backgroundColor }) as { x: number; y: number; width: number; height: number; background: string }),
    );
    const onLine = boxes.filter((m) => Math.abs(m.y + m.height / 2 - (lineBox.y + lineBox.height / 2)) < lineBox.height / 2).sort((x, y) => x.x - y.x);
    const signs = new Set(explanation.segments.filter((g) => Math.abs(g.score) >= 0.05 * Math.abs(strongest.score)).map((g) => Math.sign(g.score)));
    assert.ok(onLine.length >= signs.size && onLine.length <= explanation.segments.length, `${onLine.length} marks on line ${line} for ${explanation.segments.length} segments: ${JSON.stringify(boxes)}`);
    for (const m of onLine) assert.doesNotMatch(m.background, /^(transparent|rgba\(0, 0, 0, 0\))$/, `a mark without colour: ${JSON.stringify(m)}`);
    assert.ok(new Set(onLine.map((m) => m.background)).size >= signs.size, `one colour for "for" and "against": ${JSON.stringify(onLine)}`);

    // Hover the strongest word: its mark is one of those on line 5 within the editor's visible width.
    const inView = onLine.filter((m) => m.x + m.width / 2 > textArea.x && m.x + m.width / 2 < textArea.x + textArea.width);
    // Marks are in text order; the CLI's segments too. Hover each until the strongest word's hover shows.
    const hover = page.locator('.monaco-hover .hover-contents', { hasText: 'Model Lab' });
    let hoverText = '';
    for (const b of inView) {
      await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
      try {
        await hover.first().waitFor({ state: 'visible', timeout: 10_000 });
      } catch {
        continue;
      }
      hoverText = (await hover.first().innerText()).replace(/\s+/g, ' ').trim();
      if (hoverText.includes(`"${strongest.text}"`)) break;
      await page.mouse.move(0, 0);
      await hover.first().waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => undefined);
    }
    await vscode.screenshot('text-explanation-hover');
    assert.ok(hoverText.includes(`"${strongest.text}"`), `no hover for "${strongest.text}"; the last hover said: ${hoverText}`);
    // The value as shown (3 decimals, a true minus sign for "against") equals the CLI's score to that precision.
    const m = /([+−])(\d+\.\d{3}) log-odds/.exec(hoverText);
    assert.ok(m, hoverText);
    const shownScore = (m[1] === '−' ? -1 : 1) * Number(m[2]);
    assert.ok(Math.abs(shownScore - strongest.score) <= 0.0005 + 1e-9, `hover ${m[0]} vs CLI ${strongest.score}`);
    assert.match(hoverText, strongest.score >= 0 ? /speaks for/ : /speaks against/);
    assert.ok(hoverText.includes(cli.displayLabel ?? cli.label), `the hover names the label ${cli.displayLabel ?? cli.label}: ${hoverText}`);
    await page.mouse.move(0, 0);
  });
});
