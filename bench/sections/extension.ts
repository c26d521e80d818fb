/**
 * Extension figures: bundle sizes (dist/ JavaScript, without models, wasm or native binaries), the VSIX size,
 * and — in the real VS Code (code-server, through H1's harness test/integration/harness.ts) — the activation time
 * from the extension's own log line "Model Lab <version> activated in X ms", the time from running
 * "Model Lab: Classify File" on a text file to the result webview showing a label, and the time from
 * "Model Lab: Start Quiz" to the quiz webview's first painted question.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import * as harness from '../../test/integration/harness';
import type { Metric } from '../lib/report';
import { round } from '../lib/report';
import { measureFirstResult, measureMemory, summarizeFirstResult, type FirstResultSummary, type MemoryResult } from './extensionFirstResult';

const MB = 1024 * 1024;

function jsFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.js')).map((f) => path.join(dir, f));
}

function size(file: string): number {
  return fs.statSync(file).size;
}

/** Sizes of what the build produced; `bundleBytes` is the extension's runtime JS (extension, workers, webviews). */
export function bundleMetrics(repoRoot: string): { metrics: Metric[]; bundleBytes?: number } {
  const dist = path.join(repoRoot, 'dist');
  const ext = path.join(dist, 'extension.js');
  if (!fs.existsSync(ext)) {
    return { metrics: [{ id: 'extension.bundle', section: 'extension', name: 'Bundle size', status: 'not run', unit: 'MB', method: 'size of dist/', reason: 'dist/extension.js missing: run npm run build' }] };
  }
  const runtime = [ext, ...jsFiles(path.join(dist, 'workers')), ...jsFiles(path.join(dist, 'webview'))];
  const runtimeBytes = runtime.reduce((a, f) => a + size(f), 0);
  const cli = path.join(dist, 'cli.js');
  const metrics: Metric[] = [
    { id: 'extension.bundle.extension-js', section: 'extension', name: 'dist/extension.js', status: 'ok', value: round(size(ext) / MB, 3), unit: 'MB', method: 'file size' },
    {
      id: 'extension.bundle.runtime-js',
      section: 'extension',
      name: 'Extension JS bundle (extension.js + workers + webviews)',
      status: 'ok',
      value: round(runtimeBytes / MB, 3),
      unit: 'MB',
      method: `sum of ${runtime.length} files: ${runtime.map((f) => `${path.relative(dist, f)} ${round(size(f) / MB, 2)}`).join(', ')} (MB); models, dist/wasm and onnxruntime-node's native binaries excluded`,
    },
  ];
  if (fs.existsSync(cli)) metrics.push({ id: 'extension.bundle.cli-js', section: 'extension', name: 'dist/cli.js (the terminal CLI, not loaded by the extension)', status: 'ok', value: round(size(cli) / MB, 3), unit: 'MB', method: 'file size' });
  return { metrics, bundleBytes: runtimeBytes };
}

export interface ExtensionRunResult {
  readonly metrics: Metric[];
  readonly activationMs?: number;
  readonly bundleBytes?: number;
  readonly firstResult?: FirstResultSummary;
  readonly memory?: MemoryResult;
}

/** Windows (1 = the session's first; the others after a reload) and warm repeats per command and window. */
const FIRST_RESULT_WINDOWS = Number(process.env.MODEL_LAB_BENCH_WINDOWS ?? 4);
const FIRST_RESULT_WARM = 5;
/** Interleaved rounds of the memory comparison (each: code-server without Model Lab, then with it). */
const MEMORY_ROUNDS = Number(process.env.MODEL_LAB_BENCH_MEMORY_ROUNDS ?? 2);

