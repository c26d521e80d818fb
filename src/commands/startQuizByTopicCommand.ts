import * as vscode from 'vscode';
import { BUNDLED_TOPICS } from '../quiz/model';
import { QuizPanel } from '../quiz/panel';
import { countDue } from '../quiz/stats';
import { CommandId } from './commandIds';
import type { QuizServices } from './sharedQuizServices';

/** Topic names for the quick pick (the bank's topic slugs are stable ids, not display text). */
function topicName(slug: string): string {
  const names: Record<string, string> = {
    fundamentals: vscode.l10n.t('Large-model fundamentals and scaling'),
    training: vscode.l10n.t('Pre-training and fine-tuning'),
    nlp: vscode.l10n.t('NLP with transformers'),
    vision: vscode.l10n.t('Computer vision'),
    serving: vscode.l10n.t('Serving and cost'),
    product: vscode.l10n.t('AI start-up product roadmap'),
    coding: vscode.l10n.t('Coding: the article\'s programs'),
    rag: vscode.l10n.t('Retrieval-augmented generation'),
    agents: vscode.l10n.t('Agents and tool calling'),
    reasoning: vscode.l10n.t('Reasoning models'),
    architecture: vscode.l10n.t('Model architecture'),
    'long-context': vscode.l10n.t('Long context'),
    decoding: vscode.l10n.t('Decoding and sampling'),
    distributed: vscode.l10n.t('Distributed training'),
    data: vscode.l10n.t('Training data'),
    alignment: vscode.l10n.t('Alignment and preference tuning'),
    multimodal: vscode.l10n.t('Multimodal models'),
    evaluation: vscode.l10n.t('Evaluation and benchmarks'),
    safety: vscode.l10n.t('Safety and security'),
  };
  return names[slug] ?? slug;
}

interface Pick extends vscode.QuickPickItem {
  run?: () => Promise<void>;
}

/** "Model Lab: Start Quiz by Topic…" — one topic of the bundled bank, or one workspace/imported deck. */
export function registerStartQuizByTopicCommand(services: QuizServices): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.startQuizByTopic, async () => {
    const [questions, decks, progress] = await Promise.all([services.allQuestions(), services.allDecks(), services.store.load()]);
    const now = Date.now();
    const bundled = questions.filter((q) => q.origin.format === 'bank' && decks.some((d) => d.source === 'bundled' && d.deck === q.deck));
    const topics = [...new Set(bundled.map((q) => q.topic))].sort(
      (a, b) => (BUNDLED_TOPICS as readonly string[]).indexOf(a) - (BUNDLED_TOPICS as readonly string[]).indexOf(b),
    );
    const items: Pick[] = [{ label: vscode.l10n.t('Topics'), kind: vscode.QuickPickItemKind.Separator }];
    for (const topic of topics) {
      const pool = bundled.filter((q) => q.topic === topic);
      items.push({
        label: topicName(topic),
        description: topic,
        detail: vscode.l10n.t('{0} questions · {1} due', pool.length, countDue(pool, progress, now)),
        run: async () => QuizPanel.createOrShow(services).startSession('topic', topicName(topic), pool),
      });
    }
    const others = decks.filter((d) => d.source !== 'bundled');
    if (others.length > 0) items.push({ label: vscode.l10n.t('Decks'), kind: vscode.QuickPickItemKind.Separator });
    for (const d of others) {
      items.push({
        label: `$(book) ${d.title}`,
        description: d.source === 'workspace' ? vscode.l10n.t('workspace deck') : vscode.l10n.t('imported'),
        detail: vscode.l10n.t('{0} questions · {1} due', d.questions.length, countDue(d.questions, progress, now)),
        run: async () => QuizPanel.createOrShow(services).startSession('deck', d.title, d.questions),
      });
    }
    const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Start Quiz by Topic'), placeHolder: vscode.l10n.t('Pick a topic or deck (type to filter)'), matchOnDescription: true });
    await picked?.run?.();
  });
}
