import * as vscode from 'vscode';
import { QuizPanel } from '../quiz/panel';
import { CommandId } from './commandIds';
import type { QuizServices } from './sharedQuizServices';

/** "Model Lab: Start Quiz" — due cards first (oldest first), then new cards up to the daily limit, over every deck. */
export function registerStartQuizCommand(services: QuizServices): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.startQuiz, async () => {
    const started = performance.now();
    const panel = QuizPanel.createOrShow(services, started);
    const pool = await services.allQuestions();
    if (pool.length === 0) {
      void vscode.window.showErrorMessage(vscode.l10n.t('No quiz questions are available. Reinstall Model Lab, or import a deck with "Model Lab: Import Quiz from Current File".'));
    }
    panel.startSession('due', vscode.l10n.t('All decks'), pool);
  });
}
