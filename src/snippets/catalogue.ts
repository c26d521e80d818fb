/**
 * The snippet catalogue: reads Model Lab's `.code-snippets` files (JSON with comments), lists the snippets per
 * language, and expands a snippet body to plain text with every placeholder at its default value.
 *
 * No `vscode` import: the quick-pick command uses it for labels and previews, and the unit tests use the same
 * expansion to type-check and run every snippet exactly as a user who presses Tab through it would get it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';

/** The two snippet families Model Lab ships; each is one file under `snippets/`. */
export type SnippetLanguage = 'typescript' | 'python';

export const SNIPPET_FILES: Readonly<Record<SnippetLanguage, string>> = {
  typescript: 'snippets/typescript.code-snippets',
  python: 'snippets/python.code-snippets',
};

export interface SnippetDefinition {
  /** The key in the snippet file, e.g. "TensorFlow.js: the article's CNN". */
  readonly name: string;
  readonly language: SnippetLanguage;
  /** What the user types to get the completion; the first one is shown in the quick pick. */
  readonly prefixes: readonly string[];
  /** The body in VS Code snippet syntax (lines joined with "\n"). */
  readonly body: string;
  readonly description: string;
}

/**
 * Parses JSONC, the format of `.code-snippets` files (comments and trailing commas allowed), with VS Code's own
 * parser (`jsonc-parser`), so a file VS Code accepts is read the same way here. A syntax error throws a
 * SyntaxError naming its line and column.
 */
export function parseJsonc(text: string): unknown {
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0) {
    const { error, offset } = errors[0];
    const before = text.slice(0, offset).split('\n');
    throw new SyntaxError(`${printParseErrorCode(error)} at line ${before.length}, column ${before[before.length - 1].length + 1} of the snippet file.`);
  }
  return value;
}

interface RawSnippet {
  prefix?: unknown;
  body?: unknown;
  description?: unknown;
}

/** Parses one `.code-snippets` file's text; throws a sentence naming the snippet when an entry is malformed. */
export function parseSnippetFile(text: string, language: SnippetLanguage): SnippetDefinition[] {
  const parsed = parseJsonc(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('A snippet file must hold one JSON object whose keys are snippet names.');
  }
  return Object.entries(parsed as Record<string, RawSnippet>).map(([name, raw]) => {
    const prefixes = typeof raw.prefix === 'string' ? [raw.prefix] : raw.prefix;
    if (!Array.isArray(prefixes) || prefixes.length === 0 || !prefixes.every((p) => typeof p === 'string')) {
      throw new Error(`Snippet "${name}" needs a "prefix" string or a non-empty array of strings.`);
    }
    const bodyLines = typeof raw.body === 'string' ? [raw.body] : raw.body;
    if (!Array.isArray(bodyLines) || !bodyLines.every((l) => typeof l === 'string')) {
      throw new Error(`Snippet "${name}" needs a "body" string or array of strings.`);
    }
    if (typeof raw.description !== 'string' || raw.description.trim() === '') {
      throw new Error(`Snippet "${name}" needs a "description".`);
    }
    return { name, language, prefixes: prefixes as string[], body: (bodyLines as string[]).join('\n'), description: raw.description };
  });
}

/** Reads both snippet files from an extension (or repository) root. */
export function loadSnippetCatalogue(rootDir: string): SnippetDefinition[] {
  return (Object.keys(SNIPPET_FILES) as SnippetLanguage[]).flatMap((language) =>
    parseSnippetFile(fs.readFileSync(path.join(rootDir, SNIPPET_FILES[language]), 'utf8'), language),
  );
}

/**
 * Which snippet family fits an editor language: TypeScript snippets for TS/TSX, Python snippets for Python,
 * and both for anything else (Markdown notes, plain text, an untitled file), where the user picks.
 */
export function snippetLanguagesFor(languageId: string | undefined): SnippetLanguage[] {
  if (languageId === 'typescript' || languageId === 'typescriptreact') return ['typescript'];
  if (languageId === 'python') return ['python'];
  return ['typescript', 'python'];
}

