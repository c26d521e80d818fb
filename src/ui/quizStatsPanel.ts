/**
 * Quiz statistics in their own tab, opened beside the quiz so a running session is never replaced: its
 * question and its place stay where they were. One instance at a time; it refreshes when progress changes
 * (an answer in the quiz tab, or another window's). It uses the quiz webview's script, which renders the
 * `stats` screen, and accepts only `ready`, `setLang`, `openLink` and `command` messages.
 */
import * as vscode from 'vscode';
import { CommandId } from '../commands/commandIds';
import { parseWebviewMessage, type FromWebview } from '../quiz/messages';
import { computeStats } from '../quiz/stats';
import type { QuizServices } from './quizServices';
import { reportError } from './errorMessages';
import { webviewHtml, webviewResourceRoots } from './webviewHtml';

export const QUIZ_STATS_VIEW_TYPE = 'modelLab.quizStats';

export class QuizStatsPanel {
  static current: QuizStatsPanel | undefined;

  private readonly disposables: vscode.Disposable[] = [];
  private queue: Promise<void> = Promise.resolve();

  static createOrShow(services: QuizServices): QuizStatsPanel {
    if (QuizStatsPanel.current) {
      QuizStatsPanel.current.panel.reveal(QuizStatsPanel.current.panel.viewColumn ?? vscode.ViewColumn.Beside);
      QuizStatsPanel.current.refresh();
      return QuizStatsPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(QUIZ_STATS_VIEW_TYPE, vscode.l10n.t('Quiz Statistics'), vscode.ViewColumn.Beside, QuizStatsPanel.webviewOptions(services));
    QuizStatsPanel.current = new QuizStatsPanel(panel, services);
    return QuizStatsPanel.current;
  }

  static revive(panel: vscode.WebviewPanel, services: QuizServices): QuizStatsPanel {
    panel.webview.options = QuizStatsPanel.webviewOptions(services);
    QuizStatsPanel.current?.dispose();
    QuizStatsPanel.current = new QuizStatsPanel(panel, services);
    return QuizStatsPanel.current;
  }

  private static webviewOptions(services: QuizServices): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return { enableScripts: true, localResourceRoots: webviewResourceRoots(services.ctx.extensionUri) };
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly services: QuizServices,
  ) {
    panel.title = vscode.l10n.t('Quiz Statistics');
    panel.iconPath = vscode.Uri.joinPath(services.ctx.extensionUri, 'media', 'icon.png');
    panel.webview.html = webviewHtml({
      webview: panel.webview,
      extensionUri: services.ctx.extensionUri,
      script: 'quiz',
      stylesheet: 'quiz.css',
      title: vscode.l10n.t('Quiz Statistics'),
      lang: services.displayLang() === 'zh' ? 'zh-CN' : 'en',
    });
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((raw: unknown) => {
        const message = parseWebviewMessage(raw);
        if (!message) {
          services.ctx.log.warn(`Quiz statistics: ignored an invalid message from the webview: ${JSON.stringify(raw)?.slice(0, 200)}`);
          return;
        }
        this.enqueue(() => this.handle(message));
      }),
      services.onDidChangeProgress(() => this.refresh()),
      services.onDidChangeDecks(() => this.refresh()),
    );
  }

  refresh(): void {
    this.enqueue(() => this.render());
  }

  private enqueue(step: () => Promise<void>): void {
    this.queue = this.queue.then(step).catch((err: unknown) => {
      if (err instanceof Error && err.stack) this.services.ctx.log.debug(`Quiz statistics: ${err.stack}`);
      reportError(this.services.ctx, err, 'The quiz hit an error: {0}. See "Model Lab: Show Log" for details.');
    });
  }

  private async handle(message: FromWebview): Promise<void> {
    switch (message.type) {
      case 'ready':
        return this.render();
      case 'setLang':
        await this.services.setDisplayLang(message.lang);
        return this.render();
      case 'openLink':
        await vscode.env.openExternal(vscode.Uri.parse(message.href, true));
        return;
      case 'command': {
        const id = {
          startDue: CommandId.startQuiz,
          startByTopic: CommandId.startQuizByTopic,
          reviewMistakes: CommandId.reviewQuizMistakes,
          showStats: CommandId.showQuizStatistics,
        }[message.command];
        await vscode.commands.executeCommand(id);
        return;
      }
      default:
        // Answers, grades and exercises belong to the quiz tab.
        this.services.ctx.log.warn(`Quiz statistics: ignored "${message.type}" (only the quiz tab takes answers).`);
    }
  }

  private async render(): Promise<void> {
    const lang = this.services.displayLang();
    const [questions, progress, labels] = await Promise.all([this.services.allQuestions(), this.services.store.load(), this.services.topicLabels(lang)]);
    await this.panel.webview.postMessage({ type: 'stats', lang, stats: computeStats(questions, progress, Date.now()), topicLabels: Object.fromEntries(labels) });
  }

  dispose(): void {
    if (QuizStatsPanel.current === this) QuizStatsPanel.current = undefined;
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

export function registerQuizStatsPanelSerializer(services: QuizServices): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(QUIZ_STATS_VIEW_TYPE, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel): Promise<void> {
      QuizStatsPanel.revive(panel, services);
    },
  });
}
