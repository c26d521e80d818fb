// Runs inside the VS Code extension host (loaded by @vscode/test-electron through --extensionTestsPath).
// A minimal mocha-style runner with no dependency: every sibling *.test.js exports { 'test name': async () => {} };
// tests run in order, failures are collected, and run() rejects when any failed (VS Code then exits non-zero).
const fs = require('node:fs');
const path = require('node:path');

async function run() {
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort();
  const failures = [];
  let passed = 0;
  for (const file of files) {
    const tests = require(path.join(__dirname, file));
    console.log(file);
    for (const [name, fn] of Object.entries(tests)) {
      const started = Date.now();
      try {
        await fn();
        passed++;
        console.log(`  ✔ ${name} (${Date.now() - started} ms)`);
      } catch (err) {
        failures.push(`${file} › ${name}: ${err && err.stack ? err.stack : String(err)}`);
        console.log(`  ✖ ${name}`);
      }
    }
  }
  console.log(`${passed} passed, ${failures.length} failed`);
  if (failures.length > 0) throw new Error(`extension-host tests failed:\n${failures.join('\n\n')}`);
}

module.exports = { run };
