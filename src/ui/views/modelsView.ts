/**
 * The "Models" tree view: the bundled image and text models and the ones configured in `modelLab.imageModel` /
 * `modelLab.textModel`, each with its task, labels, input/output and size. Actions: classify with it, make it
 * the active model, reveal its folder. Refreshes when those settings change.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CommandId } from '../../commands/commandIds';
import type { ModelLabContext } from '../../context';
import { formatBytes, summarizeModelFolder, type ModelKind, type ModelSummary } from '../../common/modelSummary';
import { imageWorkerHost } from '../imageWorkerHost';
import { textClassifierHost } from '../textClassifierHost';

export const MODELS_VIEW_ID = 'modelLab.models';

type Node =
  | { readonly type: 'group'; readonly kind: ModelKind }
  | { readonly type: 'model'; readonly kind: ModelKind; readonly summary: ModelSummary; readonly bundled: boolean; readonly active: boolean }
  | { readonly type: 'detail'; readonly label: string; readonly value: string };

const SETTING: Record<ModelKind, 'imageModel' | 'textModel'> = { image: 'imageModel', text: 'textModel' };
const BUNDLED: Record<ModelKind, string> = { image: 'mnist-cnn', text: 'spam-bert-tiny' };

class ModelsProvider implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly ctx: ModelLabContext) {}

  refresh(): void {
    this.changed.fire();
  }

  /** The folder the classifiers use now: the setting, resolved the way the classifier resolves it, else the bundled one. */
  activeDir(kind: ModelKind): string {
    return kind === 'image' ? imageWorkerHost(this.ctx).modelPath() : textClassifierHost(this.ctx).modelDir();
  }

  bundledDir(kind: ModelKind): string {
    return path.join(this.ctx.extensionUri.fsPath, 'models', BUNDLED[kind]);
  }

  getChildren(element?: Node): Node[] {
    if (!element) return [{ type: 'group', kind: 'image' }, { type: 'group', kind: 'text' }];
    if (element.type === 'group') {
      const bundled = this.bundledDir(element.kind);
      const active = this.activeDir(element.kind);
      const nodes: Node[] = [{ type: 'model', kind: element.kind, summary: summarizeModelFolder(bundled, element.kind), bundled: true, active: path.resolve(active) === path.resolve(bundled) }];
      if (path.resolve(active) !== path.resolve(bundled)) {
        nodes.unshift({ type: 'model', kind: element.kind, summary: summarizeModelFolder(active, element.kind), bundled: false, active: true });
      }
      return nodes;
    }
    if (element.type === 'model') {
      const s = element.summary;
      const details: Node[] = [];
      const add = (label: string, value: string | undefined) => {
        if (value) details.push({ type: 'detail', label, value });
      };
      if (s.problem) add(vscode.l10n.t('Problem'), s.problem);
      add(vscode.l10n.t('Task'), s.task);
      add(vscode.l10n.t('Labels'), s.labels.length > 12 ? `${s.labels.slice(0, 12).join(', ')}, … (${s.labels.length})` : s.labels.join(', '));
      add(vscode.l10n.t('Input'), s.inputs);
      add(vscode.l10n.t('Output'), s.outputs);
      add(vscode.l10n.t('Size'), s.modelFiles.length ? `${formatBytes(s.bytes)} (${s.modelFiles.join(', ')})` : undefined);
      add(vscode.l10n.t('Folder'), s.dir);
      return details;
    }
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.type === 'group') {
      const item = new vscode.TreeItem(node.kind === 'image' ? vscode.l10n.t('Image classifier') : vscode.l10n.t('Text classifier'), vscode.TreeItemCollapsibleState.Expanded);
      item.iconPath = new vscode.ThemeIcon(node.kind === 'image' ? 'file-media' : 'symbol-text');
      return item;
    }
    if (node.type === 'detail') {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
      item.description = node.value;
      item.tooltip = `${node.label}: ${node.value}`;
      return item;
    }
    const s = node.summary;
    const item = new vscode.TreeItem(s.name, vscode.TreeItemCollapsibleState.Collapsed);
    const where = node.bundled ? vscode.l10n.t('bundled') : vscode.l10n.t('from settings');
    item.description = [node.active ? vscode.l10n.t('active') : undefined, where, s.modelFiles.length ? formatBytes(s.bytes) : undefined].filter(Boolean).join(' · ');
    item.iconPath = new vscode.ThemeIcon(s.problem ? 'warning' : node.active ? 'pass-filled' : 'circle-large-outline');
    item.tooltip = new vscode.MarkdownString(
      [`**${s.name}** (${where}${node.active ? `, ${vscode.l10n.t('active')}` : ''})`, '', s.problem ?? '', s.task ? `${vscode.l10n.t('Task')}: ${s.task}` : '', s.labels.length ? `${vscode.l10n.t('Labels')}: ${s.labels.join(', ')}` : '', s.dir]
        .filter((line, i) => i < 2 || line)
        .join('\n\n'),
    );
    item.contextValue = `modelLab.model.${node.kind}${node.active ? '.active' : ''}`;
    item.resourceUri = vscode.Uri.file(s.dir);
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

type ModelNode = Extract<Node, { type: 'model' }>;
const isModelNode = (n: unknown): n is ModelNode => typeof n === 'object' && n !== null && (n as Node).type === 'model';

/** The value to store in the setting: "" for the bundled model (the default), else the folder. */
async function makeActive(node: ModelNode): Promise<void> {
  const value = node.bundled ? '' : node.summary.dir;
  await vscode.workspace.getConfiguration('modelLab').update(SETTING[node.kind], value, vscode.ConfigurationTarget.Global);
  void vscode.window.showInformationMessage(
    node.kind === 'image'
      ? vscode.l10n.t('Model Lab now classifies images with {0} (setting modelLab.imageModel).', node.summary.name)
      : vscode.l10n.t('Model Lab now classifies text with {0} (setting modelLab.textModel).', node.summary.name),
  );
}

export function registerModelsView(ctx: ModelLabContext): vscode.Disposable[] {
  const provider = new ModelsProvider(ctx);
  const view = vscode.window.createTreeView(MODELS_VIEW_ID, { treeDataProvider: provider });
  return [
    provider,
    view,
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('modelLab.imageModel') || e.affectsConfiguration('modelLab.textModel')) provider.refresh();
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => provider.refresh()),
    vscode.commands.registerCommand(CommandId.refreshModels, () => provider.refresh()),
    vscode.commands.registerCommand(CommandId.useModel, async (node?: unknown) => {
      if (isModelNode(node)) await makeActive(node);
    }),
    vscode.commands.registerCommand(CommandId.revealModelFolder, async (node?: unknown) => {
      if (isModelNode(node)) await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(node.summary.dir));
    }),
    vscode.commands.registerCommand(CommandId.classifyWithModel, async (node?: unknown) => {
      if (!isModelNode(node)) return;
      // The classifiers use the active model: make this one active first (the message says so), then run.
      if (!node.active) await makeActive(node);
      await vscode.commands.executeCommand(node.kind === 'image' ? CommandId.classifyImage : CommandId.classifyFile);
    }),
  ];
}
