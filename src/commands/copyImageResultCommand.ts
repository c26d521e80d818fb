import * as vscode from 'vscode';
import type { ModelLabContext } from '../context';
import { ImageResultPanel, resultToJson } from '../ui/imageResultPanel';
import { CommandId } from './commandIds';

/** "Model Lab: Copy Image Result as JSON" — the latest single-image result, without the preview bytes. */
export function registerCopyImageResultCommand(ctx: ModelLabContext): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.copyImageResult, async () => {
    const result = ImageResultPanel.latestResult();
    if (!result) {
      void vscode.window.showInformationMessage(vscode.l10n.t('There is no image result yet. Run "Model Lab: Classify Image" first.'));
      return;
    }
    await vscode.env.clipboard.writeText(resultToJson(result));
    ctx.log.info(`Copied the result for ${result.name} as JSON`);
  });
}
