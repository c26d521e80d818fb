import * as vscode from 'vscode';
import type { ModelLabContext } from '../context';
import { imageWorkerHost, reportImageError } from '../ui/imageWorkerHost';
import { ImageResultPanel } from '../ui/imageResultPanel';
import { reportError } from '../ui/errorMessages';
import { recentResults, type RecentResult } from '../ui/recentResults';
import { resultStatusItem } from '../ui/resultStatusItem';
import { CommandId } from './commandIds';
import { workspacePath } from '../ui/workspacePath';

/** Extensions offered by the file picker; decoding itself goes by magic bytes, not by extension. */
export const IMAGE_EXTENSIONS = ['png', 'jpg', 'jpeg', 'bmp', 'gif', 'webp'];

/** The image in the active tab (images open in VS Code's image preview, a custom editor, so there is no text editor to ask). */
export function activeImageUri(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputCustom || input instanceof vscode.TabInputText) {
    const ext = input.uri.path.split('.').pop()?.toLowerCase() ?? '';
    if (IMAGE_EXTENSIONS.includes(ext) || input instanceof vscode.TabInputCustom) return input.uri;
  }
  return undefined;
}

/** The image to classify: the explorer/title-bar argument, else the active tab, else a file picker. */
export async function resolveImageUri(arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  const active = activeImageUri();
  if (active) return active;
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
    const name = uri.path.split('/').pop() ?? '';
    const status = resultStatusItem(ctx);
    status.busy(name);
    const started = performance.now();
    let r;
    try {
      r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Classifying {0}…', name) }, () => host.classifyFile(uri.fsPath));
    } catch (err) {
      status.clear();
      reportImageError(ctx, err);
      return;
    }
    const result = r;
    const roundTripMs = performance.now() - started;
    // The answer first, in the status bar: creating the panel's webview takes VS Code a second or more.
    const recent: RecentResult = {
      kind: 'image',
      uri,
      source: workspacePath(uri).text,
      label: result.label,
      probability: result.score,
      at: Date.now(),
      reopen: () => void ImageResultPanel.showResult(ctx, result).catch((err: unknown) => reportError(ctx, err)),
    };
    recentResults(ctx).add(recent);
    status.show({ recent, panelTitle: ImageResultPanel.title(result) });
    await ImageResultPanel.showResult(ctx, result);
    ctx.log.info(
      `Classified ${uri.fsPath}: ${result.label} (${(result.score * 100).toFixed(1)} %), decode ${result.timings.decodeMs.toFixed(2)} ms, preprocess ${result.timings.preprocessMs.toFixed(2)} ms, infer ${result.timings.inferMs.toFixed(2)} ms, round trip ${roundTripMs.toFixed(1)} ms${result.notes.length ? `; ${result.notes.join('; ')}` : ''}`,
    );
  });
}
