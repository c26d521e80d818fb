// Quiz practice as a new user meets it in a real VS Code (code-server), from the packaged VSIX:
// - the first Start Quiz offers a topic choice (Esc skips it), and the header counts done / new / learning;
// - a question's options are shuffled per session seed (that a window reload keeps the order is checked in
//   quiz.test.ts, whose reload test compares the seed and the options before and after);
// - statistics open in their own tab beside a running quiz, and the quiz continues at the same question;
// - Edit This Question opens the workspace deck at the question's line.
// The workspace (test/fixtures/quiz-practice) has one deck whose single-choice question has six options.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { repoRoot, startVSCode, type VSCodeSession } from './harness';

const nls = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.nls.json'), 'utf8')) as Record<string, string>;
const label = (key: string) => `Model Lab: ${nls[key]}`;
const QUIZ_TITLE = 'Model Lab Quiz';
const STATS_TITLE = 'Quiz Statistics';
const SHUFFLED_ID = 'shuffle-six-options';
const DECK_FILE = 'shuffle.quiz.md';

interface Shown {
  id: string;
  screen: string;
  seed: string;
  options: string[];
  header: string;
  /** The header's "N done · N new · N learning" line. */
  counts: string;
}

async function shown(frame: Frame): Promise<Shown> {
  return frame.evaluate(() => {
    const section = document.querySelector<HTMLElement>('section[data-question-id]');
    return {
      id: section?.dataset.questionId ?? '',
      screen: document.body.dataset.screen ?? '',
      seed: section?.dataset.seed ?? '',
      options: Array.from(document.querySelectorAll<HTMLElement>('button.option')).map((b) => (b.textContent ?? '').trim()),
      header: (document.querySelector('.quiz-header')?.textContent ?? '').replace(/\u00a0/g, ' '),
      // The numbers are joined to their words by non-breaking spaces (so they never wrap apart); compare as plain text.
      counts: (document.getElementById('counts')?.textContent ?? '').replace(/\u00a0/g, ' '),
    };
  });
}

async function waitForQuestion(frame: Frame, id: string): Promise<void> {
  await frame.waitForFunction(
    (want) => document.body.dataset.screen === 'question' && document.querySelector<HTMLElement>('section[data-question-id]')?.dataset.questionId === want,
    id,
    { timeout: 30_000 },
  );
}

