// `npm test`: every test layer, in order, failing fast. Stages: typecheck, lint (ESLint, then the import-cycle
// check, as `npm run lint`), unit (plain Node), integration (the packaged VSIX inside a real VS Code —
// code-server driven by Playwright + Chromium).
// `--skip-integration` exists for quick local loops; CI runs everything.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const skipIntegration = process.argv.includes('--skip-integration');
const stages = [
  ['typecheck', ['node_modules/typescript/bin/tsc', '--noEmit', '-p', '.']],
  ['lint', ['node_modules/eslint/bin/eslint.js', '.']],
  // The other half of `npm run lint`.
  ['import cycles', ['scripts/check-import-cycles.mjs']],
  ['unit', ['scripts/test-unit.mjs']],
  ...(skipIntegration ? [] : [['integration', ['test/integration/run.mjs']]]),
];
for (const [name, args] of stages) {
  const started = Date.now();
  console.log(`\n=== ${name} ===`);
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  console.log(`=== ${name}: ${r.status === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s ===`);
  if (r.status !== 0) process.exit(r.status ?? 1);
}
