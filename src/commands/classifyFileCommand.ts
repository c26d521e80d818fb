import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { ModelLabContext } from '../context';
import { checkSize, detectBinaryBytes, detectBinaryText, firstKilobytes, isBlank, utf8Length } from '../text/inputCheck';
import { textClassifierHost } from '../ui/textClassifierHost';
import { documentName } from './classifySelectionCommand';
import { CommandId } from './commandIds';

/** Files larger than this are not opened as documents when only their first KB are classified. */
const OPEN_LIMIT_BYTES = 16 * 1024 * 1024;

/**
 * "Model Lab: Classify File" — classifies the whole document: the active editor's, or the file given by
 * the Explorer context menu (read from disk, or from its open editor when it has unsaved changes).
 */
export function registerClassifyFileCommand(ctx: ModelLabContext): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.classifyFile, async (arg?: unknown) => {
    const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
    if (!uri) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Open a text file, or right-click one in the Explorer, to classify it.'));
      return;
    }
    const host = textClassifierHost(ctx);
    const limitKB = host.settings().maxFileSizeKB;
    let doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    let text: string;
    let sizeBytes: number;
    let name: string;

    if (doc) {
      text = doc.getText();
      sizeBytes = utf8Length(text);
      name = documentName(doc);
      if (detectBinaryText(text)) return binaryError(name);
    } else {
      name = uri.path.split('/').pop() ?? uri.toString();
      let stat: vscode.FileStat;
      try {
        stat = await vscode.workspace.fs.stat(uri);
      } catch {
        void vscode.window.showErrorMessage(vscode.l10n.t('{0} could not be read. Check that the file exists.', name));
        return;
      }
      if (stat.type & vscode.FileType.Directory) {
        void vscode.window.showErrorMessage(vscode.l10n.t('{0} is a folder. Choose a text file to classify.', name));
        return;
      }
      // Devices and pipes report FileType.Unknown: reading /dev/zero never ends and a FIFO blocks.
      if (!(stat.type & vscode.FileType.File)) {
        void vscode.window.showErrorMessage(vscode.l10n.t('{0} is not a regular file (a device or a pipe). Choose a text file to classify.', name));
        return;
      }
      sizeBytes = stat.size;
      const bytes = await readHead(uri, Math.min(sizeBytes, (limitKB + 4) * 1024));
      if (detectBinaryBytes(bytes, { truncated: bytes.length < sizeBytes })) return binaryError(name);
      text = '';
    }

    let truncatedToKB: number | undefined;
    if (checkSize(sizeBytes, limitKB)) {
      const firstN = vscode.l10n.t('Classify first {0} KB', limitKB);
      const settings = vscode.l10n.t('Open Settings');
      const choice = await vscode.window.showWarningMessage(
        vscode.l10n.t('{0} is {1} KB, over the {2} KB limit (setting "modelLab.text.maxFileSizeKB").', name, Math.ceil(sizeBytes / 1024), limitKB),
        firstN,
        settings,
      );
      if (choice === settings) void vscode.commands.executeCommand('workbench.action.openSettings', 'modelLab.text.maxFileSizeKB');
      if (choice !== firstN) return;
      truncatedToKB = limitKB;
    }

    if (!doc && (truncatedToKB === undefined || sizeBytes <= OPEN_LIMIT_BYTES)) {
      try {
        doc = await vscode.workspace.openTextDocument(uri);
      } catch (err) {
        ctx.log.warn(`Classify File: could not open ${uri.toString()} as a document: ${String(err)}`);
      }
    }
    if (doc) text = doc.getText();
    else text = new TextDecoder('utf-8').decode(await readHead(uri, (limitKB + 4) * 1024));
    if (truncatedToKB !== undefined) text = firstKilobytes(text, truncatedToKB);
    if (isBlank(text)) {
      void vscode.window.showErrorMessage(vscode.l10n.t('{0} is empty or only whitespace; there is nothing to classify.', name));
      return;
    }
    await host.classifyAndShow([{ text, sourceLabel: vscode.l10n.t('File — {0}', name), document: doc, baseOffset: 0, truncatedToKB }]);
  });
}

function binaryError(name: string): void {
  void vscode.window.showErrorMessage(vscode.l10n.t('{0} looks like a binary file (NUL bytes or invalid UTF-8), not text. Choose a text file to classify.', name));
}

/** The first `length` bytes of a file: a partial read on disk, the whole file through other file systems. */
async function readHead(uri: vscode.Uri, length: number): Promise<Uint8Array> {
  if (uri.scheme === 'file') {
    // O_NONBLOCK: a file replaced by a FIFO after the stat above must not block the extension host.
    const handle = await fs.promises.open(uri.fsPath, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    try {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }
  return (await vscode.workspace.fs.readFile(uri)).subarray(0, length);
}
