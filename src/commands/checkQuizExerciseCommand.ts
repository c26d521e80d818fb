import * as path from 'node:path';
import * as vscode from 'vscode';
import { runCodeCheckInWorker } from '../quiz/codeCheckClient';
import { QuizPanel } from '../ui/quizPanel';
import { InternalQuizCommandId } from './internalQuizCommandIds';
import type { QuizServices } from '../ui/quizServices';

/**
 * Internal (CodeLens "Check" and the panel's Check button): runs a code exercise's automatic check in a
 * worker with a time limit — only in a trusted workspace, because it executes the code.
 */
export function registerCheckQuizExerciseCommand(services: QuizServices): vscode.Disposable {
  return vscode.commands.registerCommand(InternalQuizCommandId.checkQuizExercise, async (arg?: unknown) => {
    // From the panel: a question id. From the CodeLens: the exercise document's URI.
    let questionId: string | undefined;
    let document: vscode.TextDocument | undefined;
    if (arg instanceof vscode.Uri) {
      questionId = services.exercises.get(arg.toString());
      document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === arg.toString());
    } else if (typeof arg === 'string') {
      questionId = arg;
      const uri = [...services.exercises].find(([, id]) => id === arg)?.[0];
      document = uri ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri) : undefined;
    }
    const question = questionId ? await services.questionById(questionId) : undefined;
    if (!question?.check) {
      void vscode.window.showErrorMessage(vscode.l10n.t('This editor is not a quiz code exercise. Open one from a code question in the quiz.'));
      return;
    }
    if (!document) {
      QuizPanel.current?.codeStatus(question.id, 'error', vscode.l10n.t('Open the exercise editor first (E), write your code, then Check.'));
      await vscode.commands.executeCommand(InternalQuizCommandId.openQuizExercise, question.id);
      return;
    }
    if (!vscode.workspace.isTrusted) {
      const message = vscode.l10n.t('Code exercises run your code, so they only run in a trusted workspace. Trust this workspace (Manage Workspace Trust), or press Space in the quiz to see the answer and grade yourself.');
      QuizPanel.current?.codeStatus(question.id, 'untrusted', message);
      void vscode.window.showWarningMessage(message);
      return;
    }
    const lang = services.displayLang();
    QuizPanel.current?.codeStatus(question.id, 'checking', '');
    const script = path.join(services.ctx.extensionUri.fsPath, 'dist', 'workers', 'codeCheckWorker.js');
    const timeoutMs = services.config.codeCheckTimeoutSeconds * 1000;
    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking the exercise…'), cancellable: true },
        (_progress, token) => runCodeCheckInWorker(script, { check: question.check!, code: document.getText() }, timeoutMs, token),
      );
      const detail = result.details.map((d) => d[lang]).join(' ');
      services.ctx.log.info(`Code check ${question.id} (${question.check}): ${result.passed ? 'passed' : 'failed'} — ${result.details.map((d) => d.en).join(' ')}`);
      if (QuizPanel.current) QuizPanel.current.applyCodeResult(question.id, result);
      const show = result.passed ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
      void show(detail);
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err);
      services.ctx.log.error(`Code check ${question.id}: ${text}`);
      if (text !== 'Cancelled') {
        QuizPanel.current?.codeStatus(question.id, 'error', text);
        void vscode.window.showErrorMessage(vscode.l10n.t('The check could not run: {0}. See "Model Lab: Show Log".', text));
      }
    }
  });
}
