/**
 * The quiz webview panel (VS Code side). One instance at a time (`QuizPanel.current`), created by the quiz
 * commands or revived by the `WebviewPanelSerializer` after a window reload. The session lives in
 * `globalState` and is saved after every step, so a reload returns to the same question. The webview only
 * renders; every message it sends is validated (`parseWebviewMessage`) before anything happens.
 */
import * as vscode from 'vscode';
import type { QuizServices } from '../commands/sharedQuizServices';
import { CommandId } from '../commands/commandIds';
import { InternalQuizCommandId } from '../commands/internalQuizCommandIds';
import { webviewHtml, webviewResourceRoots } from '../ui/webviewHtml';
import type { CodeCheckResult } from './codeCheck';
import { parseWebviewMessage, type FeedbackView, type FromWebview, type QuestionView, type SessionHeader, type ToWebview } from './messages';
import type { Question } from './model';
import {
  advance,
  answer as answerSession,
  defaultGrade,
  grade as gradeSession,
  intervalsFor,
  startSession,
  summarize,
  undo as undoSession,
  type QuizResponse,
  type SessionKind,
  type SessionState,
} from './session';
import { computeStats, countDue } from './stats';

export const QUIZ_VIEW_TYPE = 'modelLab.quiz';
const VIEW_KEY = 'modelLab.quiz.panelView';

type PanelView = 'session' | 'stats';

export class QuizPanel {
  static current: QuizPanel | undefined;

  private readonly disposables: vscode.Disposable[] = [];
  /** Serialises message handling: each step reads and writes the saved session. */
  private queue: Promise<void> = Promise.resolve();
  private openedAt: number | undefined;

