/**
 * Issue #17 defect 16: the folder results CSV never writes through a planted symlink and neutralises
 * spreadsheet formulas; the text result panel validates the document URIs it restores from webview state.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as folderReport from '../../../src/vision/folderReport';
import * as textProtocol from '../../../src/webview/textResult/protocol';
import type { ClassificationOutcome } from '../../../src/vision/classifier';
import { tempDir } from '../vision/helpers';

const root = tempDir('folder-results');
after(() => fs.rmSync(root, { recursive: true, force: true }));

function outcome(file: string, label: string): ClassificationOutcome {
  const top = [{ index: 0, label, score: 0.9 }];
  return {
    ok: true,
    result: { name: path.basename(file), file, label, score: 0.9, top, notes: [], timings: { decodeMs: 0, preprocessMs: 0, inferMs: 0, totalMs: 0 }, model: { name: 'm', runtime: 'r', kind: 'onnx' } },
  };
}

test('defect 16 (results CSV follows a planted symlink): a symlink at the target is refused and its target left untouched', async () => {
  const victim = path.join(root, 'victim.txt');
  fs.writeFileSync(victim, 'precious');
  const target = path.join(root, 'model-lab-results.csv');
  fs.symlinkSync(victim, target);
  const write = (folderReport as { writeResultsCsv?: (t: string, csv: string) => Promise<void> }).writeResultsCsv;
  assert.equal(typeof write, 'function', 'folderReport writes the results file itself');
  await assert.rejects(write!(target, 'file,label\n'), /symbolic link/);
  assert.equal(fs.readFileSync(victim, 'utf8'), 'precious');
  assert.ok(fs.lstatSync(target).isSymbolicLink());
  assert.deepEqual(fs.readdirSync(root).sort(), ['model-lab-results.csv', 'victim.txt'], 'no temporary file is left behind');
});

test('defect 16: the results file is written (and an existing regular file replaced) through a new name, never in place', async () => {
  const write = (folderReport as { writeResultsCsv?: (t: string, csv: string) => Promise<void> }).writeResultsCsv;
  assert.equal(typeof write, 'function');
  const target = path.join(root, 'results.csv');
  fs.writeFileSync(target, 'old');
  // A hard link to the old file shows the write did not go into the old inode (whose other name keeps "old").
  fs.linkSync(target, path.join(root, 'other-name.csv'));
  await write!(target, 'file,label\na.png,1\n');
  assert.equal(fs.readFileSync(target, 'utf8'), 'file,label\na.png,1\n');
  assert.equal(fs.readFileSync(path.join(root, 'other-name.csv'), 'utf8'), 'old');
});

test('defect 16 (formula injection): cells starting with = + - @ are neutralised in the results CSV', () => {
  const folder = path.join(root, 'images');
  const csv = folderReport.outcomesToCsv(folder, [
    outcome(path.join(folder, '=HYPERLINK("x","y").png'), '+1'),
    outcome(path.join(folder, '@SUM(A1).png'), '-cmd'),
    outcome(path.join(folder, 'plain.png'), 'seven'),
  ]);
  const rows = csv.trim().split('\n').slice(1);
  assert.equal(rows[0], `"'=HYPERLINK(""x"",""y"").png",'+1,0.900000,,,,,`);
  assert.equal(rows[1], `'@SUM(A1).png,'-cmd,0.900000,,,,,`);
  assert.equal(rows[2], 'plain.png,seven,0.900000,,,,,');
  for (const row of rows) assert.doesNotMatch(row, /(^|,)"?[=+\-@]/, row);
});

test('defect 16 (restored documentUri): the text result panel keeps only document URIs from webview state', () => {
  const parse = (textProtocol as { parseSavedSources?: (raw: unknown, n: number) => { documentUri: string | undefined; baseOffset: number }[] }).parseSavedSources;
  assert.equal(typeof parse, 'function', 'the panel validates restored sources');
  const restored = parse!(
    [
      { documentUri: 'file:///home/u/mail.txt', baseOffset: 12, documentVersion: 3 },
      { documentUri: 'untitled:Untitled-1', baseOffset: 0 },
      { documentUri: 'command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22rm%22%7D', baseOffset: 0 },
      { documentUri: 'https://evil.example/x', baseOffset: 0 },
      { documentUri: 'file:relative/path', baseOffset: 0 },
      { documentUri: 'file:///ok.txt', baseOffset: -5 },
      { documentUri: 42, baseOffset: 0 },
      'not an object',
    ],
    9,
  );
  assert.deepEqual(restored, [
    { documentUri: 'file:///home/u/mail.txt', baseOffset: 12 },
    { documentUri: 'untitled:Untitled-1', baseOffset: 0 },
    ...Array.from({ length: 7 }, () => ({ documentUri: undefined, baseOffset: 0 })),
  ]);
});
