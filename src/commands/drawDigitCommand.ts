import * as vscode from 'vscode';
import type { ModelLabContext } from '../context';
import { DrawDigitPanel } from '../ui/drawDigitPanel';
import { CommandId } from './commandIds';

/** "Model Lab: Draw a Digit" — a canvas whose drawing the digit model classifies as it is drawn. */
export function registerDrawDigitCommand(ctx: ModelLabContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(CommandId.drawDigit, () => {
      DrawDigitPanel.createOrShow(ctx);
    }),
    DrawDigitPanel.registerSerializer(ctx),
  ];
}
