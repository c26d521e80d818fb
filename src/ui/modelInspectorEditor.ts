import * as path from 'node:path';
import * as vscode from 'vscode';
import { fromErrorData, toErrorData, type ErrorData } from '../common/errors';
import { WORKER_HEAP_MB, WorkerCancelledError, WorkerClient } from '../common/workerClient';
import type { ModelLabContext } from '../context';
import type { FitResult } from '../inspector/fit';
import { formatBytes } from '../inspector/report';
import { parseFromInspectorWebview, type FitView, type FromInspectorWebview, type InspectorStrings, type ToInspectorWebview } from '../webview/inspector/protocol';
import { benchmarkModelFile, inspectModelFile, weightStatisticsOf } from '../workers/inspectorProtocol';
import { localizeError } from './errorMessages';
import { PanelHost } from './panelHost';

export const MODEL_INSPECTOR_VIEW_TYPE = 'modelLab.modelInspector';

export function inspectorStrings(): InspectorStrings {
  return {
    loading: vscode.l10n.t('Reading {0}…'),
    failed: vscode.l10n.t('The model inspector cannot show {0}.'),
    tabSummary: vscode.l10n.t('Summary'),
    tabOperators: vscode.l10n.t('Operators'),
    tabWeights: vscode.l10n.t('Weights'),
    tabGraph: vscode.l10n.t('Graph'),
    tabBenchmark: vscode.l10n.t('Benchmark'),
    format: vscode.l10n.t('Format'),
    producer: vscode.l10n.t('Producer'),
    irVersion: vscode.l10n.t('IR version'),
    opsets: vscode.l10n.t('Opsets'),
    fileSize: vscode.l10n.t('File size'),
    externalData: vscode.l10n.t('External data'),
    graphName: vscode.l10n.t('Graph name'),
    inputs: vscode.l10n.t('Inputs'),
    outputs: vscode.l10n.t('Outputs'),
    name: vscode.l10n.t('Name'),
    type: vscode.l10n.t('Type'),
    shape: vscode.l10n.t('Shape'),
    parameters: vscode.l10n.t('Parameters'),
    storage: vscode.l10n.t('Storage by type'),
    tensors: vscode.l10n.t('Tensors'),
    values: vscode.l10n.t('Values'),
    bytes: vscode.l10n.t('Size'),
    metadata: vscode.l10n.t('Metadata'),
    config: vscode.l10n.t('Folder configuration ({0})'),
    modelType: vscode.l10n.t('Model type'),
    task: vscode.l10n.t('Task'),
    labels: vscode.l10n.t('Labels'),
    preprocessing: vscode.l10n.t('Preprocessing'),
    notes: vscode.l10n.t('Notes'),
    classifiers: vscode.l10n.t('Use in Model Lab'),
    imageClassifier: vscode.l10n.t('Image classifier'),
    textClassifier: vscode.l10n.t('Text classifier'),
    fits: vscode.l10n.t('Fits.'),
    useAsImage: vscode.l10n.t('Use as image model'),
    useAsText: vscode.l10n.t('Use as text model'),
    histogram: vscode.l10n.t('Operator types'),
    filterNodes: vscode.l10n.t('Filter nodes by name, op type or tensor'),
    nodesShown: vscode.l10n.t('Nodes: {0} of {1}'),
    showMore: vscode.l10n.t('Show more'),
    attributes: vscode.l10n.t('Attributes'),
    subgraph: vscode.l10n.t('in {0}'),
    opType: vscode.l10n.t('Op type'),
    location: vscode.l10n.t('Stored'),
    embedded: vscode.l10n.t('in the model file'),
    external: vscode.l10n.t('external'),
    statistics: vscode.l10n.t('Statistics'),
    computeStats: vscode.l10n.t('Statistics'),
    computing: vscode.l10n.t('Computing…'),
    min: vscode.l10n.t('min'),
    max: vscode.l10n.t('max'),
    mean: vscode.l10n.t('mean'),
    std: vscode.l10n.t('std'),
    zeros: vscode.l10n.t('zeros'),
    nans: vscode.l10n.t('NaN'),
    firstValues: vscode.l10n.t('First values'),
    valueHistogram: vscode.l10n.t('Distribution of values'),
    sortBy: vscode.l10n.t('Sort by {0}'),
    graphHelp: vscode.l10n.t('Drag or use the arrow keys to pan, + and − to zoom, N and P to select the next or previous node, Enter to show it in the node list.'),
    zoomIn: vscode.l10n.t('Zoom in'),
    zoomOut: vscode.l10n.t('Zoom out'),
    fit: vscode.l10n.t('Fit to view'),
    showInList: vscode.l10n.t('Show in node list'),
    benchmarkHelp: vscode.l10n.t('Runs the model on random inputs of its declared shapes with onnxruntime-node in a worker thread.'),
    dynamicDims: vscode.l10n.t('Dynamic dimensions'),
    runs: vscode.l10n.t('Runs'),
    threads: vscode.l10n.t('Threads'),
    runBenchmark: vscode.l10n.t('Run benchmark'),
    cancel: vscode.l10n.t('Cancel'),
    running: vscode.l10n.t('Running the benchmark…'),
    latency: vscode.l10n.t('Latency'),
    p50: vscode.l10n.t('p50'),
    p95: vscode.l10n.t('p95'),
    sessionCreated: vscode.l10n.t('{0} runs on inputs {1}; session created in {2} ms.'),
    byOpType: vscode.l10n.t('Time per operator type'),
    slowestNodes: vscode.l10n.t('Ten slowest nodes'),
    node: vscode.l10n.t('Node'),
    timeMs: vscode.l10n.t('ms per run'),
    share: vscode.l10n.t('Share'),
    benchmarkDone: vscode.l10n.t('Benchmark done: p50 {0} ms, p95 {1} ms.'),
    profileNote: vscode.l10n.t("From onnxruntime's profiler, mean of {0} runs, after its graph optimizations (fused nodes have new names)."),
    unknownShape: vscode.l10n.t('shape unknown'),
    reopenAsText: vscode.l10n.t('Open in the text editor'),
  };
}

