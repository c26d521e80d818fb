import * as vscode from 'vscode';
import type { ModelLabContext } from '../context';
import { CommandId } from './commandIds';

/** "Model Lab: Show Log" — reveals the extension's log channel. */
export function registerShowLogCommand(ctx: ModelLabContext): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.showLog, () => {
    ctx.log.show(true);
  });
}
