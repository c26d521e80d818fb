// The quiz as a user meets it in a real VS Code (code-server): start it from the palette, answer two questions
// with the keyboard, reload the window and find the panel at the same question with the progress kept; import an
// article-format file from an open editor and get its questions; a workspace bank whose text holds <script> and
// <img onerror=…> shows that markup as text and executes nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { repoRoot, startVSCode, type VSCodeSession } from './harness';
import { loadBankDirectory } from '../../src/quiz/bankLoader';

const nls = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.nls.json'), 'utf8')) as Record<string, string>;
const label = (key: string) => `Model Lab: ${nls[key]}`;
const PANEL_TITLE = 'Model Lab Quiz';

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function currentQuestion(frame: Frame): Promise<{ id: string; type: string; screen: string; header: string; seed: string; options: string[] }> {
  return frame.evaluate(() => {
    const section = document.querySelector<HTMLElement>('section[data-question-id]');
    return {
      id: section?.dataset.questionId ?? '',
      type: section?.dataset.type ?? '',
      screen: document.body.dataset.screen ?? '',
      // Numbers are joined to their words by non-breaking spaces; compare as plain text.
      header: (document.querySelector('.quiz-header')?.textContent ?? '').replace(/\u00a0/g, ' '),
      seed: section?.dataset.seed ?? '',
      options: Array.from(document.querySelectorAll<HTMLElement>('button.option')).map((b) => (b.textContent ?? '').trim()),
    };
  });
}

async function waitForScreen(frame: Frame, screen: string, questionNot?: string): Promise<void> {
  await frame.waitForFunction(
    ([s, not]) => document.body.dataset.screen === s && (!not || document.querySelector<HTMLElement>('section[data-question-id]')?.dataset.questionId !== not),
    [screen, questionNot ?? ''] as const,
    { timeout: 20_000 },
  );
}

