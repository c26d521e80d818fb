/**
 * The quiz webview (browser). It renders what the extension sends (src/quiz/messages.ts) and sends back the
 * user's actions; all quiz logic lives on the extension side. Every piece of bank text goes through the
 * Markdown-subset tree (src/quiz/markdown.ts) and createElement/textContent — never innerHTML.
 * Options arrive in their displayed (shuffled) order; positions sent back are displayed positions.
 * Keyboard (./keymap.ts): 1–9 choose, Enter submit, Space reveal, 1–4 grade, Ctrl/Cmd+Z undo, E/C for code.
 */
import { parseMarkdown, parseInline, isSafeUrl, type Block, type Inline } from '../../quiz/markdown';
import type { FeedbackView, FromWebview, QuestionView, SessionHeader, ToWebview } from '../../quiz/messages';
import { pick, type Lang, type LocalizedText } from '../../quiz/model';
import type { QuizStats, DayCount } from '../../quiz/stats';
import { keyAction, type KeyAction, type KeyScreen, type KeyTarget } from './keymap';
import { strings, type Strings } from './strings';
import { plural } from '../../common/plural';
import { NBSP } from '../shared/format';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;
const live = document.getElementById('live')!;

/** UI state kept across reloads with setState: the last screen (shown at once) and choices not yet submitted. */
interface UiState {
  last?: ToWebview;
  selected?: number[];
  selectedFor?: string;
}
let ui: UiState = (vscode.getState() as UiState | undefined) ?? {};
let screen: ToWebview | undefined;
let selected = new Set<number>();
/** Per-question display-language override made with the toggle. */
let lang: Lang = 'en';
let t: Strings = strings('en');

const reviewCount = (s: Strings, n: number) => plural(n, s.oneReview, s.nReviews).replace('{0}', String(n));
const dayCount = (s: Strings, n: number) => plural(n, s.oneDay, s.nDays).replace('{0}', String(n));

function post(message: FromWebview): void {
  vscode.postMessage(message);
}

function saveUi(): void {
  ui = { last: screen, selected: [...selected], selectedFor: currentQuestion()?.id };
  vscode.setState(ui);
}

function currentQuestion(): QuestionView | undefined {
  return screen && (screen.type === 'question' || screen.type === 'feedback') ? screen.question : undefined;
}

function announce(text: string): void {
  // Clear first so the same sentence twice is announced twice.
  live.textContent = '';
  setTimeout(() => (live.textContent = text), 30);
}

// ---------- DOM helpers (text only) ----------

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string | undefined)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) if (c !== undefined) node.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return node;
}

function renderInline(nodes: Inline[], parent: HTMLElement): void {
  for (const n of nodes) {
    switch (n.t) {
      case 'text':
        parent.append(document.createTextNode(n.v));
        break;
      case 'br':
        parent.append(document.createElement('br'));
        break;
      case 'code':
        parent.append(el('code', {}, n.v));
        break;
      case 'strong':
      case 'em': {
        const e = document.createElement(n.t);
        renderInline(n.c, e);
        parent.append(e);
        break;
      }
      case 'link': {
        const a = el('a', { href: n.href, title: n.href });
        renderInline(n.c, a);
        parent.append(a);
        break;
      }
    }
  }
}

function renderBlocks(blocks: Block[]): DocumentFragment {
  const frag = document.createDocumentFragment();
  for (const b of blocks) {
    if (b.t === 'p') {
      const p = el('p');
      renderInline(b.c, p);
      frag.append(p);
    } else if (b.t === 'pre') {
      const code = el('code', b.lang ? { class: `language-${b.lang}` } : {}, b.v);
      frag.append(el('pre', { tabindex: '0' }, code));
    } else {
      const list = b.t === 'ul' ? el('ul') : el('ol', b.start !== 1 ? { start: String(b.start) } : {});
      for (const item of b.items) {
        const li = el('li');
        renderInline(item, li);
        list.append(li);
      }
      frag.append(list);
    }
  }
  return frag;
}

