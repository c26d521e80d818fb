/** The call of src/workers/codeCheckWorker.ts: check one code exercise. No `vscode` import. */
import { workerCall } from '../common/workerCall';
import type { CodeCheckRequest, CodeCheckResult } from '../quiz/codeCheck';

export const checkCodeExercise = workerCall<CodeCheckRequest, CodeCheckResult>('check');
