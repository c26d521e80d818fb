/**
 * Parse time of a 5,000-question bank in the bank format (docs/quiz-format.md).
 *
 * Method: the bank is generated from the real bundled decks (media/quiz/*.quiz.md): their question blocks are
 * repeated with fresh ids until there are 5,000 questions, so text lengths, code blocks and both languages are
 * those of real questions. The whole text is parsed with `parseBank` (one string, as the extension reads a file),
 * then validated with `validateQuestions` (strict, bundled rules). 5 warm-up runs, then 40 timed runs of each;
 * wall time with `process.hrtime.bigint()`; p50 and p95 over the timed runs (nearest-rank). One Node process,
 * no other work in it. Both wall time and the process's CPU time (`process.cpuUsage`, user + system: it
 * includes GC threads) are reported: on a shared machine the wall time also holds time the process waited for a core. Run: `npx tsx bench/quiz/parseBench.ts [questions] [runs]`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseBank } from '../../src/quiz/bankParser';
import { validateQuestions } from '../../src/quiz/validator';

const target = Number(process.argv[2] ?? 5000);
const runs = Number(process.argv[3] ?? 40);
const warmup = 5;
const bankDir = path.resolve(__dirname, '../../media/quiz');

function generateBank(n: number): string {
  const blocks: string[] = [];
  for (const file of fs.readdirSync(bankDir).filter((f) => f.endsWith('.quiz.md')).sort()) {
    const text = fs.readFileSync(path.join(bankDir, file), 'utf8');
    // Question blocks start at "## id" lines outside fences; the bundled decks have no "## " inside code.
    const parts = text.split(/^(?=## [a-z0-9-]+\s*$)/m).filter((p) => p.startsWith('## '));
    blocks.push(...parts);
  }
  if (blocks.length === 0) throw new Error(`no questions in ${bankDir}`);
  const out = ['---', 'deck: bench-5000', 'title: Generated bench bank', '---', ''];
  for (let i = 0; i < n; i++) {
    const block = blocks[i % blocks.length]!;
    out.push(block.replace(/^## ([a-z0-9-]+)/, (_, id: string) => `## ${id}-${Math.floor(i / blocks.length)}`).trimEnd(), '');
  }
  return out.join('\n');
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Wall time, and this process's CPU time (user + system), which other processes on a shared machine inflate less. */
function time(fn: () => void): { wall: number[]; cpu: number[] } {
  for (let i = 0; i < warmup; i++) fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    fn();
    wall.push(Number(process.hrtime.bigint() - t0) / 1e6);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wall: wall.sort((a, b) => a - b), cpu: cpu.sort((a, b) => a - b) };
}

const text = generateBank(target);
const check = parseBank(text, 'bench.quiz.md');
const issues = validateQuestions(check.questions, { bundled: true });
if (check.questions.length !== target || check.errors.length > 0 || issues.length > 0) {
  throw new Error(`generated bank is not clean: ${check.questions.length} questions, ${check.errors.length} parse errors, ${issues.length} issues`);
}
let sink = 0;
const parse = time(() => (sink += parseBank(text, 'bench.quiz.md').questions.length));
const questions = check.questions;
const validate = time(() => (sink += validateQuestions(questions, { bundled: true }).length));
const both = time(() => (sink += validateQuestions(parseBank(text, 'bench.quiz.md').questions, { bundled: true }).length));
const mb = Buffer.byteLength(text) / 1e6;
const row = (name: string, t: { wall: number[]; cpu: number[] }) =>
  `${name.padEnd(18)} wall p50 ${percentile(t.wall, 50).toFixed(1).padStart(7)} ms  p95 ${percentile(t.wall, 95).toFixed(1).padStart(7)} ms   cpu p50 ${percentile(t.cpu, 50).toFixed(1).padStart(7)} ms  p95 ${percentile(t.cpu, 95).toFixed(1).padStart(7)} ms   (${(target / (percentile(t.wall, 50) / 1000)).toFixed(0)} questions/s wall)`;
console.log(`quiz bank parse bench: ${target} questions, ${mb.toFixed(1)} MB of Markdown, ${runs} timed runs after ${warmup} warm-up`);
console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, load average ${os.loadavg()[0]!.toFixed(1)} at start`);
console.log(row('parseBank', parse));
console.log(row('validateQuestions', validate));
console.log(row('parse + validate', both));
if (sink === -1) console.log('');
