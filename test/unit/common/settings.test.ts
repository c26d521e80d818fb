import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveSettingPath, SETTING_KEYS, settingPathFor, settingSchemas, wholeNumberSetting } from '../../../src/common/settings';
import { DEFAULT_MAX_FILE_KB } from '../../../src/text/inputCheck';
import { DEFAULT_BATCH_SIZE, DEFAULT_WINDOW_OVERLAP } from '../../../src/text/onnxTextClassifier';

const manifest: unknown = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8'));
const schemas = settingSchemas(manifest);

test('every setting the extension reads is declared in package.json, and every declared one is read', () => {
  for (const key of Object.values(SETTING_KEYS)) assert.ok(schemas.has(key), `${key} is not in package.json`);
  assert.deepEqual([...schemas.keys()].sort(), Object.values(SETTING_KEYS).sort());
});

test('the CLI defaults (outside VS Code) equal the package.json defaults', () => {
  assert.equal(schemas.get(SETTING_KEYS.textWindowOverlap)?.default, DEFAULT_WINDOW_OVERLAP);
  assert.equal(schemas.get(SETTING_KEYS.textBatchSize)?.default, DEFAULT_BATCH_SIZE);
  assert.equal(schemas.get(SETTING_KEYS.textMaxFileSizeKB)?.default, DEFAULT_MAX_FILE_KB);
});

test('whole numbers: rounded down, kept within the schema, the schema default when not a number', () => {
  const timeout = schemas.get(SETTING_KEYS.quizCodeCheckTimeoutSeconds)!;
  assert.equal(wholeNumberSetting(12.9, timeout), 12);
  assert.equal(wholeNumberSetting(0, timeout), timeout.minimum);
  assert.equal(wholeNumberSetting(10_000, timeout), timeout.maximum);
  assert.equal(wholeNumberSetting('30', timeout), timeout.default);
  assert.equal(wholeNumberSetting(Number.NaN, schemas.get(SETTING_KEYS.quizNewCardsPerDay)!), schemas.get(SETTING_KEYS.quizNewCardsPerDay)!.default);
  assert.equal(wholeNumberSetting(-5, schemas.get(SETTING_KEYS.textThreads)!), 0);
});

test('paths (POSIX): ${workspaceFolder}, ${userHome}, ~, absolute and relative resolve the same way for every setting', () => {
  const ctx = { workspaceFolder: '/work/ws', home: '/home/ada', pathApi: path.posix };
  assert.equal(resolveSettingPath('', ctx), undefined);
  assert.equal(resolveSettingPath('   ', ctx), undefined);
  assert.equal(resolveSettingPath('${workspaceFolder}/models/spam', ctx), '/work/ws/models/spam');
  assert.equal(resolveSettingPath('${userHome}/models', ctx), '/home/ada/models');
  assert.equal(resolveSettingPath('~', ctx), '/home/ada');
  assert.equal(resolveSettingPath('~/models/spam', ctx), '/home/ada/models/spam');
  assert.equal(resolveSettingPath('~models', ctx), '/work/ws/~models', 'only "~" followed by a separator is the home folder');
  // Moved from test/unit/common/settingPath.test.ts (the second resolver, merged into this one):
  // on macOS/Linux a backslash is part of a file name, so `~\models` is a relative name there;
  assert.equal(resolveSettingPath('~\\models', ctx), '/work/ws/~\\models');
  // `~ada/m` is not this user's home, and a ~ inside a name is left alone.
  assert.equal(resolveSettingPath('~ada/m', ctx), '/work/ws/~ada/m');
  assert.equal(resolveSettingPath('models/~old', ctx), '/work/ws/models/~old');
  assert.equal(resolveSettingPath('/opt/models/cnn', ctx), '/opt/models/cnn');
  assert.equal(resolveSettingPath('models/cnn', ctx), '/work/ws/models/cnn');
  assert.equal(resolveSettingPath(' models/cnn ', ctx), '/work/ws/models/cnn');
  assert.equal(resolveSettingPath('models/cnn', { ...ctx, workspaceFolder: undefined }), path.posix.resolve('models/cnn'));
});

test('paths (Windows): drive letters, backslashes, ~\\ and ${workspaceFolder}', () => {
  const ctx = { workspaceFolder: 'C:\\Users\\ada\\ws', home: 'C:\\Users\\ada', pathApi: path.win32 };
  assert.equal(resolveSettingPath('${workspaceFolder}\\models\\spam', ctx), 'C:\\Users\\ada\\ws\\models\\spam');
  assert.equal(resolveSettingPath('${workspaceFolder}/models/spam', ctx), 'C:\\Users\\ada\\ws\\models\\spam');
  assert.equal(resolveSettingPath('~\\models', ctx), 'C:\\Users\\ada\\models');
  assert.equal(resolveSettingPath('~/models', ctx), 'C:\\Users\\ada\\models');
  assert.equal(resolveSettingPath('D:\\models\\cnn', ctx), 'D:\\models\\cnn');
  assert.equal(resolveSettingPath('\\\\server\\share\\model', ctx), '\\\\server\\share\\model');
  assert.equal(resolveSettingPath('models\\cnn', ctx), 'C:\\Users\\ada\\ws\\models\\cnn');
  assert.equal(resolveSettingPath('models/cnn', ctx), 'C:\\Users\\ada\\ws\\models\\cnn');
});

test('a folder inside the workspace is written back as a relative path with forward slashes', () => {
  assert.equal(settingPathFor('/work/ws/models/mine', { workspaceFolder: '/work/ws', pathApi: path.posix }), 'models/mine');
  assert.equal(settingPathFor('/elsewhere/mine', { workspaceFolder: '/work/ws', pathApi: path.posix }), '/elsewhere/mine');
  assert.equal(settingPathFor('C:\\ws\\models\\mine', { workspaceFolder: 'C:\\ws', pathApi: path.win32 }), 'models/mine');
  assert.equal(settingPathFor('D:\\mine', { workspaceFolder: 'C:\\ws', pathApi: path.win32 }), 'D:\\mine');
  assert.equal(settingPathFor('/x/mine', { workspaceFolder: undefined, pathApi: path.posix }), '/x/mine');
});
