/**
 * Which npm packages a TypeScript snippet imports, and which of them a project's package.json does not list —
 * so "Insert Model Snippet" can offer to install what the inserted code needs. No `vscode` import.
 */
import { builtinModules } from 'node:module';

const BUILTINS = new Set(builtinModules);

/** Bare package names imported by `code` (`import … from 'x'`, `import 'x'`, `require('x')`), without Node built-ins. */
export function importedPackages(code: string): string[] {
  const found = new Set<string>();
  for (const m of code.matchAll(/(?:\bfrom\s+|\bimport\s+|\brequire\(\s*)['"]([^'"\n]+)['"]/g)) {
    const spec = m[1]!;
    if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:')) continue;
    const parts = spec.split('/');
    const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
    if (!BUILTINS.has(name)) found.add(name);
  }
  return [...found].sort();
}

/** The packages of `needed` that package.json's dependencies, devDependencies and peer/optional lists lack. */
export function missingPackages(packageJsonText: string, needed: readonly string[]): string[] {
  let pkg: unknown;
  try {
    pkg = JSON.parse(packageJsonText);
  } catch {
    return [...needed];
  }
  const listed = new Set<string>();
  if (pkg && typeof pkg === 'object') {
    for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
      const deps = (pkg as Record<string, unknown>)[field];
      if (deps && typeof deps === 'object') for (const name of Object.keys(deps)) listed.add(name);
    }
  }
  return needed.filter((n) => !listed.has(n));
}
