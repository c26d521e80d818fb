// Fails (exit 1) when the modules under src/ import each other in a cycle, and prints each cycle as a path
// of files. Part of `npm run lint`. Every import counts, type-only ones too (`import type`, `export … from`,
// `import('…')` in a type, `require`): a type-only cycle still ties two modules together, and both cycles that
// issue #13 found were type-only, which eslint-plugin-import(-x)'s `no-cycle` does not report.
// Run: `node scripts/check-import-cycles.mjs [DIR]` (default src).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function sourceFiles(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/** The file a relative specifier names, or undefined for packages, node: modules and non-TypeScript files. */
function resolveRelative(from, specifier) {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')]) {
    if (/\.tsx?$/.test(candidate) && fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/** Import graph: file → files it imports (relative imports only). */
export function importGraph(dir) {
  const graph = new Map();
  for (const file of sourceFiles(dir)) {
    const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    const targets = new Set();
    for (const { fileName } of info.importedFiles) {
      const target = resolveRelative(file, fileName);
      if (target) targets.add(target);
    }
    graph.set(file, [...targets].sort());
  }
  return graph;
}

/** Strongly connected components with more than one file, or a file that imports itself (Tarjan). */
export function cycles(graph) {
  let index = 0;
  const indices = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  const visit = (v) => {
    indices.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indices.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v), indices.get(w)));
      }
    }
    if (low.get(v) === indices.get(v)) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!indices.has(v)) visit(v);
  return found;
}

/** One shortest cycle through `start` inside its component, as a list of files ending where it began. */
function cyclePath(graph, component, start) {
  const inside = new Set(component);
  const previous = new Map([[start, undefined]]);
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift();
    for (const w of graph.get(v) ?? []) {
      if (!inside.has(w)) continue;
      if (w === start) {
        const pathBack = [start];
        for (let u = v; u !== undefined && u !== start; u = previous.get(u)) pathBack.push(u);
        pathBack.push(start);
        return pathBack.reverse();
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const dir = path.resolve(root, process.argv[2] ?? 'src');
  const graph = importGraph(dir);
  const found = cycles(graph);
  const rel = (f) => path.relative(root, f);
  if (found.length === 0) {
    console.log(`no import cycles in ${rel(dir)}/ (${graph.size} files)`);
  } else {
    for (const component of found) {
      console.error(`import cycle among ${component.length} file(s): ${cyclePath(graph, component, component[0]).map(rel).join(' → ')}`);
      if (component.length > 2) console.error(`  all files in it: ${component.map(rel).join(', ')}`);
    }
    console.error(`${found.length} import cycle(s) in ${rel(dir)}/: move the shared declarations into a module both sides import.`);
    process.exitCode = 1;
  }
}
