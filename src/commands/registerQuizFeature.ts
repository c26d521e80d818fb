import * as vscode from 'vscode';
import type { ModelLabContext } from '../context';
import { QuizPanel } from '../ui/quizPanel';
import { QuizStatsPanel } from '../ui/quizStatsPanel';
import { registerCheckQuizExerciseCommand } from './checkQuizExerciseCommand';
import { registerEditQuizQuestionCommand } from './editQuizQuestionCommand';
import { registerOptimizeQuizSchedulingCommand } from './optimizeQuizSchedulingCommand';
import { InternalQuizCommandId } from './internalQuizCommandIds';
import { registerExportQuizDeckAnkiCommand } from './exportQuizDeckAnkiCommand';
import { registerExportQuizProgressCommand } from './exportQuizProgressCommand';
import { registerImportQuizFromFileCommand } from './importQuizFromFileCommand';
import { registerImportQuizProgressCommand } from './importQuizProgressCommand';
import { registerOpenQuizExerciseCommand } from './openQuizExerciseCommand';
import { registerReviewQuizMistakesCommand } from './reviewQuizMistakesCommand';
import { QuizServices } from '../ui/quizServices';
import { registerShowQuizStatisticsCommand } from './showQuizStatisticsCommand';
import { registerStartQuizByTopicCommand } from './startQuizByTopicCommand';
import { registerStartQuizCommand } from './startQuizCommand';
import { registerQuizDecksView } from '../ui/views/quizDecksView';

/**
 * The quiz feature's wiring, called once from registerCommands (so from activate): shared services, the
 * panel serializer (window reloads restore the panel), the "Check" CodeLens on exercise editors, and one
 * module per command. Nothing is parsed here: the bank loads on first use.
 */
export function registerQuizFeature(ctx: ModelLabContext): vscode.Disposable[] {
  const services = new QuizServices(ctx);
  const diagnostics = vscode.languages.createDiagnosticCollection('modelLabQuiz');
  const codeLens: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: services.onDidChangeExercises,
    provideCodeLenses(document) {
      if (!services.exercises.has(document.uri.toString())) return [];
      const top = new vscode.Range(0, 0, 0, 0);
      return [new vscode.CodeLens(top, { title: vscode.l10n.t('$(beaker) Check (Model Lab quiz)'), command: InternalQuizCommandId.checkQuizExercise, arguments: [document.uri] })];
    },
  };
  return [
    services,
    diagnostics,
    QuizPanel.registerSerializer(services),
    QuizStatsPanel.registerSerializer(services),
    vscode.languages.registerCodeLensProvider({ language: 'typescript', scheme: 'untitled' }, codeLens),
    registerStartQuizCommand(services),
    registerStartQuizByTopicCommand(services),
    registerReviewQuizMistakesCommand(services),
    registerShowQuizStatisticsCommand(services),
    registerEditQuizQuestionCommand(services),
    registerOptimizeQuizSchedulingCommand(services),
    registerExportQuizProgressCommand(services),
    registerImportQuizProgressCommand(services),
    registerImportQuizFromFileCommand(services, diagnostics),
    registerExportQuizDeckAnkiCommand(services),
    registerOpenQuizExerciseCommand(services),
    registerCheckQuizExerciseCommand(services),
    ...registerQuizDecksView(services),
  ];
}
