/**
 * BERT's WordPiece tokenizer in TypeScript: the BasicTokenizer of google-research/bert / Hugging Face
 * (`_clean_text`, CJK splitting, lower-casing, accent stripping, punctuation splitting, `never_split`)
 * followed by greedy longest-match-first WordPiece, with offsets into the original text.
 *
 * Design notes (why it looks like this):
 * - One pass over UTF-16 code units with a 64 KiB class table (see charClass.ts) whose spare bits flag the
 *   units that need a second look (first unit of a never-split token, high surrogates): a word character
 *   costs one table read. Words are ranges of the original string; ASCII words (the bulk of mail and code)
 *   are lower-cased on the fly.
 * - Two bounded caches keyed by content, so repeated words skip WordPiece: ASCII words of ≤ 16 units in a
 *   direct-mapped table (16K slots, ~620 KB) → their pieces; single-unit words (punctuation, CJK ideographs)
 *   in a per-code-unit table → their one token. A cache only ever replays what WordPiece produced for the
 *   same (normalised) word; test/unit/text/tokenizerReference.test.ts checks the result against a plain
 *   reference implementation.
 * - Non-ASCII words are normalised character by character (lower-case, NFD, drop `Mn`) with a per-code-point
 *   cache, recording for every normalised code unit the original range it came from: offsets survive
 *   lower-casing and accent stripping.
 * - WordPiece walks a code-unit trie (trie.ts; continuation pieces under their own root, without `##`; one
 *   16-byte hash record per step), reading the original text directly for ASCII words: no substring is
 *   allocated or hashed.
 * - `neverSplit` tokens (by default the special tokens) are matched case-sensitively anywhere in the text,
 *   as Hugging Face's slow and fast tokenizers do for special tokens, and bypass normalisation.
 * - Known, deliberate differences from the Python `BertTokenizer`: no NFC pre-normalisation (Hugging Face's
 *   fast tokenizer and Google's have none) and per-character lower-casing (as the Rust `BertNormalizer`,
 *   so a final capital sigma becomes σ, not ς).
 *
 * Reads no files: src/text/modelFolder.ts `loadTokenizer` finds and parses a model folder's tokenizer files and
 * builds the tokenizer with `fromTokenizerJson` / `fromVocabText` and `parseTokenizerConfig`. No `vscode` import.
 */
import { CodeUnitTrie } from './trie';
import * as charClass from './charClass';
import { astralClass, bmpClassTable } from './charClass';

// Module-local copies of the class constants: when this file runs as CommonJS transpiled per file (tsx, the
// unit tests, the bench), an imported binding is a getter on the other module's exports, and reading one per
// character in the hot loop cost ~25 % of the run time. A bundle inlines them either way.
const CHAR_WORD: number = charClass.CHAR_WORD;
const CHAR_REMOVED: number = charClass.CHAR_REMOVED;
const CHAR_PUNCT: number = charClass.CHAR_PUNCT;
const CHAR_CJK: number = charClass.CHAR_CJK;

export interface TokenizerConfig {
  doLowerCase: boolean;
  /** `null`/`undefined`: strip accents exactly when lower-casing (BERT's default). */
  stripAccents?: boolean | null;
  tokenizeChineseChars: boolean;
  neverSplit: string[];
  unkToken: string;
  clsToken: string;
  sepToken: string;
  padToken: string;
  maxInputCharsPerWord: number;
  /** WordPiece continuation prefix; `##` for every BERT vocabulary. */
  continuingSubwordPrefix?: string;
  /** `model_max_length` from tokenizer_config.json, when known. */
  modelMaxLength?: number;
}

export interface Encoding {
  inputIds: number[];
  attentionMask: number[];
  tokenTypeIds: number[];
  tokens: string[];
  offsets: [number, number][];
}

export interface EncodeOptions {
  /** Truncate to this many ids in total (special tokens included). */
  maxLength?: number;
  addSpecialTokens?: boolean;
  /** Pad with `[PAD]` (mask 0, offsets [0,0]) up to this length. */
  padToLength?: number;
}

