// `npm run test:integration [-- filter...]`: the packaged VSIX inside a real VS Code (code-server), driven by
// Playwright + Debian Chromium. Provisions code-server (cached outside the clone), packages the VSIX once, then
// runs every test/integration/*.test.ts (or those whose name contains a filter) with node:test, one file at a time.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const filters = process.argv.slice(2);
const started = Date.now();
const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const chromium = process.env.MODEL_LAB_CHROMIUM ?? '/usr/bin/chromium';
// Bounded but generous: a test that waits on the UI longer than this is stuck, not slow.
const TEST_TIMEOUT_MS = 10 * 60 * 1000;

function fail(message) {
  console.error(`[integration] ${message}`);
  process.exit(1);
}

if (!existsSync(chromium)) fail(`${chromium} is missing: install Debian chromium (apt-get install -y chromium), or set MODEL_LAB_CHROMIUM`);

const files = readdirSync(path.join(root, 'test/integration'))
  .filter((f) => f.endsWith('.test.ts'))
  .filter((f) => filters.length === 0 || filters.some((q) => f.includes(q)))
  .sort()
  .map((f) => path.join('test/integration', f));
if (files.length === 0) fail(`no integration test file matched ${JSON.stringify(filters)}`);

// 1. code-server (first run: several minutes; later runs: reuse the cache).
const provision = spawnSync(process.execPath, ['--import', 'tsx', 'test/integration/provision.ts'], {
  cwd: root,
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
});
if (provision.status !== 0) fail('provisioning code-server failed (see above)');
const csDir = provision.stdout.trim().split('\n').pop();
const csPackage = path.join(csDir, 'node_modules/code-server');
const vscodeVersion = JSON.parse(readFileSync(path.join(csPackage, 'lib/vscode/package.json'), 'utf8')).version;
const codeServerVersion = JSON.parse(readFileSync(path.join(csPackage, 'package.json'), 'utf8')).version;

// 2. The VSIX, once for every test file (a private path, so a concurrent `npm run package` cannot swap it).
let vsix = process.env.MODEL_LAB_VSIX;
let vsixDir;
if (!vsix) {
  vsixDir = mkdtempSync(path.join(os.tmpdir(), 'model-lab-vsix-'));
  vsix = path.join(vsixDir, 'model-lab-linux-x64.vsix');
  const pack = spawnSync(process.execPath, ['scripts/package.mjs', '--out', vsix], { cwd: root, stdio: 'inherit' });
  if (pack.status !== 0) fail('packaging the VSIX failed (see above)');
}

console.log(`[integration] testing ${vsix}`);
console.log(`[integration] in VS Code ${vscodeVersion} (code-server ${codeServerVersion}, ${csDir})`);
console.log(`[integration] ${files.length} file(s): ${files.join(' ')} (ready after ${seconds()})`);

// 3. The tests, one file at a time (each starts its own code-server and Chromium). SIGINT/SIGTERM are passed on,
// so the test processes end their sessions (the harness kills its process groups on those signals).
const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=1', `--test-timeout=${TEST_TIMEOUT_MS}`, '--test-reporter=spec', ...files],
  { cwd: root, stdio: 'inherit', env: { ...process.env, MODEL_LAB_VSIX: vsix } },
);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => {
  if (vsixDir) rmSync(vsixDir, { recursive: true, force: true });
  console.log(`[integration] ${code === 0 ? 'passed' : 'FAILED'}: VS Code ${vscodeVersion}, VSIX ${vsix}, ${seconds()}`);
  process.exit(code ?? (signal ? 1 : 0));
});
