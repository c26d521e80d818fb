/**
 * The last classifications of this window, for the "Recent results" view: what was classified, the label and
 * its probability, and how to show the result again. Kept in memory only: a result panel's content (probability
 * bars, the model's input, window ranges) belongs to the window that computed it.
 */
import * as vscode from 'vscode';
import type { ModelLabContext } from '../context';

export interface RecentResult {
  readonly kind: 'image' | 'text';
  /** The file (or document) classified; undefined for text with no document. */
  readonly uri?: vscode.Uri;
  /** What the user recognises: a file name, "selection, lines 3–7 of notes.md". */
  readonly source: string;
  readonly label: string;
  readonly probability: number;
  readonly at: number;
  /** Shows the result panel again with this result. */
  readonly reopen: () => void;
}

const LIMIT = 20;

export class RecentResults implements vscode.Disposable {
  private readonly items: RecentResult[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  add(result: RecentResult): void {
    this.items.unshift(result);
    this.items.length = Math.min(this.items.length, LIMIT);
    this.changed.fire();
  }

  list(): readonly RecentResult[] {
    return this.items;
  }

  clear(): void {
    this.items.length = 0;
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}

const stores = new WeakMap<ModelLabContext, RecentResults>();

/** The window's one list of recent results, created on first use and disposed with the extension. */
export function recentResults(ctx: ModelLabContext): RecentResults {
  let store = stores.get(ctx);
  if (!store) {
    store = new RecentResults();
    stores.set(ctx, store);
    ctx.extensionContext.subscriptions.push(store);
  }
  return store;
}
