import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  expandSnippet,
  loadSnippetCatalogue,
  parseJsonc,
  parseSnippetFile,
  previewText,
  snippetBodyFor,
  snippetLanguagesFor,
  SNIPPET_FILES,
  tabStopIndices,
} from '../../../src/snippets/catalogue';

const root = path.resolve(__dirname, '../../..');

test('parseJsonc skips comments and trailing commas but leaves strings alone', () => {
  const text = [
    '// header comment',
    '{',
    '  "a": "http://example.com // not a comment", /* block',
    '  comment */ "b": ["x /* y */", "\\"quoted // still string\\"",],',
    '}',
  ].join('\n');
  assert.deepEqual(parseJsonc(text), {
    a: 'http://example.com // not a comment',
    b: ['x /* y */', '"quoted // still string"'],
  });
  assert.throws(() => parseJsonc('{ /* never closed '), /UnexpectedEndOfComment at line 1/);
  assert.throws(() => parseJsonc('{\n  "a": 1\n  "b": 2\n}'), /CommaExpected at line 3, column 3/);
});

test('expandSnippet: placeholders, tab stops, mirrors, choices, nesting, variables, escapes', () => {
  assert.equal(expandSnippet('const ${1:model} = f(${2:32});\n$1.go();$0'), 'const model = f(32);\nmodel.go();');
  assert.equal(expandSnippet('a $1 b ${1:x} c ${1}'), 'a x b x c x', 'a mirror before the placeholder still gets its default');
  assert.equal(expandSnippet('invert = ${2|true,false|}; again $2'), 'invert = true; again true');
  assert.equal(expandSnippet('${1:outer ${2:inner} end} $2'), 'outer inner end inner');
  assert.equal(expandSnippet('${3}x$4'), 'x', 'tab stops without defaults expand to nothing');
  assert.equal(expandSnippet('cost \\$5 and \\} and \\\\ and `\\${a + b}`'), 'cost $5 and } and \\ and `${a + b}`');
  assert.equal(expandSnippet('${1:a \\} b}'), 'a } b', 'an escaped brace stays inside the placeholder');
  assert.equal(expandSnippet('${1|a\\,b,c|}'), 'a,b', 'escaped comma inside a choice');
  assert.equal(expandSnippet('$TM_FILENAME ${TM_LINE_NUMBER} ${UNKNOWN:fallback}', { variables: { TM_FILENAME: 'x.ts', TM_LINE_NUMBER: '3' } }), 'x.ts 3 fallback');
  assert.equal(expandSnippet('price: $ 5, ${ not a placeholder'), 'price: $ 5, ${ not a placeholder', 'unparseable $ stays literal');
  assert.throws(() => expandSnippet('${TM_FILENAME/(.*)/$1/}'), /transforms/);
});

test('tabStopIndices lists every tab stop once', () => {
  assert.deepEqual(tabStopIndices('${2:a} $1 ${3|x,y|} $2 ${4:${5:n}} $0'), [0, 1, 2, 3, 4, 5]);
});

test('parseSnippetFile reports malformed entries by name', () => {
  assert.throws(() => parseSnippetFile('{"Broken": {"body": ["x"], "description": "d"}}', 'typescript'), /"Broken" needs a "prefix"/);
  assert.throws(() => parseSnippetFile('{"NoBody": {"prefix": "p", "description": "d"}}', 'python'), /"NoBody" needs a "body"/);
  assert.throws(() => parseSnippetFile('{"NoDesc": {"prefix": "p", "body": "x"}}', 'python'), /"NoDesc" needs a "description"/);
  assert.throws(() => parseSnippetFile('[1, 2]', 'python'), /one JSON object/);
  const [one] = parseSnippetFile('{"S": {"prefix": ["a", "b"], "body": ["l1", "l2"], "description": "d"}}', 'python');
  assert.deepEqual(one, { name: 'S', language: 'python', prefixes: ['a', 'b'], body: 'l1\nl2', description: 'd' });
});

test('snippetLanguagesFor offers TypeScript, Python, or both', () => {
  assert.deepEqual(snippetLanguagesFor('typescript'), ['typescript']);
  assert.deepEqual(snippetLanguagesFor('typescriptreact'), ['typescript']);
  assert.deepEqual(snippetLanguagesFor('python'), ['python']);
  assert.deepEqual(snippetLanguagesFor('markdown'), ['typescript', 'python']);
  assert.deepEqual(snippetLanguagesFor(undefined), ['typescript', 'python']);
});

test('snippetBodyFor fences the program in Markdown and leaves code files alone', () => {
  const [python] = parseSnippetFile('{"S": {"prefix": "p", "body": ["x = ${1:1}", "$0"], "description": "d"}}', 'python');
  assert.equal(snippetBodyFor(python, 'python'), 'x = ${1:1}\n$0');
  assert.equal(snippetBodyFor(python, 'markdown'), '```python\nx = ${1:1}\n```\n$0');
  assert.equal(expandSnippet(snippetBodyFor(python, 'markdown')), '```python\nx = 1\n```\n');
});

test('the shipped catalogue: unique prefixes, bilingual descriptions, tab stops, previews', () => {
  const catalogue = loadSnippetCatalogue(root);
  const ts = catalogue.filter((s) => s.language === 'typescript');
  const py = catalogue.filter((s) => s.language === 'python');
  assert.ok(ts.length >= 7, `expected at least 7 TypeScript snippets, found ${ts.length}`);
  assert.ok(py.length >= 2, `expected at least 2 Python snippets, found ${py.length}`);
  const prefixes = catalogue.flatMap((s) => s.prefixes);
  assert.equal(new Set(prefixes).size, prefixes.length, 'prefixes must be unique');
  for (const s of catalogue) {
    assert.match(s.description, / \/ /, `${s.name}: description needs "English / 中文"`);
    assert.match(s.description, /[\u4e00-\u9fff]/, `${s.name}: description needs a Chinese part`);
    assert.match(s.description, /[A-Za-z]{4,} [A-Za-z]{2,}/, `${s.name}: description needs an English part`);
    assert.ok(tabStopIndices(s.body).some((i) => i > 0), `${s.name}: nothing to tab through`);
    assert.ok(previewText(s).length > 10, `${s.name}: empty preview`);
    assert.doesNotMatch(previewText(s), /\$\{/, `${s.name}: preview must show expanded text`);
  }
});

test('package.json contributes each snippet file for the languages it is written in', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    contributes: { snippets?: { language: string; path: string }[] };
  };
  const contributed = pkg.contributes.snippets ?? [];
  const pathFor = (language: string) => contributed.find((c) => c.language === language)?.path.replace(/^\.\//, '');
  assert.equal(pathFor('typescript'), SNIPPET_FILES.typescript);
  assert.equal(pathFor('typescriptreact'), SNIPPET_FILES.typescript);
  assert.equal(pathFor('python'), SNIPPET_FILES.python);
  for (const c of contributed) assert.ok(fs.existsSync(path.join(root, c.path)), `${c.path} does not exist`);
});
