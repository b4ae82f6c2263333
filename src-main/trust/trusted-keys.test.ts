// The trusted-keys store on real files: add/list/find/remove, validation, malformed files, first-run official key.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import TOML from '@iarna/toml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TrustedKeyStore, TrustedKeysError } from './trusted-keys';

// RFC 8032 §7.1 public keys: real curve points.
const KEY_A = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
const KEY_B = '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c';
const KEY_C = 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025';
const NOW = new Date('2025-05-04T03:02:01.999Z');

let dir: string;
let path: string;
let store: TrustedKeyStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'conductor-trusted-'));
  path = join(dir, 'config', 'trusted_keys.toml');
  store = new TrustedKeyStore(path);
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function rejection(promise: Promise<unknown>): Promise<TrustedKeysError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(TrustedKeysError);
    return err as TrustedKeysError;
  }
  throw new Error('expected a TrustedKeysError');
}

describe('TrustedKeyStore', () => {
  it('treats a missing file as an empty list and does not create it by reading', async () => {
    expect(await store.list()).toEqual([]);
    expect(await store.find(KEY_A)).toBeNull();
    expect(existsSync(path)).toBe(false);
  });

  it('adds keys (stored lowercase, added_at RFC 3339) and lists them in order', async () => {
    const added = await store.add({ publicKey: KEY_A.toUpperCase(), name: '  Ada  ', email: 'ada@example.com' }, NOW);
    expect(added).toEqual({ publicKey: KEY_A, name: 'Ada', email: 'ada@example.com', addedAt: '2025-05-04T03:02:01Z' });
    await store.add({ publicKey: KEY_B, name: 'Bob' }, NOW);
    expect(await store.list()).toEqual([added, { publicKey: KEY_B, name: 'Bob', email: '', addedAt: '2025-05-04T03:02:01Z' }]);
    const doc = TOML.parse(readFileSync(path, 'utf8'));
    expect(doc).toEqual({
      keys: [
        { name: 'Ada', email: 'ada@example.com', public_key: KEY_A, added_at: '2025-05-04T03:02:01Z' },
        { name: 'Bob', email: '', public_key: KEY_B, added_at: '2025-05-04T03:02:01Z' },
      ],
    });
    expect(readFileSync(path, 'utf8')).toMatch(/^# Conductor trusted plugin signing keys/);
  });

  it('finds case-insensitively', async () => {
    await store.add({ publicKey: KEY_A, name: 'Ada' });
    expect((await store.find(KEY_A.toUpperCase()))?.name).toBe('Ada');
    expect((await store.find(` ${KEY_A}\n`))?.name).toBe('Ada');
    expect(await store.find(KEY_B)).toBeNull();
    expect(await store.find('not a key')).toBeNull();
  });

  it('rejects duplicates (any case), invalid keys and empty names, without touching the file', async () => {
    await store.add({ publicKey: KEY_A, name: 'Ada' });
    const before = readFileSync(path, 'utf8');
    const dup = await rejection(store.add({ publicKey: KEY_A.toUpperCase(), name: 'Other' }));
    expect(dup.kind).toBe('duplicate');
    expect(dup.message).toBe(`key ${KEY_A} is already trusted as "Ada"`);
    const short = await rejection(store.add({ publicKey: 'abcd', name: 'X' }));
    expect(short.kind).toBe('invalid-key');
    expect(short.message).toBe('invalid public key: expected 64 hex characters (32 bytes), got 4');
    expect((await rejection(store.add({ publicKey: `${'g'.repeat(64)}`, name: 'X' }))).message).toMatch(/not hexadecimal/);
    expect((await rejection(store.add({ publicKey: `02${'00'.repeat(31)}`, name: 'X' }))).message).toMatch(/not a valid Ed25519 public key/);
    const unnamed = await rejection(store.add({ publicKey: KEY_B, name: '   ' }));
    expect(unnamed.kind).toBe('invalid-name');
    expect(readFileSync(path, 'utf8')).toBe(before);
  });

  it('removes by key (any case), returns the entry, and names a key that is not there', async () => {
    await store.add({ publicKey: KEY_A, name: 'Ada' });
    await store.add({ publicKey: KEY_B, name: 'Bob' });
    const removed = await store.remove(KEY_A.toUpperCase());
    expect(removed.name).toBe('Ada');
    expect((await store.list()).map((k) => k.name)).toEqual(['Bob']);
    const missing = await rejection(store.remove(KEY_A));
    expect(missing.kind).toBe('not-found');
    expect(missing.message).toBe(`key ${KEY_A} is not in the trusted keys (${path})`);
  });

  it('keeps other entries intact on writes, including unknown fields, dates and other tables', async () => {
    const handWritten = `# my keys
owner = "me"

[[keys]]
name = "Ada"
email = "ada@example.com"
public_key = "${KEY_A.toUpperCase()}"
added_at = 2024-01-02T03:04:05Z
note = "met at a conference"

[keys.extra]
fingerprint_checked = true

[[keys]]
name = "Bob"
public_key = "${KEY_B}"
added_at = "2024-02-03T04:05:06Z"
`;
    mkdirSync(join(dir, 'config'), { recursive: true });
    writeFileSync(path, handWritten);
    expect(await store.list()).toEqual([
      { publicKey: KEY_A, name: 'Ada', email: 'ada@example.com', addedAt: '2024-01-02T03:04:05.000Z' },
      { publicKey: KEY_B, name: 'Bob', email: '', addedAt: '2024-02-03T04:05:06Z' },
    ]);
    await store.add({ publicKey: KEY_C, name: 'Cy' }, NOW);
    await store.remove(KEY_B);
    const doc = TOML.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    expect(doc.owner).toBe('me');
    const keys = doc.keys as Record<string, unknown>[];
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatchObject({ name: 'Ada', public_key: KEY_A.toUpperCase(), note: 'met at a conference', extra: { fingerprint_checked: true } });
    expect((keys[0]?.added_at as Date).toISOString()).toBe('2024-01-02T03:04:05.000Z');
    expect(keys[1]).toEqual({ name: 'Cy', email: '', public_key: KEY_C, added_at: '2025-05-04T03:02:01Z' });
  });

  it('adding and removing keys keeps the comments and layout of the other entries', async () => {
    const handWritten = `# Keys I trust (hand-edited).

# Ada signs the music plugins.
[[keys]]
name  =  "Ada"   # met at a conference
email = "ada@example.com"
public_key = "${KEY_A}"
added_at = "2024-01-02T03:04:05Z"

# Bob: revoke when he leaves.
[[keys]]
name = "Bob"
public_key = "${KEY_B}"   # checked by phone
`;
    mkdirSync(join(dir, 'config'), { recursive: true });
    writeFileSync(path, handWritten);
    const logged: string[] = [];
    const keys = new TrustedKeyStore(path, (m) => logged.push(m));
    await keys.add({ publicKey: KEY_C, name: 'Cy' }, NOW);
    const cy = `\n[[keys]]\nname = "Cy"\nemail = ""\npublic_key = "${KEY_C}"\nadded_at = "2025-05-04T03:02:01Z"\n`;
    expect(readFileSync(path, 'utf8')).toBe(`${handWritten}${cy}`);
    await keys.remove(KEY_B);
    const bob = `\n# Bob: revoke when he leaves.\n[[keys]]\nname = "Bob"\npublic_key = "${KEY_B}"   # checked by phone\n`;
    expect(readFileSync(path, 'utf8')).toBe(`${handWritten.replace(bob, '')}${cy}`);
    await keys.remove(KEY_C);
    expect(readFileSync(path, 'utf8')).toBe(handWritten.replace(bob, ''));
    expect((await keys.list()).map((k) => k.name)).toEqual(['Ada']);
    expect(logged).toEqual([]);
  });

  it('reports malformed TOML as FILE:LINE:COL and never overwrites it', async () => {
    mkdirSync(join(dir, 'config'), { recursive: true });
    const broken = `[[keys]]\nname = "Ada"\npublic_key = ${KEY_A}\n`;
    writeFileSync(path, broken);
    const err = await rejection(store.list());
    expect(err.kind).toBe('malformed');
    expect(err.message).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:14: \\S`));
    expect(err.message).not.toMatch(/\n/);
    await rejection(store.add({ publicKey: KEY_B, name: 'Bob' }));
    await rejection(store.remove(KEY_A));
    expect(await rejection(store.find(KEY_A))).toBeInstanceOf(TrustedKeysError);
    expect(readFileSync(path, 'utf8')).toBe(broken);
  });

  it('reports schema errors with the entry index and field', async () => {
    mkdirSync(join(dir, 'config'), { recursive: true });
    const cases: [string, string][] = [
      ['keys = "nope"\n', 'keys: expected an array of tables ([[keys]]), got "nope"'],
      [`[[keys]]\nname = "A"\npublic_key = "${KEY_A}"\n\n[[keys]]\npublic_key = "${KEY_B}"\n`, 'keys[1].name: expected a non-empty string, got nothing'],
      [`[[keys]]\nname = "A"\npublic_key = "${KEY_A}"\n[[keys]]\nname = "B"\npublic_key = "${KEY_B}"\n[[keys]]\nname = "C"\npublic_key = "abc"\n`, 'keys[2].public_key: expected 64 hex characters (32 bytes), got 3'],
      [`[[keys]]\nname = "A"\npublic_key = 12\n`, 'keys[0].public_key: expected a hex string, got 12'],
      [`[[keys]]\nname = "A"\nemail = 3\npublic_key = "${KEY_A}"\n`, 'keys[0].email: expected a string, got 3'],
      [`[[keys]]\nname = "A"\npublic_key = "${KEY_A}"\nadded_at = 5\n`, 'keys[0].added_at: expected an RFC 3339 date-time, got 5'],
      [`[[keys]]\nname = "A"\npublic_key = "${KEY_A}"\n[[keys]]\nname = "B"\npublic_key = "${KEY_A.toUpperCase()}"\n`, 'keys[1].public_key: the same key is already listed as keys[0] ("A")'],
    ];
    for (const [content, message] of cases) {
      writeFileSync(path, content);
      const err = await rejection(store.list());
      expect(err.kind).toBe('malformed');
      expect(err.message).toBe(`${path}: ${message}`);
      await rejection(store.add({ publicKey: KEY_C, name: 'C' }));
      expect(readFileSync(path, 'utf8')).toBe(content);
    }
  });

  it('an empty file or one without [[keys]] is an empty list', async () => {
    mkdirSync(join(dir, 'config'), { recursive: true });
    writeFileSync(path, '# nothing yet\n');
    expect(await store.list()).toEqual([]);
    await store.add({ publicKey: KEY_A, name: 'Ada' });
    expect((await store.list()).map((k) => k.publicKey)).toEqual([KEY_A]);
  });
});

describe('ensureOfficialKey (trusted on first run)', () => {
  it('creates the file with the official key when there is none', async () => {
    expect(await store.ensureOfficialKey(KEY_C.toUpperCase(), 'Conductor (official)', NOW)).toBe(true);
    expect(await store.list()).toEqual([{ publicKey: KEY_C, name: 'Conductor (official)', email: '', addedAt: '2025-05-04T03:02:01Z' }]);
  });

  it('does nothing when the file exists — a removed official key stays removed', async () => {
    expect(await store.ensureOfficialKey(KEY_C, 'Conductor (official)')).toBe(true);
    await store.add({ publicKey: KEY_A, name: 'Ada' });
    await store.remove(KEY_C);
    const before = readFileSync(path, 'utf8');
    expect(await store.ensureOfficialKey(KEY_C, 'Conductor (official)')).toBe(false);
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(await store.find(KEY_C)).toBeNull();
  });

  it('does nothing to an existing malformed or empty file', async () => {
    mkdirSync(join(dir, 'config'), { recursive: true });
    writeFileSync(path, 'this is = = not toml');
    expect(await store.ensureOfficialKey(KEY_C, 'Conductor (official)')).toBe(false);
    expect(readFileSync(path, 'utf8')).toBe('this is = = not toml');
  });

  it('refuses an invalid official key', async () => {
    expect((await rejection(store.ensureOfficialKey('00', 'x'))).kind).toBe('invalid-key');
    expect(existsSync(path)).toBe(false);
  });
});
