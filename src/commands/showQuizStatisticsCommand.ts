import * as vscode from 'vscode';
import { QuizStatsPanel } from '../ui/quizStatsPanel';
import { CommandId } from './commandIds';
import type { QuizServices } from '../ui/quizServices';

/**
 * "Model Lab: Show Quiz Statistics" — in their own tab beside the quiz (a running session keeps its place):
 * the 365-day review heatmap with streaks, accuracy per topic, reviews per day and the due forecast.
 */
export function registerShowQuizStatisticsCommand(services: QuizServices): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.showQuizStatistics, async () => {
    await QuizStatsPanel.createOrShow(services);
  });
}
