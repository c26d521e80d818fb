/**
 * The quiz webview (browser). It renders what the extension sends (src/quiz/messages.ts) and sends back the
 * user's actions; all quiz logic lives on the extension side. Every piece of bank text goes through the
 * Markdown-subset tree (src/quiz/markdown.ts) and createElement/textContent — never innerHTML.
 * Keyboard: 1–9 choose, Enter submit, Space reveal, 1–4 grade, Ctrl/Cmd+Z undo, E/C for code exercises.
 */
import { parseMarkdown, parseInline, isSafeUrl, type Block, type Inline } from '../../quiz/markdown';
import type { FeedbackView, FromWebview, QuestionView, SessionHeader, ToWebview } from '../../quiz/messages';
import { pick, type Lang, type LocalizedText } from '../../quiz/model';
import type { QuizStats, DayCount } from '../../quiz/stats';
import { strings, type Strings } from './strings';

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

function header(session: SessionHeader, q: QuestionView): HTMLElement {
  const position = Math.min(session.answered + 1, session.answered + session.remaining);
  const other: Lang = lang === 'en' ? 'zh' : 'en';
  const toggle = el('button', { class: 'secondary lang-toggle', type: 'button', 'aria-label': t.showOtherLabel, title: q.monolingual ? t.monolingual : t.showOtherLabel }, t.showOther);
  if (q.monolingual) toggle.setAttribute('disabled', '');
  toggle.addEventListener('click', () => post({ type: 'setLang', lang: other }));
  return el(
    'header',
    { class: 'quiz-header' },
    el('span', { class: 'label' }, session.label),
    el('span', { class: 'muted' }, ` · ${t.question} ${position} ${t.of} ${session.answered + session.remaining}`),
    el('span', { class: 'muted' }, ` · ${t.topic}: ${q.topic} · ${t.difficulty[q.difficulty] ?? ''}`),
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
  const section = el('section', { class: 'question', 'aria-labelledby': 'prompt', 'data-question-id': q.id, 'data-type': q.type });
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
      button.append(el('span', { class: 'key', 'aria-hidden': 'true' }, String(k + 1)), el('span', { class: 'mark', 'aria-hidden': 'true' }, selected.has(k) ? (multiple ? '☑' : '◉') : multiple ? '☐' : '○'), inlineMarkdown(label));
      button.addEventListener('click', () => toggleOption(k));
      list.append(button);
    });
    section.append(list);
    const submit = el('button', { type: 'button', class: 'submit', id: 'submit' }, t.submit);
    if (selected.size === 0) submit.setAttribute('disabled', '');
    submit.addEventListener('click', submitChoice);
    section.append(el('p', { class: 'muted hint' }, multiple ? t.multipleHint : t.selectHint), submit);
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
    actions.append(reveal);
    section.append(actions, el('div', { id: 'code-status', role: 'status' }));
  }
  section.append(undoButton(msg.session));
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
    b.querySelector('.mark')!.textContent = on ? (q.type === 'multiple' ? '☑' : '◉') : q.type === 'multiple' ? '☐' : '○';
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

function verdict(f: FeedbackView): { icon: string; label: string; cls: string } {
  if (f.correct === true) return { icon: '✓', label: t.correct, cls: 'ok' };
  if (f.correct === false) return { icon: '✗', label: t.wrong, cls: 'bad' };
  return { icon: '💡', label: t.revealed, cls: 'neutral' };
}

