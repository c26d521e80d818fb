/**
 * Times, in a real VS Code (code-server driven by Playwright), how long a classify command takes from the pick in
 * the command palette to (a) Model Lab's result label in the status bar and (b) the same label in the result
 * panel's webview. Shared by the bench's extension section and the first-result integration test.
 *
 * Clocks: the pick is the palette row's `click` event, the status label is the first animation frame after the
 * status bar item's text changed to a label; both are taken inside the workbench page (performance.timeOrigin +
 * performance.now(), i.e. epoch ms), so (a) has no polling error. The panel lives in a cross-origin iframe that
 * cannot be observed from the page, so (b) is Playwright polling the webview frames every ~50 ms (Date.now(), same
 * machine clock): its error is one poll plus a CDP round trip.
 */
import type { Frame, Page } from 'playwright-core';
import type { VSCodeSession } from '../../test/integration/harness';

/** The status bar item's DOM id ends with this (VS Code prefixes the extension's id). */
export const STATUS_ITEM_SUFFIX = 'modelLab.firstResult';

interface ProbeState {
  picks: number[];
  changes: { t: number; text: string }[];
}

declare global {
  interface Window {
    __modelLabProbe?: ProbeState;
  }
}

/**
 * Installs the page-side recorder (once per page load; a reload removes it). A string, not a function: tsx compiles
 * named inner functions with a `__name` helper that does not exist in the page.
 */
