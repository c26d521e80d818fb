import type * as vscode from 'vscode';

/**
 * What every command factory receives instead of module-level globals: the extension's identity and
 * storage, and the log channel users can open with "Model Lab: Show Log".
 */
export interface ModelLabContext {
  readonly extensionContext: vscode.ExtensionContext;
  readonly extensionUri: vscode.Uri;
  readonly log: vscode.LogOutputChannel;
}
