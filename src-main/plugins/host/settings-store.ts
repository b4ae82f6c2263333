// The user's plugin settings (issue #14), per plugin id: plain values in one JSON file, secrets apart — sealed by the
// OS keychain in the desktop app (Electron safeStorage, injected), else in a 0600 file. Never returns a secret to a view.
import { readFile } from 'node:fs/promises';
import { errorCode, errorMessage } from '../../../src-shared/errors';
import type { PluginSettingSpec, SettingValue } from '../../../src-shared/plugin';
import { writeFileAtomically } from '../../fs/atomic-write';
import { checkSettingValue } from '../common/settings';

/** Where secrets are kept, and how: `keychain` (sealed by the OS: Electron safeStorage) or `file` (a 0600 file). */
export interface SecretSealer {
  readonly storage: 'keychain' | 'file';
  seal(plain: string): string;
  open(sealed: string): string;
}

/** Secrets stored as they are, in a file only the user can read (browser mode, headless, CLI). */
export const fileSealer: SecretSealer = { storage: 'file', seal: (s) => s, open: (s) => s };

/** What a settings form may see: the plain values, which secrets are set (never their values), where secrets live. */
export interface SettingsView {
  values: Record<string, SettingValue>;
  secretsSet: string[];
  secretStorage: SecretSealer['storage'];
}

export class SettingsStoreError extends Error {
  override readonly name = 'SettingsStoreError';
}

type Table = Record<string, Record<string, SettingValue>>;

/** The secrets-table entry that holds a plugin's OAuth tokens (sealed JSON); not a setting, never in a view. */
const OAUTH_KEY = 'oauth:tokens';

/** A plugin's OAuth tokens as stored (the refresh token never leaves the host). */
export interface StoredTokens {
  accessToken: string;
  expiresAt: number;
  refreshToken: string | null;
}

async function readTable(path: string): Promise<Table> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return {};
    throw new SettingsStoreError(`${path}: cannot read: ${errorMessage(err)}`);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('expected an object of plugin ids');
    return parsed as Table;
  } catch (err) {
    // The file is left as it is (nothing overwrites it until the user saves again); the message says where.
    throw new SettingsStoreError(`${path}: not valid settings JSON: ${errorMessage(err)}`);
  }
}

export class PluginSettingsStore {
  private values: Table = {};
  private secrets: Table = {};
  /** Serialises saves so two never interleave on the files. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly valuesPath: string,
    private readonly secretsPath: string,
    private readonly sealer: SecretSealer = fileSealer,
  ) {}

  get secretStorage(): SecretSealer['storage'] {
    return this.sealer.storage;
  }

  /** Reads both files (missing files are empty). */
  async load(): Promise<void> {
    this.values = await readTable(this.valuesPath);
    this.secrets = await readTable(this.secretsPath);
  }

  /** Everything the plugin's sandbox gets: plain values and opened secrets. For the plugin host only. */
  valuesFor(id: string): Record<string, SettingValue> {
    const out: Record<string, SettingValue> = { ...this.values[id] };
    for (const [name, sealed] of Object.entries(this.secrets[id] ?? {})) {
      if (typeof sealed !== 'string' || name === OAUTH_KEY) continue;
      try {
        out[name] = this.sealer.open(sealed);
      } catch {
        // A secret sealed by another keychain (another user or machine) cannot be opened: as if unset.
      }
    }
    return out;
  }

  /** The form's view: plain values only, and the names of the secrets that are set. */
  view(id: string): SettingsView {
    const secretsSet = Object.keys(this.secrets[id] ?? {}).filter((name) => name !== OAUTH_KEY);
    return { values: { ...this.values[id] }, secretsSet: secretsSet.sort(), secretStorage: this.sealer.storage };
  }

  /** The plugin's OAuth tokens, or null (never connected, disconnected, or sealed by another keychain). */
  oauthTokens(id: string): StoredTokens | null {
    const sealed = this.secrets[id]?.[OAUTH_KEY];
    if (typeof sealed !== 'string') return null;
    try {
      const t = JSON.parse(this.sealer.open(sealed)) as Partial<StoredTokens>;
      if (typeof t.accessToken !== 'string' || typeof t.expiresAt !== 'number') return null;
      return { accessToken: t.accessToken, expiresAt: t.expiresAt, refreshToken: typeof t.refreshToken === 'string' ? t.refreshToken : null };
    } catch {
      return null;
    }
  }

  /** Stores (sealed, in the 0600 secrets file) or forgets a plugin's OAuth tokens. */
  setOAuthTokens(id: string, tokens: StoredTokens | null): Promise<void> {
    const run = this.chain.then(async () => {
      const secrets = { ...this.secrets[id] };
      if (tokens === null) delete secrets[OAUTH_KEY];
      else secrets[OAUTH_KEY] = this.sealer.seal(JSON.stringify(tokens));
      const nextSecrets = { ...this.secrets, [id]: secrets };
      await writeFileAtomically(this.secretsPath, `${JSON.stringify(nextSecrets, null, 2)}\n`, { mode: 0o600 });
      this.secrets = nextSecrets;
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  /**
   * Applies changes for one plugin: a value sets (checked against its declaration), null clears, an undeclared name is
   * refused. Secrets go to the secrets file (mode 0600), sealed. Both files are replaced atomically. Returns the view.
   */
  update(id: string, specs: readonly PluginSettingSpec[], changes: Readonly<Record<string, SettingValue | null>>): Promise<SettingsView> {
    const run = this.chain.then(async () => {
      const values = { ...this.values[id] };
      const secrets = { ...this.secrets[id] };
      for (const [name, value] of Object.entries(changes)) {
        const spec = specs.find((s) => s.name === name);
        if (!spec) throw new SettingsStoreError(`the plugin declares no setting "${name}"`);
        const target = spec.type === 'secret' ? secrets : values;
        if (value === null || value === '') {
          delete target[name];
          continue;
        }
        const checked = checkSettingValue(spec, value);
        if (spec.type === 'secret') secrets[name] = this.sealer.seal(String(checked));
        else values[name] = checked;
      }
      const nextValues = { ...this.values, [id]: values };
      const nextSecrets = { ...this.secrets, [id]: secrets };
      await writeFileAtomically(this.secretsPath, `${JSON.stringify(nextSecrets, null, 2)}\n`, { mode: 0o600 });
      await writeFileAtomically(this.valuesPath, `${JSON.stringify(nextValues, null, 2)}\n`);
      this.values = nextValues;
      this.secrets = nextSecrets;
      return this.view(id);
    });
    this.chain = run.catch(() => undefined);
    return run;
  }
}
