/**
 * Formatting shared by the webviews and their panel hosts (pure functions: no DOM, no Node), so a number
 * reads the same everywhere.
 */

/** Fills `{0}`-style placeholders (the l10n format the host's strings keep for the webview). */
export function fill(template: string, ...args: (string | number)[]): string {
  return template.replace(/\{(\d+)\}/g, (all, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : all));
}

/** A probability as a percentage with one decimal: "97.3%". */
export function percent(p: number): string {
  return `${(p * 100).toFixed(1)}%`;
}

/** A duration: two decimals under 10 ms, one above. */
export function milliseconds(v: number): string {
  return `${v.toFixed(v < 10 ? 2 : 1)} ms`;
}
