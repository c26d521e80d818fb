// `npm run package`: production build, then a platform-specific VSIX whose contents are the .vscodeignore
// allowlist plus the native binaries of that one platform. Prints each VSIX path and size.
//
//   npm run package                       the host's platform (linux-x64 here)
//   npm run package -- --target win32-x64 one platform
//   npm run package -- --target all       one VSIX per platform onnxruntime-node's package carries binaries for
//   --out FILE      (one target)          where to write the VSIX
//   --out-dir DIR   (any)                 where to write <name>-<version>-<target>.vsix files
//
// Why per platform: onnxruntime-node is a native module kept outside the bundle; its npm package carries the
// binaries of every platform it supports (bin/napi-v6/<os>/<arch>/), and VS Code installs the VSIX whose
// `--target` matches the user's machine. Each VSIX carries only its own platform's binaries: the same JavaScript,
// models and media, a fifth of the size of an all-platform VSIX.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

/** Native-binary folders per platform, relative to node_modules: `{os}` and `{arch}` are filled per target. */
const NATIVE_FOLDERS = ['onnxruntime-node/bin/napi-v6/{os}/{arch}'];
/** The allowlist line in .vscodeignore that the per-target lines replace. */
const NATIVE_PLACEHOLDER = '# @native-binaries@';

/** The VSIX targets onnxruntime-node's installed package has binaries for, e.g. ['darwin-arm64', 'linux-x64']. */
export function availableTargets() {
  const binRoot = path.join(root, 'node_modules/onnxruntime-node/bin/napi-v6');
  const targets = [];
  for (const platform of readdirSync(binRoot)) {
    for (const arch of readdirSync(path.join(binRoot, platform))) {
      if (existsSync(path.join(binRoot, platform, arch, 'onnxruntime_binding.node'))) targets.push(`${platform}-${arch}`);
    }
  }
  return targets.sort();
}

/** .vscodeignore with the placeholder replaced by the allowlist lines of `target`'s native binaries. */
export function ignoreFileFor(target) {
  const [platform, arch] = target.split('-');
  const base = readFileSync(path.join(root, '.vscodeignore'), 'utf8');
  if (!base.includes(NATIVE_PLACEHOLDER)) throw new Error(`.vscodeignore lacks the line "${NATIVE_PLACEHOLDER}"`);
  const lines = NATIVE_FOLDERS.map((f) => `!node_modules/${f.replace('{os}', platform).replace('{arch}', arch)}/**`);
  return base.replace(NATIVE_PLACEHOLDER, lines.join('\n'));
}

function parseArgs(argv) {
  const value = (flag) => {
    const i = argv.indexOf(flag);
    if (i < 0) return undefined;
    const v = argv[i + 1];
    if (!v || v.startsWith('--')) usage(`${flag} needs a value`);
    return v;
  };
  const known = new Set(['--target', '--out', '--out-dir']);
  for (let i = 0; i < argv.length; i += 2) if (!known.has(argv[i])) usage(`unknown argument ${JSON.stringify(argv[i])}`);
  return { target: value('--target'), out: value('--out'), outDir: value('--out-dir') };
}

function usage(problem) {
  console.error(`[package] ${problem}\nusage: npm run package [-- --target <os-arch>|all] [--out FILE | --out-dir DIR]\n  targets here: ${availableTargets().join(', ')}`);
  process.exit(2);
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const available = availableTargets();
  const host = `${process.platform}-${process.arch}`;
  const targets = args.target === 'all' ? available : [args.target ?? host];
  for (const t of targets) {
    if (!available.includes(t)) usage(`no onnxruntime-node binaries for target ${JSON.stringify(t)}`);
  }
  if (args.out && targets.length > 1) usage('--out names one file; use --out-dir with --target all');

  execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'model-lab-package-'));
  try {
    for (const target of targets) {
      const out = args.out
        ? path.resolve(args.out)
        : path.join(path.resolve(args.outDir ?? root), `${pkg.name}-${pkg.version}-${target}.vsix`);
      mkdirSync(path.dirname(out), { recursive: true });
      const ignoreFile = path.join(scratch, `${target}.vscodeignore`);
      writeFileSync(ignoreFile, ignoreFileFor(target));
      execFileSync(
        process.execPath,
        [
          path.join(root, 'node_modules/@vscode/vsce/vsce'),
          'package',
          '--target', target,
          '--ignoreFile', ignoreFile,
          '--allow-missing-repository',
          // The README's screenshots are relative paths under media/ (shipped in the VSIX), which VS Code's
          // extension page resolves against the installed extension; there is no repository URL to rewrite them to.
          '--no-rewrite-relative-links',
          '--skip-license',
          '--out', out,
        ],
        { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] },
      );
      const bytes = statSync(out).size;
      console.log(`[package] ${target}: ${path.relative(process.cwd(), out)}: ${(bytes / 1024 / 1024).toFixed(2)} MB (${bytes} bytes)`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) main();