/**
 * The snippet text to insert into an editor of `languageId`: in Markdown the program goes into a fenced code
 * block tagged with its language, so the note renders it as code; elsewhere it is inserted as is.
 */
export function snippetBodyFor(snippet: SnippetDefinition, languageId: string | undefined): string {
  if (languageId !== 'markdown') return snippet.body;
  return '```' + snippet.language + '\n' + snippet.body.replace(/\n?\$0$/, '') + '\n```\n$0';
}

// ---------------------------------------------------------------------------------------------------------
// Expansion. Grammar (VS Code's snippet syntax, https://code.visualstudio.com/docs/editor/userdefinedsnippets):
//   tabstop     ::= '$' int | '${' int '}'
//   placeholder ::= '${' int ':' any '}'
//   choice      ::= '${' int '|' text (',' text)* '|}'
//   variable    ::= '$' var | '${' var '}' | '${' var ':' any '}' | '${' var '/' regex '/' format '/' options '}'
// `\$`, `\}` and `\\` are escapes; anything that does not parse as one of the above is literal text, as in
// VS Code's SnippetParser.

type Node =
  | { kind: 'text'; value: string }
  | { kind: 'tabstop'; index: number; children: Node[] }
  | { kind: 'choice'; index: number; options: string[] }
  | { kind: 'variable'; name: string; children: Node[] | undefined };

class SnippetParser {
  private pos = 0;
  constructor(private readonly src: string) {}

  /** Parses until end of input, or until an unescaped `}` when `nested`. */
  parseSequence(nested: boolean): Node[] {
    const nodes: Node[] = [];
    let text = '';
    const flush = () => {
      if (text) nodes.push({ kind: 'text', value: text });
      text = '';
    };
    while (this.pos < this.src.length) {
      const ch = this.src[this.pos];
      if (ch === '\\' && this.pos + 1 < this.src.length && '$}\\'.includes(this.src[this.pos + 1])) {
        text += this.src[this.pos + 1];
        this.pos += 2;
      } else if (ch === '}' && nested) {
        break;
      } else if (ch === '$') {
        const start = this.pos;
        const node = this.parseDollar();
        if (node) {
          flush();
          nodes.push(node);
        } else {
          this.pos = start + 1;
          text += '$';
        }
      } else {
        text += ch;
        this.pos++;
      }
    }
    flush();
    return nodes;
  }

  private parseDollar(): Node | undefined {
    this.pos++; // '$'
    const simple = /^(\d+|[A-Za-z_][A-Za-z0-9_]*)/.exec(this.src.slice(this.pos));
    if (simple) {
      this.pos += simple[0].length;
      return /^\d/.test(simple[0])
        ? { kind: 'tabstop', index: Number(simple[0]), children: [] }
        : { kind: 'variable', name: simple[0], children: undefined };
    }
    if (this.src[this.pos] !== '{') return undefined;
    this.pos++;
    const head = /^(\d+|[A-Za-z_][A-Za-z0-9_]*)/.exec(this.src.slice(this.pos));
    if (!head) return undefined;
    this.pos += head[0].length;
    const isIndex = /^\d/.test(head[0]);
    const next = this.src[this.pos];
    if (next === '}') {
      this.pos++;
      return isIndex ? { kind: 'tabstop', index: Number(head[0]), children: [] } : { kind: 'variable', name: head[0], children: undefined };
    }
    if (next === ':') {
      this.pos++;
      const children = this.parseSequence(true);
      if (this.src[this.pos] !== '}') return undefined;
      this.pos++;
      return isIndex ? { kind: 'tabstop', index: Number(head[0]), children } : { kind: 'variable', name: head[0], children };
    }
    if (next === '|' && isIndex) {
      const close = this.src.indexOf('|}', this.pos + 1);
      if (close < 0) return undefined;
      const options = splitChoiceOptions(this.src.slice(this.pos + 1, close));
      this.pos = close + 2;
      return { kind: 'choice', index: Number(head[0]), options };
    }
    if (next === '/' && !isIndex) {
      // A transform rewrites the value with a regex; our snippets use none, so refuse loudly instead of guessing.
      throw new Error(`Variable transforms ("\${${head[0]}/…/…/}") are not supported by Model Lab's snippet expander.`);
    }
    return undefined;
  }
}

