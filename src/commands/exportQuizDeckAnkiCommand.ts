import * as os from 'node:os';
import * as vscode from 'vscode';
import { exportAnkiTsv, type AnkiLanguage } from '../quiz/ankiTsv';
import { CommandId } from './commandIds';
import type { QuizDeck, QuizServices } from '../ui/quizServices';
import { plural } from '../common/plural';
import { workspacePath } from '../ui/workspacePath';

/**
 * "Model Lab: Export Deck as Anki TSV" — writes a deck as an Anki text file (`#separator:tab`, `#columns:`,
 * GUID column = question id so re-importing updates the notes). Import it in Anki with File → Import.
 */
export function registerExportQuizDeckAnkiCommand(services: QuizServices): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.exportQuizDeckAnki, async () => {
    const decks = await services.allDecks();
    const all: QuizDeck = { deck: 'model-lab', title: vscode.l10n.t('Whole bundled bank'), source: 'bundled', questions: decks.filter((d) => d.source === 'bundled').flatMap((d) => d.questions) };
    const items = [all, ...decks].map((d) => ({ label: d.title, description: `${d.deck} · ${plural(d.questions.length, vscode.l10n.t('{0} question', d.questions.length), vscode.l10n.t('{0} questions', d.questions.length))}`, deck: d }));
    const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Export Deck as Anki TSV'), placeHolder: vscode.l10n.t('Which deck?') });
    if (!picked) return;
    const langs: { label: string; lang: AnkiLanguage }[] = [
      { label: 'English', lang: 'en' },
      { label: '中文', lang: 'zh' },
      { label: vscode.l10n.t('Both languages on each card'), lang: 'both' },
    ];
    const preferred = services.displayLang();
    langs.sort((a, b) => Number(b.lang === preferred) - Number(a.lang === preferred));
    const lang = await vscode.window.showQuickPick(langs, { title: vscode.l10n.t('Card language') });
    if (!lang) return;
    const uri = await vscode.window.showSaveDialog({
      title: vscode.l10n.t('Export Deck as Anki TSV'),
      filters: { [vscode.l10n.t('Anki text')]: ['txt', 'tsv'] },
      defaultUri: vscode.Uri.joinPath(vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir()), `${picked.deck.deck}.anki.txt`),
    });
    if (!uri) return;
    const tsv = exportAnkiTsv(picked.deck.questions, { deckName: `Model Lab::${picked.deck.title}`, lang: lang.lang });
    try {
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(tsv));
      void vscode.window.showInformationMessage(plural(picked.deck.questions.length, vscode.l10n.t('Exported {0} card to {1}. In Anki: File → Import.', picked.deck.questions.length, workspacePath(uri).text), vscode.l10n.t('Exported {0} cards to {1}. In Anki: File → Import.', picked.deck.questions.length, workspacePath(uri).text)));
    } catch (err) {
      services.ctx.log.error(`Anki export failed: ${String(err)}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('Could not write {0}: {1}. Choose a folder you can write to and try again.', uri.fsPath, String(err)));
    }
  });
}
