import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Where a path typed into a setting (`modelLab.imageModel`, `modelLab.textModel`) points: `${workspaceFolder}`
 * and a leading `~` (alone, or followed by a separator: `/`, and on Windows also `\`) expanded, a relative path taken from the first workspace
 * folder (else the current directory). One function so both settings accept the same spellings: `~/models` on
 * macOS/Linux and `~\models` on Windows; `~user/…` is left alone (it does not mean this user's home).
 * No `vscode` import: the caller passes the workspace folder.
 */
export function resolveSettingPath(configured: string, workspaceFolder: string | undefined, home: string = os.homedir(), sep: string = path.sep): string {
  let expanded = configured.trim().replace(/^\$\{workspaceFolder\}/, workspaceFolder ?? '.');
  if (expanded === '~' || expanded.startsWith('~/') || expanded.startsWith(`~${sep}`)) expanded = path.join(home, expanded.slice(1));
  if (path.isAbsolute(expanded)) return path.normalize(expanded);
  return workspaceFolder ? path.join(workspaceFolder, expanded) : path.resolve(expanded);
}
