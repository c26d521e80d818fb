/**
 * The one way Model Lab reads a file a user (or a model folder) names: only regular files, size checked before
 * the read, and the read itself capped. `/dev/zero`, a FIFO, a socket or a folder is refused at once instead
 * of growing to many GB or blocking forever; a file that grows while it is read is cut at the cap. No `vscode`
 * import.
 *
 * Errors are CodedErrors (src/common/errors.ts): they cross a worker boundary as data and are translated in
 * one place.
 */
import * as fs from 'node:fs';
import { CodedError } from './errors';

export type FileInputErrorCode = 'fileMissing' | 'fileNotRegular' | 'fileTooLarge' | 'fileUnreadable';

/** English templates; `{0}`, `{1}`… are filled from `args`. Also the keys of l10n/bundle.l10n.zh-cn.json. */
export const fileInputTemplates: Record<FileInputErrorCode, string> = {
  fileMissing: 'The file {0} does not exist.',
  fileNotRegular: '{0} is {1}, not a regular file. Choose an ordinary file.',
  fileTooLarge: 'The file {0} is {1}, more than the {2} limit for {3}.',
  fileUnreadable: 'Could not read {0}: {1}',
};

/** A file-input error of the one error model (src/common/errors.ts), with the size found for `fileTooLarge`. */
export class FileInputError extends CodedError {
  constructor(
    override readonly code: FileInputErrorCode,
    args: readonly string[],
    /** For `fileTooLarge`: the size found (a lower bound when the file grew while it was read). */
    readonly sizeBytes?: number,
  ) {
    super(code, fileInputTemplates[code], args);
  }
}

export interface ReadLimit {
  /** The most bytes the caller accepts. */
  readonly maxBytes: number;
  /** What the limit is for, in the message: "an image", "a quiz file", "the text to classify". */
  readonly purpose: string;
}

const MiB = 1024 * 1024;

/**
 * Limits for the small files of a model folder, each several times the largest real one we know of: Hugging
 * Face configs are a few KB (a `model_lab` block with per-label statistics stays well under 1 MB); vocab.txt of
 * multilingual BERT (119,547 tokens) is ~1 MB; tokenizer.json of a 250k-token multilingual model is ~17 MB;
 * tokenizer_config.json with an `added_tokens_decoder` for thousands of tokens is a few MB; a tfjs model.json
 * holds the topology and the weight manifest, not the weights. labels.txt is one label a line.
 */
export const MODEL_FILE_LIMITS = {
  config: { maxBytes: 16 * MiB, purpose: 'a model config.json' },
  vocabText: { maxBytes: 32 * MiB, purpose: 'a vocab.txt' },
  tokenizerJson: { maxBytes: 128 * MiB, purpose: 'a tokenizer.json' },
  tokenizerConfig: { maxBytes: 16 * MiB, purpose: 'a tokenizer_config.json' },
  tfjsModelJson: { maxBytes: 64 * MiB, purpose: 'a model.json' },
  labels: { maxBytes: 16 * MiB, purpose: 'a labels.txt' },
} as const satisfies Record<string, ReadLimit>;

/** readFileBoundedSync decoded as UTF-8 (invalid sequences become U+FFFD, as `fs.readFileSync(file, 'utf8')` does). */
export function readTextFileBoundedSync(file: string, limit: ReadLimit): string {
  return readFileBoundedSync(file, limit).toString('utf8');
}

/** "12.3 MB", "900 KB", "17 bytes": sizes in messages. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 * 1024) return `${(bytes / (1024 * 1024 * 1024)).toFixed(1)} GB`;
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.ceil(bytes / 1024)} KB`;
  return `${bytes} byte${bytes === 1 ? '' : 's'}`;
}

/** What a non-regular file is, for messages: "a folder", "a pipe (FIFO)", "a character device"… */
export function kindOf(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a pipe (FIFO)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'a special file';
}

// O_NONBLOCK keeps open() of a FIFO from waiting for a writer (it has no effect on regular files); it does
// not exist on Windows, where FIFOs do not appear in the file system.
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

