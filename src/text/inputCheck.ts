/**
 * Checks on the text a user asks to classify, before any model work: empty input, binary content, size.
 * No `vscode` import; the commands and the CLI turn the codes into messages in the user's language.
 */

export type TextInputProblem =
  | { readonly kind: 'empty' }
  | { readonly kind: 'binary'; readonly reason: 'nul' | 'invalid-utf8' | 'control-characters' }
  | { readonly kind: 'too-large'; readonly sizeBytes: number; readonly limitBytes: number };

/** How much of the start of a file the control-character heuristic looks at (as `git` and `file` do). */
const SNIFF_BYTES = 8192;

/** Empty or whitespace-only text has nothing to classify. */
export function isBlank(text: string): boolean {
  return text.trim().length === 0;
}

/** Bytes per step of the whole-input check: each step's decoded text is dropped at once. */
const SCAN_CHUNK = 64 * 1024;

/**
 * Binary-content checks on raw bytes: a NUL byte or bytes that are not valid UTF-8 anywhere in the input
 * (checked in 64 KiB steps with a streaming decoder, so a NUL or a stray byte after the first 8 KiB is caught
 * without a second copy of the input), or more than 10 % control characters (other than tab, newline,
 * carriage return, form feed, escape) in the first 8 KiB. `truncated`: the bytes are the start of a longer
 * file, so a multi-byte sequence cut at their end is not counted as invalid.
 */
export function detectBinaryBytes(bytes: Uint8Array, options: { truncated?: boolean } = {}): TextInputProblem | undefined {
  if (bytes.includes(0)) return { kind: 'binary', reason: 'nul' };
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const whole = options.truncated ? trimIncompleteUtf8(bytes, true) : bytes;
  try {
    for (let at = 0; at < whole.length; at += SCAN_CHUNK) decoder.decode(whole.subarray(at, at + SCAN_CHUNK), { stream: true });
    decoder.decode();
  } catch {
    return { kind: 'binary', reason: 'invalid-utf8' };
  }
  const head = bytes.subarray(0, SNIFF_BYTES);
  let control = 0;
  for (const b of head) if (b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12 && b !== 27) control++;
  if (head.length > 0 && control / head.length > 0.1) return { kind: 'binary', reason: 'control-characters' };
  return undefined;
}

/**
 * The same heuristics on text VS Code already decoded (an open document): NUL characters, U+FFFD
 * replacement characters left by invalid bytes, or a high share of control characters.
 */
export function detectBinaryText(text: string): TextInputProblem | undefined {
  // NUL and U+FFFD are looked for in the whole text (a NUL after the first 8 KiB is still binary content).
  if (text.includes('\u0000')) return { kind: 'binary', reason: 'nul' };
  let replacement = 0;
  for (let at = text.indexOf('\ufffd'); at >= 0; at = text.indexOf('\ufffd', at + 1)) replacement++;
  // A few U+FFFD can be legitimate text; many mean the bytes were not UTF-8.
  if (text.length > 0 && replacement / text.length > 0.01 && replacement >= 4) return { kind: 'binary', reason: 'invalid-utf8' };
  const head = text.slice(0, SNIFF_BYTES);
  let control = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12 && c !== 27) control++;
  }
  if (head.length > 0 && control / head.length > 0.1) return { kind: 'binary', reason: 'control-characters' };
  return undefined;
}

/** Size check in UTF-8 bytes (what "1024 KB" means to a user looking at the file on disk). */
export function checkSize(sizeBytes: number, limitKB: number): TextInputProblem | undefined {
  const limitBytes = Math.max(1, Math.floor(limitKB)) * 1024;
  return sizeBytes > limitBytes ? { kind: 'too-large', sizeBytes, limitBytes } : undefined;
}

/** UTF-8 size of a string without allocating a buffer. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * The longest prefix of `text` whose UTF-8 encoding fits in `limitKB` KiB, never splitting a surrogate
 * pair. Used for "Classify the first N KB" of a file over the size limit.
 */
export function firstKilobytes(text: string, limitKB: number): string {
  const limit = Math.max(1, Math.floor(limitKB)) * 1024;
  let bytes = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    const size = c < 0x80 ? 1 : c < 0x800 ? 2 : pair ? 4 : 3;
    if (bytes + size > limit) break;
    bytes += size;
    i += pair ? 2 : 1;
  }
  return text.slice(0, i);
}

/** Drops a trailing, incomplete UTF-8 sequence when the buffer was cut from a longer file. */
function trimIncompleteUtf8(bytes: Uint8Array, wasCut: boolean): Uint8Array {
  if (!wasCut) return bytes;
  let i = bytes.length - 1;
  let back = 0;
  // Walk back over continuation bytes (10xxxxxx) to the lead byte, at most 3.
  while (i >= 0 && back < 3 && (bytes[i] & 0xc0) === 0x80) {
    i--;
    back++;
  }
  if (i < 0) return bytes;
  const lead = bytes[i];
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return need > back + 1 ? bytes.subarray(0, i) : bytes;
}
