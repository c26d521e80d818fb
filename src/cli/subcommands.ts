/** The CLI's subcommands. A feature adds its module under src/cli/ and one entry to this list. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

export interface Subcommand {
  readonly name: string;
  readonly summary: string;
  /** Resolves to the exit code: 0 ok, 1 failure, 2 usage error. */
  run(args: string[], io: CliIo): Promise<number>;
}

import { backendSubcommand } from './backendSubcommand';
import { benchSubcommand } from './benchSubcommand';
import { quizSubcommand } from './quizSubcommand';
import { classifyImageSubcommand } from './classifyImageSubcommand';
import { classifyTextSubcommand } from './classifyTextSubcommand';
import { inspectSubcommand } from './inspectSubcommand';
import { tokenizeSubcommand } from './tokenizeSubcommand';
import { trainTextSubcommand } from './trainTextSubcommand';
import { evalSubcommand } from './evalSubcommand';

export const subcommands: readonly Subcommand[] = [backendSubcommand, quizSubcommand, classifyImageSubcommand, classifyTextSubcommand, tokenizeSubcommand, trainTextSubcommand, evalSubcommand, benchSubcommand, inspectSubcommand];
