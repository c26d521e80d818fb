// Integration-test harness: the packaged VSIX inside a real VS Code (code-server), driven by Playwright through
// Debian Chromium. See test/integration/README.md for the API and how the pieces fit.
//
// Process hygiene: code-server and Chromium each start in their own process group, carry the environment marker
// MODEL_LAB_TEST_RUN=<run dir>, and are listed in pid files inside their run dir. close() ends both groups; a SIGINT
// or SIGTERM to the test process does the same; and every start reaps the runs whose owner died (kill -9), by pid
// file, checking each process still carries the marker — never by process name.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { provisioningEnv } from './cleanEnv';
import { provisionCodeServer, type CodeServerInstall } from './provision';
import { readZipEntry } from './support/zip';

export const repoRoot = path.resolve(__dirname, '../..');
const RUN_MARKER_ENV = 'MODEL_LAB_TEST_RUN';
const CHROMIUM = process.env.MODEL_LAB_CHROMIUM ?? '/usr/bin/chromium';
const STARTUP_TIMEOUT_MS = 90_000;
/** How long one UI step (palette, tab, list) may take: generous, because CI machines are often loaded. */
const UI_TIMEOUT_MS = Number(process.env.MODEL_LAB_UI_TIMEOUT_MS ?? 30_000);

/** Where per-run temp dirs (user data, extensions, workspace copy, pid files) live. */
export function runsRoot(): string {
  return path.join(os.tmpdir(), 'model-lab-test-runs');
}

/** Screenshots and kept logs: $MODEL_LAB_TEST_OUTPUT, else <repo>/.test-runs. */
export function testOutputDir(): string {
  return process.env.MODEL_LAB_TEST_OUTPUT ?? path.join(repoRoot, '.test-runs');
}

// ---------------------------------------------------------------------------------------------------------------
// Processes: start in an own group, record, reap.

