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

/** Parses inline markup. Unmatched markers stay literal text. */
export function parseInline(src: string): Inline[] {
  const out: Inline[] = [];
  let text = '';
  const flush = () => {
    if (text) out.push({ t: 'text', v: text });
    text = '';
  };
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\\' && i + 1 < src.length && /[\\`*_[\]()#+\-.!<>]/.test(src[i + 1]!)) {
      text += src[i + 1];
      i += 2;
      continue;
    }
    if (c === '\n') {
      flush();
      out.push({ t: 'br' });
      i++;
      continue;
    }
    if (c === '`') {
      let ticks = 1;
      while (src[i + ticks] === '`') ticks++;
      const fence = '`'.repeat(ticks);
      const end = src.indexOf(fence, i + ticks);
      if (end > 0) {
        flush();
        out.push({ t: 'code', v: src.slice(i + ticks, end).replace(/^ (.*) $/, '$1') });
        i = end + ticks;
        continue;
      }
    }
    if ((c === '*' || c === '_') && src[i + 1] === c) {
      const end = src.indexOf(c + c, i + 2);
      if (end > i + 2) {
        flush();
        out.push({ t: 'strong', c: parseInline(src.slice(i + 2, end)) });
        i = end + 2;
        continue;
      }
    }
    if (c === '*' || (c === '_' && !/\w/.test(src[i - 1] ?? ''))) {
      const end = findClosingEmphasis(src, i + 1, c);
      if (end > i + 1 && src[i + 1] !== ' ') {
        flush();
        out.push({ t: 'em', c: parseInline(src.slice(i + 1, end)) });
        i = end + 1;
        continue;
      }
    }
    if (c === '[') {
      const m = /^\[([^\]]+)\]\(([^)\s]+)\)/.exec(src.slice(i));
      if (m) {
        flush();
        // Only http(s) links become links; anything else (javascript:, file:, command:) stays text.
        if (isSafeUrl(m[2]!)) out.push({ t: 'link', href: m[2]!, c: parseInline(m[1]!) });
        else out.push({ t: 'text', v: m[0] });
        i += m[0].length;
        continue;
      }
    }
    text += c;
    i++;
  }
  flush();
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
export function parseMarkdown(src: string): Block[] {
  const lines = src.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let para: string[] = [];
  const flushPara = () => {
    if (para.length > 0) blocks.push({ t: 'p', c: parseInline(para.join('\n')) });
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
      blocks.push({ t: 'p', c: [{ t: 'strong', c: parseInline(heading[1]!) }] });
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
      const parsed = items.map((s) => parseInline(s));
      blocks.push(ordered ? { t: 'ol', start, items: parsed } : { t: 'ul', items: parsed });
      continue;
    }
    para.push(line);
  }
  flushPara();
  return blocks;
}
