// The foundation, as a user sees it: the packaged VSIX installs into a real VS Code (code-server), its commands are
// in the command palette, "Model Lab: Show Log" opens the log with the activation line; the VSIX holds exactly what
// it should; and a test run killed midway leaves nothing running after the next start.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { manifestCommandLabels, manifestViewFocusLabels, packagedVsix, processRunning as alive, repoRoot, startVSCode, type VSCodeSession } from './harness';
import { zipEntryNames } from './support/zip';

interface Manifest {
  version: string;
  devDependencies: Record<string, string>;
}
const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Manifest;

describe('Model Lab in VS Code (code-server)', () => {
  let vscode: VSCodeSession;

  before(async () => {
    vscode = await startVSCode();
    console.log(`# VS Code ${vscode.version}, VSIX ${vscode.vsix}`);
  });

  after(async () => {
    await vscode?.close();
  });

  test('"Model Lab: Show Log" opens the Output panel on the Model Lab log with the activation line', async () => {
    await vscode.runCommand('Model Lab: Show Log');
    const { page } = vscode;
    const panel = page.locator('.part.panel');
    // Seen once in a quiet clean-clone run: the first command of a fresh window (racing the extension's
    // onStartupFinished activation) left the panel hidden. Invoke it a second time before failing, and say
    // so in the output, so the race stays visible while the user-facing behaviour is still asserted.
    const shown = await panel.waitFor({ state: 'visible', timeout: 20_000 }).then(() => true, () => false);
    if (!shown) {
      console.log('# Show Log: the panel did not open on the first invocation; invoking it again');
      await vscode.runCommand('Model Lab: Show Log');
      await panel.waitFor({ state: 'visible', timeout: 60_000 });
    }
    // The Output view's channel picker shows our channel.
    const picker = panel.locator('select.monaco-select-box');
    await page.waitForFunction(
      (el) => (el as HTMLSelectElement | null)?.selectedOptions[0]?.textContent?.trim() === 'Model Lab',
      await picker.first().elementHandle(),
      { timeout: 60_000 },
    );
    const expected = new RegExp(`Model Lab ${manifest.version.replace(/\./g, '\\.')} activated in \\d+(\\.\\d+)? ms`);
    const lines = panel.locator('.output-view .view-lines, .monaco-editor .view-lines').first();
    await page.waitForFunction(
      ({ el, source }) => new RegExp(source).test((el as HTMLElement | null)?.innerText.replace(/\u00a0/g, ' ') ?? ''),
      { el: await lines.elementHandle(), source: expected.source },
      { timeout: 60_000 },
    );
    const text = (await lines.innerText()).replace(/\u00a0/g, ' ');
    assert.match(text, expected);
    await vscode.screenshot('foundation-show-log');
  });

  test('typing "Model Lab:" in the command palette lists every Model Lab command of the manifest', async () => {
    const always = manifestCommandLabels(vscode.vsix, { alwaysInPalette: true });
    // Model Lab's commands, plus the "Focus on … View" commands VS Code generates for its activity-bar views.
    const all = [...manifestCommandLabels(vscode.vsix), ...manifestViewFocusLabels(vscode.vsix)];
    assert.ok(always.length > 0, 'package.json contributes no command that is always in the palette');
    const shown = await vscode.paletteLabels('Model Lab:');
    const missing = always.filter((label) => !shown.includes(label));
    assert.deepEqual(missing, [], `the palette lacks these commands; it shows ${JSON.stringify(shown)}`);
    // Only Model Lab's own commands match the category prefix (the others are hidden by their "when" clauses).
    const foreign = shown.filter((label) => label.startsWith('Model Lab:') && !all.includes(label));
    assert.deepEqual(foreign, [], 'the palette lists Model Lab commands the manifest does not contribute');
  });
});

describe('the packaged VSIX', () => {
  test('holds the linux-x64 onnxruntime binding and no sources, tests, dev dependencies or other platforms', async () => {
    const entries = zipEntryNames(await packagedVsix());
    assert.ok(entries.includes('extension/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node'), 'onnxruntime_binding.node for linux-x64 is missing');
    assert.ok(entries.includes('extension/package.json'));
    assert.ok(entries.includes('extension/dist/extension.js'));
    assert.deepEqual(entries.filter((e) => /^extension\/(src|test)\//.test(e)), [], 'src/ or test/ files are packaged');
    assert.deepEqual(entries.filter((e) => e.endsWith('.ts') && !e.endsWith('.d.ts')), [], 'TypeScript sources are packaged');
    const otherPlatforms = entries.filter((e) => /\/bin\/napi-v\d+\//.test(e) && !/\/bin\/napi-v\d+\/linux\/x64\//.test(e));
    assert.deepEqual(otherPlatforms, [], 'binaries for other platforms are packaged');
    const devDeps = Object.keys(manifest.devDependencies);
    const packagedDev = entries.filter((e) => devDeps.some((d) => e.startsWith(`extension/node_modules/${d}/`)));
    assert.deepEqual(packagedDev, [], 'dev dependencies are packaged');
  });
});

describe('a test run killed midway', () => {
  test('leaves no code-server or Chromium running once the next session starts', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'support/orphanSession.ts')], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const started = await new Promise<{ runDir: string; pids: Record<string, number> }>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (line) resolve(JSON.parse(line) as { runDir: string; pids: Record<string, number> });
      });
      child.on('exit', (code) => reject(new Error(`the session child exited (${code}) before reporting its processes`)));
    });
    const pids = Object.values(started.pids);
    assert.equal(pids.length, 2, `expected code-server and Chromium, got ${JSON.stringify(started.pids)}`);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    for (const pid of pids) assert.ok(alive(pid), `process group ${pid} should outlive its killed owner (test setup)`);

    const next = await startVSCode();
    try {
      for (const [name, pid] of Object.entries(started.pids)) assert.ok(!alive(pid), `${name} (pid ${pid}) of the killed run is still running`);
      assert.ok(!fs.existsSync(started.runDir), `the killed run's dir ${started.runDir} was not removed`);
    } finally {
      await next.close();
    }
    for (const pid of Object.values(next.processGroups)) assert.ok(!alive(pid), `close() left process group ${pid} running`);
  });
});
