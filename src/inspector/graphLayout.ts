/**
 * A layered (Sugiyama-style) layout of the graph for the inspector's Graph tab: graph inputs, nodes and
 * graph outputs as boxes, top to bottom; weights are not boxes (they show in the node's details). The bodies of
 * If/Loop/Scan nodes are expanded below their node: a body node hangs from its parent when nothing in its own
 * body feeds it, and from the outer producer of any outer-scope value it reads. Layers are
 * longest paths from the inputs; within a layer, boxes are ordered by the mean position of their neighbours
 * (a few barycenter sweeps), which keeps a 12-layer BERT's residual stream straight. Linear in nodes + edges
 * per sweep, so it runs in milliseconds for thousands of nodes; the webview draws only what is in view.
 * No `vscode` import.
 */
import type { ModelInspection } from './model';

export interface LayoutBox {
  /** Index into the inspection's `nodes`, or -1 for a graph input / output box. */
  readonly node: number;
  readonly label: string;
  /** Op type, or 'input' / 'output'. */
  readonly kind: string;
  /** The subgraph the node is in (`If_0/then_branch`), absent for the main graph: drawn dashed. */
  readonly graph?: string;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface GraphLayout {
  readonly boxes: readonly LayoutBox[];
  /** Pairs of box indices, producer → consumer. */
  readonly edges: readonly (readonly [number, number])[];
  readonly width: number;
  readonly height: number;
  readonly ms: number;
}

export const BOX_HEIGHT = 34;
const LAYER_GAP = 30;
const BOX_GAP = 24;
const MIN_WIDTH = 80;
const CHAR_WIDTH = 7;
const SWEEPS = 4;

export function layoutGraph(model: Pick<ModelInspection, 'nodes' | 'inputs' | 'outputs'>): GraphLayout {
  const started = performance.now();
  interface Vertex {
    node: number;
    label: string;
    kind: string;
    graph?: string;
    layer: number;
    order: number;
    preds: number[];
    succs: number[];
  }
  const vertices: Vertex[] = [];
  const producer = new Map<string, number>();
  for (const input of model.inputs) {
    producer.set(input.name, vertices.length);
    vertices.push({ node: -1, label: input.name, kind: 'input', layer: 0, order: 0, preds: [], succs: [] });
  }
  /** Vertex of each node by its index in `model.nodes`. */
  const vertexOfNode = new Map<number, number>();
  /** Producers per subgraph (the main graph's are `producer`), so a body's names do not leak out of it. */
  const bodyProducers = new Map<string, Map<string, number>>();
  const edgeSet = new Set<string>();
  const edges: [number, number][] = [];
  const link = (from: number, to: number) => {
    const key = `${from}>${to}`;
    if (from === to || edgeSet.has(key)) return;
    edgeSet.add(key);
    edges.push([from, to]);
    vertices[from].succs.push(to);
    vertices[to].preds.push(from);
  };
  // Nodes of a valid ONNX graph are topologically sorted; an input produced later (a malformed file) is
  // linked after all nodes are placed, and layering below ignores back edges.
  const pending: [string, number][] = [];
  // The scanner lists a body's nodes right after their parent node, so parents and outer producers come first.
  for (const n of model.nodes) {
    const v = vertices.length;
    vertexOfNode.set(n.index, v);
    if (n.graph === '') {
      vertices.push({ node: n.index, label: n.name, kind: n.opType, layer: 0, order: 0, preds: [], succs: [] });
      for (const input of n.inputs) {
        const p = producer.get(input);
        if (p !== undefined) link(p, v);
        else if (input) pending.push([input, v]);
      }
      for (const out of n.outputs) if (out) producer.set(out, v);
      continue;
    }
    vertices.push({ node: n.index, label: n.name, kind: n.opType, graph: n.graph, layer: 0, order: 0, preds: [], succs: [] });
    const own = bodyProducers.get(n.graph) ?? new Map<string, number>();
    bodyProducers.set(n.graph, own);
    let fedInside = false;
    for (const input of n.inputs) {
      if (!input) continue;
      const inside = own.get(input);
      if (inside !== undefined) {
        link(inside, v);
        fedInside = true;
        continue;
      }
      // An outer-scope value: look it up graph by graph outwards, through the parents.
      let scope = n.parent !== undefined ? model.nodes[n.parent] : undefined;
      while (scope) {
        const p = scope.graph === '' ? producer.get(input) : bodyProducers.get(scope.graph)?.get(input);
        if (p !== undefined) {
          link(p, v);
          break;
        }
        scope = scope.parent !== undefined ? model.nodes[scope.parent] : undefined;
      }
    }
    const parent = n.parent !== undefined ? vertexOfNode.get(n.parent) : undefined;
    if (!fedInside && parent !== undefined) link(parent, v);
    for (const out of n.outputs) if (out) own.set(out, v);
  }
  for (const [input, v] of pending) {
    const p = producer.get(input);
    if (p !== undefined) link(p, v);
  }
  for (const output of model.outputs) {
    const v = vertices.length;
    vertices.push({ node: -1, label: output.name, kind: 'output', layer: 0, order: 0, preds: [], succs: [] });
    const p = producer.get(output.name);
    if (p !== undefined) link(p, v);
  }

  // Longest-path layering in creation order (a topological order; back edges from malformed files are skipped).
  for (let v = 0; v < vertices.length; v++) {
    let layer = 0;
    for (const p of vertices[v].preds) if (p < v) layer = Math.max(layer, vertices[p].layer + 1);
    vertices[v].layer = layer;
  }
  const layerCount = vertices.reduce((a, v) => Math.max(a, v.layer + 1), 0);
  const layers: number[][] = Array.from({ length: layerCount }, () => []);
  for (let v = 0; v < vertices.length; v++) layers[vertices[v].layer].push(v);
  layers.forEach((l) => l.forEach((v, i) => (vertices[v].order = i)));

  const sortBy = (layer: number[], key: (v: number) => number) => {
    const keyed = layer.map((v) => ({ v, k: key(v) }));
    keyed.sort((a, b) => a.k - b.k);
    keyed.forEach((e, i) => {
      layer[i] = e.v;
      vertices[e.v].order = i;
    });
  };
  const mean = (vs: number[], fallback: number) => (vs.length === 0 ? fallback : vs.reduce((a, u) => a + vertices[u].order, 0) / vs.length);
  for (let s = 0; s < SWEEPS; s++) {
    for (let l = 1; l < layerCount; l++) sortBy(layers[l], (v) => mean(vertices[v].preds, vertices[v].order));
    for (let l = layerCount - 2; l >= 0; l--) sortBy(layers[l], (v) => mean(vertices[v].succs, vertices[v].order));
  }

  const widthOf = (v: Vertex) => Math.max(MIN_WIDTH, Math.min(260, Math.max(v.kind.length, Math.min(v.label.length, 30)) * CHAR_WIDTH + 20));
  const layerWidths = layers.map((l) => l.reduce((a, v) => a + widthOf(vertices[v]) + BOX_GAP, -BOX_GAP));
  const width = Math.max(0, ...layerWidths);
  const x = new Array<number>(vertices.length).fill(0);
  layers.forEach((l, i) => {
    let cursor = (width - layerWidths[i]) / 2;
    for (const v of l) {
      x[v] = cursor;
      cursor += widthOf(vertices[v]) + BOX_GAP;
    }
  });
  const boxes: LayoutBox[] = vertices.map((v, i) => ({ node: v.node, label: v.label, kind: v.kind, ...(v.graph ? { graph: v.graph } : {}), x: Math.round(x[i]), y: v.layer * (BOX_HEIGHT + LAYER_GAP), w: widthOf(v), h: BOX_HEIGHT }));
  return { boxes, edges, width: Math.ceil(width), height: layerCount * (BOX_HEIGHT + LAYER_GAP) - LAYER_GAP, ms: performance.now() - started };
}