function readProc(pid: number, file: string): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/${file}`, 'latin1');
  } catch {
    return undefined;
  }
}

/** Start time of a process in clock ticks since boot (field 22 of /proc/<pid>/stat); guards against pid reuse. */
function processStartTime(pid: number): string | undefined {
  return statFields(pid)?.[19];
}

function processGroup(pid: number): number | undefined {
  const pgid = statFields(pid)?.[2];
  return pgid === undefined ? undefined : Number(pgid);
}

/** True when the process carries the marker of this run dir (in its environment or command line). */
function carriesMarker(pid: number, runDir: string): boolean {
  const environ = readProc(pid, 'environ');
  if (environ?.split('\0').includes(`${RUN_MARKER_ENV}=${runDir}`)) return true;
  return readProc(pid, 'cmdline')?.split('\0').some((arg) => arg.includes(runDir)) ?? false;
}

function allPids(): number[] {
  return fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

/** Pids of live processes in this group that carry this run's marker. */
function markedGroupMembers(pgid: number, runDir: string): number[] {
  return allPids().filter((pid) => processGroup(pid) === pgid && processRunning(pid) && carriesMarker(pid, runDir));
}

/** Fields after the command name in /proc/<pid>/stat (index 0 = state, 2 = pgid, 19 = start time). */
function statFields(pid: number): string[] | undefined {
  const stat = readProc(pid, 'stat');
  // The command name (field 2) may contain spaces and parentheses: split after its closing parenthesis.
  return stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** True while the process exists and is not a zombie. */
export function processRunning(pid: number): boolean {
  const state = statFields(pid)?.[0];
  return state !== undefined && state !== 'Z' && state !== 'X';
}

/** True while any non-zombie process is in the group (its leader may already be gone). */
/** SIGKILLs every running process that carries this run's marker; returns their pids. */
function killMarkedProcesses(runDir: string): number[] {
  const pids = allPids().filter((pid) => pid !== process.pid && processRunning(pid) && carriesMarker(pid, runDir));
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}

function groupAlive(pgid: number): boolean {
  return allPids().some((pid) => processGroup(pid) === pgid && processRunning(pid));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** SIGTERM the group, then SIGKILL what is left after `graceMs`; resolves when the group is gone. */
async function endGroup(pgid: number, graceMs = 3000): Promise<void> {
  const signal = (sig: NodeJS.Signals): void => {
    try {
      process.kill(-pgid, sig);
    } catch {
      // Already gone.
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (groupAlive(pgid) && Date.now() < deadline) await sleep(100);
  if (!groupAlive(pgid)) return;
  signal('SIGKILL');
  const hardDeadline = Date.now() + 5000;
  while (groupAlive(pgid) && Date.now() < hardDeadline) await sleep(50);
}

/** Synchronous last-resort kill, for signal handlers and process exit. */
function killGroupNow(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

interface RunOwner {
  pid: number;
  startTime: string | undefined;
}

function ownerAlive(owner: RunOwner): boolean {
  return processStartTime(owner.pid) !== undefined && processStartTime(owner.pid) === owner.startTime;
}

/**
 * A run dir: holds the temp dirs of one session plus `owner.json` (the process that started it) and
 * `<name>.pid` files (process-group leaders it spawned). Everything in it dies with the session.
 */
export class RunDir {
  readonly dir: string;
  private readonly groups = new Map<string, number>();

  constructor(prefix: string) {
    fs.mkdirSync(runsRoot(), { recursive: true });
    this.dir = fs.mkdtempSync(path.join(runsRoot(), `${prefix}-`));
    const owner: RunOwner = { pid: process.pid, startTime: processStartTime(process.pid) };
    fs.writeFileSync(path.join(this.dir, 'owner.json'), JSON.stringify(owner));
    liveRuns.add(this);
  }

  /** Environment for a child: ours plus the run marker that reaping looks for. */
  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    // Without npm's per-run variables: code-server and its extension host must behave as when a user starts them.
    return provisioningEnv(process.env, { ...extra, [RUN_MARKER_ENV]: this.dir });
  }

  /** Spawns a process-group leader, records its pid file. */
  spawnGroup(name: string, command: string, args: string[], options: { env?: Record<string, string>; cwd?: string } = {}): ChildProcess {
    const child = spawn(command, args, {
      cwd: options.cwd ?? this.dir,
      env: this.env(options.env),
      detached: true, // own process group: its leader's pid is the group id
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (child.pid === undefined) throw new Error(`could not start ${name} (${command})`);
    fs.writeFileSync(path.join(this.dir, `${name}.pid`), String(child.pid));
    this.groups.set(name, child.pid);
    return child;
  }

  groupsByName(): Record<string, number> {
    return Object.fromEntries(this.groups);
  }

  /**
   * Ends every group this run started, and any process that left its group but still carries the run marker
   * (Chromium's crash handler daemonizes), then removes the dir.
   */
  async dispose(): Promise<void> {
    for (const pgid of [...this.groups.values()].reverse()) await endGroup(pgid);
    killMarkedProcesses(this.dir);
    this.groups.clear();
    liveRuns.delete(this);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  killNow(): void {
    for (const pgid of this.groups.values()) killGroupNow(pgid);
    killMarkedProcesses(this.dir);
  }
}

const liveRuns = new Set<RunDir>();
let signalHandlersInstalled = false;

/** On SIGINT/SIGTERM/exit, kill the groups of every live session of this process (they are not in our group). */
function installSignalHandlers(): void {
  if (signalHandlersInstalled) return;
  signalHandlersInstalled = true;
  const killAll = (): void => {
    for (const run of liveRuns) {
      run.killNow();
      fs.rmSync(run.dir, { recursive: true, force: true });
    }
  };
  process.on('exit', killAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      killAll();
      process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1));
    });
  }
}

export interface ReapedProcess {
  runDir: string;
  name: string;
  pid: number;
}

/**
 * Ends what earlier runs left behind: for every run dir whose owner process is gone, kill each process group
 * named by a pid file if a member still carries that run's marker, plus any stray process with the marker;
 * then remove the dir. Runs whose owner is alive (a concurrent test run, `npm start`) are left alone.
 */
export async function reapStaleRuns(log: (line: string) => void = (l) => console.error(`[harness] ${l}`)): Promise<ReapedProcess[]> {
  const root = runsRoot();
  if (!fs.existsSync(root)) return [];
  const reaped: ReapedProcess[] = [];
  for (const entry of fs.readdirSync(root)) {
    const runDir = path.join(root, entry);
    let owner: RunOwner | undefined;
    try {
      owner = JSON.parse(fs.readFileSync(path.join(runDir, 'owner.json'), 'utf8')) as RunOwner;
    } catch {
      // A dir without owner.json is either being created right now or broken; only old ones are removed.
      const ageMs = Date.now() - (fs.statSync(runDir, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (ageMs > 10 * 60_000) fs.rmSync(runDir, { recursive: true, force: true });
      continue;
    }
    if (ownerAlive(owner)) continue;
    for (const file of fs.readdirSync(runDir).filter((f) => f.endsWith('.pid'))) {
      const pid = Number(fs.readFileSync(path.join(runDir, file), 'utf8').trim());
      if (!Number.isInteger(pid) || pid <= 1) continue;
      if (markedGroupMembers(pid, runDir).length > 0) {
        log(`reaping ${file.replace(/\.pid$/, '')} (process group ${pid}) left by a run whose owner died: ${runDir}`);
        await endGroup(pid, 1000);
        reaped.push({ runDir, name: file.replace(/\.pid$/, ''), pid });
      }
    }
    for (const pid of killMarkedProcesses(runDir)) {
      log(`reaped stray process ${pid} of ${runDir}`);
      reaped.push({ runDir, name: 'stray', pid });
    }
    fs.rmSync(runDir, { recursive: true, force: true });
  }
  return reaped;
}

// ---------------------------------------------------------------------------------------------------------------
// VSIX and code-server.

let vsixBuild: Promise<string> | undefined;

/** The VSIX under test: $MODEL_LAB_VSIX, else built once per process with scripts/package.mjs. */
export function packagedVsix(): Promise<string> {
  const fromEnv = process.env.MODEL_LAB_VSIX;
  if (fromEnv) {
    if (!fs.existsSync(fromEnv)) return Promise.reject(new Error(`MODEL_LAB_VSIX=${fromEnv} does not exist`));
    return Promise.resolve(path.resolve(fromEnv));
  }
  vsixBuild ??= new Promise((resolve, reject) => {
    const out = path.join(os.tmpdir(), `model-lab-vsix-${process.pid}`, 'model-lab-linux-x64.vsix');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const r = spawnSync(process.execPath, [path.join(repoRoot, 'scripts/package.mjs'), '--out', out], { cwd: repoRoot, encoding: 'utf8' });
    if (r.status !== 0) reject(new Error(`npm run package failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`));
    else {
      process.env.MODEL_LAB_VSIX = out;
      process.on('exit', () => fs.rmSync(path.dirname(out), { recursive: true, force: true }));
      resolve(out);
    }
  });
  return vsixBuild;
}

/** Installs a VSIX into an extensions dir with code-server's own CLI (offline; the same path a user takes). */
export function installVsix(cs: CodeServerInstall, vsix: string, extensionsDir: string, userDataDir: string): void {
  const r = spawnSync(
    cs.node,
    [cs.entry, '--config', emptyConfig(userDataDir), '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--install-extension', vsix, '--force'],
    { encoding: 'utf8', timeout: 120_000, env: provisioningEnv(process.env) },
  );
  const out = `${r.stdout}\n${r.stderr}`;
  if (r.status !== 0 || !/successfully installed/i.test(out)) {
    throw new Error(`code-server --install-extension ${vsix} failed (exit ${r.status ?? r.signal}):\n${out.trim()}`);
  }
}

/**
 * An empty code-server config file next to the user data: without --config, code-server reads (and on first use
 * writes) ~/.config/code-server/config.yaml, whose settings (a password, TLS) must not leak into our runs.
 */
function emptyConfig(userDataDir: string): string {
  const file = path.join(userDataDir, 'code-server.yaml');
  fs.mkdirSync(userDataDir, { recursive: true });
  if (!fs.existsSync(file)) fs.writeFileSync(file, '# Ours, so ~/.config/code-server/config.yaml is not read; the command line decides the rest.\nauth: none\n');
  return file;
}

/** User settings every session starts with; `settings` given to startVSCode are merged over them. */
export const baseSettings: Record<string, unknown> = {
  // The extension only activates in trusted workspaces unless trust is off.
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'git.enabled': false,
};

export function writeUserSettings(userDataDir: string, settings: Record<string, unknown>): void {
  const dir = path.join(userDataDir, 'User');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ ...baseSettings, ...settings }, null, 2));
}

export interface CodeServerProcess {
  /** Base URL, e.g. http://127.0.0.1:41234/ */
  url: string;
  port: number;
  /** Its process group (= the pid of code-server's main process). */
  pgid: number;
  child: ChildProcess;
  log: () => string;
}

/**
 * Starts code-server in its own process group on 127.0.0.1 (port 0 = a free one), without auth, and resolves with
 * the URL it prints.
 */
export async function startCodeServer(
  run: RunDir,
  cs: CodeServerInstall,
  dirs: { userDataDir: string; extensionsDir: string },
  port = 0,
  locale?: string,
): Promise<CodeServerProcess> {
  const logFile = path.join(run.dir, 'code-server.log');
  const child = run.spawnGroup('code-server', cs.node, [
    cs.entry,
    '--config', emptyConfig(dirs.userDataDir),
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--user-data-dir', dirs.userDataDir,
    '--extensions-dir', dirs.extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--disable-proxy',
    ...(locale ? ['--locale', locale] : []),
  ], { env: { VSCODE_PROXY_URI: '' } });
  let output = '';
  const onData = (chunk: Buffer): void => {
    output += chunk.toString();
    fs.appendFileSync(logFile, chunk);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`code-server did not print its URL within ${STARTUP_TIMEOUT_MS / 1000} s; its log:\n${output}`)),
      STARTUP_TIMEOUT_MS,
    );
    const check = (): void => {
      const m = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+\/?)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout?.on('data', check);
    child.stderr?.on('data', check);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited (${code ?? signal}) before it was ready; its log:\n${output}`));
    });
  });
  return { url, port: Number(new URL(url).port), pgid: child.pid as number, child, log: () => output };
}

