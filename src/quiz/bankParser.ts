/**
 * Parser for the project's bank format (`*.quiz.md`, docs/quiz-format.md): `## <id>` per question, a
 * `- key: value` metadata list, then `### <section>.<lang>` sections. Every problem is reported with its
 * 1-based line; a question with problems is still returned when its id and type are known, so the
 * validator can add what is missing and the import command can show everything at once.
 */
import {
  CODE_CHECKS,
  QUESTION_TYPES,
  deckFromFileName,
  type CodeCheckId,
  type Lang,
  type LocalizedText,
  type ParseResult,
  type Question,
  type QuestionType,
  type QuizIssue,
  type QuizOption,
} from './model';

export const ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
const TEXT_SECTIONS = ['prompt', 'options', 'answer', 'explanation'] as const;
type TextSection = (typeof TEXT_SECTIONS)[number];
const METADATA_KEYS = new Set(['topic', 'type', 'difficulty', 'answer', 'check', 'source', 'references']);

interface RawOption {
  text: string;
  correct: boolean;
  line: number;
}

interface RawQuestion {
  id: string;
  line: number;
  meta: Map<string, { value: string; line: number }>;
  sections: Map<string, { body: string[]; line: number }>;
}

/** True when a line opens or closes a fenced code block (``` or ~~~, up to three spaces of indent). */
export function isFence(line: string): boolean {
  // Cheap first-character test before the regex: this runs on every line of every bank.
  const c = line.charCodeAt(0);
  if (c !== 96 /* ` */ && c !== 126 /* ~ */ && c !== 32) return false;
  return /^ {0,3}(```|~~~)/.test(line);
}

/** Splits text into lines (LF or CRLF) without a regex split, which dominates on large banks. */
export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (text.includes('\r')) for (let i = 0; i < lines.length; i++) if (lines[i]!.endsWith('\r')) lines[i] = lines[i]!.slice(0, -1);
  return lines;
}

function trimBlankLines(lines: string[]): string {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start]!.trim() === '') start++;
  while (end > start && lines[end - 1]!.trim() === '') end--;
  return lines.slice(start, end).join('\n');
}

/** Reads `---`-delimited front matter (flat `key: value` lines). Returns the map and the first body line index. */
function readFrontMatter(lines: string[], errors: QuizIssue[]): { fields: Map<string, string>; bodyStart: number } {
  const fields = new Map<string, string>();
  if (lines[0]?.trim() !== '---') return { fields, bodyStart: 0 };
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '---') return { fields, bodyStart: i + 1 };
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const m = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line);
    if (m) fields.set(m[1]!.toLowerCase(), m[2]!.trim().replace(/^["']|["']$/g, ''));
    else errors.push({ line: i + 1, message: `Front matter line is not "key: value": "${line.trim()}".` });
  }
  errors.push({ line: 1, message: 'Front matter opened with "---" is never closed: add a "---" line after it.' });
  return { fields, bodyStart: lines.length };
}

/** Parses one bank file. `fileName` names the deck when the front matter has no `deck:`. */
export function parseBank(text: string, fileName = 'bank.quiz.md'): ParseResult {
  const lines = splitLines(text.replace(/^\uFEFF/, ''));
  const errors: QuizIssue[] = [];
  const { fields, bodyStart } = readFrontMatter(lines, errors);
  const deck = fields.get('deck') || deckFromFileName(fileName);
  const title: LocalizedText = {};
  if (fields.get('title')) title.en = fields.get('title');
  if (fields.get('title_zh')) title.zh = fields.get('title_zh');

  const raws: RawQuestion[] = [];
  let current: RawQuestion | undefined;
  let section: { body: string[]; line: number } | undefined;
  let inFence = false;
  for (let i = bodyStart; i < lines.length; i++) {
    const line = lines[i]!;
    const lineNo = i + 1;
    if (!inFence && line.charCodeAt(0) === 35 /* # */) {
      const h2 = /^##\s+(.*?)\s*#*\s*$/.exec(line);
      if (h2 && !line.startsWith('###')) {
        const id = h2[1]!;
        current = { id, line: lineNo, meta: new Map(), sections: new Map() };
        section = undefined;
        raws.push(current);
        if (!ID_PATTERN.test(id)) {
          errors.push({ line: lineNo, id, message: `Question id "${id}" may only use lowercase letters, digits and "-".` });
        }
        continue;
      }
      const h3 = /^###\s+(.*?)\s*#*\s*$/.exec(line);
      if (h3 && current) {
        const name = h3[1]!.trim();
        if (current.sections.has(name)) {
          errors.push({ line: lineNo, id: current.id, message: `Section "### ${name}" appears twice in question "${current.id}"; keep one.` });
        }
        section = { body: [], line: lineNo };
        current.sections.set(name, section);
        const [kind, lang] = name.split('.');
        const known = (TEXT_SECTIONS as readonly string[]).includes(kind ?? '') && (lang === 'en' || lang === 'zh');
        if (!known && name !== 'starter.ts') {
          errors.push({
            line: lineNo,
            id: current.id,
            message: `Unknown section "### ${name}": use prompt/options/answer/explanation with .en or .zh, or starter.ts.`,
          });
        }
        continue;
      }
      if (/^#\s/.test(line) && !current) continue; // a file title before the first question
    }
    if (isFence(line)) inFence = !inFence;
    if (!current) continue;
    if (section) {
      section.body.push(line);
      continue;
    }
    // Between the `## id` heading and the first section: the metadata list.
    if (line.trim() === '') continue;
    const m = /^\s*[-*]\s+([A-Za-z_]+)\s*:\s*(.*)$/.exec(line);
    if (!m) {
      errors.push({ line: lineNo, id: current.id, message: `Expected a metadata line "- key: value" or a "### section" heading, found "${line.trim()}".` });
      continue;
    }
    const key = m[1]!.toLowerCase();
    if (!METADATA_KEYS.has(key)) {
      errors.push({ line: lineNo, id: current.id, message: `Unknown metadata key "${key}"; known keys: ${[...METADATA_KEYS].join(', ')}.` });
      continue;
    }
    current.meta.set(key, { value: m[2]!.trim(), line: lineNo });
  }
  if (inFence) errors.push({ line: lines.length, message: 'A fenced code block (```) is never closed.' });

  const questions: Question[] = [];
  for (const raw of raws) {
    const q = buildQuestion(raw, deck, fileName, errors);
    if (q) questions.push(q);
  }
  if (raws.length === 0) errors.push({ line: 0, message: 'No questions found: each question starts with a "## <id>" heading (see docs/quiz-format.md).' });
  return { format: 'bank', deck, title: title.en || title.zh ? title : undefined, questions, errors };
}

