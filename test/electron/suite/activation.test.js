// Extension-host tests: the real `vscode` API, with the source folder as the development extension.
const assert = require('node:assert/strict');
const path = require('node:path');
const vscode = require('vscode');

const manifest = require(path.resolve(__dirname, '../../../package.json'));
const extensionId = `${manifest.publisher}.${manifest.name}`;

module.exports = {
  'the extension is present and activates when a command runs': async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `${extensionId} is not loaded`);
    await vscode.commands.executeCommand('modelLab.showLog');
    assert.equal(extension.isActive, true);
  },

  'every command contributed in package.json is registered': async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = manifest.contributes.commands.map((c) => c.command).filter((id) => !registered.has(id));
    assert.deepEqual(missing, []);
  },
};
