import * as crypto from 'node:crypto';
import * as vscode from 'vscode';

/**
 * The one HTML shell every Model Lab webview uses: a strict CSP (`default-src 'none'`, scripts only by
 * nonce, styles/images/fonts only from the webview's own source), the shared theme stylesheet, the
 * panel's bundled script (`dist/webview/<name>.js`) and optional extra stylesheet under `media/`.
 * Content is never interpolated into the HTML: panels send data with `postMessage`.
 */
export function webviewHtml(options: {
  webview: vscode.Webview;
  extensionUri: vscode.Uri;
  /** Bundle name: src/webview/<name>/main.ts → dist/webview/<name>.js. */
  script: string;
  title: string;
  /** Extra stylesheet under media/, e.g. 'quiz.css'. */
  stylesheet?: string;
  /** Allow `data:` images (canvas snapshots, rendered model inputs). */
  allowDataImages?: boolean;
  lang?: string;
}): string {
  const { webview, extensionUri } = options;
  const nonce = crypto.randomBytes(16).toString('base64');
  const src = webview.cspSource;
  const img = options.allowDataImages ? `${src} data:` : src;
  const csp = [
    `default-src 'none'`,
    `style-src ${src}`,
    `img-src ${img}`,
    `font-src ${src}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  const asset = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...p)).toString();
  const styles = [asset('media', 'webview.css'), ...(options.stylesheet ? [asset('media', options.stylesheet)] : [])];
  return `<!DOCTYPE html>
<html lang="${escapeAttr(options.lang ?? vscode.env.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${styles.map((s) => `<link rel="stylesheet" href="${s}">`).join('\n')}
<title>${escapeAttr(options.title)}</title>
</head>
<body>
<main id="app" aria-live="off"></main>
<div id="live" class="visually-hidden" role="status" aria-live="polite"></div>
<script nonce="${nonce}" src="${asset('dist', 'webview', `${options.script}.js`)}"></script>
</body>
</html>`;
}

/** Roots a webview may load from: the bundles and the media folder, nothing else. */
export function webviewResourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')];
}

function escapeAttr(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
