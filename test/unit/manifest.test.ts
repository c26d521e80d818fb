import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CommandId } from '../../src/commands/commandIds';

const root = path.resolve(__dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const nls = JSON.parse(fs.readFileSync(path.join(root, 'package.nls.json'), 'utf8'));
const nlsZh = JSON.parse(fs.readFileSync(path.join(root, 'package.nls.zh-cn.json'), 'utf8'));

test('every command id in CommandId is contributed, and nothing else', () => {
  const contributed = (pkg.contributes.commands as { command: string }[]).map((c) => c.command).sort();
  assert.deepEqual(contributed, Object.values(CommandId).sort());
});

test('every command has the Model Lab category and a localized title in both languages', () => {
  for (const c of pkg.contributes.commands as { command: string; title: string; category: string }[]) {
    assert.equal(c.category, 'Model Lab', c.command);
    const key = /^%(.+)%$/.exec(c.title)?.[1];
    assert.ok(key, `${c.command} title must be a %nls% key`);
    assert.ok(nls[key], `${key} missing from package.nls.json`);
    assert.ok(nlsZh[key], `${key} missing from package.nls.zh-cn.json`);
  }
});

test('every %key% used in package.json exists in both nls files', () => {
  const keys = [...JSON.stringify(pkg).matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]);
  for (const k of keys) {
    assert.ok(k in nls, `${k} missing from package.nls.json`);
    assert.ok(k in nlsZh, `${k} missing from package.nls.zh-cn.json`);
  }
});

test('activation stays lazy: webview serializers, plus onStartupFinished for the due-cards status-bar item', () => {
  // onStartupFinished runs after the window is up, so it never delays start-up; activate() itself only wires.
  for (const e of pkg.activationEvents as string[]) assert.match(e, /^(onWebviewPanel:|onStartupFinished$)/);
});