function parseOptions(body: string[], firstLine: number, id: string, errors: QuizIssue[]): RawOption[] {
  const options: RawOption[] = [];
  body.forEach((line, k) => {
    const lineNo = firstLine + 1 + k;
    if (line.trim() === '') return;
    const m = /^\s*[-*]\s+\[( |x|X)\]\s+(.*)$/.exec(line);
    if (m) {
      options.push({ text: m[2]!.trim(), correct: m[1] !== ' ', line: lineNo });
    } else if (/^\s{2,}\S/.test(line) && options.length > 0) {
      // An indented continuation line belongs to the option above.
      options[options.length - 1]!.text += ' ' + line.trim();
    } else {
      errors.push({ line: lineNo, id, message: `Options must be task-list items "- [x] correct" or "- [ ] wrong", found "${line.trim()}".` });
    }
  });
  return options;
}

function extractStarter(body: string[]): string | undefined {
  const start = body.findIndex((l) => isFence(l));
  if (start < 0) return undefined;
  const end = body.findIndex((l, k) => k > start && isFence(l));
  if (end < 0) return undefined;
  return body.slice(start + 1, end).join('\n');
}

function buildQuestion(raw: RawQuestion, deck: string, file: string, errors: QuizIssue[]): Question | undefined {
  const { id } = raw;
  const err = (line: number, message: string) => errors.push({ line, id, message });
  const meta = (k: string) => raw.meta.get(k);

  const typeValue = meta('type')?.value;
  if (!typeValue) {
    err(raw.line, `Question "${id}" has no "- type:" line; use one of ${QUESTION_TYPES.join(', ')}.`);
    return undefined;
  }
  if (!(QUESTION_TYPES as readonly string[]).includes(typeValue)) {
    err(meta('type')!.line, `Unknown type "${typeValue}"; use one of ${QUESTION_TYPES.join(', ')}.`);
    return undefined;
  }
  const type = typeValue as QuestionType;
  const topic = meta('topic')?.value ?? '';
  if (!topic) err(raw.line, `Question "${id}" has no "- topic:" line.`);
  else if (!ID_PATTERN.test(topic)) err(meta('topic')!.line, `Topic "${topic}" must be a slug (lowercase letters, digits, "-").`);

  let difficulty: 1 | 2 | 3 = 1;
  const d = meta('difficulty');
  if (!d) err(raw.line, `Question "${id}" has no "- difficulty:" line (1, 2 or 3).`);
  else if (d.value === '1' || d.value === '2' || d.value === '3') difficulty = Number(d.value) as 1 | 2 | 3;
  else err(d.line, `Difficulty "${d.value}" must be 1, 2 or 3.`);

  const text = (kind: TextSection): LocalizedText => {
    const out: LocalizedText = {};
    for (const lang of ['en', 'zh'] as Lang[]) {
      const s = raw.sections.get(`${kind}.${lang}`);
      if (s) out[lang] = trimBlankLines(s.body);
    }
    return out;
  };

  let truth: boolean | undefined;
  const ans = meta('answer');
  if (ans) {
    if (type !== 'truefalse') err(ans.line, `"- answer:" is only for truefalse questions.`);
    else if (/^(true|false)$/i.test(ans.value)) truth = ans.value.toLowerCase() === 'true';
    else err(ans.line, `"- answer: ${ans.value}" must be true or false.`);
  }

  let check: CodeCheckId | undefined;
  const c = meta('check');
  if (c) {
    if ((CODE_CHECKS as readonly string[]).includes(c.value)) check = c.value as CodeCheckId;
    else err(c.line, `Unknown check "${c.value}"; use one of ${CODE_CHECKS.join(', ')}.`);
  }
  const starterSection = raw.sections.get('starter.ts');
  const starter = starterSection ? extractStarter(starterSection.body) : undefined;
  if (starterSection && starter === undefined) err(starterSection.line, 'The starter.ts section must hold a fenced ```ts code block.');

  let options: QuizOption[] | undefined;
  if (type === 'single' || type === 'multiple') options = zipOptions(raw, errors);

  const references = meta('references')
    ?.value.split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return {
    id,
    deck,
    topic,
    type,
    difficulty,
    prompt: text('prompt'),
    options,
    answer: text('answer'),
    explanation: text('explanation'),
    truth,
    check,
    starter,
    source: meta('source')?.value,
    references,
    origin: { file, line: raw.line, format: 'bank' },
  };
}

