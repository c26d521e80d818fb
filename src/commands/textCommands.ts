import type * as vscode from 'vscode';
import type { ModelLabContext } from '../context';
import { TextResultPanel } from '../ui/textResultPanel';
import { registerClassifyFileCommand } from './classifyFileCommand';
import { registerClassifySelectionCommand } from './classifySelectionCommand';
import { registerExplainSelectionCommand } from './explainSelectionCommand';
import { registerToggleTextDecorationsCommand } from './toggleTextDecorationsCommand';

/** The text classifier's commands and its result panel's serializer (the panel survives a reload). */
export function registerTextCommands(ctx: ModelLabContext): vscode.Disposable[] {
  return [
    registerClassifySelectionCommand(ctx),
    registerExplainSelectionCommand(ctx),
    registerClassifyFileCommand(ctx),
    registerToggleTextDecorationsCommand(ctx),
    TextResultPanel.registerSerializer(ctx),
  ];
}
