/**
 * What every quiz command and the quiz panel share: the bundled bank (media/quiz/*.quiz.md, loaded lazily),
 * decks discovered in the workspace (`*.quiz.md`, setting `modelLab.quiz.discoverWorkspaceDecks`) and decks
 * imported from files, the progress store over `globalState`, the due-count status-bar item, and the code
 * exercise editors. Created once in `registerQuizFeature`.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ModelLabContext } from '../context';
import type { QuizSettings } from './config';
import { formatIssue, loadBankDirectory, loadBankTexts, QUIZ_FILE_LIMIT, type DeckInfo } from '../quiz/bankLoader';
import { FileInputError, formatBytes } from '../common/fileInput';
import { localizeError } from './errorMessages';
import { pick, type Lang, type LocalizedText, type Question } from '../quiz/model';
import { ProgressStore } from '../quiz/progressStore';
import type { ProgressEntry } from '../quiz/progress';
import { countLongTermReviews, MIN_REVIEWS, readParameters, trainingItems } from '../quiz/optimizer';
import { configureScheduler, type StoredLog } from '../quiz/scheduler';
import { CommandId } from '../commands/commandIds';
import { deckCounts, formatWaiting } from '../quiz/deckCounts';
import { plural } from '../common/plural';
import { workspacePath } from './workspacePath';

const IMPORTED_KEY = 'modelLab.quiz.importedDecks';
/** FSRS parameters fitted by "Optimize Quiz Scheduling" (21 numbers), and what they were fitted on. */
export const FSRS_PARAMETERS_KEY = 'modelLab.quiz.fsrsParameters';
/** Long-term review count when optimization was last offered or run (the offer comes once per pile of new reviews). */
const OPTIMIZE_MARK_KEY = 'modelLab.quiz.optimizeOfferedAtReviews';
const LANG_KEY = 'modelLab.quiz.lang';

export interface QuizDeck {
  readonly deck: string;
  /** The title in the display language at the time the list was made. */
  readonly title: string;
  /** Both titles, when the deck's front matter has them (bundled and workspace decks). */
  readonly titles?: LocalizedText;
  readonly source: 'bundled' | 'workspace' | 'imported';
  readonly file?: string;
  readonly questions: readonly Question[];
}

export class QuizServices implements vscode.Disposable {
  readonly store: ProgressStore;
  private bundled: Promise<{ questions: Question[]; decks: DeckInfo[] }> | undefined;
  private workspaceDecks: Promise<QuizDeck[]> | undefined;
  private readonly statusItem: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly progressChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeProgress = this.progressChanged.event;
  private readonly decksChanged = new vscode.EventEmitter<void>();
  /** A workspace deck changed on disk, or a quiz setting changed: decks are read again on next use. */
  readonly onDidChangeDecks = this.decksChanged.event;
  /** Untitled exercise documents opened from code questions: document URI → question id. */
  readonly exercises = new Map<string, string>();
  private readonly exercisesChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeExercises = this.exercisesChanged.event;

