// Issue #13 §1: the training scripts live in scripts/, and the core folders hold no script (nothing in
// src/train reads process.argv).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

test('npm run train:cnn / train:text run scripts in scripts/, and src/train has no script', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  for (const name of ['train:cnn', 'train:text']) {
    const m = /^tsx (scripts\/\S+\.ts)$/.exec(pkg.scripts[name]);
    assert.ok(m, `${name}: ${pkg.scripts[name]}`);
    assert.ok(fs.existsSync(path.join(ROOT, m[1])), m[1]);
  }
  const offenders = fs
    .readdirSync(path.join(ROOT, 'src/train'), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts'))
    .filter((f) => /process\.argv|require\.main === module/.test(fs.readFileSync(path.join(ROOT, 'src/train', f), 'utf8')));
  assert.deepEqual(offenders, []);
});
