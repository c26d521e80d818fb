import * as path from 'node:path';
import * as vscode from 'vscode';
import { WorkerCancelledError } from '../common/workerClient';
import type { ModelLabContext } from '../context';
import { ImageResultPanel } from '../ui/imageResultPanel';
import { imageWorkerHost, localizeImageError, reportImageError } from '../ui/imageWorkerHost';
import { activeImageUri, resolveImageUri } from './classifyImageCommand';
import { CommandId } from './commandIds';

/** The label to explain, from the panel's label picker (`{ labelIndex }`); anything else means the predicted label. */
function labelIndexOption(options: unknown): number | undefined {
  if (typeof options !== 'object' || options === null) return undefined;
  const index = (options as { labelIndex?: unknown }).labelIndex;
  return Number.isSafeInteger(index) && (index as number) >= 0 ? (index as number) : undefined;
}

/**
 * "Model Lab: Explain Image Prediction" — classifies an image and computes an occlusion saliency map over the
 * model's input in the image worker (src/vision/explain.ts), then shows both in the image result panel: the map
 * drawn over "what the model saw", with a legend and a summary in words. The image is the argument (explorer,
 * editor title, the panel's Explain button), else the active image tab, else the image the panel shows, else
 * a file picker.
 */
export function registerExplainImageCommand(ctx: ModelLabContext): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.explainImage, async (arg?: unknown, options?: unknown) => {
    const shownFile = ImageResultPanel.latestResult()?.file;
    const uri = arg instanceof vscode.Uri ? arg : (activeImageUri() ?? (shownFile ? vscode.Uri.file(shownFile) : await resolveImageUri(undefined)));
    if (!uri) return;
    if (uri.scheme !== 'file') {
      void vscode.window.showErrorMessage(vscode.l10n.t('Model Lab can only classify images on this computer\'s disk; {0} is not a local file.', uri.toString()));
      return;
    }
    const labelIndex = labelIndexOption(options);
    const name = path.basename(uri.fsPath);
    const started = performance.now();
    ImageResultPanel.explaining(true);
    let reply;
    try {
      reply = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Model Lab: explaining the prediction for {0}…', name), cancellable: true },
        (_progress, token) => imageWorkerHost(ctx).explainFile(uri.fsPath, labelIndex, token),
      );
    } catch (err) {
      if (err instanceof WorkerCancelledError) {
        ImageResultPanel.explaining(false);
        ctx.log.info(`Explaining ${uri.fsPath} cancelled by the user.`);
        void vscode.window.setStatusBarMessage(vscode.l10n.t('Model Lab: explanation cancelled.'), 5000);
        return;
      }
      ImageResultPanel.explaining(false, localizeImageError(err));
      reportImageError(ctx, err);
      return;
    }
    const { result, saliency } = reply;
    await ImageResultPanel.showResult(ctx, result, saliency);
    ctx.log.info(
      `Explained ${uri.fsPath}: "${saliency.label}" (${(saliency.probability * 100).toFixed(1)} %), ${saliency.rows}×${saliency.cols} occlusion grid, patch ${saliency.patch} px, stride ${saliency.stride} px, ${saliency.evaluations} runs in ${saliency.elapsedMs.toFixed(1)} ms (round trip ${(performance.now() - started).toFixed(1)} ms)`,
    );
  });
}
