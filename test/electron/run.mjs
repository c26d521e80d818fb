// `npm run test:electron`: extension-host tests the @vscode/test-electron way — test/electron/suite/*.test.js run
// inside the extension host of a desktop VS Code, with the source folder as the development extension.
//
// Which VS Code: $VSCODE_EXECUTABLE (a desktop VS Code binary), else the build @vscode/test-electron downloads
// (needs internet; cached in .vscode-test/). Without either — e.g. offline with no desktop VS Code, as on the CI
// machine, where `npm test` runs the code-server integration layer instead — it prints
// "skipped: no desktop VS Code" and exits 0.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';

const root = path.resolve(import.meta.dirname, '../..');
const skip = (why) => {
  console.log(`[test:electron] skipped: no desktop VS Code (${why}). Set VSCODE_EXECUTABLE=/path/to/code, or run with internet access so @vscode/test-electron can download one.`);
  process.exit(0);
};

let vscodeExecutablePath = process.env.VSCODE_EXECUTABLE;
if (vscodeExecutablePath) {
  if (!existsSync(vscodeExecutablePath)) {
    console.error(`[test:electron] VSCODE_EXECUTABLE=${vscodeExecutablePath} does not exist`);
    process.exit(1);
  }
} else {
  try {
    vscodeExecutablePath = await downloadAndUnzipVSCode({ cachePath: path.join(root, '.vscode-test'), timeout: 30_000 });
  } catch (err) {
    skip(`downloading one failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
try {
  await runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(root, 'test/electron/suite/index.js'),
    launchArgs: [path.join(root, 'test/fixtures/workspace'), '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
  });
  console.log('[test:electron] passed');
} catch (err) {
  console.error(`[test:electron] failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
