import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { perClassTableStrings } from './perClassTableStrings';
import type { CellExamples, ScoredExample } from '../common/classificationMetrics';
import type { ModelLabContext } from '../context';
import type { EvaluationOutcome } from '../eval/evaluate';
import { defaultEvaluationExportPath, evaluationToCsv, evaluationToJson } from '../eval/exportReport';
import { parseFromEvalWebview, type EvalExample, type EvalStrings, type EvalView, type FromEvalWebview, type ToEvalWebview } from '../webview/evalResult/protocol';
import { PanelHost } from './panelHost';
import { workspacePath } from './workspacePath';

export const EVAL_RESULT_VIEW_TYPE = 'modelLab.evalResult';

function evalStrings(): EvalStrings {
  return {
    title: vscode.l10n.t('Model Evaluation'),
    summary: vscode.l10n.t('{0} with the model {1} — examples: {2}; time: {3} s.'),
    cancelled: vscode.l10n.t('Cancelled: these numbers cover only the examples read first ({0} of {1}).'),
    accuracy: vscode.l10n.t('Accuracy'),
    macroF1: vscode.l10n.t('Macro F1'),
    ece: vscode.l10n.t('Expected calibration error'),
    confusion: vscode.l10n.t('Confusion matrix'),
    confusionHelp: vscode.l10n.t('Rows: the label in the data; columns: the model\'s answer. Each cell shows its count and its share of the row; choose a cell to list its examples.'),
    actual: vscode.l10n.t('actual'),
    predicted: vscode.l10n.t('predicted'),
    cellLabel: vscode.l10n.t('actual {0}, predicted {1} — count {2} ({3} of the row)'),
    ...perClassTableStrings(),
    mistakes: vscode.l10n.t('Most confident mistakes'),
    noMistakes: vscode.l10n.t('No mistakes.'),
    examplesOf: vscode.l10n.t('Actual {0}, predicted {1} — examples: {2}'),
    examplesShown: vscode.l10n.t('Showing the {0} most confident of {1}.'),
    confidence: vscode.l10n.t('confidence'),
    line: vscode.l10n.t('line'),
    open: vscode.l10n.t('Open'),
    export: vscode.l10n.t('Export CSV and JSON…'),
    exported: vscode.l10n.t('Exported to {0}.'),
    onlyInData: vscode.l10n.t('Labels in the data that the model does not have (always counted wrong): {0}'),
    onlyInModel: vscode.l10n.t('Labels of the model that no example in the data carries: {0}'),
    failures: vscode.l10n.t('Examples that could not be read and are not counted (see the Model Lab log): {0}.'),
  };
}

export interface EvalPanelInput {
  readonly data: string;
  readonly model: string;
  readonly kind: 'images' | 'texts';
  readonly outcome: EvaluationOutcome;
  /** Label as shown to people (display names of the model's labels). */
  readonly shown: (label: string) => string;
}

/** Deepest folder holding every path (the thumbnails' resource root). */
function commonFolder(files: readonly string[]): string | undefined {
  if (files.length === 0) return undefined;
  let common = path.dirname(files[0]);
  for (const f of files) while (!(f + path.sep).startsWith(common + path.sep) && common !== path.dirname(common)) common = path.dirname(common);
  return common;
}

/**
 * The evaluation panel: one instance, replaced by each run. Cells list their examples on request; an example
 * opens its image, or its data file at the text's line; Export writes CSV and JSON where the user chooses.
 */
export class EvalResultPanel extends PanelHost<ToEvalWebview, FromEvalWebview> {
  private cellShown: ScoredExample[] = [];

  private constructor(
    ctx: ModelLabContext,
    panel: vscode.WebviewPanel,
    private readonly input: EvalPanelInput,
    dataRoot: string | undefined,
  ) {
    super(ctx, panel, {
      viewType: EVAL_RESULT_VIEW_TYPE,
      script: 'evalResult',
      stylesheet: 'evalResult.css',
      logName: 'Evaluation panel',
      parse: parseFromEvalWebview,
      // Thumbnails of the evaluated images load from their folder.
      extraResourceRoots: dataRoot ? [vscode.Uri.file(dataRoot)] : [],
    });
    this.setContent({ type: 'show', view: this.view(), strings: evalStrings() });
  }

  /**
   * Shows a run's evaluation in a new panel in the active group, replacing the previous one: each run's
   * thumbnails need their own resource root, which a webview fixes when it is created. No serializer: the
   * examples live in the extension host, so there is nothing to restore after a reload.
   */
  static show(ctx: ModelLabContext, input: EvalPanelInput): EvalResultPanel {
    PanelHost.openPanel<EvalResultPanel>(EVAL_RESULT_VIEW_TYPE)?.dispose();
    const imageFiles = input.kind === 'images' ? input.outcome.cells.flatMap((c) => c.examples.map((e) => e.file)) : [];
    const dataRoot = input.kind === 'images' ? commonFolder(imageFiles) : undefined;
    const panel = PanelHost.createWebviewPanel(ctx, EVAL_RESULT_VIEW_TYPE, vscode.l10n.t('Evaluation: {0}', path.basename(input.data)), vscode.ViewColumn.Active);
    return new EvalResultPanel(ctx, panel, input, dataRoot);
  }