export const DEFAULT_TOKENIZER_CONFIG: Readonly<TokenizerConfig> = Object.freeze({
  doLowerCase: true,
  stripAccents: null,
  tokenizeChineseChars: true,
  neverSplit: ['[UNK]', '[SEP]', '[PAD]', '[CLS]', '[MASK]'],
  unkToken: '[UNK]',
  clsToken: '[CLS]',
  sepToken: '[SEP]',
  padToken: '[PAD]',
  maxInputCharsPerWord: 100,
  continuingSubwordPrefix: '##',
});

/** Flag bits of the scan table above the class (classes are 0–4). */
const SCAN_NEVER_SPLIT = 8;
const SCAN_HIGH_SURROGATE = 16;
const SCAN_SPECIAL = 8;
const SCAN_CLASS_MASK = 7;
const WORD_CACHE_SLOTS = 16384;
const WORD_CACHE_MASK = WORD_CACHE_SLOTS - 1;
const WORD_CACHE_MAX_LEN = 16;
const WORD_CACHE_MAX_PIECES = 4;
const SINGLE_UNIT_UNKNOWN = -2;
const SINGLE_UNIT_GENERAL = -1;

const MN_RE = /\p{Mn}/gu;
const UPPER_A = 65;
const UPPER_Z = 90;

/** Raw output of one tokenisation pass: parallel arrays, no per-token tuples. */
interface TokenSink {
  ids: number[];
  starts: number[];
  ends: number[];
  /** Stop once this many ids were produced (encode with truncation need not read a whole 1 MB file). */
  limit: number;
}

export class WordPieceTokenizer {
  readonly vocabSize: number;
  readonly config: Readonly<TokenizerConfig>;
  private readonly wordStart: Map<string, number>;
  private readonly continuation: Map<string, number>;
  private readonly idToToken: string[];
  private readonly trie: CodeUnitTrie;
  private readonly startRoot: number;
  private readonly continuationRoot: number;
  private readonly unkId: number;
  private readonly lower: boolean;
  private readonly strip: boolean;
  private readonly table: Uint8Array;
  /**
   * The scan loop's table: `table` plus flag bits on the code units that need a second look (the first unit
   * of a never-split token, high surrogates), so a plain word character costs one read and one compare.
   */
  private readonly scanTable: Uint8Array;
  private readonly neverSplitByFirstUnit = new Map<number, string[]>();
  private readonly normCache = new Map<number, string>();
  /** See emitSingleUnit: per BMP code unit, the id of its one token, or SINGLE_UNIT_GENERAL / _UNKNOWN. */
  private readonly singleUnitId = new Int32Array(0x10000).fill(SINGLE_UNIT_UNKNOWN);
  // The ASCII word cache (emitCachedAsciiWord); a key length of 0 marks an empty slot.
  private readonly cacheKeyLength = new Uint8Array(WORD_CACHE_SLOTS);
  private readonly cacheKeys = new Uint8Array(WORD_CACHE_SLOTS * WORD_CACHE_MAX_LEN);
  private readonly cachePieceCount = new Uint8Array(WORD_CACHE_SLOTS);
  private readonly cachePieceId = new Int32Array(WORD_CACHE_SLOTS * WORD_CACHE_MAX_PIECES);
  private readonly cachePieceEnd = new Uint8Array(WORD_CACHE_SLOTS * WORD_CACHE_MAX_PIECES);
  // Reused buffers for the original range of each normalised code unit of the current non-ASCII word.
  private mapStart = new Int32Array(256);
  private mapEnd = new Int32Array(256);

