// Bundles the extension host code (node, cjs), the CLI, worker entry points and the webviews (browser).
// `vscode` is provided by the host. onnxruntime-node (native binding) and @tensorflow/tfjs-node (optional,
// native) stay external and ship as package folders. Pure-JS tfjs is bundled once, into dist/workers/tfjs.js,
// which the worker/CLI bundles that use it require (never extension.js); its .wasm binaries go to dist/wasm.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import * as path from 'node:path';

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
// Worker-thread entry points: every src/workers/<name>.ts becomes dist/workers/<name>.js, except the
// <name>Protocol.ts call declarations that sit next to their workers (both sides import them).
for (const f of readdirSync('src/workers', { withFileTypes: true })) {
  if (f.isFile() && f.name.endsWith('.ts') && !f.name.endsWith('Protocol.ts')) nodeEntries[`workers/${f.name.slice(0, -3)}`] = `src/workers/${f.name}`;
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

// One copy of pure-JS TensorFlow.js for every bundle that runs it: src/common/tfjsRuntime.ts (tfjs-core,
// tfjs-layers, the cpu and wasm backends) becomes dist/workers/tfjs.js, and the other bundles require() that
// file where src/common/tfjsBackend.ts requires './tfjsRuntime' (three workers and the CLI each used to embed
// 2.3 MB of the @tensorflow/tfjs umbrella). Any other run-time import of tfjs fails the build.
const tfjsRuntimeSource = path.resolve('src/common/tfjsRuntime.ts');
const tfjsRuntimeEntry = 'workers/tfjs';
/** `requirePath`: the shared runtime relative to the output files of the context using this plugin. */
function sharedTfjs(requirePath) {
  return {
    name: 'shared-tfjs',
    setup(build) {
      build.onResolve({ filter: /\/tfjsRuntime$/ }, (args) =>
        path.resolve(args.resolveDir, `${args.path}.ts`) === tfjsRuntimeSource ? { path: requirePath, external: true } : undefined,
      );
      build.onResolve({ filter: /^@tensorflow\/tfjs(-core|-layers|-converter|-data|-backend-[a-z]+)?(\/|$)/ }, (args) =>
        args.kind === 'require-resolve' ? undefined : {
          errors: [{ text: `${args.path} is imported at run time by ${path.relative('.', args.importer)}: get TensorFlow.js from loadTfjs() (src/common/tfjsBackend.ts) so that all bundles share ${tfjsRuntimeEntry}.js, and use \`import type\` for its types` }],
        },
      );
    },
  };
}
// tfjs-core's node platform require()s node-fetch only when there is no global fetch; Node ≥ 18 has one (and
// nothing here fetches over the network), so the runtime bundle gets a stub instead of node-fetch and its deps.
const noNodeFetch = {
  name: 'no-node-fetch',
  setup(build) {
    build.onResolve({ filter: /^node-fetch$/ }, () => ({ path: 'node-fetch', namespace: 'no-node-fetch' }));
    build.onLoad({ filter: /.*/, namespace: 'no-node-fetch' }, () => ({ contents: 'module.exports = (...args) => globalThis.fetch(...args);', loader: 'js' }));
  },
};

// One copy of onnx-proto (the generated ONNX protobuf classes and protobufjs, ~110 kB minified) for the workers:
// the text, inspector and train workers each embedded it (the text worker reads the word-embedding table's size
// with it, src/text/onnxGraph.ts). It becomes dist/workers/onnxProto.js, which they require(); the extension host
// never loads it, and the CLI keeps its own copy (it is not part of the extension's bundle).
const onnxProtoEntry = 'workers/onnxProto';
const sharedOnnxProto = {
  name: 'shared-onnx-proto',
  setup(build) {
    build.onResolve({ filter: /^onnx-proto$/ }, () => ({ path: `./${path.basename(onnxProtoEntry)}.js`, external: true }));
  },
};

const nodeOptions = {
  ...common,
  outdir: 'dist',
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: runtimeExternals,
  // jsonc-parser's `main` is a UMD build whose require() calls esbuild cannot follow (they would run at run time,
  // relative to dist/, and fail: activation broke on it once); its ES module build bundles like any other.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
  banner: { js: '' },
};
const nodeEntriesIn = (workers) => Object.fromEntries(Object.entries(nodeEntries).filter(([name]) => name.startsWith('workers/') === workers));
const contexts = [
  await esbuild.context({ ...nodeOptions, entryPoints: nodeEntriesIn(false), plugins: [sharedTfjs(`./${tfjsRuntimeEntry}.js`)] }),
  await esbuild.context({ ...nodeOptions, entryPoints: nodeEntriesIn(true), plugins: [sharedTfjs(`./${path.basename(tfjsRuntimeEntry)}.js`), sharedOnnxProto] }),
  await esbuild.context({ ...nodeOptions, entryPoints: { [onnxProtoEntry]: 'node_modules/onnx-proto/dist/onnx.js' } }),
  await esbuild.context({
    ...nodeOptions,
    entryPoints: { [tfjsRuntimeEntry]: 'src/common/tfjsRuntime.ts' },
    // The packages' ES module builds: tree-shakable, and their sideEffects lists keep the backend
    // registrations (the CommonJS `main` builds are not listed there, so esbuild drops a bare import of them).
    mainFields: ['module', 'main'],
    plugins: [noNodeFetch],
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
