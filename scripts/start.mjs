// `npm start [-- --port N]`: builds the VSIX, starts code-server (a real VS Code in the browser) with it installed,
// on the sample workspace examples/, and prints the URL to open. Ctrl+C ends code-server and everything it started.
//
// code-server is installed once into the user's cache (see test/integration/provision.ts). The extensions dir and
// user data persist in .vscode-test/start/ (override with MODEL_LAB_START_DIR), so settings and quiz progress
// survive restarts. MODEL_LAB_VSIX=file skips the build and installs that VSIX instead.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { tsImport } from 'tsx/esm/api';

const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const portArg = args.indexOf('--port');
const port = portArg >= 0 ? Number(args[portArg + 1]) : 0;
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`usage: npm start [-- --port N]   (N: a TCP port; got ${JSON.stringify(args[portArg + 1])})`);
  process.exit(2);
}
const stateDir = path.resolve(process.env.MODEL_LAB_START_DIR ?? path.join(root, '.vscode-test/start'));
const workspace = path.join(root, 'examples');

const harness = await tsImport('../test/integration/harness.ts', import.meta.url);
const { provisionCodeServer } = await tsImport('../test/integration/provision.ts', import.meta.url);

let vsix = process.env.MODEL_LAB_VSIX;
if (!vsix) {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  vsix = path.join(root, `${pkg.name}-${pkg.version}-${process.platform}-${process.arch}.vsix`);
  const pack = spawnSync(process.execPath, [path.join(root, 'scripts/package.mjs'), '--out', vsix], { cwd: root, stdio: 'inherit' });
  if (pack.status !== 0) {
    console.error('[start] packaging the VSIX failed (see above)');
    process.exit(1);
  }
}

await harness.reapStaleRuns((line) => console.error(`[start] ${line}`));
const cs = await provisionCodeServer({ log: (line) => console.error(`[start] ${line}`) });
const userDataDir = path.join(stateDir, 'user-data');
const extensionsDir = path.join(stateDir, 'extensions');
mkdirSync(extensionsDir, { recursive: true });
// Keep the user's settings across restarts; first start writes the defaults (workspace trust off, no welcome page).
if (!existsSync(path.join(userDataDir, 'User/settings.json'))) harness.writeUserSettings(userDataDir, {});
harness.installVsix(cs, vsix, extensionsDir, userDataDir);

const run = new harness.RunDir('start');
let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  console.error('[start] stopping code-server');
  await run.dispose();
  process.exit(code);
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => void stop(0));

let server;
try {
  server = await harness.startCodeServer(run, cs, { userDataDir, extensionsDir }, port);
} catch (err) {
  console.error(`[start] ${err instanceof Error ? err.message : String(err)}`);
  await stop(1);
}
console.log(`[start] VS Code ${harness.vscodeVersion(cs)} (code-server ${cs.codeServerVersion}, pid ${server.pgid}) with ${path.relative(root, vsix)}`);
server.child.on('exit', (code, signal) => {
  console.error(`[start] code-server exited (${code ?? signal}); its last output:\n${server.log().slice(-4000)}`);
  void stop(1);
});
console.log(`[start] open: ${harness.workbenchUrl(server.url, workspace)}`);
console.log('[start] Ctrl+C stops it.');
