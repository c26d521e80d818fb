import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../src/cli';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

test('--version prints the package version', async () => {
  const c = capture();
  assert.equal(await main(['--version'], c.io), 0);
  assert.match(c.out.join('\n'), /^\d+\.\d+\.\d+$/);
});

test('--help lists the subcommands', async () => {
  const c = capture();
  assert.equal(await main(['--help'], c.io), 0);
  assert.match(c.out.join('\n'), /usage: model-lab/);
  assert.match(c.out.join('\n'), /backend/);
});

test('an unknown subcommand exits 2 with a usage line on stderr', async () => {
  const c = capture();
  assert.equal(await main(['no-such-command'], c.io), 2);
  assert.match(c.err.join('\n'), /unknown command 'no-such-command'/);
  assert.match(c.err.join('\n'), /^usage: model-lab/m);
});
