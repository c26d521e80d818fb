import * as vscode from 'vscode';
import type { ModelLabContext } from '../context';
import { textClassifierHost } from '../ui/textClassifierHost';
import { CommandId } from './commandIds';

/** "Model Lab: Toggle Text Window Highlights" — shows or hides the marks of the classified windows. */
export function registerToggleTextDecorationsCommand(ctx: ModelLabContext): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.toggleTextDecorations, () => {
    const visible = textClassifierHost(ctx).decorations.toggle();
    void vscode.window.setStatusBarMessage(visible ? vscode.l10n.t('Model Lab: window highlights shown.') : vscode.l10n.t('Model Lab: window highlights hidden.'), 4000);
  });
}