  /** Shows the panel (creating it if needed). `openedAt` is the command's start time, for the first-paint log. */
  static createOrShow(services: QuizServices, openedAt = performance.now()): QuizPanel {
    const column = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    if (QuizPanel.current) {
      QuizPanel.current.panel.reveal(column);
      return QuizPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(QUIZ_VIEW_TYPE, vscode.l10n.t('Model Lab Quiz'), column, QuizPanel.webviewOptions(services));
    QuizPanel.current = new QuizPanel(panel, services, openedAt);
    return QuizPanel.current;
  }

  /** Called by the serializer after a window reload. */
  static revive(panel: vscode.WebviewPanel, services: QuizServices): QuizPanel {
    panel.webview.options = QuizPanel.webviewOptions(services);
    QuizPanel.current?.dispose();
    QuizPanel.current = new QuizPanel(panel, services, performance.now());
    return QuizPanel.current;
  }

  private static webviewOptions(services: QuizServices): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return { enableScripts: true, localResourceRoots: webviewResourceRoots(services.ctx.extensionUri) };
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly services: QuizServices,
    openedAt: number,
  ) {
    this.openedAt = openedAt;
    panel.iconPath = vscode.Uri.joinPath(services.ctx.extensionUri, 'media', 'icon.png');
    panel.webview.html = webviewHtml({
      webview: panel.webview,
      extensionUri: services.ctx.extensionUri,
      script: 'quiz',
      stylesheet: 'quiz.css',
      title: vscode.l10n.t('Model Lab Quiz'),
      lang: services.displayLang() === 'zh' ? 'zh-CN' : 'en',
    });
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((raw: unknown) => {
        const message = parseWebviewMessage(raw);
        if (!message) {
          services.ctx.log.warn(`Quiz panel: ignored an invalid message from the webview: ${JSON.stringify(raw)?.slice(0, 200)}`);
          return;
        }
        this.enqueue(() => this.handle(message));
      }),
    );
  }

  private enqueue(step: () => Promise<void>): void {
    this.queue = this.queue.then(step).catch((err: unknown) => {
      const text = err instanceof Error ? err.message : String(err);
      this.services.ctx.log.error(`Quiz panel: ${err instanceof Error ? (err.stack ?? text) : text}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('The quiz hit an error: {0}. See "Model Lab: Show Log" for details.', text));
    });
  }

  private get state(): vscode.Memento {
    return this.services.ctx.extensionContext.globalState;
  }

  private async setView(view: PanelView): Promise<void> {
    await this.state.update(VIEW_KEY, view);
  }

  /** Starts a new session over `pool` and shows its first question. */
  startSession(kind: SessionKind, label: string, pool: readonly Question[]): void {
    this.enqueue(async () => {
      const progress = await this.services.store.load();
      const session = startSession({ kind, label, pool, progress, now: Date.now(), newCardsPerDay: this.services.config.newCardsPerDay });
      this.services.ctx.log.info(`Quiz session "${label}" (${kind}): ${session.total} cards from a pool of ${pool.length}`);
      await this.services.store.saveSession(session);
      await this.setView('session');
      await this.render();
    });
  }

  showStats(): void {
    this.enqueue(async () => {
      await this.setView('stats');
      await this.render();
    });
  }

  /** Applies a code-check result to the current question (from the panel's Check button or the CodeLens). */
  applyCodeResult(questionId: string, result: CodeCheckResult): void {
    this.enqueue(async () => {
      const lang = this.services.displayLang();
      const detail = result.details.map((d) => d[lang]).join(' ');
      const session = this.services.store.loadSession();
      if (!session || session.current !== questionId || session.phase !== 'question') return;
      if (!result.passed) {
        // A failing check is feedback to fix the code, not a graded answer: the user can check again or reveal.
        await this.post({ type: 'codeStatus', lang, questionId, status: 'failed', detail });
        return;
      }
      await this.answer(session, questionId, { kind: 'code', passed: true, detail });
    });
  }

  codeStatus(questionId: string, status: 'opened' | 'checking' | 'untrusted' | 'error', detail: string): void {
    void this.post({ type: 'codeStatus', lang: this.services.displayLang(), questionId, status, detail });
  }

  private async post(message: ToWebview): Promise<void> {
    await this.panel.webview.postMessage(message);
  }

  private async handle(message: FromWebview): Promise<void> {
    switch (message.type) {
      case 'ready':
        await this.render();
        if (this.openedAt !== undefined) {
          this.services.ctx.log.info(`Quiz panel ready ${(performance.now() - this.openedAt).toFixed(0)} ms after the command`);
          this.openedAt = undefined;
        }
        return;
      case 'answer': {
        const session = this.services.store.loadSession();
        if (session?.current === message.questionId) await this.answer(session, message.questionId, message.response);
        return;
      }
      case 'grade': {
        const session = this.services.store.loadSession();
        if (!session || session.current !== message.questionId || session.phase !== 'feedback') return;
        const progress = await this.services.store.load();
        const next = gradeSession(session, progress, message.grade, Date.now());
        await this.services.saveProgress(next.progress);
        await this.services.store.saveSession(next.session);
        await this.render();
        return;
      }
      case 'undo': {
        const session = this.services.store.loadSession();
        if (!session) return;
        const undone = undoSession(session, await this.services.store.load());
        if (!undone) return;
        await this.services.saveProgress(undone.progress);
        await this.services.store.saveSession(undone.session);
        await this.setView('session');
        await this.render();
        return;
      }
      case 'setLang':
        await this.services.setDisplayLang(message.lang);
        await this.render();
        return;
      case 'openExercise':
        await vscode.commands.executeCommand(InternalQuizCommandId.openQuizExercise, message.questionId);
        return;
      case 'checkCode':
        await vscode.commands.executeCommand(InternalQuizCommandId.checkQuizExercise, message.questionId);
        return;
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
    }
  }

  private async answer(session: SessionState, questionId: string, response: QuizResponse): Promise<void> {
    const question = await this.services.questionById(questionId);
    if (!question) return;
    const next = answerSession(session, question, response);
    await this.services.store.saveSession(next);
    await this.render();
  }

  /** Sends the screen for the saved state: the current question or its feedback, the summary, or statistics. */
  private async render(): Promise<void> {
    const lang = this.services.displayLang();
    const [questions, progress] = await Promise.all([this.services.allQuestions(), this.services.store.load()]);
    const now = Date.now();
    if (this.state.get<PanelView>(VIEW_KEY) === 'stats') {
      await this.post({ type: 'stats', lang, stats: computeStats(questions, progress, now) });
      return;
    }
    const session = this.services.store.loadSession();
    if (!session) {
      await this.post({ type: 'empty', lang, label: vscode.l10n.t('Model Lab Quiz'), reason: questions.length === 0 ? 'noQuestions' : 'nothingDue' });
      return;
    }
    const byId = new Map(questions.map((q) => [q.id, q]));
    const current = session.current ? byId.get(session.current) : undefined;
    if (session.current && !current) {
      // The question vanished (bank edited, deck removed): skip it rather than get stuck.
      this.services.ctx.log.warn(`Quiz: question "${session.current}" is no longer in any deck; skipped.`);
      const queue = session.queue.filter((id) => byId.has(id));
      const learning = session.learning.filter((l) => byId.has(l.id));
      await this.services.store.saveSession(advance({ ...session, queue, learning }, now));
      return this.render();
    }
    if (!current) {
      if (session.results.length === 0) {
        const reason = session.kind === 'mistakes' ? 'noMistakes' : session.total === 0 && session.kind === 'deck' ? 'noQuestions' : 'nothingDue';
        await this.post({ type: 'empty', lang, label: session.label, reason });
        return;
      }
      await this.post({ type: 'summary', lang, label: session.label, summary: summarize(session, now), dueNow: countDue(questions, progress, now) });
      return;
    }
    const header: SessionHeader = {
      kind: session.kind,
      label: session.label,
      answered: session.results.length,
      remaining: session.queue.length + session.learning.length + 1,
      total: session.total,
      canUndo: session.undo.length > 0,
    };
    const view = questionView(current);
    if (session.phase === 'feedback' && session.feedback) {
      const feedback: FeedbackView = {
        correct: session.feedback.correct,
        response: session.feedback.response,
        correctOptions: current.options?.flatMap((o, k) => (o.correct ? [k] : [])),
        truth: current.truth,
        answer: current.answer,
        explanation: current.explanation,
        references: current.references ? [...current.references] : undefined,
        intervals: intervalsFor(progress, current.id, now),
        suggested: defaultGrade(session.feedback),
      };
      await this.post({ type: 'feedback', lang, session: header, question: view, feedback });
    } else {
      await this.post({ type: 'question', lang, session: header, question: view });
    }
  }

  dispose(): void {
    if (QuizPanel.current === this) QuizPanel.current = undefined;
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/** The question without its marks or answer (sent before the user answers). */
function questionView(q: Question): QuestionView {
  return {
    id: q.id,
    deck: q.deck,
    topic: q.topic,
    type: q.type,
    difficulty: q.difficulty,
    prompt: q.prompt,
    options: q.options?.map((o) => o.text),
    check: q.check,
    monolingual: q.monolingual,
  };
}

/** Registered in activate (via registerQuizFeature): brings the panel back after a window reload. */
export function registerQuizPanelSerializer(services: QuizServices): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(QUIZ_VIEW_TYPE, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel): Promise<void> {
      QuizPanel.revive(panel, services);
    },
  });
}
