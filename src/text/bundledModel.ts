/**
 * Where the bundled text model lives. No `vscode` import: the extension passes its own root, the CLI
 * finds it next to its bundle.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const BUNDLED_TEXT_MODEL = 'spam-bert-tiny';

/** The bundled model inside an extension (or repository) root: `<root>/models/spam-bert-tiny`. */
export function bundledTextModelDir(extensionRoot: string): string {
  return path.join(extensionRoot, 'models', BUNDLED_TEXT_MODEL);
}

/**
 * The bundled model as seen from a running script: `dist/cli.js` → `dist/../models/…`; the TypeScript
 * sources (tests run src/cli/*.ts through tsx) sit one level deeper, so their grandparent is tried too.
 */
export function bundledTextModelDirFrom(scriptDir: string): string {
  const candidates = [path.resolve(scriptDir, '..'), path.resolve(scriptDir, '..', '..')].map(bundledTextModelDir);
  return candidates.find((c) => fs.existsSync(c)) ?? candidates[0];
}
