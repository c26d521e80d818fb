import * as vscode from 'vscode';
import type { ModelLabContext } from '../context';
import { detectBinaryText, firstKilobytes, isBlank, utf8Length } from '../text/inputCheck';
import { textClassifierHost, type TextToClassify } from '../ui/textClassifierHost';
import { CommandId } from './commandIds';
import { plural } from '../common/plural';
import { workspacePath } from '../ui/workspacePath';

/** A document's name in headings: its path relative to the workspace, or the untitled title. */
export function documentName(doc: vscode.TextDocument): string {
  return workspacePath(doc.uri).text;
}

/**
 * "Model Lab: Classify Selection" — classifies every non-empty selection of the active editor (each
 * cursor of a multi-cursor separately), in document order.
 */
export function registerClassifySelectionCommand(ctx: ModelLabContext): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.classifySelection, async () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Open a text file and select the text to classify, then run "Classify Selection" again.'));
      return;
    }
    const doc = editor.document;
    const selections = editor.selections.filter((s) => !s.isEmpty).sort((a, b) => a.start.compareTo(b.start));
    if (selections.length === 0) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Nothing is selected. Select the text to classify, or run "Model Lab: Classify File" for the whole document.'));
      return;
    }
    const picked = selections.map((s) => ({ selection: s, text: doc.getText(s) }));
    const usable = picked.filter((p) => !isBlank(p.text));
    if (usable.length === 0) {
      void vscode.window.showErrorMessage(vscode.l10n.t('The selection is empty or only whitespace. Select some words to classify.'));
      return;
    }
    if (usable.length < picked.length) {
      ctx.log.info(`Classify Selection: skipped ${picked.length - usable.length} whitespace-only selection(s).`);
      void vscode.window.setStatusBarMessage(vscode.l10n.t('Model Lab: skipped {0} whitespace-only selection(s).', picked.length - usable.length), 5000);
    }
    if (usable.some((p) => detectBinaryText(p.text))) {
      void vscode.window.showErrorMessage(vscode.l10n.t('The selection looks like binary data (NUL bytes or undecodable characters), not text. Select readable text to classify.'));
      return;
    }

    const limitKB = textClassifierHost(ctx).settings().maxFileSizeKB;
    const totalBytes = usable.reduce((a, p) => a + utf8Length(p.text), 0);
    let budgetKB: number | undefined;
    if (totalBytes > limitKB * 1024) {
      const firstN = vscode.l10n.t('Classify first {0} KB', limitKB);
      const choice = await vscode.window.showWarningMessage(
        vscode.l10n.t('The selection is {0} KB, over the {1} KB limit (setting "modelLab.text.maxFileSizeKB").', Math.ceil(totalBytes / 1024), limitKB),
        firstN,
      );
      if (choice !== firstN) return;
      budgetKB = limitKB;
    }

    const items: TextToClassify[] = [];
    let remainingBytes = budgetKB === undefined ? Infinity : budgetKB * 1024;
    usable.forEach((p, i) => {
      if (remainingBytes <= 0) return;
      const text = remainingBytes === Infinity ? p.text : firstKilobytes(p.text, remainingBytes / 1024);
      remainingBytes -= utf8Length(text);
      const first = p.selection.start.line + 1;
      const last = p.selection.end.line + 1;
      const lines = first === last ? `${first}` : `${first}–${last}`;
      const sourceLabel =
        usable.length === 1
          ? plural(last - first + 1, vscode.l10n.t('Selection — {0}, line {1}', documentName(doc), lines), vscode.l10n.t('Selection — {0}, lines {1}', documentName(doc), lines))
          : plural(last - first + 1, vscode.l10n.t('Selection {0} of {1} — {2}, line {3}', i + 1, usable.length, documentName(doc), lines), vscode.l10n.t('Selection {0} of {1} — {2}, lines {3}', i + 1, usable.length, documentName(doc), lines));
      if (!isBlank(text)) items.push({ text, sourceLabel, document: doc, baseOffset: doc.offsetAt(p.selection.start), truncatedToKB: text.length < p.text.length ? budgetKB : undefined });
    });
    await textClassifierHost(ctx).classifyAndShow(items);
  });
}