/** Every .log file under the session's log folder, concatenated. */
function readLogs(logsDir: string): string {
  if (!fs.existsSync(logsDir)) return '';
  return (fs.readdirSync(logsDir, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.log'))
    .map((f) => fs.readFileSync(path.join(logsDir, f), 'utf8'))
    .join('\n');
}

/** Polls the session's log folder for Model Lab's "activated in X ms" line (the channel's log file). */
async function activationFromLogs(logsDir: string, timeoutMs: number): Promise<number> {
  const re = /Model Lab \S+ activated in (\d+(?:\.\d+)?) ms/;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const files = fs.existsSync(logsDir) ? (fs.readdirSync(logsDir, { recursive: true }) as string[]).filter((f) => f.endsWith('.log')) : [];
    for (const f of files) {
      const m = re.exec(fs.readFileSync(path.join(logsDir, f), 'utf8'));
      if (m) return Number(m[1]);
    }
    if (Date.now() > deadline) throw new Error(`no "activated in X ms" line in any log under ${logsDir} after ${timeoutMs / 1000} s (files: ${files.join(', ') || 'none'})`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Packages the VSIX, starts code-server with it, and measures activation, first classification, quiz paint. */
export async function runExtensionBench(repoRoot: string, quick: boolean, log: (l: string) => void): Promise<ExtensionRunResult> {
  const notRunAll = (reason: string): Metric[] => [
    { id: 'extension.vsix', section: 'extension', name: 'VSIX size', status: 'not run', unit: 'MB', method: 'npm run package', reason },
    { id: 'extension.activation', section: 'extension', name: 'Activation (real VS Code)', status: 'not run', unit: 'ms', method: 'log line "activated in X ms"', reason },
    { id: 'extension.first-result', section: 'extension', name: 'Time to the answer: status bar label and result panel (real VS Code)', status: 'not run', unit: 'ms', method: 'palette pick to label (bench/lib/firstResultProbe.ts)', reason },
    { id: 'extension.memory', section: 'extension', name: 'Extension host RSS with and without Model Lab (real VS Code)', status: 'not run', unit: 'MB', method: 'VmRSS of the extension host', reason },
    { id: 'extension.quiz-first-paint', section: 'extension', name: 'Quiz panel first paint (real VS Code)', status: 'not run', unit: 'ms', method: 'command to first question painted', reason },
  ];
  if (quick) {
    const b = bundleMetrics(repoRoot);
    return { metrics: [...b.metrics, ...notRunAll('--quick does not package the VSIX or start code-server')], bundleBytes: b.bundleBytes };
  }
  const metrics: Metric[] = [];
  let vsix: string;
  try {
    log('  packaging the VSIX (scripts/package.mjs builds dist/ first)…');
    vsix = await harness.packagedVsix();
  } catch (err) {
    const b = bundleMetrics(repoRoot);
    // The first line only says "failed"; the build's last error line says why.
    const lines = String(err).split('\n').map((l) => l.trim()).filter(Boolean);
    const why = lines.find((l) => /\bERROR\b/.test(l)) ?? lines.filter((l) => /error|cannot|failed|not found/i.test(l)).slice(-1)[0] ?? lines[lines.length - 1] ?? '';
    return { metrics: [...b.metrics, ...notRunAll(`packaging the VSIX failed: ${why.slice(0, 300)}`)], bundleBytes: b.bundleBytes };
  }
  const b = bundleMetrics(repoRoot);
  metrics.push(...b.metrics);
  metrics.push({ id: 'extension.vsix', section: 'extension', name: 'VSIX size (linux-x64, with models and the onnxruntime-node binding)', status: 'ok', value: round(size(vsix) / MB, 2), unit: 'MB', method: 'scripts/package.mjs output' });

  let activationMs: number | undefined;
  let firstResult: FirstResultSummary | undefined;
  let session: harness.VSCodeSession | undefined;
  const rest = notRunAll('').slice(1);
  try {
    log('  starting code-server + Chromium (H1 harness)…');
    session = await harness.startVSCode({ vsix });
    const s = session;
    // Activation: the extension logs its own activation time (it activates on start-up finished). The
    // line is read from the log file VS Code writes for the channel, under the session's user-data dir —
    // not from the Output panel, whose first reveal in a fresh window can race the channel's registration.
    const logs = path.join(s.runDir, 'user-data', 'logs');
    activationMs = await activationFromLogs(logs, 90_000);
    metrics.push({ id: 'extension.activation', section: 'extension', name: 'Activation (real VS Code)', status: activationMs === undefined ? 'failed' : 'ok', value: activationMs, unit: 'ms', method: `the extension's log line "activated in X ms" (performance.now() around activate()) in its log file under the session's user-data/logs, VS Code ${s.version} (code-server)` });

    // The answer in front of the user (#18 §1): status bar label and panel, text and image, cold and warm.
    try {
      log(`  time to the answer: ${FIRST_RESULT_WINDOWS} windows × (Classify File, Classify Image) × (1 cold + ${FIRST_RESULT_WARM} warm)…`);
      const runs = await measureFirstResult(s, { windows: FIRST_RESULT_WINDOWS, warm: FIRST_RESULT_WARM, log });
      firstResult = summarizeFirstResult(runs, s.version);
      metrics.push(...firstResult.metrics);
      const logText = readLogs(path.join(s.runDir, 'user-data', 'logs'));
      const worker = [...logText.matchAll(/Classified 1 text\(s\)[^\n]*\(\d+ windows?, ([\d.]+) ms, model load ([\d.]+) ms;/g)].map((m) => Number(m[2])).filter((v) => v > 0);
      if (worker.length) metrics.push({ id: 'extension.first-result.text.model-load', section: 'extension', name: 'Text model load in the worker, cold windows (from the extension\'s log)', status: 'ok', value: round(worker.sort((a, b) => a - b)[Math.floor((worker.length - 1) / 2)], 0), unit: 'ms', method: `the "model load" of each cold "Classified 1 text(s)" log line: ${worker.map((v) => round(v, 0)).join(', ')} ms` });
    } catch (err) {
      const shot = await s.screenshot('bench-first-result-failed').catch(() => undefined);
      log(`    failed: ${String(err).split('\n')[0]}${shot ? ` (screenshot ${shot})` : ''}`);
      metrics.push({ ...rest[1], status: 'failed', reason: String(err).split('\n')[0] });
    }

    // Quiz first paint.
    try {
      const painted = async (frame: Frame): Promise<boolean> => (await frame.title().catch(() => '')) === 'Model Lab Quiz' && (await frame.locator('#app *').count().catch(() => 0)) > 2;
      await s.runCommand('Model Lab: Start Quiz');
      let t0 = Date.now();
      // A profile's very first quiz asks which topics first (a quick pick, all ticked: Enter starts) and opens the
      // panel only after the answer; the bench's profile is always new, so it answers with Enter and times from there.
      const topics = s.page.locator('.quick-input-widget .quick-input-title', { hasText: 'Your first quiz' });
      let askedTopics = false;
      for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
        if (await topics.isVisible().catch(() => false)) {
          await s.page.keyboard.press('Enter');
          t0 = Date.now();
          askedTopics = true;
          break;
        }
        if (await s.webviewFrame(painted, 100).catch(() => undefined)) break;
      }
      await s.webviewFrame(painted, 60_000);
      metrics.push({ id: 'extension.quiz-first-paint', section: 'extension', name: 'Quiz panel first paint (real VS Code)', status: 'ok', value: Date.now() - t0, unit: 'ms', method: `"Model Lab: Start Quiz", from ${askedTopics ? 'Enter in the first-quiz topic choice (a new profile\'s first quiz asks which topics before it opens the panel)' : 'the pick in the command palette'} to the quiz webview's #app having content, wall clock from Playwright polling every 250 ms` });
    } catch (err) {
      const shot = await s.screenshot('bench-quiz-failed').catch(() => undefined);
      log(`    quiz failed: ${String(err).split('\n')[0]}${shot ? ` (screenshot ${shot})` : ''}`);
      metrics.push({ ...rest[3], status: 'failed', reason: String(err).split('\n')[0] });
    }
  } catch (err) {
    const reason = `code-server run failed: ${String(err).split('\n')[0]}`;
    for (const r of rest) if (r.id !== 'extension.memory' && !metrics.some((m) => m.id === r.id)) metrics.push({ ...r, reason });
  } finally {
    await session?.close();
  }
  let memory: MemoryResult | undefined;
  try {
    log(`  extension host memory: ${MEMORY_ROUNDS} rounds, without and with Model Lab (each a fresh code-server)…`);
    memory = await measureMemory(vsix, { rounds: MEMORY_ROUNDS, log });
    metrics.push(...memory.metrics);
  } catch (err) {
    metrics.push({ ...rest[2], status: 'failed', reason: String(err).split('\n')[0] });
  }
  return { metrics, activationMs, bundleBytes: b.bundleBytes, firstResult, memory };
}
