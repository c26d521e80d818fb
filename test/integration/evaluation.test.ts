// Evaluation as a user meets it in a real VS Code (code-server): right-click a labelled image folder (ImageFolder:
// one sub-folder per label) in the Explorer, pick "Evaluate Model on Labelled Data…"; the panel shows the confusion
// matrix as a heatmap with the counts `model-lab eval --json` gives for the same folder; choosing a cell lists exactly
// that cell's examples (with thumbnails), and choosing an example opens its image in an editor tab.
//
// The folder is made here from the committed sample digits (examples/images): copies under their own label, and one
// three filed under 7, so the matrix has a diagonal cell of two and a mistake cell of one.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { repoRoot, startVSCode, type VSCodeSession } from './harness';

const nls = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.nls.json'), 'utf8')) as Record<string, string>;
const DATA = 'digits-eval';
const SAMPLES = path.join(repoRoot, 'examples/images');
/** label folder → [file name in it, sample it is a copy of]. */
const LAYOUT: Record<string, [string, string][]> = {
  '0': [['zero.png', 'zero.png'], ['zero-again.png', 'zero.png']],
  '2': [['two.png', 'two-mnist-style.png']],
  '3': [['three.png', 'three.png']],
  '4': [['four.jpg', 'four.jpg']],
  '7': [['seven.png', 'seven.png'], ['seven-again.png', 'seven.png'], ['filed-as-seven.png', 'three.png']],
};

interface CliEvaluation {
  report: { count: number; labels: string[]; confusion: number[][] };
  cells: { actual: string; predicted: string; count: number; examples: { file: string }[] }[];
}

/** `model-lab eval --data DIR --json` with the bundled digit model (the CLI's default for images). */
function cliEvaluate(dir: string): CliEvaluation {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'eval', '--data', dir, '--json'], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(r.status, 0, `the CLI failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as CliEvaluation;
}

describe('Model Lab evaluation panel in VS Code (code-server)', () => {
  let vscode: VSCodeSession;
  let workspace: string;

  before(async () => {
    assert.ok(fs.existsSync(path.join(repoRoot, 'models/mnist-cnn/model.onnx')), 'models/mnist-cnn/model.onnx is missing');
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lab-eval-ws-'));
    fs.cpSync(path.join(repoRoot, 'test/fixtures/workspace'), workspace, { recursive: true });
    for (const [label, files] of Object.entries(LAYOUT)) {
      fs.mkdirSync(path.join(workspace, DATA, label), { recursive: true });
      for (const [name, sample] of files) fs.copyFileSync(path.join(SAMPLES, sample), path.join(workspace, DATA, label, name));
    }
    vscode = await startVSCode({ workspace, settings: { 'explorer.compactFolders': false, 'workbench.editor.enablePreview': true } });
  });

  after(async () => {
    await vscode?.close();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  test('evaluate a labelled image folder, open a cell, open an example', async () => {
    const { page } = vscode;
    const cli = cliEvaluate(path.join(workspace, DATA));
    assert.equal(cli.report.count, 8);
    // The data has a mistake by construction (a three filed under 7): the CLI must see it, or this test proves nothing.
    const mistake = cli.cells.find((c) => c.actual === '7' && c.predicted !== '7');
    assert.ok(mistake, `the CLI found no mistake in 7: ${JSON.stringify(cli.cells.map((c) => [c.actual, c.predicted, c.count]))}`);

    // Right-click the folder in the Explorer → "Evaluate Model on Labelled Data…".
    const folderRow = page.locator('.explorer-folders-view .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${DATA}$`) }) }).first();
    await folderRow.waitFor({ state: 'visible', timeout: 30_000 });
    await folderRow.click({ button: 'right' });
    const item = page.locator('.context-view .monaco-menu .action-item', { hasText: nls['command.evaluateModel'] }).first();
    await item.waitFor({ state: 'visible', timeout: 10_000 });
    await vscode.screenshot('evaluation-explorer-menu');
    await item.click();

    const frame: Frame = await vscode.webviewFrame(`Evaluation: ${DATA}`, 120_000);
    const cells = frame.locator('table.heatmap button.cell');
    await cells.first().waitFor({ state: 'visible', timeout: 60_000 });
    await vscode.screenshot('evaluation-panel');

    // The matrix: the CLI's labels as rows and columns, every count as text in its cell.
    const columns = (await frame.locator('table.heatmap thead th.col').allInnerTexts()).map((t) => t.trim());
    assert.deepEqual(columns, cli.report.labels);
    const shown = await cells.evaluateAll((buttons) =>
      buttons.map((b) => ({ a: Number((b as HTMLElement).dataset.actual), p: Number((b as HTMLElement).dataset.predicted), count: Number(b.querySelector('.count')?.textContent) })),
    );
    const matrix = cli.report.labels.map((_, a) => cli.report.labels.map((__, p) => shown.find((c) => c.a === a && c.p === p)?.count));
    assert.deepEqual(matrix, cli.report.confusion);
    assert.equal(await frame.locator('table.heatmap').isVisible(), true);

    // A cell lists exactly its examples: the 7 → 7 diagonal, then the mistake.
    const cellButton = (actual: string, predicted: string) =>
      frame.locator(`table.heatmap button.cell[data-actual="${cli.report.labels.indexOf(actual)}"][data-predicted="${cli.report.labels.indexOf(predicted)}"]`);
    const listed = async (): Promise<string[]> => (await frame.locator('.cell-examples .example .example-title').allInnerTexts()).map((t) => t.trim()).sort();
    const expected = (actual: string, predicted: string) =>
      (cli.cells.find((c) => c.actual === actual && c.predicted === predicted)?.examples ?? []).map((e) => path.basename(e.file)).sort();

    await cellButton('7', '7').click();
    await frame.locator('.cell-examples h2').waitFor({ state: 'visible', timeout: 10_000 });
    assert.deepEqual(await listed(), expected('7', '7'));
    assert.deepEqual(await listed(), ['seven-again.png', 'seven.png']);

    await cellButton('7', mistake.predicted).click();
    await frame.locator('.cell-examples h2', { hasText: new RegExp(`\\b${mistake.predicted}\\b.*: ${mistake.count}$`) }).waitFor({ state: 'visible', timeout: 10_000 });
    assert.deepEqual(await listed(), expected('7', mistake.predicted));
    assert.deepEqual(await listed(), ['filed-as-seven.png']);
    // Thumbnails load from the data folder (the webview's resource root): a broken image has no natural width.
    const thumb = frame.locator('.cell-examples img.thumb').first();
    await thumb.waitFor({ state: 'visible', timeout: 10_000 });
    await frame.waitForFunction(() => ((document.querySelector('.cell-examples img.thumb') as HTMLImageElement | null)?.naturalWidth ?? 0) > 0, undefined, { timeout: 10_000 });
    await vscode.screenshot('evaluation-cell-examples');

    // Choosing the example opens that image in an editor tab (its name is unique in the workspace), which takes the focus.
    await frame.locator('.cell-examples .example', { hasText: 'filed-as-seven.png' }).click();
    await page.locator('.tabs-container .tab.active', { hasText: 'filed-as-seven.png' }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await vscode.screenshot('evaluation-example-opened');
  });
});
