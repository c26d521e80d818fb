import * as vscode from 'vscode';
import type { ModelLabContext } from '../context';
import { detectBinaryText, isBlank } from '../text/inputCheck';
import { textClassifierHost } from '../ui/textClassifierHost';
import { documentName } from './classifySelectionCommand';
import { CommandId } from './commandIds';
import { plural } from '../common/plural';

/**
 * "Model Lab: Explain Selection" — classifies the selection (the first one of a multi-cursor) and colours its
 * words by how much each drove the result (leave-one-out, src/text/explain.ts); the panel lists the top words
 * for and against, and hovering a word shows its value.
 */
export function registerExplainSelectionCommand(ctx: ModelLabContext): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.explainSelection, async () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Open a text file and select the text to explain, then run "Explain Selection" again.'));
      return;
    }
    const doc = editor.document;
    const selection = [...editor.selections].filter((s) => !s.isEmpty).sort((a, b) => a.start.compareTo(b.start))[0];
    if (!selection) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Nothing is selected. Select the text whose classification you want explained.'));
      return;
    }
    const text = doc.getText(selection);
    if (isBlank(text)) {
      void vscode.window.showErrorMessage(vscode.l10n.t('The selection is empty or only whitespace. Select some words to classify.'));
      return;
    }
    if (detectBinaryText(text)) {
      void vscode.window.showErrorMessage(vscode.l10n.t('The selection looks like binary data (NUL bytes or undecodable characters), not text. Select readable text to classify.'));
      return;
    }
    const first = selection.start.line + 1;
    const last = selection.end.line + 1;
    const lines = first === last ? `${first}` : `${first}–${last}`;
    const sourceLabel = plural(last - first + 1, vscode.l10n.t('Selection — {0}, line {1}', documentName(doc), lines), vscode.l10n.t('Selection — {0}, lines {1}', documentName(doc), lines));
    await textClassifierHost(ctx).classifyAndShow([{ text, sourceLabel, document: doc, baseOffset: doc.offsetAt(selection.start) }], { explain: true });
  });
}
