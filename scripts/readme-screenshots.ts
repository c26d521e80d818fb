// `npm run screenshots`: regenerates the README's pictures (media/readme/*.png) from the packaged VSIX in a real
// VS Code (code-server), through the same harness the integration tests use: a quiz question, an image result with its
// occlusion map, a text result with its word highlights (Explain Selection), and the Get Started walkthrough.
//
// `-- --review` also writes every surface in English and Chinese, light and dark, under .test-runs/screenshots/
// (not committed) for a person to look at before a release.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot, startVSCode } from '../test/integration/harness';

const nls = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.nls.json'), 'utf8')) as Record<string, string>;
const nlsZh = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.nls.zh-cn.json'), 'utf8')) as Record<string, string>;
const README_DIR = path.join(repoRoot, 'media/readme');
const review = process.argv.includes('--review');

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Variant {
  name: string;
  locale?: string;
  theme: string;
  /** Copy these shots into media/readme/ (the README's pictures: English, light). */
  forReadme: boolean;
}

async function shoot(variant: Variant): Promise<void> {
  const strings = variant.locale === 'zh-cn' ? nlsZh : nls;
  const command = (key: string) => `Model Lab: ${strings[key]}`;
  const vscode = await startVSCode({ workspace: path.join(repoRoot, 'examples'), locale: variant.locale, settings: { 'workbench.colorTheme': variant.theme, 'editor.minimap.enabled': false } });
  const taken: Record<string, string> = {};
  const snap = async (shot: string) => {
    await sleep(1_500); // let webviews paint
    taken[shot] = await vscode.screenshot(`${variant.name}-${shot}`);
  };
  try {
    await vscode.page.setViewportSize({ width: 1400, height: 820 });
    await vscode.page.keyboard.press('F1');
    await vscode.page.keyboard.type(command('command.startQuiz'));
    await vscode.page.locator('.quick-input-widget .monaco-list-row .label-name', { hasText: command('command.startQuiz') }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await vscode.page.keyboard.press('Enter');
    // A first run may offer a topic choice (a quick pick); skip it (all topics) once it shows.
    const quickInput = vscode.page.locator('.quick-input-widget .quick-input-box input');
    await vscode.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 30_000 }).catch(() => undefined);
    await sleep(1_000);
    for (let i = 0; i < 60; i++) {
      if (await quickInput.isVisible().catch(() => false)) {
        await vscode.page.keyboard.press('Escape');
        break;
      }
      if (await vscode.webviewFrame(async (f) => (await f.locator('section[data-question-id]').count().catch(() => 0)) > 0, 500).then(() => true, () => false)) break;
    }
    await vscode.webviewFrame(async (f) => (await f.locator('section[data-question-id]').count().catch(() => 0)) > 0, 60_000);
    await snap('quiz');
    await vscode.runCommand('View: Close All Editors');

    await vscode.openFile('images/seven.png');
    // The image preview is a webview that keeps F1 to itself: use the editor title's Classify Image action.
    await vscode.page.locator('.editor-actions a.action-label[aria-label*="' + strings['command.classifyImage'] + '"]').first().click();
    const imageFrame = await vscode.webviewFrame(async (f) => (await f.locator('.result-label').count().catch(() => 0)) > 0, 120_000);
    // The README shows the answer with its explanation: the occlusion map over what the model saw.
    await imageFrame.locator('#explain').click();
    await imageFrame.locator('#saliency-overlay').waitFor({ state: 'visible', timeout: 60_000 });
    await snap('image-result');
    await vscode.runCommand('View: Close All Editors');

    await vscode.openFile('texts/spam-offer.txt');
    await vscode.page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await vscode.page.keyboard.press('Control+A');
    // Explain Selection: the classification plus each word's share, drawn in the editor (the README's "highlights").
    await vscode.runCommand(command('command.explainSelection'));
    await vscode.webviewFrame(async (f) => (await f.locator('body').innerText().catch(() => '')).length > 20, 120_000);
    // Click into the editor's last line: the selection goes, and the word highlights under it show.
    await vscode.page.locator('.editor-instance .monaco-editor .view-line').last().click();
    await snap('text-result');
    await vscode.runCommand('View: Close All Editors');

    await vscode.runCommand('Help: Welcome');
    const entry = vscode.page.locator('.getting-started-category', { hasText: strings['walkthrough.title']! }).first();
    await entry.waitFor({ state: 'visible', timeout: 60_000 });
    await entry.click();
    await snap('walkthrough');
  } catch (err) {
    await vscode.screenshot(`${variant.name}-failure`);
    throw err;
  } finally {
    await vscode.close();
  }
  if (variant.forReadme) {
    fs.mkdirSync(README_DIR, { recursive: true });
    for (const [shot, file] of Object.entries(taken)) fs.copyFileSync(file, path.join(README_DIR, `${shot}.png`));
    console.log(`[screenshots] wrote ${Object.keys(taken).map((s) => `media/readme/${s}.png`).join(', ')}`);
  }
  console.log(`[screenshots] ${variant.name}: ${Object.values(taken).map((f) => path.relative(repoRoot, f)).join(', ')}`);
}

async function main(): Promise<void> {
  const variants: Variant[] = [{ name: 'en-light', theme: 'Default Light Modern', forReadme: true }];
  if (review) {
    variants.push(
      { name: 'en-dark', theme: 'Default Dark Modern', forReadme: false },
      { name: 'zh-light', locale: 'zh-cn', theme: 'Default Light Modern', forReadme: false },
      { name: 'zh-dark', locale: 'zh-cn', theme: 'Default Dark Modern', forReadme: false },
    );
  }
  for (const v of variants) await shoot(v);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`[screenshots] ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    process.exit(1);
  },
);
