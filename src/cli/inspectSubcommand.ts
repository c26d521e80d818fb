import * as path from 'node:path';
import { benchmarkModel, type BenchmarkResult } from '../inspector/benchmark';
import { toErrorData } from '../common/errors';
import { inspectModel } from '../inspector/inspect';
import type { ModelInspection } from '../inspector/model';
import { benchmarkText, inspectionJson, inspectionText } from '../inspector/report';
import { parseArgs, UsageError } from './cliArgs';
import type { Subcommand } from './subcommand';

const USAGE = 'usage: model-lab inspect FILE [--json] [--benchmark] [--dim NAME=VALUE]... [--runs N] [--threads N]';

/**
 * `model-lab inspect`: the model inspector's summary and operator histogram for an .onnx file or a
 * TensorFlow.js model.json; `--benchmark` adds p50/p95 latency and ORT's per-operator profile. In process: the
 * CLI has no event loop to protect. Exit 1 when the model cannot be read or run.
 */
export const inspectSubcommand: Subcommand = {
  name: 'inspect',
  summary: 'summary, operators and (with --benchmark) timings of an .onnx or TensorFlow.js model.json',
  async run(args, io) {
    if (args.includes('--help') || args.includes('-h')) {
      io.out(USAGE);
      io.out('  --json       one JSON object on stdout');
      io.out('  --benchmark  run the model on random inputs with onnxruntime-node: p50/p95 and a per-operator profile');
      io.out('  --dim        size of a dynamic dimension for the benchmark, e.g. --dim batch_size=1 --dim sequence_length=128');
      io.out('  --runs       timed runs (default 20)');
      io.out('  --threads    onnxruntime intra-op threads (default 1)');
      return 0;
    }
    // --dim may repeat; cliArgs keeps one value per option, so collect them first.
    const dims: Record<string, number> = {};
    const rest: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      const value = a === '--dim' ? args[++i] : a.startsWith('--dim=') ? a.slice('--dim='.length) : undefined;
      if (value === undefined) {
        if (a === '--dim') throw new UsageError('--dim needs NAME=VALUE');
        rest.push(a);
        continue;
      }
      const m = /^(.+)=(\d+)$/.exec(value);
      if (!m) {
        io.err(`model-lab inspect: --dim takes NAME=VALUE with a whole number (got '${value}')`);
        return 2;
      }
      dims[m[1]] = Number(m[2]);
    }
    let parsed;
    try {
      parsed = parseArgs(rest, { flags: ['json', 'benchmark'], options: ['runs', 'threads'] });
    } catch (err) {
      io.err(`model-lab inspect: ${err instanceof Error ? err.message : String(err)}`);
      io.err(USAGE);
      return 2;
    }
    if (parsed.positionals.length !== 1) {
      io.err(USAGE);
      return 2;
    }
    const intOpt = (name: string, fallback: number): number | undefined => {
      const raw = parsed.options.get(name);
      if (raw === undefined) return fallback;
      const n = Number(raw);
      return Number.isInteger(n) && n > 0 ? n : undefined;
    };
    const runs = intOpt('runs', 20);
    const threads = intOpt('threads', 1);
    if (runs === undefined || threads === undefined) {
      io.err('model-lab inspect: --runs and --threads take a whole number ≥ 1');
      return 2;
    }
    const file = path.resolve(parsed.positionals[0]);
    let inspection: ModelInspection;
    try {
      inspection = inspectModel(file);
    } catch (err) {
      io.err(`model-lab inspect: ${toErrorData(err).message}`);
      return 1;
    }
    const json = parsed.flags.has('json');
    if (!json) for (const line of inspectionText(inspection)) io.out(line);
    let benchmark: BenchmarkResult | undefined;
    if (parsed.flags.has('benchmark')) {
      try {
        benchmark = await benchmarkModel(inspection, { dims, runs, threads });
      } catch (err) {
        if (json) io.out(JSON.stringify(inspectionJson(inspection)));
        io.err(`model-lab inspect: ${toErrorData(err).message}`);
        return 1;
      }
      if (!json) for (const line of benchmarkText(benchmark)) io.out(line);
    }
    if (json) io.out(JSON.stringify(inspectionJson(inspection, benchmark)));
    return 0;
  },
};
