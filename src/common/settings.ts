/**
 * The rules behind every Model Lab setting, without `vscode` (src/ui/config.ts reads the values and applies
 * these): the schema comes only from package.json's `contributes.configuration` (defaults and bounds are not
 * restated in code), whole numbers are clamped to the schema's range, and every path setting resolves the same
 * way. Unit-tested with POSIX and Windows paths.
 */
import * as path from 'node:path';

/** Every setting the extension reads, by its package.json key (test/unit/common/settings.test.ts checks them). */
export const SETTING_KEYS = {
  quizNewCardsPerDay: 'modelLab.quiz.newCardsPerDay',
  quizDiscoverWorkspaceDecks: 'modelLab.quiz.discoverWorkspaceDecks',
  quizCodeCheckTimeoutSeconds: 'modelLab.quiz.codeCheckTimeoutSeconds',
  quizDesiredRetention: 'modelLab.quiz.desiredRetention',
  imageModel: 'modelLab.imageModel',
  textModel: 'modelLab.textModel',
  textThreads: 'modelLab.text.threads',
  textWindowOverlap: 'modelLab.text.windowOverlap',
  textMaxFileSizeKB: 'modelLab.text.maxFileSizeKB',
  textMaxWindowTokens: 'modelLab.text.maxWindowTokens',
  textBatchSize: 'modelLab.text.batchSize',
  textModelVariant: 'modelLab.text.modelVariant',
  workersIdleMinutes: 'modelLab.workers.idleMinutes',
} as const;

export type SettingKey = (typeof SETTING_KEYS)[keyof typeof SETTING_KEYS];

export interface SettingSchema {
  readonly type?: string;
  readonly default?: unknown;
  readonly minimum?: number;
  readonly maximum?: number;
}

/** `contributes.configuration.properties` of an extension manifest, by full key (`modelLab.text.threads`). */
export function settingSchemas(manifest: unknown): ReadonlyMap<string, SettingSchema> {
  const contributes = (manifest as { contributes?: { configuration?: unknown } } | undefined)?.contributes;
  const sections = Array.isArray(contributes?.configuration) ? contributes.configuration : [contributes?.configuration];
  const out = new Map<string, SettingSchema>();
  for (const section of sections) {
    const properties = (section as { properties?: Record<string, SettingSchema> } | undefined)?.properties ?? {};
    for (const [key, schema] of Object.entries(properties)) out.set(key, schema);
  }
  return out;
}

/**
 * A whole-number setting: the value rounded down and kept within the schema's minimum and maximum (settings.json
 * can hold anything; the Settings UI only warns); the schema's default when the value is not a finite number.
 */
export function wholeNumberSetting(value: unknown, schema: SettingSchema): number {
  const fallback = typeof schema.default === 'number' ? schema.default : 0;
  const n = typeof value === 'number' && Number.isFinite(value) ? Math.floor(value) : fallback;
  return Math.min(schema.maximum ?? Infinity, Math.max(schema.minimum ?? -Infinity, n));
}

/** A number setting: kept within the schema's minimum and maximum; the schema's default when not a finite number. */
export function numberSetting(value: unknown, schema: SettingSchema): number {
  const fallback = typeof schema.default === 'number' ? schema.default : 0;
  const n = typeof value === 'number' && Number.isFinite(value) ? value : fallback;
  return Math.min(schema.maximum ?? Infinity, Math.max(schema.minimum ?? -Infinity, n));
}

export interface PathContext {
  /** The first workspace folder, when a folder is open. */
  readonly workspaceFolder: string | undefined;
  readonly home: string;
  /** `path.posix` or `path.win32`; the host's own by default (tests pass the other one). */
  readonly pathApi?: path.PlatformPath;
}

/**
 * A path setting as an absolute path, the same way for every setting: `${workspaceFolder}` and `${userHome}`
 * are substituted (as in VS Code's launch.json), a leading `~` alone or followed by a separator (`/`, and on
 * Windows also `\`) is the home folder (`~user/…` is left alone: it does not mean this user's home), and a relative path is relative to the first workspace folder (to the process's folder when none is
 * open). An empty value is `undefined`: the caller's bundled default applies.
 */
export function resolveSettingPath(value: string, context: PathContext): string | undefined {
  const p = context.pathApi ?? path;
  let expanded = value.trim();
  if (!expanded) return undefined;
  expanded = expanded.replace(/\$\{workspaceFolder\}/g, context.workspaceFolder ?? '.').replace(/\$\{userHome\}/g, context.home);
  // `~\` only where `\` separates folders: on macOS/Linux a backslash is part of a file name.
  if (expanded === '~' || expanded.startsWith('~/') || expanded.startsWith(`~${p.sep}`)) expanded = p.join(context.home, expanded.slice(1));
  if (p.isAbsolute(expanded)) return p.normalize(expanded);
  return context.workspaceFolder ? p.join(context.workspaceFolder, expanded) : p.resolve(expanded);
}

/**
 * The inverse for writing a setting: a folder inside the workspace as a relative path with forward slashes (so
 * the setting travels with the workspace), anything else as it is.
 */
export function settingPathFor(dir: string, context: Pick<PathContext, 'workspaceFolder' | 'pathApi'>): string {
  const p = context.pathApi ?? path;
  if (context.workspaceFolder) {
    const rel = p.relative(context.workspaceFolder, dir);
    if (rel && !rel.startsWith('..') && !p.isAbsolute(rel)) return rel.split(p.sep).join('/');
  }
  return dir;
}
