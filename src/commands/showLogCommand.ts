import * as vscode from 'vscode';
import type { ModelLabContext } from '../context';
import { CommandId } from './commandIds';

/**
 * VS Code adds a log channel to the Output view only once the channel's log file exists, and its
 * `$reveal` silently drops a reveal for a channel the view does not know yet. In a fresh window the first
 * "Show Log" can come before the activation line is flushed to disk, so the panel stayed hidden (seen in
 * the code-server tests). Revealing once more a moment later covers that; revealing a channel that is
 * already shown changes nothing.
 */
const SECOND_REVEAL_MS = 750;

/** "Model Lab: Show Log" — reveals the extension's log channel. */
export function registerShowLogCommand(ctx: ModelLabContext): vscode.Disposable {
  let pending: NodeJS.Timeout | undefined;
  const command = vscode.commands.registerCommand(CommandId.showLog, () => {
    ctx.log.show(true);
    clearTimeout(pending);
    pending = setTimeout(() => ctx.log.show(true), SECOND_REVEAL_MS);
  });
  return vscode.Disposable.from(command, { dispose: () => clearTimeout(pending) });
}
