// `npm start -- --port N`: serves a VS Code on that port with the VSIX installed and examples/ open; its command
// palette lists Model Lab's commands; Ctrl+C (SIGINT) stops code-server and everything it started.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { attachVSCode, waitForContributedCommands, manifestCommandLabels, packagedVsix, processRunning, repoRoot } from './harness';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

test('`npm start -- --port N` serves VS Code on port N with examples/ open and Model Lab in the command palette; Ctrl+C stops it', async () => {
  const vsix = await packagedVsix();
  const port = await freePort();
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lab-start-test-'));
  const start = spawn(process.execPath, ['scripts/start.mjs', '--port', String(port)], {
    cwd: repoRoot,
    env: { ...process.env, MODEL_LAB_VSIX: vsix, MODEL_LAB_START_DIR: stateDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  start.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  start.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => start.once('exit', (code) => resolve(code)));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start printed no URL within 180 s; its output:\n${output}`)), 180_000);
      start.stdout.on('data', () => {
        const m = /\[start\] open: (\S+)/.exec(output);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      void exited.then((code) => reject(new Error(`npm start exited (${code}) before printing a URL; its output:\n${output}`)));
    });
    assert.ok(url.startsWith(`http://127.0.0.1:${port}/?folder=`), `unexpected URL ${url}`);
    assert.equal(decodeURIComponent(new URL(url).searchParams.get('folder') ?? ''), path.join(repoRoot, 'examples'));
    const serverPid = Number(/pid (\d+)\)/.exec(output)?.[1]);
    assert.ok(processRunning(serverPid), `code-server (pid ${serverPid}) is not running; output:\n${output}`);

    const vscode = await attachVSCode(url, path.join(repoRoot, 'examples'));
    try {
      // The explorer shows the sample workspace.
      for (const name of ['images', 'texts']) {
        await vscode.page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first().waitFor({ state: 'visible', timeout: 30_000 });
      }
      await waitForContributedCommands(vscode, vsix);
      const shown = await vscode.paletteLabels('Model Lab:');
      const missing = manifestCommandLabels(vsix, { alwaysInPalette: true }).filter((label) => !shown.includes(label));
      assert.deepEqual(missing, [], `the palette of npm start's VS Code lacks these; it shows ${JSON.stringify(shown)}`);
    } finally {
      await vscode.close();
    }

    start.kill('SIGINT');
    const code = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('timeout'), 30_000))]);
    assert.equal(code, 0, `npm start did not exit cleanly on Ctrl+C; output:\n${output}`);
    assert.ok(!processRunning(serverPid), `code-server (pid ${serverPid}) still runs after Ctrl+C`);
  } finally {
    if (start.exitCode === null && start.signalCode === null) {
      // A failed assertion above: stop it the way a user would, and only then by force.
      start.kill('SIGINT');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
      if (start.exitCode === null && start.signalCode === null) start.kill('SIGKILL');
    }
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
});
