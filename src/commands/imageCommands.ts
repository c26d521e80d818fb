import type * as vscode from 'vscode';
import type { ModelLabContext } from '../context';
import { ImageResultPanel } from '../ui/imageResultPanel';
import { registerClassifyImageCommand } from './classifyImageCommand';
import { registerClassifyImageFolderCommand } from './classifyImageFolderCommand';
import { registerCopyImageResultCommand } from './copyImageResultCommand';
import { registerDrawDigitCommand } from './drawDigitCommand';
import { registerExplainImageCommand } from './explainImageCommand';

/** The image classifier's commands and its panels' serializers (one line in index.ts). */
export function registerImageCommands(ctx: ModelLabContext): vscode.Disposable[] {
  return [
    registerClassifyImageCommand(ctx),
    registerClassifyImageFolderCommand(ctx),
    registerCopyImageResultCommand(ctx),
    registerExplainImageCommand(ctx),
    ...registerDrawDigitCommand(ctx),
    ...ImageResultPanel.registerSerializers(ctx),
  ];
}
