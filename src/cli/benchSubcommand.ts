import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CliIo, Subcommand } from './subcommand';

const usage = [
  'usage: model-lab bench [--quick] [--json] [--out FILE] [--only text,e2e,tokenizer,image,extension]',
  '',
  '  Measures Model Lab against PyTorch, TensorFlow.js and Transformers.js on this machine (same weights, same',
  '  threads) and writes bench/results/latest.json. Runs from a source checkout (it needs the dev dependencies).',
  '  --quick  tiny shapes, a few iterations (seconds to a minute)',
  '  --json   print the JSON report instead of the table',
].join('\n');

/**
 * The bench lives in bench/ of a source checkout (it is not shipped in the VSIX: it needs the peers, which are
 * dev dependencies). Found from this file: dist/cli.js → ../bench, src/cli/benchSubcommand.ts → ../../bench.
 */
export function findBenchScript(from: string = __dirname): string | undefined {
  let dir = from;
  for (let i = 0; i < 4; i++) {
    const candidate = path.join(dir, 'bench', 'run.ts');
    if (fs.existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  return undefined;
}

/** Forwards a child stream to a line-based sink. */
function pipeLines(stream: NodeJS.ReadableStream, sink: (line: string) => void): () => void {
  let pending = '';
  stream.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const l of lines) sink(l);
  });
  return () => {
    if (pending) sink(pending);
  };
}

export const benchSubcommand: Subcommand = {
  name: 'bench',
  summary: 'benchmark Model Lab against PyTorch, TensorFlow.js and Transformers.js (source checkout)',
  async run(args: string[], io: CliIo): Promise<number> {
    if (args.includes('--help')) {
      io.out(usage);
      return 0;
    }
    const script = findBenchScript();
    if (!script) {
      io.err('model-lab bench runs from a Model Lab source checkout: clone the repository, run npm install, then npm run bench (it needs the dev dependencies: tsx and the peers).');
      return 1;
    }
    const root = path.dirname(path.dirname(script));
    return new Promise<number>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      const flushOut = pipeLines(child.stdout, (l) => io.out(l));
      const flushErr = pipeLines(child.stderr, (l) => io.err(l));
      child.on('error', (err) => {
        io.err(`model-lab bench: could not start node with tsx (${err.message}); run npm install in ${root}.`);
        resolve(1);
      });
      child.on('close', (code) => {
        flushOut();
        flushErr();
        resolve(code ?? 1);
      });
    });
  },
};
