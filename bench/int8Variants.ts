/**
 * `npx tsx bench/int8Variants.ts` — which int8 weight storage pays on this machine (issue #18 §2).
 *
 * Three sessions of the product's `OnnxTextClassifier` (src/text) side by side: fp32, int8 with uint8 weights
 * (`quantizeDynamicInt8` default: u8×u8 kernels) and int8 with signed 7-bit weights (`matMulWeightType: 'int8',
 * reduceRange: true`: u8×s8 kernels). Calls are interleaved (fp32, u8, s7, with the order rotated every round)
 * so that all three see the same machine: on the shared dev VM the speed drifts by tens of percent over seconds,
 * so only ratios measured this way mean anything.
 *
 *  - BERT-base shape (the bench's cached random-weight graphs, bench/sections/textBert.ts): 128×1 and 128×8.
 *  - The bundled spam-bert-tiny: 128×1 latency, and accuracy / prediction agreement with fp32 on the 600
 *    labelled mails the bench's end-to-end section uses (`sampleMails(600, 9)`).
 *
 * Prints one JSON object; the numbers in the report and in models/spam-bert-tiny/config.json come from it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { quantizeDynamicInt8 } from '../src/train/onnx/quantize';
import { OnnxTextClassifier } from '../src/text/onnxTextClassifier';
import { BERT_BASE, bertArtifacts } from './sections/textBert';
import { sampleMails } from './sections/textEndToEnd';

const repoRoot = path.resolve(__dirname, '..');
const threads = os.cpus().length;
const log = (l: string) => process.stderr.write(`${l}\n`);
const median = (v: number[]) => [...v].sort((x, y) => x - y)[Math.floor(v.length / 2)];
const r2 = (x: number) => Math.round(x * 100) / 100;

/** A model folder whose model.onnx is `onnxBytes` (or a link to `onnxPath`), with the other files of `fromDir`. */
function folderWith(fromDir: string, dir: string, onnxBytes: Uint8Array): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const f of fs.readdirSync(fromDir)) {
    const src = path.join(fromDir, f);
    if (!f.endsWith('.onnx') && fs.statSync(src).isFile()) fs.copyFileSync(src, path.join(dir, f));
  }
  fs.writeFileSync(path.join(dir, 'model.onnx'), onnxBytes);
  return dir;
}

function rows(seq: number, batch: number, seed: number): number[][] {
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  return Array.from({ length: batch }, () => Array.from({ length: seq }, () => 1000 + Math.floor(next() * 29000)));
}

