import * as vscode from 'vscode';
import type { ModelLabContext } from '../context';
import { ImageResultPanel } from '../ui/imageResultPanel';
import { imageResultToJson } from '../vision/resultJson';
import { CommandId } from './commandIds';

/**
 * "Model Lab: Copy Image Result as JSON" — the latest single-image result, without the preview bytes, with its
 * occlusion grid under `saliency` once Explain has run (src/vision/resultJson.ts).
 */
export function registerCopyImageResultCommand(ctx: ModelLabContext): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.copyImageResult, async () => {
    const result = ImageResultPanel.latestResult();
    if (!result) {
      void vscode.window.showInformationMessage(vscode.l10n.t('There is no image result yet. Run "Model Lab: Classify Image" first.'));
      return;
    }
    const saliency = ImageResultPanel.latestSaliency();
    await vscode.env.clipboard.writeText(imageResultToJson(result, saliency));
    ctx.log.info(`Copied the result for ${result.name} as JSON${saliency ? ` with the occlusion grid for "${saliency.label}"` : ''}`);
  });
}
