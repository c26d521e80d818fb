/**
 * The "Quiz" tree view: every deck (bundled topics, workspace `*.quiz.md` files, imported decks) with what is
 * waiting in it — cards due and new cards left today. A click starts that deck; inline actions open the
 * statistics and review mistakes. Refreshes when progress, decks or settings change.
 */
import * as vscode from 'vscode';
import { CommandId } from '../../commands/commandIds';
import type { QuizDeck, QuizServices } from '../quizServices';
import { deckCounts, formatWaiting, type DeckCounts } from '../../quiz/deckCounts';
import { QuizPanel } from '../quizPanel';
import { plural } from '../../common/plural';

export const QUIZ_DECKS_VIEW_ID = 'modelLab.quizDecks';

interface DeckNode {
  readonly deck: QuizDeck;
  readonly counts: DeckCounts;
}

class QuizDecksProvider implements vscode.TreeDataProvider<DeckNode> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly services: QuizServices) {}

  refresh(): void {
    this.changed.fire();
  }

  async getChildren(element?: DeckNode): Promise<DeckNode[]> {
    if (element) return [];
    const [decks, progress] = await Promise.all([this.services.allDecks(), this.services.store.load()]);
    const now = Date.now();
    const limit = this.services.config.newCardsPerDay;
    return decks.filter((d) => d.questions.length > 0).map((deck) => ({ deck, counts: deckCounts(deck.questions, progress, now, limit) }));
  }

  getTreeItem({ deck, counts }: DeckNode): vscode.TreeItem {
    const item = new vscode.TreeItem(deck.title, vscode.TreeItemCollapsibleState.None);
    const waiting = formatWaiting(counts, { due: vscode.l10n.t('due'), new: vscode.l10n.t('new') });
    item.description = waiting || vscode.l10n.t('done for today');
    item.iconPath = new vscode.ThemeIcon(deck.source === 'bundled' ? 'mortar-board' : deck.source === 'workspace' ? 'book' : 'cloud-download');
    const source = deck.source === 'bundled' ? vscode.l10n.t('bundled deck') : deck.source === 'workspace' ? vscode.l10n.t('workspace deck') : vscode.l10n.t('imported');
    item.tooltip = new vscode.MarkdownString(
      [
        `**${deck.title}** (${source})`,
        '',
        vscode.l10n.t('{0}: {1} due now, {2} new left today ({3} never answered), {4} in learning.', plural(counts.total, vscode.l10n.t('{0} question', counts.total), vscode.l10n.t('{0} questions', counts.total)), counts.due, counts.newToday, counts.unseen, counts.learning),
        '',
        vscode.l10n.t('Click to start this deck.'),
      ].join('\n'),
    );
    item.accessibilityInformation = { label: vscode.l10n.t('{0}: {1} due, {2} new. Start this deck.', deck.title, counts.due, counts.newToday) };
    item.contextValue = 'modelLab.quizDeck';
    item.command = { command: CommandId.startQuizDeck, title: vscode.l10n.t('Start This Deck'), arguments: [deck.deck, deck.source] };
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function registerQuizDecksView(services: QuizServices): vscode.Disposable[] {
  const provider = new QuizDecksProvider(services);
  const view = vscode.window.createTreeView(QUIZ_DECKS_VIEW_ID, { treeDataProvider: provider });
  const watcher = vscode.workspace.createFileSystemWatcher('**/*.quiz.md');
  // The decks themselves change on disk (the services drop their cache on the same events) and due cards
  // become due with time: refresh then, and every few minutes while the view is visible.
  const timer = setInterval(() => {
    if (view.visible) provider.refresh();
  }, 5 * 60_000);
  return [
    provider,
    view,
    watcher,
    { dispose: () => clearInterval(timer) },
    services.onDidChangeProgress(() => provider.refresh()),
    watcher.onDidChange(() => provider.refresh()),
    watcher.onDidCreate(() => provider.refresh()),
    watcher.onDidDelete(() => provider.refresh()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('modelLab.quiz')) provider.refresh();
    }),
    vscode.commands.registerCommand(CommandId.refreshQuizDecks, () => provider.refresh()),
    vscode.commands.registerCommand(CommandId.startQuizDeck, async (deckId?: unknown, source?: unknown) => {
      const deck = (await services.allDecks()).find((d) => d.deck === deckId && (source === undefined || d.source === source));
      if (!deck) {
        void vscode.window.showErrorMessage(vscode.l10n.t('That deck is no longer available. Refresh the Quiz view.'));
        provider.refresh();
        return;
      }
      (await QuizPanel.createOrShow(services)).startSession('deck', deck.title, deck.questions);
    }),
  ];
}
