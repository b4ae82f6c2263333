// The running config (DESIGN §8): loads config.toml (writing the commented default on first run), keeps the last good
// config when the file goes bad, saves atomically with one backup — keeping the file's comments and layout
// (preserve.ts) — and follows external edits. Never runs actions.
import { watch, type FSWatcher } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { AppConfig, ConfigIssue } from '../../src-shared/config';
import { errorCode, errorMessage } from '../../src-shared/errors';
import { writeFileAtomically } from '../fs/atomic-write';
import { parseToml } from '../fs/toml-file';
import { Emitter, type Event } from '../../src-shared/emitter';
import { configPath } from '../common/paths';
import { defaultConfigPath, emptyConfig, FAIL_CLOSED_POLICY, readDefaultConfigText } from './default-config';
import { parseConfigText } from './schema';
import { readWasmPolicy } from './schema-wasm';
import { checkConfigText, configSaveText, type CanonicalConfig } from './preserve';
import { serializeConfig } from './write';

export interface ConfigStoreOptions {
  /** The config file (default: configPath(), i.e. config.toml in the config dir). */
  path?: string;
  /** The file written on first run (default: the shipped resources/default-config.toml); null = an empty config. */
  defaultConfigFile?: string | null;
  /** Follow external edits once load() has run (default true). */
  watch?: boolean;
  /** Quiet time after the last change event before the file is re-read (default 250 ms). */
  watchDebounceMs?: number;
  /** Where warnings go (a save that could not keep the file's comments). Default console.warn with a "[config]" prefix. */
  log?: (message: string) => void;
}

/**
 * Where the config returned by load() came from: the file; the shipped default, just written (first run); the last
 * good config, because the file is bad now; or, with no good config ever loaded, an empty one (no mappings; the
 * file's [wasm] policy if that table reads cleanly, else signatures required from trusted keys — fail closed).
 */
export type ConfigSource = 'file' | 'created-default' | 'last-good' | 'fallback';

export interface ConfigLoadResult {
  /** The running config (from the file when `issues` is empty). */
  config: AppConfig;
  /** Every problem in the file; empty when it loaded. */
  issues: ConfigIssue[];
  source: ConfigSource;
}

/** save() refused a config that would not read back cleanly; nothing was written. */
export class ConfigSaveError extends Error {
  override readonly name = 'ConfigSaveError';
  constructor(readonly issues: ConfigIssue[]) {
    super(`config not saved: ${issues.map((i) => `${i.path ? `${i.path}: ` : ''}${i.message}`).join('; ')}`);
  }
}

async function readText(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return null;
    throw err;
  }
}

export class ConfigStore {
  readonly path: string;
  /** The previous good file, replaced on every save that changes the file. */
  readonly backupPath: string;
  private readonly defaultConfigFile: string | null;
  private readonly watchEnabled: boolean;
  private readonly debounceMs: number;
  private readonly log: (message: string) => void;

  private current: AppConfig = emptyConfig({ ...FAIL_CLOSED_POLICY });
  private currentIssues: ConfigIssue[] = [];
  /** Text of the running config's file, when it came from one. */
  private goodText: string | null = null;
  /** The file's text as last read or written (null = missing); an event with the same text changes nothing. */
  private seenText: string | null | undefined = undefined;
  private hasGood = false;
  /** load() wrote the shipped default because there was no file: this start is the first run in this config dir. */
  private createdDefault = false;
  /** The canonical text and document of the config last saved (the next save patches the file from it). */
  private canonical: (CanonicalConfig & { config: AppConfig }) | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private watcher: FSWatcher | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;
  // A broken listener must not stop the others or the store: its error is dropped.
  private readonly changes = new Emitter<AppConfig>({ onListenerError: () => undefined });
  private readonly failures = new Emitter<ConfigIssue[]>({ onListenerError: () => undefined });

  /** A new running config, from save() or an external edit (not from load(), which returns it). */
  readonly onDidChange: Event<AppConfig> = this.changes.event;
  /** An external edit left the file bad (or removed it); the running config is unchanged. */
  readonly onDidFailToLoad: Event<ConfigIssue[]> = this.failures.event;

  constructor(options: ConfigStoreOptions = {}) {
    this.path = options.path ?? configPath();
    this.backupPath = `${this.path}.bak`;
    this.defaultConfigFile = options.defaultConfigFile === undefined ? defaultConfigPath() : options.defaultConfigFile;
    this.watchEnabled = options.watch ?? true;
    this.debounceMs = options.watchDebounceMs ?? 250;
    this.log = options.log ?? ((message) => console.warn(`[config] ${message}`));
  }

  /** The running config: the last good one (or the fallback before any loaded). */
  get config(): AppConfig {
    return this.current;
  }

  /** True when load() created config.toml from the shipped default (no file was there: a first run). */
  get createdOnLoad(): boolean {
    return this.createdDefault;
  }

