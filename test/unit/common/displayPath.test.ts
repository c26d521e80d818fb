// Paths in panel headings: workspace-relative, `~/…` under home, otherwise the base name; the full path is the tooltip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { displayPath } from '../../../src/common/displayPath';

const posix = { pathApi: path.posix, home: '/home/ada' };

test('a path inside the workspace shows relative to it, with / separators', () => {
  const ctx = { ...posix, workspaceFolders: [{ name: 'proj', fsPath: '/home/ada/proj' }] };
  assert.deepEqual(displayPath('/home/ada/proj/images/digits', ctx), { text: 'images/digits', title: '/home/ada/proj/images/digits' });
  assert.equal(displayPath('/home/ada/proj', ctx).text, 'proj', 'the folder itself shows its name');
  assert.equal(displayPath('/home/ada/projector/x.png', ctx).text, '~/projector/x.png', 'a sibling with a common prefix is outside');
});

test('outside the workspace: ~/… under home, else the base name; a temp path never fills a heading', () => {
  const ctx = { ...posix, workspaceFolders: [{ name: 'proj', fsPath: '/home/ada/proj' }] };
  assert.deepEqual(displayPath('/home/ada/data/a.csv', ctx), { text: '~/data/a.csv', title: '/home/ada/data/a.csv' });
  const temp = '/tmp/model-lab-folder-summary-8f3a2c91d4e7b6/nested/deeper/images';
  assert.deepEqual(displayPath(temp, ctx), { text: 'images', title: temp });
  assert.equal(displayPath('/srv/x', { pathApi: path.posix, workspaceFolders: [] }).text, 'x', 'no workspace, no home');
});

test('several workspace folders: the folder name prefixes the path, the innermost folder wins', () => {
  const ctx = { ...posix, workspaceFolders: [{ name: 'a', fsPath: '/w/a' }, { name: 'inner', fsPath: '/w/a/inner' }] };
  assert.equal(displayPath('/w/a/x.txt', ctx).text, 'a/x.txt');
  assert.equal(displayPath('/w/a/inner/y.txt', ctx).text, 'inner/y.txt');
});

test('Windows paths: case of the drive, backslashes, another drive', () => {
  const ctx = { pathApi: path.win32, home: 'C:\\Users\\ada', workspaceFolders: [{ name: 'proj', fsPath: 'c:\\Users\\ada\\proj' }] };
  assert.deepEqual(displayPath('C:\\Users\\ada\\proj\\images\\seven.png', ctx), { text: 'images/seven.png', title: 'C:\\Users\\ada\\proj\\images\\seven.png' });
  assert.equal(displayPath('C:\\Users\\ada\\Downloads\\m.onnx', ctx).text, '~/Downloads/m.onnx');
  assert.equal(displayPath('D:\\data\\set\\train.csv', ctx).text, 'train.csv');
});
