/**
 * Character classes of BERT's BasicTokenizer (google-research/bert `tokenization.py`, Hugging Face
 * `tokenization_bert.py`), precomputed into a 64 KiB table for the Basic Multilingual Plane so the hot
 * loop does one array read per UTF-16 code unit instead of a Unicode regex test.
 *
 * No `vscode` import.
 */

/** A character that belongs to a word. */
export const CHAR_WORD = 0;
/** Whitespace: space, \t, \n, \r and Unicode `Zs`. Separates words. */
export const CHAR_SPACE = 1;
/**
 * Removed by `_clean_text`: U+0000, U+FFFD and every "control" (category C*, except \t \n \r, which are
 * whitespace). Removal joins its neighbours: `"ab\u0000cd"` is one word, as in the Python original.
 * Lone surrogates are category Cs, so they are removed too.
 */
export const CHAR_REMOVED = 2;
/** Punctuation: ASCII 33–47, 58–64, 91–96, 123–126 and Unicode `P*`. One token each. */
export const CHAR_PUNCT = 3;
/** A CJK ideograph (`_is_chinese_char`), one token each when `tokenizeChineseChars` is on. */
export const CHAR_CJK = 4;

export type CharClass = typeof CHAR_WORD | typeof CHAR_SPACE | typeof CHAR_REMOVED | typeof CHAR_PUNCT | typeof CHAR_CJK;

const CONTROL_RE = /^\p{C}$/u;
const SPACE_SEP_RE = /^\p{Zs}$/u;
const PUNCT_RE = /^\p{P}$/u;

/** google-research/bert `_is_chinese_char`: the CJK Unified Ideographs blocks, including the astral ones. */
export function isCjkCodePoint(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b820 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

function isAsciiPunct(cp: number): boolean {
  return (cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126);
}

/** Classifies one code point from scratch (slow path; the tables below cache it). */
export function classifyCodePoint(cp: number, tokenizeChineseChars: boolean): CharClass {
  if (cp === 0x20 || cp === 0x09 || cp === 0x0a || cp === 0x0d) return CHAR_SPACE;
  if (cp === 0 || cp === 0xfffd) return CHAR_REMOVED;
  // Lone surrogates cannot go through String.fromCodePoint + a /u regex meaningfully: they are Cs.
  if (cp >= 0xd800 && cp <= 0xdfff) return CHAR_REMOVED;
  const ch = String.fromCodePoint(cp);
  // Hugging Face's `_is_control` (and the Rust BertNormalizer) treat every C* category as control.
  if (CONTROL_RE.test(ch)) return CHAR_REMOVED;
  if (SPACE_SEP_RE.test(ch)) return CHAR_SPACE;
  if (isAsciiPunct(cp) || PUNCT_RE.test(ch)) return CHAR_PUNCT;
  if (tokenizeChineseChars && isCjkCodePoint(cp)) return CHAR_CJK;
  return CHAR_WORD;
}

const bmpTables = new Map<boolean, Uint8Array>();

/** The class of every BMP code unit (surrogate halves → removed; pairs are handled by the caller). */
export function bmpClassTable(tokenizeChineseChars: boolean): Uint8Array {
  let table = bmpTables.get(tokenizeChineseChars);
  if (!table) {
    table = new Uint8Array(0x10000);
    for (let cp = 0; cp < 0x10000; cp++) table[cp] = classifyCodePoint(cp, tokenizeChineseChars);
    bmpTables.set(tokenizeChineseChars, table);
  }
  return table;
}

const astralCache = [new Map<number, CharClass>(), new Map<number, CharClass>()];

/** Class of a supplementary-plane code point (emoji, astral CJK, …), memoised. */
export function astralClass(cp: number, tokenizeChineseChars: boolean): CharClass {
  const cache = astralCache[tokenizeChineseChars ? 1 : 0];
  let cls = cache.get(cp);
  if (cls === undefined) {
    cls = classifyCodePoint(cp, tokenizeChineseChars);
    // Bounded: random astral text must not grow the cache without limit.
    if (cache.size < 65536) cache.set(cp, cls);
  }
  return cls;
}
