// The UI's small state between runs (src-shared/ui-state.ts) as ui_state.json beside config.toml: read and checked on
// first use, changed only through set(), written atomically one write at a time. Never throws on a missing or broken file.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { errorMessage } from '../../src-shared/errors';
import { applyUiStatePatch, initialUiState, uiStatePatchSchema, uiStateSchema, type UiState, type UiStatePatch } from '../../src-shared/ui-state';
import { writeFileAtomically } from '../fs/atomic-write';
import { log } from '../common/log';

/** ui_state.json beside config.toml (so `--config FILE` and CONDUCTOR_CONFIG_DIR move it along). */
export function uiStatePath(configPath: string): string {
  return join(dirname(configPath), 'ui_state.json');
}

export interface UiStateStoreOptions {
  /**
   * True when this start created config.toml (a first run): a missing file then starts the guide. Read when the file
   * is first found missing, not at construction (the config is loaded after the store may be created).
   */
  firstRun: () => boolean;
  /** Where a broken file is reported (default: one stderr line). */
  log?: (message: string) => void;
}

export class UiStateStore {
  #state: UiState | null = null;
  #loading: Promise<UiState> | null = null;
  #chain: Promise<unknown> = Promise.resolve();

  constructor(
    readonly path: string,
    private readonly options: UiStateStoreOptions,
  ) {}

  /**
   * The state: the file's, or — when there is none — the initial one, written at once so a first run that ends before
   * the guide is done still shows it next time (config.toml exists by then). A broken file is reported and read as a
   * non-first run; it is replaced by the next set().
   */
  get(): Promise<UiState> {
    if (this.#state) return Promise.resolve(this.#state);
    this.#loading ??= this.#load().finally(() => (this.#loading = null));
    return this.#loading;
  }

  /** Applies the changed parts and writes the file; resolves with the new state (rejects when it cannot be written). */
  set(patch: UiStatePatch): Promise<UiState> {
    const checked = uiStatePatchSchema.safeParse(patch);
    if (!checked.success) return Promise.reject(new Error(`not a UI state change: ${checked.error.issues[0]?.message ?? 'wrong shape'}`));
    const parsed = checked.data;
    const run = this.#chain.then(async () => {
      const current = await this.get();
      const next = applyUiStatePatch(current, parsed);
      await this.#write(next);
      this.#state = next;
      return next;
    });
    this.#chain = run.catch(() => undefined);
    return run;
  }

  async #load(): Promise<UiState> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        const initial = initialUiState(this.options.firstRun());
        await this.#write(initial).catch((e: unknown) => this.#report(`cannot write ${this.path}: ${errorMessage(e)}`));
        return (this.#state = initial);
      }
      this.#report(`cannot read ${this.path}: ${errorMessage(error)}; using the defaults`);
      return (this.#state = initialUiState(false));
    }
    try {
      const parsed = uiStateSchema.safeParse(JSON.parse(text));
      if (parsed.success) return (this.#state = parsed.data);
      this.#report(`${this.path} is not a valid UI state (${parsed.error.issues[0]?.message ?? 'wrong shape'}); using the defaults`);
    } catch (error) {
      this.#report(`${this.path} is not valid JSON (${errorMessage(error)}); using the defaults`);
    }
    return (this.#state = initialUiState(false));
  }

  #write(state: UiState): Promise<void> {
    return writeFileAtomically(this.path, `${JSON.stringify(state, null, 2)}\n`);
  }

  #report(message: string): void {
    (this.options.log ?? ((m: string) => log.warn(m)))(message);
  }
}