  constructor(vocab: Map<string, number>, config?: Partial<TokenizerConfig>) {
    const cfg: TokenizerConfig = { ...DEFAULT_TOKENIZER_CONFIG, neverSplit: [...DEFAULT_TOKENIZER_CONFIG.neverSplit], ...stripUndefined(config ?? {}) };
    this.config = Object.freeze(cfg);
    const prefix = cfg.continuingSubwordPrefix ?? '##';
    this.wordStart = new Map();
    this.continuation = new Map();
    let maxId = -1;
    this.trie = new CodeUnitTrie(vocab.size * 4);
    this.startRoot = this.trie.newRoot();
    this.continuationRoot = this.trie.newRoot();
    for (const [token, id] of vocab) {
      if (id > maxId) maxId = id;
      if (prefix && token.startsWith(prefix) && token.length > prefix.length) {
        const rest = token.slice(prefix.length);
        if (!this.continuation.has(rest)) this.continuation.set(rest, id);
        this.trie.insert(this.continuationRoot, rest, id);
      } else {
        // A bare token (including "##" itself) is a word start.
        if (!this.wordStart.has(token)) this.wordStart.set(token, id);
        this.trie.insert(this.startRoot, token, id);
      }
    }
    this.vocabSize = maxId + 1;
    this.idToToken = new Array<string>(this.vocabSize).fill('');
    for (const [token, id] of vocab) this.idToToken[id] = token;
    const unk = vocab.get(cfg.unkToken);
    if (unk === undefined) {
      throw new Error(`The vocabulary has no unknown token "${cfg.unkToken}": add it, or set unk_token in tokenizer_config.json.`);
    }
    this.unkId = unk;
    this.lower = cfg.doLowerCase;
    this.strip = cfg.stripAccents ?? cfg.doLowerCase;
    this.table = bmpClassTable(cfg.tokenizeChineseChars);
    this.scanTable = Uint8Array.from(this.table);
    for (let c = 0xd800; c <= 0xdbff; c++) this.scanTable[c] |= SCAN_HIGH_SURROGATE;
    for (const t of cfg.neverSplit) {
      if (!t) continue;
      const first = t.charCodeAt(0);
      const list = this.neverSplitByFirstUnit.get(first) ?? [];
      list.push(t);
      // Longest first, so "[MASK]x" style overlaps pick the longer special token.
      list.sort((a, b) => b.length - a.length);
      this.neverSplitByFirstUnit.set(first, list);
      this.scanTable[first] |= SCAN_NEVER_SPLIT;
    }
  }

  /** Reads a `vocab.txt` (one token per line, id = line number). */
  static fromVocabText(vocabTxt: string, config?: Partial<TokenizerConfig>): WordPieceTokenizer {
    const vocab = new Map<string, number>();
    const lines = vocabTxt.split('\n');
    // A trailing newline is not a token; an empty line in the middle is (it keeps the ids aligned).
    if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    lines.forEach((line, i) => {
      const token = line.endsWith('\r') ? line.slice(0, -1) : line;
      if (!vocab.has(token)) vocab.set(token, i);
    });
    if (vocab.size === 0) throw new Error('The vocabulary file is empty: a vocab.txt has one token per line.');
    return new WordPieceTokenizer(vocab, config);
  }

