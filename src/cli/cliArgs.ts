/**
 * A small argument parser shared by the text subcommands: `--flag`, `--option VALUE` / `--option=VALUE`,
 * `-` and positionals. Unknown options are reported, not ignored, so a typo is a usage error (exit 2).
 */
export interface ParsedArgs {
  readonly flags: Set<string>;
  readonly options: Map<string, string>;
  readonly positionals: string[];
}

export class UsageError extends Error {}

export function parseArgs(args: readonly string[], spec: { flags: readonly string[]; options: readonly string[] }): ParsedArgs {
  const flags = new Set<string>();
  const options = new Map<string, string>();
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      if (spec.flags.includes(name) && eq < 0) {
        flags.add(name);
      } else if (spec.options.includes(name)) {
        const value = eq >= 0 ? a.slice(eq + 1) : args[++i];
        if (value === undefined) throw new UsageError(`--${name} needs a value`);
        options.set(name, value);
      } else {
        throw new UsageError(`unknown option '${a}'`);
      }
    } else {
      positionals.push(a);
    }
  }
  return { flags, options, positionals };
}

/** A non-negative integer option, or the default. */
export function intOption(parsed: ParsedArgs, name: string, fallback: number): number {
  const raw = parsed.options.get(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a whole number ≥ 0 (got '${raw}')`);
  return n;
}
