/**
 * Where a trained model folder goes, and how it replaces an old one without ever losing data.
 *
 * - {@link checkOutputFolder} decides up front whether `out` may be written: nothing there, an empty folder, or
 *   (only with `replaceModel`) a folder that already holds a model (config.json and a model file). Anything else
 *   — a file, a symbolic link, a folder with other content, a folder that holds the training data — is refused
 *   whatever the flags, because deleting it would lose the user's data.
 * - {@link writeFolderAtomically} writes the new folder beside the old one, then swaps with two renames
 *   (old → backup, new → out) and deletes the backup. A journal file written before anything else names the
 *   temporary and backup folders, so a run interrupted at any step (Ctrl+C, a crash, a killed worker) leaves
 *   either the old model or the new one complete, and the next run ({@link recoverInterruptedWrites}) removes
 *   exactly the leftovers the journal proves are its own — never anything else.
 * - The parent folder is created one level at a time (never `mkdirSync(…, { recursive: true })`, which spins
 *   forever under /proc), and virtual file systems are refused at once.
 *
 * No `vscode` import: the CLI, the training worker and the training scripts all use this.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { CodedError, type ErrorArg } from '../common/errors';
import { isInsideFolder, isPathWithin, nearestExisting } from '../common/insideFolder';
import { MODEL_FILE_LIMITS, readTextFileBoundedSync, type ReadLimit } from '../common/fileInput';

/** A replace journal is a few hundred bytes. */
const JOURNAL_LIMIT: ReadLimit = { maxBytes: 64 * 1024, purpose: 'a model-folder replace journal' };

export type OutputFolderProblem =
  | 'is-file'
  | 'is-symlink'
  | 'not-a-model-folder'
  | 'model-folder-needs-replace'
  | 'contains-input'
  | 'virtual-file-system'
  | 'parent-not-directory'
  | 'parent-not-writable';

/** `out` cannot be written; the message says why and what to do. Nothing was changed on disk. */
export class OutputFolderError extends CodedError {
  constructor(
    override readonly code: OutputFolderProblem,
    template: string,
    args: readonly ErrorArg[],
  ) {
    super(code, template, args);
    this.name = 'OutputFolderError';
  }
}

/** What is at the output path now. */
export type OutputFolderState =
  | { kind: 'absent' }
  | { kind: 'empty-folder' }
  /** A model folder: `files` counts every file below it (what a replace deletes). */
  | { kind: 'model-folder'; files: number; labels: string[] };

const MODEL_FILES = ['model.onnx', path.join('onnx', 'model.onnx'), 'model.int8.onnx', 'model.json'];
const VIRTUAL_ROOTS = ['/proc', '/sys', '/dev'];

/** True when `dir` holds config.json and a model file: the only kind of folder a training run may replace. */
export function isModelFolder(dir: string): boolean {
  const isFile = (p: string) => {
    try {
      return fs.lstatSync(p).isFile();
    } catch {
      return false;
    }
  };
  return isFile(path.join(dir, 'config.json')) && MODEL_FILES.some((f) => isFile(path.join(dir, f)));
}

function countFiles(dir: string): number {
  let n = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) if (!entry.isDirectory()) n++;
  return n;
}

function labelsOf(dir: string): string[] {
  try {
    const config = JSON.parse(readTextFileBoundedSync(path.join(dir, 'config.json'), MODEL_FILE_LIMITS.config)) as { id2label?: Record<string, unknown> };
    return Object.values(config.id2label ?? {}).filter((v): v is string => typeof v === 'string');
  } catch {
    return [];
  }
}


function checkParent(out: string): void {
  const parent = path.dirname(out);
  const existing = nearestExisting(parent).realPath;
  if (process.platform !== 'win32' && VIRTUAL_ROOTS.some((root) => isInsideFolder(root, existing))) {
    throw new OutputFolderError('virtual-file-system', '{0} is inside {1}, a virtual file system where files cannot be stored; choose a folder on a disk.', [out, existing]);
  }
  let stat: fs.Stats;
  try {
    stat = fs.statSync(existing);
  } catch {
    throw new OutputFolderError('parent-not-directory', 'No folder on the path to {0} exists; choose another output folder.', [out]);
  }
  if (!stat.isDirectory()) throw new OutputFolderError('parent-not-directory', '{0} is a file, so {1} cannot be created below it; choose another output folder.', [existing, out]);
  try {
    fs.accessSync(existing, fs.constants.W_OK);
  } catch {
    throw new OutputFolderError('parent-not-writable', '{0} is not writable, so {1} cannot be created; choose a folder you can write to.', [existing, out]);
  }
}

