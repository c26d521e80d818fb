// Singular and plural: every string that counts a noun ("{0} windows", "lines {1}") has a singular sibling
// ("{0} window", "line {1}") so `plural()` (src/common/plural.ts) can pick the right one for English. Scans the
// l10n.t keys in src/, package.nls.json, the quiz webview's string table and the CLI's output templates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { plural } from '../../src/common/plural';
import { strings as quizStrings } from '../../src/webview/quiz/strings';

const root = path.resolve(__dirname, '../..');

/** Words ending in "s" that follow or precede a number in our strings without being a counted noun. */
const NOT_COUNTED = new Set(['is', 'was', 'has', 'does', 'contains', 'exists', 'expects', 'lies', 'looks', 'needs', 'names', 'holds', 'points', 'runs', 'speaks', 'this', 'its', 'as', 'us', 'ms', 's', 'plus', 'less', 'minus', 'across', 'keeps', 'goes', 'takes', 'shows', 'lists', 'outputs', 'imports', 'scores',
  // "runs on inputs {1}": the inputs' names and shapes follow, not a count.
  'inputs']);

function singular(word: string): string {
  if (/ies$/.test(word)) return word.replace(/ies$/, 'y');
  if (/(ss|x|ch|sh)es$/.test(word)) return word.replace(/es$/, '');
  return word.replace(/s$/, '');
}

/** Each counted plural in `text` with the text its singular sibling must have. `slot` is `{0}` or `${…}`. */
function countedPlurals(text: string, slot: string): { noun: string; singularText: string }[] {
  const found: { noun: string; singularText: string }[] = [];
  // Not "images/s" (a rate), not "loss" (not a plural).
  const after = new RegExp(`(${slot}) ([A-Za-z][a-z]*[a-rt-z]s)\\b(?![/'’-])`, 'g');
  // Not "chars {0}–{1}" (a range is always plural).
  const before = new RegExp(`\\b([A-Za-z][a-z]*[a-rt-z]s) (${slot})(?![–-])`, 'g');
  for (const m of text.matchAll(after)) {
    if (NOT_COUNTED.has(m[2].toLowerCase())) continue;
    found.push({ noun: m[2], singularText: text.slice(0, m.index) + `${m[1]} ${singular(m[2])}` + text.slice(m.index! + m[0].length) });
  }
  for (const m of text.matchAll(before)) {
    if (NOT_COUNTED.has(m[1].toLowerCase())) continue;
    found.push({ noun: m[1], singularText: text.slice(0, m.index) + `${singular(m[1])} ${m[2]}` + text.slice(m.index! + m[0].length) });
  }
  return found;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.ts')).map((f) => path.join(dir, f));
}

function l10nKeys(source: string): string[] {
  const keys: string[] = [];
  for (const m of source.matchAll(/l10n\.t\(\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|`((?:[^`\\$]|\\.)*)`)/g)) keys.push((m[1] ?? m[2] ?? m[3] ?? '').replace(/\\(.)/g, '$1'));
  return keys;
}

/** Strings missing a singular sibling, as "where: string (noun)". */
function missingSingulars(where: string, texts: readonly string[], slot: string): string[] {
  const all = new Set(texts);
  const missing: string[] = [];
  for (const text of all) for (const { noun, singularText } of countedPlurals(text, slot)) if (!all.has(singularText)) missing.push(`${where}: ${JSON.stringify(text)} (${noun}) has no ${JSON.stringify(singularText)}`);
  return missing;
}

const PLACEHOLDER = '\\{\\d+\\}';
const TEMPLATE_SLOT = '\\$\\{[^}]+\\}';

test('plural() picks the singular for exactly one', () => {
  assert.equal(plural(1, 'a', 'b'), 'a');
  for (const n of [0, 2, 11, 1.5, 21]) assert.equal(plural(n, 'a', 'b'), 'b');
});

test('the scan finds counted plurals (so the checks below can fail)', () => {
  assert.deepEqual(missingSingulars('t', ['{0} windows', 'Selection — {0}, lines {1}', '{0} is a folder', '{0} ms'], PLACEHOLDER), [
    't: "{0} windows" (windows) has no "{0} window"',
    't: "Selection — {0}, lines {1}" (lines) has no "Selection — {0}, line {1}"',
  ]);
  assert.deepEqual(missingSingulars('t', ['{0} windows', '{0} window', '{0} entries', '{0} entry'], PLACEHOLDER), []);
  assert.equal(missingSingulars('cli', ['`${n} texts`'], TEMPLATE_SLOT).length, 1);
});

test('every l10n.t string that counts a noun has its singular (src/)', () => {
  const keys = sourceFiles(path.join(root, 'src')).flatMap((f) => l10nKeys(fs.readFileSync(f, 'utf8')));
  assert.ok(keys.length > 100, 'the l10n scan found too few keys');
  assert.deepEqual(missingSingulars('l10n', keys, PLACEHOLDER), []);
});

test('every manifest string that counts a noun has its singular (package.nls.json)', () => {
  const nls = JSON.parse(fs.readFileSync(path.join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;
  assert.deepEqual(missingSingulars('package.nls.json', Object.values(nls), PLACEHOLDER), []);
});

test('every quiz webview string that counts a noun has its singular', () => {
  const en = Object.values(quizStrings('en')).filter((v): v is string => typeof v === 'string');
  assert.deepEqual(missingSingulars('quiz strings', en, PLACEHOLDER), []);
});

test('every CLI output template that counts a noun has its singular', () => {
  const files = [...sourceFiles(path.join(root, 'src/cli')), path.join(root, 'src/cli.ts'), path.join(root, 'src/inspector/report.ts')];
  const templates = files.flatMap((f) => [...fs.readFileSync(f, 'utf8').matchAll(/`(?:[^`\\]|\\.)*`/g)].map((m) => m[0]));
  // A template like `${n} window${n === 1 ? '' : 's'}` is the English-only spelling of plural(); both forms are there.
  const missing = missingSingulars('cli', templates, TEMPLATE_SLOT).filter((line) => !/\$\{[^}]*=== 1 \? '' : 's'\}/.test(line));
  assert.deepEqual(missing, []);
});
