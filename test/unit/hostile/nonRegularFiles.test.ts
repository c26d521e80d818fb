/**
 * Issue #17 defect 7: every CLI entry point that reads a file a user names refuses what is not a regular file
 * (`/dev/zero`, a FIFO, a folder) at once, and checks the size before reading, instead of growing to many GB
 * or blocking forever. Each run is its own process with a hard timeout, so a hang fails the test.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../vision/helpers';
import { probe } from './probeClient';

const root = tempDir('nonregular');
after(() => fs.rmSync(root, { recursive: true, force: true }));

/** `/dev/zero` behind a symlink, a FIFO and a folder, each named like the file the entry point expects. */
function specials(ext: string, folder: string): [string, string, RegExp][] {
  const dir = path.join(root, folder);
  fs.mkdirSync(dir);
  fs.symlinkSync('/dev/zero', path.join(dir, `zero.${ext}`));
  execFileSync('mkfifo', [path.join(dir, `pipe.${ext}`)]);
  fs.mkdirSync(path.join(dir, `folder.${ext}`));
  return [
    ['/dev/zero (through a symlink)', path.join(dir, `zero.${ext}`), /character device/],
    ['a FIFO', path.join(dir, `pipe.${ext}`), /pipe \(FIFO\)/],
    ['a folder', path.join(dir, `folder.${ext}`), /folder/],
  ];
}

const entryPoints: { name: string; ext: string; args: (file: string) => string[] }[] = [
  { name: 'classify-image', ext: 'png', args: (f) => ['classify-image', f] },
  { name: 'classify-text --file', ext: 'txt', args: (f) => ['classify-text', '--file', f] },
  { name: 'quiz import', ext: 'md', args: (f) => ['quiz', 'import', f] },
  { name: 'train-text --data', ext: 'csv', args: (f) => ['train-text', '--data', f, '--out', path.join(root, 'never-written')] },
  { name: 'eval --data', ext: 'csv', args: (f) => ['eval', '--data', f] },
];

for (const entry of entryPoints) {
  for (const [what, file, kind] of specials(entry.ext, entry.name.replace(/\W+/g, '-'))) {
    test(`defect 7 (unbounded reads of non-regular files): ${entry.name} refuses ${what} in ≤ 2 s`, () => {
      const r = probe('cli', entry.args(file), { timeoutMs: 10_000 });
      assert.equal(r.code, 1, `exit ${r.code}: ${r.out} ${r.err}`);
      assert.match(r.err, kind);
      assert.ok(r.err.includes(path.basename(file)), `the message names the file: ${r.err}`);
      assert.ok(r.ms <= 2000, `took ${r.ms.toFixed(0)} ms`);
      assert.ok(r.peakAboveBaselineMB <= 300, `peak ${r.peakAboveBaselineMB.toFixed(0)} MB above the baseline`);
    });
  }
}

test('defect 7: classify-text --file checks the size before reading (a 5 MB file over --max-kb 1 is refused unread)', () => {
  const big = path.join(root, 'big.txt');
  fs.writeFileSync(big, 'word '.repeat(1024 * 1024));
  const r = probe('cli', ['classify-text', '--max-kb', '1', '--file', big], { timeoutMs: 10_000 });
  assert.equal(r.code, 1);
  assert.match(r.err, /big\.txt is 5120 KiB, over the 1 KiB limit/);
  assert.ok(r.peakAboveBaselineMB <= 50, `peak ${r.peakAboveBaselineMB.toFixed(0)} MB above the baseline: the file was read`);
});
