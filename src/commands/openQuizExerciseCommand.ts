import * as vscode from 'vscode';
import { QuizPanel } from '../ui/quizPanel';
import { InternalQuizCommandId } from './internalQuizCommandIds';
import type { QuizServices } from '../ui/quizServices';

/**
 * Internal (hidden from the palette): opens a code question's starter in an untitled TypeScript editor
 * beside the quiz. A CodeLens "Check" on that editor runs the automatic check.
 */
export function registerOpenQuizExerciseCommand(services: QuizServices): vscode.Disposable {
  return vscode.commands.registerCommand(InternalQuizCommandId.openQuizExercise, async (questionId?: unknown) => {
    const question = typeof questionId === 'string' ? await services.questionById(questionId) : undefined;
    if (!question || question.type !== 'code' || !question.starter) {
      void vscode.window.showErrorMessage(vscode.l10n.t('That question has no code exercise. Start a quiz and open a code question first.'));
      return;
    }
    for (const [uri, id] of services.exercises) {
      if (id !== question.id) continue;
      const existing = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
      if (existing) {
        await vscode.window.showTextDocument(existing, { viewColumn: vscode.ViewColumn.Beside, preview: false });
        return;
      }
    }
    const document = await vscode.workspace.openTextDocument({ language: 'typescript', content: question.starter + '\n' });
    services.registerExercise(document.uri, question.id);
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: false });
    QuizPanel.current?.codeStatus(question.id, 'opened', vscode.l10n.t('The exercise is open beside the quiz. Press Check (C) when it is ready.'));
  });
}
