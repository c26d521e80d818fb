import * as vscode from 'vscode';
import { importAnyFormat } from '../quiz/importAnyFormat';
import { QuizPanel } from '../ui/quizPanel';
import type { QuizIssue } from '../quiz/model';
import { CommandId } from './commandIds';
import type { QuizServices } from '../ui/quizServices';
import { plural } from '../common/plural';
import { workspacePath } from '../ui/workspacePath';

const FORMAT_NAMES = { bank: 'Model Lab bank', article: 'article (题目/答案/解析)', obsidian: 'Obsidian flashcards', anki: 'Anki TSV' } as const;

/**
 * "Model Lab: Import Quiz from Current File" — parses the active editor's text in any supported format
 * (bank, article, Obsidian, Anki TSV). Problems appear as diagnostics on their lines and in the log; the
 * parsed deck is offered at once.
 */
export function registerImportQuizFromFileCommand(services: QuizServices, diagnostics: vscode.DiagnosticCollection): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.importQuizFromFile, async (arg?: vscode.Uri) => {
    let document: vscode.TextDocument | undefined;
    if (arg instanceof vscode.Uri) document = await vscode.workspace.openTextDocument(arg);
    else document = vscode.window.activeTextEditor?.document;
    if (!document) {
      const picked = await vscode.window.showOpenDialog({
        title: vscode.l10n.t('Import Quiz'),
        openLabel: vscode.l10n.t('Import'),
        canSelectMany: false,
        filters: { [vscode.l10n.t('Quiz files')]: ['md', 'markdown', 'txt', 'tsv'] },
      });
      if (!picked?.[0]) {
        void vscode.window.showErrorMessage(vscode.l10n.t('Open a Markdown or Anki TSV file in the editor, then run "Import Quiz from Current File" again.'));
        return;
      }
      document = await vscode.workspace.openTextDocument(picked[0]);
    }
    const fileName = document.isUntitled ? `${document.uri.path.split('/').pop() ?? 'untitled'}.md` : document.fileName;
    const result = importAnyFormat(document.getText(), fileName);
    diagnostics.set(document.uri, result.errors.map((e) => toDiagnostic(document, e)));
    const where = workspacePath(document.uri).text;
    for (const e of result.errors) services.ctx.log.warn(`Import ${where}:${e.line}: ${e.message}`);
    if (result.questions.length === 0) {
      const first = result.errors[0];
      void vscode.window.showErrorMessage(
        first && first.line > 0
          ? vscode.l10n.t('No questions imported from {0}. Line {1}: {2}', where, first.line, first.message)
          : vscode.l10n.t('No questions imported from {0}: {1}', where, first?.message ?? ''),
      );
      return;
    }
    const title = document.isUntitled ? result.deck : (where.split('/').pop() ?? result.deck);
    await services.addImportedDeck({ deck: result.deck, title, source: 'imported', file: document.uri.toString(), questions: result.questions });
    services.ctx.log.info(`Imported ${result.questions.length} questions (${FORMAT_NAMES[result.format]}) from ${where} as deck "${result.deck}"`);
    const start = vscode.l10n.t('Start Quiz');
    const questions = plural(result.questions.length, vscode.l10n.t('{0} question', result.questions.length), vscode.l10n.t('{0} questions', result.questions.length));
    const message =
      result.errors.length > 0
        ? vscode.l10n.t('Imported {0} from {1} ({2}); problems marked in the file: {3} (first: line {4}).', questions, where, FORMAT_NAMES[result.format], result.errors.length, result.errors[0]!.line)
        : vscode.l10n.t('Imported {0} from {1} ({2}).', questions, where, FORMAT_NAMES[result.format]);
    const show = result.errors.length > 0 ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    const choice = await show(message, start);
    if (choice === start) (await QuizPanel.createOrShow(services)).startSession('deck', title, result.questions, result.deck);
  });
}

function toDiagnostic(document: vscode.TextDocument, issue: QuizIssue): vscode.Diagnostic {
  const line = Math.min(Math.max(issue.line - 1, 0), Math.max(document.lineCount - 1, 0));
  const d = new vscode.Diagnostic(document.lineAt(line).range, issue.message, vscode.DiagnosticSeverity.Error);
  d.source = 'Model Lab quiz';
  return d;
}
