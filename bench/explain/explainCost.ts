/**
 * What an explanation costs next to a plain classification, and how faithful it is, on the bundled spam model.
 * Run: `npx tsx bench/explain/explainCost.ts [--texts N]`. Interleaved pairs on the same 126-token windows
 * (held-out mails of the model's own split), so machine load affects both sides alike.
 */
import * as path from 'node:path';
import { explainText } from '../../src/text/explain';
import { firstTokens, measureFaithfulness } from '../../src/text/explainFaithfulness';
import { loadTextModel } from '../../src/text/onnxTextClassifier';
import { loadSpamAssassin, mailToExample, stratifiedSplit } from '../../src/train/text/spamData';

async function main(): Promise<void> {
  const n = Number(process.argv[process.argv.indexOf('--texts') + 1]) || 200;
  const c = await loadTextModel(path.resolve(__dirname, '../../models/spam-bert-tiny'));
  const { test } = stratifiedSplit(loadSpamAssassin().map(mailToExample), 0.2, 42);
  const windows = test.slice(0, 30).map((m) => firstTokens(c, m.text, 126));
  for (const w of windows.slice(0, 3)) {
    await c.classify(w);
    await explainText(c, w);
  }
  const plain: number[] = [];
  const explain: number[] = [];
  let words = 0;
  for (const w of windows) {
    let t = performance.now();
    await c.classify(w);
    plain.push(performance.now() - t);
    t = performance.now();
    const e = await explainText(c, w);
    explain.push(performance.now() - t);
    words += e.words.length;
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`cost: ${windows.length} interleaved pairs, 126-token windows, ${(words / windows.length).toFixed(0)} words each: plain ${median(plain).toFixed(2)} ms, explain ${median(explain).toFixed(1)} ms (medians), ratio ${(median(explain) / median(plain)).toFixed(1)}×`);
  const f = await measureFaithfulness(c, test.slice(0, n).map((m) => m.text));
  console.log(`faithfulness over ${f.texts} held-out mails (126-token windows, ${f.randomDraws} random draws each):`);
  for (const r of f.rows) console.log(`  k=${r.k}: top-k drop ${r.topDrop.toFixed(4)}, random drop ${r.randomDrop.toFixed(4)}, top-k larger on ${r.textsTopWins} texts`);
  await c.dispose();
}
void main();