/** The VS Code version code-server bundles (lib/vscode/package.json). */
export function vscodeVersion(cs: CodeServerInstall): string {
  const pkgPath = path.join(path.dirname(cs.entry), '../../lib/vscode/package.json');
  return (JSON.parse(fs.readFileSync(pkgPath, 'utf8')) as { version: string }).version;
}

// ---------------------------------------------------------------------------------------------------------------
// Chromium.

const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-quic',
  '--no-first-run',
  '--disable-sync',
  '--no-default-browser-check',
  '--disable-dev-shm-usage',
  '--disable-crash-reporter',
  '--disable-breakpad',
  '--window-size=1400,900',
  '--remote-debugging-port=0',
];

/** Launches Debian Chromium in its own process group and connects Playwright to it over CDP. */
async function launchChromium(run: RunDir): Promise<Browser> {
  const profile = path.join(run.dir, 'chromium-profile');
  // XDG_CONFIG_HOME keeps Chromium's crash database and the like out of the user's ~/.config.
  const child = run.spawnGroup('chromium', CHROMIUM, [...CHROMIUM_ARGS, `--user-data-dir=${profile}`, 'about:blank'], {
    env: { XDG_CONFIG_HOME: path.join(run.dir, 'chromium-config') },
  });
  let output = '';
  const wsUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Chromium (${CHROMIUM}) did not open its DevTools port within 30 s; its output:\n${output}`)), 30_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`could not start ${CHROMIUM}: ${err.message} (install Debian chromium)`));
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`Chromium exited (${code ?? signal}) before it was ready; its output:\n${output}`));
    });
  });
  return chromium.connectOverCDP(wsUrl);
}

// ---------------------------------------------------------------------------------------------------------------
// The session.

export interface StartOptions {
  /** Folder copied into a temp dir and opened (default: test/fixtures/workspace). */
  workspace?: string;
  /** User settings merged over baseSettings. */
  settings?: Record<string, unknown>;
  /** VSIX to install (default: $MODEL_LAB_VSIX, else packaged once per process). */
  vsix?: string;
  /**
   * VS Code's display language, e.g. "zh-cn" (code-server's --locale, and the page's NLS language set before the
   * workbench loads: without a language pack, --locale alone left `vscode.env.language` "en"). The workbench itself
   * stays English, but `vscode.env.language` and so Model Lab's own strings (package.nls.zh-cn.json, the l10n
   * bundle, the webviews) follow it: enough to look at every Model Lab surface in Chinese. The palette wait at
   * start looks for the localized title.
   */
  locale?: string;
}

export interface VSCodeSession {
  page: Page;
  /** VS Code version of the server, e.g. "1.106.0". */
  version: string;
  /** The VSIX installed. */
  vsix: string;
  /** The temp copy of the workspace that is open. */
  workspace: string;
  /** URL the page loaded. */
  url: string;
  /** The session's run dir (temp dirs, pid files) and the process groups it started (code-server, Chromium). */
  runDir: string;
  processGroups: Record<string, number>;
  /** F1, type the label, pick the exact entry, wait for the palette to close. */
  runCommand(label: string): Promise<void>;
  /** Opens a workspace file in an editor (path relative to the workspace) and waits for its tab; retries while quick open's file index fills. */
  openFile(relPath: string): Promise<void>;
  /** Content frame of a webview: its document title (or its tab's title) equal to `title`, or a predicate. */
  webviewFrame(match: string | ((frame: Frame) => Promise<boolean>), timeoutMs?: number): Promise<Frame>;
  /** Labels of every command-palette entry shown for `query` (scrolls through the list). */
  paletteLabels(query: string): Promise<string[]>;
  /** Texts of the visible notification toasts. */
  notifications(): Promise<string[]>;
  /** Saves a PNG under the test-output dir; returns its path. */
  screenshot(name: string): Promise<string>;
  /** code-server's output so far. */
  serverLog(): string;
  /** Ends Chromium and code-server (whole process groups) and removes the temp dirs. */
  close(): Promise<void>;
}

function copyDir(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true });
}

export async function startVSCode(opts: StartOptions = {}): Promise<VSCodeSession> {
  installSignalHandlers();
  await reapStaleRuns();
  const cs = await provisionCodeServer();
  const vsix = opts.vsix ?? (await packagedVsix());
  const run = new RunDir('session');
  try {
    const userDataDir = path.join(run.dir, 'user-data');
    const extensionsDir = path.join(run.dir, 'extensions');
    const workspace = path.join(run.dir, 'workspace');
    copyDir(opts.workspace ?? path.join(repoRoot, 'test/fixtures/workspace'), workspace);
    writeUserSettings(userDataDir, opts.settings ?? {});
    installVsix(cs, vsix, extensionsDir, userDataDir);
    const server = await startCodeServer(run, cs, { userDataDir, extensionsDir }, 0, opts.locale);
    const url = workbenchUrl(server.url, workspace);
    const { page, browser } = await openInChromium(run, url, server.log, opts.locale);
    const session = makeSession({ page, browser, run, serverLog: server.log, url, workspace, vsix, version: vscodeVersion(cs) });
    await waitForContributedCommands(session, vsix, undefined, opts.locale);
    return session;
  } catch (err) {
    keepLog(run, 'failed-start');
    await run.dispose();
    throw err;
  }
}

/**
 * Opens an already running VS Code (e.g. the one `npm start` serves) in a fresh Chromium. close() ends only that
 * Chromium. `version` and `vsix` are unknown here (empty).
 */
export async function attachVSCode(url: string, workspace = ''): Promise<VSCodeSession> {
  installSignalHandlers();
  const run = new RunDir('attach');
  try {
    const { page, browser } = await openInChromium(run, url, () => '(attached: see the server\'s own output)');
    return makeSession({ page, browser, run, serverLog: () => '', url, workspace, vsix: '', version: '' });
  } catch (err) {
    await run.dispose();
    throw err;
  }
}

/** The URL that opens `folder` in the workbench served at `baseUrl`. */
export function workbenchUrl(baseUrl: string, folder: string): string {
  return `${baseUrl.replace(/\/$/, '')}/?folder=${encodeURIComponent(folder).replace(/%2F/g, '/')}`;
}

async function openInChromium(run: RunDir, url: string, serverLog: () => string, locale?: string): Promise<{ page: Page; browser: Browser }> {
  const browser = await launchChromium(run);
  const context = browser.contexts()[0] ?? (await browser.newContext());
  const page = context.pages()[0] ?? (await context.newPage());
  // Without a language pack, code-server serves English messages and leaves the page's language unset, so the
  // extension host would say "en" whatever --locale is. The language the workbench reads, set before it loads,
  // reaches the extension host (vscode.env.language) and the manifest's package.nls.<locale>.json.
  if (locale) await page.addInitScript((lang: string) => Object.assign(globalThis, { _VSCODE_NLS_LANGUAGE: lang }), locale);
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: STARTUP_TIMEOUT_MS });
  await waitForWorkbench(page, serverLog);
  return { page, browser };
}

async function waitForWorkbench(page: Page, serverLog: () => string): Promise<void> {
  try {
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: STARTUP_TIMEOUT_MS });
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: STARTUP_TIMEOUT_MS });
    // The explorer shows the folder once the remote file system answers: the workbench is usable then.
    await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ state: 'visible', timeout: STARTUP_TIMEOUT_MS });
  } catch (err) {
    throw new Error(`the VS Code workbench did not appear at ${page.url()}: ${(err as Error).message}\ncode-server log:\n${serverLog()}`);
  }
}

/**
 * Waits until the command palette lists the manifest's first command: then the extension host is up and the
 * installed VSIX's contributions are loaded, so every test starts from the same state.
 */
export async function waitForContributedCommands(session: VSCodeSession, vsix = session.vsix, timeoutMs = 90_000, locale?: string): Promise<void> {
  const label = manifestCommandLabels(vsix, { alwaysInPalette: true, locale })[0];
  if (!label) return;
  const deadline = Date.now() + timeoutMs;
  let shown: string[] = [];
  while (Date.now() < deadline) {
    shown = await session.paletteLabels(label);
    if (shown.includes(label)) return;
  }
  throw new Error(`the command palette did not list "${label}" within ${timeoutMs / 1000} s (was the VSIX installed?); it showed ${JSON.stringify(shown)}\ncode-server log:\n${session.serverLog()}`);
}

/**
 * "Category: Title" of the commands a VSIX contributes (English titles from its package.nls.json), as the palette
 * shows them. Read from the VSIX, not the working tree, so a manifest edited during a run cannot confuse a test.
 * With `alwaysInPalette`, only those without a `menus.commandPalette` entry (whose `when` clause may hide them).
 */
export function manifestCommandLabels(vsix: string, options: { alwaysInPalette?: boolean; locale?: string } = {}): string[] {
  const read = (name: string): unknown => {
    const content = readZipEntry(vsix, `extension/${name}`);
    if (!content) throw new Error(`${vsix} has no extension/${name}`);
    return JSON.parse(content.toString('utf8'));
  };
  const manifest = read('package.json') as {
    contributes?: { commands?: { command: string; title: string; category?: string }[]; menus?: { commandPalette?: { command: string }[] } };
  };
  const localized = options.locale ? readZipEntry(vsix, `extension/package.nls.${options.locale}.json`) : undefined;
  const nls = { ...(read('package.nls.json') as Record<string, string>), ...(localized ? (JSON.parse(localized.toString('utf8')) as Record<string, string>) : {}) };
  const conditional = new Set((manifest.contributes?.menus?.commandPalette ?? []).map((m) => m.command));
  return (manifest.contributes?.commands ?? [])
    .filter((c) => !options.alwaysInPalette || !conditional.has(c.command))
    .map((c) => {
      const title = c.title.replace(/^%(.+)%$/, (_, key: string) => nls[key] ?? `%${key}%`);
      return c.category ? `${c.category}: ${title}` : title;
    });
}

/**
 * The "Focus on … View" commands VS Code itself adds to the palette for each view the manifest contributes, e.g.
 * "Model Lab: Focus on Quiz View" (the view container's title, then the view's name).
 */
export function manifestViewFocusLabels(vsix: string): string[] {
  const read = (name: string): unknown => JSON.parse(readZipEntry(vsix, `extension/${name}`)?.toString('utf8') ?? '{}');
  const manifest = read('package.json') as {
    contributes?: { viewsContainers?: Record<string, { id: string; title: string }[]>; views?: Record<string, { id: string; name: string }[]> };
  };
  const nls = read('package.nls.json') as Record<string, string>;
  const text = (s: string) => s.replace(/^%(.+)%$/, (_, key: string) => nls[key] ?? `%${key}%`);
  const containers = new Map(Object.values(manifest.contributes?.viewsContainers ?? {}).flat().map((c) => [c.id, text(c.title)]));
  return Object.entries(manifest.contributes?.views ?? {}).flatMap(([container, views]) =>
    views.map((v) => `${containers.get(container) ?? container}: Focus on ${text(v.name)} View`),
  );
}

/** Copies a failed start's code-server log to <test output>/logs/ before its run dir is removed. */
function keepLog(run: RunDir, label: string): void {
  const src = path.join(run.dir, 'code-server.log');
  if (!fs.existsSync(src)) return;
  const dest = path.join(testOutputDir(), 'logs', `${label}-${path.basename(run.dir)}.log`);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.copyFileSync(src, dest);
}

interface SessionParts {
  page: Page;
  browser: Browser;
  run: RunDir;
  serverLog: () => string;
  url: string;
  workspace: string;
  vsix: string;
  version: string;
}

const quickInput = '.quick-input-widget';

function makeSession(parts: SessionParts): VSCodeSession {
  const { page } = parts;

  async function openQuickInput(): Promise<void> {
    const box = page.locator(`${quickInput} .quick-input-box input`);
    for (let attempt = 1; ; attempt++) {
      await page.keyboard.press('F1');
      try {
        await box.waitFor({ state: 'visible', timeout: attempt < 3 ? UI_TIMEOUT_MS / 3 : UI_TIMEOUT_MS });
        return;
      } catch (err) {
        if (attempt >= 3) throw err;
        // A webview that holds the focus (the image preview, a result panel) can swallow F1 on a loaded machine
        // (CI at load 10: the palette never opened over seven.png): give the focus back to the workbench's own
        // document, where VS Code listens for its keybindings, and press again.
        await page.evaluate(() => {
          const active = document.activeElement;
          if (active instanceof HTMLElement) active.blur();
        });
      }
    }
  }

  /**
   * Puts `text` in the open quick input's box, after the prefix F1 gave it ('>' for commands) unless `replacePrefix`.
   * Typed keys go wherever the focus is: a webview that finishes loading (the image preview) can take it between F1 and
   * the first key, and the palette then lists every command unfiltered (clean-clone CI at load 10 failed Classify
   * Image so). fill() sets the box's own value and fires its input event, wherever the focus went.
   */
  async function setQuickInputText(text: string, replacePrefix = false): Promise<void> {
    const box = page.locator(`${quickInput} .quick-input-box input`);
    const prefix = !replacePrefix && (await box.inputValue()).startsWith('>') ? '>' : '';
    // Short: a palette that closed under us (below) is opened again instead of waited for.
    await box.fill(prefix + text, { timeout: 5_000 });
  }

  async function pickExact(label: string, what: string): Promise<void> {
    // Only a row of the filtered list: it highlights the characters that matched. The list shown before the query took
    // effect (F1's recently used commands) can hold the same label at another place; clicked while the filtered list
    // replaced it, the click landed on whatever row was then under the pointer and the command never ran (the bench's
    // third Classify File of a window, after fill() made the query arrive in one step).
    const row = page.locator(`${quickInput} .monaco-list-row`).filter({
      has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`), has: page.locator('.highlight') }),
    });
    try {
      await row.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    } catch {
      const shown = await page.locator(`${quickInput} .monaco-list-row .label-name`).allInnerTexts();
      await page.keyboard.press('Escape');
      throw new Error(`${what} "${label}" is not in the list; it shows: ${JSON.stringify(shown)}`);
    }
    const typed = await page.locator(`${quickInput} .quick-input-box input`).inputValue();
    await row.first().click();
    // The pick is taken when the palette closes, or when a command opens its own quick input in the same widget
    // (Train Text Classifier… asks for a recipe next): the widget may never be hidden in between, but the text
    // we typed is gone from its box.
    await page.waitForFunction(
      ({ selector, typedText }) => {
        const widget = document.querySelector<HTMLElement>(selector);
        if (!widget || !widget.checkVisibility()) return true;
        const box = widget.querySelector<HTMLInputElement>('.quick-input-box input');
        return !box || box.value !== typedText;
      },
      { selector: quickInput, typedText: typed },
      { timeout: UI_TIMEOUT_MS, polling: 100 },
    );
  }

  return {
    page,
    version: parts.version,
    vsix: parts.vsix,
    workspace: parts.workspace,
    url: parts.url,
    runDir: parts.run.dir,
    processGroups: parts.run.groupsByName(),

    async runCommand(label) {
      for (let attempt = 1; ; attempt++) {
        await openQuickInput();
        try {
          await setQuickInputText(label);
          await pickExact(label, 'command');
          return;
        } catch (err) {
          // An editor that finishes loading (the image preview, a webview) can take the focus and close the palette
          // before the query is in or under the click (clean-clone CI: the Recent results test's palette closed as
          // the image preview loaded). Open the palette again, twice at most; any other failure stands.
          const closedUnderUs = (err as Error).name === 'TimeoutError' && !(await page.locator(quickInput).isVisible().catch(() => false));
          if (attempt >= 3 || !closedUnderUs) throw err;
          await sleep(1_000);
        }
      }
    },

    async openFile(relPath) {
      // Right after start-up, quick open's file index can still be empty and the pick is not offered: try again,
      // up to four times in all, while the index fills.
      for (let attempt = 1; ; attempt++) {
        try {
          await openQuickInput();
          // Quick open without the ">" prefix searches files by name.
          await setQuickInputText(relPath, true);
          await pickExact(path.basename(relPath), 'file');
          await page.locator('.tabs-container .tab', { hasText: path.basename(relPath) }).first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
          // An image opens in VS Code's image preview, a webview that takes the focus when it has loaded and closes a
          // palette opened before that: wait for it, as a user sees the picture before acting on it.
          if (/\.(png|jpe?g|gif|bmp|webp)$/i.test(relPath)) await this.webviewFrame('Image Preview', UI_TIMEOUT_MS);
          return;
        } catch (err) {
          if (attempt >= 4) throw err;
          await sleep(3_000);
        }
      }
    },

    async webviewFrame(match, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      const seen: string[] = [];
      while (Date.now() < deadline) {
        seen.length = 0;
        for (const outer of await page.locator('iframe.webview').elementHandles()) {
          try {
            const outerFrame = await outer.contentFrame();
            const inner = await outerFrame?.$('#active-frame');
            const frame = await inner?.contentFrame();
            if (!frame) continue;
            const title = await frame.title().catch(() => '');
            seen.push(title);
            if (typeof match === 'string' ? title === match || (await outer.getAttribute('title')) === match : await match(frame)) return frame;
          } catch (err) {
            // A webview that is loading (or being replaced) navigates under us: look again on the next round.
            if (!/Execution context was destroyed|Cannot find context with specified id|Target closed|detached/i.test(String(err))) throw err;
          }
        }
        await sleep(250);
      }
      throw new Error(`no webview matching ${typeof match === 'string' ? `"${match}"` : 'the predicate'} within ${timeoutMs / 1000} s; webview titles seen: ${JSON.stringify(seen)}`);
    },

    async paletteLabels(query) {
      await openQuickInput();
      await setQuickInputText(query);
      // Rendered rows: label, position in the list, list size, focused.
      const rows = (): Promise<{ label: string; pos: number; size: number; focused: boolean }[]> =>
        page.evaluate((selector) =>
          Array.from(document.querySelectorAll(`${selector} .monaco-list-row`)).map((row) => ({
            label: ((row.querySelector('.label-name') as HTMLElement | null)?.innerText ?? '').trim(),
            pos: Number(row.getAttribute('aria-posinset')),
            size: Number(row.getAttribute('aria-setsize')),
            focused: row.classList.contains('focused'),
          })),
        quickInput);
      const isEntry = (l: string): boolean => l !== '' && !/^No matching/.test(l);
      // The list filters as it is typed, and the extension host contributes commands a moment after the workbench
      // appears: poll until it shows a real entry (VS Code's own "No matching commands" row is not one).
      let batch = await rows();
      const deadline = Date.now() + UI_TIMEOUT_MS;
      while (Date.now() < deadline && !batch.some((r) => isEntry(r.label))) {
        await sleep(250);
        batch = await rows();
      }
      // The list renders only the rows in view: page down (moving the focus) until the last row has been seen.
      const labels = new Map<number, string>();
      for (let step = 0; step < 100; step++) {
        for (const r of batch) if (isEntry(r.label)) labels.set(r.pos, r.label);
        const size = batch[0]?.size ?? 0;
        if (labels.size >= size || batch.some((r) => r.focused && r.pos === size)) break;
        await page.keyboard.press('PageDown');
        await sleep(150);
        batch = await rows();
      }
      await page.keyboard.press('Escape');
      await page.locator(quickInput).waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
      return [...labels.entries()].sort((a, b) => a[0] - b[0]).map(([, label]) => label);
    },

    async notifications() {
      return page.locator('.notifications-toasts .notification-toast .notification-list-item-message').allInnerTexts();
    },

    async screenshot(name) {
      const file = path.join(testOutputDir(), 'screenshots', `${name.replace(/[^\w.-]+/g, '_')}.png`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      await page.screenshot({ path: file });
      return file;
    },

    serverLog: parts.serverLog,

    async close() {
      await parts.browser.close().catch(() => undefined);
      await parts.run.dispose();
    },
  };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
