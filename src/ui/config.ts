import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { numberSetting, resolveSettingPath, SETTING_KEYS as K, settingPathFor, settingSchemas, wholeNumberSetting, type PathContext, type SettingKey, type SettingSchema } from '../common/settings';
import { bundledTextModelDir } from '../text/bundledModel';
import { parseModelVariantSetting, type ModelVariantSetting } from '../text/modelVariant';

export interface QuizSettings {
  readonly newCardsPerDay: number;
  readonly discoverWorkspaceDecks: boolean;
  readonly codeCheckTimeoutSeconds: number;
  /** FSRS target recall probability. */
  readonly desiredRetention: number;
}

export interface TextSettings {
  readonly threads: number;
  readonly windowOverlap: number;
  readonly maxFileSizeKB: number;
  readonly maxWindowTokens: number;
  readonly batchSize: number;
  /** Which ONNX file of a folder with several runs (auto, fp32, int8). */
  readonly modelVariant: ModelVariantSetting;
}

export interface WorkerSettings {
  /** Minutes an idle classifier or inspector worker is kept before it is ended to free its model; 0 = never. */
  readonly idleMinutes: number;
}

/**
 * The one place the extension reads its settings: typed getters over `workspace.getConfiguration`, defaults
 * and bounds only from package.json (read from the installed manifest), and one path rule for every path
 * setting (src/common/settings.ts). Values are read on each call, so a changed setting applies to the next
 * command; `onDidChange` is for the few places that cache something.
 */
export class Config {
  private readonly schemas: ReadonlyMap<string, SettingSchema>;

  constructor(
    private readonly extensionRoot: string,
    manifest: unknown,
  ) {
    this.schemas = settingSchemas(manifest);
  }

  get quiz(): QuizSettings {
    return {
      newCardsPerDay: this.wholeNumber(K.quizNewCardsPerDay),
      discoverWorkspaceDecks: this.boolean(K.quizDiscoverWorkspaceDecks),
      codeCheckTimeoutSeconds: this.wholeNumber(K.quizCodeCheckTimeoutSeconds),
      desiredRetention: numberSetting(vscode.workspace.getConfiguration().get(K.quizDesiredRetention), this.schema(K.quizDesiredRetention)),
    };
  }

  get text(): TextSettings {
    return {
      threads: this.wholeNumber(K.textThreads),
      windowOverlap: this.wholeNumber(K.textWindowOverlap),
      maxFileSizeKB: this.wholeNumber(K.textMaxFileSizeKB),
      maxWindowTokens: this.wholeNumber(K.textMaxWindowTokens),
      batchSize: this.wholeNumber(K.textBatchSize),
      modelVariant: parseModelVariantSetting(vscode.workspace.getConfiguration().get(this.key(K.textModelVariant))),
    };
  }

  get workers(): WorkerSettings {
    return { idleMinutes: this.wholeNumber(K.workersIdleMinutes) };
  }

  /** `modelLab.imageModel` resolved, else the bundled digit model. */
  imageModelPath(): string {
    return this.path(K.imageModel) ?? path.join(this.extensionRoot, 'models', 'mnist-cnn');
  }

  /** `modelLab.textModel` resolved, else the bundled text model. */
  textModelDir(): string {
    return this.path(K.textModel) ?? bundledTextModelDir(this.extensionRoot);
  }

  /**
   * Points `modelLab.textModel` at `dir` (relative when inside the workspace), in the workspace settings when a
   * folder is open, else the user settings; returns what was written, where, and the value it replaced there.
   */
  async setTextModel(dir: string): Promise<{ value: string; previous: string; scope: 'workspace' | 'user' }> {
    const value = settingPathFor(dir, pathContext());
    const scope = vscode.workspace.workspaceFolders?.length ? 'workspace' : 'user';
    const config = vscode.workspace.getConfiguration();
    const inspected = config.inspect<string>(K.textModel);
    const previous = (scope === 'workspace' ? inspected?.workspaceValue : inspected?.globalValue) ?? '';
    await config.update(K.textModel, value, scope === 'workspace' ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global);
    return { value, previous, scope };
  }

  /** Calls `listener` when a setting under `section` (e.g. `modelLab.quiz`) changes. */
  onDidChange(section: string, listener: () => void): vscode.Disposable {
    return vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(section)) listener();
    });
  }

  private schema(key: SettingKey): SettingSchema {
    const schema = this.schemas.get(key);
    // Cannot happen for a SettingKey: test/unit/common/settings.test.ts finds each in package.json.
    if (!schema) throw new Error(`package.json declares no setting ${key}`);
    return schema;
  }

  /** The key, after checking package.json declares it. */
  private key(key: SettingKey): SettingKey {
    this.schema(key);
    return key;
  }

  private wholeNumber(key: SettingKey): number {
    return wholeNumberSetting(vscode.workspace.getConfiguration().get(key), this.schema(key));
  }

  private boolean(key: SettingKey): boolean {
    const value = vscode.workspace.getConfiguration().get(key);
    return typeof value === 'boolean' ? value : this.schema(key).default === true;
  }

  private path(key: SettingKey): string | undefined {
    this.schema(key);
    const value = vscode.workspace.getConfiguration().get(key);
    return typeof value === 'string' ? resolveSettingPath(value, pathContext()) : undefined;
  }
}

function pathContext(): PathContext {
  return { workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath, home: os.homedir() };
}
