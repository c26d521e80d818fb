import * as vscode from 'vscode';
import { QuizPanel } from '../quiz/panel';
import { CommandId } from './commandIds';
import type { QuizServices } from './sharedQuizServices';

/** "Model Lab: Show Quiz Statistics" — accuracy per topic, streak, reviews per day and the due forecast. */
export function registerShowQuizStatisticsCommand(services: QuizServices): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.showQuizStatistics, () => {
    QuizPanel.createOrShow(services).showStats();
  });
}
