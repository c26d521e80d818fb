// The fast WordPiece tokenizer (src/text/tokenizer: scan table, trie, ASCII fast path) against a slow,
// plainly written reference of the same pipeline (BERT's BasicTokenizer + greedy longest-match WordPiece with
// Map lookups on substrings), over a varied corpus and every normalisation setting: ids, offsets and early
// stops must be identical. The reference shares only `classifyCodePoint` (the per-code-point Unicode class,
// tested against the google/Hugging Face vectors in tokenizer.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mulberry32 } from '../../../src/common/random';
import { WordPieceTokenizer, type TokenizerConfig } from '../../../src/text/tokenizer';
import { classifyCodePoint, CHAR_CJK, CHAR_PUNCT, CHAR_REMOVED, CHAR_SPACE } from '../../../src/text/tokenizer/charClass';
import { bertBaseUncasedVocabTxt } from '../../../src/train/text/vocab';
import { loadSpamAssassin, mailToExample } from '../../../src/train/text/spamData';

interface Output {
  ids: number[];
  starts: number[];
  ends: number[];
}

/** The reference: one code point at a time, strings and Maps, no tables, no caches. */
class ReferenceTokenizer {
  private readonly vocab = new Map<string, number>();
  private readonly unkId: number;
  private readonly lower: boolean;
  private readonly strip: boolean;
  /** Memo of `classifyCodePoint` (three Unicode regex tests per call otherwise). */
  private readonly classes = new Map<number, number>();

  constructor(
    vocabLines: string[],
    private readonly cfg: { doLowerCase: boolean; stripAccents: boolean | null; tokenizeChineseChars: boolean; neverSplit: string[]; maxInputCharsPerWord: number },
  ) {
    vocabLines.forEach((t, i) => {
      if (!this.vocab.has(t)) this.vocab.set(t, i);
    });
    this.unkId = this.vocab.get('[UNK]')!;
    this.lower = cfg.doLowerCase;
    this.strip = cfg.stripAccents ?? cfg.doLowerCase;
  }

  tokenize(text: string, limit = Infinity): Output {
    const out: Output = { ids: [], starts: [], ends: [] };
    // Words as [start, end) ranges of the original text, with a flag for "never split" (no normalisation).
    const words: { start: number; end: number; raw: boolean }[] = [];
    let wordStart = -1;
    const neverSplit = [...this.cfg.neverSplit].filter((t) => t).sort((a, b) => b.length - a.length);
    let i = 0;
    while (i < text.length) {
      const hit = neverSplit.find((t) => text.startsWith(t, i));
      if (hit !== undefined) {
        if (wordStart >= 0) words.push({ start: wordStart, end: i, raw: false });
        wordStart = -1;
        words.push({ start: i, end: i + hit.length, raw: true });
        i += hit.length;
        continue;
      }
      const cp = text.codePointAt(i)!;
      const width = cp > 0xffff ? 2 : 1;
      const cls = this.classify(cp);
      if (cls === CHAR_REMOVED) {
        // Removed characters join their neighbours; they start no word.
      } else if (cls === CHAR_SPACE || cls === CHAR_PUNCT || cls === CHAR_CJK) {
        if (wordStart >= 0) words.push({ start: wordStart, end: i, raw: false });
        wordStart = -1;
        if (cls !== CHAR_SPACE) words.push({ start: i, end: i + width, raw: false });
      } else if (wordStart < 0) {
        wordStart = i;
      }
      i += width;
    }
    if (wordStart >= 0) words.push({ start: wordStart, end: text.length, raw: false });
    for (const w of words) {
      this.wordPiece(text, w.start, w.end, w.raw, out);
      if (out.ids.length >= limit) break;
    }
    if (out.ids.length > limit) {
      out.ids.length = limit;
      out.starts.length = limit;
      out.ends.length = limit;
    }
    return out;
  }

  private classify(cp: number): number {
    let cls = this.classes.get(cp);
    if (cls === undefined) {
      cls = classifyCodePoint(cp, this.cfg.tokenizeChineseChars);
      this.classes.set(cp, cls);
    }
    return cls;
  }

