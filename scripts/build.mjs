// Bundles the extension host code (node, cjs), the CLI, worker entry points and the webviews (browser).
// `vscode` is provided by the host. onnxruntime-node (native binding) and @tensorflow/tfjs-node (optional,
// native) stay external and ship as package folders. Pure-JS tfjs is bundled into the worker/CLI bundles
// that use it, never into extension.js; its .wasm binaries are copied to dist/wasm.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = !watch;

/** Packages that stay `require()`d at run time and ship inside the VSIX's node_modules. */
export const runtimeExternals = [
  'vscode',
  'onnxruntime-node',
  '@tensorflow/tfjs-node',
];

const nodeEntries = {
  extension: 'src/extension.ts',
  cli: 'src/cli.ts',
};
// Worker-thread entry points: every src/workers/<name>.ts becomes dist/workers/<name>.js.
for (const f of readdirSync('src/workers', { withFileTypes: true })) {
  if (f.isFile() && f.name.endsWith('.ts')) nodeEntries[`workers/${f.name.slice(0, -3)}`] = `src/workers/${f.name}`;
}
// Webview scripts: every src/webview/<name>/main.ts becomes dist/webview/<name>.js (browser, iife).
const webviewEntries = {};
for (const d of readdirSync('src/webview', { withFileTypes: true })) {
  if (d.isDirectory() && existsSync(`src/webview/${d.name}/main.ts`)) webviewEntries[d.name] = `src/webview/${d.name}/main.ts`;
}

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};

const contexts = [
  await esbuild.context({
    ...common,
    entryPoints: nodeEntries,
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: runtimeExternals,
    banner: { js: '' },
  }),
];
if (Object.keys(webviewEntries).length > 0) {
  contexts.push(
    await esbuild.context({
      ...common,
      entryPoints: webviewEntries,
      outdir: 'dist/webview',
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
    }),
  );
}

// tfjs-backend-wasm loads its .wasm files from a directory given to setWasmPaths (see src/common/tfjsBackend.ts).
const wasmSrc = 'node_modules/@tensorflow/tfjs-backend-wasm/dist';
mkdirSync('dist/wasm', { recursive: true });
for (const f of readdirSync(wasmSrc).filter((f) => f.endsWith('.wasm'))) copyFileSync(`${wasmSrc}/${f}`, `dist/wasm/${f}`);
// The WebP decoder (libwebp as WebAssembly, src/vision/webp.ts) loads its .wasm from dist/wasm too.
copyFileSync('node_modules/@jsquash/webp/codec/dec/webp_dec.wasm', 'dist/wasm/webp_dec.wasm');

if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('[build] watching…');
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  console.log(`[build] bundled ${Object.keys(nodeEntries).length} node and ${Object.keys(webviewEntries).length} webview entries into dist/`);
}
