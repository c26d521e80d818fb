// The bench harness cannot rot: `bench/run.ts --quick` runs every section on toy shapes and writes a JSON report
// whose shape is checked here. PyTorch is forced "not run" (MODEL_LAB_BENCH_PYTHON points nowhere), so the test
// needs no Debian package and checks the not-run path with its install hint.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BenchReport, Measurement } from '../../../bench/lib/report';
import { figure, okMeasurement, percentile } from '../../../bench/lib/report';
import { evaluateTargets, parseBenchArgs } from '../../../bench/run';
import { BERT_BASE, bertFlops } from '../../../bench/sections/textBert';
import { findBenchScript } from '../../../src/cli/benchSubcommand';

const repoRoot = path.resolve(__dirname, '../../..');

function checkMeasurement(m: Measurement, where: string): void {
  assert.ok(['ok', 'not run', 'failed'].includes(m.status), `${where}: status ${m.status}`);
  assert.equal(typeof m.engine, 'string', `${where}: engine`);
  if (m.status === 'ok') {
    assert.equal(typeof m.method, 'string', `${where}: method`);
    assert.ok(Number.isInteger(m.iterations) && (m.iterations ?? 0) >= 1, `${where}: iterations ${m.iterations}`);
    assert.ok((m.p50Ms ?? -1) > 0 && (m.p95Ms ?? -1) >= (m.p50Ms ?? 0), `${where}: p50 ${m.p50Ms} p95 ${m.p95Ms}`);
  } else {
    assert.ok(m.reason && m.reason.length > 10, `${where}: a ${m.status} measurement must say why`);
  }
}

test('bench --quick writes a report of the documented shape', { timeout: 600_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-quick-'));
  try {
    const out = path.join(dir, 'report.json');
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--quick', '--out', out], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, MODEL_LAB_BENCH_PYTHON: path.join(dir, 'no-python-here'), MODEL_LAB_BENCH_CACHE: path.join(dir, 'cache') },
      timeout: 590_000,
    });
    assert.equal(r.status, 0, `bench --quick failed:\n${r.stderr.slice(-3000)}`);
    assert.match(r.stdout, /TARGETS/);
    const report = JSON.parse(fs.readFileSync(out, 'utf8')) as BenchReport;

    assert.equal(report.schema, 'model-lab-bench/1');
    assert.equal(report.mode, 'quick');
    assert.ok(!Number.isNaN(Date.parse(report.date)));
    const m = report.machine;
    assert.ok(m.cores >= 1 && typeof m.cpuModel === 'string');
    assert.equal(typeof m.flags.avx2, 'boolean');
    assert.ok(Array.isArray(m.flags.avx512));
    assert.ok(m.measuredGhz > 0.3 && m.measuredGhz < 8, `measured clock ${m.measuredGhz} GHz`);
    assert.ok(m.peakFp32Gflops > 0);
    for (const key of ['node', 'onnxruntime-node', '@tensorflow/tfjs', '@huggingface/transformers', 'torch']) assert.equal(typeof report.versions[key], 'string', `version of ${key}`);

    const ids = report.figures.map((f) => f.id);
    for (const id of ['text.bert.fp32.s16.b1', 'text.bert.int8.s16.b1', 'text.e2e.transformers-js', 'tokenizer.english', 'tokenizer.mixed-zh-en', 'image.e2e.one', 'image.e2e.512', 'image.infer.b1']) {
      assert.ok(ids.includes(id), `figure ${id} missing (have ${ids.join(', ')})`);
    }
    for (const f of report.figures) {
      assert.ok(f.name && f.section, `${f.id}: name/section`);
      checkMeasurement(f.ours, `${f.id} ours`);
      assert.notEqual(f.ours.status, 'failed', `${f.id}: ours failed in --quick (${f.ours.reason ?? ''})`);
      for (const p of f.peers) {
        checkMeasurement(p, `${f.id} ${p.engine}`);
        if (p.status === 'ok') assert.ok(f.fasterThan[p.engine] > 0, `${f.id}: ratio vs ${p.engine}`);
        else assert.equal(f.fasterThan[p.engine], undefined);
      }
    }
    // PyTorch was made unavailable: reported "not run" with the Debian install hint, never a number.
    const torchPeers = report.figures.flatMap((f) => f.peers).filter((p) => p.engine.startsWith('pytorch'));
    assert.ok(torchPeers.length > 0);
    for (const p of torchPeers) {
      assert.equal(p.status, 'not run');
      // Python is missing here, so the only true reason is the missing interpreter: never "skipped for time".
      assert.match(p.reason ?? '', /apt-get install -y python3-torch libopenblas0-pthread/);
    }
    // The in-process peers run even in --quick.
    assert.equal(report.figures.find((f) => f.id === 'text.bert.fp32.s16.b1')?.peers.find((p) => p.engine === 'tfjs-wasm')?.status, 'ok');
    assert.equal(report.figures.find((f) => f.id === 'tokenizer.english')?.peers[0].status, 'ok');
    assert.ok((report.figures.find((f) => f.id === 'tokenizer.english')?.ours.mbPerSecond ?? 0) > 0);

    assert.ok(report.metrics.length > 0);
    for (const metric of report.metrics) {
      assert.ok(['ok', 'not run', 'failed'].includes(metric.status));
      if (metric.status === 'ok') assert.equal(typeof metric.value, 'number');
      else assert.ok(metric.reason, `${metric.id}: reason`);
    }
    assert.ok(report.targets.length >= 10);
    for (const t of report.targets) assert.equal(t.status, 'not measured', '--quick judges no target');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('percentile is nearest-rank; ratios are peer p50 ÷ ours, throughput ours ÷ peer', () => {
  assert.equal(percentile([5, 1, 4, 2, 3], 50), 3);
  assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95), 10);
  assert.equal(percentile([7], 95), 7);
  const ours = okMeasurement('ours', [10, 10, 10], 'm');
  const f = figure('x', 'text', 'x', ours, [okMeasurement('peer', [25, 25], 'm'), { engine: 'absent', status: 'not run', reason: 'not installed (apt-get install x)' }]);
  assert.deepEqual(f.fasterThan, { peer: 2.5 });
  const t = figure('t', 'tokenizer', 't', { ...ours, mbPerSecond: 6 }, [{ ...okMeasurement('peer', [1], 'm'), mbPerSecond: 1.5 }]);
  assert.deepEqual(t.fasterThan, { peer: 4 });
});

