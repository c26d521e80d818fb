import * as vscode from 'vscode';

/** Context key: the classified windows are marked in the editor ("Model Lab: Toggle Text Window Highlights"). */
export const TEXT_DECORATIONS_CONTEXT_KEY = 'modelLab.textDecorationsVisible';

export interface MarkedWindow {
  readonly range: vscode.Range;
  /** Shown after the range and in the hover, so the mark never relies on colour alone. */
  readonly caption: string;
}

/**
 * Marks the most decisive windows of the last classification in their document. Marks belong to one
 * document version: any edit clears them (their offsets would be wrong), closing the document drops them,
 * and the toggle hides or shows them everywhere.
 */
export class TextWindowDecorations implements vscode.Disposable {
  private readonly type: vscode.TextEditorDecorationType;
  private readonly marks = new Map<string, MarkedWindow[]>();
  private readonly disposables: vscode.Disposable[] = [];
  private visible = true;

  constructor() {
    this.type = vscode.window.createTextEditorDecorationType({
      backgroundColor: new vscode.ThemeColor('editor.wordHighlightStrongBackground'),
      border: '1px dashed',
      borderColor: new vscode.ThemeColor('editor.wordHighlightStrongBorder'),
      overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.wordHighlightStrongForeground'),
      overviewRulerLane: vscode.OverviewRulerLane.Right,
      rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
      after: { color: new vscode.ThemeColor('editorCodeLens.foreground'), margin: '0 0 0 1em', fontStyle: 'italic' },
    });
    this.disposables.push(
      this.type,
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0) this.clear(e.document.uri);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.clear(d.uri)),
      vscode.window.onDidChangeVisibleTextEditors(() => this.applyAll()),
    );
    void vscode.commands.executeCommand('setContext', TEXT_DECORATIONS_CONTEXT_KEY, this.visible);
  }

  /** Replaces the marks of one document. */
  set(uri: vscode.Uri, windows: readonly MarkedWindow[]): void {
    this.marks.set(uri.toString(), [...windows]);
    this.applyAll();
  }

  clear(uri: vscode.Uri): void {
    if (this.marks.delete(uri.toString())) this.applyAll();
  }

  hasMarks(uri: vscode.Uri): boolean {
    return this.marks.has(uri.toString());
  }

  /** Shows or hides every mark; returns the new state. */
  toggle(): boolean {
    this.visible = !this.visible;
    void vscode.commands.executeCommand('setContext', TEXT_DECORATIONS_CONTEXT_KEY, this.visible);
    this.applyAll();
    return this.visible;
  }

  get isVisible(): boolean {
    return this.visible;
  }

  private applyAll(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      const windows = this.visible ? this.marks.get(editor.document.uri.toString()) : undefined;
      editor.setDecorations(
        this.type,
        (windows ?? []).map((w) => ({
          range: w.range,
          hoverMessage: new vscode.MarkdownString().appendText(`Model Lab: ${w.caption}`),
          renderOptions: { after: { contentText: ` ⟦${w.caption}⟧` } },
        })),
      );
    }
  }

  dispose(): void {
    for (const editor of vscode.window.visibleTextEditors) editor.setDecorations(this.type, []);
    while (this.disposables.length) this.disposables.pop()?.dispose();
    this.marks.clear();
  }
}
