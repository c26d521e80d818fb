// The integration harness's process hygiene, without a VS Code: reaping by pid file and run marker, the zip reader
// used on the VSIX.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { processRunning, reapStaleRuns, runsRoot, RunDir } from '../integration/harness';
import { readZipEntry, zipEntryNames } from '../integration/support/zip';

const savedTmp = process.env.TMPDIR;
let tmp: string;
const started: ChildProcess[] = [];

before(() => {
  // A private runs root, so this test never touches real runs.
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lab-harness-unit-'));
  process.env.TMPDIR = tmp;
});

after(() => {
  for (const child of started) if (child.pid && processRunning(child.pid)) process.kill(-child.pid, 'SIGKILL');
  process.env.TMPDIR = savedTmp;
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A fake run dir as a killed test run leaves it: owner gone, a process group still running. */
function orphanedRun(name: string, options: { marker: boolean }): { dir: string; pid: number } {
  const dir = path.join(runsRoot(), name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'owner.json'), JSON.stringify({ pid: 2 ** 22 + 1, startTime: '1' }));
  const env = options.marker ? { ...process.env, MODEL_LAB_TEST_RUN: dir } : { ...process.env };
  const child = spawn('sleep', ['300'], { detached: true, stdio: 'ignore', env });
  started.push(child);
  fs.writeFileSync(path.join(dir, 'code-server.pid'), String(child.pid));
  return { dir, pid: child.pid as number };
}

async function waitGone(pid: number): Promise<boolean> {
  for (let i = 0; i < 50 && processRunning(pid); i++) await new Promise((r) => setTimeout(r, 50));
  return !processRunning(pid);
}

test('reapStaleRuns kills the process group of a run whose owner died, and removes its dir', async () => {
  const orphan = orphanedRun('session-orphan', { marker: true });
  assert.ok(processRunning(orphan.pid));
  const reaped = await reapStaleRuns(() => undefined);
  assert.deepEqual(reaped.map((r) => r.pid), [orphan.pid]);
  assert.ok(await waitGone(orphan.pid), 'the orphaned process still runs');
  assert.ok(!fs.existsSync(orphan.dir));
});

test('reapStaleRuns spares a pid-file process that lacks the run marker (the pid was reused by someone else)', async () => {
  const stranger = orphanedRun('session-reused-pid', { marker: false });
  await reapStaleRuns(() => undefined);
  assert.ok(processRunning(stranger.pid), 'a process without our marker was killed');
  process.kill(-stranger.pid, 'SIGKILL');
});

test('reapStaleRuns leaves runs of a live owner alone, and dispose() ends their groups', async () => {
  const run = new RunDir('session');
  const child = run.spawnGroup('code-server', 'sleep', ['300']);
  started.push(child);
  await reapStaleRuns(() => undefined);
  assert.ok(processRunning(child.pid as number), 'a live run was reaped');
  await run.dispose();
  assert.ok(await waitGone(child.pid as number));
  assert.ok(!fs.existsSync(run.dir));
});

test('the zip reader lists entries and inflates one', () => {
  // A one-entry zip built by hand: local header, deflated data, central directory, end record.
  const name = Buffer.from('extension/package.json');
  const content = Buffer.from('{"name":"model-lab"}');
  const data = zlib.deflateRawSync(content);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(content.length, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(content.length, 24);
  central.writeUInt16LE(name.length, 28);
  central.writeUInt32LE(0, 42);
  const cdOffset = local.length + name.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(cdOffset, 16);
  const file = path.join(tmp, 'one.zip');
  fs.writeFileSync(file, Buffer.concat([local, name, data, central, name, end]));
  assert.deepEqual(zipEntryNames(file), ['extension/package.json']);
  assert.equal(readZipEntry(file, 'extension/package.json')?.toString(), '{"name":"model-lab"}');
  assert.equal(readZipEntry(file, 'missing'), undefined);
});
