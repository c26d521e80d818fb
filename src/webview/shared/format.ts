/**
 * Formatting shared by the webviews and their panel hosts (pure functions: no DOM, no Node), so a number
 * reads the same everywhere. A number never wraps apart from its unit or the word it counts: they are joined
 * by a non-breaking space ("24 ms", "3 windows", "1.2 MB"), and a percentage has no space ("97.3%").
 */

/** Joins a number to its unit so a line never breaks between them. */
export const NBSP = '\u00a0';

/**
 * Fills `{0}`-style placeholders (the l10n format the host's strings keep for the webview). The space between a
 * placeholder and the word after it ("{0} ms", "{0} 毫秒", "{2} files") becomes non-breaking, so a filled-in
 * number stays with its unit or noun when the line wraps.
 */
export function fill(template: string, ...args: (string | number)[]): string {
  return template
    .replace(/(\{\d+\}) (?=[^\s{])/g, `$1${NBSP}`)
    .replace(/\{(\d+)\}/g, (all, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : all));
}

/** A probability as a percentage with one decimal: "97.3%". */
export function percent(p: number): string {
  return `${(p * 100).toFixed(1)}%`;
}

/** A duration: two decimals under 10 ms, one above ("4.20 ms", "24.0 ms"). */
export function milliseconds(v: number): string {
  return `${v.toFixed(v < 10 ? 2 : 1)}${NBSP}ms`;
}

/** A size in bytes, in binary multiples: "812 B", "1.21 MB", "45.3 MB". */
export function bytes(n: number): string {
  if (n < 1024) return `${n}${NBSP}B`;
  const units = ['KB', 'MB', 'GB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)}${NBSP}${units[i]}`;
}
