import type * as vscode from 'vscode';
import type { Config } from './ui/config';

/**
 * What every command factory receives instead of module-level globals: the extension's identity and
 * storage, the log channel users can open with "Model Lab: Show Log", and the settings.
 */
export interface ModelLabContext {
  readonly extensionContext: vscode.ExtensionContext;
  readonly extensionUri: vscode.Uri;
  readonly log: vscode.LogOutputChannel;
  readonly config: Config;
}
