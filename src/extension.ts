import * as vscode from 'vscode';
import { registerCommands } from './commands';
import type { ModelLabContext } from './context';
import { Config } from './ui/config';

/**
 * Wiring only: create the log channel and the shared context, register commands. Nothing heavy loads
 * here — models, onnxruntime and tfjs load lazily inside the commands (and their worker threads).
 */
export function activate(extensionContext: vscode.ExtensionContext): void {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Model Lab', { log: true });
  const config = new Config(extensionContext.extensionUri.fsPath, extensionContext.extension.packageJSON);
  const ctx: ModelLabContext = { extensionContext, extensionUri: extensionContext.extensionUri, log, config };
  extensionContext.subscriptions.push(log, ...registerCommands(ctx));
  log.info(`Model Lab ${String(extensionContext.extension.packageJSON.version)} activated in ${(performance.now() - started).toFixed(1)} ms`);
}

export function deactivate(): void {
  // Disposables registered in activate() are released by VS Code.
}
