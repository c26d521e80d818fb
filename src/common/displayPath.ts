/**
 * How a file path reads in a panel heading or label: relative to the workspace (short, stable between machines),
 * `~/…` under the home folder, otherwise the base name; the full path always goes in the tooltip. One helper so
 * every panel shows paths the same way (issue #12 §4: a temp path spread over three lines in a heading).
 * Pure (no `vscode`): `src/ui/workspacePath.ts` supplies the workspace folders and home.
 */
import * as path from 'node:path';

export interface DisplayPathContext {
  /** Open workspace folders, first one first; with more than one, the folder name prefixes the relative path (as VS Code does). */
  readonly workspaceFolders: readonly { readonly name: string; readonly fsPath: string }[];
  readonly home?: string;
  /** `path.win32` for Windows paths; defaults to this platform's. */
  readonly pathApi?: path.PlatformPath;
}

export interface DisplayPath {
  /** What the label shows. */
  readonly text: string;
  /** The full path, for a tooltip. */
  readonly title: string;
}

/** `child` relative to `parent` with `/` separators, or undefined when it lies outside (or on another drive). */
function inside(p: path.PlatformPath, parent: string, child: string): string | undefined {
  const rel = p.relative(parent, child);
  if (rel === '') return '';
  if (rel === '..' || rel.startsWith(`..${p.sep}`) || p.isAbsolute(rel)) return undefined;
  return rel.split(p.sep).join('/');
}

export function displayPath(file: string, context: DisplayPathContext): DisplayPath {
  const p = context.pathApi ?? path;
  const full = p.normalize(file);
  const folders = context.workspaceFolders;
  // The innermost folder wins when workspace folders nest.
  let best: { name: string; rel: string } | undefined;
  for (const folder of folders) {
    const rel = inside(p, folder.fsPath, full);
    if (rel !== undefined && (!best || rel.length < best.rel.length)) best = { name: folder.name, rel };
  }
  if (best) {
    const text = folders.length > 1 ? (best.rel ? `${best.name}/${best.rel}` : best.name) : best.rel || best.name;
    return { text, title: full };
  }
  if (context.home) {
    const rel = inside(p, context.home, full);
    if (rel !== undefined) return { text: rel ? `~/${rel}` : '~', title: full };
  }
  return { text: p.basename(full) || full, title: full };
}
