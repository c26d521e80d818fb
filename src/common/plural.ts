/**
 * Singular or plural for a counted noun. `vscode.l10n` has no plural rules, so every counted phrase has two keys,
 * "{0} window" and "{0} windows", and this picks one by the count: English has two forms (1 → singular), Chinese
 * has one (its bundle translates both keys alike, with the noun's measure word: 1 个窗口 / 3 个窗口).
 * Both candidates are passed already translated (and filled), so the l10n key scan still sees literal keys.
 * `test/unit/l10nPlural.test.ts` fails on a "{0} <plural noun>" string that has no singular sibling.
 */
export function plural<T>(count: number, one: T, other: T): T {
  return count === 1 ? one : other;
}

/** English-only output (the CLI): "1 window", "3 windows". */
export function counted(count: number, one: string, other: string): string {
  return `${count} ${plural(count, one, other)}`;
}
