import * as vscode from 'vscode';
import type { ModelLabContext } from '../context';
import {
  loadSnippetCatalogue,
  previewText,
  snippetBodyFor,
  snippetLanguagesFor,
  type SnippetDefinition,
  type SnippetLanguage,
} from '../snippets/catalogue';
import { importedPackages, missingPackages } from '../snippets/packages';
import { CommandId } from './commandIds';
import { workspacePath } from '../ui/workspacePath';

interface SnippetPickItem extends vscode.QuickPickItem {
  readonly snippet: SnippetDefinition;
}

const LANGUAGE_LABEL: Readonly<Record<SnippetLanguage, string>> = { typescript: 'TypeScript', python: 'Python' };

/**
 * The first sentence of the description in the UI language: snippet descriptions are "English / 中文" in one
 * string because snippet files are not localisable. The full text shows in the editor's completion details.
 */
function shortDescription(description: string): string {
  const [english, chinese] = description.split(' / ');
  const wantsChinese = vscode.env.language.toLowerCase().startsWith('zh');
  const text = (wantsChinese ? chinese : english) ?? description;
  return /^.*?(?:[：。]|[:.](?=\s)|$)/.exec(text)?.[0] ?? text;
}

/**
 * "Model Lab: Insert Model Snippet…" — a quick pick of the article's programs (TypeScript for TS editors,
 * Python for Python editors, both elsewhere), each with a one-line preview of its expanded code, inserted at
 * the cursor as a real snippet so its placeholders can be tabbed through.
 */
export function registerInsertSnippetCommand(ctx: ModelLabContext): vscode.Disposable {
  // The snippet files ship with the extension and never change while it runs: read them once, on first use.
  let catalogue: SnippetDefinition[] | undefined;

  return vscode.commands.registerCommand(CommandId.insertSnippet, async () => {
    // No editor (run from the walkthrough, or with only a webview open): a new untitled TypeScript file takes the
    // snippet, so the command always shows its programs instead of an error.
    const editor =
      vscode.window.activeTextEditor ??
      (await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'typescript', content: '' })));
    try {
      catalogue ??= loadSnippetCatalogue(ctx.extensionUri.fsPath);
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err);
      ctx.log.error(`Reading the snippet files failed: ${detail}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('Model Lab could not read its snippet files ({0}). Reinstall the extension.', detail));
      return;
    }

    const languages = snippetLanguagesFor(editor.document.languageId);
    const items: (SnippetPickItem | vscode.QuickPickItem)[] = [];
    for (const language of languages) {
      if (languages.length > 1) items.push({ label: LANGUAGE_LABEL[language], kind: vscode.QuickPickItemKind.Separator });
      for (const snippet of catalogue.filter((s) => s.language === language)) {
        items.push({
          label: snippet.name,
          description: `${snippet.prefixes[0]} · ${LANGUAGE_LABEL[language]}`,
          detail: `${shortDescription(snippet.description)} ⟶ ${previewText(snippet, 2)}`,
          snippet,
        });
      }
    }

    const picked = await vscode.window.showQuickPick(items, {
      title: vscode.l10n.t('Insert Model Snippet'),
      placeHolder: vscode.l10n.t('Pick a program to insert at the cursor (type to filter)'),
      matchOnDescription: true,
      matchOnDetail: true,
    });
    if (!picked || !('snippet' in picked)) return;

    // The user may have switched editors while the quick pick was open: insert where they are now.
    const target = vscode.window.activeTextEditor ?? editor;
    const body = snippetBodyFor(picked.snippet, target.document.languageId);
    const inserted = await target.insertSnippet(new vscode.SnippetString(body));
    if (!inserted) {
      const message = vscode.l10n.t('The snippet could not be inserted: the editor is read-only or was closed. Open a writable file and try again.');
      ctx.log.warn(message);
      void vscode.window.showErrorMessage(message);
      return;
    }
    ctx.log.info(`Inserted snippet "${picked.snippet.name}" into ${target.document.uri.toString()}`);
    if (picked.snippet.language === 'typescript') await offerMissingPackages(ctx, target.document, importedPackages(body));
  });
}

/**
 * The inserted code imports npm packages (`@tensorflow/tfjs`, `onnxruntime-node`, …): when the project's
 * package.json lacks some, offer to install them in a terminal the user sees; without a package.json, say what
 * to install. Never installs anything without the user's click.
 */
async function offerMissingPackages(ctx: ModelLabContext, document: vscode.TextDocument, needed: readonly string[]): Promise<void> {
  if (needed.length === 0) return;
  const folder = vscode.workspace.getWorkspaceFolder(document.uri) ?? vscode.workspace.workspaceFolders?.[0];
  const packageJson = folder ? vscode.Uri.joinPath(folder.uri, 'package.json') : undefined;
  let text: string | undefined;
  if (packageJson) {
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(packageJson));
    } catch {
      text = undefined;
    }
  }
  const list = needed.join(' ');
  if (!folder || text === undefined) {
    void vscode.window.showInformationMessage(vscode.l10n.t('This snippet imports {0}. In your project, run: npm install {0}', list));
    return;
  }
  const missing = missingPackages(text, needed);
  if (missing.length === 0) return;
  const install = vscode.l10n.t('Install with npm');
  const choice = await vscode.window.showInformationMessage(
    vscode.l10n.t('This snippet imports {0}, which {1} does not list.', missing.join(', '), workspacePath(packageJson!).text),
    install,
  );
  if (choice !== install) return;
  const terminal = vscode.window.createTerminal({ name: 'Model Lab: npm install', cwd: folder.uri });
  terminal.show();
  terminal.sendText(`npm install ${missing.join(' ')}`);
  ctx.log.info(`Insert Model Snippet: running npm install ${missing.join(' ')} in ${folder.uri.fsPath}`);
}
