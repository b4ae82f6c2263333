// The user's trusted signing keys (DESIGN §7): trusted_keys.toml, `[[keys]]` with name, email, public_key, added_at.
// Never replaces a malformed file, never drops other entries or their unknown fields, and writes only atomically,
// editing the file's own text so the user's comments and layout survive (fs/toml-patch.ts).
import { lstat } from 'node:fs/promises';
import TOML from '@iarna/toml';
import { errorCode, errorMessage } from '../../src-shared/errors';
import { writeFileAtomically } from '../fs/atomic-write';
import { readTomlFileText, tomlTextFor, type TomlFileError } from '../fs/toml-file';
import { checkPublicKeyHex } from './keys';

/** One trusted key as the app sees it (public key lowercase hex; email and addedAt '' when absent). */
export interface TrustedKey {
  publicKey: string;
  name: string;
  email: string;
  /** RFC 3339, as written in the file. */
  addedAt: string;
}

export type TrustedKeysErrorKind = 'read' | 'malformed' | 'invalid-key' | 'invalid-name' | 'duplicate' | 'not-found';

/** A trusted-keys problem; the message starts with the file (and FILE:LINE:COL or keys[i].field where it applies). */
export class TrustedKeysError extends Error {
  override readonly name = 'TrustedKeysError';
  constructor(
    readonly kind: TrustedKeysErrorKind,
    message: string,
  ) {
    super(message);
  }
}

const HEADER = `# Conductor trusted plugin signing keys (DESIGN §7).
# Plugins signed by these keys load as "trusted". Manage with \`conductor-sign trust add|remove\` or in Settings.
`;

type RawEntry = Record<string, unknown>;

interface Loaded {
  exists: boolean;
  /** The file's text (null when it does not exist). */
  text: string | null;
  /** The whole document (other top-level tables kept as they are). */
  doc: Record<string, unknown>;
  raw: RawEntry[];
  entries: TrustedKey[];
}

function isTable(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value instanceof Date) return 'a date';
  if (Array.isArray(value)) return 'an array';
  return JSON.stringify(value);
}

function timestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class TrustedKeyStore {
  /** `log` gets a line when a save cannot keep the file's comments and writes it in full (default console.warn). */
  constructor(
    readonly path: string,
    private readonly log: (message: string) => void = (message) => console.warn(`[trust] ${message}`),
  ) {}

  private malformed(where: string, message: string): TrustedKeysError {
    return new TrustedKeysError('malformed', `${this.path}${where}: ${message}`);
  }

  private async load(): Promise<Loaded> {
    let file: { text: string; doc: Record<string, unknown> } | null;
    try {
      file = await readTomlFileText(this.path);
    } catch (err) {
      const e = err as TomlFileError;
      throw e.line === null ? new TrustedKeysError('read', e.message) : new TrustedKeysError('malformed', e.message);
    }
    if (file === null) return { exists: false, text: null, doc: {}, raw: [], entries: [] };
    const { text, doc } = file;
    const keys = doc.keys;
    if (keys === undefined) return { exists: true, text, doc, raw: [], entries: [] };
    if (!Array.isArray(keys)) throw this.malformed('', `keys: expected an array of tables ([[keys]]), got ${describe(keys)}`);
    const raw: RawEntry[] = [];
    const entries: TrustedKey[] = [];
    keys.forEach((item: unknown, i) => {
      const at = `keys[${i}]`;
      if (!isTable(item)) throw this.malformed('', `${at}: expected a table with name and public_key, got ${describe(item)}`);
      const { name, email, public_key: publicKey, added_at: addedAt } = item;
      if (typeof name !== 'string' || name.trim() === '') throw this.malformed('', `${at}.name: expected a non-empty string, got ${describe(name)}`);
      if (email !== undefined && typeof email !== 'string') throw this.malformed('', `${at}.email: expected a string, got ${describe(email)}`);
      if (typeof publicKey !== 'string') throw this.malformed('', `${at}.public_key: expected a hex string, got ${describe(publicKey)}`);
      const check = checkPublicKeyHex(publicKey);
      if (!check.ok) throw this.malformed('', `${at}.public_key: ${check.error}`);
      if (addedAt !== undefined && typeof addedAt !== 'string' && !(addedAt instanceof Date)) {
        throw this.malformed('', `${at}.added_at: expected an RFC 3339 date-time, got ${describe(addedAt)}`);
      }
      const twin = entries.findIndex((e) => e.publicKey === check.key);
      if (twin !== -1) throw this.malformed('', `${at}.public_key: the same key is already listed as keys[${twin}] ("${entries[twin]?.name ?? ''}")`);
      raw.push(item);
      entries.push({
        publicKey: check.key,
        name,
        email: email ?? '',
        addedAt: addedAt === undefined ? '' : typeof addedAt === 'string' ? addedAt : addedAt.toISOString(),
      });
    });
    return { exists: true, text, doc, raw, entries };
  }

  /** Writes the document with `raw` as its [[keys]]: the file's text edited (comments kept), else written in full. */
  private async save(loaded: Loaded, raw: RawEntry[]): Promise<void> {
    const doc = { ...loaded.doc, keys: raw } as TOML.JsonMap;
    const { text, fallback } = tomlTextFor(loaded.text, doc, () => `${HEADER}\n${TOML.stringify(doc)}`);
    if (fallback !== null) this.log(`${this.path}: comments and layout not kept (${fallback}); wrote the whole file`);
    await writeFileAtomically(this.path, text);
  }

  /** Every trusted key, in file order. A missing file is an empty list; a malformed one throws. */
  async list(): Promise<TrustedKey[]> {
    return (await this.load()).entries;
  }

  /** The entry for `publicKey` (hex, any case), or null. */
  async find(publicKey: string): Promise<TrustedKey | null> {
    const wanted = publicKey.trim().toLowerCase();
    return (await this.load()).entries.find((e) => e.publicKey === wanted) ?? null;
  }

  /** Trusts a key. Rejects invalid keys, an empty name and keys already present; keeps every other entry. */
  async add(input: { publicKey: string; name: string; email?: string }, now: Date = new Date()): Promise<TrustedKey> {
    const check = checkPublicKeyHex(input.publicKey);
    if (!check.ok) throw new TrustedKeysError('invalid-key', `invalid public key: ${check.error}`);
    const name = input.name.trim();
    if (name === '') throw new TrustedKeysError('invalid-name', 'a trusted key needs a non-empty name (who it belongs to)');
    const loaded = await this.load();
    const existing = loaded.entries.find((e) => e.publicKey === check.key);
    if (existing) throw new TrustedKeysError('duplicate', `key ${check.key} is already trusted as "${existing.name}"`);
    const entry: TrustedKey = { publicKey: check.key, name, email: (input.email ?? '').trim(), addedAt: timestamp(now) };
    await this.save(loaded, [...loaded.raw, { name: entry.name, email: entry.email, public_key: entry.publicKey, added_at: entry.addedAt }]);
    return entry;
  }

  /** Stops trusting a key (hex, any case) and returns the removed entry; throws 'not-found' when it is not listed. */
  async remove(publicKey: string): Promise<TrustedKey> {
    const wanted = publicKey.trim().toLowerCase();
    const loaded = await this.load();
    const index = loaded.entries.findIndex((e) => e.publicKey === wanted);
    const removed = loaded.entries[index];
    if (index === -1 || removed === undefined) throw new TrustedKeysError('not-found', `key ${wanted} is not in the trusted keys (${this.path})`);
    await this.save(loaded, loaded.raw.filter((_, i) => i !== index));
    return removed;
  }

  /**
   * Trusted on first run: when the trusted-keys file does not exist yet, creates it holding the official key.
   * When it exists (even without that key — the user may have removed it), changes nothing. Returns whether it added.
   */
  async ensureOfficialKey(officialPublicKeyHex: string, name: string, now: Date = new Date()): Promise<boolean> {
    const check = checkPublicKeyHex(officialPublicKeyHex);
    if (!check.ok) throw new TrustedKeysError('invalid-key', `invalid official public key: ${check.error}`);
    try {
      await lstat(this.path);
      return false;
    } catch (err) {
      if (errorCode(err) !== 'ENOENT') throw new TrustedKeysError('read', `${this.path}: cannot check: ${errorMessage(err)}`);
    }
    await this.add({ publicKey: check.key, name }, now);
    return true;
  }
}