/** The first sentence of a localized message: the fit check shows why in one sentence. */
export function firstSentence(text: string): string {
  const m = /^.*?[.。](?=\s|$)/s.exec(text);
  return m ? m[0] : text;
}

function fitView(fit: FitResult): FitView {
  return fit.fits ? { fits: true, value: fit.value } : { fits: false, reason: firstSentence(localizeError(fromErrorData(fit.reason))) };
}

/**
 * The model inspector: a read-only custom editor for `.onnx` files and TensorFlow.js `model.json`. Reading,
 * statistics and benchmarks run in worker threads (src/workers/inspectorWorker.ts), one for inspection and one
 * for benchmarks; the webview gets the structure and statistics, never weight values.
 */
export class ModelInspectorProvider implements vscode.CustomReadonlyEditorProvider, vscode.Disposable {
  private readonly inspectWorker: WorkerClient;
  private readonly benchmarkWorker: WorkerClient;

  constructor(private readonly ctx: ModelLabContext) {
    const script = path.join(ctx.extensionUri.fsPath, 'dist', 'workers', 'inspectorWorker.js');
    const options = { heapMb: WORKER_HEAP_MB.inspector, idleMs: () => ctx.config.workers.idleMinutes * 60_000 };
    this.inspectWorker = new WorkerClient(script, options);
    this.benchmarkWorker = new WorkerClient(script, options);
  }

  static register(ctx: ModelLabContext): vscode.Disposable {
    const provider = new ModelInspectorProvider(ctx);
    return vscode.Disposable.from(
      provider,
      vscode.window.registerCustomEditorProvider(MODEL_INSPECTOR_VIEW_TYPE, provider, { supportsMultipleEditorsPerDocument: true }),
    );
  }

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => undefined };
  }

  resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): void {
    new InspectorEditor(this.ctx, document.uri, panel, this.inspectWorker, this.benchmarkWorker);
  }

  dispose(): void {
    this.inspectWorker.dispose();
    this.benchmarkWorker.dispose();
  }
}

/**
 * One inspector editor. VS Code gives it its panel (a custom editor), and several may be open at once, one per
 * model file or split: hence `multiple`. No serializer either: VS Code reopens custom editors itself.
 */
class InspectorEditor extends PanelHost<ToInspectorWebview, FromInspectorWebview> {
  private benchmarkCancel: vscode.CancellationTokenSource | undefined;
  private fit: { image: FitResult; text: FitResult } | undefined;
  private readonly file: string;

  constructor(
    ctx: ModelLabContext,
    private readonly uri: vscode.Uri,
    panel: vscode.WebviewPanel,
    private readonly inspectWorker: WorkerClient,
    private readonly benchmarkWorker: WorkerClient,
  ) {
    super(ctx, panel, {
      viewType: MODEL_INSPECTOR_VIEW_TYPE,
      script: 'inspector',
      stylesheet: 'inspector.css',
      title: path.basename(uri.fsPath),
      logName: 'Model inspector',
      parse: parseFromInspectorWebview,
      multiple: true,
    });
    this.file = uri.fsPath;
  }

  /** Also answers a reloaded webview: the worker keeps the inspection, so it is quick. */
  protected override onReady(): Promise<void> {
    return this.load();
  }

