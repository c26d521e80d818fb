/**
 * The quiz webview panel (VS Code side). One instance at a time (`QuizPanel.current`), created by the quiz
 * commands or revived by the `WebviewPanelSerializer` after a window reload. The session lives in
 * `globalState` and is saved after every step, so a reload returns to the same question, with its options in
 * the same displayed order (the order is a function of the seed saved with the session). The webview only
 * renders; every message it sends is validated (`parseWebviewMessage`) before anything happens. Statistics
 * have their own panel (`QuizStatsPanel`), so opening them never replaces a running quiz.
 */
import * as vscode from 'vscode';
import { CommandId } from '../commands/commandIds';
import { InternalQuizCommandId } from '../commands/internalQuizCommandIds';
import type { CodeCheckResult } from '../quiz/codeCheck';
import { parseWebviewMessage, type FeedbackView, type FromWebview, type QuestionView, type SessionHeader, type ToWebview } from '../quiz/messages';
import type { Lang, Question } from '../quiz/model';
import {
  advance,
  answer as answerSession,
  defaultGrade,
  grade as gradeSession,
  intervalsFor,
  sessionCounts,
  startSession,
  summarize,
  undo as undoSession,
  type QuizResponse,
  type SessionKind,
  type SessionState,
} from '../quiz/session';
import { optionOrder, toBankPositions, toDisplayedPositions } from '../quiz/shuffle';
import { countDue } from '../quiz/stats';
import type { QuizServices } from './quizServices';
import { PanelHost, type PanelSpec } from './panelHost';

export const QUIZ_VIEW_TYPE = 'modelLab.quiz';

/** What the quiz and its statistics tab share: the quiz webview's script and stylesheet, in the quiz's display language. */
export function quizPanelSpec(services: QuizServices, viewType: string, title: string, logName: string): PanelSpec<FromWebview> {
  return {
    viewType,
    script: 'quiz',
    stylesheet: 'quiz.css',
    title,
    lang: services.displayLang() === 'zh' ? 'zh-CN' : 'en',
    logName,
    parse: parseWebviewMessage,
    internalErrorTemplate: 'The quiz hit an error: {0}. See "Model Lab: Show Log" for details.',
  };
}

/**
 * Messages both quiz tabs (the quiz and its statistics) handle the same way: a reference link, and the buttons
 * that start a session or open the statistics. True when `message` was one of them.
 */
export async function handleSharedQuizMessage(message: FromWebview): Promise<boolean> {
  switch (message.type) {
    case 'openLink':
      await vscode.env.openExternal(vscode.Uri.parse(message.href, true));
      return true;
    case 'command': {
      const id = {
        startDue: CommandId.startQuiz,
        startByTopic: CommandId.startQuizByTopic,
        reviewMistakes: CommandId.reviewQuizMistakes,
        showStats: CommandId.showQuizStatistics,
      }[message.command];
      await vscode.commands.executeCommand(id);
      return true;
    }
    default:
      return false;
  }
}

export class QuizPanel extends PanelHost<ToWebview, FromWebview> {
  /** The open quiz panel, if any (the exercise and edit commands talk to it). */
  static get current(): QuizPanel | undefined {
    return PanelHost.openPanel<QuizPanel>(QUIZ_VIEW_TYPE);
  }

  private openedAt: number | undefined;

  /**
   * Shows the panel (creating it if needed): beside the editor when one is open, else in the active group.
   * `openedAt` is the command's start time, for the first-paint log.
   */
  static async createOrShow(services: QuizServices, openedAt = performance.now()): Promise<QuizPanel> {
    const open = QuizPanel.current;
    if (open) {
      open.panel.reveal(open.panel.viewColumn ?? (vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active));
      return open;
    }
    const title = vscode.l10n.t('Model Lab Quiz');
    // Beside an editor the quiz takes the focus (the user answers with the keyboard at once).
    const panel = vscode.window.activeTextEditor
      ? await PanelHost.createBesidePanel(services.ctx, QUIZ_VIEW_TYPE, title, false)
      : PanelHost.createWebviewPanel(services.ctx, QUIZ_VIEW_TYPE, title, vscode.ViewColumn.Active);
    return new QuizPanel(panel, services, openedAt);
  }

