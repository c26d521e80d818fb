/**
 * Accuracy of the bundled digit model on printed digits it never saw: 0–9 in several fonts, 64 and 512 px,
 * both polarities, PNG and JPEG, rendered by ImageMagick at test time. Needs `imagemagick`,
 * `fonts-dejavu-core`, `fonts-liberation2` (Debian) and models/mnist-cnn.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ImageClassifier } from '../../../src/vision/classifier';
import { renderDigits } from './renderDigits';

const modelDir = path.resolve(__dirname, '../../../models/mnist-cnn');

test('rendered digits: ≥ 85 % classified correctly by the bundled model', async () => {
  // The bundled model is committed: a missing one is a failure here, never a reason to skip.
  assert.ok(fs.existsSync(path.join(modelDir, 'model.onnx')), `${modelDir}/model.onnx is missing: run npm run train:cnn`);
  const digits = renderDigits();
  const fonts = new Set(digits.map((d) => d.font));
  assert.ok(fonts.size >= 3, `need ≥ 3 fonts, have ${[...fonts].join(', ')}`);
  const classifier = await ImageClassifier.load(modelDir);
  const outcomes = await classifier.classifyFiles(digits.map((d) => d.file));
  await classifier.dispose();
  const wrong: string[] = [];
  const byGroup = new Map<string, { ok: number; n: number }>();
  outcomes.forEach((o, i) => {
    const d = digits[i];
    assert.ok(o.ok, `${d.file}: ${o.ok ? '' : o.error.message}`);
    const correct = o.result.label === String(d.digit);
    if (!correct) wrong.push(`${d.digit} as ${o.result.label} (${(o.result.score * 100).toFixed(0)} %) — ${d.font}, ${d.size} px, ${d.polarity}, ${d.format}`);
    for (const key of [`font ${d.font}`, `size ${d.size}`, `${d.polarity}`, `format ${d.format}`, `digit ${d.digit}`]) {
      const g = byGroup.get(key) ?? { ok: 0, n: 0 };
      g.n++;
      if (correct) g.ok++;
      byGroup.set(key, g);
    }
  });
  const accuracy = 1 - wrong.length / digits.length;
  const report = [
    `accuracy ${(accuracy * 100).toFixed(1)} % (${digits.length - wrong.length}/${digits.length})`,
    ...[...byGroup].map(([k, g]) => `  ${k}: ${g.ok}/${g.n}`),
    'misclassified:',
    ...wrong.map((w) => `  ${w}`),
  ].join('\n');
  console.log(report);
  assert.ok(accuracy >= 0.85, report);
});
