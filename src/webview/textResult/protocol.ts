/**
 * The one message protocol between the text-result panel (src/ui/textResultPanel.ts) and its webview
 * script (main.ts). Both sides import this module; it has no `vscode` and no DOM dependency. The extension
 * side validates every message it receives with `parseFromTextResultWebview`.
 */

/** Localized strings the extension sends with each result (the webview has no l10n of its own). */
export interface TextResultStrings {
  readonly title: string;
  readonly copyJson: string;
  readonly copied: string;
  readonly probabilities: string;
  readonly decisiveWindows: string;
  readonly allWindows: string;
  readonly windowsOmitted: string;
  readonly window: string;
  readonly range: string;
  readonly label: string;
  readonly probability: string;
  readonly reveal: string;
  readonly latency: string;
  readonly tokenize: string;
  readonly inference: string;
  readonly total: string;
  readonly modelLoad: string;
  readonly model: string;
  readonly windowsSummary: string;
  readonly aggregation: string;
  readonly truncated: string;
  readonly maxForLabel: string;
  readonly announce: string;
  readonly stale: string;
  readonly explanation: string;
  readonly explanationNote: string;
  readonly explanationNoteCoarse: string;
  readonly wordsFor: string;
  readonly wordsAgainst: string;
  readonly none: string;
}

/** One word, or a run of words (coarse-to-fine), of an explanation as the panel lists it. */
export interface PanelWord {
  readonly text: string;
  /** Log-odds of the label lost without the word or run (+ for, − against). */
  readonly score: number;
  readonly rangeLabel: string;
}

export interface PanelExplanation {
  readonly label: string;
  readonly method: 'leave-one-out' | 'coarse-to-fine';
  readonly for: readonly PanelWord[];
  readonly against: readonly PanelWord[];
  readonly words: number;
  readonly segments: number;
  readonly evaluations: number;
  readonly elapsedMs: number;
}

export interface PanelWindow {
  readonly index: number;
  readonly label: string;
  readonly probability: number;
  /** Probability of the entry's (document) label in this window. */
  readonly probabilityOfResultLabel: number;
  /** Human-readable range, e.g. "12:5–15:20" (line:column, 1-based) or "chars 120–480". */
  readonly rangeLabel: string;
  /** UTF-16 range in the classified text. */
  readonly charStart: number;
  readonly charEnd: number;
}

export interface TextResultEntry {
  /** What was classified, e.g. "Selection 2 of 3 — mail.txt, lines 4–9". */
  readonly sourceLabel: string;
  readonly label: string;
  readonly probability: number;
  readonly labels: readonly { readonly label: string; readonly probability: number }[];
  readonly activation: 'softmax' | 'sigmoid';
  /** Indices into `windows` of the most decisive windows, most decisive first. */
  readonly decisive: readonly number[];
  /** Per label: index into `windows` of the window that gives it the highest probability. */
  readonly maxForLabel: readonly { readonly label: string; readonly window: number; readonly probability: number }[];
  /** The windows sent to the panel (all of them, or the first ones plus every decisive one for huge files). */
  readonly windows: readonly PanelWindow[];
  readonly windowCount: number;
  readonly tokenCount: number;
  readonly windowLength: number;
  readonly windowOverlap: number;
  readonly timings: { readonly tokenizeMs: number; readonly inferenceMs: number; readonly totalMs: number; readonly loadMs: number };
  readonly modelName: string;
  readonly modelPath: string;
  /** Set when only the first N KB were classified. */
  readonly truncatedToKB?: number;
  /** True when the document changed after classification (ranges may no longer match). */
  readonly stale?: boolean;
  /** Why the text is outside the model's scope, in the user's language (the result is still shown). */
  readonly warnings?: readonly string[];
  /** Which words drove the result (Explain Selection). */
  readonly explanation?: PanelExplanation;
}

export type ToTextResultWebview =
  | { readonly type: 'show'; readonly entries: readonly TextResultEntry[]; readonly strings: TextResultStrings }
  | { readonly type: 'copied' };

export type FromTextResultWebview =
  | { readonly type: 'ready' }
  | { readonly type: 'copyJson' }
  /** Reveal window `window` (an index into `windows`' `index` values) of entry `entry` in its editor. */
  | { readonly type: 'reveal'; readonly entry: number; readonly window: number };

function isIndex(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

/** Validates a message from the webview; anything else is `undefined`. */
export function parseFromTextResultWebview(raw: unknown): FromTextResultWebview | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const m = raw as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'copyJson':
      return { type: 'copyJson' };
    case 'reveal':
      return isIndex(m.entry) && isIndex(m.window) ? { type: 'reveal', entry: m.entry, window: m.window } : undefined;
    default:
      return undefined;
  }
}

/** Where a restored result's text came from: enough to reveal a window in its editor. */
export interface SavedTextSource {
  readonly documentUri: string | undefined;
  readonly baseOffset: number;
}

/** URI schemes of documents a text result can come from (an editor's text, a file on disk or remote). */
const DOCUMENT_SCHEMES = new Set(['file', 'untitled', 'vscode-remote', 'vscode-userdata', 'vscode-vfs', 'vscode-notebook-cell']);

/** True for a well-formed document URI of a scheme above; `file:` URIs must name an absolute path. */
export function isDocumentUri(uri: unknown): uri is string {
  if (typeof uri !== 'string' || uri.length > 8192) return false;
  const m = /^([a-z][a-z0-9+.-]*):/i.exec(uri);
  if (!m || !DOCUMENT_SCHEMES.has(m[1].toLowerCase())) return false;
  if (m[1].toLowerCase() === 'file') return /^file:\/\/[^/?#]*\/[^?#]*$/i.test(uri);
  return true;
}

/**
 * The sources a webview saved in its state, validated after a window reload: the state comes back from the
 * webview, so nothing in it is trusted. A `documentUri` that is not a document URI (a `command:` or `https:`
 * link, a relative path, a non-string) is dropped, so that entry cannot be revealed; offsets must be whole
 * numbers ≥ 0. Always `entryCount` items.
 */
export function parseSavedSources(raw: unknown, entryCount: number): SavedTextSource[] {
  const list = Array.isArray(raw) ? raw : [];
  return Array.from({ length: entryCount }, (_, i) => {
    const s = list[i] as { documentUri?: unknown; baseOffset?: unknown } | undefined;
    const ok = typeof s === 'object' && s !== null && isDocumentUri(s.documentUri) && isIndex(s.baseOffset);
    return ok ? { documentUri: s.documentUri as string, baseOffset: s.baseOffset as number } : { documentUri: undefined, baseOffset: 0 };
  });
}
