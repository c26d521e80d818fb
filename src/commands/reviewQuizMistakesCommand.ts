import * as vscode from 'vscode';
import { QuizPanel } from '../ui/quizPanel';
import { CommandId } from './commandIds';
import type { QuizServices } from '../ui/quizServices';

/** "Model Lab: Review Mistakes" — every question whose most recent answer was wrong, most recent first. */
export function registerReviewQuizMistakesCommand(services: QuizServices): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.reviewQuizMistakes, async () => {
    const panel = await QuizPanel.createOrShow(services);
    panel.startSession('mistakes', 'Mistakes', await services.allQuestions());
  });
}