function markdown(text: string, cls = 'md'): HTMLElement {
  const div = el('div', { class: cls });
  div.append(renderBlocks(parseMarkdown(text)));
  return div;
}

function inlineMarkdown(text: string): HTMLElement {
  const span = el('span');
  renderInline(parseInline(text), span);
  return span;
}

function text(l: LocalizedText | undefined): string {
  return pick(l, lang);
}

// ---------- screens ----------

/** The session's title: the topic or deck name the extension sent, or the name of the session's kind. */
function sessionTitle(kind: SessionHeader['kind'], label: string): string {
  if (kind === 'due') return t.allDecks;
  if (kind === 'mistakes') return t.mistakes;
  return label;
}

/** "5 done · 10 new · 2 learning · 3 review": what is done and what is left, never a total that grows. */
function countsLine(session: SessionHeader): string {
  const c = session.counts;
  // A number never wraps apart from its word, and a wrapped line never starts with "·" (it stays at the line's end).
  const parts = [`${c.done}${NBSP}${t.done}`, `${c.new}${NBSP}${t.newCards}`, `${c.learning}${NBSP}${t.learningCards}`];
  if (c.review > 0) parts.push(`${c.review}${NBSP}${t.reviewCards}`);
  return parts.join(`${NBSP}· `);
}

function header(session: SessionHeader, q: QuestionView): HTMLElement {
  const other: Lang = lang === 'en' ? 'zh' : 'en';
  const toggle = el('button', { class: 'secondary lang-toggle', type: 'button', 'aria-label': t.showOtherLabel, title: q.monolingual ? t.monolingual : t.showOtherLabel }, t.showOther);
  if (q.monolingual) toggle.setAttribute('disabled', '');
  toggle.addEventListener('click', () => post({ type: 'setLang', lang: other }));
  return el(
    'header',
    { class: 'quiz-header' },
    el('span', { class: 'label' }, sessionTitle(session.kind, session.label)),
    el('span', { class: 'muted counts', id: 'counts' }, countsLine(session)),
    el('span', { class: 'muted' }, `${t.topic}: ${q.topicLabel}${NBSP}· ${t.difficulty[q.difficulty] ?? ''}`),
    toggle,
  );
}

function typeLabel(q: QuestionView): string {
  return q.type === 'truefalse' ? t.trueFalse : q.type === 'code' ? t.codeQuestion : q.type === 'open' ? t.openQuestion : '';
}

/** Option labels: bank options, or True/False for truefalse questions. */
function optionTexts(q: QuestionView): string[] {
  if (q.type === 'truefalse') return [t.trueLabel, t.falseLabel];
  return (q.options ?? []).map((o) => text(o));
}

