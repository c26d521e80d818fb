/**
 * What the inspector's webview receives about a model: the inspection without where the weights' bytes are
 * (file paths and offsets stay in the worker; values are sent only as statistics, on request), plus the
 * operator histogram, the graph layout and the classifier fit. Built in the worker. No `vscode` import.
 */
import * as path from 'node:path';
import { toErrorData, type ErrorData } from '../common/errors';
import { benchmarkUnsupported, dynamicDims } from './benchmark';
import { imageModelFit, textModelFit, type FitResult } from './fit';
import { layoutGraph, type GraphLayout } from './graphLayout';
import { operatorHistogram } from './inspect';
import type { AttributeInfo, ModelInspection, NodeInfo, WeightInfo } from './model';

export type AttributeView = Omit<AttributeInfo, 'tensor' | 'numbers'>;
export type NodeView = Omit<NodeInfo, 'attributes'> & { readonly attributes: readonly AttributeView[] };
export type WeightView = Omit<WeightInfo, 'data'>;

export interface ModelView extends Omit<ModelInspection, 'nodes' | 'weights' | 'externalFiles'> {
  readonly fileName: string;
  /** External data files by name (all inside the model's folder). */
  readonly externalFiles: readonly string[];
  readonly nodes: readonly NodeView[];
  readonly weights: readonly WeightView[];
  readonly histogram: readonly { readonly opType: string; readonly count: number }[];
  readonly layout: GraphLayout;
  readonly fit: { readonly image: FitResult; readonly text: FitResult };
  /** The benchmark's default sizes for dynamic dimensions, or why it cannot run (a tfjs model). */
  readonly benchmark: { readonly dims: Readonly<Record<string, number>>; readonly unavailable?: ErrorData };
}

export function modelView(m: ModelInspection): ModelView {
  const { nodes, weights, externalFiles, ...rest } = m;
  const unsupported = benchmarkUnsupported(m);
  return {
    ...rest,
    fileName: path.basename(m.file),
    externalFiles: externalFiles.map((f) => path.relative(path.dirname(m.file), f)),
    nodes: nodes.map((n) => ({ ...n, attributes: n.attributes.map(({ name, type, value }) => ({ name, type, value })) })),
    weights: weights.map(({ data: _data, ...w }) => w),
    histogram: operatorHistogram(m),
    layout: layoutGraph(m),
    fit: { image: imageModelFit(m), text: textModelFit(m) },
    benchmark: { dims: dynamicDims(m.inputs), ...(unsupported ? { unavailable: toErrorData(unsupported) } : {}) },
  };
}
