/**
 * What an explanation costs next to a plain classification, and how faithful it is, on the bundled spam model.
 * Run: `npx tsx bench/explain/explainCost.ts [--texts N] [--rounds N]`.
 *
 * Cost: the same 126-token windows (held-out mails of the model's own split) are classified and explained in
 * interleaved rounds — plain, default explanation, word-level leave-one-out — so machine load falls on all three
 * alike. Both wall time (median per call) and CPU time (process.cpuUsage over all of the process's threads, mean
 * per call) are reported: on a shared, loaded machine the wall time of a long call is inflated by preemption more
 * than a short call's, so the CPU ratio is the steadier cost figure.
 */
import * as path from 'node:path';
import { DEFAULT_EXPLAIN_BUDGET, explainText } from '../../src/text/explain';
import { firstTokens, measureFaithfulness } from '../../src/text/explainFaithfulness';
import { loadTextModel } from '../../src/text/onnxTextClassifier';
import { loadSpamAssassin, mailToExample, stratifiedSplit } from '../../src/train/text/spamData';

function argNumber(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) || fallback : fallback;
}

async function main(): Promise<void> {
  const n = argNumber('--texts', 200);
  const rounds = argNumber('--rounds', 3);
  const c = await loadTextModel(path.resolve(__dirname, '../../models/spam-bert-tiny'));
  const { test } = stratifiedSplit(loadSpamAssassin().map(mailToExample), 0.2, 42);
  const windows = test.slice(0, 30).map((m) => firstTokens(c, m.text, 126));
  const cpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const sides = {
    plain: (w: string) => c.classify(w),
    explain: (w: string) => explainText(c, w),
    leaveOneOut: (w: string) => explainText(c, w, { budget: Infinity }),
  };
  type Side = keyof typeof sides;
  const wall: Record<Side, number[]> = { plain: [], explain: [], leaveOneOut: [] };
  const cpu: Record<Side, number> = { plain: 0, explain: 0, leaveOneOut: 0 };
  for (const w of windows.slice(0, 3)) for (const f of Object.values(sides)) await f(w);
  let rows = { explain: 0, leaveOneOut: 0 };
  let segments = 0;
  let words = 0;
  for (let r = 0; r < rounds; r++) {
    for (const w of windows) {
      for (const side of Object.keys(sides) as Side[]) {
        const c0 = cpuMs();
        const t0 = performance.now();
        const out = await sides[side](w);
        wall[side].push(performance.now() - t0);
        cpu[side] += cpuMs() - c0;
        if (side !== 'plain' && 'evaluations' in out) {
          rows = { ...rows, [side]: rows[side] + out.evaluations };
          if (side === 'explain') {
            segments += out.segments.length;
            words += out.wordCount;
          }
        }
      }
    }
  }
  const calls = windows.length * rounds;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const line = (side: Side) => `wall ${median(wall[side]).toFixed(2)} ms (median), CPU ${(cpu[side] / calls).toFixed(2)} ms (mean)`;
  console.log(`cost: ${windows.length} windows × ${rounds} interleaved rounds, 126 tokens, ${(words / calls).toFixed(0)} words each`);
  console.log(`  plain classification: ${line('plain')}`);
  console.log(`  explanation (budget ${DEFAULT_EXPLAIN_BUDGET}, ${(segments / calls).toFixed(1)} segments, ${(rows.explain / calls).toFixed(1)} model rows): ${line('explain')}  → ${(median(wall.explain) / median(wall.plain)).toFixed(2)}× wall, ${(cpu.explain / cpu.plain).toFixed(2)}× CPU`);
  console.log(`  word-level leave-one-out (${(rows.leaveOneOut / calls).toFixed(1)} model rows): ${line('leaveOneOut')}  → ${(median(wall.leaveOneOut) / median(wall.plain)).toFixed(2)}× wall, ${(cpu.leaveOneOut / cpu.plain).toFixed(2)}× CPU`);

  const texts = test.slice(0, n).map((m) => m.text);
  for (const [name, budget] of [['explanation (default budget)', DEFAULT_EXPLAIN_BUDGET], ['word-level leave-one-out', Infinity]] as const) {
    const f = await measureFaithfulness(c, texts, [1, 3, 5], { explain: { budget } });
    console.log(`faithfulness, ${name}: ${f.texts} held-out mails (126-token windows, ${f.randomDraws} random draws each; methods ${JSON.stringify(f.methods)}):`);
    for (const r of f.rows) console.log(`  k=${r.k}: top-k drop ${r.topDrop.toFixed(4)}, random drop ${r.randomDrop.toFixed(4)}, top-k larger on ${r.textsTopWins} texts`);
  }
  await c.dispose();
}
void main();