  /**
   * Reads a Hugging Face `tokenizer.json` whose model is WordPiece (BERT, DistilBERT, ELECTRA, …). It is
   * authoritative for the pipeline; `fallbackMaxLength` (tokenizer_config.json's) applies when it sets no length.
   */
  static fromTokenizerJson(json: unknown, fallbackMaxLength?: number): WordPieceTokenizer {
    const root = asRecord(json, 'tokenizer.json');
    const model = asRecord(root.model, 'tokenizer.json "model"');
    if (model.type !== 'WordPiece') {
      throw new Error(`tokenizer.json holds a ${String(model.type)} model; only WordPiece vocabularies (BERT-family models) are supported.`);
    }
    const vocabObj = asRecord(model.vocab, 'tokenizer.json "model.vocab"');
    const vocab = new Map<string, number>();
    for (const [token, id] of Object.entries(vocabObj)) {
      if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) throw new Error(`tokenizer.json: the id of "${token}" is not a non-negative integer.`);
      vocab.set(token, id);
    }
    const config: Partial<TokenizerConfig> = {};
    if (typeof model.unk_token === 'string') config.unkToken = model.unk_token;
    if (typeof model.continuing_subword_prefix === 'string') config.continuingSubwordPrefix = model.continuing_subword_prefix;
    if (typeof model.max_input_chars_per_word === 'number') config.maxInputCharsPerWord = model.max_input_chars_per_word;
    const normalizer = findBertNormalizer(root.normalizer);
    if (normalizer) {
      if (typeof normalizer.lowercase === 'boolean') config.doLowerCase = normalizer.lowercase;
      if (typeof normalizer.handle_chinese_chars === 'boolean') config.tokenizeChineseChars = normalizer.handle_chinese_chars;
      if (typeof normalizer.strip_accents === 'boolean' || normalizer.strip_accents === null) config.stripAccents = normalizer.strip_accents;
    } else if (root.normalizer === null || root.normalizer === undefined) {
      config.doLowerCase = false;
      config.stripAccents = false;
    }
    const special: string[] = [];
    if (Array.isArray(root.added_tokens)) {
      for (const t of root.added_tokens as unknown[]) {
        if (t && typeof t === 'object' && typeof (t as { content?: unknown }).content === 'string') special.push((t as { content: string }).content);
      }
    }
    if (special.length > 0) config.neverSplit = special;
    const post = root.post_processor as Record<string, unknown> | null | undefined;
    if (post && post.type === 'BertProcessing') {
      const cls = post.cls as unknown[] | undefined;
      const sep = post.sep as unknown[] | undefined;
      if (Array.isArray(cls) && typeof cls[0] === 'string') config.clsToken = cls[0];
      if (Array.isArray(sep) && typeof sep[0] === 'string') config.sepToken = sep[0];
    }
    const padding = root.padding as Record<string, unknown> | null | undefined;
    if (padding && typeof padding.pad_token === 'string') config.padToken = padding.pad_token;
    const truncation = root.truncation as Record<string, unknown> | null | undefined;
    if (truncation && typeof truncation.max_length === 'number') config.modelMaxLength = truncation.max_length;
    else if (fallbackMaxLength !== undefined) config.modelMaxLength = fallbackMaxLength;
    return new WordPieceTokenizer(vocab, config);
  }

  tokenToId(t: string): number | undefined {
    if (this.wordStart.has(t)) return this.wordStart.get(t);
    const prefix = this.config.continuingSubwordPrefix ?? '##';
    if (prefix && t.startsWith(prefix)) return this.continuation.get(t.slice(prefix.length));
    return undefined;
  }

  idToTokenString(id: number): string | undefined {
    return id >= 0 && id < this.idToToken.length ? this.idToToken[id] : undefined;
  }

  /** Basic tokenisation + WordPiece; offsets are UTF-16 [start, end) ranges of the original text. */
  tokenize(text: string): { tokens: string[]; offsets: [number, number][] } {
    const sink: TokenSink = { ids: [], starts: [], ends: [], limit: Infinity };
    this.run(text, sink);
    const tokens = new Array<string>(sink.ids.length);
    const offsets = new Array<[number, number]>(sink.ids.length);
    for (let i = 0; i < sink.ids.length; i++) {
      tokens[i] = this.idToToken[sink.ids[i]];
      offsets[i] = [sink.starts[i], sink.ends[i]];
    }
    return { tokens, offsets };
  }

  /** Ids only, with optional early stop: the fast path for training and windowing. */
  tokenizeToIds(text: string, limit = Infinity): { ids: number[]; starts: number[]; ends: number[] } {
    const sink: TokenSink = { ids: [], starts: [], ends: [], limit };
    this.run(text, sink);
    return { ids: sink.ids, starts: sink.starts, ends: sink.ends };
  }

  encode(text: string, opts: EncodeOptions = {}): Encoding {
    const addSpecial = opts.addSpecialTokens ?? true;
    const maxLength = opts.maxLength;
    if (maxLength !== undefined && (!Number.isInteger(maxLength) || maxLength < (addSpecial ? 2 : 0))) {
      throw new Error(`maxLength must be an integer ≥ ${addSpecial ? 2 : 0}, got ${maxLength}.`);
    }
    const budget = maxLength === undefined ? Infinity : addSpecial ? maxLength - 2 : maxLength;
    const sink: TokenSink = { ids: [], starts: [], ends: [], limit: budget };
    this.run(text, sink);
    const n = sink.ids.length;
    const inputIds: number[] = [];
    const offsets: [number, number][] = [];
    if (addSpecial) {
      inputIds.push(this.requireId(this.config.clsToken));
      offsets.push([0, 0]);
    }
    for (let i = 0; i < n; i++) {
      inputIds.push(sink.ids[i]);
      offsets.push([sink.starts[i], sink.ends[i]]);
    }
    if (addSpecial) {
      inputIds.push(this.requireId(this.config.sepToken));
      offsets.push([0, 0]);
    }
    const attentionMask = new Array<number>(inputIds.length).fill(1);
    if (opts.padToLength !== undefined && inputIds.length < opts.padToLength) {
      const pad = this.requireId(this.config.padToken);
      while (inputIds.length < opts.padToLength) {
        inputIds.push(pad);
        attentionMask.push(0);
        offsets.push([0, 0]);
      }
    }
    const tokens = inputIds.map((id) => this.idToToken[id]);
    return { inputIds, attentionMask, tokenTypeIds: new Array<number>(inputIds.length).fill(0), tokens, offsets };
  }


  private requireId(token: string): number {
    const id = this.wordStart.get(token);
    if (id === undefined) throw new Error(`The vocabulary has no "${token}" token, which BERT inputs need.`);
    return id;
  }

  /** The single pass over the text: finds words, punctuation, CJK and never-split tokens. */
  private run(text: string, sink: TokenSink): void {
    const n = text.length;
    const table = this.scanTable;
    const cjkOn = this.config.tokenizeChineseChars;
    let wordStart = -1;
    let wordAscii = true; // ASCII only and contiguous (no removed character inside)
    let i = 0;
    while (i < n) {
      let c = text.charCodeAt(i);
      let cls = table[c];
      if (cls === CHAR_WORD) {
        // The common case, a run of word characters: one table read per code unit, nothing else.
        if (wordStart < 0) {
          wordStart = i;
          wordAscii = true;
        }
        if (c >= 128) wordAscii = false;
        i++;
        continue;
      }
      // Word characters never add tokens, so checking the limit here (only) stops at the same token.
      if (sink.ids.length >= sink.limit) break;
      let width = 1;
      if (cls >= SCAN_SPECIAL) {
        if ((cls & SCAN_NEVER_SPLIT) !== 0) {
          const hit = matchAt(text, i, this.neverSplitByFirstUnit.get(c)!);
          if (hit !== undefined) {
            if (wordStart >= 0) {
              this.emitWord(text, wordStart, i, wordAscii, sink);
              wordStart = -1;
            }
            // Never-split tokens skip normalisation but still go through WordPiece (as in Python).
            this.wordPiece(text, i, i + hit.length, false, false, sink);
            i += hit.length;
            continue;
          }
        }
        if ((cls & SCAN_HIGH_SURROGATE) !== 0) {
          const next = i + 1 < n ? text.charCodeAt(i + 1) : 0;
          if (next >= 0xdc00 && next <= 0xdfff) {
            width = 2;
            cls = astralClass(((c - 0xd800) << 10) + (next - 0xdc00) + 0x10000, cjkOn);
            c = 0x10000; // not ASCII
          } else {
            cls = CHAR_REMOVED; // lone high surrogate
          }
        } else {
          cls &= SCAN_CLASS_MASK;
        }
        if (cls === CHAR_WORD) {
          if (wordStart < 0) {
            wordStart = i;
            wordAscii = true;
          }
          if (c >= 128) wordAscii = false;
          i += width;
          continue;
        }
      }
      if (cls === CHAR_REMOVED) {
        if (wordStart >= 0) wordAscii = false;
      } else {
        if (wordStart >= 0) {
          this.emitWord(text, wordStart, i, wordAscii, sink);
          wordStart = -1;
        }
        if (cls === CHAR_PUNCT || cls === CHAR_CJK) {
          if (width === 1) this.emitSingleUnit(text, i, c, sink);
          else this.emitWord(text, i, i + 2, false, sink);
        }
        // CHAR_SPACE: only ends the word.
      }
      i += width;
    }
    if (wordStart >= 0 && sink.ids.length < sink.limit) this.emitWord(text, wordStart, n, wordAscii, sink);
    // The last word may have produced several pieces past the limit.
    if (sink.ids.length > sink.limit) {
      sink.ids.length = sink.limit;
      sink.starts.length = sink.limit;
      sink.ends.length = sink.limit;
    }
  }

  /**
   * A one-code-unit word (punctuation, a CJK ideograph): its tokens depend on that unit alone, so the
   * common outcome, exactly one token covering it, is remembered per unit (mixed Chinese text is mostly
   * these). Other outcomes (several pieces, nothing left after normalisation) take the general path.
   */
  private emitSingleUnit(text: string, at: number, unit: number, sink: TokenSink): void {
    let id = this.singleUnitId[unit];
    if (id === SINGLE_UNIT_UNKNOWN) {
      const scratch: TokenSink = { ids: [], starts: [], ends: [], limit: Infinity };
      this.emitWord(text, at, at + 1, unit < 128, scratch);
      id = scratch.ids.length === 1 ? scratch.ids[0] : SINGLE_UNIT_GENERAL;
      this.singleUnitId[unit] = id;
    }
    if (id >= 0) pushToken(sink, id, at, at + 1);
    else this.emitWord(text, at, at + 1, unit < 128, sink);
  }

  /**
   * An ASCII word of at most WORD_CACHE_MAX_LEN units through the word cache: a direct-mapped table keyed by
   * the (lower-cased) word, holding its pieces as ids and ends relative to the word start. Mail is mostly a
   * few thousand frequent words, and the cache (~100 KB) stays in the CPU cache where the trie (MBs) does not.
   */
  private emitCachedAsciiWord(text: string, start: number, end: number, sink: TokenSink): void {
    const len = end - start;
    const lower = this.lower;
    let h = 0x811c9dc5;
    for (let k = start; k < end; k++) {
      let c = text.charCodeAt(k);
      if (lower && c <= UPPER_Z && c >= UPPER_A) c += 32;
      h = Math.imul(h ^ c, 0x01000193);
    }
    const slot = (h ^ (h >>> 16)) & WORD_CACHE_MASK;
    const keys = this.cacheKeys;
    const keyBase = slot * WORD_CACHE_MAX_LEN;
    if (this.cacheKeyLength[slot] === len) {
      let k = 0;
      while (k < len) {
        let c = text.charCodeAt(start + k);
        if (lower && c <= UPPER_Z && c >= UPPER_A) c += 32;
        if (keys[keyBase + k] !== c) break;
        k++;
      }
      if (k === len) {
        const pieces = this.cachePieceCount[slot];
        const pieceBase = slot * WORD_CACHE_MAX_PIECES;
        let s = start;
        for (let p = 0; p < pieces; p++) {
          const e = start + this.cachePieceEnd[pieceBase + p];
          pushToken(sink, this.cachePieceId[pieceBase + p], s, e);
          s = e;
        }
        return;
      }
    }
    const first = sink.ids.length;
    this.wordPiece(text, start, end, lower, false, sink);
    const pieces = sink.ids.length - first;
    if (pieces < 1 || pieces > WORD_CACHE_MAX_PIECES) return;
    this.cacheKeyLength[slot] = len;
    for (let k = 0; k < len; k++) {
      let c = text.charCodeAt(start + k);
      if (lower && c <= UPPER_Z && c >= UPPER_A) c += 32;
      keys[keyBase + k] = c;
    }
    this.cachePieceCount[slot] = pieces;
    const pieceBase = slot * WORD_CACHE_MAX_PIECES;
    for (let p = 0; p < pieces; p++) {
      this.cachePieceId[pieceBase + p] = sink.ids[first + p];
      this.cachePieceEnd[pieceBase + p] = sink.ends[first + p] - start;
    }
  }

  /** Normalises the original range [start, end) and runs WordPiece on it. */
  private emitWord(text: string, start: number, end: number, ascii: boolean, sink: TokenSink): void {
    if (ascii) {
      if (end - start <= WORD_CACHE_MAX_LEN) this.emitCachedAsciiWord(text, start, end, sink);
      else this.wordPiece(text, start, end, this.lower, false, sink);
      return;
    }
    // General path: per code point normalisation with an original-range map per output code unit.
    let norm = '';
    let len = 0;
    const cjkOn = this.config.tokenizeChineseChars;
    for (let k = start; k < end; ) {
      const c = text.charCodeAt(k);
      let width = 1;
      let cp = c;
      let cls: number;
      if (c >= 0xd800 && c <= 0xdbff && k + 1 < end) {
        const next = text.charCodeAt(k + 1);
        if (next >= 0xdc00 && next <= 0xdfff) {
          width = 2;
          cp = ((c - 0xd800) << 10) + (next - 0xdc00) + 0x10000;
        }
      }
      if (width === 2) cls = astralClass(cp, cjkOn);
      else if (c >= 0xd800 && c <= 0xdfff) cls = CHAR_REMOVED;
      else cls = this.table[c];
      if (cls !== CHAR_REMOVED) {
        const piece = this.normalizeCodePoint(cp, c, width, text, k);
        if (piece.length > 0) {
          if (len + piece.length > this.mapStart.length) this.growMaps(len + piece.length);
          for (let p = 0; p < piece.length; p++) {
            this.mapStart[len + p] = k;
            this.mapEnd[len + p] = k + width;
          }
          len += piece.length;
          norm += piece;
        }
      }
      k += width;
    }
    if (len === 0) return; // e.g. only combining marks, stripped away
    this.wordPiece(norm, 0, len, false, true, sink);
  }

  private normalizeCodePoint(cp: number, unit: number, width: number, text: string, at: number): string {
    if (cp < 128) {
      return this.lower && unit >= UPPER_A && unit <= UPPER_Z ? String.fromCharCode(unit + 32) : String.fromCharCode(unit);
    }
    if (!this.lower && !this.strip) return width === 2 ? text.slice(at, at + 2) : text[at];
    let out = this.normCache.get(cp);
    if (out === undefined) {
      out = String.fromCodePoint(cp);
      if (this.lower) out = out.toLowerCase();
      if (this.strip) out = out.normalize('NFD').replace(MN_RE, '');
      if (this.normCache.size < 100_000) this.normCache.set(cp, out);
    }
    return out;
  }

  private growMaps(min: number): void {
    let size = this.mapStart.length;
    while (size < min) size *= 2;
    const s = new Int32Array(size);
    s.set(this.mapStart);
    const e = new Int32Array(size);
    e.set(this.mapEnd);
    this.mapStart = s;
    this.mapEnd = e;
  }

  /**
   * Greedy longest-match-first WordPiece over the code units `src[from, to)` (lower-casing ASCII on the fly
   * when `lowerAscii`), walking the vocabulary trie once per piece.
   *
   * Offsets follow Hugging Face tokenizers (NormalizedString alignments): when `mapped`, `src` is the
   * normalised word and `mapStart`/`mapEnd` give, for each of its code units, the original character it came
   * from; a piece spans from the original start of its first unit to the original end of its last unit. So
   * the three jamo pieces of NFD "툴" each cover "툴" (never an empty range), and characters removed by
   * normalisation (stripped accents, controls) are covered only when they sit between two kept ones, never
   * at a word's edge. Unmapped (ASCII words, never-split tokens), positions in `src` are the original ones.
   */
  private wordPiece(src: string, from: number, to: number, lowerAscii: boolean, mapped: boolean, sink: TokenSink): void {
    const mapStart = this.mapStart;
    const mapEnd = this.mapEnd;
    const len = to - from;
    if (len > this.config.maxInputCharsPerWord) {
      let codePoints = 0;
      for (let k = from; k < to; k++) {
        const c = src.charCodeAt(k);
        if (c < 0xdc00 || c > 0xdfff) codePoints++;
      }
      if (codePoints > this.config.maxInputCharsPerWord) {
        pushToken(sink, this.unkId, mapped ? mapStart[from] : from, mapped ? mapEnd[to - 1] : to);
        return;
      }
    }
    const trie = this.trie;
    const firstToken = sink.ids.length;
    let root = this.startRoot;
    let start = from;
    while (start < to) {
      const bestEnd = trie.longestMatch(root, src, start, to, lowerAscii);
      const bestId = trie.matchedId;
      if (bestId < 0) {
        // One bad piece makes the whole word [UNK] (BERT's `is_bad`).
        sink.ids.length = firstToken;
        sink.starts.length = firstToken;
        sink.ends.length = firstToken;
        pushToken(sink, this.unkId, mapped ? mapStart[from] : from, mapped ? mapEnd[to - 1] : to);
        return;
      }
      pushToken(sink, bestId, mapped ? mapStart[start] : start, mapped ? mapEnd[bestEnd - 1] : bestEnd);
      start = bestEnd;
      root = this.continuationRoot;
    }
  }
}