  /**
   * Normalises one word (unless raw) keeping each normalised code unit's original character, then WordPiece.
   * A piece spans its first unit's character to its last unit's (Hugging Face's alignment rule).
   */
  private wordPiece(text: string, start: number, end: number, raw: boolean, out: Output): void {
    let norm = '';
    const originStart: number[] = [];
    const originEnd: number[] = [];
    for (let k = start; k < end; ) {
      const cp = text.codePointAt(k)!;
      const width = cp > 0xffff ? 2 : 1;
      let piece = String.fromCodePoint(cp);
      if (!raw) {
        if (this.classify(cp) === CHAR_REMOVED) piece = '';
        else if (cp < 128) piece = this.lower ? piece.toLowerCase() : piece;
        else {
          if (this.lower) piece = piece.toLowerCase();
          if (this.strip) piece = piece.normalize('NFD').replace(/\p{Mn}/gu, '');
        }
      }
      for (let p = 0; p < piece.length; p++) {
        originStart.push(k);
        originEnd.push(k + width);
      }
      norm += piece;
      k += width;
    }
    if (norm.length === 0) return;
    const push = (id: number, s: number, e: number): void => {
      out.ids.push(id);
      out.starts.push(s);
      out.ends.push(e);
    };
    if ([...norm].length > this.cfg.maxInputCharsPerWord) {
      push(this.unkId, originStart[0], originEnd[norm.length - 1]);
      return;
    }
    const first = out.ids.length;
    let from = 0;
    while (from < norm.length) {
      let to = norm.length;
      let id: number | undefined;
      while (to > from) {
        id = this.vocab.get((from > 0 ? '##' : '') + norm.slice(from, to));
        if (id !== undefined) break;
        to--;
      }
      if (id === undefined) {
        out.ids.length = out.starts.length = out.ends.length = first;
        push(this.unkId, originStart[0], originEnd[norm.length - 1]);
        return;
      }
      push(id, originStart[from], originEnd[to - 1]);
      from = to;
    }
  }
}

function corpus(): string[] {
  const docs: string[] = [
    '',
    ' ',
    '\t\n\r ',
    'Hello, world!',
    'UNwant\u00E9d,running',
    'HeLLo!how  \n Are yoU?',
    'A, naïve [MASK] AllenNLP sentence.',
    'x CAFE\u0301 x ÉCOLE Ærøskøbing Straße İstanbul ΣΊΣΥΦΟΣ ﬁnance Ǆemal',
    'ah\u535A\u63A8zz 深度学习 (deep learning) 是机器学习的一个分支。Transformer 的注意力机制…',
    'a\u{20000}\u{20001}b\u{2A700}\u{2F800} 𝐚𝐛𝐜 \u{1D41A}',
    'emoji 😀👍🏽 family 👨‍👩‍👧 flags 🇨🇳🇺🇸 mixed😀word',
    'ab\u0000c\uFFFDd x \u200E\u200F soft\u00ADhyphen zero\u200Bwidth',
    'lone \uD800 high and \uDC00 low surrogates \uD83D',
    '[UNK] [CLS][SEP] [PAD]x[MASK]y [MASK [unk] word[SEP]word',
    'a'.repeat(100),
    'a'.repeat(101) + ' b',
    'supercalifragilisticexpialidocious'.repeat(4),
    'é'.repeat(101),
    '\u{1D41A}'.repeat(101),
    'x'.repeat(60) + '\u0301'.repeat(60),
    'ALLCAPS WORDS AND Numbers 1234567890 3.14159 $100,000.00 user@example.com http://example.com/a?b=c&d=e',
    'Tab\tseparated\u00A0nbsp\u2028line\u2029para\u3000ideographic space',
    '\u0301\u0302 leading marks and trailing e\u0301\u0302',
  ];
  const mails = loadSpamAssassin().slice(0, 300);
  for (const [k, m] of mails.entries()) docs.push(k % 2 ? m.text : mailToExample(m).text);
  const quizDir = path.join(__dirname, '../../../media/quiz');
  for (const file of fs.readdirSync(quizDir).filter((f) => f.endsWith('.quiz.md')).sort()) docs.push(fs.readFileSync(path.join(quizDir, file), 'utf8'));
  const rnd = mulberry32(8);
  const pools: (() => string)[] = [
    () => String.fromCharCode(0x20 + Math.floor(rnd() * 95)),
    () => 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'[Math.floor(rnd() * 52)],
    () => ['the', 'ing', 'tion', 'un', 'want', 'ed', ' ', ' ', '. '][Math.floor(rnd() * 9)],
    () => String.fromCharCode(Math.floor(rnd() * 0x20)),
    () => String.fromCharCode(0xd800 + Math.floor(rnd() * 0x800)),
    () => String.fromCharCode(0x300 + Math.floor(rnd() * 0x70)),
    () => String.fromCharCode(0x4e00 + Math.floor(rnd() * 0x5200)),
    () => String.fromCodePoint(0x20000 + Math.floor(rnd() * 0xa6e0)),
    () => String.fromCodePoint(0x1f300 + Math.floor(rnd() * 0x300)),
    () => String.fromCharCode(0xc0 + Math.floor(rnd() * 0x200)),
    () => String.fromCodePoint(Math.floor(rnd() * 0x110000)),
    () => ['\uFFFD', '\u00AD', '\u200B', '[MASK]', '[UNK', 'İ', 'ß', 'ﬁ', 'Σ', '\u00A0'][Math.floor(rnd() * 10)],
  ];
  for (let n = 0; n < 3000; n++) {
    const len = Math.floor(rnd() * 60);
    let s = '';
    for (let k = 0; k < len; k++) s += pools[Math.floor(rnd() * pools.length)]();
    docs.push(s);
  }
  return docs;
}

