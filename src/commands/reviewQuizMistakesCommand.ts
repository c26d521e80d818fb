import * as vscode from 'vscode';
import { QuizPanel } from '../quiz/panel';
import { CommandId } from './commandIds';
import type { QuizServices } from './sharedQuizServices';

/** "Model Lab: Review Mistakes" — every question whose most recent answer was wrong, most recent first. */
export function registerReviewQuizMistakesCommand(services: QuizServices): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.reviewQuizMistakes, async () => {
    const panel = QuizPanel.createOrShow(services);
    panel.startSession('mistakes', vscode.l10n.t('Mistakes'), await services.allQuestions());
  });
}
