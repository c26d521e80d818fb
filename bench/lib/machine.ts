/**
 * Machine facts for the report: CPU model, cores, SIMD flags, and the clock MEASURED here.
 *
 * Clock: a dependent chain of 32-bit integer multiplies (`Math.imul`, which V8's optimizing compiler turns into
 * one `imul r32, r32`; latency 3 cycles on every x86 core since Nehalem and on AMD Zen). The loop counter runs
 * in parallel with the chain, so an unrolled body of 8 multiplies costs 24 cycles. The best of many short
 * trials (other processes preempt some) gives cycles ÷ seconds. /proc/cpuinfo's "cpu MHz" is reported beside
 * it: in a VM it is often the nominal clock, not the one the core runs at.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import type { MachineInfo } from './report';
import { round } from './report';

/** Cycles per `Math.imul` in a dependent chain. */
const IMUL_LATENCY_CYCLES = 3;
const UNROLL = 8;

function imulChain(n: number, m: number): number {
  let x = m | 1;
  for (let i = 0; i < n; i++) {
    x = Math.imul(x, m);
    x = Math.imul(x, m);
    x = Math.imul(x, m);
    x = Math.imul(x, m);
    x = Math.imul(x, m);
    x = Math.imul(x, m);
    x = Math.imul(x, m);
    x = Math.imul(x, m);
  }
  return x;
}

/** Measured core clock in GHz (best of `trials` chains of `n` unrolled iterations). */
export function measureClockGhz(trials = 200, n = 200_000): number {
  // The multiplier comes from the environment so the JIT cannot fold the chain into a constant.
  const multiplier = (Number(process.env.MODEL_LAB_BENCH_IMUL ?? '0') | 0) || 0x9e3779b1;
  let best = Infinity;
  let sink = 0;
  for (let t = 0; t < trials; t++) {
    const t0 = process.hrtime.bigint();
    sink ^= imulChain(n, multiplier);
    const ns = Number(process.hrtime.bigint() - t0);
    // The first trials run before the optimizing compiler has the loop.
    if (t >= 10) best = Math.min(best, ns);
  }
  if (sink === 0x7fffffff) process.stdout.write(''); // keeps `sink` observable
  return (n * UNROLL * IMUL_LATENCY_CYCLES) / best;
}

export function readCpuFlags(): { avx2: boolean; fma: boolean; avx512: string[]; model: string; mhz: number | undefined } {
  let text = '';
  try {
    text = fs.readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    // Not Linux: flags unknown.
  }
  const flagsLine = /^flags\s*:\s*(.*)$/m.exec(text)?.[1] ?? '';
  const flags = new Set(flagsLine.split(/\s+/));
  const mhz = /^cpu MHz\s*:\s*([\d.]+)/m.exec(text)?.[1];
  return {
    avx2: flags.has('avx2'),
    fma: flags.has('fma'),
    avx512: [...flags].filter((f) => f.startsWith('avx512')).sort(),
    model: /^model name\s*:\s*(.*)$/m.exec(text)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown',
    mhz: mhz ? Number(mhz) : undefined,
  };
}

export function describeMachine(quick: boolean): MachineInfo {
  const cpu = readCpuFlags();
  const cores = os.availableParallelism?.() ?? os.cpus().length;
  const ghz = measureClockGhz(quick ? 40 : 200);
  // 2 FMA units × 8 fp32 lanes (AVX2) × 2 FLOP per FMA = 32 FLOP/cycle/core; AVX-512 doubles the lanes.
  const flopPerCycle = cpu.avx512.includes('avx512f') ? 64 : cpu.avx2 && cpu.fma ? 32 : 16;
  return {
    cpuModel: cpu.model,
    cores,
    flags: { avx2: cpu.avx2, fma: cpu.fma, avx512: cpu.avx512 },
    cpuinfoMhz: cpu.mhz,
    measuredGhz: round(ghz, 3),
    clockMethod: `best of ${quick ? 40 : 200} dependent Math.imul chains (3-cycle latency, 8 per loop iteration); /proc/cpuinfo says ${cpu.mhz ?? '?'} MHz`,
    peakFp32Gflops: round(cores * flopPerCycle * ghz, 1),
    peakMethod: `${cores} cores × ${flopPerCycle} FLOP/cycle (${flopPerCycle === 32 ? '2 FMA units × 8 fp32 lanes × 2' : 'from the SIMD flags'}) × ${ghz.toFixed(2)} GHz measured`,
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    loadAverage: os.loadavg().map((x) => round(x, 2)),
    os: `${os.type()} ${os.release()}`,
  };
}