test('a missed target is marked MISSED with a reason; an unmeasured one says why', () => {
  const slow = figure('text.bert.fp32.s128.b1', 'text', 'x', okMeasurement('onnxruntime-fp32', [100], 'm'), [okMeasurement('pytorch-fp32', [140], 'm')]);
  const targets = evaluateTargets({ figures: [slow] });
  const vsTorch = targets.find((t) => t.id === 'text.vs-pytorch.issue18');
  assert.equal(vsTorch?.status, 'MISSED');
  assert.equal(vsTorch?.measured, '1.4×');
  assert.ok(vsTorch?.reason);
  const image = targets.find((t) => t.id === 'image.vs-pytorch');
  assert.equal(image?.status, 'not measured');
  assert.ok(image?.reason);
});

test('BERT-base FLOPs: 12 layers × (2·S·(4H² + 2HI) + 4·S²·H)', () => {
  // 128 tokens: 12 × (2·128·(4·768² + 2·768·3072) + 4·128²·768) = 12 × (1,811,939,328 + 50,331,648)
  assert.equal(bertFlops(BERT_BASE, 128, 1), 12 * (1_811_939_328 + 50_331_648));
  assert.equal(bertFlops(BERT_BASE, 16, 8), 8 * bertFlops(BERT_BASE, 16, 1));
});

test('bench arguments: --quick, --out, --only; unknown ones are errors', () => {
  const a = parseBenchArgs(['--quick', '--out', 'x.json', '--only', 'text,image']);
  assert.equal(a.quick, true);
  assert.equal(path.basename(a.out), 'x.json');
  assert.deepEqual([...a.only].sort(), ['image', 'text']);
  assert.throws(() => parseBenchArgs(['--only', 'gpu']), /unknown: gpu/);
  assert.throws(() => parseBenchArgs(['--fast']), /unknown argument/);
  assert.equal(findBenchScript(path.join(repoRoot, 'src', 'cli')), path.join(repoRoot, 'bench', 'run.ts'));
});
