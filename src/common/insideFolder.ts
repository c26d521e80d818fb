/**
 * The one "is this inside that folder" check. A model folder names other files (tfjs weight shards, ONNX
 * external data) and a training run must never write over what it reads; a plain prefix test lets
 * `../../secret.bin`, an absolute path or a symbolic link that points out through. Both sides are resolved with
 * `realpath` here, so symbolic links are followed wherever they lead. No `vscode` import.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** True when `target` is `folder` itself or lies below it, comparing the paths as written (no file system). */
export function isPathWithin(folder: string, target: string): boolean {
  const rel = path.relative(path.resolve(folder), path.resolve(target));
  return rel === '' || (rel !== '..' && !rel.startsWith('..' + path.sep) && !path.isAbsolute(rel));
}

/**
 * `p` with every symbolic link resolved. A path that does not exist (yet) keeps its missing tail below the
 * nearest ancestor that does, which is resolved: where the folder a run will create really ends up.
 */
export function realPathOf(p: string): string {
  const abs = path.resolve(p);
  const ancestor = nearestExisting(abs);
  return path.join(ancestor.realPath, path.relative(ancestor.path, abs));
}

/** The nearest ancestor of `p` that exists (`p` itself included), and its real path; the root when none does. */
export function nearestExisting(p: string): { path: string; realPath: string } {
  let current = path.resolve(p);
  for (;;) {
    try {
      return { path: current, realPath: fs.realpathSync(current) };
    } catch {
      const up = path.dirname(current);
      if (up === current) return { path: current, realPath: current };
      current = up;
    }
  }
}

/** True when `target`, with symbolic links followed, is `folder` (also resolved) or lies below it. */
export function isInsideFolder(folder: string, target: string): boolean {
  return isPathWithin(realPathOf(folder), realPathOf(target));
}

/**
 * Where a path a model file names, relative to its folder, really is:
 * - `outside` for an absolute path, a `..` that climbs out, or a symbolic link that leads out;
 * - `missing` when nothing is there (`path` is where it would be);
 * - `inside` with the path as named and its real path (what to open).
 */
export type FolderEntry = { kind: 'inside'; path: string; realPath: string } | { kind: 'missing'; path: string } | { kind: 'outside' };

export function resolveInsideFolder(folder: string, relative: string): FolderEntry {
  const dir = path.resolve(folder);
  const target = path.resolve(dir, relative);
  if (path.isAbsolute(relative) || !isPathWithin(dir, target)) return { kind: 'outside' };
  let real: string;
  try {
    real = fs.realpathSync(target);
  } catch {
    return { kind: 'missing', path: target };
  }
  return isPathWithin(realPathOf(dir), real) ? { kind: 'inside', path: target, realPath: real } : { kind: 'outside' };
}