  protected async onMessage(message: Exclude<FromInspectorWebview, { type: 'ready' }>): Promise<void> {
    switch (message.type) {
      case 'weightStats':
        try {
          const stats = await this.inspectWorker.call(weightStatisticsOf, { file: this.file, weight: message.weight });
          this.post({ type: 'weightStats', weight: message.weight, stats });
        } catch (err) {
          this.ctx.log.error(`Model inspector: statistics of ${message.weight}: ${toErrorData(err).message}`);
          this.post({ type: 'weightStatsError', weight: message.weight, message: localizeError(err) });
        }
        return;
      case 'benchmark':
        // Runs beside the message queue, so that the "cancel" sent meanwhile reaches it.
        this.detach(this.benchmark(message.dims, message.runs, message.threads));
        return;
      case 'cancelBenchmark':
        this.benchmarkCancel?.cancel();
        return;
      case 'useAs':
        return this.useAs(message.kind);
      case 'reopenAsText':
        await vscode.commands.executeCommand('vscode.openWith', this.uri, 'default');
        return;
    }
  }

  private async load(): Promise<void> {
    const strings = inspectorStrings();
    if (this.uri.scheme !== 'file') {
      this.post({ type: 'error', file: this.uri.toString(), message: vscode.l10n.t('The model inspector reads files on disk; {0} is not one.', this.uri.toString()), strings });
      return;
    }
    this.post({ type: 'loading', file: path.basename(this.file), strings });
    const started = performance.now();
    try {
      const model = await this.inspectWorker.call(inspectModelFile, { file: this.file });
      this.fit = model.fit;
      this.ctx.log.info(
        `Model inspector: ${this.file} (${formatBytes(model.fileBytes)}) read in ${model.scanMs.toFixed(0)} ms in the worker, ${(performance.now() - started).toFixed(0)} ms to the editor; ${model.nodes.length} nodes, ${model.weights.length} weights, graph layout ${model.layout.ms.toFixed(0)} ms`,
      );
      const unavailable: ErrorData | undefined = model.benchmark.unavailable;
      this.post({
        type: 'model',
        model,
        fit: { image: fitView(model.fit.image), text: fitView(model.fit.text) },
        ...(unavailable ? { benchmarkUnavailable: localizeError(fromErrorData(unavailable)) } : {}),
        strings,
      });
    } catch (err) {
      this.ctx.log.error(`Model inspector: ${toErrorData(err).message}`);
      this.post({ type: 'error', file: path.basename(this.file), message: localizeError(err), strings });
    }
  }

  private async benchmark(dims: Readonly<Record<string, number>>, runs: number, threads: number): Promise<void> {
    this.benchmarkCancel?.cancel();
    const cancel = new vscode.CancellationTokenSource();
    this.benchmarkCancel = cancel;
    try {
      const result = await this.benchmarkWorker.call(benchmarkModelFile, { file: this.file, dims, runs, threads }, { cancel: cancel.token });
      this.ctx.log.info(`Model inspector: benchmark of ${this.file}: p50 ${result.p50Ms.toFixed(2)} ms, p95 ${result.p95Ms.toFixed(2)} ms over ${result.runs} runs`);
      this.post({ type: 'benchmark', result });
    } catch (err) {
      if (err instanceof WorkerCancelledError) {
        this.post({ type: 'benchmarkError', message: vscode.l10n.t('The benchmark was cancelled.') });
        return;
      }
      this.ctx.log.error(`Model inspector: benchmark of ${this.file}: ${toErrorData(err).message}`);
      this.post({ type: 'benchmarkError', message: localizeError(err) });
    } finally {
      if (this.benchmarkCancel === cancel) this.benchmarkCancel = undefined;
      cancel.dispose();
    }
  }

  private async useAs(kind: 'image' | 'text'): Promise<void> {
    const fit = kind === 'image' ? this.fit?.image : this.fit?.text;
    if (!fit) return;
    if (!fit.fits) {
      void vscode.window.showWarningMessage(firstSentence(localizeError(fromErrorData(fit.reason))));
      return;
    }
    const key = kind === 'image' ? 'imageModel' : 'textModel';
    // In a workspace the choice belongs to it (the model usually lives there); without one, to the user.
    const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    try {
      await vscode.workspace.getConfiguration('modelLab').update(key, fit.value, target);
    } catch (err) {
      void vscode.window.showErrorMessage(localizeError(err));
      return;
    }
    const message =
      kind === 'image'
        ? vscode.l10n.t('Model Lab now classifies images with {0} (setting modelLab.imageModel).', fit.value)
        : vscode.l10n.t('Model Lab now classifies text with {0} (setting modelLab.textModel).', fit.value);
    this.ctx.log.info(message);
    this.post({ type: 'settingUpdated', message });
    void vscode.window.showInformationMessage(message);
  }

  protected override onDispose(): void {
    this.benchmarkCancel?.cancel();
  }
}
