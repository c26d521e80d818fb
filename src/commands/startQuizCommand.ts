import * as vscode from 'vscode';
import { QuizPanel } from '../ui/quizPanel';
import type { QuizServices } from '../ui/quizServices';
import { CommandId } from './commandIds';
import { plural } from '../common/plural';

const FIRST_RUN_KEY = 'modelLab.quiz.firstRunTopicsOffered';

interface TopicItem extends vscode.QuickPickItem {
  topic: string;
}

/**
 * The first time anyone starts a quiz (no progress yet), a quick choice of topics, all ticked: Enter keeps
 * them all, Esc skips the choice. Offered once. Returns the topics to keep, or undefined for every topic.
 */
async function firstRunTopics(services: QuizServices): Promise<Set<string> | undefined> {
  const state = services.ctx.extensionContext.globalState;
  if (state.get<boolean>(FIRST_RUN_KEY)) return undefined;
  const progress = await services.store.load();
  if (Object.keys(progress.entries).length > 0) return undefined;
  await state.update(FIRST_RUN_KEY, true);
  const topics = await services.topics(services.displayLang());
  if (topics.length < 2) return undefined;
  const items: TopicItem[] = topics.map((t) => ({ label: t.label, description: plural(t.questions.length, vscode.l10n.t('{0} question', t.questions.length), plural(t.questions.length, vscode.l10n.t('{0} question', t.questions.length), vscode.l10n.t('{0} questions', t.questions.length))), topic: t.topic, picked: true }));
  const picked = await vscode.window.showQuickPick(items, {
    canPickMany: true,
    title: vscode.l10n.t('Your first quiz: which topics?'),
    placeHolder: vscode.l10n.t('Untick topics to leave out · Enter starts · Esc: all topics'),
  });
  if (!picked || picked.length === 0) return undefined;
  return new Set(picked.map((p) => p.topic));
}

/**
 * "Model Lab: Start Quiz" — due cards first (oldest first), then new cards up to the daily limit, easy to
 * hard with topics interleaved, over every deck. The very first run offers a topic choice (skippable).
 */
export function registerStartQuizCommand(services: QuizServices): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.startQuiz, async () => {
    const started = performance.now();
    const only = await firstRunTopics(services);
    const panel = await QuizPanel.createOrShow(services, started);
    const all = await services.allQuestions();
    const pool = only ? all.filter((q) => only.has(q.topic)) : all;
    if (pool.length === 0) {
      void vscode.window.showErrorMessage(vscode.l10n.t('No quiz questions are available. Reinstall Model Lab, or import a deck with "Model Lab: Import Quiz from Current File".'));
    }
    panel.startSession('due', 'All decks', pool);
  });
}
