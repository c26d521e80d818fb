// The environment that provisions code-server: npm's per-run variables out, the registry settings and the
// user's own variables in (issue: a fresh machine's `npm test` failed because code-server's postinstall read the
// outer npm's user agent, which named Node 20).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isNpmRunVariable, provisioningEnv } from '../integration/cleanEnv';

/** What `npm test` (npm 11 on Node 20) puts into a child's environment, captured on this machine. */
const npmRunEnv: NodeJS.ProcessEnv = {
  PATH: '/work/node_modules/.bin:/usr/local/bin:/usr/bin',
  HOME: '/root',
  MODEL_LAB_CACHE: '/tmp/cache',
  NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/ca-certificates.crt',
  NODE_OPTIONS: '--max-old-space-size=4096',
  npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false',
  npm_node_execpath: '/usr/bin/node',
  npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
  npm_command: 'test',
  NODE: '/usr/bin/node',
  INIT_CWD: '/work/main',
  npm_lifecycle_event: 'test',
  npm_lifecycle_script: 'node scripts/test.mjs',
  npm_package_json: '/work/main/package.json',
  npm_package_name: 'model-lab',
  npm_package_version: '0.1.0',
  npm_config_node_gyp: '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
  npm_config_nodedir: '/usr',
  npm_config_local_prefix: '/work/main',
  npm_config_prefix: '/usr',
  npm_config_global_prefix: '/usr',
  npm_config_globalconfig: '/usr/etc/npmrc',
  npm_config_userconfig: '/root/.npmrc',
  npm_config_npm_version: '11.19.1',
  npm_config_init_module: '/root/.npm-init.js',
  npm_config_allow_scripts: '',
  npm_config_onnxruntime_node_install: 'skip',
  npm_config_registry: 'https://registry.example.test/',
  'npm_config_@model-lab:registry': 'https://scoped.example.test/',
  npm_config_https_proxy: 'http://proxy.example.test:3128',
  npm_config_cafile: '/etc/ssl/certs/ca-certificates.crt',
  npm_config_cache: '/root/.npm',
};

test('provisioning env: removes every npm per-run variable, whatever its family', () => {
  const env = provisioningEnv(npmRunEnv);
  for (const removed of [
    'npm_config_user_agent',
    'npm_node_execpath',
    'npm_execpath',
    'npm_command',
    'NODE',
    'INIT_CWD',
    'npm_lifecycle_event',
    'npm_lifecycle_script',
    'npm_package_json',
    'npm_package_name',
    'npm_package_version',
    'npm_config_node_gyp',
    'npm_config_nodedir',
    'npm_config_local_prefix',
    'npm_config_prefix',
    'npm_config_global_prefix',
    'npm_config_globalconfig',
    'npm_config_userconfig',
    'npm_config_npm_version',
    'npm_config_init_module',
    'npm_config_allow_scripts',
    'npm_config_onnxruntime_node_install',
  ]) {
    assert.equal(env[removed], undefined, `${removed} must not reach a provisioning process`);
  }
  assert.deepEqual(
    Object.keys(env).filter((k) => k.toLowerCase().startsWith('npm_') && !/^npm_config_(registry|@model-lab:registry|https_proxy|cafile|cache)$/.test(k)),
    [],
  );
});

test('provisioning env: keeps the user\'s variables and how to reach the registry', () => {
  const env = provisioningEnv(npmRunEnv);
  for (const kept of [
    'PATH',
    'HOME',
    'MODEL_LAB_CACHE',
    'NODE_EXTRA_CA_CERTS',
    'NODE_OPTIONS',
    'npm_config_registry',
    'npm_config_@model-lab:registry',
    'npm_config_https_proxy',
    'npm_config_cafile',
    'npm_config_cache',
  ]) {
    assert.equal(env[kept], npmRunEnv[kept], `${kept} must be kept`);
  }
});

test('provisioning env: extras win, the input is not changed, upper-case npm variables count too', () => {
  const input = { ...npmRunEnv, NPM_CONFIG_USER_AGENT: 'npm/11 node/v20', NPM_CONFIG_REGISTRY: 'https://r.example.test/' };
  const before = JSON.stringify(input);
  const env = provisioningEnv(input, { npm_config_userconfig: '/tmp/empty-npmrc', PATH: '/node24/bin:/usr/bin' });
  assert.equal(JSON.stringify(input), before);
  assert.equal(env.npm_config_userconfig, '/tmp/empty-npmrc');
  assert.equal(env.PATH, '/node24/bin:/usr/bin');
  assert.equal(env.NPM_CONFIG_USER_AGENT, undefined);
  assert.equal(env.NPM_CONFIG_REGISTRY, 'https://r.example.test/');
  assert.equal(isNpmRunVariable('npm_config_user-agent'), true);
  assert.equal(isNpmRunVariable('NODE_OPTIONS'), false);
});

test('provisioning env: a plain `node` start (no npm variables) passes through unchanged', () => {
  const plain = { PATH: '/usr/bin', HOME: '/root', LANG: 'C.UTF-8' };
  assert.deepEqual(provisioningEnv(plain), plain);
});
