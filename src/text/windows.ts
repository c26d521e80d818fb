/**
 * Splits a long token sequence into model-sized windows. No `vscode` import.
 *
 * Why this shape: a BERT sees at most `max_position_embeddings` positions, two of which go to `[CLS]` and
 * `[SEP]`, so a document longer than that is read as overlapping windows. Windows start every
 * `length - overlap` tokens; when the remainder at the end is shorter than a full window, the last window
 * is moved back so it ends at the last token — it then overlaps its neighbour more than the others do, but
 * it sees as much context as every other window instead of a few stray tokens.
 */

/** One window over the document's tokens (special tokens excluded) and its character range. */
export interface TextWindow {
  readonly index: number;
  /** First token index (inclusive) into the document's token list. */
  readonly tokenStart: number;
  /** Last token index (exclusive). */
  readonly tokenEnd: number;
  /** UTF-16 offset of the window's first character in the classified text. */
  readonly charStart: number;
  /** UTF-16 offset just past the window's last character. */
  readonly charEnd: number;
}

export interface WindowPlan {
  readonly windows: TextWindow[];
  /** Content tokens per window (the model length minus the special tokens). */
  readonly contentLength: number;
  /** The overlap actually used (clamped so that every window advances by at least one token). */
  readonly overlap: number;
  readonly stride: number;
}

/**
 * @param offsets one `[start, end)` UTF-16 range per token, in order
 * @param contentLength tokens per window without special tokens (≥ 1)
 * @param overlap tokens shared by neighbouring windows; clamped to `[0, contentLength / 2]` so a window
 *   never repeats more than half of the previous one (more would multiply the work for little gain)
 */
export function planWindows(offsets: readonly (readonly [number, number])[], contentLength: number, overlap: number): WindowPlan {
  if (!Number.isInteger(contentLength) || contentLength < 1) {
    throw new Error(`The window length must be a positive whole number of tokens (got ${contentLength}).`);
  }
  const usedOverlap = Math.max(0, Math.min(Math.floor(overlap) || 0, Math.floor(contentLength / 2)));
  const stride = contentLength - usedOverlap;
  const n = offsets.length;
  const starts: number[] = [];
  if (n > 0) {
    for (let start = 0; ; start += stride) {
      if (start + contentLength >= n) {
        // Last window: end exactly at the last token, keeping a full window when the text allows.
        const last = Math.max(0, n - contentLength);
        if (starts.length === 0 || last > starts[starts.length - 1]) starts.push(last);
        break;
      }
      starts.push(start);
    }
  }
  const windows = starts.map((tokenStart, index): TextWindow => {
    const tokenEnd = Math.min(n, tokenStart + contentLength);
    return { index, tokenStart, tokenEnd, charStart: offsets[tokenStart][0], charEnd: offsets[tokenEnd - 1][1] };
  });
  return { windows, contentLength, overlap: usedOverlap, stride };
}

/** Groups items into consecutive batches of at most `size`. */
export function batches<T>(items: readonly T[], size: number): T[][] {
  const step = Math.max(1, Math.floor(size));
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += step) out.push(items.slice(i, i + step));
  return out;
}
