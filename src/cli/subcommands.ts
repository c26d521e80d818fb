/** The CLI's subcommands. A feature adds its module under src/cli/ (typed by subcommand.ts) and one entry to this list. */
import type { Subcommand } from './subcommand';
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
