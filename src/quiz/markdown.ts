/**
 * A tiny Markdown parser for the bank's subset (paragraphs, **bold**, *italic*, `code`, fenced code, bullet
 * and numbered lists, [links](https://…) with http(s) targets only) into a plain tree. The webview turns the
 * tree into DOM nodes with createElement/textContent, so bank text can never become HTML: `<script>` in a
 * bank is just text. No DOM, no `vscode`: unit-tested in Node.
 */

export type Inline =
  | { t: 'text'; v: string }
  | { t: 'strong'; c: Inline[] }
  | { t: 'em'; c: Inline[] }
  | { t: 'code'; v: string }
  | { t: 'link'; href: string; c: Inline[] }
  | { t: 'br' };

export type Block =
  | { t: 'p'; c: Inline[] }
  | { t: 'pre'; lang: string; v: string }
  | { t: 'ul'; items: Inline[][] }
  | { t: 'ol'; start: number; items: Inline[][] };

const SAFE_URL = /^https?:\/\/[^\s<>"]+$/i;

export function isSafeUrl(href: string): boolean {
  return SAFE_URL.test(href);
}

/**
 * How deep emphasis, bold and link text may nest. Deeper markup is shown as plain text: real questions nest
 * two or three levels, and without a cap `'***'.repeat(5000)` overflowed the stack (here and in the webview,
 * which renders the tree recursively).
 */
export const MAX_INLINE_DEPTH = 16;

/** Collects what the renderer had to simplify, so an import can report it. */
export interface MarkdownReport {
  /** Markup nested deeper than MAX_INLINE_DEPTH was shown as plain text. */
  depthCapped: boolean;
}

/** Text with its line breaks, no markup: what markup deeper than the cap becomes. */
function plainInline(src: string): Inline[] {
  const out: Inline[] = [];
  src.split('\n').forEach((line, i) => {
    if (i > 0) out.push({ t: 'br' });
    if (line) out.push({ t: 'text', v: line });
  });
  return out;
}

/**
 * Parses inline markup. Unmatched markers stay literal text. Linear in the length of `src` for each nesting
 * level (and levels are capped): a search for a closing marker that failed is not repeated from a later
 * opener (there is no closer after that point either), and a backtick run without a matching run is
 * literal as a whole (as in CommonMark).
 */
export function parseInline(src: string, report?: MarkdownReport, depth = 0): Inline[] {
  if (depth >= MAX_INLINE_DEPTH) {
    if (report) report.depthCapped = true;
    return plainInline(src);
  }
  const out: Inline[] = [];
  // Literal text is kept as a range of `src` (runStart … i) and sliced once: appending character by
  // character makes V8 build and flatten long chains of string pieces, superlinear beyond ~500 KB.
  // (No closures here: this function runs once per emphasis span, and per-call closures cost GC time.)
  let text = '';
  let runStart = -1;
  let i = 0;
  // Searches that found nothing from a position: a later search from further on finds nothing either.
  let strongStarFailedFrom = Infinity;
  let strongUnderscoreFailedFrom = Infinity;
  let emStarFailedFrom = Infinity;
  let emUnderscoreFailedFrom = Infinity;
  let fenceFailedFrom: Map<number, number> | undefined;
  // The next ']' at or after i, found once and reused until i passes it.
  let nextBracket = -2;
  // The ']' whose "(url)" did not parse: every '[' before it gets the same answer.
  let badLinkClose = -1;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\\' && i + 1 < src.length && /[\\`*_[\]()#+\-.!<>]/.test(src[i + 1]!)) {
      if (runStart >= 0) text += src.slice(runStart, i);
      runStart = i + 1;
      i += 2;
      continue;
    }
    if (c === '\n') {
      if (runStart >= 0) text += src.slice(runStart, i);
      runStart = -1;
      if (text) out.push({ t: 'text', v: text });
      text = '';
      out.push({ t: 'br' });
      i++;
      continue;
    }
    if (c === '`') {
      let ticks = 1;
      while (src[i + ticks] === '`') ticks++;
      const fence = '`'.repeat(ticks);
      const from = i + ticks;
      const end = from >= (fenceFailedFrom?.get(ticks) ?? Infinity) ? -1 : src.indexOf(fence, from);
      if (end > 0) {
        if (runStart >= 0) text += src.slice(runStart, i);
        runStart = -1;
        if (text) out.push({ t: 'text', v: text });
        text = '';
        out.push({ t: 'code', v: src.slice(from, end).replace(/^ (.*) $/, '$1') });
        i = end + ticks;
        continue;
      }
      fenceFailedFrom ??= new Map();
      fenceFailedFrom.set(ticks, Math.min(from, fenceFailedFrom.get(ticks) ?? Infinity));
      if (runStart < 0) runStart = i;
      i = from;
      continue;
    }
    if ((c === '*' || c === '_') && src[i + 1] === c) {
      const from = i + 2;
      const failedFrom = c === '*' ? strongStarFailedFrom : strongUnderscoreFailedFrom;
      const end = from >= failedFrom ? -1 : src.indexOf(c + c, from);
      if (end < 0 && c === '*') strongStarFailedFrom = Math.min(from, failedFrom);
      else if (end < 0) strongUnderscoreFailedFrom = Math.min(from, failedFrom);
      if (end > i + 2) {
        if (runStart >= 0) text += src.slice(runStart, i);
        runStart = -1;
        if (text) out.push({ t: 'text', v: text });
        text = '';
        out.push({ t: 'strong', c: parseInline(src.slice(i + 2, end), report, depth + 1) });
        i = end + 2;
        continue;
      }
    }
    if ((c === '*' || (c === '_' && !/\w/.test(src[i - 1] ?? ''))) && src[i + 1] !== ' ') {
      const from = i + 1;
      const failedFrom = c === '*' ? emStarFailedFrom : emUnderscoreFailedFrom;
      const end = from >= failedFrom ? -1 : findClosingEmphasis(src, from, c);
      if (end < 0 && c === '*') emStarFailedFrom = Math.min(from, failedFrom);
      else if (end < 0) emUnderscoreFailedFrom = Math.min(from, failedFrom);
      if (end > i + 1) {
        if (runStart >= 0) text += src.slice(runStart, i);
        runStart = -1;
        if (text) out.push({ t: 'text', v: text });
        text = '';
        out.push({ t: 'em', c: parseInline(src.slice(i + 1, end), report, depth + 1) });
        i = end + 1;
        continue;
      }
    }
    if (c === '[') {
      if (nextBracket !== -1 && nextBracket < i) nextBracket = src.indexOf(']', i);
      // A link is "[text](url)" with the text up to the next ']': without "(" right after it, no '[' before
      // that ']' starts a link, and each is literal without a second look.
      const close = nextBracket;
      if (close > i + 1 && src[close + 1] === '(' && close !== badLinkClose) {
        const m = /[^)\s]+\)/y;
        m.lastIndex = close + 2;
        const url = m.exec(src);
        if (!url) badLinkClose = close;
        else {
          if (runStart >= 0) text += src.slice(runStart, i);
          runStart = -1;
          if (text) out.push({ t: 'text', v: text });
          text = '';
          const href = url[0].slice(0, -1);
          const whole = src.slice(i, m.lastIndex);
          // Only http(s) links become links; anything else (javascript:, file:, command:) stays text.
          if (isSafeUrl(href)) out.push({ t: 'link', href, c: parseInline(src.slice(i + 1, close), report, depth + 1) });
          else out.push({ t: 'text', v: whole });
          i = m.lastIndex;
          continue;
        }
      }
    }
    if (runStart < 0) runStart = i;
    i++;
  }
  if (runStart >= 0) text += src.slice(runStart, i);
  if (text) out.push({ t: 'text', v: text });
  return out;
}