/**
 * Decides whether a training run may write `out` and returns what is there now. `inputs` are paths the run
 * reads (the data file, an encoder folder): an `out` that contains one of them is refused. A model folder is
 * replaced only when `replaceModel` is set (the CLI's `--force`, or the user's answer to the command's question).
 */
export function checkOutputFolder(out: string, opts: { replaceModel?: boolean; inputs?: readonly string[] } = {}): OutputFolderState {
  const abs = path.resolve(out);
  for (const input of opts.inputs ?? []) {
    // As written or with links followed: either way, replacing `out` would take the input with it.
    if (isPathWithin(abs, input) || isInsideFolder(abs, input)) {
      throw new OutputFolderError('contains-input', '{0} contains {1}, which this run reads; replacing the folder would delete it. Choose another output folder.', [abs, input]);
    }
  }
  let stat: fs.Stats | undefined;
  try {
    stat = fs.lstatSync(abs);
  } catch {
    stat = undefined;
  }
  if (!stat) {
    checkParent(abs);
    return { kind: 'absent' };
  }
  if (stat.isSymbolicLink()) throw new OutputFolderError('is-symlink', '{0} is a symbolic link; Model Lab does not replace links. Enter the folder\'s real path or another folder.', [abs]);
  if (!stat.isDirectory()) throw new OutputFolderError('is-file', '{0} is a file, not a folder; Model Lab never replaces it. Choose a folder path for the model.', [abs]);
  checkParent(abs);
  if (fs.readdirSync(abs).length === 0) return { kind: 'empty-folder' };
  if (!isModelFolder(abs)) {
    throw new OutputFolderError('not-a-model-folder', '{0} is not empty and holds no model (config.json and model.onnx); Model Lab never replaces it. Choose a new or empty folder.', [abs]);
  }
  if (!opts.replaceModel) {
    throw new OutputFolderError('model-folder-needs-replace', '{0} already holds a model; pass --force to replace it, or choose another folder.', [abs]);
  }
  return { kind: 'model-folder', files: countFiles(abs), labels: labelsOf(abs) };
}

/** The steps of a replace, for tests that interrupt it. */
export type WriteStep = 'journal' | 'temporary-written' | 'old-moved-aside' | 'new-in-place' | 'done';

interface Journal {
  tool: 'model-lab';
  pid: number;
  target: string;
  temporary: string;
  backup: string;
}

const JOURNAL_INFIX = '.model-lab-write-';