  /** Brings the panel back after a window reload (registered in activate via registerQuizFeature). */
  static registerSerializer(services: QuizServices): vscode.Disposable {
    return PanelHost.registerPanelSerializer(QUIZ_VIEW_TYPE, (panel) => new QuizPanel(panel, services, performance.now()));
  }

  private constructor(
    panel: vscode.WebviewPanel,
    private readonly services: QuizServices,
    openedAt: number,
  ) {
    const title = vscode.l10n.t('Model Lab Quiz');
    super(services.ctx, panel, quizPanelSpec(services, QUIZ_VIEW_TYPE, title, 'Quiz panel'));
    this.openedAt = openedAt;
    panel.title = title;
    panel.iconPath = vscode.Uri.joinPath(services.ctx.extensionUri, 'media', 'icon.png');
    // A workspace deck edited on disk (or in another window's answers): show the current state again.
    this.disposables.push(services.onDidChangeDecks(() => this.enqueue(() => this.render())));
  }

  /** Starts a new session over `pool` and shows its first question. `scope` is the topic slug or deck id. */
  startSession(kind: SessionKind, label: string, pool: readonly Question[], scope?: string): void {
    this.enqueue(async () => {
      const progress = await this.services.store.load();
      const session = startSession({ kind, label, scope, pool, progress, now: Date.now(), newCardsPerDay: this.services.config.newCardsPerDay });
      this.services.ctx.log.info(`Quiz session "${label}" (${kind}): ${session.total} cards from a pool of ${pool.length}`);
      await this.services.store.saveSession(session);
      await this.render();
    });
  }

