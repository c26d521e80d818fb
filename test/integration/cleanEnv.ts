// The environment for the processes that provision code-server (nested `npm install`s, code-server's own
// postinstall, node-gyp) and for code-server itself, without npm's per-run variables.
//
// Why: a process started by `npm test`, `npm start` or `npx` inherits variables that describe *that* npm run:
// `npm_config_user_agent` names the outer Node (code-server's postinstall reads it and refused Node 20 although
// Node 24 was first on PATH), `npm_config_node_gyp` / `npm_config_nodedir` point node-gyp at the outer Node's
// headers, `npm_lifecycle_*` / `npm_package_*` describe this project's package.json, and a nested npm treats every
// `npm_config_*` as its own configuration. Started from plain `node` none of these exist, so the install behaves
// the same whatever starts it only when they are removed.
//
// Kept: the settings that say how to reach the registry (registry, proxies, certificates, cache). Their values
// are the ones npm itself resolved from the user's npmrc files and environment, so a nested npm resolves them to
// the same values anyway; keeping them also keeps a registry mirror set only in the shell's environment.

/** `npm_config_*` keys (lower-case, after the prefix) that a nested npm may keep: how to reach the registry. */
const KEPT_NPM_CONFIG = new Set([
  'registry',
  'proxy',
  'https_proxy',
  'http_proxy',
  'noproxy',
  'no_proxy',
  'cafile',
  'ca',
  'cert',
  'key',
  'strict_ssl',
  'cache',
  'offline',
  'prefer_offline',
  'prefer_online',
]);

/** Variables npm sets for one run without its `npm_` prefix. */
const NPM_RUN_VARIABLES = new Set(['NODE', 'INIT_CWD']);

/** True when `name` belongs to npm's per-run environment and must not reach a provisioning process. */
export function isNpmRunVariable(name: string): boolean {
  if (NPM_RUN_VARIABLES.has(name)) return true;
  const lower = name.toLowerCase();
  if (lower.startsWith('npm_lifecycle_') || lower.startsWith('npm_package_')) return true;
  if (lower.startsWith('npm_config_')) {
    const key = lower.slice('npm_config_'.length).replace(/-/g, '_');
    // Scoped registries (`npm_config_@scope:registry`) are registry settings too.
    return !(KEPT_NPM_CONFIG.has(key) || /^@[^:]+:registry$/.test(key));
  }
  // npm_node_execpath, npm_execpath, npm_command and whatever later npm versions add under the prefix.
  return lower.startsWith('npm_');
}

/** A copy of `env` without npm's per-run variables, plus `extra`. */
export function provisioningEnv(env: NodeJS.ProcessEnv, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && !isNpmRunVariable(name)) clean[name] = value;
  }
  return { ...clean, ...extra };
}
