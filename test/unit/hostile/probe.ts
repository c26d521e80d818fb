/**
 * Runs one entry point in a fresh process and reports its cost, so tests can bound time and memory:
 * `node --import tsx probe.ts cli ARGS…` runs the CLI's `main`, `probe.ts decode FILE` the image decoder the
 * worker uses. Prints one JSON line: exit code, output, wall time of the run, and how far the peak resident
 * memory rose above the memory in use just before the run (modules already loaded).
 */
import { main } from '../../../src/cli';
import { readImageFile } from '../../../src/vision/classifier';
import { decodeImageAsync } from '../../../src/vision/decode';

export interface ProbeReport {
  readonly code: number;
  readonly out: string;
  readonly err: string;
  readonly ms: number;
  readonly peakAboveBaselineMB: number;
}

async function run(op: string, args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  if (op === 'cli') return { code: await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) }), out, err };
  if (op === 'decode') {
    try {
      const image = await decodeImageAsync(await readImageFile(args[0]), { name: args[0] });
      out.push(`${image.width}x${image.height}`);
      return { code: 0, out, err };
    } catch (e) {
      err.push(`${(e as { code?: string }).code ?? (e as Error).name}: ${(e as Error).message}`);
      return { code: 1, out, err };
    }
  }
  throw new Error(`unknown probe ${op}`);
}

if (require.main === module) {
  const [op, ...args] = process.argv.slice(2);
  global.gc?.();
  const baseline = process.memoryUsage().rss;
  const started = performance.now();
  void run(op, args).then((r) => {
    const ms = performance.now() - started;
    const peak = process.resourceUsage().maxRSS * 1024;
    const report: ProbeReport = { code: r.code, out: r.out.join('\n'), err: r.err.join('\n'), ms, peakAboveBaselineMB: Math.max(0, peak - baseline) / 1e6 };
    process.stdout.write(`\n${JSON.stringify(report)}\n`);
    process.exit(0);
  });
}