export async function installProbe(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    if (window.__modelLabProbe) return;
    const state = { picks: [], changes: [] };
    const now = () => performance.timeOrigin + performance.now();
    document.addEventListener('click', (e) => {
      if (e.target && e.target.closest && e.target.closest('.quick-input-widget .monaco-list-row')) state.picks.push(now());
    }, true);
    let last = '';
    const read = () => {
      const el = document.querySelector('[id$=${JSON.stringify(STATUS_ITEM_SUFFIX)}]');
      return el && el.checkVisibility() ? el.innerText.trim() : '';
    };
    // The time recorded is the next animation frame after the change: the frame that paints it.
    new MutationObserver(() => {
      const text = read();
      if (text === last) return;
      last = text;
      requestAnimationFrame(() => state.changes.push({ t: now(), text }));
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['class', 'style', 'aria-label'] });
    window.__modelLabProbe = state;
  })()`);
}

/** "Model Lab: 7 99.2%" → { label: '7', percent: '99.2%' } (the zh-CN form uses a full-width colon). */
export function parseStatusLabel(text: string): { label: string; percent: string } | undefined {
  const m = /Model Lab[:：]\s*(.+?)\s+(\d+(?:\.\d)?%)/.exec(text);
  return m ? { label: m[1], percent: m[2] } : undefined;
}

export interface FirstResultTiming {
  /** Pick → status bar label painted. */
  readonly labelMs: number;
  /**
   * Pick → the item's "classifying …" state painted: VS Code's round trip (palette → extension host → status bar),
   * before any of Model Lab's work; labelMs − busyMs is the worker's part plus one more round trip.
   */
  readonly busyMs?: number;
  /** Pick → the panel showing the same label (undefined when not waited for). */
  readonly panelMs?: number;
  readonly status: { label: string; percent: string };
  readonly panel?: { label: string; percent: string };
  /** When the status label was painted, the panel already showed this run's result (it should not have). */
  readonly panelBeforeLabel?: boolean;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The result panel's content frames (webview → inner #active-frame), as in the harness. */
async function webviewFrames(page: Page): Promise<Frame[]> {
  const frames: Frame[] = [];
  for (const outer of await page.locator('iframe.webview').elementHandles()) {
    try {
      const inner = await (await outer.contentFrame())?.$('#active-frame');
      const frame = await inner?.contentFrame();
      if (frame) frames.push(frame);
    } catch {
      // A webview being created or replaced navigates under us: the next poll sees it.
    }
  }
  return frames;
}

export type PanelKind = 'text' | 'image';

/** What a result panel shows right now: its label and percent, or undefined (not rendered, stale marker present). */
async function panelShows(frame: Frame, kind: PanelKind): Promise<{ label: string; percent: string } | undefined> {
  return frame
    .evaluate((k) => {
      if (document.querySelector('[data-bench-stale]')) return undefined;
      if (k === 'text') {
        if (!document.title.startsWith('Text')) return undefined;
        const p = document.querySelector('.result-label');
        const label = p?.querySelector('strong')?.textContent?.trim();
        const pct = /(\d+(?:\.\d)?%)/.exec(p?.textContent ?? '')?.[1];
        return label && pct ? { label, percent: pct } : undefined;
      }
      const h = document.querySelector('h1.result-label');
      const pct = /(\d+(?:\.\d)?%)/.exec(h?.nextElementSibling?.textContent ?? '')?.[1];
      return h?.textContent && pct ? { label: h.textContent.trim(), percent: pct } : undefined;
    }, kind)
    .catch(() => undefined);
}

/** Marks every shown result panel of `kind` as stale, so a re-render (which replaces #app's children) is seen. */
export async function markPanelsStale(page: Page): Promise<void> {
  for (const frame of await webviewFrames(page)) {
    await frame.evaluate(() => document.getElementById('app')?.append(Object.assign(document.createElement('i'), { hidden: true, dataset: { benchStale: '1' } }))).catch(() => undefined);
  }
}

/**
 * Runs `command` from the palette and times it. `waitPanel` also waits for the panel (up to `timeoutMs`); the label
 * is awaited first, and at the moment it is seen the panel is checked once, so a test can tell that the label did
 * not wait for the panel.
 */
export async function timeClassification(session: VSCodeSession, command: string, kind: PanelKind, options: { waitPanel?: boolean; timeoutMs?: number } = {}): Promise<FirstResultTiming> {
  const { page } = session;
  const timeoutMs = options.timeoutMs ?? 120_000;
  await installProbe(page);
  await markPanelsStale(page);
  const before = await page.evaluate(() => ({ picks: window.__modelLabProbe?.picks.length ?? 0, changes: window.__modelLabProbe?.changes.length ?? 0 }));
  for (let attempt = 1; ; attempt++) {
    try {
      await session.runCommand(command);
      break;
    } catch (err) {
      // Before the pick, two races of VS Code's own can spoil the palette: F1 pressed while a webview takes the
      // focus (the image preview loading) is lost, so the palette never opens; and right after a window's first
      // editor opens, the palette can be built before `editorIsOpen` is set, so "Classify File" is not listed. The
      // pick was not made yet, so opening the palette again (twice at most) leaves the timing untouched.
      const picked = await page.evaluate((n) => (window.__modelLabProbe?.picks.length ?? 0) > n, before.picks);
      const neverOpened = (err as Error).name === 'TimeoutError' && !(await page.locator('.quick-input-widget').isVisible().catch(() => false));
      const notListed = /is not in the list/.test((err as Error).message);
      if (attempt >= 3 || picked || !(neverOpened || notListed)) throw err;
      await sleep(1_000);
    }
  }
  const deadline = Date.now() + timeoutMs;
  let pick: number | undefined;
  let label: { t: number; text: string } | undefined;
  while (Date.now() < deadline) {
    const s = await page.evaluate(() => window.__modelLabProbe);
    pick = s?.picks[before.picks];
    label = s?.changes.slice(before.changes).find((c) => parseStatusLabel(c.text) !== undefined && !/…/.test(c.text));
    if (pick !== undefined && label) break;
    await sleep(25);
  }
  if (pick === undefined) throw new Error(`no palette click was recorded for "${command}"`);
  if (!label) {
    const s = await page.evaluate(() => window.__modelLabProbe?.changes.slice(-5));
    throw new Error(`no result label in the status bar within ${timeoutMs / 1000} s after "${command}"; last status texts: ${JSON.stringify(s)}`);
  }
  const status = parseStatusLabel(label.text) as { label: string; percent: string };
  const all = await page.evaluate(() => window.__modelLabProbe?.changes ?? []);
  const busy = all.slice(before.changes).find((c) => /…/.test(c.text) && c.t >= (pick as number) && c.t <= (label as { t: number }).t);
  const busyMs = busy ? busy.t - pick : undefined;
  // Checked right away: if the panel already had this run's result, the label did not come first.
  let panelBeforeLabel = false;
  for (const f of await webviewFrames(page)) if (await panelShows(f, kind)) panelBeforeLabel = true;
  if (!options.waitPanel) return { labelMs: label.t - pick, busyMs, status, panelBeforeLabel };
  while (Date.now() < deadline) {
    for (const f of await webviewFrames(page)) {
      const shown = await panelShows(f, kind);
      if (shown) return { labelMs: label.t - pick, busyMs, panelMs: Date.now() - pick, status, panel: shown, panelBeforeLabel };
    }
    await sleep(50);
  }
  throw new Error(`the ${kind} result panel did not show a result within ${timeoutMs / 1000} s after "${command}"`);
}
