import * as vscode from 'vscode';

/** One explained word in its document. */
export interface ExplainedWord {
  readonly range: vscode.Range;
  readonly text: string;
  /** Log-odds of `label` lost without the word: + for, − against. */
  readonly score: number;
  /** Whole words in the segment: more than one for a run scored together (coarse-to-fine). */
  readonly words: number;
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&').replace(/\s+/g, ' ');
}

/** Strength steps per sign: a word's share of the largest |score| in the text picks its step. */
const STEPS = [0.2, 0.5, 1] as const;

/**
 * Colours a text's words by their explanation score: blue for the label, orange against it (a pair that stays
 * apart for red–green colour blindness), three strengths each, with light/dark-theme variants and an outline in
 * high contrast. Selection uses the theme's selection colour, never these. The hover shows the value. Any edit
 * of the document clears the marks (their ranges would be off).
 */
export class ExplanationDecorations implements vscode.Disposable {
  private readonly types: { for: vscode.TextEditorDecorationType[]; against: vscode.TextEditorDecorationType[] };
  private readonly marks = new Map<string, { words: ExplainedWord[]; label: string }>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor() {
    const make = (rgb: string, alpha: number) =>
      vscode.window.createTextEditorDecorationType({
        light: { backgroundColor: `rgba(${rgb}, ${alpha * 0.55})` },
        dark: { backgroundColor: `rgba(${rgb}, ${alpha * 0.7})` },
        borderRadius: '2px',
        // High-contrast themes define contrastBorder; elsewhere it is transparent.
        outlineColor: new vscode.ThemeColor('contrastBorder'),
        outlineStyle: 'solid',
        outlineWidth: alpha === 1 ? '1px' : '0',
        rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
      });
    this.types = { for: STEPS.map((a) => make('30, 120, 220', a)), against: STEPS.map((a) => make('230, 120, 20', a)) };
    this.disposables.push(
      ...this.types.for,
      ...this.types.against,
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0) this.clear(e.document.uri);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.clear(d.uri)),
      vscode.window.onDidChangeVisibleTextEditors(() => this.applyAll()),
    );
  }

  set(uri: vscode.Uri, label: string, words: readonly ExplainedWord[]): void {
    this.marks.set(uri.toString(), { words: [...words], label });
    this.applyAll();
  }

  clear(uri: vscode.Uri): void {
    if (this.marks.delete(uri.toString())) this.applyAll();
  }

  private applyAll(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      const mark = this.marks.get(editor.document.uri.toString());
      const buckets = { for: STEPS.map((): vscode.DecorationOptions[] => []), against: STEPS.map((): vscode.DecorationOptions[] => []) };
      if (mark) {
        const max = Math.max(1e-9, ...mark.words.map((w) => Math.abs(w.score)));
        for (const w of mark.words) {
          const share = Math.abs(w.score) / max;
          if (share < 0.05) continue; // near zero: left unmarked, so the marks show what matters
          const step = STEPS.findIndex((s) => share <= s);
          const value = `${w.score >= 0 ? '+' : '−'}${Math.abs(w.score).toFixed(3)}`;
          // The quoted text is the user's own: escaped so Markdown in it shows as typed.
          const quoted = escapeMarkdown(w.text.length > 60 ? `${w.text.slice(0, 57)}…` : w.text);
          const hover = new vscode.MarkdownString();
          if (w.words > 1) {
            hover.appendMarkdown(
              w.score >= 0
                ? vscode.l10n.t('**Model Lab** — "{0}" (a run of words: {1}) speaks for **{2}**: {3} log-odds (how much the label\'s log-odds fall without these words).', quoted, w.words, mark.label, value)
                : vscode.l10n.t('**Model Lab** — "{0}" (a run of words: {1}) speaks against **{2}**: {3} log-odds (how much the label\'s log-odds fall without these words).', quoted, w.words, mark.label, value),
            );
          } else {
            hover.appendMarkdown(
              w.score >= 0
                ? vscode.l10n.t('**Model Lab** — "{0}" speaks for **{1}**: {2} log-odds (how much the label\'s log-odds fall without the word).', quoted, mark.label, value)
                : vscode.l10n.t('**Model Lab** — "{0}" speaks against **{1}**: {2} log-odds (how much the label\'s log-odds fall without the word).', quoted, mark.label, value),
            );
          }
          (w.score >= 0 ? buckets.for : buckets.against)[step].push({ range: w.range, hoverMessage: hover });
        }
      }
      this.types.for.forEach((t, i) => editor.setDecorations(t, buckets.for[i]));
      this.types.against.forEach((t, i) => editor.setDecorations(t, buckets.against[i]));
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.marks.clear();
  }
}
