import * as vscode from 'vscode';
import { groupWidths, placeResultPanel, type EditorLayout } from '../common/panelPlacement';
import type { ModelLabContext } from '../context';
import { reportError } from './errorMessages';
import { webviewHtml, webviewResourceRoots } from './webviewHtml';

/** What a panel is: its view type (also the serializer's key), its bundle and stylesheet, its name in the log. */
export interface PanelSpec<FromWebview> {
  readonly viewType: string;
  /** Bundle name: src/webview/<script>/main.ts → dist/webview/<script>.js. */
  readonly script: string;
  /** Extra stylesheet under media/. */
  readonly stylesheet?: string;
  /** Allow `data:` images (canvas snapshots, rendered model inputs). */
  readonly allowDataImages?: boolean;
  /** For log lines: "Image result panel". */
  readonly logName: string;
  /** Validates a message from the webview (the protocol module's parser); anything else is `undefined`. */
  readonly parse: (raw: unknown) => FromWebview | undefined;
  /** The document title (default: the panel's title). The integration harness finds webviews by it. */
  readonly title?: string;
  /** `<html lang>` (default: VS Code's language). The quiz has its own display language, switchable in the panel. */
  readonly lang?: string;
  /** Folders the webview may load from besides the bundles and media: the evaluation's image thumbnails. */
  readonly extraResourceRoots?: readonly vscode.Uri[];
  /**
   * Any number of panels of this view type may be open at once. The model inspector is a custom editor: VS Code
   * opens one per model file (and per split), so "one open panel per view type" must not close the others.
   */
  readonly multiple?: boolean;
  /**
   * Says what failed around an error that is not one of ours (one `{0}`, translated): the quiz words it as "the
   * quiz hit an error". A coded error is shown as its own sentence either way.
   */
  readonly internalErrorTemplate?: string;
}

type Ready = { readonly type: 'ready' };

/** VS Code's focus commands name the groups: workbench.action.focusFirstEditorGroup … focusEighthEditorGroup. */
const ORDINALS = ['First', 'Second', 'Third', 'Fourth', 'Fifth', 'Sixth', 'Seventh', 'Eighth'];

/**
 * The one webview panel base (as gitlens' `WebviewBase`): one open panel per view type, the HTML shell, the
 * "ready" handshake (what the panel shows is sent once the webview's script runs, and again if it reloads),
 * validation of every incoming message, in-order handling with errors reported instead of dropped, the
 * serializer that restores a panel after a window reload, and dispose. A panel adds only its state and its
 * messages: `onMessage`, and optionally `onReady` / `onDispose`.
 *
 * Panels that open beside the editor use `createBesidePanel`, the one place that decides where (#12 §4). Custom
 * editors (the model inspector) get their panel from VS Code and declare `multiple`: the rest is the same.
 */
export abstract class PanelHost<ToWebview, FromWebview extends { readonly type: string }> implements vscode.Disposable {
  private static readonly open = new Map<string, PanelHost<unknown, { readonly type: string }>>();
  protected readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  private shown: ToWebview | undefined;
  private queue: Promise<void> = Promise.resolve();
  private disposed = false;
  /** Panels that opened beside the editor (result panels): the next one reuses their column. */
  private static readonly resultPanels = new Set<vscode.WebviewPanel>();

