// Key files and public-key text: validation messages, generation (modes, no overwrite), reading private keys.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KeyFileError, checkPublicKeyHex, generateKeyPair, readPrivateKey, readPublicKeyFile, resolvePrivateKeyPath } from './keys';

const POSIX = process.platform !== 'win32';
const RFC_TEST_2_PUBLIC = '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c';

/** The public key of a raw seed, computed by Node's own crypto (not our code). */
function nodePublicKey(seed: Uint8Array): string {
  const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  const spki = createPublicKey(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })).export({ format: 'der', type: 'spki' });
  return spki.subarray(-32).toString('hex');
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'conductor-keys-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('checkPublicKeyHex', () => {
  it('accepts any case and surrounding whitespace, returns lowercase', () => {
    expect(checkPublicKeyHex(RFC_TEST_2_PUBLIC.toUpperCase())).toEqual({ ok: true, key: RFC_TEST_2_PUBLIC });
    expect(checkPublicKeyHex(` ${RFC_TEST_2_PUBLIC}\n`)).toEqual({ ok: true, key: RFC_TEST_2_PUBLIC });
  });

  it('names a wrong length', () => {
    expect(checkPublicKeyHex(RFC_TEST_2_PUBLIC.slice(2))).toEqual({ ok: false, error: 'expected 64 hex characters (32 bytes), got 62' });
    expect(checkPublicKeyHex('')).toEqual({ ok: false, error: 'expected 64 hex characters (32 bytes), got 0' });
    expect(checkPublicKeyHex(`${RFC_TEST_2_PUBLIC}00`)).toEqual({ ok: false, error: 'expected 64 hex characters (32 bytes), got 66' });
  });

  it('names the first non-hex character', () => {
    const bad = `${RFC_TEST_2_PUBLIC.slice(0, 10)}g${RFC_TEST_2_PUBLIC.slice(11)}`;
    expect(checkPublicKeyHex(bad)).toEqual({ ok: false, error: 'not hexadecimal: unexpected character "g" at position 11' });
  });

  it('rejects bytes that are not a curve point, and small-order points', () => {
    const notPoint = checkPublicKeyHex(`02${'00'.repeat(31)}`);
    expect(notPoint.ok).toBe(false);
    expect(!notPoint.ok && notPoint.error).toMatch(/^not a valid Ed25519 public key: the bytes do not decode to a point/);
    const identity = checkPublicKeyHex(`01${'00'.repeat(31)}`);
    expect(!identity.ok && identity.error).toMatch(/small-order/);
  });
});

describe('generateKeyPair', () => {
  it('writes BASE.private (32 raw bytes, 0600) and BASE.public (lowercase hex + newline) that belong together', async () => {
    const base = join(dir, 'nested', 'dev-key');
    const pair = await generateKeyPair(base);
    expect(pair.privatePath).toBe(`${base}.private`);
    expect(pair.publicPath).toBe(`${base}.public`);
    expect(pair.publicKey).toMatch(/^[0-9a-f]{64}$/);
    const seed = readFileSync(pair.privatePath);
    expect(seed.length).toBe(32);
    expect(readFileSync(pair.publicPath, 'utf8')).toBe(`${pair.publicKey}\n`);
    expect(nodePublicKey(seed)).toBe(pair.publicKey);
    if (POSIX) {
      expect(statSync(pair.privatePath).mode & 0o777).toBe(0o600);
      expect(statSync(pair.publicPath).mode & 0o777).toBe(0o644);
    }
  });

  it('makes a different key every time', async () => {
    const a = await generateKeyPair(join(dir, 'a'));
    const b = await generateKeyPair(join(dir, 'b'));
    expect(a.publicKey).not.toBe(b.publicKey);
  });

  it('refuses to overwrite either file and leaves both untouched', async () => {
    const base = join(dir, 'k');
    const first = await generateKeyPair(base);
    const seed = readFileSync(first.privatePath);
    await expect(generateKeyPair(base)).rejects.toThrow(KeyFileError);
    await expect(generateKeyPair(base)).rejects.toThrow(`${base}.private already exists; refusing to overwrite`);
    expect(readFileSync(first.privatePath)).toEqual(seed);

    const onlyPublic = join(dir, 'only-public');
    writeFileSync(`${onlyPublic}.public`, 'keep me\n');
    await expect(generateKeyPair(onlyPublic)).rejects.toThrow(`${onlyPublic}.public already exists; refusing to overwrite`);
    expect(existsSync(`${onlyPublic}.private`)).toBe(false);
    expect(readFileSync(`${onlyPublic}.public`, 'utf8')).toBe('keep me\n');
  });
});

describe('readPrivateKey', () => {
  it('accepts BASE or BASE.private and derives the public key', async () => {
    const pair = await generateKeyPair(join(dir, 'k'));
    const byBase = await readPrivateKey(join(dir, 'k'));
    const byPath = await readPrivateKey(pair.privatePath);
    expect(byBase.publicKey).toBe(pair.publicKey);
    expect(byPath.publicKey).toBe(pair.publicKey);
    expect(byBase.path).toBe(pair.privatePath);
    expect(byBase.seed).toEqual(new Uint8Array(readFileSync(pair.privatePath)));
    expect(byBase.looseMode).toBe(false);
    expect(byBase.warning).toBeNull();
  });

  it('refuses the .public file with a hint', () => {
    expect(() => resolvePrivateKeyPath('/x/k.public')).toThrow(/is the public half; pass the key's BASE name or BASE.private/);
  });

  it('names a missing file and a file of the wrong size', async () => {
    await expect(readPrivateKey(join(dir, 'none'))).rejects.toThrow(`private key file not found: ${join(dir, 'none')}.private`);
    writeFileSync(join(dir, 'short.private'), Buffer.alloc(31));
    await expect(readPrivateKey(join(dir, 'short'))).rejects.toThrow(/short\.private is 31 bytes; a private key file holds exactly 32 raw bytes/);
    writeFileSync(join(dir, 'hex.private'), `${'ab'.repeat(32)}\n`);
    await expect(readPrivateKey(join(dir, 'hex'))).rejects.toThrow(/is 65 bytes/);
  });

  it.skipIf(!POSIX)('warns when the private key file is readable by others', async () => {
    const pair = await generateKeyPair(join(dir, 'loose'));
    chmodSync(pair.privatePath, 0o644);
    const key = await readPrivateKey(pair.privatePath);
    expect(key.looseMode).toBe(true);
    expect(key.warning).toBe(`${pair.privatePath} is readable by other users (mode 0644); restrict it with \`chmod 600 ${pair.privatePath}\``);
    expect(key.publicKey).toBe(pair.publicKey);
  });
});

describe('readPublicKeyFile', () => {
  it('reads a .public file and validates it', async () => {
    const pair = await generateKeyPair(join(dir, 'p'));
    expect(await readPublicKeyFile(pair.publicPath)).toBe(pair.publicKey);
    writeFileSync(join(dir, 'bad.public'), 'abc\n');
    await expect(readPublicKeyFile(join(dir, 'bad.public'))).rejects.toThrow(/bad\.public: expected 64 hex characters \(32 bytes\), got 3/);
  });

  it('the shipped official key is a valid public key and nothing else', async () => {
    const path = fileURLToPath(new URL('../../resources/official-signing-key.public', import.meta.url));
    const text = readFileSync(path, 'utf8');
    expect(text).toMatch(/^[0-9a-f]{64}\n$/);
    expect(await readPublicKeyFile(path)).toBe(text.trim());
  });
});