  constructor(readonly ctx: ModelLabContext) {
    const state = ctx.extensionContext.globalState;
    // Each window writes only its own journal of reviews (no key has two writers, so VS Code's delayed copy of
    // globalState between windows cannot lose one); the in-flight session belongs to the workspace.
    this.store = new ProgressStore(
      state,
      (problem) => {
        ctx.log.warn(`Quiz progress: ${problem}`);
        void vscode.window.showWarningMessage(vscode.l10n.t('Quiz progress: {0}', problem));
      },
      Date.now,
      { sessionStore: ctx.extensionContext.workspaceState },
    );
    this.statusItem = vscode.window.createStatusBarItem('modelLab.quiz.due', vscode.StatusBarAlignment.Right, 100);
    this.statusItem.name = vscode.l10n.t('Model Lab Quiz');
    this.statusItem.command = CommandId.startQuiz;
    this.disposables.push(this.statusItem, this.progressChanged, this.exercisesChanged, this.decksChanged);
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.quiz.md');
    const invalidate = () => {
      this.workspaceDecks = undefined;
      this.decksChanged.fire();
      void this.updateStatusBar();
    };
    this.disposables.push(
      watcher,
      watcher.onDidChange(invalidate),
      watcher.onDidCreate(invalidate),
      watcher.onDidDelete(invalidate),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('modelLab.quiz.desiredRetention')) this.applySchedulerSettings();
        if (e.affectsConfiguration('modelLab.quiz')) invalidate();
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (this.exercises.delete(d.uri.toString())) this.exercisesChanged.fire();
      }),
    );
    // The due count changes with time; refresh it every few minutes (cheap: no file access once loaded).
    const timer = setInterval(() => void this.updateStatusBar(), 5 * 60_000);
    this.disposables.push({ dispose: () => clearInterval(timer) });
    this.applySchedulerSettings();
    void this.updateStatusBar();
  }

  get config(): QuizSettings {
    return this.ctx.config.quiz;
  }

  /** The FSRS parameters in use: the fitted ones, or undefined for ts-fsrs's defaults. */
  fittedParameters(): number[] | undefined {
    const stored = this.ctx.extensionContext.globalState.get<{ parameters?: unknown }>(FSRS_PARAMETERS_KEY);
    return readParameters(stored?.parameters);
  }

  /** Feeds the retention setting and the fitted parameters to the scheduler. */
  applySchedulerSettings(): void {
    configureScheduler({ desiredRetention: this.config.desiredRetention, parameters: this.fittedParameters() });
  }

  /** Keeps fitted parameters (after "Optimize Quiz Scheduling" found them better) and schedules with them from now on. */
  async saveFittedParameters(parameters: number[], reviews: number): Promise<void> {
    await this.ctx.extensionContext.globalState.update(FSRS_PARAMETERS_KEY, { parameters, reviews, fittedAt: Date.now() });
    await this.markOptimizationOffered(reviews);
    this.applySchedulerSettings();
  }

  async markOptimizationOffered(reviews: number): Promise<void> {
    await this.ctx.extensionContext.globalState.update(OPTIMIZE_MARK_KEY, reviews);
  }

  /**
   * Offers "Optimize Quiz Scheduling" once when enough new long-term reviews have piled up since the last
   * offer or fit (MIN_REVIEWS, what the optimizer needs).
   */
  private async offerOptimizationIfDue(): Promise<void> {
    const reviews = countLongTermReviews(trainingItems(await this.store.load()));
    const mark = this.ctx.extensionContext.globalState.get<number>(OPTIMIZE_MARK_KEY) ?? 0;
    if (reviews < MIN_REVIEWS || reviews - mark < MIN_REVIEWS) return;
    await this.markOptimizationOffered(reviews);
    const optimize = vscode.l10n.t('Optimize');
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t('You have {0} quiz reviews. Model Lab can fit its scheduling to your own memory: the reviews then come when you are about to forget.', reviews),
      optimize,
    );
    if (choice === optimize) await vscode.commands.executeCommand(CommandId.optimizeQuizScheduling);
  }

  /** The bundled bank (parsed once). Problems are logged: the bank is validated by the unit tests. */
  bundledBank(): Promise<{ questions: Question[]; decks: DeckInfo[] }> {
    this.bundled ??= (async () => {
      const started = performance.now();
      const dir = vscode.Uri.joinPath(this.ctx.extensionUri, 'media', 'quiz').fsPath;
      try {
        const bank = await loadBankDirectory(dir, { bundled: true });
        for (const issue of bank.issues) this.ctx.log.warn(`Bundled quiz bank: ${formatIssue(issue)}`);
        this.ctx.log.info(`Quiz bank: ${bank.questions.length} questions in ${bank.decks.length} decks, parsed in ${(performance.now() - started).toFixed(1)} ms`);
        return bank;
      } catch (err) {
        this.ctx.log.error(`Could not read the bundled quiz bank in ${dir}: ${String(err)}`);
        void vscode.window.showErrorMessage(vscode.l10n.t('Model Lab could not read its quiz bank ({0}). Reinstall the extension.', String(err)));
        return { questions: [], decks: [] };
      }
    })();
    return this.bundled;
  }

  /** `*.quiz.md` decks in the workspace folders (when the setting allows), read through the workspace file system. */
  discoveredDecks(): Promise<QuizDeck[]> {
    if (!this.config.discoverWorkspaceDecks || !vscode.workspace.workspaceFolders) return Promise.resolve([]);
    this.workspaceDecks ??= (async () => {
      const uris = await vscode.workspace.findFiles('**/*.quiz.md', '**/{node_modules,.git,dist,out}/**', 200);
      const bundledDir = vscode.Uri.joinPath(this.ctx.extensionUri, 'media', 'quiz').fsPath;
      const decks: QuizDeck[] = [];
      for (const uri of uris.sort((a, b) => a.fsPath.localeCompare(b.fsPath))) {
        // Developing Model Lab itself: its own bundled bank is not a workspace deck.
        if (path.dirname(uri.fsPath) === bundledDir) continue;
        try {
          const relative = workspacePath(uri).text;
          // Stat first, through the workspace file system (remote folders too): a FIFO or device named *.quiz.md
          // would block or grow without end, and a huge file would be read whole into the extension host.
          const stat = await vscode.workspace.fs.stat(uri);
          const refused =
            (stat.type & vscode.FileType.File) === 0
              ? new FileInputError('fileNotRegular', [relative, 'a special file (a pipe, device or socket)'])
              : stat.size > QUIZ_FILE_LIMIT.maxBytes
                ? new FileInputError('fileTooLarge', [relative, formatBytes(stat.size), formatBytes(QUIZ_FILE_LIMIT.maxBytes), QUIZ_FILE_LIMIT.purpose], stat.size)
                : undefined;
          if (refused) {
            this.ctx.log.warn(`Quiz deck skipped: ${refused.message}`);
            void vscode.window.showWarningMessage(localizeError(refused));
            continue;
          }
          const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
          const loaded = loadBankTexts([{ file: relative, text }], { bundled: false });
          for (const issue of loaded.issues) this.ctx.log.warn(`Quiz deck ${formatIssue(issue)}`);
          // A question with a problem is skipped, never half-shown; its progress stays under its id.
          const broken = new Set(loaded.issues.flatMap((i) => (i.id === undefined ? [] : [i.id])));
          const questions = loaded.questions.filter((q) => !broken.has(q.id));
          if (loaded.issues.length > 0) {
            const first = loaded.issues[0]!;
            void vscode.window.showWarningMessage(
              plural(loaded.issues.length, vscode.l10n.t('Quiz deck {0}, line {1}: {2} ({3} problem in this deck; the questions concerned are skipped and their progress is kept. See "Model Lab: Show Log".)', relative, first.line, first.message, loaded.issues.length), vscode.l10n.t('Quiz deck {0}, line {1}: {2} ({3} problems in this deck; the questions concerned are skipped and their progress is kept. See "Model Lab: Show Log".)', relative, first.line, first.message, loaded.issues.length)),
            );
          }
          const info = loaded.decks[0]!;
          decks.push({ deck: info.deck, title: pick(info.title, this.displayLang()) || info.deck, titles: info.title, source: 'workspace', file: uri.fsPath, questions });
        } catch (err) {
          this.ctx.log.warn(`Could not read quiz deck ${uri.fsPath}: ${String(err)}`);
        }
      }
      return decks;
    })();
    return this.workspaceDecks;
  }

  /** Decks imported with "Import Quiz from Current File" (kept in globalState so sessions survive a reload). */
  importedDecks(): QuizDeck[] {
    const raw = this.ctx.extensionContext.globalState.get<unknown>(IMPORTED_KEY);
    return Array.isArray(raw) ? (raw as QuizDeck[]).filter((d) => typeof d?.deck === 'string' && Array.isArray(d.questions)) : [];
  }

  async addImportedDeck(deck: QuizDeck): Promise<void> {
    const others = this.importedDecks().filter((d) => d.deck !== deck.deck);
    await this.ctx.extensionContext.globalState.update(IMPORTED_KEY, [...others, deck]);
    void this.updateStatusBar();
  }

  /** Every deck: the bundled topics as one deck each, then workspace and imported decks. */
  async allDecks(): Promise<QuizDeck[]> {
    const bank = await this.bundledBank();
    const bundled: QuizDeck[] = bank.decks.map((d) => ({
      deck: d.deck,
      title: pick(d.title, this.displayLang()) || d.deck,
      titles: d.title,
      source: 'bundled',
      file: d.file,
      questions: bank.questions.filter((q) => q.deck === d.deck),
    }));
    return [...bundled, ...(await this.discoveredDecks()), ...this.importedDecks()];
  }

  /**
   * All questions, first id wins: workspace decks first (a bundled question copied into a workspace deck
   * with "Edit This Question" replaces the bundled one and keeps its progress), then the bundled bank, then
   * imported decks.
   */
  async allQuestions(): Promise<Question[]> {
    const seen = new Set<string>();
    const out: Question[] = [];
    const decks = await this.allDecks();
    const rank = { workspace: 0, bundled: 1, imported: 2 } as const;
    for (const d of [...decks].sort((a, b) => rank[a.source] - rank[b.source])) {
      for (const q of d.questions) {
        if (seen.has(q.id)) continue;
        seen.add(q.id);
        out.push(q);
      }
    }
    return out;
  }

  async questionById(id: string): Promise<Question | undefined> {
    return (await this.allQuestions()).find((q) => q.id === id);
  }

  /** The deck a question is served from (the one `allQuestions` took it from). */
  async deckOf(id: string): Promise<QuizDeck | undefined> {
    const decks = await this.allDecks();
    const rank = { workspace: 0, bundled: 1, imported: 2 } as const;
    return [...decks].sort((a, b) => rank[a.source] - rank[b.source]).find((d) => d.questions.some((q) => q.id === id));
  }

  /** Whether "Edit This Question" has a file to open (or, for a bundled question, to copy from). */
  async canEditQuestion(id: string): Promise<boolean> {
    return (await this.deckOf(id))?.file !== undefined;
  }

  /**
   * Topic slug → display name in `lang`. A topic's name is the title of the deck that holds it (bundled decks
   * first), when every question of that deck is on that one topic; otherwise the slug itself.
   */
  async topicLabels(lang: Lang): Promise<Map<string, string>> {
    const labels = new Map<string, string>();
    const decks = await this.allDecks();
    const rank = { bundled: 0, workspace: 1, imported: 2 } as const;
    for (const d of [...decks].sort((a, b) => rank[a.source] - rank[b.source])) {
      const topics = new Set(d.questions.map((q) => q.topic));
      const [only] = topics;
      const title = pick(d.titles, lang);
      if (topics.size === 1 && only !== undefined && title && !labels.has(only)) labels.set(only, title);
    }
    for (const d of decks) for (const q of d.questions) if (!labels.has(q.topic)) labels.set(q.topic, q.topic);
    return labels;
  }

  /**
   * The bundled bank's topics in deck order (the deck files' order), each with its display name in `lang` and
   * its questions. Works for any number of decks and topics: names come from the decks.
   */
  async topics(lang: Lang): Promise<{ topic: string; label: string; questions: Question[] }[]> {
    const [bank, labels, all] = await Promise.all([this.bundledBank(), this.topicLabels(lang), this.allQuestions()]);
    // A bundled question copied into a workspace deck ("Edit This Question") is served as the copy.
    const served = new Map(all.map((q) => [q.id, q]));
    const byTopic = new Map<string, Question[]>();
    for (const d of bank.decks) {
      for (const q of bank.questions) if (q.deck === d.deck) byTopic.set(q.topic, [...(byTopic.get(q.topic) ?? []), served.get(q.id) ?? q]);
    }
    return [...byTopic].map(([topic, questions]) => ({ topic, label: labels.get(topic) ?? topic, questions }));
  }

  /** A deck's title in `lang` (the other language when it has only one). */
  async deckTitle(deck: string, lang: Lang): Promise<string | undefined> {
    const d = (await this.allDecks()).find((x) => x.deck === deck);
    if (!d) return undefined;
    return pick(d.titles, lang) || d.title;
  }

  /** Display language: the user's toggle, else VS Code's language (zh-* → Chinese). */
  displayLang(): Lang {
    const chosen = this.ctx.extensionContext.globalState.get<string>(LANG_KEY);
    if (chosen === 'en' || chosen === 'zh') return chosen;
    return vscode.env.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
  }

  async setDisplayLang(lang: Lang): Promise<void> {
    await this.ctx.extensionContext.globalState.update(LANG_KEY, lang);
  }

  /** Saves one question's progress after a grade, merged with what other windows wrote meanwhile. */
  async saveReview(id: string, entry: ProgressEntry | undefined): Promise<void> {
    if (!entry) return;
    await this.store.saveEntry(id, entry);
    this.progressChanged.fire();
    void this.updateStatusBar();
    void this.offerOptimizationIfDue().catch((err: unknown) => this.ctx.log.warn(`Quiz: optimization offer: ${String(err)}`));
  }

  /** Removes one undone review (and restores the card it had), keeping other windows' reviews. */
  async undoReview(id: string, entry: ProgressEntry | undefined, removed: StoredLog): Promise<void> {
    await this.store.removeReview(id, entry, removed);
    this.progressChanged.fire();
    void this.updateStatusBar();
  }

  /** After a whole-record change (import, reset). */
  notifyProgressChanged(): void {
    this.progressChanged.fire();
    void this.updateStatusBar();
  }

  async updateStatusBar(): Promise<void> {
    try {
      const [questions, progress] = await Promise.all([this.allQuestions(), this.store.load()]);
      const counts = deckCounts(questions, progress, Date.now(), this.config.newCardsPerDay);
      // "3 due · 10 new", only what is non-zero: a new user sees the 20 new cards waiting, not a bare "0".
      const waiting = formatWaiting(counts, { due: vscode.l10n.t('due'), new: vscode.l10n.t('new') });
      this.statusItem.text = `$(mortar-board) ${waiting || vscode.l10n.t('Quiz')}`;
      this.statusItem.tooltip = waiting
        ? vscode.l10n.t('Model Lab quiz: {0} due and {1} for today. Click to start.', plural(counts.due, vscode.l10n.t('{0} card', counts.due), vscode.l10n.t('{0} cards', counts.due)), plural(counts.newToday, vscode.l10n.t('{0} new card', counts.newToday), vscode.l10n.t('{0} new cards', counts.newToday)))
        : vscode.l10n.t('Model Lab quiz: nothing due and no new cards left today. Click to practice anyway.');
      this.statusItem.accessibilityInformation = { label: this.statusItem.tooltip };
      this.statusItem.show();
    } catch (err) {
      this.ctx.log.warn(`Quiz status bar: ${String(err)}`);
    }
  }

  registerExercise(uri: vscode.Uri, questionId: string): void {
    this.exercises.set(uri.toString(), questionId);
    this.exercisesChanged.fire();
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
