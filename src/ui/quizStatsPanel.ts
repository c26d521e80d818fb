/**
 * Quiz statistics in their own tab, opened beside the quiz so a running session is never replaced: its
 * question and its place stay where they were. One instance at a time; it refreshes when progress changes
 * (an answer in the quiz tab, or another window's). It uses the quiz webview's script, which renders the
 * `stats` screen, and accepts only `ready`, `setLang`, `openLink` and `command` messages.
 */
import * as vscode from 'vscode';
import type { FromWebview, ToWebview } from '../quiz/messages';
import { computeStats } from '../quiz/stats';
import type { QuizServices } from './quizServices';
import { PanelHost } from './panelHost';
import { quizPanelSpec, handleSharedQuizMessage } from './quizPanel';

export const QUIZ_STATS_VIEW_TYPE = 'modelLab.quizStats';

export class QuizStatsPanel extends PanelHost<ToWebview, FromWebview> {
  static async createOrShow(services: QuizServices): Promise<QuizStatsPanel> {
    const open = PanelHost.openPanel<QuizStatsPanel>(QUIZ_STATS_VIEW_TYPE);
    if (open) {
      open.panel.reveal(open.panel.viewColumn ?? vscode.ViewColumn.Beside);
      open.refresh();
      return open;
    }
    // Statistics take the focus, as they did when they opened with ViewColumn.Beside.
    return new QuizStatsPanel(await PanelHost.createBesidePanel(services.ctx, QUIZ_STATS_VIEW_TYPE, vscode.l10n.t('Quiz Statistics'), false), services);
  }

  static registerSerializer(services: QuizServices): vscode.Disposable {
    return PanelHost.registerPanelSerializer(QUIZ_STATS_VIEW_TYPE, (panel) => new QuizStatsPanel(panel, services));
  }

  private constructor(
    panel: vscode.WebviewPanel,
    private readonly services: QuizServices,
  ) {
    const title = vscode.l10n.t('Quiz Statistics');
    super(services.ctx, panel, quizPanelSpec(services, QUIZ_STATS_VIEW_TYPE, title, 'Quiz statistics'));
    panel.title = title;
    panel.iconPath = vscode.Uri.joinPath(services.ctx.extensionUri, 'media', 'icon.png');
    this.disposables.push(
      services.onDidChangeProgress(() => this.refresh()),
      services.onDidChangeDecks(() => this.refresh()),
    );
  }

  refresh(): void {
    this.enqueue(() => this.render());
  }

  protected override onReady(): Promise<void> {
    return this.render();
  }

  protected async onMessage(message: Exclude<FromWebview, { type: 'ready' }>): Promise<void> {
    if (await handleSharedQuizMessage(message)) return;
    switch (message.type) {
      case 'setLang':
        await this.services.setDisplayLang(message.lang);
        return this.render();
      default:
        // Answers, grades and exercises belong to the quiz tab.
        this.services.ctx.log.warn(`Quiz statistics: ignored "${message.type}" (only the quiz tab takes answers).`);
    }
  }

  private async render(): Promise<void> {
    const lang = this.services.displayLang();
    const [questions, progress, labels] = await Promise.all([this.services.allQuestions(), this.services.store.load(), this.services.topicLabels(lang)]);
    this.post({ type: 'stats', lang, stats: computeStats(questions, progress, Date.now()), topicLabels: Object.fromEntries(labels) });
  }
}
