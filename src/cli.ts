#!/usr/bin/env node
/**
 * `model-lab`: the extension's features from a terminal, so every capability can be used and checked
 * outside VS Code. Each feature adds a subcommand module under src/cli/ and one entry in `subcommands`.
 */
import type { CliIo } from './cli/subcommand';
import { subcommands } from './cli/subcommands';
import { version } from './cli/version';

export const usageLine = 'usage: model-lab [--help] [--version] <command> [args]';

function helpText(): string {
  const width = Math.max(...subcommands.map((c) => c.name.length));
  const lines = subcommands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    `Model Lab ${version} — large-model quizzes, snippets and offline classifiers`,
    '',
    usageLine,
    '',
    'Commands:',
    ...lines,
    '',
    'Run `model-lab <command> --help` for the options of one command.',
  ].join('\n');
}

/** Runs the CLI and resolves to the process exit code (0 ok, 1 failure, 2 usage error). */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    io.out(helpText());
    return first === undefined ? 2 : 0;
  }
  if (first === '--version' || first === '-V') {
    io.out(version);
    return 0;
  }
  const command = subcommands.find((c) => c.name === first);
  if (!command) {
    io.err(`model-lab: unknown command '${first}'`);
    io.err(usageLine);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    io.err(`model-lab ${first}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

if (require.main === module) {
  const io: CliIo = {
    out: (line) => process.stdout.write(line + '\n'),
    err: (line) => process.stderr.write(line + '\n'),
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`model-lab: ${String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
