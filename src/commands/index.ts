import type * as vscode from 'vscode';
import type { ModelLabContext } from '../context';
import { registerShowLogCommand } from './showLogCommand';
import { registerQuizFeature } from './registerQuizFeature';
import { registerImageCommands } from './imageCommands';
import { registerInsertSnippetCommand } from './insertSnippetCommand';
import { registerInspectModelCommand } from './inspectModelCommand';
import { registerTextCommands } from './textCommands';
import { registerTrainTextClassifierCommand } from './trainTextClassifierCommand';
import { registerEvaluateModelCommand } from './evaluateModelCommand';
import { registerModelsView } from '../ui/views/modelsView';
import { registerRecentResultsView } from '../ui/views/recentResultsView';

/** Registers every command; each feature adds one line here and one module beside this file. */
export function registerCommands(ctx: ModelLabContext): vscode.Disposable[] {
  return [registerShowLogCommand(ctx), ...registerQuizFeature(ctx), registerInsertSnippetCommand(ctx), ...registerImageCommands(ctx), ...registerTextCommands(ctx), registerTrainTextClassifierCommand(ctx), registerEvaluateModelCommand(ctx), ...registerModelsView(ctx), ...registerRecentResultsView(ctx), ...registerInspectModelCommand(ctx)];
}
