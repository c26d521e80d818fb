import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { onnx } from 'onnx-proto';
import { inspectModel } from '../../../src/inspector/inspect';
import { layoutGraph } from '../../../src/inspector/graphLayout';
import { encodeModel, OnnxGraphBuilder } from '../../../src/train/onnx/graphBuilder';
import { tempDir } from './fixtures';

const repo = path.resolve(__dirname, '../../..');

/** z = If(c) { then: Relu(Add(x, x)) } else { Neg(x) }; out = Identity(z). The branches read x from the outer scope. */
function ifModel(): string {
  const g = new OnnxGraphBuilder();
  g.addInput('x', 'float32', ['n', 4]);
  g.addInput('c', 'bool', []);
  const model = g.toModelProto();
  const branch = (name: string, nodes: onnx.INodeProto[], out: string): onnx.IGraphProto => ({
    name,
    node: nodes,
    output: [{ name: out, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [{ dimParam: 'n' }, { dimValue: 4 }] } } } }],
  });
  const then = branch('then', [
    { opType: 'Add', name: 'then_add', input: ['x', 'x'], output: ['t1'] },
    { opType: 'Relu', name: 'then_relu', input: ['t1'], output: ['t2'] },
  ], 't2');
  const otherwise = branch('else', [{ opType: 'Neg', name: 'else_neg', input: ['x'], output: ['e1'] }], 'e1');
  const graph = model.graph!;
  graph.node = [
    { opType: 'If', name: 'choose', input: ['c'], output: ['z'], attribute: [
      { name: 'then_branch', type: onnx.AttributeProto.AttributeType.GRAPH, g: then },
      { name: 'else_branch', type: onnx.AttributeProto.AttributeType.GRAPH, g: otherwise },
    ] },
    { opType: 'Identity', name: 'out', input: ['z'], output: ['y'] },
  ];
  graph.output = [{ name: 'y', type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [{ dimParam: 'n' }, { dimValue: 4 }] } } } }];
  const dir = tempDir('if');
  fs.writeFileSync(path.join(dir, 'model.onnx'), encodeModel(model));
  return path.join(dir, 'model.onnx');
}

test('If bodies are drawn: each branch hangs below its If node, reads outer values from their producer, and is marked', () => {
  const m = inspectModel(ifModel());
  const layout = layoutGraph(m);
  const box = (name: string) => {
    const i = layout.boxes.findIndex((b) => (b.node >= 0 ? m.nodes[b.node].name : b.label) === name);
    assert.ok(i >= 0, `no box for ${name}`);
    return i;
  };
  const edge = (a: string, b: string) => layout.edges.some(([p, q]) => p === box(a) && q === box(b));
  assert.equal(layout.boxes.filter((b) => b.node >= 0).length, m.nodes.length, 'every node, inside the bodies too, has a box');
  assert.ok(edge('choose', 'then_add') && edge('choose', 'else_neg'), 'entry nodes of both branches hang from the If');
  assert.ok(edge('x', 'then_add') && edge('x', 'else_neg'), 'outer-scope x is drawn from the graph input');
  assert.ok(edge('then_add', 'then_relu'), 'edges inside a body');
  assert.ok(!edge('choose', 'then_relu'), 'a node fed inside its body does not also hang from the If');
  assert.ok(edge('choose', 'out'));
  for (const name of ['then_add', 'then_relu', 'else_neg']) {
    const b = layout.boxes[box(name)];
    assert.match(b.graph ?? '', /^choose\/(then|else)_branch$/);
    assert.ok(b.y > layout.boxes[box('choose')].y, `${name} is below its If`);
  }
  assert.equal(layout.boxes[box('choose')].graph, undefined);
});

test('a model without subgraphs keeps its layout: the bundled CNN has a box per node plus its input and output', () => {
  const m = inspectModel(path.join(repo, 'models/mnist-cnn/model.onnx'));
  const layout = layoutGraph(m);
  assert.equal(layout.boxes.length, m.nodes.length + m.inputs.length + m.outputs.length);
  assert.ok(layout.boxes.every((b) => b.graph === undefined));
});
