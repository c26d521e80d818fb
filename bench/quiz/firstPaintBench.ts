/**
 * First paint of the quiz panel after "Model Lab: Start Quiz", in a real VS Code (code-server + Chromium through
 * the integration harness, packaged VSIX).
 *
 * Method: open the command palette, type the command, wait until its row is shown, then start the clock and press
 * Enter; stop it when the quiz webview's document shows the first question (`body[data-screen="question"]` — the
 * question's text is in the DOM), polling every 20 ms through Playwright. Between runs the panel is closed
 * ("View: Close All Editors"). Run 1 includes loading and parsing the bundled bank (cold); runs 2… reuse it
 * (warm). Run: `npx tsx bench/quiz/firstPaintBench.ts [runs]` (needs what `npm run test:integration` needs).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { startVSCode } from '../../test/integration/harness';

const runs = Number(process.argv[2] ?? 6);

async function quizFrame(page: Page, deadline: number): Promise<Frame | undefined> {
  while (Date.now() < deadline) {
    for (const outer of await page.locator('iframe.webview').elementHandles()) {
      const frame = await (await (await outer.contentFrame())?.$('#active-frame'))?.contentFrame();
      if (!frame) continue;
      const screen = await frame.evaluate(() => document.body?.dataset.screen ?? '').catch(() => '');
      if (screen === 'question') return frame;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return undefined;
}

async function main(): Promise<void> {
  const session = await startVSCode();
  const { page } = session;
  const times: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      await session.runCommand('View: Close All Editors');
      await page.waitForTimeout(500);
      await page.keyboard.press('F1');
      await page.locator('.quick-input-widget .quick-input-box input').waitFor({ state: 'visible' });
      await page.keyboard.type('Model Lab: Start Quiz');
      await page.locator('.quick-input-widget .monaco-list-row .label-name', { hasText: /^Model Lab: Start Quiz$/ }).first().waitFor({ state: 'visible' });
      const t0 = performance.now();
      await page.keyboard.press('Enter');
      const frame = await quizFrame(page, Date.now() + 60_000);
      if (!frame) throw new Error('the quiz panel did not show a question within 60 s');
      times.push(performance.now() - t0);
      console.log(`run ${i + 1}: ${times.at(-1)!.toFixed(0)} ms${i === 0 ? ' (cold: bank parsed on first use)' : ''}`);
    }
    // The extension's own timings (activation, bank parse, panel ready) from its log channel, to split the cold run.
    for (const file of (fs.readdirSync(session.runDir, { recursive: true }) as string[]).filter((f) => f.endsWith('Model Lab.log'))) {
      for (const line of fs.readFileSync(path.join(session.runDir, file), 'utf8').split('\n')) {
        if (/activated in|Quiz bank:|Quiz panel ready/.test(line)) console.log(`  log: ${line.trim()}`);
      }
    }
  } finally {
    await session.close();
  }
  const warm = times.slice(1).sort((a, b) => a - b);
  const median = warm[Math.floor((warm.length - 1) / 2)];
  console.log(`first paint after "Start Quiz": cold ${times[0]!.toFixed(0)} ms; warm median ${median?.toFixed(0)} ms over ${warm.length} runs (VS Code ${session.version})`);
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
