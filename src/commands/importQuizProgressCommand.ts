import * as vscode from 'vscode';
import { readExportFile } from '../quiz/progress';
import { CommandId } from './commandIds';
import type { QuizServices } from '../ui/quizServices';
import { workspacePath } from '../ui/workspacePath';

/**
 * "Model Lab: Import Progress" — reads a progress export, validates it and merges it by question id. A bad
 * file changes nothing; corrupted entries in a good file are skipped and listed.
 */
export function registerImportQuizProgressCommand(services: QuizServices): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.importQuizProgress, async (source?: vscode.Uri) => {
    const uri =
      source instanceof vscode.Uri
        ? source
        : (await vscode.window.showOpenDialog({ title: vscode.l10n.t('Import Quiz Progress'), openLabel: vscode.l10n.t('Import'), canSelectMany: false, filters: { JSON: ['json'] } }))?.[0];
    if (!uri) return;
    let text: string;
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch (err) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Could not read {0}: {1}.', uri.fsPath, String(err)));
      return;
    }
    const parsed = readExportFile(text);
    if (!parsed.record) {
      services.ctx.log.error(`Import progress from ${uri.fsPath}: ${parsed.error ?? 'unreadable'}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('{0} was not imported: {1} Your progress is unchanged. Choose a file made by "Model Lab: Export Progress".', workspacePath(uri).text, parsed.error ?? ''));
      return;
    }
    const merged = await services.store.mergeIn(parsed.record);
    services.notifyProgressChanged();
    for (const p of parsed.problems) services.ctx.log.warn(`Import progress: ${p}`);
    services.ctx.log.info(`Quiz progress imported from ${uri.fsPath}: ${merged.added} added, ${merged.updated} updated, ${merged.unchanged} unchanged`);
    const skipped = parsed.problems.length > 0 ? ' ' + vscode.l10n.t('{0} corrupted entries were skipped (see the log).', parsed.problems.length) : '';
    const show = parsed.problems.length > 0 ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    void show(vscode.l10n.t('Progress imported: {0} new, {1} updated, {2} unchanged.', merged.added, merged.updated, merged.unchanged) + skipped);
  });
}
