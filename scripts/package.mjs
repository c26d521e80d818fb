// `npm run package`: production build, then a linux-x64 VSIX whose contents are the .vscodeignore
// allowlist. Prints the VSIX path and size. `--out FILE` overrides the output path.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const outArg = process.argv.indexOf('--out');
const out = outArg > 0 ? path.resolve(process.argv[outArg + 1]) : path.join(root, `${pkg.name}-${pkg.version}-linux-x64.vsix`);

execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
execFileSync(
  process.execPath,
  [
    path.join(root, 'node_modules/@vscode/vsce/vsce'),
    'package',
    '--target', 'linux-x64',
    '--allow-missing-repository',
    '--skip-license',
    '--out', out,
  ],
  { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] },
);
const bytes = statSync(out).size;
console.log(`[package] ${path.relative(process.cwd(), out)}: ${(bytes / 1024 / 1024).toFixed(2)} MB (${bytes} bytes)`);
