// `npm run package -- --target all` writes one VSIX per platform onnxruntime-node carries binaries for, each with
// its own platform's native files only and otherwise the same content. The VSIX is what users install; only the
// linux-x64 one is run here (the integration tests), so this test is what stands between a Windows or macOS user
// and a VSIX without its binding.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readZipEntry, zipEntryNames } from '../integration/support/zip';

const root = path.resolve(__dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { name: string; version: string };
const ortBin = path.join(root, 'node_modules/onnxruntime-node/bin/napi-v6');
const EXPECTED_TARGETS = ['darwin-arm64', 'linux-arm64', 'linux-x64', 'win32-arm64', 'win32-x64'];
const NATIVE_PREFIX = 'extension/node_modules/onnxruntime-node/bin/';

let outDir = '';
const vsixOf = (target: string) => path.join(outDir, `${pkg.name}-${pkg.version}-${target}.vsix`);

before(() => {
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lab-vsix-all-'));
  const r = spawnSync(process.execPath, ['scripts/package.mjs', '--target', 'all', '--out-dir', outDir], { cwd: root, encoding: 'utf8', timeout: 600_000 });
  assert.equal(r.status, 0, `npm run package -- --target all failed:\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`);
});

after(() => {
  if (outDir) fs.rmSync(outDir, { recursive: true, force: true });
});

test('package --target all writes one VSIX per platform onnxruntime-node carries', () => {
  const carried = fs.readdirSync(ortBin).flatMap((platform) => fs.readdirSync(path.join(ortBin, platform)).map((arch) => `${platform}-${arch}`)).sort();
  assert.deepEqual(carried, EXPECTED_TARGETS, 'onnxruntime-node changed its platforms: update the README install table');
  const written = fs.readdirSync(outDir).filter((f) => f.endsWith('.vsix')).sort();
  assert.deepEqual(written, EXPECTED_TARGETS.map((t) => path.basename(vsixOf(t))).sort());
});

test('each VSIX names its platform in the manifest and carries exactly that platform\'s binaries', () => {
  for (const target of EXPECTED_TARGETS) {
    const file = vsixOf(target);
    const manifest = readZipEntry(file, 'extension.vsixmanifest')?.toString('utf8') ?? '';
    assert.match(manifest, new RegExp(`TargetPlatform="${target}"`), `${target}: manifest platform`);
    const [platform, arch] = target.split('-') as [string, string];
    const native = zipEntryNames(file).filter((n) => n.startsWith(NATIVE_PREFIX));
    const expected = fs.readdirSync(path.join(ortBin, platform, arch)).map((f) => `${NATIVE_PREFIX}napi-v6/${platform}/${arch}/${f}`).sort();
    assert.ok(expected.some((n) => n.endsWith('/onnxruntime_binding.node')), `${target}: the package has no binding`);
    assert.ok(expected.some((n) => /onnxruntime\.dll$|libonnxruntime\.so\.1$|libonnxruntime\.\d+\.dylib$/.test(n)), `${target}: no shared library`);
    assert.deepEqual(native.sort(), expected, `${target}: native files (its own, all of them, nothing else)`);
    // Byte-identical to the package's files: a binding for the wrong architecture would load nowhere.
    for (const name of expected) {
      const inVsix = readZipEntry(file, name);
      const onDisk = fs.readFileSync(path.join(ortBin, name.slice(`${NATIVE_PREFIX}napi-v6/`.length)));
      assert.ok(inVsix?.equals(onDisk), `${target}: ${name} differs from the package's file`);
    }
  }
});

test('every VSIX has the same JavaScript, models, media, snippets and l10n', () => {
  const digest = (file: string) => {
    const entries = zipEntryNames(file).filter((n) => !n.startsWith(NATIVE_PREFIX) && n.startsWith('extension/') && n !== 'extension/package.json');
    return new Map(entries.map((n) => [n, createHash('sha256').update(readZipEntry(file, n) ?? Buffer.alloc(0)).digest('hex')]));
  };
  const reference = digest(vsixOf('linux-x64'));
  for (const kind of ['extension/dist/extension.js', 'extension/dist/cli.js', 'extension/models/', 'extension/media/', 'extension/snippets/', 'extension/l10n/']) {
    assert.ok([...reference.keys()].some((n) => n.startsWith(kind)), `linux-x64 VSIX lacks ${kind}`);
  }
  for (const target of EXPECTED_TARGETS.filter((t) => t !== 'linux-x64')) {
    const other = digest(vsixOf(target));
    assert.deepEqual([...other.keys()].sort(), [...reference.keys()].sort(), `${target}: file list differs from linux-x64`);
    for (const [name, hash] of reference) assert.equal(other.get(name), hash, `${target}: ${name} differs from linux-x64`);
  }
});

test('package rejects an unknown target with exit 2 and the list of targets', () => {
  const r = spawnSync(process.execPath, ['scripts/package.mjs', '--target', 'sunos-sparc'], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /no onnxruntime-node binaries for target "sunos-sparc"/);
  assert.match(r.stderr, /linux-x64/);
});

test('every bundled script loads only what the VSIX holds: a relative module path it names is a file beside it', () => {
  // A package whose CommonJS build requires its own files through a wrapper (jsonc-parser's UMD `main`) is bundled
  // with those calls left for run time, relative to dist/, where the files are not: activation failed on it once.
  const file = vsixOf('linux-x64');
  const entries = new Set(zipEntryNames(file));
  const scripts = [...entries].filter((n) => /^extension\/dist\/.*\.js$/.test(n));
  assert.ok(scripts.includes('extension/dist/extension.js'), 'extension.js is packaged');
  const missing: string[] = [];
  for (const script of scripts) {
    const text = readZipEntry(file, script)?.toString('utf8') ?? '';
    for (const m of text.matchAll(/\(\s*"(\.\.?\/[^"]+)"\s*\)/g)) {
      const target = path.posix.join(path.posix.dirname(script), m[1]);
      if (![target, `${target}.js`, `${target}/index.js`].some((t) => entries.has(t))) missing.push(`${script}: ${m[1]}`);
    }
  }
  assert.deepEqual(missing, []);
});