const VOCAB_LINES = bertBaseUncasedVocabTxt().split('\n').slice(0, -1);
const DOCS = corpus();

const SETTINGS: { name: string; config: Partial<TokenizerConfig> }[] = [
  { name: 'uncased (default)', config: {} },
  { name: 'cased, accents kept', config: { doLowerCase: false } },
  { name: 'lower-case, accents kept', config: { doLowerCase: true, stripAccents: false } },
  { name: 'cased, accents stripped', config: { doLowerCase: false, stripAccents: true } },
  { name: 'no CJK splitting, short words, no never-split', config: { tokenizeChineseChars: false, maxInputCharsPerWord: 12, neverSplit: [] } },
];

for (const { name, config } of SETTINGS) {
  test(`fast tokenizer = reference on ${DOCS.length} documents (mail, quiz bank, edge cases, random Unicode): ${name}`, () => {
    const fast = WordPieceTokenizer.fromVocabText(VOCAB_LINES.join('\n') + '\n', config);
    const ref = new ReferenceTokenizer(VOCAB_LINES, {
      doLowerCase: fast.config.doLowerCase,
      stripAccents: fast.config.stripAccents ?? null,
      tokenizeChineseChars: fast.config.tokenizeChineseChars,
      neverSplit: fast.config.neverSplit,
      maxInputCharsPerWord: fast.config.maxInputCharsPerWord,
    });
    let tokens = 0;
    for (const doc of DOCS) {
      const want = ref.tokenize(doc);
      // Twice: the second run goes through whatever the first one cached.
      for (let pass = 0; pass < 2; pass++) {
        const got = fast.tokenizeToIds(doc);
        if (JSON.stringify(got) !== JSON.stringify(want)) {
          let k = 0;
          while (k < want.ids.length && got.ids[k] === want.ids[k] && got.starts[k] === want.starts[k] && got.ends[k] === want.ends[k]) k++;
          assert.fail(`pass ${pass}, ${JSON.stringify(doc.slice(0, 80))}…: first difference at token ${k}: got ${got.ids[k]} [${got.starts[k]},${got.ends[k]}] want ${want.ids[k]} [${want.starts[k]},${want.ends[k]}]`);
        }
      }
      tokens += want.ids.length;
      // Early stop: the first `limit` tokens, exactly.
      const limit = 1 + (doc.length % 37);
      const cut = fast.tokenizeToIds(doc, limit);
      assert.deepEqual(cut.ids, want.ids.slice(0, limit));
      assert.deepEqual(cut.starts, want.starts.slice(0, limit));
      assert.deepEqual(cut.ends, want.ends.slice(0, limit));
    }
    assert.ok(tokens > 100_000, `the corpus should be large enough to mean something (${tokens} tokens)`);
  });
}