/** Interleaved rounds over the named sessions; returns each one's median ms and the fp32/x ratios. */
async function interleaved(sessions: Record<string, OnnxTextClassifier>, input: number[][], rounds: number) {
  const names = Object.keys(sessions);
  const times: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  let maxAbsDiff: Record<string, number> = {};
  for (let i = 0; i < rounds + 1; i++) {
    const order = names.map((_, k) => names[(k + i) % names.length]);
    const out: Record<string, Float32Array[]> = {};
    for (const n of order) {
      const t = performance.now();
      out[n] = await sessions[n].runBatch(input);
      if (i > 0) times[n].push(performance.now() - t);
    }
    if (i === 0) {
      maxAbsDiff = Object.fromEntries(names.filter((n) => n !== 'fp32').map((n) => [n, Math.max(...out[n].flatMap((r, b) => Array.from(r, (v, j) => Math.abs(v - out.fp32[b][j]))))]));
    }
  }
  const p50 = Object.fromEntries(names.map((n) => [n, r2(median(times[n]))]));
  const ratio = Object.fromEntries(names.filter((n) => n !== 'fp32').map((n) => [n, r2(median(times.fp32) / median(times[n]))]));
  return { rounds, p50Ms: p50, fp32OverX: ratio, maxAbsLogitDiffVsFp32: maxAbsDiff };
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'int8-variants-'));
  const result: Record<string, unknown> = { date: new Date().toISOString(), loadAverage: os.loadavg().map(r2), cores: threads, cpu: os.cpus()[0]?.model };
  try {
    if (only.length === 0 || only.includes('tiny')) {
      const dir = path.join(repoRoot, 'models', 'spam-bert-tiny');
      const fp32Bytes = fs.readFileSync(path.join(dir, 'model.onnx'));
      const u8Dir = folderWith(dir, path.join(work, 'tiny-u8'), fs.readFileSync(path.join(dir, 'model.int8.onnx')));
      const s7Dir = folderWith(dir, path.join(work, 'tiny-s7'), quantizeDynamicInt8(fp32Bytes, { matMulWeightType: 'int8', reduceRange: true }));
      const s = { fp32: await OnnxTextClassifier.load(dir, { threads }), u8: await OnnxTextClassifier.load(u8Dir, { threads }), s7: await OnnxTextClassifier.load(s7Dir, { threads }) };
      const speed = await interleaved(s, rows(128, 1, 7), 200);
      log(`tiny 128×1: ${JSON.stringify(speed)}`);
      const mails = sampleMails(600, 9);
      const correct = { fp32: 0, u8: 0, s7: 0 };
      const agree = { u8: 0, s7: 0 };
      for (const m of mails) {
        const want = s.fp32.labels[m.label];
        const got = { fp32: (await s.fp32.classify(m.text)).label, u8: (await s.u8.classify(m.text)).label, s7: (await s.s7.classify(m.text)).label };
        for (const k of ['fp32', 'u8', 's7'] as const) if (got[k] === want) correct[k]++;
        for (const k of ['u8', 's7'] as const) if (got[k] === got.fp32) agree[k]++;
      }
      const pct = (n: number) => r2((100 * n) / mails.length);
      result.tiny = { speed128x1: speed, mails: mails.length, accuracyPercent: { fp32: pct(correct.fp32), u8: pct(correct.u8), s7: pct(correct.s7) }, agreementWithFp32Percent: { u8: pct(agree.u8), s7: pct(agree.s7) } };
      log(`tiny accuracy: ${JSON.stringify(result.tiny)}`);
      await Promise.all(Object.values(s).map((c) => c.dispose()));
    }
    if (only.length === 0 || only.includes('base')) {
      // INT8_VARIANTS_BERT_DIR: a cache folder of bertArtifacts built by an earlier revision whose graph is the same
      // (the cache key hashes the exporter's source, so an unrelated edit there forces a long rebuild).
      const reuse = process.env.INT8_VARIANTS_BERT_DIR;
      const art = reuse ? { dir: reuse, fp32Dir: path.join(reuse, 'fp32'), int8Dir: path.join(reuse, 'int8') } : bertArtifacts(repoRoot, BERT_BASE, log);
      result.bertBaseGraphs = art.dir;
      const s7Dir = path.join(art.dir, 'int8-s7');
      if (!fs.existsSync(path.join(s7Dir, 'model.onnx'))) {
        log('quantizing BERT-base with signed 7-bit weights (cached afterwards)…');
        folderWith(art.fp32Dir, s7Dir, quantizeDynamicInt8(fs.readFileSync(path.join(art.fp32Dir, 'model.onnx')), { matMulWeightType: 'int8', reduceRange: true }));
      }
      const s = { fp32: await OnnxTextClassifier.load(art.fp32Dir, { threads }), u8: await OnnxTextClassifier.load(art.int8Dir, { threads }), s7: await OnnxTextClassifier.load(s7Dir, { threads }) };
      const b1 = await interleaved(s, rows(128, 1, 128 * 31 + 1), 15);
      log(`base 128×1: ${JSON.stringify(b1)}`);
      const b8 = await interleaved(s, rows(128, 8, 128 * 31 + 8), 6);
      log(`base 128×8: ${JSON.stringify(b8)}`);
      result.bertBase = { '128x1': b1, '128x8': b8 };
      await Promise.all(Object.values(s).map((c) => c.dispose()));
    }
    result.loadAverageAtEnd = os.loadavg().map(r2);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