describe('Quiz practice in VS Code (code-server)', () => {
  let vscode: VSCodeSession;

  before(async () => {
    vscode = await startVSCode({ workspace: path.join(repoRoot, 'test/fixtures/quiz-practice'), settings: { 'modelLab.quiz.newCardsPerDay': 20 } });
  });

  after(async () => {
    await vscode?.close();
  });

  /** Starts the fixture deck from "Start Quiz by Topic…" (the palette is driven by hand: the command opens its own pick). */
  async function startShuffleDeck(): Promise<Frame> {
    const { page } = vscode;
    // On a loaded machine the quiz panel of the previous test can take the focus and close the topic pick while the
    // filter is typed: start the command again (up to three times) until the deck row can be picked.
    for (let attempt = 1; ; attempt++) {
      try {
        await page.keyboard.press('F1');
        await page.locator('.quick-input-widget .quick-input-box input').waitFor({ state: 'visible', timeout: 30_000 });
        await page.keyboard.type(label('command.startQuizByTopic'));
        await page.locator('.quick-input-widget .monaco-list-row .label-name', { hasText: label('command.startQuizByTopic') }).first().waitFor({ state: 'visible', timeout: 30_000 });
        await page.keyboard.press('Enter');
        await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Topics' }).first().waitFor({ state: 'visible', timeout: 30_000 });
        await page.locator('.quick-input-widget .quick-input-box input').fill('Shuffle check', { timeout: 10_000 });
        const deckRow = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Shuffle check' }).first();
        await deckRow.waitFor({ state: 'visible', timeout: 10_000 });
        await deckRow.click({ timeout: 10_000 });
        break;
      } catch (err) {
        if (attempt >= 3) throw err;
        await page.keyboard.press('Escape');
        await page.waitForTimeout(1_000);
      }
    }
    const frame = await vscode.webviewFrame(QUIZ_TITLE);
    await waitForQuestion(frame, SHUFFLED_ID);
    return frame;
  }

  test('the first Start Quiz offers a topic choice; the header counts done, new and learning', async () => {
    const { page } = vscode;
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget .quick-input-box input').waitFor({ state: 'visible', timeout: 30_000 });
    await page.keyboard.type(label('command.startQuiz'));
    await page.locator('.quick-input-widget .monaco-list-row .label-name', { hasText: label('command.startQuiz') }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await page.keyboard.press('Enter');
    const title = page.locator('.quick-input-widget .quick-input-title', { hasText: 'Your first quiz: which topics?' });
    // The first Start Quiz reads every deck before it asks (slow on a loaded machine).
    await title.waitFor({ state: 'visible', timeout: 90_000 });
    await vscode.screenshot('quiz-practice-first-run-topics');
    await page.keyboard.press('Escape');
    const frame = await vscode.webviewFrame(QUIZ_TITLE);
    await frame.waitForFunction(() => document.body.dataset.screen === 'question', undefined, { timeout: 30_000 });
    const first = await shown(frame);
    assert.match(first.counts, /^0 done\b/);
    assert.match(first.counts, /\b20 new\b/, 'the daily limit of new cards');
    assert.match(first.counts, /\b0 learning$/);
    assert.notEqual((await frame.evaluate(() => document.querySelector<HTMLElement>('section[data-question-id]')?.dataset.type)), 'code', 'a code exercise is never first');
    // Answer it: one done, one new fewer, and the card may come back as learning; nothing grows.
    await frame.locator('#prompt').click();
    const type = await frame.evaluate(() => document.querySelector<HTMLElement>('section[data-question-id]')?.dataset.type ?? '');
    if (type === 'open') await page.keyboard.press('Space');
    else {
      await page.keyboard.press('1');
      await page.keyboard.press('Enter');
    }
    await frame.waitForFunction(() => document.body.dataset.screen === 'feedback', undefined, { timeout: 20_000 });
    await page.keyboard.press('3');
    await frame.waitForFunction((id) => document.querySelector<HTMLElement>('section[data-question-id]')?.dataset.questionId !== id, first.id, { timeout: 20_000 });
    const next = await shown(frame);
    assert.match(next.counts, /^1 done\b/);
    assert.match(next.counts, /\b19 new\b/);
    assert.match(next.counts, /\b1 learning$/, 'Good on a new card brings it back in 10 minutes');
  });

  test('options are shuffled per session seed: a new session shows the same question in another order', async () => {
    let frame = await startShuffleDeck();
    const first = await shown(frame);
    assert.equal(first.options.length, 6);
    assert.notEqual(first.seed, '');
    await vscode.screenshot('quiz-practice-shuffled');

    // New sessions draw new seeds: the same question comes up in another order (720 orders; a few tries at most).
    const orders = new Set([first.options.map((t) => t.replace(/^\d/, '')).join('|')]);
    const seeds = new Set([first.seed]);
    for (let k = 0; k < 4 && orders.size < 2; k++) {
      frame = await startShuffleDeck();
      await frame.waitForFunction((seed) => document.querySelector<HTMLElement>('section[data-question-id]')?.dataset.seed !== seed, first.seed, { timeout: 20_000 });
      const again = await shown(frame);
      seeds.add(again.seed);
      orders.add(again.options.map((t) => t.replace(/^\d/, '')).join('|'));
      // Each option's text starts with its key (1–6): compare the option texts without it.
      const texts = (o: string[]) => o.map((t) => t.replace(/^\d/, '')).sort();
      assert.deepEqual(texts(again.options), texts(first.options), 'the same options');
    }
    assert.ok(seeds.size >= 2, 'another session has another seed');
    assert.ok(orders.size >= 2, `the options were shown in one order only: ${[...orders].join(' / ')}`);
  });

  test('statistics open in their own tab beside the quiz; the quiz continues at the same question', async () => {
    const { page } = vscode;
    const frame = await startShuffleDeck();
    const before = await shown(frame);
    await vscode.runCommand(label('command.showQuizStatistics'));
    const stats = await vscode.webviewFrame(STATS_TITLE);
    await stats.waitForFunction(() => document.body.dataset.screen === 'stats', undefined, { timeout: 30_000 });
    assert.equal(await stats.locator('.heat-cell[data-day]').count(), 365, 'a heatmap of the last 365 days');
    assert.match(await stats.locator('#streaks').innerText(), /Current streak: 1 day · Longest streak: 1 day(?!s)/, 'one day is singular');
    const today = await stats.locator('.heat-cell[data-day]').last().getAttribute('title');
    assert.match(today ?? '', /: \d+ reviews?$/, 'hovering a day shows its count');
    assert.equal(await stats.locator('#reviews-chart .y-axis .tick').count(), 3, 'the chart has a y-axis');
    assert.ok((await stats.locator('#reviews-chart .x-label').allInnerTexts()).some((t) => /[A-Z][a-z]{2} \d+/.test(t)), 'month labels under the bars');
    await vscode.screenshot('quiz-practice-stats-beside');
    // Both tabs are open, and the quiz still shows the same question with the same order.
    assert.equal(await page.locator('.tabs-container .tab', { hasText: QUIZ_TITLE }).count(), 1);
    assert.equal(await page.locator('.tabs-container .tab', { hasText: STATS_TITLE }).count(), 1);
    const quiz = await vscode.webviewFrame(QUIZ_TITLE);
    const still = await shown(quiz);
    assert.equal(still.id, before.id);
    assert.deepEqual(still.options, before.options);
    // Continue the quiz: the answer is graded and the statistics tab counts it.
    const reviewsBefore = Number(/Reviews\s*(\d+)/.exec(await stats.locator('.figures').innerText())![1]);
    await quiz.locator('#prompt').click();
    await page.keyboard.press('1');
    await page.keyboard.press('Enter');
    await quiz.waitForFunction(() => document.body.dataset.screen === 'feedback', undefined, { timeout: 20_000 });
    await page.keyboard.press('3');
    await quiz.waitForFunction((id) => document.querySelector<HTMLElement>('section[data-question-id]')?.dataset.questionId !== id || document.body.dataset.screen !== 'feedback', before.id, {
      timeout: 20_000,
    });
    await stats.waitForFunction((n) => new RegExp(`Reviews\\s*${n}\\b`).test(document.querySelector('.figures')?.textContent ?? ''), reviewsBefore + 1, { timeout: 20_000 });
  });

  test('Edit This Question opens the workspace deck at the question’s line', async () => {
    const { page } = vscode;
    const frame = await vscode.webviewFrame(QUIZ_TITLE);
    // Whichever fixture question is on screen now (the previous test left the deck's session running).
    await frame.waitForFunction(() => document.body.dataset.screen === 'question', undefined, { timeout: 20_000 });
    const { id } = await shown(frame);
    const type = await frame.evaluate(() => document.querySelector<HTMLElement>('section[data-question-id]')?.dataset.type ?? '');
    await frame.locator('#prompt').click();
    if (type === 'open') await page.keyboard.press('Space');
    else {
      await page.keyboard.press('2');
      await page.keyboard.press('Enter');
    }
    await frame.waitForFunction(() => document.body.dataset.screen === 'feedback', undefined, { timeout: 20_000 });
    await vscode.screenshot('quiz-practice-feedback');
    await frame.locator('#edit-question').click();
    const tab = page.locator('.tabs-container .tab.active', { hasText: DECK_FILE });
    await tab.waitFor({ state: 'visible', timeout: 30_000 });
    const text = fs.readFileSync(path.join(repoRoot, 'test/fixtures/quiz-practice', DECK_FILE), 'utf8');
    const line = text.split('\n').indexOf(`## ${id}`) + 1;
    assert.ok(line > 0, id);
    await page.waitForFunction((want) => Array.from(document.querySelectorAll('.statusbar-item')).some((e) => (e.textContent ?? '').includes(`Ln ${want}, Col 1`)), line, { timeout: 20_000 });
    await vscode.screenshot('quiz-practice-edit-question');
  });
});
