/**
 * Anki's plain-text import/export format (Anki 2.1.54+ file headers): `#separator:tab`, `#html:true`,
 * `#columns:…`, `#guid column:N`, `#tags column:N`, `#deck:…`. Export writes one Basic note per question,
 * with our question id as the note GUID so re-importing updates notes instead of duplicating them.
 * Import reads the same headers (and header-less two-column files) back as open questions.
 */
import { importedQuestion, uniqueQuestionId } from './importedQuestion';
import { deckFromFileName, pick, type Lang, type ParseResult, type Question, type QuizIssue } from './model';

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** One field: HTML-escaped text with line breaks as <br>; tabs and newlines never reach the TSV row. */
function field(text: string): string {
  return escapeHtml(text).replace(/\t/g, '    ').replace(/\r?\n/g, '<br>');
}

export type AnkiLanguage = Lang | 'both';

function sideText(q: Question, lang: AnkiLanguage, part: 'front' | 'back'): string {
  const render = (l: Lang): string => {
    if (part === 'front') {
      const opts = q.options?.map((o, k) => `${k + 1}. ${pick(o.text, l)}`) ?? [];
      const tf = q.type === 'truefalse' ? [l === 'zh' ? '（判断对错）' : '(true or false?)'] : [];
      return [pick(q.prompt, l), ...tf, ...opts].join('\n');
    }
    const correct = q.options?.flatMap((o, k) => (o.correct ? [`${k + 1}. ${pick(o.text, l)}`] : [])) ?? [];
    const tf = q.truth === undefined ? [] : [q.truth ? (l === 'zh' ? '对' : 'True') : l === 'zh' ? '错' : 'False'];
    const explanation = pick(q.explanation, l);
    return [...tf, ...correct, pick(q.answer, l), ...(explanation ? ['', explanation] : [])].join('\n');
  };
  if (lang !== 'both') return render(lang);
  if (q.monolingual) return render(q.monolingual);
  return `${render('en')}\n\n———\n\n${render('zh')}`;
}

/** Builds an Anki-importable TSV for `questions` (Basic note type; tags: deck, topic, type). */
export function exportAnkiTsv(questions: readonly Question[], options: { deckName: string; lang: AnkiLanguage }): string {
  const rows = [
    '#separator:tab',
    '#html:true',
    '#notetype:Basic',
    `#deck:${options.deckName.replace(/[\r\n]/g, ' ')}`,
    '#columns:GUID\tFront\tBack\tTags',
    '#guid column:1',
    '#tags column:4',
  ];
  for (const q of questions) {
    const tags = [`model-lab`, `topic::${q.topic}`, `type::${q.type}`, `difficulty::${q.difficulty}`].join(' ');
    rows.push([`model-lab-${q.id}`, field(sideText(q, options.lang, 'front')), field(sideText(q, options.lang, 'back')), tags].join('\t'));
  }
  return rows.join('\n') + '\n';
}

function htmlToText(s: string): string {
  return s
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li)>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, '&')
    .trim();
}

/** Splits TSV text into records of fields, honouring Anki's double-quoted fields (which may hold newlines). */
function splitRecords(body: string, separator: string, firstLine: number): { fields: string[]; line: number }[] {
  const records: { fields: string[]; line: number }[] = [];
  let fields: string[] = [];
  let fieldText = '';
  let quoted = false;
  let line = firstLine;
  let recordLine = firstLine;
  let atFieldStart = true;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        fieldText += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        fieldText += c;
      }
      continue;
    }
    if (c === '"' && atFieldStart) {
      quoted = true;
      atFieldStart = false;
      continue;
    }
    if (c === separator) {
      fields.push(fieldText);
      fieldText = '';
      atFieldStart = true;
      continue;
    }
    if (c === '\n' || c === '\r') {
      if (c === '\r' && body[i + 1] === '\n') i++;
      fields.push(fieldText);
      if (fields.some((f) => f !== '')) records.push({ fields, line: recordLine });
      fields = [];
      fieldText = '';
      atFieldStart = true;
      line++;
      recordLine = line;
      continue;
    }
    fieldText += c;
    atFieldStart = false;
  }
  fields.push(fieldText);
  if (fields.some((f) => f !== '')) records.push({ fields, line: recordLine });
  return records;
}