  private example(e: ScoredExample): EvalExample {
    const s = this.input.shown;
    return {
      file: e.file,
      title: e.snippet ?? path.basename(e.file),
      line: e.line,
      thumbnail: this.input.kind === 'images' ? this.panel.webview.asWebviewUri(vscode.Uri.file(e.file)).toString() : undefined,
      actual: s(e.actual),
      predicted: s(e.predicted),
      confidence: e.confidence,
    };
  }

  private view(): EvalView {
    const { outcome, shown } = this.input;
    const r = outcome.report;
    return {
      data: workspacePath(this.input.data).text,
      model: this.input.model,
      kind: this.input.kind,
      count: r.count,
      total: outcome.total,
      cancelled: outcome.cancelled,
      elapsedMs: outcome.elapsedMs,
      accuracy: r.accuracy,
      macroF1: r.macroF1,
      ece: r.expectedCalibrationError,
      labels: r.labels.map(shown),
      confusion: r.confusion,
      perClass: r.perClass.map((c) => ({ label: shown(c.label), precision: c.precision, recall: c.recall, f1: c.f1, support: c.support })),
      mistakes: r.mostConfidentMistakes.map((e) => this.example(e)),
      labelsOnlyInData: r.labelsOnlyInData,
      labelsOnlyInModel: r.labelsOnlyInModel.map(shown),
      failureCount: r.failureCount,
    };
  }

  protected async onMessage(message: Exclude<FromEvalWebview, { type: 'ready' }>): Promise<void> {
    const r = this.input.outcome.report;
    switch (message.type) {
      case 'cell': {
        const actual = r.labels[message.actual];
        const predicted = r.labels[message.predicted];
        if (actual === undefined || predicted === undefined) return;
        const cell: CellExamples | undefined = this.input.outcome.cells.find((c) => c.actual === actual && c.predicted === predicted);
        this.cellShown = [...(cell?.examples ?? [])].sort((a, b) => b.confidence - a.confidence);
        this.post({ type: 'cell', actual: message.actual, predicted: message.predicted, count: cell?.count ?? 0, examples: this.cellShown.map((e) => this.example(e)) });
        break;
      }
      case 'open': {
        const e = (message.list === 'mistakes' ? r.mostConfidentMistakes : this.cellShown)[message.index];
        if (e) await this.open(e);
        break;
      }
      case 'export':
        await this.export();
        break;
    }
  }

  /** Images open in VS Code's image preview; texts open their data file at the example's line. */
  private async open(e: ScoredExample): Promise<void> {
    const uri = vscode.Uri.file(e.file);
    if (this.input.kind === 'images') {
      await vscode.commands.executeCommand('vscode.open', uri, { viewColumn: vscode.ViewColumn.Beside, preview: true });
      return;
    }
    const doc = await vscode.workspace.openTextDocument(uri);
    const line = Math.max(0, Math.min(doc.lineCount - 1, (e.line ?? 1) - 1));
    const range = doc.lineAt(line).range;
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, selection: range, preview: true });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenter);
  }

  private async export(): Promise<void> {
    const dataIsFolder = fs.existsSync(this.input.data) && fs.statSync(this.input.data).isDirectory();
    const workspaceFolders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
    const target = await vscode.window.showSaveDialog({
      title: vscode.l10n.t('Export the evaluation (a .json file with the same name is written beside the CSV)'),
      defaultUri: vscode.Uri.file(defaultEvaluationExportPath(this.input.data, { dataIsFolder, workspaceFolders })),
      filters: { CSV: ['csv'] },
    });
    if (!target) return;
    const csvPath = target.fsPath.toLowerCase().endsWith('.csv') ? target.fsPath : `${target.fsPath}.csv`;
    const jsonPath = csvPath.replace(/\.csv$/i, '.json');
    const file = { model: this.input.model, data: this.input.data, outcome: this.input.outcome };
    await fs.promises.writeFile(csvPath, evaluationToCsv(file), 'utf8');
    await fs.promises.writeFile(jsonPath, evaluationToJson(file), 'utf8');
    this.ctx.log.info(`Evaluation exported to ${csvPath} and ${jsonPath}`);
    // Named as everywhere else in the panel: relative to the workspace (the full path is in the log).
    const shownCsv = workspacePath(csvPath).text;
    this.post({ type: 'exported', where: shownCsv });
    void vscode.window.showInformationMessage(vscode.l10n.t('Evaluation exported to {0} and {1}.', shownCsv, path.basename(jsonPath)));
  }
}
