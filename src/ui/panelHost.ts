import * as vscode from 'vscode';
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
}

type Ready = { readonly type: 'ready' };

/**
 * The one webview panel base (as gitlens' `WebviewBase`): one open panel per view type, the HTML shell, the
 * "ready" handshake (what the panel shows is sent once the webview's script runs, and again if it reloads),
 * validation of every incoming message, in-order handling with errors reported instead of dropped, the
 * serializer that restores a panel after a window reload, and dispose. A panel adds only its state and its
 * messages: `onMessage`, and optionally `onReady` / `onDispose`.
 */
export abstract class PanelHost<ToWebview, FromWebview extends { readonly type: string }> implements vscode.Disposable {
  private static readonly open = new Map<string, PanelHost<unknown, { readonly type: string }>>();
  protected readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  private shown: ToWebview | undefined;
  private queue: Promise<void> = Promise.resolve();
  private disposed = false;

  protected constructor(
    protected readonly ctx: ModelLabContext,
    readonly panel: vscode.WebviewPanel,
    private readonly spec: PanelSpec<FromWebview>,
  ) {
    const previous = PanelHost.open.get(spec.viewType);
    if (previous && previous !== this) previous.dispose();
    PanelHost.open.set(spec.viewType, this as PanelHost<unknown, { readonly type: string }>);
    panel.webview.options = { enableScripts: true, localResourceRoots: webviewResourceRoots(ctx.extensionUri) };
    panel.webview.html = webviewHtml({
      webview: panel.webview,
      extensionUri: ctx.extensionUri,
      script: spec.script,
      stylesheet: spec.stylesheet,
      title: panel.title,
      allowDataImages: spec.allowDataImages,
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

  /** Sends a one-off message, such as the answer to a request of the webview. */
  protected post(message: ToWebview): void {
    void this.panel.webview.postMessage(message);
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
    this.queue = this.queue
      .then(() => {
        if (message.type !== 'ready') return this.onMessage(message as Exclude<FromWebview, Ready>);
        this.ready = true;
        return this.onReady();
      })
      .catch((err: unknown) => reportError(this.ctx, err));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (PanelHost.open.get(this.spec.viewType) === (this as PanelHost<unknown, { readonly type: string }>)) PanelHost.open.delete(this.spec.viewType);
    this.onDispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
    this.panel.dispose();
  }
}
