import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cancelledError, CodedError, formatTemplate, fromErrorData, hasErrorCode, isCancelled, toErrorData } from '../../../src/common/errors';
import { visionErrorTemplates } from '../../../src/vision/errors';
import { inspectorErrorTemplates, inspectorReasonTemplates } from '../../../src/inspector/errors';
import { fitTemplates } from '../../../src/inspector/fit';

const root = path.resolve(__dirname, '../../..');

test('a coded error fills its template and keeps code, template and arguments as strings', () => {
  const err = new CodedError('example', 'File {0} has {1} rows; {2} stays.', ['a.csv', 3]);
  assert.equal(err.message, 'File a.csv has 3 rows; {2} stays.');
  assert.deepEqual(err.args, ['a.csv', '3']);
  assert.equal(err.template, 'File {0} has {1} rows; {2} stays.');
  assert.equal(formatTemplate('{1}{0}{1}', ['a', 'b']), 'bab');
});

test('error data is plain: it survives structured clone and rebuilds the same error', () => {
  const data = toErrorData(new CodedError('x', 'Value {0}.', ['7']));
  const rebuilt = fromErrorData(structuredClone(data));
  assert.ok(rebuilt instanceof CodedError);
  assert.deepEqual({ code: rebuilt.code, template: rebuilt.template, args: rebuilt.args, message: rebuilt.message }, { code: 'x', template: 'Value {0}.', args: ['7'], message: 'Value 7.' });
  assert.ok(hasErrorCode(rebuilt, 'x'));
  assert.ok(!hasErrorCode(new Error('x'), 'x'));
});

test('a foreign error becomes "internal" with its message; cancellation has its own code', () => {
  assert.deepEqual(toErrorData(new Error('boom')), { code: 'internal', template: '{0}', args: ['boom'], message: 'boom' });
  assert.equal(toErrorData('plain string').message, 'plain string');
  assert.ok(isCancelled(cancelledError()));
  assert.ok(!isCancelled(new Error('Cancelled.')));
});

/** Every English template of a coded error in src/, as written at its throw site or in a template table. */
function templatesInSource(): string[] {
  const reasons = Object.values(inspectorReasonTemplates).flatMap((table) => Object.values(table) as string[]);
  const found = new Set<string>([...Object.values(visionErrorTemplates), ...Object.values(inspectorErrorTemplates), ...reasons, ...Object.values(fitTemplates)]);
  const files = fs.readdirSync(path.join(root, 'src'), { recursive: true }).map(String).filter((f) => f.endsWith('.ts'));
  const call = /(?:\w+Error|new CodedError)\(\s*(?:'[\w-]+'|\w+),\s*'((?:[^'\\]|\\.)*)'/g;
  for (const f of files) {
    const text = fs.readFileSync(path.join(root, 'src', f), 'utf8');
    for (const m of text.matchAll(call)) found.add(m[1].replace(/\\'/g, "'"));
  }
  return [...found];
}

test('every coded error template has a zh-CN translation with the same placeholders', () => {
  const bundle = JSON.parse(fs.readFileSync(path.join(root, 'l10n/bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
  const templates = templatesInSource();
  assert.ok(templates.length > 40, `found only ${templates.length} templates: the scan is broken`);
  const placeholders = (s: string) => [...s.matchAll(/\{(\d+)\}/g)].map((m) => m[1]).sort().join(',');
  const problems = templates.filter((t) => !bundle[t] || placeholders(bundle[t]) !== placeholders(t));
  assert.deepEqual(problems, []);
});

test('an inspector reason is its family sentence with the reason filled in, so the CLI prints the same English', () => {
  // The argument each family's template took the reason in.
  const slot: Record<keyof typeof inspectorReasonTemplates, number> = { notOnnx: 1, tfjsInvalid: 1, benchmarkInput: 1, benchmarkFailed: 1, unreadable: 1, corrupt: 2 };
  for (const [code, table] of Object.entries(inspectorReasonTemplates) as [keyof typeof inspectorReasonTemplates, Record<string, string>][]) {
    const family = inspectorErrorTemplates[code];
    const pattern = new RegExp(`^${family.replace(/[.*+?^$()[\]\\|]/g, '\\$&').replace(/\{/g, '\\{').replace(/\}/g, '\\}').replace(`\\{${slot[code]}\\}`, '.+')}$`);
    for (const [reason, template] of Object.entries(table)) assert.match(template, pattern, `${code}.${reason}`);
  }
});
