/**
 * What every quiz command and the quiz panel share: the bundled bank (media/quiz/*.quiz.md, loaded lazily),
 * decks discovered in the workspace (`*.quiz.md`, setting `modelLab.quiz.discoverWorkspaceDecks`) and decks
 * imported from files, the progress store over `globalState`, the due-count status-bar item, and the code
 * exercise editors. Created once in `registerQuizFeature`.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ModelLabContext } from '../context';
import type { QuizSettings } from '../ui/config';
import { formatIssue, loadBankDirectory, loadBankTexts, type DeckInfo } from '../quiz/bankLoader';
import type { Lang, Question } from '../quiz/model';
import { ProgressStore } from '../quiz/progressStore';
import type { ProgressRecord } from '../quiz/progress';
import { countDue } from '../quiz/stats';
import { CommandId } from './commandIds';

const IMPORTED_KEY = 'modelLab.quiz.importedDecks';
const LANG_KEY = 'modelLab.quiz.lang';

export interface QuizDeck {
  readonly deck: string;
  readonly title: string;
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
  /** Untitled exercise documents opened from code questions: document URI → question id. */
  readonly exercises = new Map<string, string>();
  private readonly exercisesChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeExercises = this.exercisesChanged.event;

  constructor(readonly ctx: ModelLabContext) {
    const state = ctx.extensionContext.globalState;
    this.store = new ProgressStore(state, (problem) => {
      ctx.log.warn(`Quiz progress: ${problem}`);
      void vscode.window.showWarningMessage(vscode.l10n.t('Quiz progress: {0}', problem));
    });
    this.statusItem = vscode.window.createStatusBarItem('modelLab.quiz.due', vscode.StatusBarAlignment.Right, 100);
    this.statusItem.name = vscode.l10n.t('Model Lab Quiz');
    this.statusItem.command = CommandId.startQuiz;
    this.disposables.push(this.statusItem, this.progressChanged, this.exercisesChanged);
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.quiz.md');
    const invalidate = () => {
      this.workspaceDecks = undefined;
      void this.updateStatusBar();
    };
    this.disposables.push(
      watcher,
      watcher.onDidChange(invalidate),
      watcher.onDidCreate(invalidate),
      watcher.onDidDelete(invalidate),
      ctx.config.onDidChange('modelLab.quiz', invalidate),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (this.exercises.delete(d.uri.toString())) this.exercisesChanged.fire();
      }),
    );
    // The due count changes with time; refresh it every few minutes (cheap: no file access once loaded).
    const timer = setInterval(() => void this.updateStatusBar(), 5 * 60_000);
    this.disposables.push({ dispose: () => clearInterval(timer) });
    void this.updateStatusBar();
  }

  get config(): QuizSettings {
    return this.ctx.config.quiz;
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
          const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
          const loaded = loadBankTexts([{ file: vscode.workspace.asRelativePath(uri), text }], { bundled: false });
          for (const issue of loaded.issues) this.ctx.log.warn(`Quiz deck ${formatIssue(issue)}`);
          const info = loaded.decks[0]!;
          decks.push({ deck: info.deck, title: info.title?.en ?? info.title?.zh ?? info.deck, source: 'workspace', file: uri.fsPath, questions: loaded.questions });
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
      title: (this.displayLang() === 'zh' ? d.title?.zh : d.title?.en) ?? d.deck,
      source: 'bundled',
      file: d.file,
      questions: bank.questions.filter((q) => q.deck === d.deck),
    }));
    return [...bundled, ...(await this.discoveredDecks()), ...this.importedDecks()];
  }

  /** All questions, first id wins (the bundled bank before workspace and imported decks). */
  async allQuestions(): Promise<Question[]> {
    const seen = new Set<string>();
    const out: Question[] = [];
    for (const d of await this.allDecks()) {
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

  /** Display language: the user's toggle, else VS Code's language (zh-* → Chinese). */
  displayLang(): Lang {
    const chosen = this.ctx.extensionContext.globalState.get<string>(LANG_KEY);
    if (chosen === 'en' || chosen === 'zh') return chosen;
    return vscode.env.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
  }

  async setDisplayLang(lang: Lang): Promise<void> {
    await this.ctx.extensionContext.globalState.update(LANG_KEY, lang);
  }

  async saveProgress(record: ProgressRecord): Promise<void> {
    await this.store.save(record);
    this.progressChanged.fire();
    void this.updateStatusBar();
  }

  async updateStatusBar(): Promise<void> {
    try {
      const [questions, progress] = await Promise.all([this.allQuestions(), this.store.load()]);
      const due = countDue(questions, progress, Date.now());
      this.statusItem.text = `$(mortar-board) ${due}`;
      this.statusItem.tooltip = vscode.l10n.t('{0} quiz cards due — click to start the quiz', due);
      this.statusItem.accessibilityInformation = { label: vscode.l10n.t('{0} quiz cards due. Start the quiz.', due) };
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
