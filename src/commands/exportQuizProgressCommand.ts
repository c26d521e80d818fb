import * as os from 'node:os';
import * as vscode from 'vscode';
import { toExportFile } from '../quiz/progress';
import { CommandId } from './commandIds';
import type { QuizServices } from '../ui/quizServices';
import { plural } from '../common/plural';
import { workspacePath } from '../ui/workspacePath';

/** "Model Lab: Export Progress" — writes the quiz progress (cards and review logs) as JSON. */
export function registerExportQuizProgressCommand(services: QuizServices): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.exportQuizProgress, async (target?: vscode.Uri) => {
    const record = await services.store.load();
    const day = new Date().toISOString().slice(0, 10);
    const uri =
      target instanceof vscode.Uri
        ? target
        : await vscode.window.showSaveDialog({
            title: vscode.l10n.t('Export Quiz Progress'),
            saveLabel: vscode.l10n.t('Export'),
            filters: { JSON: ['json'] },
            defaultUri: vscode.Uri.joinPath(vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir()), `model-lab-quiz-progress-${day}.json`),
          });
    if (!uri) return;
    try {
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify(toExportFile(record, Date.now()), null, 1) + '\n'));
      const n = Object.keys(record.entries).length;
      services.ctx.log.info(`Quiz progress exported: ${n} cards → ${uri.toString()}`);
      void vscode.window.showInformationMessage(plural(n, vscode.l10n.t('Exported progress for {0} question to {1}.', n, workspacePath(uri).text), vscode.l10n.t('Exported progress for {0} questions to {1}.', n, workspacePath(uri).text)));
    } catch (err) {
      services.ctx.log.error(`Export progress failed: ${String(err)}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('Could not write {0}: {1}. Choose a folder you can write to and try again.', uri.fsPath, String(err)));
    }
  });
}
