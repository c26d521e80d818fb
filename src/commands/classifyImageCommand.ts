import * as vscode from 'vscode';
import type { ModelLabContext } from '../context';
import { imageWorkerHost, reportImageError } from '../ui/imageWorkerHost';
import { ImageResultPanel } from '../ui/imageResultPanel';
import { reportError } from '../ui/errorMessages';
import { recentResults } from '../ui/recentResults';
import { CommandId } from './commandIds';
import { workspacePath } from '../ui/workspacePath';

/** Extensions offered by the file picker; decoding itself goes by magic bytes, not by extension. */
export const IMAGE_EXTENSIONS = ['png', 'jpg', 'jpeg', 'bmp', 'gif', 'webp'];

/**
 * The image to classify: the explorer/title-bar argument, else the active tab (images open in VS Code's
 * image preview, a custom editor, so there is no text editor to ask), else a file picker.
 */
async function resolveImageUri(arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputCustom || input instanceof vscode.TabInputText) {
    const ext = input.uri.path.split('.').pop()?.toLowerCase() ?? '';
    if (IMAGE_EXTENSIONS.includes(ext) || input instanceof vscode.TabInputCustom) return input.uri;
  }
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    openLabel: vscode.l10n.t('Classify'),
    title: vscode.l10n.t('Choose an image to classify'),
    filters: { [vscode.l10n.t('Images')]: IMAGE_EXTENSIONS },
  });
  return picked?.[0];
}

/** "Model Lab: Classify Image" — runs the image model on one image and shows the result panel. */
export function registerClassifyImageCommand(ctx: ModelLabContext): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.classifyImage, async (arg?: unknown) => {
    const uri = await resolveImageUri(arg);
    if (!uri) return;
    if (uri.scheme !== 'file') {
      void vscode.window.showErrorMessage(vscode.l10n.t('Model Lab can only classify images on this computer\'s disk; {0} is not a local file.', uri.toString()));
      return;
    }
    const host = imageWorkerHost(ctx);
    const started = performance.now();
    let r;
    try {
      r = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Classifying {0}…', uri.path.split('/').pop() ?? '') },
        () => host.classifyFile(uri.fsPath),
      );
    } catch (err) {
      reportImageError(ctx, err);
      return;
    }
    ctx.log.info(
      `Classified ${uri.fsPath}: ${r.label} (${(r.score * 100).toFixed(1)} %), decode ${r.timings.decodeMs.toFixed(2)} ms, preprocess ${r.timings.preprocessMs.toFixed(2)} ms, infer ${r.timings.inferMs.toFixed(2)} ms, round trip ${(performance.now() - started).toFixed(1)} ms${r.notes.length ? `; ${r.notes.join('; ')}` : ''}`,
    );
    await ImageResultPanel.showResult(ctx, r);
    recentResults(ctx).add({
      kind: 'image',
      uri,
      source: workspacePath(uri).text,
      label: r.label,
      probability: r.score,
      at: Date.now(),
      reopen: () => void ImageResultPanel.showResult(ctx, r).catch((err: unknown) => reportError(ctx, err)),
    });
  });
}