describe('Model Lab quiz in VS Code (code-server)', () => {
  let vscode: VSCodeSession;
  const dialogs: string[] = [];
  /** Reviews the code-exercise test gives before the exercise comes up (counted in the statistics later). */
  let answeredBeforeExercise = 0;

  before(async () => {
    vscode = await startVSCode({
      settings: {
        'modelLab.quiz.newCardsPerDay': 20,
        // The exercise test inserts a whole program into the editor: no auto-closing, indenting or suggestions.
        'editor.autoClosingBrackets': 'never',
        'editor.autoClosingQuotes': 'never',
        'editor.autoIndent': 'none',
        'editor.formatOnPaste': false,
        'editor.quickSuggestions': { other: 'off', comments: 'off', strings: 'off' },
        'editor.suggestOnTriggerCharacters': false,
      },
    });
    vscode.page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  });

  after(async () => {
    await vscode?.close();
  });

  /** The quiz webview's frame once it shows a screen (the frame may be re-created when the layout changes). */
  async function panelFrame(): Promise<Frame> {
    const frame = await vscode.webviewFrame(PANEL_TITLE);
    await frame.waitForFunction(() => (document.body.dataset.screen ?? '') !== '', undefined, { timeout: 20_000 });
    return frame;
  }

  /** Answers the shown question by keyboard: 1 + Enter for choices, Space for recall/code; then grades with 3 (Good). */
  async function answerByKeyboard(frame: Frame): Promise<string> {
    const { page } = vscode;
    const q = await currentQuestion(frame);
    assert.equal(q.screen, 'question');
    // Put the keyboard focus into the webview (a click on the prompt text does nothing else).
    await frame.locator('#prompt').click();
    if (q.type === 'single' || q.type === 'multiple' || q.type === 'truefalse') {
      await page.keyboard.press('1');
      await page.keyboard.press('Enter');
    } else {
      await page.keyboard.press('Space');
    }
    await waitForScreen(frame, 'feedback');
    if (q.type === 'open' || q.type === 'code') {
      // A self-graded reveal has no verdict line, only the one "Answer" heading.
      assert.equal(await frame.locator('#verdict').count(), 0);
      assert.equal(await frame.locator('h2', { hasText: /^Answer$/ }).count(), 1);
    } else {
      const verdict = (await frame.locator('#verdict').innerText()).trim();
      // A wrong answer names the right option by the number it is shown with.
      assert.match(verdict, /^(✓ Correct|✗ Wrong — the right answers? (is|are) \d( and \d|, \d)*|✗ Wrong — the statement is (True|False))$/);
    }
    // The polite live region announces the verdict (set a moment later so repeated verdicts are re-announced).
    await frame.waitForFunction(() => (document.getElementById('live')?.textContent ?? '').length > 0, undefined, { timeout: 5_000 });
    await page.keyboard.press('3');
    return q.id;
  }

  test('a code exercise opens in an editor; Check runs it in the worker: the starter fails, the answer passes', async () => {
    const { page } = vscode;
    const bank = await loadBankDirectory(path.join(repoRoot, 'media/quiz'), { bundled: true });
    const exercise = bank.questions.find((q) => q.check === 'cnn-parameters')!;
    // A topic is listed under the title of the deck that holds it.
    const topicTitle = bank.decks.find((d) => d.deck === exercise.deck)!.title!.en!;
    const answer = /```ts\n([\s\S]*?)```/.exec(exercise.answer.en ?? '')![1]!;
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget .quick-input-box input').waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.type(label('command.startQuizByTopic'));
    await page.locator('.quick-input-widget .monaco-list-row .label-name', { hasText: label('command.startQuizByTopic') }).first().waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Topics' }).first().waitFor({ state: 'visible', timeout: 20_000 });
    await page.keyboard.type(topicTitle.slice(0, 12));
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: topicTitle }).first().click();
    let frame = await vscode.webviewFrame(PANEL_TITLE);
    await waitForScreen(frame, 'question');
    // New cards come easy to hard and a code exercise is never first: answer the easier ones until it comes.
    for (let k = 0; k < 40 && (await currentQuestion(frame)).id !== exercise.id; k++) {
      const before = await answerByKeyboard(frame);
      answeredBeforeExercise++;
      await waitForScreen(frame, 'question', before);
    }
    assert.equal((await currentQuestion(frame)).id, exercise.id);
    await frame.locator('#prompt').click();
    await page.keyboard.press('e');
    const untitled = page.locator('.tabs-container .tab', { hasText: 'Untitled' }).first();
    await untitled.waitFor({ state: 'visible', timeout: 20_000 });
    // Opening the editor beside re-lays out the workbench and may re-create the webview's frame: find it again.
    frame = await panelFrame();
    await frame.locator('#check-code').click();
    await frame.waitForFunction(() => /expected 93,322/.test(document.getElementById('code-status')?.textContent ?? ''), undefined, { timeout: 90_000 });
    assert.equal(await frame.evaluate(() => document.body.dataset.screen), 'question', 'a failing check is not graded');
    // Replace the starter with the answer and check again.
    await untitled.click();
    await page.locator('.editor-instance .monaco-editor.focused').first().waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(answer);
    // Check through the editor's CodeLens, then bring the quiz tab to the front (the editor may share its group).
    const lens = page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Check (Model Lab quiz)' }).first();
    await lens.waitFor({ state: 'visible', timeout: 20_000 });
    await lens.click();
    await sleep(2_000);
    await page.locator('.tabs-container .tab', { hasText: PANEL_TITLE }).first().click();
    frame = await panelFrame();
    await waitForScreen(frame, 'feedback');
    assert.equal((await frame.locator('#verdict').innerText()).trim(), '✓ Correct');
    await vscode.screenshot('quiz-code-exercise');
    await frame.locator('#prompt').click();
    await page.keyboard.press('3');
    await waitForScreen(frame, 'question', exercise.id);
    await vscode.runCommand('View: Close All Editors');
    // Closing an untitled editor with text asks whether to save: do not save.
    const dontSave = page.getByRole('button', { name: "Don't Save" });
    if (await dontSave.isVisible({ timeout: 3_000 }).catch(() => false)) await dontSave.click();
  });

  test('start from the palette, answer two questions by keyboard, reload: same question, progress kept', async () => {
    await vscode.runCommand(label('command.startQuiz'));
    let frame = await vscode.webviewFrame(PANEL_TITLE);
    await waitForScreen(frame, 'question');
    const first = await answerByKeyboard(frame);
    await waitForScreen(frame, 'question', first);
    const second = await answerByKeyboard(frame);
    await waitForScreen(frame, 'question', second);
    const third = await currentQuestion(frame);
    assert.notEqual(third.id, '');
    // The header counts what is done and what is left; it has no total that grows.
    assert.match(third.header, /2 done\b/);
    assert.doesNotMatch(third.header, / of \d/);
    // Ctrl+Z undoes the last grade: back to the second question's answer, then grade it again.
    await frame.locator('#prompt').click();
    await vscode.page.keyboard.press('Control+z');
    await frame.waitForFunction((id) => document.body.dataset.screen === 'feedback' && document.querySelector<HTMLElement>('section[data-question-id]')?.dataset.questionId === id, second, { timeout: 20_000 });
    assert.match((await currentQuestion(frame)).header, /1 done\b/);
    await vscode.page.keyboard.press('3');
    await waitForScreen(frame, 'question', second);
    // Shown again, the question draws a new seed; this showing is what a reload must bring back.
    const beforeReload = await currentQuestion(frame);
    assert.equal(beforeReload.id, third.id);
    await vscode.screenshot('quiz-before-reload');

    await vscode.runCommand('Developer: Reload Window');
    await vscode.page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: 90_000 });
    frame = await vscode.webviewFrame(PANEL_TITLE, 90_000);
    await waitForScreen(frame, 'question');
    const after = await currentQuestion(frame);
    assert.equal(after.id, third.id, 'the panel returns at the same question');
    // With its options in the same shuffled order: the seed is kept with the session.
    await frame.waitForFunction((seed) => document.querySelector<HTMLElement>('section[data-question-id]')?.dataset.seed === seed, beforeReload.seed, { timeout: 20_000 });
    assert.notEqual(beforeReload.seed, '');
    assert.deepEqual((await currentQuestion(frame)).options, beforeReload.options);
    assert.match(after.header, /2 done\b/, 'the two answers are kept');
    await vscode.screenshot('quiz-after-reload');

    // Progress is kept: statistics (in their own tab) count the reviews.
    await vscode.runCommand(label('command.showQuizStatistics'));
    const stats = await vscode.webviewFrame('Quiz Statistics');
    await waitForScreen(stats, 'stats');
    const figures = await stats.locator('.figures').innerText();
    // The first test's reviews (the easier coding questions and the exercise) plus the two answers here (the undone grade is gone).
    assert.match(figures.replace(/\s+/g, ' '), new RegExp(`Reviews ${answeredBeforeExercise + 3}\\b`));
  });

  test('Import Quiz from Current File turns an open article-format file into its questions', async () => {
    await vscode.openFile('quiz-article.zh.md');
    await vscode.runCommand(label('command.importQuizFromFile'));
    const toast = vscode.page.locator('.notifications-toasts .notification-toast', { hasText: 'Imported 4 questions' });
    await toast.waitFor({ state: 'visible', timeout: 20_000 });
    assert.match(await toast.innerText(), /article/);
    await toast.locator('.monaco-button', { hasText: 'Start Quiz' }).click();
    const frame = await vscode.webviewFrame(PANEL_TITLE);
    await frame.waitForFunction(() => document.querySelector('.quiz-header')?.textContent?.includes('quiz-article.zh.md'), undefined, { timeout: 20_000 });
    const q = await currentQuestion(frame);
    assert.equal(q.type, 'open');
    assert.match(q.id, /-q1$/);
    assert.match(await frame.locator('#prompt').innerText(), /离线评估时，为什么不能只看准确率/);
  });

  test('a bank with <script> and <img onerror> shows the markup as text and executes nothing', async () => {
    const { page } = vscode;
    // The command opens its own quick pick right after the palette closes, so drive the palette by hand.
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget .quick-input-box input').waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.type(label('command.startQuizByTopic'));
    await page.locator('.quick-input-widget .monaco-list-row .label-name', { hasText: label('command.startQuizByTopic') }).first().waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.press('Enter');
    // Workspace decks come after the topics; filter so the row is rendered (the list is virtualised).
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Topics' }).first().waitFor({ state: 'visible', timeout: 20_000 });
    await page.keyboard.type('Raw HTML');
    const deck = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Raw HTML must render as text' }).first();
    await deck.waitFor({ state: 'visible', timeout: 20_000 });
    await deck.click();
    const frame = await vscode.webviewFrame(PANEL_TITLE);
    await frame.waitForFunction(() => document.querySelector<HTMLElement>('section[data-question-id]')?.dataset.questionId === 'html-injection-escaped', undefined, { timeout: 20_000 });
    const consoleMessages: string[] = [];
    page.on('console', (m) => consoleMessages.push(m.text()));
    const prompt = await frame.locator('#prompt').innerText();
    assert.ok(prompt.includes('<script>alert(1)</script>'), prompt);
    assert.ok(prompt.includes('<img src=x onerror=alert(1)>'), prompt);
    const injected = () => frame.evaluate(() => document.querySelectorAll('#app script, #app img, #app [onerror]').length);
    assert.equal(await injected(), 0);
    await frame.locator('#prompt').click();
    await page.keyboard.press('1');
    await page.keyboard.press('Enter');
    await waitForScreen(frame, 'feedback');
    assert.ok((await frame.locator('.explanation').innerText()).includes('<img src=x onerror=alert(1)>'));
    assert.equal(await injected(), 0);
    await sleep(1000);
    assert.deepEqual(dialogs, [], 'no alert() ran');
    assert.ok(!consoleMessages.some((m) => /alert|Refused to execute/.test(m) && !/Content Security Policy/.test(m)), consoleMessages.join('\n'));
    await vscode.screenshot('quiz-html-as-text');
  });
});
