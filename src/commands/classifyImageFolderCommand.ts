import * as path from 'node:path';
import * as vscode from 'vscode';
import { WorkerCancelledError } from '../common/workerClient';
import type { ModelLabContext } from '../context';
import type { ClassificationOutcome } from '../vision/classifier';
import { listImageFiles, outcomesToCsv, RESULTS_CSV_NAME, ResultsTargetError, summarizeOutcomes, writeResultsCsv } from '../vision/folderReport';
import { ImageResultPanel } from '../ui/imageResultPanel';
import { imageWorkerHost, localizeImageError, reportImageError } from '../ui/imageWorkerHost';
import { CommandId } from './commandIds';
import { plural } from '../common/plural';
import { workspacePath } from '../ui/workspacePath';

/** Images per worker request: big enough for batched inference, small enough for smooth progress and quick cancel. */
const BATCH_SIZE = 32;

async function pickFolder(arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  const picked = await vscode.window.showOpenDialog({
    canSelectFiles: false,
    canSelectFolders: true,
    canSelectMany: false,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    openLabel: vscode.l10n.t('Classify Images'),
    title: vscode.l10n.t('Choose a folder of images to classify'),
  });
  return picked?.[0];
}

/**
 * Asks where to save the results CSV (offering model-lab-results.csv beside the folder; the dialog asks before
 * replacing a file) and writes it without following a symbolic link. Undefined when the user cancels or the
 * write fails (then the user is told why).
 */
async function saveCsv(ctx: ModelLabContext, folder: string, csv: string): Promise<string | undefined> {
  const chosen = await vscode.window.showSaveDialog({
    title: vscode.l10n.t('Save the classification results as CSV'),
    filters: { CSV: ['csv'] },
    defaultUri: vscode.Uri.file(path.join(path.dirname(folder), `${path.basename(folder)}-${RESULTS_CSV_NAME}`)),
  });
  if (!chosen) return undefined;
  if (chosen.scheme !== 'file') {
    void vscode.window.showErrorMessage(vscode.l10n.t('Model Lab can only save the results on this computer\'s disk; {0} is not a local file.', chosen.toString()));
    return undefined;
  }
  try {
    await writeResultsCsv(chosen.fsPath, csv);
    return chosen.fsPath;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    ctx.log.warn(`Could not write ${chosen.fsPath}: ${reason}`);
    void vscode.window.showErrorMessage(
      err instanceof ResultsTargetError
        ? vscode.l10n.t('{0} is a symbolic link or not a regular file; Model Lab does not write through it. Choose another file name.', chosen.fsPath)
        : vscode.l10n.t('Could not save the results to {0}: {1}', chosen.fsPath, reason),
    );
    return undefined;
  }
}

/**
 * "Model Lab: Classify Images in Folder…" — every image under a folder, in batches through the worker,
 * with cancellable progress; results go to model-lab-results.csv and a summary panel.
 */
export function registerClassifyImageFolderCommand(ctx: ModelLabContext): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.classifyImageFolder, async (arg?: unknown) => {
    const folderUri = await pickFolder(arg);
    if (!folderUri) return;
    if (folderUri.scheme !== 'file') {
      void vscode.window.showErrorMessage(vscode.l10n.t('Model Lab can only classify images on this computer\'s disk; {0} is not a local folder.', folderUri.toString()));
      return;
    }
    const folder = folderUri.fsPath;
    let files: string[];
    try {
      files = await listImageFiles(folder);
    } catch (err) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Could not read the folder {0}: {1}', workspacePath(folder).text, err instanceof Error ? err.message : String(err)));
      return;
    }
    if (files.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No PNG, JPEG, BMP, GIF or WebP images were found in {0}.', workspacePath(folder).text));
      return;
    }
    const host = imageWorkerHost(ctx);
    const outcomes: ClassificationOutcome[] = [];
    let cancelled = false;
    let modelName = '';
    const started = performance.now();
    const failed = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: plural(files.length, vscode.l10n.t('Classifying {0} image', files.length), vscode.l10n.t('Classifying {0} images', files.length)), cancellable: true },
      async (progress, token) => {
        for (let i = 0; i < files.length; i += BATCH_SIZE) {
          if (token.isCancellationRequested) {
            cancelled = true;
            return false;
          }
          const batch = files.slice(i, i + BATCH_SIZE);
          let reply;
          try {
            reply = await host.classifyFiles(batch, token);
          } catch (err) {
            if (err instanceof WorkerCancelledError) {
              cancelled = true;
              return false;
            }
            reportImageError(ctx, err);
            return true;
          }
          outcomes.push(...reply.outcomes);
          const firstOk = reply.outcomes.find((o) => o.ok);
          if (firstOk?.ok) modelName = firstOk.result.model.name;
          progress.report({ increment: (batch.length / files.length) * 100, message: `${Math.min(files.length, i + batch.length)} / ${files.length}` });
        }
        return false;
      },
    );
    if (failed || outcomes.length === 0) return;
    const elapsedMs = performance.now() - started;
    const csvPath = await saveCsv(ctx, folder, outcomesToCsv(folder, outcomes));
    const { counts, rows, errors } = summarizeOutcomes(folder, outcomes, (o) => localizeImageError(o.error));
    ctx.log.info(`Classified ${rows.length} of ${files.length} images in ${folder} (${errors.length} failed${cancelled ? ', cancelled' : ''}) in ${elapsedMs.toFixed(0)} ms; CSV: ${csvPath ?? 'not saved'}`);
    await ImageResultPanel.showFolder(ctx, {
      folder,
      folderLabel: workspacePath(folder),
      csvPath,
      model: modelName,
      total: files.length,
      classified: rows.length,
      failed: errors.length,
      cancelled,
      elapsedMs,
      imagesPerSecond: (outcomes.length * 1000) / Math.max(1, elapsedMs),
      counts,
      rows,
      errors,
    });
  });
}