const SEPARATORS: Record<string, string> = { tab: '\t', comma: ',', semicolon: ';', pipe: '|', space: ' ', colon: ':' };

/** True when the text starts with Anki file headers or looks like a two-column tab-separated file. */
export function looksLikeAnkiTsv(text: string, fileName = ''): boolean {
  if (/^#separator:/m.test(text.slice(0, 2000))) return true;
  if (/\.(tsv|txt)$/i.test(fileName)) {
    const rows = text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('#'));
    return rows.length > 0 && rows.every((l) => l.includes('\t'));
  }
  return false;
}

export function parseAnkiTsv(text: string, fileName = 'deck.txt'): ParseResult {
  const deck = deckFromFileName(fileName);
  const errors: QuizIssue[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let separator = '\t';
  let html = false;
  let columns: string[] | undefined;
  let guidColumn: number | undefined;
  let tagsColumn: number | undefined;
  let headerLines = 0;
  for (const line of lines) {
    if (!line.startsWith('#')) break;
    headerLines++;
    const m = /^#([a-z ]+):(.*)$/i.exec(line);
    if (!m) continue;
    const key = m[1]!.trim().toLowerCase();
    const value = m[2]!.trim();
    if (key === 'separator') separator = SEPARATORS[value.toLowerCase()] ?? value;
    else if (key === 'html') html = value === 'true';
    else if (key === 'guid column') guidColumn = Number(value);
    else if (key === 'tags column') tagsColumn = Number(value);
    else if (key === 'columns') columns = m[2]!.replace(/^\s+/, '').split(separator).map((c) => c.trim().toLowerCase());
  }
  const body = lines.slice(headerLines).join('\n');
  const records = splitRecords(body, separator, headerLines + 1);
  // Which columns hold the two sides: named Front/Back (or Question/Answer), else the first two non-GUID, non-tags columns.
  const skip = new Set([guidColumn, tagsColumn].filter((n): n is number => n !== undefined).map((n) => n - 1));
  let frontIdx = columns ? columns.findIndex((c) => c === 'front' || c === 'question' || c === 'text') : -1;
  let backIdx = columns ? columns.findIndex((c) => c === 'back' || c === 'answer' || c === 'back extra') : -1;
  if (frontIdx < 0 || backIdx < 0) {
    const free = [0, 1, 2, 3, 4, 5].filter((k) => !skip.has(k));
    frontIdx = free[0]!;
    backIdx = free[1]!;
  }
  const questions: Question[] = [];
  const used = new Set<string>();
  for (const r of records) {
    const clean = (s: string | undefined) => (html ? htmlToText(s ?? '') : (s ?? '').trim());
    const front = clean(r.fields[frontIdx]);
    const back = clean(r.fields[backIdx]);
    if (!front || !back) {
      errors.push({ line: r.line, message: `Row has no ${front ? 'back' : 'front'} field (expected fields separated by ${separator === '\t' ? 'tabs' : `"${separator}"`}).` });
      continue;
    }
    const guid = guidColumn ? r.fields[guidColumn - 1]?.trim() : undefined;
    const id = uniqueQuestionId(used, deck, front, guid?.startsWith('model-lab-') ? guid.slice('model-lab-'.length) : undefined);
    questions.push(importedQuestion({ id, deck, prompt: front, answer: back, origin: { file: fileName, line: r.line, format: 'anki' } }));
  }
  if (records.length === 0) errors.push({ line: 0, message: 'No rows found in the Anki text file.' });
  return { format: 'anki', deck, questions, errors };
}