/**
 * Joins `options.en` and `options.zh` into one list of bilingual options. Both languages must list the same
 * number of options with the same marks; a monolingual bank has one list.
 */
function zipOptions(raw: RawQuestion, errors: QuizIssue[]): QuizOption[] {
  const byLang: Partial<Record<Lang, RawOption[]>> = {};
  for (const lang of ['en', 'zh'] as Lang[]) {
    const s = raw.sections.get(`options.${lang}`);
    if (s) byLang[lang] = parseOptions(s.body, s.line, raw.id, errors);
  }
  const en = byLang.en;
  const zh = byLang.zh;
  if (en && zh) {
    if (en.length !== zh.length) {
      errors.push({
        line: raw.sections.get('options.zh')!.line,
        id: raw.id,
        message: `options.en lists ${en.length} options but options.zh lists ${zh.length}; both languages need the same options in the same order.`,
      });
    }
    const n = Math.min(en.length, zh.length);
    for (let k = 0; k < n; k++) {
      if (en[k]!.correct !== zh[k]!.correct) {
        errors.push({
          line: zh[k]!.line,
          id: raw.id,
          message: `Option ${k + 1} is marked ${en[k]!.correct ? '[x]' : '[ ]'} in English (line ${en[k]!.line}) but ${zh[k]!.correct ? '[x]' : '[ ]'} in Chinese; the marks must match.`,
        });
      }
    }
    return en.slice(0, n).map((o, k) => ({ text: { en: o.text, zh: zh[k]!.text }, correct: o.correct }));
  }
  const only = en ?? zh ?? [];
  const lang: Lang = en ? 'en' : 'zh';
  return only.map((o) => ({ text: { [lang]: o.text }, correct: o.correct }));
}
