import * as vscode from 'vscode';
import type { ModelLabContext } from '../context';
import { ModelInspectorProvider, MODEL_INSPECTOR_VIEW_TYPE } from '../ui/modelInspectorEditor';
import { CommandId } from './commandIds';

/**
 * The model inspector: its custom editor (the default for `.onnx`, "Open With…" for `model.json`) and
 * "Model Lab: Inspect Model", which opens the Explorer's file, the active editor's file, or a picked file in it.
 */
export function registerInspectModelCommand(ctx: ModelLabContext): vscode.Disposable[] {
  const command = vscode.commands.registerCommand(CommandId.inspectModel, async (arg?: unknown) => {
    let uri = arg instanceof vscode.Uri ? arg : undefined;
    if (!uri) {
      const tab = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      const active = tab instanceof vscode.TabInputText || tab instanceof vscode.TabInputCustom ? tab.uri : undefined;
      if (active && /\.(onnx|json)$/i.test(active.path)) uri = active;
    }
    if (!uri) {
      const picked = await vscode.window.showOpenDialog({
        canSelectMany: false,
        openLabel: vscode.l10n.t('Inspect'),
        filters: { [vscode.l10n.t('Models (ONNX, TensorFlow.js)')]: ['onnx', 'json'] },
      });
      uri = picked?.[0];
    }
    if (uri) await vscode.commands.executeCommand('vscode.openWith', uri, MODEL_INSPECTOR_VIEW_TYPE);
  });
  return [ModelInspectorProvider.register(ctx), command];
}