  protected constructor(
    protected readonly ctx: ModelLabContext,
    readonly panel: vscode.WebviewPanel,
    private readonly spec: PanelSpec<FromWebview>,
  ) {
    if (!spec.multiple) {
      const previous = PanelHost.open.get(spec.viewType);
      if (previous && previous !== this) previous.dispose();
      PanelHost.open.set(spec.viewType, this as PanelHost<unknown, { readonly type: string }>);
    }
    panel.webview.options = { enableScripts: true, localResourceRoots: [...webviewResourceRoots(ctx.extensionUri), ...(spec.extraResourceRoots ?? [])] };
    panel.webview.html = webviewHtml({
      webview: panel.webview,
      extensionUri: ctx.extensionUri,
      script: spec.script,
      stylesheet: spec.stylesheet,
      title: spec.title ?? panel.title,
      allowDataImages: spec.allowDataImages,
      lang: spec.lang,
    });
    panel.onDidDispose(() => this.dispose(), null, this.disposables);
    panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw), null, this.disposables);
  }

  /** The open panel of a view type, if any. */
  protected static openPanel<P>(viewType: string): P | undefined {
    return PanelHost.open.get(viewType) as P | undefined;
  }

  /** A new webview panel with the options every Model Lab panel uses. */
  protected static createWebviewPanel(ctx: ModelLabContext, viewType: string, title: string, showOptions: vscode.ViewColumn | { readonly viewColumn: vscode.ViewColumn; readonly preserveFocus?: boolean }): vscode.WebviewPanel {
    return vscode.window.createWebviewPanel(viewType, title, showOptions, { enableScripts: true, localResourceRoots: webviewResourceRoots(ctx.extensionUri) });
  }

  /**
   * A new panel beside the editor that never leaves the editor narrower than about 80 columns (#12 §4): into the
   * column where a result panel already is (one results column), else into the group right of the editor, else a
   * new group right of it when the editor is wide enough to be halved, else a new group below it. The decision is
   * src/common/panelPlacement.ts; here it is measured (`vscode.getEditorLayout`, pixels) and carried out.
   * The editor keeps the focus unless `preserveFocus` is false.
   */
  protected static async createBesidePanel(ctx: ModelLabContext, viewType: string, title: string, preserveFocus = true): Promise<vscode.WebviewPanel> {
    const activeColumn = vscode.window.tabGroups.activeTabGroup.viewColumn;
    const resultColumns = [...PanelHost.resultPanels].flatMap((p) => (p.viewColumn !== undefined ? [p.viewColumn] : []));
    let widths: (number | undefined)[] | undefined;
    try {
      widths = groupWidths(await vscode.commands.executeCommand<EditorLayout>('vscode.getEditorLayout'));
    } catch (err) {
      ctx.log.warn(`Could not read the editor layout (${String(err)}); opening the panel beside the editor.`);
    }
    const fontSize = vscode.workspace.getConfiguration('editor').get<number>('fontSize') ?? 14;
    const placement = placeResultPanel({ activeColumn, widths, resultColumns, fontSize });
    let viewColumn: vscode.ViewColumn = vscode.ViewColumn.Beside;
    if (placement.kind === 'column') viewColumn = placement.column;
    if (placement.kind === 'below') {
      // The new group is the grid's next leaf after the active one, so it takes the next view column.
      await vscode.commands.executeCommand('workbench.action.newGroupBelow');
      viewColumn = activeColumn + 1;
    }
    ctx.log.info(`${title}: opening in ${placement.kind === 'column' ? `column ${placement.column}` : `a new group ${placement.kind} the editor`} (editor group ${activeColumn}, widths ${widths?.map((w) => w?.toFixed(0) ?? '?').join('/') ?? 'unknown'} px)`);
    const panel = PanelHost.createWebviewPanel(ctx, viewType, title, { viewColumn, preserveFocus });
    // newGroupBelow may have made the empty group active; give the focus back to the editor the user was in.
    if (preserveFocus && vscode.window.tabGroups.activeTabGroup.viewColumn !== activeColumn) {
      await vscode.commands.executeCommand(`workbench.action.focus${ORDINALS[Math.min(activeColumn, ORDINALS.length) - 1]}EditorGroup`);
    }
    PanelHost.resultPanels.add(panel);
    panel.onDidDispose(() => PanelHost.resultPanels.delete(panel));
    return panel;
  }

  /** Restores panels of `viewType` after a window reload; `revive` builds the panel from the webview's saved state. */
  static registerPanelSerializer(viewType: string, revive: (panel: vscode.WebviewPanel, state: unknown) => void): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(viewType, {
      deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
        revive(panel, state);
        return Promise.resolve();
      },
    });
  }

  /** What the panel shows: sent now if the webview is ready, else as soon as it says it is (and after a reload of it). */
  protected setContent(message: ToWebview): void {
    this.shown = message;
    if (this.ready) this.post(message);
  }

  /** The message last given to `setContent`. */
  protected get content(): ToWebview | undefined {
    return this.shown;
  }

  /** Sends a one-off message, such as the answer to a request of the webview. Nothing once the panel closed. */
  protected post(message: ToWebview): void {
    // A run may outlive its panel (training goes on after the user closes it): its updates then go nowhere.
    if (this.disposed) return;
    this.panel.webview.postMessage(message).then(undefined, (err: unknown) => this.ctx.log.warn(`${this.spec.logName}: a message was not delivered: ${String(err)}`));
  }

  /** True once the webview's script said it is running; messages posted before then are lost. */
  protected get webviewReady(): boolean {
    return this.ready;
  }

  /** True after the panel closed. */
  protected get isDisposed(): boolean {
    return this.disposed;
  }

  /**
   * Runs `step` after the messages and steps queued before it. Host-side work that reads and writes the same
   * state as the message handlers (the quiz's session) goes through here so the two never interleave.
   */
  protected enqueue(step: () => Promise<void> | void): void {
    this.queue = this.queue.then(step).catch((err: unknown) => this.report(err));
  }

  /**
   * Work that must not hold up the next message, with its failure reported. The inspector's benchmark runs for
   * seconds, and the "cancel" the user sends meanwhile must reach it.
   */
  protected detach(work: Promise<void>): void {
    work.catch((err: unknown) => this.report(err));
  }

  /** The webview's script is running (first load or reload): by default, send what the panel shows. */
  protected onReady(): Promise<void> | void {
    this.resendContent();
  }

  /** Sends what the panel shows again (the webview lost it, e.g. it reloaded). */
  protected resendContent(): void {
    if (this.shown !== undefined) this.post(this.shown);
  }

  /** Handles one validated message other than "ready". */
  protected abstract onMessage(message: Exclude<FromWebview, Ready>): Promise<void> | void;

  /** Called once when the panel closes, before its disposables are released. */
  protected onDispose(): void {}

  private receive(raw: unknown): void {
    const message = this.spec.parse(raw);
    if (!message) {
      this.ctx.log.warn(`${this.spec.logName}: ignored an unexpected message ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    // One at a time, in the order sent; a failure is reported (never an unhandled rejection) and the next runs.
    this.enqueue(() => {
      if (message.type !== 'ready') return this.onMessage(message as Exclude<FromWebview, Ready>);
      this.ready = true;
      return this.onReady();
    });
  }

  private report(err: unknown): void {
    if (err instanceof Error && err.stack) this.ctx.log.debug(`${this.spec.logName}: ${err.stack}`);
    reportError(this.ctx, err, this.spec.internalErrorTemplate);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.ready = false;
    if (PanelHost.open.get(this.spec.viewType) === (this as PanelHost<unknown, { readonly type: string }>)) PanelHost.open.delete(this.spec.viewType);
    this.onDispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
    this.panel.dispose();
  }
}