function renderQuestion(msg: Extract<ToWebview, { type: 'question' }>): void {
  const q = msg.question;
  if (ui.selectedFor === q.id && ui.selected) selected = new Set(ui.selected);
  else selected = new Set();
  const section = el('section', { class: 'question', 'aria-labelledby': 'prompt', 'data-question-id': q.id, 'data-type': q.type, 'data-seed': String(q.shownSeed ?? '') });
  section.append(header(msg.session, q));
  const kind = typeLabel(q);
  if (kind) section.append(el('p', { class: 'muted kind' }, kind));
  const prompt = markdown(text(q.prompt), 'md prompt');
  prompt.id = 'prompt';
  section.append(prompt);

  if (q.type === 'single' || q.type === 'multiple' || q.type === 'truefalse') {
    const multiple = q.type === 'multiple';
    const list = el('div', { class: 'options', role: multiple ? 'group' : 'radiogroup', 'aria-labelledby': 'prompt' });
    optionTexts(q).forEach((label, k) => {
      const button = el('button', {
        type: 'button',
        class: 'option',
        role: multiple ? 'checkbox' : 'radio',
        'aria-checked': String(selected.has(k)),
        'data-index': String(k),
      });
      button.append(el('span', { class: 'key', 'aria-hidden': 'true' }, String(k + 1)), el('span', { class: `mark ${multiple ? 'box' : 'dot'}`, 'aria-hidden': 'true' }), inlineMarkdown(label));
      button.addEventListener('click', () => toggleOption(k));
      list.append(button);
    });
    section.append(list);
    const submit = el('button', { type: 'button', class: 'submit', id: 'submit' }, t.submit);
    if (selected.size === 0) submit.setAttribute('disabled', '');
    submit.addEventListener('click', submitChoice);
    section.append(el('p', { class: 'muted hint' }, multiple ? t.multipleHint : t.selectHint), el('div', { class: 'actions' }, submit, undoButton(msg.session)));
  } else {
    const actions = el('div', { class: 'actions' });
    if (q.type === 'code') {
      const open = el('button', { type: 'button', id: 'open-exercise' }, t.openExercise);
      open.addEventListener('click', () => post({ type: 'openExercise', questionId: q.id }));
      const check = el('button', { type: 'button', id: 'check-code' }, t.check);
      check.addEventListener('click', () => post({ type: 'checkCode', questionId: q.id }));
      actions.append(open, check);
      section.append(el('p', { class: 'muted hint' }, t.codeHint));
    } else {
      section.append(el('p', { class: 'muted hint' }, t.revealHint));
    }
    const reveal = el('button', { type: 'button', id: 'reveal', class: q.type === 'code' ? 'secondary' : '' }, t.reveal);
    reveal.addEventListener('click', () => post({ type: 'answer', questionId: q.id, response: { kind: 'reveal' } }));
    actions.append(reveal, undoButton(msg.session));
    section.append(actions, el('div', { id: 'code-status', role: 'status' }));
  }
  app.replaceChildren(section);
  (app.querySelector<HTMLElement>('.option, #open-exercise, #reveal') ?? section).focus();
}

function undoButton(session: SessionHeader): HTMLElement {
  const b = el('button', { type: 'button', class: 'secondary undo', id: 'undo' }, t.undo);
  if (!session.canUndo) b.setAttribute('disabled', '');
  b.addEventListener('click', () => post({ type: 'undo' }));
  return b;
}

function toggleOption(k: number): void {
  const q = currentQuestion();
  if (!q || screen?.type !== 'question') return;
  const count = optionTexts(q).length;
  if (k < 0 || k >= count) return;
  if (q.type === 'multiple') {
    if (selected.has(k)) selected.delete(k);
    else selected.add(k);
  } else {
    selected = new Set([k]);
  }
  app.querySelectorAll<HTMLButtonElement>('.option').forEach((b) => {
    const i = Number(b.dataset.index);
    const on = selected.has(i);
    b.setAttribute('aria-checked', String(on));
    if (i === k) b.focus();
  });
  const submit = document.getElementById('submit');
  if (selected.size > 0) submit?.removeAttribute('disabled');
  else submit?.setAttribute('disabled', '');
  saveUi();
}

function submitChoice(): void {
  const q = currentQuestion();
  if (!q || screen?.type !== 'question' || selected.size === 0) return;
  if (q.type === 'truefalse') post({ type: 'answer', questionId: q.id, response: { kind: 'truefalse', value: selected.has(0) } });
  else post({ type: 'answer', questionId: q.id, response: { kind: 'choice', selected: [...selected].sort((a, b) => a - b) } });
}