function pushToken(sink: TokenSink, id: number, start: number, end: number): void {
  sink.ids.push(id);
  sink.starts.push(start);
  sink.ends.push(end);
}

function matchAt(text: string, at: number, candidates: string[]): string | undefined {
  for (const t of candidates) if (text.startsWith(t, at)) return t;
  return undefined;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

function asRecord(v: unknown, what: string): Record<string, unknown> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error(`${what} is not a JSON object.`);
  return v as Record<string, unknown>;
}

function findBertNormalizer(n: unknown): Record<string, unknown> | undefined {
  if (!n || typeof n !== 'object') return undefined;
  const rec = n as Record<string, unknown>;
  if (rec.type === 'BertNormalizer') return rec;
  if (rec.type === 'Sequence' && Array.isArray(rec.normalizers)) {
    for (const inner of rec.normalizers as unknown[]) {
      const found = findBertNormalizer(inner);
      if (found) return found;
    }
  }
  return undefined;
}

/** A special token in tokenizer_config.json is a string or a serialised AddedToken `{content: …}`. */
function tokenString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && typeof (v as { content?: unknown }).content === 'string') return (v as { content: string }).content;
  return undefined;
}

/** The settings a `tokenizer_config.json` (already parsed) adds to a vocab.txt: casing, accents, special tokens, length. */
export function parseTokenizerConfig(raw: unknown, file: string): Partial<TokenizerConfig> {
  const c = asRecord(raw, file);
  const out: Partial<TokenizerConfig> = {};
  if (typeof c.do_lower_case === 'boolean') out.doLowerCase = c.do_lower_case;
  if (typeof c.strip_accents === 'boolean' || c.strip_accents === null) out.stripAccents = c.strip_accents;
  if (typeof c.tokenize_chinese_chars === 'boolean') out.tokenizeChineseChars = c.tokenize_chinese_chars;
  const unk = tokenString(c.unk_token);
  const cls = tokenString(c.cls_token);
  const sep = tokenString(c.sep_token);
  const pad = tokenString(c.pad_token);
  const mask = tokenString(c.mask_token);
  if (unk) out.unkToken = unk;
  if (cls) out.clsToken = cls;
  if (sep) out.sepToken = sep;
  if (pad) out.padToken = pad;
  const neverSplit = new Set<string>();
  for (const t of [unk ?? '[UNK]', sep ?? '[SEP]', pad ?? '[PAD]', cls ?? '[CLS]', mask ?? '[MASK]']) neverSplit.add(t);
  if (Array.isArray(c.never_split)) for (const t of c.never_split as unknown[]) if (typeof t === 'string') neverSplit.add(t);
  out.neverSplit = [...neverSplit];
  // Hugging Face writes a huge sentinel (1e30) when the length is unknown.
  if (typeof c.model_max_length === 'number' && c.model_max_length > 0 && c.model_max_length < 1e9) out.modelMaxLength = c.model_max_length;
  return out;
}
