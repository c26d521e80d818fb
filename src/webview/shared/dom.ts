/**
 * Browser-side helpers shared by the result webviews: the typed VS Code webview API and a small element
 * builder. Text goes in through textContent only, never as HTML.
 */
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