  /** The question on screen, if any (for "Edit This Question" from the palette). */
  currentQuestionId(): string | undefined {
    return this.services.store.loadSession()?.current;
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
        this.post({ type: 'codeStatus', lang, questionId, status: 'failed', detail });
        return;
      }
      await this.answer(session, questionId, { kind: 'code', passed: true, detail });
    });
  }

  codeStatus(questionId: string, status: 'opened' | 'checking' | 'untrusted' | 'error', detail: string): void {
    this.post({ type: 'codeStatus', lang: this.services.displayLang(), questionId, status, detail });
  }

  /** First load or reload of the webview: show the saved state. */
  protected override async onReady(): Promise<void> {
    await this.render();
    if (this.openedAt !== undefined) {
      this.services.ctx.log.info(`Quiz panel ready ${(performance.now() - this.openedAt).toFixed(0)} ms after the command`);
      this.openedAt = undefined;
    }
  }

  protected async onMessage(message: Exclude<FromWebview, { type: 'ready' }>): Promise<void> {
    if (await handleSharedQuizMessage(message)) return;
    switch (message.type) {
      case 'answer': {
        const session = this.services.store.loadSession();
        if (session?.current !== message.questionId) return;
        const question = await this.services.questionById(message.questionId);
        if (!question) return;
        // The webview speaks in displayed positions; the session keeps the bank's.
        const response: QuizResponse =
          message.response.kind === 'choice'
            ? { kind: 'choice', selected: toBankPositions(optionOrder(question, session.shownSeed ?? 0), message.response.selected) }
            : message.response;
        await this.answer(session, message.questionId, response);
        return;
      }
      case 'grade': {
        const session = this.services.store.loadSession();
        if (!session || session.current !== message.questionId || session.phase !== 'feedback') return;
        const progress = await this.services.store.load();
        const next = gradeSession(session, progress, message.grade, Date.now());
        await this.services.saveReview(message.questionId, next.progress.entries[message.questionId]);
        await this.services.store.saveSession(next.session);
        await this.render();
        return;
      }
      case 'undo': {
        const session = this.services.store.loadSession();
        const item = session?.undo.at(-1);
        if (!session || !item) return;
        const undone = undoSession(session, await this.services.store.load());
        if (!undone) return;
        await this.services.undoReview(item.id, undone.progress.entries[item.id], item.log);
        await this.services.store.saveSession(undone.session);
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
      case 'editQuestion':
        await vscode.commands.executeCommand(CommandId.editQuizQuestion, message.questionId);
        return;
    }
  }

  private async answer(session: SessionState, questionId: string, response: QuizResponse): Promise<void> {
    const question = await this.services.questionById(questionId);
    if (!question) return;
    const next = answerSession(session, question, response);
    await this.services.store.saveSession(next);
    await this.render();
  }

  /** The session's title in `lang`: the topic's or deck's name; '' for all decks and mistakes (the webview names those). */
  private async sessionLabel(session: SessionState, lang: Lang): Promise<string> {
    if (session.kind === 'topic' && session.scope) return (await this.services.topicLabels(lang)).get(session.scope) ?? session.label;
    if (session.kind === 'deck' && session.scope) return (await this.services.deckTitle(session.scope, lang)) ?? session.label;
    return session.kind === 'due' || session.kind === 'mistakes' ? '' : session.label;
  }

  /** Sends the screen for the saved state: the current question or its feedback, or the summary. */
  private async render(): Promise<void> {
    const lang = this.services.displayLang();
    const [questions, progress] = await Promise.all([this.services.allQuestions(), this.services.store.load()]);
    const now = Date.now();
    const session = this.services.store.loadSession();
    if (!session) {
      this.post({ type: 'empty', lang, kind: 'due', label: '', reason: questions.length === 0 ? 'noQuestions' : 'nothingDue' });
      return;
    }
    const byId = new Map(questions.map((q) => [q.id, q]));
    const current = session.current ? byId.get(session.current) : undefined;
    if (session.current && !current) {
      // The question vanished (deck edited so that it no longer parses, deck removed): skip it rather than get
      // stuck. Its progress stays under its id.
      this.services.ctx.log.warn(`Quiz: question "${session.current}" is no longer in any deck; skipped.`);
      const queue = session.queue.filter((id) => byId.has(id));
      const learning = session.learning.filter((l) => byId.has(l.id));
      await this.services.store.saveSession(advance({ ...session, queue, learning }, now));
      return this.render();
    }
    const label = await this.sessionLabel(session, lang);
    if (!current) {
      if (session.results.length === 0) {
        const reason = session.kind === 'mistakes' ? 'noMistakes' : session.total === 0 && session.kind === 'deck' ? 'noQuestions' : 'nothingDue';
        this.post({ type: 'empty', lang, kind: session.kind, label, reason });
        return;
      }
      this.post({ type: 'summary', lang, kind: session.kind, label, summary: summarize(session, now), dueNow: countDue(questions, progress, now) });
      return;
    }
    const header: SessionHeader = {
      kind: session.kind,
      label,
      counts: sessionCounts(session, progress),
      canUndo: session.undo.length > 0,
    };
    const order = optionOrder(current, session.shownSeed ?? 0);
    const view = questionView(current, order, (await this.services.topicLabels(lang)).get(current.topic) ?? current.topic, session.shownSeed);
    if (session.phase === 'feedback' && session.feedback) {
      const response = session.feedback.response;
      const feedback: FeedbackView = {
        correct: session.feedback.correct,
        response: response.kind === 'choice' ? { kind: 'choice', selected: toDisplayedPositions(order, response.selected) } : response,
        correctOptions: current.options ? toDisplayedPositions(order, current.options.flatMap((o, k) => (o.correct ? [k] : []))) : undefined,
        truth: current.truth,
        answer: current.answer,
        explanation: current.explanation,
        references: current.references ? [...current.references] : undefined,
        intervals: intervalsFor(progress, current.id, now),
        suggested: defaultGrade(session.feedback),
        canEdit: await this.services.canEditQuestion(current.id),
      };
      this.post({ type: 'feedback', lang, session: header, question: view, feedback });
    } else {
      this.post({ type: 'question', lang, session: header, question: view });
    }
  }

}

/** The question without its marks or answer (sent before the user answers), options in displayed order. */
function questionView(q: Question, order: readonly number[], topicLabel: string, shownSeed: number | undefined): QuestionView {
  return {
    id: q.id,
    deck: q.deck,
    topic: q.topic,
    topicLabel,
    type: q.type,
    difficulty: q.difficulty,
    prompt: q.prompt,
    options: q.options ? order.map((k) => q.options![k]!.text) : undefined,
    check: q.check,
    monolingual: q.monolingual,
    shownSeed,
  };
}