/** Choice options are separated by unescaped commas; `\,` `\|` `\\` are escapes. */
function splitChoiceOptions(raw: string): string[] {
  const options: string[] = [];
  let current = '';
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === '\\' && i + 1 < raw.length && ',|\\$}'.includes(raw[i + 1])) {
      current += raw[++i];
    } else if (raw[i] === ',') {
      options.push(current);
      current = '';
    } else {
      current += raw[i];
    }
  }
  options.push(current);
  return options;
}

export interface ExpandOptions {
  /** Values for `$TM_FILENAME`-style variables; unknown variables expand to their default (or nothing). */
  readonly variables?: Readonly<Record<string, string>>;
}

/**
 * Expands a snippet body the way VS Code inserts it when the user accepts every default: placeholders become
 * their default text, a choice its first option, a bare tab stop (or a mirror of a placeholder) the default of
 * the placeholder with the same index, `$0` nothing.
 */
export function expandSnippet(body: string, options: ExpandOptions = {}): string {
  const nodes = new SnippetParser(body).parseSequence(false);
  // VS Code mirrors: `$1` elsewhere shows whatever `${1:default}` holds, so collect each index's default first.
  const defaults = new Map<number, Node[] | string>();
  const collect = (list: Node[]) => {
    for (const n of list) {
      if (n.kind === 'tabstop') {
        if (n.children.length > 0 && !defaults.has(n.index)) defaults.set(n.index, n.children);
        collect(n.children);
      } else if (n.kind === 'choice') {
        if (!defaults.has(n.index)) defaults.set(n.index, n.options[0] ?? '');
      } else if (n.kind === 'variable' && n.children) {
        collect(n.children);
      }
    }
  };
  collect(nodes);
  const render = (list: Node[], depth: number): string => {
    if (depth > 20) throw new Error('Snippet placeholders refer to each other in a cycle.');
    return list
      .map((n) => {
        switch (n.kind) {
          case 'text':
            return n.value;
          case 'choice':
            return n.options[0] ?? '';
          case 'tabstop': {
            if (n.children.length > 0) return render(n.children, depth + 1);
            const d = defaults.get(n.index);
            return d === undefined ? '' : typeof d === 'string' ? d : render(d, depth + 1);
          }
          case 'variable': {
            const value = options.variables?.[n.name];
            if (value !== undefined) return value;
            return n.children ? render(n.children, depth + 1) : '';
          }
        }
      })
      .join('');
  };
  return render(nodes, 0);
}

/** The tab-stop indices a body uses, sorted; the tests check that every snippet has something to tab through. */
export function tabStopIndices(body: string): number[] {
  const found = new Set<number>();
  const walk = (list: Node[]) => {
    for (const n of list) {
      if (n.kind === 'tabstop') {
        found.add(n.index);
        walk(n.children);
      } else if (n.kind === 'choice') {
        found.add(n.index);
      } else if (n.kind === 'variable' && n.children) {
        walk(n.children);
      }
    }
  };
  walk(new SnippetParser(body).parseSequence(false));
  return [...found].sort((a, b) => a - b);
}

/**
 * A short preview for the quick pick: the expanded program's first lines of code (imports, comments and blank
 * lines skipped, since every snippet starts with them), joined with " ⏎ " into one line.
 */
export function previewText(snippet: SnippetDefinition, maxLines = 3): string {
  const lines = expandSnippet(snippet.body)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^(import\s|from\s\S+\simport\s|\/\/|\/\*|\*|#)/.test(l));
  return lines.slice(0, maxLines).join(' ⏎ ');
}
