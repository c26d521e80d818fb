/**
 * Browser-side helpers shared by the webviews: the typed VS Code webview API, one element builder and the
 * probability bar. Text goes in through textContent only, never as HTML.
 */
import { percent } from './format';

export interface VsCodeApi<FromWebview> {
  postMessage(message: FromWebview): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi<never>;

/** `acquireVsCodeApi()` may be called once per webview; call this once at module load. */
export function acquireApi<FromWebview>(): VsCodeApi<FromWebview> {
  return acquireVsCodeApi() as unknown as VsCodeApi<FromWebview>;
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { className?: string; text?: string } = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.text !== undefined) node.textContent = props.text;
  for (const c of children) node.append(c);
  return node;
}

/**
 * One label's probability as a list row: the label, a bar (a `meter` for screen readers) and the percentage as
 * text, so nothing depends on colour or length alone. `best` marks the winning label.
 */
export function probabilityRow(label: string, p: number, best: boolean): HTMLLIElement {
  const track = el('div', { className: 'bar-track' });
  const bar = el('div', { className: 'bar' });
  bar.style.width = `${Math.max(0.5, p * 100)}%`;
  track.append(bar);
  track.setAttribute('role', 'meter');
  track.setAttribute('aria-valuemin', '0');
  track.setAttribute('aria-valuemax', '100');
  track.setAttribute('aria-valuenow', (p * 100).toFixed(1));
  track.setAttribute('aria-label', label);
  return el('li', { className: best ? 'prob-row best' : 'prob-row' }, el('span', { className: 'prob-label', text: label }), track, el('span', { className: 'prob-value mono', text: percent(p) }));
}
