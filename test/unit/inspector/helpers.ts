import type { InspectorErrorCode } from '../../../src/inspector/errors';

/** An assert.throws validator: the error has `code` and, when given, a message matching `pattern`. */
export function hasCode(code: InspectorErrorCode, pattern?: RegExp): (err: unknown) => boolean {
  return (err) => {
    const e = err as { code?: string; message?: string };
    if (e.code !== code) throw new Error(`expected error code ${code}, got ${String(e.code)}: ${String(e.message)}`);
    if (pattern && !pattern.test(e.message ?? '')) throw new Error(`message does not match ${String(pattern)}: ${String(e.message)}`);
    return true;
  };
}
