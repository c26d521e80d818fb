import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { resolveSettingPath } from '../../../src/common/settingPath';

const home = path.resolve('/home/ada');
const ws = path.resolve('/work/project');

test('a leading ~ means the home folder, with either separator; ~user and a ~ inside a name are left alone', () => {
  assert.equal(resolveSettingPath('~', ws, home), home);
  assert.equal(resolveSettingPath('~/models/cnn', ws, home), path.join(home, 'models', 'cnn'));
  // The Windows spelling: before, the image setting turned it into <home>\models and the text setting into <workspace>\~\models.
  assert.equal(resolveSettingPath('~\\models', ws, home, '\\'), path.join(home, '\\models'));
  // On macOS/Linux a backslash is part of a file name, so `~\models` is a relative name there.
  assert.equal(resolveSettingPath('~\\models', ws, home, '/'), path.join(ws, '~\\models'));
  // Before, the image setting read `~ada/m` as <home>/ada/m.
  assert.equal(resolveSettingPath('~ada/m', ws, home), path.join(ws, '~ada', 'm'));
  assert.equal(resolveSettingPath('models/~old', ws, home), path.join(ws, 'models', '~old'));
});

test('${workspaceFolder}, relative and absolute paths', () => {
  assert.equal(resolveSettingPath('${workspaceFolder}/out/model', ws, home), path.join(ws, 'out', 'model'));
  assert.equal(resolveSettingPath('  out/model ', ws, home), path.join(ws, 'out', 'model'));
  assert.equal(resolveSettingPath(path.join(home, 'm'), ws, home), path.join(home, 'm'));
  assert.equal(resolveSettingPath('out', undefined, home), path.resolve('out'));
});
