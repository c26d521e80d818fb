/**
 * Keeps one loaded TextClassifier (ORT session + tokenizer) per worker, keyed by the model folder, the
 * modification times of its files and the thread count: a re-exported model or a changed setting is
 * picked up on the next request, and an unchanged one is never loaded twice. No `vscode` import.
 */
import * as path from 'node:path';
import { loadTextModel, modelFolderStamp, type TextClassifier } from './textClassifier';

let current: { key: string; classifier: Promise<TextClassifier> } | undefined;

export async function getClassifier(modelDir: string, threads: number): Promise<{ classifier: TextClassifier; loadMs: number }> {
  const dir = path.resolve(modelDir);
  const key = `${dir}\u0000${threads}\u0000${modelFolderStamp(dir)}`;
  if (current?.key === key) {
    try {
      return { classifier: await current.classifier, loadMs: 0 };
    } catch {
      // A failed load is not cached: the user may have fixed the folder since.
      current = undefined;
    }
  }
  const previous = current;
  const started = performance.now();
  const loading = loadTextModel(dir, { threads });
  current = { key, classifier: loading };
  if (previous) void previous.classifier.then((c) => c.dispose()).catch(() => undefined);
  try {
    return { classifier: await loading, loadMs: performance.now() - started };
  } catch (err) {
    if (current?.classifier === loading) current = undefined;
    throw err;
  }
}