function journalPrefix(out: string): string {
  return `.${path.basename(out)}${JOURNAL_INFIX}`;
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Creates the missing folders above `out` one level at a time (bounded, unlike a recursive mkdir under /proc). */
function makeParents(out: string): void {
  const missing: string[] = [];
  for (let p = path.dirname(out); !fs.existsSync(p); p = path.dirname(p)) {
    missing.unshift(p);
    if (path.dirname(p) === p) break;
  }
  for (const dir of missing) {
    try {
      fs.mkdirSync(dir);
    } catch (err) {
      throw new OutputFolderError('parent-not-writable', '{0} could not be created ({1}); choose another output folder.', [dir, (err as NodeJS.ErrnoException).code ?? (err as Error).message]);
    }
  }
}

/**
 * Finishes or undoes an earlier write to `out` that was interrupted (its journal is beside `out` and its
 * process is gone): a missing `out` gets its old model back from the backup, and the temporary folder, the
 * backup and the journal are removed. Touches only the folders a journal names, and only with our names.
 * Returns what it did, one sentence per action.
 */
export function recoverInterruptedWrites(out: string): string[] {
  const abs = path.resolve(out);
  const parent = path.dirname(abs);
  const done: string[] = [];
  let entries: string[];
  try {
    entries = fs.readdirSync(parent);
  } catch {
    return done;
  }
  const prefix = journalPrefix(abs);
  for (const name of entries.filter((e) => e.startsWith(prefix) && e.endsWith('.json'))) {
    const journalPath = path.join(parent, name);
    let journal: Journal;
    try {
      // A planted FIFO or a huge file with a journal's name must not block or fill memory: bounded, regular files only.
      journal = JSON.parse(readTextFileBoundedSync(journalPath, JOURNAL_LIMIT)) as Journal;
    } catch {
      continue;
    }
    const ours = (p: unknown) => typeof p === 'string' && path.dirname(p) === parent && path.basename(p).startsWith(prefix);
    if (journal.tool !== 'model-lab' || journal.target !== abs || !ours(journal.temporary) || !ours(journal.backup)) continue;
    if (typeof journal.pid !== 'number' || processAlive(journal.pid)) continue;
    if (!fs.existsSync(abs) && fs.existsSync(journal.backup)) {
      fs.renameSync(journal.backup, abs);
      done.push(`restored the previous model to ${abs} (a write was interrupted)`);
    }
    for (const leftover of [journal.temporary, journal.backup]) {
      if (fs.existsSync(leftover)) {
        fs.rmSync(leftover, { recursive: true, force: true });
        done.push(`removed ${leftover} left by an interrupted write`);
      }
    }
    fs.rmSync(journalPath, { force: true });
  }
  return done;
}

/**
 * Writes a folder at `out` atomically: `fill(dir)` writes the files into a temporary folder beside `out`; then
 * `beforeSwap()` may still cancel (throw), and the swap replaces what was at `out` — only what
 * {@link checkOutputFolder} allows with the same `replaceModel` and `inputs`, checked before and again just
 * before the swap. `onStep` is called after each step (tests interrupt there).
 */
export function writeFolderAtomically(
  out: string,
  fill: (dir: string) => void,
  opts: { replaceModel?: boolean; inputs?: readonly string[]; beforeSwap?: () => void; onStep?: (step: WriteStep) => void } = {},
): void {
  const abs = path.resolve(out);
  recoverInterruptedWrites(abs);
  // Checked again here (the caller checked before a long run): the folder may have changed meanwhile.
  checkOutputFolder(abs, { replaceModel: opts.replaceModel, inputs: opts.inputs });
  makeParents(abs);
  const parent = path.dirname(abs);
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const prefix = journalPrefix(abs);
  const journal: Journal = { tool: 'model-lab', pid: process.pid, target: abs, temporary: path.join(parent, `${prefix}${tag}.new`), backup: path.join(parent, `${prefix}${tag}.old`) };
  const journalPath = path.join(parent, `${prefix}${tag}.json`);
  try {
    fs.writeFileSync(journalPath, JSON.stringify(journal) + '\n', { flag: 'wx' });
  } catch (err) {
    throw new OutputFolderError('parent-not-writable', '{0} is not writable ({1}); choose another output folder.', [parent, (err as NodeJS.ErrnoException).code ?? (err as Error).message]);
  }
  opts.onStep?.('journal');
  let swapped = false;
  try {
    fs.mkdirSync(journal.temporary);
    fill(journal.temporary);
    opts.onStep?.('temporary-written');
    opts.beforeSwap?.();
    checkOutputFolder(abs, { replaceModel: opts.replaceModel, inputs: opts.inputs });
    const hadOld = fs.existsSync(abs);
    if (hadOld) {
      fs.renameSync(abs, journal.backup);
      opts.onStep?.('old-moved-aside');
    }
    try {
      fs.renameSync(journal.temporary, abs);
    } catch (err) {
      if (hadOld) fs.renameSync(journal.backup, abs);
      throw err;
    }
    swapped = true;
    opts.onStep?.('new-in-place');
    fs.rmSync(journal.backup, { recursive: true, force: true });
    fs.rmSync(journalPath, { force: true });
    opts.onStep?.('done');
  } finally {
    if (!swapped) {
      fs.rmSync(journal.temporary, { recursive: true, force: true });
      fs.rmSync(journalPath, { force: true });
    }
  }
}
