import * as path from 'node:path';
import * as vscode from 'vscode';
import { appendQuestion, findQuestionLine, questionBlock } from '../quiz/deckEdit';
import { QuizPanel } from '../ui/quizPanel';
import type { QuizServices } from '../ui/quizServices';
import { CommandId } from './commandIds';
import { workspacePath } from '../ui/workspacePath';

/** Opens `uri` with the cursor on 1-based `line`, beside the quiz. */
async function openAt(uri: vscode.Uri, line: number): Promise<void> {
  const position = new vscode.Position(Math.max(0, line - 1), 0);
  await vscode.window.showTextDocument(uri, { selection: new vscode.Range(position, position), preview: false, viewColumn: vscode.ViewColumn.Beside });
}

/**
 * "Model Lab: Edit This Question" (also the button in the answer view) — opens the question's source at its
 * line: the workspace `*.quiz.md` or the imported file it came from. A bundled question is offered as a copy
 * into a workspace deck (`quiz/<deck>.quiz.md`, same id, so its progress carries over and the copy replaces
 * the bundled one in sessions), and the copy is opened.
 */
export function registerEditQuizQuestionCommand(services: QuizServices): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.editQuizQuestion, async (idArg?: unknown) => {
    const id = typeof idArg === 'string' ? idArg : QuizPanel.current?.currentQuestionId();
    if (!id) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No question is on screen. Start a quiz, then run "Edit This Question" on the question shown.'));
      return;
    }
    const [question, deck] = await Promise.all([services.questionById(id), services.deckOf(id)]);
    if (!question || !deck?.file) {
      void vscode.window.showErrorMessage(vscode.l10n.t('The question "{0}" has no source file to open.', id));
      return;
    }
    if (deck.source === 'workspace') {
      await openAt(vscode.Uri.file(deck.file), question.origin.line);
      return;
    }
    if (deck.source === 'imported') {
      const uri = vscode.Uri.parse(deck.file, true);
      try {
        await openAt(uri, question.origin.line);
      } catch (err) {
        services.ctx.log.warn(`Edit This Question: could not open ${deck.file}: ${String(err)}`);
        void vscode.window.showErrorMessage(vscode.l10n.t('The file "{0}" was imported from cannot be opened any more ({1}). Import it again from its new place.', uri.fsPath, String(err)));
      }
      return;
    }
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) {
      void vscode.window.showWarningMessage(vscode.l10n.t('"{0}" comes with Model Lab. Open a folder first: the question is copied into a deck in your workspace, where you can edit it.', id));
      return;
    }
    const target = vscode.Uri.joinPath(folder.uri, 'quiz', path.basename(deck.file));
    const relative = workspacePath(target).text;
    const copy = vscode.l10n.t('Copy and Edit');
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t('"{0}" comes with Model Lab. Copy it into {1} to edit it? The copy keeps the id, so your progress carries over, and it replaces the bundled question in your quizzes.', id, relative),
      copy,
    );
    if (choice !== copy) return;
    let existing: string | undefined;
    try {
      existing = new TextDecoder().decode(await vscode.workspace.fs.readFile(target));
    } catch {
      existing = undefined; // a new deck file
    }
    const already = existing === undefined ? undefined : findQuestionLine(existing, id);
    if (already !== undefined) {
      await openAt(target, already);
      return;
    }
    try {
      const source = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.file(deck.file)));
      const block = questionBlock(source, question.origin.line);
      const titles = deck.titles ?? {};
      const result = appendQuestion(existing, block, {
        id: `${deck.deck}-edits`,
        title: {
          en: `${titles.en ?? deck.deck} (my edits)`,
          ...(titles.zh ? { zh: `${titles.zh}（我的修改）` } : {}),
        },
      });
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(result.text));
      services.ctx.log.info(`Edit This Question: copied "${id}" into ${target.fsPath} at line ${result.line}`);
      await openAt(target, result.line);
    } catch (err) {
      services.ctx.log.error(`Edit This Question: could not copy "${id}" into ${target.fsPath}: ${String(err)}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('Could not copy "{0}" into {1}: {2}', id, relative, String(err)));
    }
  });
}
