/**
 * The one error model for everything a user can get wrong: a code (what happened, for programs and tests), an
 * English message template with `{0}`, `{1}`… placeholders (what to say; also the key of the translation in
 * l10n/bundle.l10n.zh-cn.json) and the arguments that fill it. No `vscode` import.
 *
 * Cores throw `CodedError`s; a worker sends them as `ErrorData` (plain data, see workerServer.ts) and the client
 * rebuilds a `CodedError`, so the code and arguments survive the thread boundary. The extension translates them
 * in one place (src/ui/errorMessages.ts `localizeError`); the CLI prints `message`, the English sentence.
 */

/** The code of an error that was not one of ours (a bug, an I/O failure nobody anticipated): its message is all we have. */
export const INTERNAL_ERROR = 'internal';
/** The code of a run the user stopped; callers treat it as an outcome, not a failure. */
export const CANCELLED_ERROR = 'cancelled';

export type ErrorArg = string | number;

export class CodedError extends Error {
  readonly args: readonly string[];

  constructor(
    readonly code: string,
    /** English, with `{0}`… placeholders; the translation key. */
    readonly template: string,
    args: readonly ErrorArg[] = [],
  ) {
    const strings = args.map(String);
    super(formatTemplate(template, strings));
    this.args = strings;
    this.name = 'CodedError';
  }
}

/** A CodedError as plain data: what crosses a worker boundary (structured clone drops an Error's own fields). */
export interface ErrorData {
  readonly code: string;
  readonly template: string;
  readonly args: readonly string[];
  /** The English sentence (template with the arguments filled in). */
  readonly message: string;
}

/** Fills `{0}`, `{1}`… from `args`; a placeholder without an argument stays as it is. */
export function formatTemplate(template: string, args: readonly ErrorArg[]): string {
  return template.replace(/\{(\d+)\}/g, (m, i: string) => {
    const arg = args[Number(i)];
    return arg === undefined ? m : String(arg);
  });
}

/**
 * Any thrown value as ErrorData. Recognised by shape, not `instanceof`: the tfjs image runner is a separate
 * bundle with its own copy of the class. Anything else becomes `internal` with its message as the one argument.
 */
export function toErrorData(err: unknown): ErrorData {
  if (isCodedErrorShape(err)) return { code: err.code, template: err.template, args: [...err.args], message: err.message };
  const message = err instanceof Error ? err.message : String(err);
  return { code: INTERNAL_ERROR, template: '{0}', args: [message], message };
}

/** The error a worker reported, rebuilt on the caller's side (same code, template and arguments). */
export function fromErrorData(data: ErrorData): CodedError {
  return new CodedError(data.code, data.template, data.args);
}

/** True for an error with the given code, whichever bundle or thread created it. */
export function hasErrorCode(err: unknown, code: string): boolean {
  return isCodedErrorShape(err) && err.code === code;
}

/** The error a cancelled run ends with. */
export function cancelledError(): CodedError {
  return new CodedError(CANCELLED_ERROR, 'Cancelled.');
}

export function isCancelled(err: unknown): boolean {
  return hasErrorCode(err, CANCELLED_ERROR);
}

/**
 * A typed constructor for a table of templates whose codes each have one sentence (e.g. src/vision/errors.ts):
 * `const visionError = codedErrors(templates); throw visionError('truncated', [name]);`.
 */
export function codedErrors<Code extends string>(templates: Readonly<Record<Code, string>>): (code: Code, args?: readonly ErrorArg[]) => CodedError {
  return (code, args = []) => new CodedError(code, templates[code], args);
}

function isCodedErrorShape(err: unknown): err is CodedError {
  if (!(err instanceof Error) || err.name !== 'CodedError') return false;
  const e = err as Partial<CodedError>;
  return typeof e.code === 'string' && typeof e.template === 'string' && Array.isArray(e.args);
}