function findClosingEmphasis(src: string, from: number, marker: string): number {
  for (let k = from; k < src.length; k++) {
    if (src[k] === '`') {
      const end = src.indexOf('`', k + 1);
      if (end > 0) k = end;
      continue;
    }
    if (src[k] === marker && src[k + 1] !== marker && src[k - 1] !== ' ' && (marker !== '_' || !/\w/.test(src[k + 1] ?? ''))) return k;
  }
  return -1;
}

const BULLET = /^\s{0,3}[-*+]\s+(.*)$/;
const NUMBERED = /^\s{0,3}(\d{1,9})[.)]\s+(.*)$/;
const FENCE = /^\s{0,3}(```+|~~~+)\s*([\w+#-]*)/;

/** Parses block structure. Headings are shown as bold paragraphs (a question's text has no outline). */
export function parseMarkdown(src: string, report?: MarkdownReport): Block[] {
  const lines = src.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let para: string[] = [];
  const flushPara = () => {
    if (para.length > 0) blocks.push({ t: 'p', c: parseInline(para.join('\n'), report) });
    para = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = FENCE.exec(line);
    if (fence) {
      flushPara();
      const marker = fence[1]!;
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i]!.trimStart().startsWith(marker)) body.push(lines[i++]!);
      blocks.push({ t: 'pre', lang: fence[2] ?? '', v: body.join('\n') });
      continue;
    }
    if (line.trim() === '') {
      flushPara();
      continue;
    }
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*$/.exec(line);
    if (heading) {
      flushPara();
      blocks.push({ t: 'p', c: [{ t: 'strong', c: parseInline(heading[1]!, report, 1) }] });
      continue;
    }
    const bullet = BULLET.exec(line);
    const numbered = NUMBERED.exec(line);
    if ((bullet || numbered) && para.length === 0) {
      const ordered = !bullet;
      const items: string[] = [];
      const start = numbered ? Number(numbered[1]) : 1;
      for (; i < lines.length; i++) {
        const l = lines[i]!;
        const b = ordered ? NUMBERED.exec(l) : BULLET.exec(l);
        if (b) items.push(ordered ? b[2]! : b[1]!);
        else if (/^\s{2,}\S/.test(l) && items.length > 0) items[items.length - 1] += '\n' + l.trim();
        else {
          i--;
          break;
        }
      }
      const parsed = items.map((s) => parseInline(s, report));
      blocks.push(ordered ? { t: 'ol', start, items: parsed } : { t: 'ul', items: parsed });
      continue;
    }
    para.push(line);
  }
  flushPara();
  return blocks;
}

/**
 * What the quiz renderer would have to simplify in `src`, as a sentence for an import or deck report, or
 * undefined when it renders as written. The question stays usable either way.
 */
export function markdownProblem(src: string): string | undefined {
  const report: MarkdownReport = { depthCapped: false };
  parseMarkdown(src, report);
  return report.depthCapped ? `The Markdown nests bold, italic or link text more than ${MAX_INLINE_DEPTH} levels deep; the deeper markers are shown as plain text.` : undefined;
}
