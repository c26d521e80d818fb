import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadSnippetCatalogue } from '../../../src/snippets/catalogue';
import { importedPackages, missingPackages } from '../../../src/snippets/packages';

test('imported packages: bare names, scoped names, subpaths; no built-ins or relative paths', () => {
  const code = [
    "import * as tf from '@tensorflow/tfjs';",
    "import { InferenceSession } from 'onnxruntime-node';",
    "import { PNG } from 'pngjs/lib/png';",
    "import * as fs from 'node:fs';",
    "import * as path from 'path';",
    "const x = require('./local');",
    "import 'reflect-metadata';",
  ].join('\n');
  assert.deepEqual(importedPackages(code), ['@tensorflow/tfjs', 'onnxruntime-node', 'pngjs', 'reflect-metadata']);
});

test('missing packages: whatever package.json lists in any dependency field counts as present', () => {
  const pkg = JSON.stringify({ dependencies: { '@tensorflow/tfjs': '^4' }, devDependencies: { pngjs: '^7' } });
  assert.deepEqual(missingPackages(pkg, ['@tensorflow/tfjs', 'onnxruntime-node', 'pngjs']), ['onnxruntime-node']);
  assert.deepEqual(missingPackages('{ not json', ['onnxruntime-node']), ['onnxruntime-node']);
});

test('every TypeScript snippet needs only packages from the set the README names', () => {
  const catalogue = loadSnippetCatalogue(path.resolve(__dirname, '../../..'));
  const needed = new Set(catalogue.filter((s) => s.language === 'typescript').flatMap((s) => importedPackages(s.body)));
  assert.deepEqual([...needed].sort(), ['@tensorflow/tfjs', 'onnxruntime-node', 'pngjs']);
});