/** The right options by their displayed numbers: "3", "2 and 4", "1, 2 and 4". */
function numbersList(ns: readonly number[]): string {
  const names = ns.map((k) => String(k + 1));
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(t.listComma)}${t.listAnd}${names.at(-1)!}`;
}

/** The verdict line; undefined for a self-graded reveal (the answer heading below says it all). */
function verdict(f: FeedbackView, q: QuestionView, correctSet: ReadonlySet<number>): { icon: string; label: string; detail: string; cls: string } | undefined {
  const right = [...correctSet].sort((a, b) => a - b);
  let detail = '';
  if (f.correct === false && right.length > 0) {
    detail = q.type === 'truefalse' ? t.rightAnswerIs.replace('{0}', optionTexts(q)[right[0]!] ?? '') : (right.length === 1 ? t.rightOptionIs : t.rightOptionsAre).replace('{0}', numbersList(right));
  }
  if (f.correct === true) return { icon: '✓', label: t.correct, detail, cls: 'ok' };
  if (f.correct === false) return { icon: '✗', label: t.wrong, detail, cls: 'bad' };
  return undefined;
}

function renderFeedback(msg: Extract<ToWebview, { type: 'feedback' }>): void {
  const q = msg.question;
  const f = msg.feedback;
  const section = el('section', { class: 'question answered', 'aria-labelledby': 'prompt', 'data-question-id': q.id, 'data-type': q.type });
  section.append(header(msg.session, q));
  const prompt = markdown(text(q.prompt), 'md prompt');
  prompt.id = 'prompt';
  section.append(prompt);
  const chosen = new Set<number>();
  if (f.response.kind === 'choice') f.response.selected.forEach((k) => chosen.add(k));
  if (f.response.kind === 'truefalse') chosen.add(f.response.value ? 0 : 1);
  const correctSet = new Set(q.type === 'truefalse' ? (f.truth === undefined ? [] : [f.truth ? 0 : 1]) : (f.correctOptions ?? []));
  const v = verdict(f, q, correctSet);
  if (v) {
    const banner = el('p', { class: `verdict ${v.cls}`, id: 'verdict' }, el('span', { class: 'icon', 'aria-hidden': 'true' }, v.icon), ` ${v.label}`);
    if (v.detail) banner.append(el('span', { class: 'verdict-detail' }, ` — ${v.detail}`));
    section.append(banner);
  }
  if (q.type === 'single' || q.type === 'multiple' || q.type === 'truefalse') {
    const list = el('ul', { class: 'options result' });
    optionTexts(q).forEach((label, k) => {
      const isCorrect = correctSet.has(k);
      const wasChosen = chosen.has(k);
      const notes = [isCorrect ? t.correctOption : '', wasChosen ? t.yourChoice : ''].filter(Boolean).join(', ');
      const li = el('li', { class: `option ${isCorrect ? 'is-correct' : ''} ${wasChosen && !isCorrect ? 'is-wrong' : ''}` });
      li.append(
        el('span', { class: 'key', 'aria-hidden': 'true' }, String(k + 1)),
        el('span', { class: 'mark', 'aria-hidden': 'true' }, isCorrect ? '✓' : wasChosen ? '✗' : ''),
        inlineMarkdown(label),
      );
      if (notes) li.append(el('span', { class: 'note' }, ` (${notes})`));
      list.append(li);
    });
    section.append(list);
  }
  section.append(el('h2', {}, t.answer), markdown(text(f.answer), 'md answer'));
  const explanation = text(f.explanation);
  if (explanation) section.append(el('h2', {}, t.explanation), markdown(explanation, 'md explanation'));
  const refs = (f.references ?? []).filter(isSafeUrl);
  if (refs.length > 0) {
    const ul = el('ul', { class: 'refs' });
    for (const r of refs) ul.append(el('li', {}, el('a', { href: r }, r)));
    section.append(el('h2', {}, t.references), ul);
  }

  section.append(el('p', { class: 'muted hint', id: 'grade-hint' }, f.correct === undefined ? t.gradeSelfPrompt : t.gradePrompt));
  const grades = el('div', { class: 'grades', role: 'group', 'aria-labelledby': 'grade-hint' });
  for (const p of f.intervals) {
    const isSuggested = p.grade === f.suggested;
    const b = el(
      'button',
      { type: 'button', class: `grade grade-${p.grade}${isSuggested ? '' : ' secondary'}`, 'data-grade': String(p.grade) },
      el('span', { class: 'key', 'aria-hidden': 'true' }, String(p.grade)),
      ` ${t.grades[p.grade]} `,
      el('span', { class: 'interval' }, p.label),
    );
    b.setAttribute('aria-label', `${p.grade} ${t.grades[p.grade]}, ${p.label}${isSuggested ? `, ${t.suggested}` : ''}`);
    b.addEventListener('click', () => post({ type: 'grade', questionId: q.id, grade: p.grade }));
    grades.append(b);
  }
  const more = el('div', { class: 'actions' }, undoButton(msg.session));
  if (f.canEdit) {
    const edit = el('button', { type: 'button', class: 'secondary', id: 'edit-question' }, t.editQuestion);
    edit.addEventListener('click', () => post({ type: 'editQuestion', questionId: q.id }));
    more.append(edit);
  }
  section.append(grades, more);
  app.replaceChildren(section);
  app.querySelector<HTMLElement>(`.grade-${f.suggested}`)?.focus();
  const correctTexts = [...correctSet].sort((a, b) => a - b).map((k) => `${k + 1} ${optionTexts(q)[k] ?? ''}`);
  if (!v) announce(t.answer);
  else announce(f.correct === false && correctTexts.length > 0 ? `${v.label}. ${t.correctAnswerIs}: ${correctTexts.join('; ')}` : v.label);
}

function actionButton(label: string, command: 'startDue' | 'startByTopic' | 'reviewMistakes' | 'showStats', primary = false): HTMLElement {
  const b = el('button', { type: 'button', class: primary ? '' : 'secondary' }, label);
  b.addEventListener('click', () => post({ type: 'command', command }));
  return b;
}

/** Where to go next. The statistics tab leaves out its own button. */
function navigation(inStats = false): HTMLElement {
  const buttons = [actionButton(t.startDue, 'startDue', true), actionButton(t.byTopic, 'startByTopic'), actionButton(t.reviewMistakes, 'reviewMistakes')];
  if (!inStats) buttons.push(actionButton(t.showStats, 'showStats'));
  return el('div', { class: 'actions' }, ...buttons);
}

function formatDuration(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return minutes > 0 ? `${minutes}m ${seconds}s` : `${seconds}s`;
}

function renderSummary(msg: Extract<ToWebview, { type: 'summary' }>): void {
  const s = msg.summary;
  const pct = s.answered > 0 ? Math.round((100 * s.correct) / s.answered) : 0;
  const dl = el('dl', { class: 'figures' });
  const add = (k: string, v: string) => dl.append(el('dt', {}, k), el('dd', {}, v));
  add(t.answered, String(s.answered));
  add(t.accuracy, `${s.correct} / ${s.answered} (${pct}%)`);
  add(t.duration, formatDuration(s.durationMs));
  add(t.dueNow, String(msg.dueNow));
  const grades = el('p', { class: 'muted' }, [1, 2, 3, 4].map((g) => `${t.grades[g]} ${s.grades[(['', 'again', 'hard', 'good', 'easy'] as const)[g] as 'again']}`).join(' · '));
  app.replaceChildren(el('section', { class: 'summary' }, el('h1', { tabindex: '-1', id: 'summary-title' }, `${t.summaryTitle}: ${sessionTitle(msg.kind, msg.label)}`), dl, grades, navigation()));
  document.getElementById('summary-title')?.focus();
  announce(`${t.summaryTitle}. ${t.accuracy}: ${pct}%`);
}

/** Parses a local YYYY-MM-DD day key. */
function dayDate(day: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d);
}

function monthName(day: string): string {
  return dayDate(day).toLocaleDateString(lang === 'zh' ? 'zh-CN' : 'en', { month: 'short' });
}

function longDate(day: string): string {
  return dayDate(day).toLocaleDateString(lang === 'zh' ? 'zh-CN' : 'en', { year: 'numeric', month: 'short', day: 'numeric', weekday: 'short' });
}

/** A round axis maximum (1, 2, 5 × 10^k) at or above `max`, so tick labels are whole, readable numbers. */
function niceMax(max: number): number {
  if (max <= 4) return Math.max(1, max);
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= max) return m * p;
  return 10 * p;
}

/**
 * A bar chart from DOM nodes with a y-axis (0, half, max) and month labels under the first bar of each month.
 * Each bar carries its day and count as a tooltip and an accessible name, so nothing depends on colour or size.
 */
function barChart(days: DayCount[], caption: string, id: string): HTMLElement {
  const top = niceMax(Math.max(0, ...days.map((d) => d.count)));
  const figure = el('figure', { class: 'chart', id });
  figure.append(el('figcaption', {}, caption));
  const axis = el('div', { class: 'y-axis', 'aria-hidden': 'true' });
  for (const v of [top, top / 2, 0]) axis.append(el('span', { class: 'tick' }, Number.isInteger(v) ? String(v) : v.toFixed(1)));
  const bars = el('div', { class: 'bars', role: 'list' });
  const months = el('div', { class: 'x-axis', 'aria-hidden': 'true' });
  days.forEach((d, k) => {
    const label = `${longDate(d.day)}: ${d.count}`;
    const bar = el('div', { class: 'bar-col', role: 'listitem', title: label, 'aria-label': label });
    const fill = el('div', { class: 'bar-fill' });
    fill.style.height = `${(100 * d.count) / top}%`;
    bar.append(fill);
    bars.append(bar);
    const first = k === 0 || d.day.slice(0, 7) !== days[k - 1]!.day.slice(0, 7);
    months.append(el('span', { class: 'x-label' }, first ? `${monthName(d.day)} ${Number(d.day.slice(8))}` : ''));
  });
  figure.append(el('div', { class: 'chart-body' }, axis, el('div', { class: 'plot' }, bars, months)));
  return figure;
}

/**
 * The last 365 days as a calendar heatmap: one column per week (Monday first), one cell per day, shaded by
 * its review count in five steps; the month names sit above the first week of each month. Hover (and the
 * accessible name) gives the date and the count.
 */
function heatmap(s: QuizStats): HTMLElement {
  const figure = el('figure', { class: 'chart heatmap', id: 'heatmap' });
  const total = s.heatmap.reduce((n, d) => n + d.count, 0);
  const activeDays = s.heatmap.filter((d) => d.count > 0).length;
  figure.append(el('figcaption', {}, t.heatmapTitle));
  const max = Math.max(1, ...s.heatmap.map((d) => d.count));
  const level = (n: number) => (n === 0 ? 0 : Math.min(4, Math.ceil((4 * n) / max)));
  const grid = el('div', { class: 'heat-grid', role: 'list', 'aria-label': t.heatmapSummary.replace('{0}', reviewCount(t, total)).replace('{1}', dayCount(t, activeDays)) });
  const monthsRow = el('div', { class: 'heat-months', 'aria-hidden': 'true' });
  const firstDow = (dayDate(s.heatmap[0]!.day).getDay() + 6) % 7; // Monday = 0
  const weeks = Math.ceil((firstDow + s.heatmap.length) / 7);
  grid.style.gridTemplateColumns = `repeat(${weeks}, var(--heat-cell))`;
  monthsRow.style.gridTemplateColumns = `repeat(${weeks}, var(--heat-cell))`;
  grid.style.setProperty('--weeks', String(weeks));
  monthsRow.style.setProperty('--weeks', String(weeks));
  const monthAt = new Map<number, string>();
  s.heatmap.forEach((d, k) => {
    const column = Math.floor((firstDow + k) / 7);
    const row = (firstDow + k) % 7;
    const label = `${longDate(d.day)}: ${reviewCount(t, d.count)}`;
    const cell = el('div', { class: `heat-cell l${level(d.count)}`, role: 'listitem', title: label, 'aria-label': label, 'data-day': d.day, 'data-count': String(d.count) });
    cell.style.gridColumn = String(column + 1);
    cell.style.gridRow = String(row + 1);
    grid.append(cell);
    // A month's name goes over its first full week (the column after the 1st, unless the 1st is a Monday).
    if (d.day.endsWith('-01') || k === 0) monthAt.set(column + (row === 0 || k === 0 ? 0 : 1), monthName(d.day));
  });
  let nextColumn = Infinity;
  for (const [column, name] of [...monthAt].sort((a, b) => b[0] - a[0])) {
    // Names need about three weeks of room; walking right to left, the partial first month gives way.
    if (column >= weeks || nextColumn - column < 3) continue;
    nextColumn = column;
    const span = el('span', { class: 'heat-month' }, name);
    span.style.gridColumn = `${column + 1} / span 4`;
    monthsRow.append(span);
  }
  const legend = el('div', { class: 'heat-legend', 'aria-hidden': 'true' }, el('span', {}, t.less));
  for (let k = 0; k <= 4; k++) legend.append(el('span', { class: `heat-cell l${k}` }));
  legend.append(el('span', {}, t.more));
  const streaks = el(
    'p',
    { class: 'streaks', id: 'streaks' },
    `${t.currentStreak}: ${dayCount(t, s.streakDays)} · ${t.longestStreak}: ${dayCount(t, s.longestStreakDays)} · ${t.activeDays}: ${s.activeDays}`,
  );
  const scroller = el('div', { class: 'heat-scroll' }, monthsRow, grid);
  figure.append(scroller, legend, streaks);
  // In a panel too narrow for the year even at the smallest cells, show the latest weeks first.
  requestAnimationFrame(() => (scroller.scrollLeft = scroller.scrollWidth));
  return figure;
}

function renderStats(msg: Extract<ToWebview, { type: 'stats' }>): void {
  const s: QuizStats = msg.stats;
  const dl = el('dl', { class: 'figures' });
  const add = (k: string, v: number) => dl.append(el('dt', {}, k), el('dd', {}, String(v)));
  add(t.questions, s.questions);
  add(t.seen, s.seen);
  add(t.learning, s.learning);
  add(t.review, s.review);
  add(t.dueNow, s.dueNow);
  add(t.streak, s.streakDays);
  add(t.totalReviews, s.totalReviews);
  const acc = el('table', { class: 'accuracy' });
  acc.append(el('caption', {}, t.accuracyByTopic));
  if (s.accuracyByTopic.length === 0) acc.append(el('tr', {}, el('td', {}, t.none)));
  for (const a of s.accuracyByTopic) {
    const pct = Math.round((100 * a.correct) / a.answered);
    const track = el('div', { class: 'bar-track', 'aria-hidden': 'true' });
    const bar = el('div', { class: 'bar' });
    bar.style.width = `${pct}%`;
    track.append(bar);
    acc.append(el('tr', {}, el('th', { scope: 'row' }, msg.topicLabels[a.topic] ?? a.topic), el('td', {}, `${pct}% (${a.correct}/${a.answered})`), el('td', { class: 'bar-cell' }, track)));
  }
  const other: Lang = lang === 'en' ? 'zh' : 'en';
  const toggle = el('button', { class: 'secondary lang-toggle', type: 'button', 'aria-label': t.showOtherStatsLabel }, t.showOther);
  toggle.addEventListener('click', () => post({ type: 'setLang', lang: other }));
  app.replaceChildren(
    el(
      'section',
      { class: 'stats' },
      el('header', { class: 'quiz-header' }, el('h1', { tabindex: '-1', id: 'stats-title' }, t.statsTitle), toggle),
      dl,
      heatmap(s),
      acc,
      barChart(s.reviewsPerDay, t.reviewsPerDay, 'reviews-chart'),
      barChart(s.dueForecast, t.forecast, 'forecast-chart'),
      navigation(true),
    ),
  );
  document.getElementById('stats-title')?.focus();
}

function renderEmpty(msg: Extract<ToWebview, { type: 'empty' }>): void {
  const reason = msg.reason === 'noQuestions' ? t.noQuestions : msg.reason === 'noMistakes' ? t.noMistakes : t.nothingDue;
  app.replaceChildren(el('section', { class: 'empty' }, el('h1', { tabindex: '-1', id: 'empty-title' }, sessionTitle(msg.kind, msg.label) || t.title), el('p', {}, reason), navigation()));
  document.getElementById('empty-title')?.focus();
  announce(reason);
}

function renderCodeStatus(msg: Extract<ToWebview, { type: 'codeStatus' }>): void {
  const box = document.getElementById('code-status');
  if (!box || currentQuestion()?.id !== msg.questionId) return;
  const line = msg.status === 'checking' ? t.checking : msg.detail;
  box.replaceChildren(el('p', { class: msg.status === 'failed' || msg.status === 'error' || msg.status === 'untrusted' ? 'error' : 'muted' }, msg.status === 'failed' ? `✗ ${line}` : line));
  announce(line);
}

function render(msg: ToWebview): void {
  if (msg.type === 'codeStatus') {
    lang = msg.lang;
    t = strings(lang);
    renderCodeStatus(msg);
    return;
  }
  screen = msg;
  document.body.dataset.screen = msg.type;
  lang = msg.lang;
  t = strings(lang);
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  // The statistics tab has its own title (the integration tests find each webview by it).
  document.title = msg.type === 'stats' ? t.statsWindowTitle : t.title;
  switch (msg.type) {
    case 'question':
      renderQuestion(msg);
      break;
    case 'feedback':
      renderFeedback(msg);
      break;
    case 'summary':
      renderSummary(msg);
      break;
    case 'stats':
      renderStats(msg);
      break;
    case 'empty':
      renderEmpty(msg);
      break;
  }
  saveUi();
}

// ---------- input ----------

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const msg = event.data;
  if (msg && typeof msg === 'object' && typeof msg.type === 'string') render(msg);
});

document.addEventListener('click', (event) => {
  // Links open through the extension (which accepts http(s) only), never by navigating the webview.
  const a = (event.target as HTMLElement).closest('a');
  if (!a) return;
  event.preventDefault();
  const href = a.getAttribute('href') ?? '';
  if (isSafeUrl(href)) post({ type: 'openLink', href });
});

function keyTarget(target: HTMLElement): KeyTarget {
  if (target.classList.contains('option')) return 'option';
  if (target.id === 'submit') return 'submit';
  if (target.id === 'reveal') return 'reveal';
  return target.closest('button, a, input, textarea, select') !== null ? 'control' : 'none';
}

function keyScreen(): KeyScreen {
  const q = currentQuestion();
  if (screen?.type === 'question' && q) return { type: 'question', questionType: q.type, optionCount: optionTexts(q).length };
  if (screen?.type === 'feedback') return { type: 'feedback', suggested: screen.feedback.suggested };
  return { type: 'other' };
}

function perform(action: KeyAction): void {
  const q = currentQuestion();
  switch (action.kind) {
    case 'undo':
      return post({ type: 'undo' });
    case 'toggle':
      return toggleOption(action.index);
    case 'submit':
      return submitChoice();
    case 'reveal':
      if (q) post({ type: 'answer', questionId: q.id, response: { kind: 'reveal' } });
      return;
    case 'openExercise':
      if (q) post({ type: 'openExercise', questionId: q.id });
      return;
    case 'checkCode':
      if (q) post({ type: 'checkCode', questionId: q.id });
      return;
    case 'grade':
      if (q) post({ type: 'grade', questionId: q.id, grade: action.grade });
      return;
  }
}

document.addEventListener('keydown', (event) => {
  const action = keyAction(keyScreen(), {
    key: event.key,
    ctrl: event.ctrlKey,
    meta: event.metaKey,
    shift: event.shiftKey,
    alt: event.altKey,
    target: keyTarget(event.target as HTMLElement),
  });
  if (!action) return;
  event.preventDefault();
  perform(action);
});

// Show the last screen at once after a reload (the extension then sends the authoritative one).
if (ui.last) render(ui.last);
post({ type: 'ready' });
