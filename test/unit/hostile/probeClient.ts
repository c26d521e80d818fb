/** Spawns probe.ts (see there) with a hard timeout, so a hang fails the test instead of blocking it. */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { ProbeReport } from './probe';

const repo = path.resolve(__dirname, '../../..');

export function probe(op: 'cli' | 'decode', args: readonly string[], options: { timeoutMs?: number; input?: string } = {}): ProbeReport {
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(__dirname, 'probe.ts'), op, ...args], {
    cwd: repo,
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 60_000,
    input: options.input ?? '',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error || r.signal) throw new Error(`probe ${op} ${args.join(' ')} did not finish: ${r.error?.message ?? r.signal} (stderr: ${r.stderr?.slice(-2000)})`);
  const last = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(last) as ProbeReport;
  } catch {
    throw new Error(`probe ${op} ${args.join(' ')} printed no report (exit ${r.status}): ${r.stdout.slice(-2000)} ${r.stderr.slice(-2000)}`);
  }
}
