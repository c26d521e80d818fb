/**
 * Issue #17 defect 14: tokenizer offsets must cover the source characters of every non-special token, so
 * highlights and explanations land on the right text. The rule is Hugging Face tokenizers' (BertNormalizer with
 * NFD + strip accents, BertPreTokenizer, WordPiece): every normalised character keeps the original character it
 * came from, and a piece spans from its first normalised character's source to its last one's. Characters that
 * normalisation removes (stripped accents, controls) are covered only between two kept characters.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WordPieceTokenizer } from '../../../src/text/tokenizer';
import { classifyCodePoint, CHAR_REMOVED } from '../../../src/text/tokenizer/charClass';
import { bertBaseUncasedVocabTxt } from '../../../src/train/text/vocab';

const uncased = WordPieceTokenizer.fromVocabText(bertBaseUncasedVocabTxt());

function pieces(text: string, t = uncased): { token: string; offsets: [number, number]; source: string }[] {
  const r = t.tokenize(text);
  return r.tokens.map((token, k) => ({ token, offsets: r.offsets[k], source: text.slice(...r.offsets[k]) }));
}

test('defect 14 (Hangul "abc 툴" gives zero-width offsets [4,4],[4,4]): each jamo piece of a syllable covers the syllable', () => {
  assert.deepEqual(pieces('abc 툴'), [
    { token: 'abc', offsets: [0, 3], source: 'abc' },
    { token: 'ᄐ', offsets: [4, 5], source: '툴' },
    { token: '##ᅮ', offsets: [4, 5], source: '툴' },
    { token: '##ᆯ', offsets: [4, 5], source: '툴' },
  ]);
  // A word of several syllables: every piece covers the syllable its jamo came from, never an empty range.
  const korean = pieces('말 한국어');
  assert.deepEqual(
    korean.map((p) => p.source),
    ['말', '말', '말', '한', '한', '한', '국', '국', '국', '어', '어'],
  );
  for (const p of korean) assert.ok(p.offsets[0] < p.offsets[1], `${p.token} has an empty range`);
  // encode() (what the classifier and the explanations use) carries the same offsets.
  const enc = uncased.encode('abc 툴');
  assert.deepEqual(enc.offsets, [[0, 0], [0, 3], [4, 5], [4, 5], [4, 5], [0, 0]]);
});

test('defect 14 (a leading combining mark shifts the first piece): a stripped mark before a word is not part of its first piece', () => {
  assert.deepEqual(pieces('\u0301abcdef'), [
    { token: 'abc', offsets: [1, 4], source: 'abc' },
    { token: '##de', offsets: [4, 6], source: 'de' },
    { token: '##f', offsets: [6, 7], source: 'f' },
  ]);
  assert.deepEqual(pieces('x \u0301\u0302hello'), [
    { token: 'x', offsets: [0, 1], source: 'x' },
    { token: 'hello', offsets: [4, 9], source: 'hello' },
  ]);
  // Trailing marks and controls are not covered either; those between kept letters are.
  assert.deepEqual(pieces('cafe\u0301 ab\u0000cd\u0000'), [
    { token: 'cafe', offsets: [0, 4], source: 'cafe' },
    { token: 'abc', offsets: [6, 10], source: 'ab\u0000c' },
    { token: '##d', offsets: [10, 11], source: 'd' },
  ]);
  // With accents kept the mark is part of the word, and so of its range.
  const cased = WordPieceTokenizer.fromVocabText(['[UNK]', 'abc', '##\u0301'].join('\n') + '\n', { doLowerCase: false, stripAccents: false });
  assert.deepEqual(pieces('abc\u0301', cased), [
    { token: 'abc', offsets: [0, 3], source: 'abc' },
    { token: '##\u0301', offsets: [3, 4], source: '\u0301' },
  ]);
});

/** What the uncased tokenizer makes of one source range, character by character (as BertNormalizer does). */
function normalise(source: string): string {
  let out = '';
  for (const ch of source) {
    const cp = ch.codePointAt(0)!;
    if (classifyCodePoint(cp, true) === CHAR_REMOVED) continue;
    out += ch.toLowerCase().normalize('NFD').replace(/\p{Mn}/gu, '');
  }
  return out;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('defect 14 (offsets must cover the source characters of every non-special token): 10,000 random strings with Hangul, marks and controls', () => {
  const rnd = mulberry32(14);
  const pools: (() => string)[] = [
    () => String.fromCharCode(0xac00 + Math.floor(rnd() * 11172)), // Hangul syllables (3 jamo after NFD)
    () => String.fromCharCode(0x300 + Math.floor(rnd() * 0x70)), // combining marks
    () => String.fromCharCode(Math.floor(rnd() * 0x20)), // controls, \t \n \r
    () => 'abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ'[Math.floor(rnd() * 53)],
    () => String.fromCharCode(0xc0 + Math.floor(rnd() * 0x200)), // Latin with accents
    () => String.fromCharCode(0x4e00 + Math.floor(rnd() * 0x5200)), // CJK
    () => String.fromCodePoint(0x20000 + Math.floor(rnd() * 0xa6e0)), // astral CJK
    () => ['\uFFFD', '\u00AD', ' ', '.', 'İ', 'ß', 'ﬁ', 'Σ', '[MASK]', 'ǅ'][Math.floor(rnd() * 10)],
  ];
  const special = new Set(uncased.config.neverSplit);
  let checked = 0;
  for (let n = 0; n < 10_000; n++) {
    const len = Math.floor(rnd() * 30);
    let text = '';
    for (let k = 0; k < len; k++) text += pools[Math.floor(rnd() * pools.length)]();
    const r = uncased.tokenize(text);
    r.tokens.forEach((token, k) => {
      const [a, b] = r.offsets[k];
      const where = `${JSON.stringify(token)} [${a},${b}] in ${JSON.stringify(text)}`;
      if (!(a < b)) assert.fail(`empty range: ${where}`);
      if (special.has(token)) return;
      const source = text.slice(a, b);
      // The range starts and ends on characters that normalisation keeps ...
      const first = String.fromCodePoint(source.codePointAt(0)!);
      const lastUnit = source.charCodeAt(source.length - 1);
      const last = lastUnit >= 0xdc00 && lastUnit <= 0xdfff && source.length >= 2 ? source.slice(-2) : source.slice(-1);
      if (!normalise(first) || !normalise(last)) assert.fail(`the range starts or ends on a removed character: ${where}`);
      // ... and holds the text of the piece.
      if (token !== uncased.config.unkToken && !normalise(source).includes(token.replace(/^##/, ''))) {
        assert.fail(`the range does not hold the piece: ${where} (normalised ${JSON.stringify(normalise(source))})`);
      }
      checked++;
    });
  }
  assert.ok(checked > 15_000, `only ${checked} tokens checked`);
});