function openError(err: unknown, file: string): FileInputError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new FileInputError('fileMissing', [file]);
  if (code === 'EISDIR') return new FileInputError('fileNotRegular', [file, 'a folder']);
  if (code === 'EACCES' || code === 'EPERM') return new FileInputError('fileUnreadable', [file, 'permission denied']);
  return new FileInputError('fileUnreadable', [file, err instanceof Error ? err.message : String(err)]);
}

/** Checks what `fstat` says about an open file against the limit; returns the size to read. */
function checkOpened(stat: fs.Stats, file: string, limit: ReadLimit): number {
  if (!stat.isFile()) throw new FileInputError('fileNotRegular', [file, kindOf(stat)]);
  if (stat.size > limit.maxBytes) throw new FileInputError('fileTooLarge', [file, formatBytes(stat.size), formatBytes(limit.maxBytes), limit.purpose], stat.size);
  return stat.size;
}

/**
 * Reads a regular file of at most `limit.maxBytes` bytes. Throws FileInputError: `fileMissing`,
 * `fileNotRegular` (folder, device, FIFO, socket), `fileTooLarge` (checked before reading, and again if the
 * file grew while it was read), `fileUnreadable`.
 */
export function readFileBoundedSync(file: string, limit: ReadLimit): Buffer {
  let fd: number;
  try {
    fd = fs.openSync(file, OPEN_FLAGS);
  } catch (err) {
    throw openError(err, file);
  }
  try {
    const size = checkOpened(fs.fstatSync(fd), file, limit);
    // One byte more than the limit, to notice a file that grew after fstat.
    const buffer = Buffer.allocUnsafe(Math.min(limit.maxBytes + 1, Math.max(size, 64 * 1024)));
    let filled = 0;
    for (;;) {
      if (filled === buffer.length) break;
      const n = fs.readSync(fd, buffer, filled, buffer.length - filled, null);
      if (n === 0) break;
      filled += n;
    }
    return readResult(buffer, filled, file, limit);
  } catch (err) {
    throw readError(err, file);
  } finally {
    fs.closeSync(fd);
  }
}

/** The bytes read, or the size error when the file held more than the limit (the buffer is one byte larger to tell). */
function readResult(buffer: Buffer, filled: number, file: string, limit: ReadLimit): Buffer {
  if (filled > limit.maxBytes) throw new FileInputError('fileTooLarge', [file, `more than ${formatBytes(limit.maxBytes)}`, formatBytes(limit.maxBytes), limit.purpose], filled);
  return buffer.subarray(0, filled);
}

/** A read failure as the user-facing error (our own errors pass through). */
function readError(err: unknown, file: string): FileInputError {
  if (err instanceof FileInputError) return err;
  return new FileInputError('fileUnreadable', [file, err instanceof Error ? err.message : String(err)]);
}

/** readFileBoundedSync without blocking the event loop. */
export async function readFileBounded(file: string, limit: ReadLimit): Promise<Buffer> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, OPEN_FLAGS);
  } catch (err) {
    throw openError(err, file);
  }
  try {
    const size = checkOpened(await handle.stat(), file, limit);
    const buffer = Buffer.allocUnsafe(Math.min(limit.maxBytes + 1, Math.max(size, 64 * 1024)));
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, null);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return readResult(buffer, filled, file, limit);
  } catch (err) {
    throw readError(err, file);
  } finally {
    await handle.close();
  }
}

/** True for a FileInputError thrown by this module (callers check right after their own read). */
export function isFileInputError(err: unknown): err is FileInputError {
  return err instanceof FileInputError;
}

/** The error as a clause for messages that already name the file: "it is a pipe (FIFO), not a regular file". */
export function fileInputReason(err: FileInputError): string {
  switch (err.code) {
    case 'fileMissing':
      return 'the file does not exist';
    case 'fileNotRegular':
      return `it is ${err.args[1]}, not a regular file`;
    case 'fileTooLarge':
      return `it is ${err.args[1]}, more than the ${err.args[2]} limit for ${err.args[3]}`;
    case 'fileUnreadable':
      return err.args[1] ?? err.message;
  }
}
