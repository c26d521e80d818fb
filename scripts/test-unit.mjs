// Runs every test/unit/**/*.test.ts with node's test runner (Node 20 has no glob support in --test).
// Extra arguments are passed through as file filters: `npm run test:unit -- quiz` runs files matching "quiz".
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const filters = process.argv.slice(2);
const files = readdirSync(path.join(root, 'test/unit'), { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.test.ts'))
  .filter((f) => filters.length === 0 || filters.some((q) => f.includes(q)))
  .map((f) => path.join('test/unit', f))
  .sort();
if (files.length === 0) {
  console.error('no unit test files matched');
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
