/**
 * The one loaded model a worker keeps: keyed by what it was loaded from (paths, the modification times of its
 * files, load options), so a re-exported model or a changed setting is picked up on the next request and an
 * unchanged one is never loaded twice. Used by the image and text workers. No `vscode` import.
 */
import * as fs from 'node:fs';

export interface Disposable {
  dispose(): unknown;
}

export class LatestModelCache<T extends Disposable> {
  private current: { readonly key: string; readonly value: Promise<T> } | undefined;

  /**
   * The cached model when `key` matches, else `load()`'s (the previous model is disposed). `loadMs` is 0 for a
   * cache hit. A failed load is not kept: the user may fix the model and try again.
   */
  async get(key: string, load: () => Promise<T>): Promise<{ value: T; loadMs: number }> {
    if (this.current?.key === key) return { value: await this.current.value, loadMs: 0 };
    const previous = this.current;
    const started = performance.now();
    const loading = load();
    this.current = { key, value: loading };
    if (previous) void previous.value.then((v) => v.dispose()).catch(() => undefined);
    try {
      return { value: await loading, loadMs: performance.now() - started };
    } catch (err) {
      if (this.current?.value === loading) this.current = undefined;
      throw err;
    }
  }
}

/** `path:mtime` for each file (`path:-` when absent): the part of a cache key that changes when a file does. */
export function fileStamps(files: readonly string[]): string {
  return files
    .map((f) => {
      try {
        return `${f}:${fs.statSync(f).mtimeMs}`;
      } catch {
        return `${f}:-`;
      }
    })
    .join('|');
}
