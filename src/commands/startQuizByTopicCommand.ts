import * as vscode from 'vscode';
import { QuizPanel } from '../ui/quizPanel';
import { countDue } from '../quiz/stats';
import { CommandId } from './commandIds';
import type { QuizServices } from '../ui/quizServices';
import { plural } from '../common/plural';

interface Pick extends vscode.QuickPickItem {
  run?: () => Promise<void>;
}

/**
 * "Model Lab: Start Quiz by Topic…" — one topic of the bundled bank (named by the deck that holds it, in the
 * display language), or one workspace/imported deck.
 */
export function registerStartQuizByTopicCommand(services: QuizServices): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.startQuizByTopic, async () => {
    const lang = services.displayLang();
    const [topics, decks, progress] = await Promise.all([services.topics(lang), services.allDecks(), services.store.load()]);
    const now = Date.now();
    const items: Pick[] = [{ label: vscode.l10n.t('Topics'), kind: vscode.QuickPickItemKind.Separator }];
    for (const t of topics) {
      items.push({
        label: t.label,
        description: t.topic,
        detail: plural(t.questions.length, vscode.l10n.t('{0} question · {1} due', t.questions.length, countDue(t.questions, progress, now)), vscode.l10n.t('{0} questions · {1} due', t.questions.length, countDue(t.questions, progress, now))),
        run: async () => (await QuizPanel.createOrShow(services)).startSession('topic', t.topic, t.questions, t.topic),
      });
    }
    const others = decks.filter((d) => d.source !== 'bundled');
    if (others.length > 0) items.push({ label: vscode.l10n.t('Decks'), kind: vscode.QuickPickItemKind.Separator });
    for (const d of others) {
      items.push({
        label: `$(book) ${d.title}`,
        description: d.source === 'workspace' ? vscode.l10n.t('workspace deck') : vscode.l10n.t('imported'),
        detail: plural(d.questions.length, vscode.l10n.t('{0} question · {1} due', d.questions.length, countDue(d.questions, progress, now)), vscode.l10n.t('{0} questions · {1} due', d.questions.length, countDue(d.questions, progress, now))),
        run: async () => (await QuizPanel.createOrShow(services)).startSession('deck', d.title, d.questions, d.deck),
      });
    }
    const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Start Quiz by Topic'), placeHolder: vscode.l10n.t('Pick a topic or deck (type to filter)'), matchOnDescription: true });
    await picked?.run?.();
  });
}