function renderFeedback(msg: Extract<ToWebview, { type: 'feedback' }>): void {
  const q = msg.question;
  const f = msg.feedback;
  const section = el('section', { class: 'question answered', 'aria-labelledby': 'prompt', 'data-question-id': q.id, 'data-type': q.type });
  section.append(header(msg.session, q));
  const prompt = markdown(text(q.prompt), 'md prompt');
  prompt.id = 'prompt';
  section.append(prompt);
  const v = verdict(f);
  const banner = el('p', { class: `verdict ${v.cls}`, id: 'verdict' }, el('span', { class: 'icon', 'aria-hidden': 'true' }, v.icon), ` ${v.label}`);
  section.append(banner);

  const chosen = new Set<number>();
  if (f.response.kind === 'choice') f.response.selected.forEach((k) => chosen.add(k));
  if (f.response.kind === 'truefalse') chosen.add(f.response.value ? 0 : 1);
  const correctSet = new Set(q.type === 'truefalse' ? (f.truth === undefined ? [] : [f.truth ? 0 : 1]) : (f.correctOptions ?? []));
  if (q.type === 'single' || q.type === 'multiple' || q.type === 'truefalse') {
    const list = el('ul', { class: 'options result' });
    optionTexts(q).forEach((label, k) => {
      const isCorrect = correctSet.has(k);
      const wasChosen = chosen.has(k);
      const notes = [isCorrect ? t.correctOption : '', wasChosen ? t.yourChoice : ''].filter(Boolean).join(', ');
      const li = el('li', { class: `option ${isCorrect ? 'is-correct' : ''} ${wasChosen && !isCorrect ? 'is-wrong' : ''}` });
      li.append(
        el('span', { class: 'key', 'aria-hidden': 'true' }, String(k + 1)),
        el('span', { class: 'mark', 'aria-hidden': 'true' }, isCorrect ? '✓' : wasChosen ? '✗' : ' '),
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
  section.append(grades, undoButton(msg.session));
  app.replaceChildren(section);
  app.querySelector<HTMLElement>(`.grade-${f.suggested}`)?.focus();
  const correctTexts = [...correctSet].map((k) => optionTexts(q)[k]).filter(Boolean);
  announce(f.correct === false && correctTexts.length > 0 ? `${v.label}. ${t.correctAnswerIs}: ${correctTexts.join('; ')}` : v.label);
}

function actionButton(label: string, command: 'startDue' | 'startByTopic' | 'reviewMistakes' | 'showStats', primary = false): HTMLElement {
  const b = el('button', { type: 'button', class: primary ? '' : 'secondary' }, label);
  b.addEventListener('click', () => post({ type: 'command', command }));
  return b;
}

function navigation(): HTMLElement {
  return el('div', { class: 'actions' }, actionButton(t.startDue, 'startDue', true), actionButton(t.byTopic, 'startByTopic'), actionButton(t.reviewMistakes, 'reviewMistakes'), actionButton(t.showStats, 'showStats'));
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
  app.replaceChildren(el('section', { class: 'summary' }, el('h1', { tabindex: '-1', id: 'summary-title' }, `${t.summaryTitle}: ${msg.label}`), dl, grades, navigation()));
  document.getElementById('summary-title')?.focus();
  announce(`${t.summaryTitle}. ${t.accuracy}: ${pct}%`);
}

/** A bar chart built from DOM nodes: each bar has its number as text, so nothing depends on colour or size alone. */
function barChart(days: DayCount[], caption: string): HTMLElement {
  const max = Math.max(1, ...days.map((d) => d.count));
  const figure = el('figure', { class: 'chart' });
  figure.append(el('figcaption', {}, caption));
  const bars = el('div', { class: 'bars', role: 'list' });
  for (const d of days) {
    const bar = el('div', { class: 'bar-col', role: 'listitem', title: `${d.day}: ${d.count}`, 'aria-label': `${d.day}: ${d.count}` });
    const fill = el('div', { class: 'bar-fill' });
    fill.style.height = `${Math.round((100 * d.count) / max)}%`;
    bar.append(el('span', { class: 'bar-value', 'aria-hidden': 'true' }, d.count > 0 ? String(d.count) : ''), fill, el('span', { class: 'bar-day', 'aria-hidden': 'true' }, d.day.slice(8)));
    bars.append(bar);
  }
  figure.append(bars);
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
    acc.append(el('tr', {}, el('th', { scope: 'row' }, a.topic), el('td', {}, `${pct}% (${a.correct}/${a.answered})`), el('td', { class: 'bar-cell' }, track)));
  }
  app.replaceChildren(
    el('section', { class: 'stats' }, el('h1', { tabindex: '-1', id: 'stats-title' }, t.statsTitle), dl, acc, barChart(s.reviewsPerDay, t.reviewsPerDay), barChart(s.dueForecast, t.forecast), navigation()),
  );
  document.getElementById('stats-title')?.focus();
}

function renderEmpty(msg: Extract<ToWebview, { type: 'empty' }>): void {
  const reason = msg.reason === 'noQuestions' ? t.noQuestions : msg.reason === 'noMistakes' ? t.noMistakes : t.nothingDue;
  app.replaceChildren(el('section', { class: 'empty' }, el('h1', { tabindex: '-1', id: 'empty-title' }, msg.label), el('p', {}, reason), navigation()));
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
  document.title = t.title;
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

document.addEventListener('keydown', (event) => {
  const target = event.target as HTMLElement;
  const onControl = target.closest('button, a, input, textarea, select') !== null;
  if ((event.ctrlKey || event.metaKey) && !event.shiftKey && !event.altKey && event.key.toLowerCase() === 'z') {
    event.preventDefault();
    post({ type: 'undo' });
    return;
  }
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const q = currentQuestion();
  if (!screen || !q) return;
  const digit = /^[1-9]$/.test(event.key) ? Number(event.key) : undefined;
  if (screen.type === 'question') {
    if (digit !== undefined && (q.type === 'single' || q.type === 'multiple' || q.type === 'truefalse')) {
      event.preventDefault();
      toggleOption(digit - 1);
    } else if (event.key === 'Enter' && !(onControl && target.id !== 'submit' && !target.classList.contains('option'))) {
      if (q.type === 'single' || q.type === 'multiple' || q.type === 'truefalse') {
        event.preventDefault();
        submitChoice();
      }
    } else if (event.key === ' ' && (q.type === 'open' || q.type === 'code') && !onControl) {
      event.preventDefault();
      post({ type: 'answer', questionId: q.id, response: { kind: 'reveal' } });
    } else if (event.key === ' ' && (q.type === 'open' || q.type === 'code') && target.id === 'reveal') {
      // The reveal button itself: let the click happen.
    } else if (q.type === 'code' && (event.key === 'e' || event.key === 'E')) {
      event.preventDefault();
      post({ type: 'openExercise', questionId: q.id });
    } else if (q.type === 'code' && (event.key === 'c' || event.key === 'C')) {
      event.preventDefault();
      post({ type: 'checkCode', questionId: q.id });
    }
    return;
  }
  if (screen.type === 'feedback') {
    if (digit !== undefined && digit <= 4) {
      event.preventDefault();
      post({ type: 'grade', questionId: q.id, grade: digit as 1 | 2 | 3 | 4 });
    } else if (event.key === 'Enter' && !onControl) {
      event.preventDefault();
      post({ type: 'grade', questionId: q.id, grade: screen.feedback.suggested });
    }
  }
});

// Show the last screen at once after a reload (the extension then sends the authoritative one).
if (ui.last) render(ui.last);
post({ type: 'ready' });
