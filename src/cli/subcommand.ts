/**
 * What a CLI subcommand is. Its own module so that subcommands.ts (the list) imports each subcommand and no
 * subcommand imports the list back.
 */
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