  /** Problems of the file on disk; empty while it is the running config. */
  get issues(): readonly ConfigIssue[] {
    return this.currentIssues;
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.chain.then(work);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /**
   * Reads the file: on first run (no file) writes the shipped default first. A bad file never replaces a good
   * running config — the result then carries the issues and the last good (or fallback) config. Starts watching.
   */
  load(): Promise<ConfigLoadResult> {
    return this.serially(async () => {
      let text: string | null;
      let source: ConfigSource = 'file';
      try {
        text = await readText(this.path);
      } catch (err) {
        this.startWatching();
        return this.reject(null, [{ path: '', segments: [], message: `cannot read ${this.path}: ${errorMessage(err)}`, line: null, column: null }]);
      }
      if (text === null) {
        text = (await readDefaultConfigText(this.defaultConfigFile)) ?? serializeConfig(emptyConfig());
        await writeFileAtomically(this.path, text, { mode: 0o600 });
        source = 'created-default';
        this.createdDefault = true;
      }
      this.seenText = text;
      this.startWatching();
      const { config, issues } = parseConfigText(text, this.path);
      if (!config) return this.reject(text, issues);
      this.adopt(config, text);
      return { config, issues: [], source };
    });
  }

  private reject(text: string | null, issues: ConfigIssue[]): ConfigLoadResult {
    this.currentIssues = issues;
    if (this.hasGood) return { config: this.current, issues, source: 'last-good' };
    this.current = emptyConfig(this.policyOf(text) ?? FAIL_CLOSED_POLICY);
    return { config: this.current, issues, source: 'fallback' };
  }

  /** The [wasm] policy of a file that is bad elsewhere, when that table itself reads cleanly. */
  private policyOf(text: string | null): AppConfig['wasm'] | null {
    if (text === null) return null;
    try {
      const { policy, issues } = readWasmPolicy(parseToml(this.path, text));
      return issues.length === 0 ? policy : null;
    } catch {
      return null;
    }
  }

  private adopt(config: AppConfig, text: string): void {
    this.current = config;
    this.currentIssues = [];
    this.goodText = text;
    this.hasGood = true;
  }

  /**
   * Writes `config` atomically and makes it the running config; resolves with it as read back. The file's own text
   * is edited towards the new config, so its comments, blank lines and spelling survive outside the changed values;
   * when that cannot be done (or would read back differently) the whole file is written in the canonical shape and
   * a log line says why. The file it replaces, if good (else the last good text), becomes config.toml.bak first —
   * also atomically. Throws ConfigSaveError, writing nothing, when the config would not read back cleanly.
   */
  save(config: AppConfig): Promise<AppConfig> {
    return this.serially(async () => {
      const canonical = serializeConfig(config);
      const checked = checkConfigText(canonical, this.path);
      if (!checked.config || !checked.doc) throw new ConfigSaveError(checked.issues);
      const previous = await readText(this.path);
      const previousConfig = previous === null ? null : previous === this.goodText ? this.current : parseConfigText(previous, this.path).config;
      const previousIsGood = previousConfig !== null;
      // Patch the file as it is when it is good; else the last good text (a bad file on disk is replaced).
      const baseText = previous !== null && previousConfig !== null ? previous : this.goodText;
      const baseConfig = previousConfig ?? this.current;
      const known = this.canonical?.config === baseConfig ? { canonical: this.canonical } : {};
      const base = baseText === null ? null : { text: baseText, config: baseConfig, ...known };
      const saved = configSaveText(base, { text: canonical, config: checked.config, doc: checked.doc }, this.path);
      this.canonical = { config: saved.config, text: canonical, doc: checked.doc };
      if (saved.fallback !== null) this.log(`${this.path}: comments and layout not kept (${saved.fallback}); wrote the whole file in the canonical shape`);
      const { text } = saved;
      if (previous === text) {
        this.seenText = text;
        if (this.goodText !== text) this.adoptAndAnnounce(saved.config, text);
        return saved.config;
      }
      const backup = previousIsGood ? previous : this.goodText;
      if (backup !== null) {
        const mode = await stat(this.path).then((s) => s.mode & 0o777, () => 0o600);
        await writeFileAtomically(this.backupPath, backup, { mode });
      }
      await writeFileAtomically(this.path, text);
      this.seenText = text;
      this.startWatching();
      this.adoptAndAnnounce(saved.config, text);
      return saved.config;
    });
  }

  private adoptAndAnnounce(config: AppConfig, text: string): void {
    this.adopt(config, text);
    this.changes.fire(config);
  }

  private startWatching(): void {
    if (!this.watchEnabled || this.watcher || this.disposed) return;
    const name = basename(this.path);
    try {
      this.watcher = watch(dirname(this.path), { persistent: false }, (_event, filename) => {
        if (filename === null || filename === name) this.schedule();
      });
      this.watcher.on('error', () => this.stopWatching());
    } catch {
      this.watcher = null; // No watching here (e.g. the directory vanished): edits are picked up by the next load().
    }
  }

  private schedule(): void {
    if (this.disposed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.serially(() => this.reloadFromDisk()).catch(() => undefined);
    }, this.debounceMs);
  }

  private async reloadFromDisk(): Promise<void> {
    if (this.disposed) return;
    let text: string | null;
    try {
      text = await readText(this.path);
    } catch (err) {
      this.reportFailure([{ path: '', segments: [], message: `cannot read ${this.path}: ${errorMessage(err)}`, line: null, column: null }]);
      return;
    }
    if (text === this.seenText) return;
    this.seenText = text;
    if (text === null) {
      this.reportFailure([
        { path: '', segments: [], message: `${this.path} was removed; the running config is kept (saving from the app writes it again)`, line: null, column: null },
      ]);
      return;
    }
    const { config, issues } = parseConfigText(text, this.path);
    if (config) this.adoptAndAnnounce(config, text);
    else this.reportFailure(issues);
  }

  private reportFailure(issues: ConfigIssue[]): void {
    this.currentIssues = issues;
    this.failures.fire(issues);
  }

  private stopWatching(): void {
    this.watcher?.close();
    this.watcher = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Stops watching and drops listeners (later subscriptions are no-ops); the store can still load() and save() (without watching). */
  dispose(): void {
    this.disposed = true;
    this.stopWatching();
    this.changes.dispose();
    this.failures.dispose();
  }
}
