// Signature files: exact format, cross-implementation (Node crypto; OpenSSL in openssl-interop.integration.test.ts),
// tampering, and every check in order.
import { createHash, createPrivateKey, createPublicKey, randomBytes, sign as nodeSign, verify as nodeVerify, type KeyObject } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cFixture } from '../../plugins/fixtures';
import { KeyFileError, generateKeyPair } from './keys';
import { SIGNATURE_CHECKS, SigningError, signPlugin, verifySignature, verifySignatureFile, type SignatureFile, type SignatureVerdict } from './signature';

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const NOT_A_POINT = `02${'00'.repeat(31)}`;

function nodePrivateKey(seed: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

function nodePublicKeyHex(key: KeyObject): string {
  return createPublicKey(key).export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
}

function nodePublicKeyObject(hex: string): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, Buffer.from(hex, 'hex')]), format: 'der', type: 'spki' });
}

function sha256(bytes: Uint8Array): Buffer {
  return createHash('sha256').update(bytes).digest();
}

/** A .sig made with Node's crypto only (no code of ours), in Conductor's format. */
function nodeSignatureFile(wasm: Uint8Array, seed: Uint8Array): SignatureFile {
  const key = nodePrivateKey(seed);
  const digest = sha256(wasm);
  return {
    version: 1,
    algorithm: 'Ed25519',
    plugin_hash: digest.toString('hex'),
    plugin_size: wasm.length,
    public_key: nodePublicKeyHex(key),
    signature: nodeSign(null, digest, key).toString('hex'),
    signed_at: '2025-03-01T10:00:00+01:00',
    developer: { name: 'Node Crypto', email: 'node@example.com' },
  };
}

function text(sig: unknown): string {
  return JSON.stringify(sig, null, 2);
}

/** Deterministic PRNG (mulberry32) so sampled positions are the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function expectInvalid(verdict: SignatureVerdict, check: string, message: RegExp | string): void {
  expect(verdict.status).toBe('invalid');
  if (verdict.status !== 'invalid') return;
  expect(verdict.failedCheck).toBe(check);
  if (typeof message === 'string') expect(verdict.message).toBe(message);
  else expect(verdict.message).toMatch(message);
}


let dir: string;
let wasmPath: string;
let wasm: Uint8Array;
let keyBase: string;
let publicKey: string;
let good: SignatureFile;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'conductor-sig-'));
  wasmPath = join(dir, 'good.wasm');
  copyFileSync(cFixture('good'), wasmPath);
  wasm = new Uint8Array(readFileSync(wasmPath));
  keyBase = join(dir, 'keys', 'dev');
  publicKey = (await generateKeyPair(keyBase)).publicKey;
  good = await signPlugin(wasmPath, keyBase, { name: 'Ada Dev', email: 'ada@example.com' }, new Date('2025-06-01T12:34:56.789Z'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('signPlugin', () => {
  it('writes PLUGIN.wasm.sig as pretty JSON with exactly the DESIGN §7 fields', () => {
    const written = readFileSync(`${wasmPath}.sig`, 'utf8');
    expect(written).toBe(`${JSON.stringify(good, null, 2)}\n`);
    expect(Object.keys(JSON.parse(written))).toEqual(['version', 'algorithm', 'plugin_hash', 'plugin_size', 'public_key', 'signature', 'signed_at', 'developer']);
    expect(good).toMatchObject({
      version: 1,
      algorithm: 'Ed25519',
      plugin_hash: sha256(wasm).toString('hex'),
      plugin_size: wasm.length,
      public_key: publicKey,
      signed_at: '2025-06-01T12:34:56Z',
      developer: { name: 'Ada Dev', email: 'ada@example.com' },
    });
    expect(good.signature).toMatch(/^[0-9a-f]{128}$/);
  });

  it('signs the 32 raw digest bytes (checked with Node crypto.verify), not the hex string', () => {
    const pub = nodePublicKeyObject(good.public_key);
    const sig = Buffer.from(good.signature, 'hex');
    expect(nodeVerify(null, sha256(wasm), pub, sig)).toBe(true);
    expect(nodeVerify(null, Buffer.from(good.plugin_hash, 'utf8'), pub, sig)).toBe(false);
    expect(nodeVerify(null, wasm, pub, sig)).toBe(false);
  });

  it('is deterministic and equal to what Node crypto produces from the same seed', () => {
    const seed = readFileSync(`${keyBase}.private`);
    const theirs = nodeSignatureFile(wasm, seed);
    expect(theirs.public_key).toBe(good.public_key);
    expect(theirs.signature).toBe(good.signature);
  });

  it('verifies with verifySignatureFile', async () => {
    expect(await verifySignatureFile(wasmPath)).toEqual({
      status: 'valid',
      signer: { publicKey, name: 'Ada Dev', email: 'ada@example.com', signedAt: '2025-06-01T12:34:56Z' },
      pluginHash: good.plugin_hash,
      pluginSize: wasm.length,
    });
  });

  it('refuses an empty developer name, a missing key and a missing plugin', async () => {
    await expect(signPlugin(wasmPath, keyBase, { name: '  ', email: '' })).rejects.toThrow(SigningError);
    await expect(signPlugin(wasmPath, join(dir, 'nokey'), { name: 'A', email: '' })).rejects.toThrow(KeyFileError);
    await expect(signPlugin(join(dir, 'missing.wasm'), keyBase, { name: 'A', email: '' })).rejects.toThrow(/cannot read plugin .*missing\.wasm/);
  });
});

describe('cross-implementation', () => {
  it('accepts a .sig made by Node crypto (any RFC 3339 signed_at, uppercase hex)', async () => {
    const seed = randomBytes(32);
    const sig = nodeSignatureFile(wasm, seed);
    const verdict = await verifySignature(wasm, text(sig));
    expect(verdict).toMatchObject({ status: 'valid', signer: { publicKey: sig.public_key, name: 'Node Crypto', signedAt: '2025-03-01T10:00:00+01:00' } });
    const upper = { ...sig, plugin_hash: sig.plugin_hash.toUpperCase(), public_key: sig.public_key.toUpperCase(), signature: sig.signature.toUpperCase() };
    expect(await verifySignature(wasm, text(upper))).toMatchObject({ status: 'valid', signer: { publicKey: sig.public_key } });
  });
});

describe('tampered plugin', () => {
  it('a single changed byte at 16 sampled positions fails the hash check', async () => {
    const random = prng(0xc0ffee);
    const positions = [0, 1, 8, wasm.length >> 1, wasm.length - 2, wasm.length - 1];
    while (positions.length < 16) positions.push(Math.floor(random() * wasm.length));
    const sigText = text(good);
    for (const pos of positions) {
      const copy = new Uint8Array(wasm);
      copy[pos] = (copy[pos] ?? 0) ^ 0xff;
      const verdict = await verifySignature(copy, sigText);
      expectInvalid(verdict, 'hash', /^plugin was modified after signing \(SHA-256 [0-9a-f]{64} ≠ [0-9a-f]{64} in the signature\)$/);
      if (verdict.status === 'invalid') expect(verdict.message).toContain(sha256(copy).toString('hex'));
    }
  });

  it('a longer or shorter plugin fails the size check first', async () => {
    const longer = new Uint8Array(wasm.length + 1);
    longer.set(wasm);
    expectInvalid(await verifySignature(longer, text(good)), 'size', `plugin is ${wasm.length + 1} bytes but the signature is for ${wasm.length} bytes`);
    expectInvalid(await verifySignature(wasm.subarray(1), text(good)), 'size', `plugin is ${wasm.length - 1} bytes but the signature is for ${wasm.length} bytes`);
  });

  it('the file on disk, modified after signing, is reported by verifySignatureFile', async () => {
    const path = join(dir, 'edited.wasm');
    writeFileSync(path, wasm);
    copyFileSync(`${wasmPath}.sig`, `${path}.sig`);
    expect((await verifySignatureFile(path)).status).toBe('valid');
    const copy = new Uint8Array(wasm);
    copy[100] = (copy[100] ?? 0) ^ 1;
    writeFileSync(path, copy);
    expectInvalid(await verifySignatureFile(path), 'hash', /modified after signing/);
  });
});

describe('corrupted signature file', () => {
  const variant = (patch: Record<string, unknown>): string => text({ ...good, ...patch });
  const without = (...fields: string[]): string => text(Object.fromEntries(Object.entries(good).filter(([k]) => !fields.includes(k))));

  it('lists the checks in the order they run', () => {
    expect(SIGNATURE_CHECKS).toEqual(['read', 'json', 'fields', 'version', 'algorithm', 'size', 'hash', 'public-key', 'signature-format', 'signature']);
  });

  it('no signature file → unsigned', async () => {
    expect(await verifySignature(wasm, null)).toEqual({ status: 'unsigned' });
  });

  it('json: not JSON, with the parser message', async () => {
    expectInvalid(await verifySignature(wasm, '{"version": 1,'), 'json', /^signature file is not valid JSON: .+/);
    expectInvalid(await verifySignature(wasm, ''), 'json', /not valid JSON/);
  });

  it('fields: not an object, and every missing or wrongly typed field named', async () => {
    expectInvalid(await verifySignature(wasm, '[1,2]'), 'fields', 'signature file must be a JSON object, got array');
    expectInvalid(await verifySignature(wasm, without('plugin_hash')), 'fields', 'signature file has missing or wrongly typed fields: plugin_hash (missing)');
    expectInvalid(
      await verifySignature(wasm, without('version', 'signature', 'developer')),
      'fields',
      'signature file has missing or wrongly typed fields: version (missing), signature (missing), developer (missing)',
    );
    expectInvalid(
      await verifySignature(wasm, variant({ plugin_size: '123', developer: { name: 'x', email: 5 }, signed_at: null })),
      'fields',
      'signature file has missing or wrongly typed fields: plugin_size (expected a number, got string), signed_at (expected a string, got null), developer.email (expected a string, got number)',
    );
    expectInvalid(await verifySignature(wasm, variant({ plugin_size: 1.5 })), 'fields', /plugin_size \(expected a whole number of bytes, got 1\.5\)/);
    expectInvalid(await verifySignature(wasm, variant({ developer: 'Ada' })), 'fields', /developer \(expected an object, got string\)/);
    for (const field of Object.keys(good)) {
      expectInvalid(await verifySignature(wasm, without(field)), 'fields', new RegExp(`\\b${field} \\(missing\\)`));
    }
  });

  it('version and algorithm', async () => {
    expectInvalid(await verifySignature(wasm, variant({ version: 2 })), 'version', 'unsupported signature version 2 (this Conductor understands version 1)');
    expectInvalid(await verifySignature(wasm, variant({ algorithm: 'RSA' })), 'algorithm', 'unsupported signature algorithm "RSA" (expected "Ed25519")');
    expectInvalid(await verifySignature(wasm, variant({ algorithm: 'ed25519' })), 'algorithm', /"ed25519"/);
  });

  it('size and hash', async () => {
    expectInvalid(await verifySignature(wasm, variant({ plugin_size: wasm.length + 10 })), 'size', `plugin is ${wasm.length} bytes but the signature is for ${wasm.length + 10} bytes`);
    const otherHash = `${good.plugin_hash.slice(0, -1)}${good.plugin_hash.endsWith('0') ? '1' : '0'}`;
    expectInvalid(
      await verifySignature(wasm, variant({ plugin_hash: otherHash })),
      'hash',
      `plugin was modified after signing (SHA-256 ${good.plugin_hash} ≠ ${otherHash} in the signature)`,
    );
    expectInvalid(await verifySignature(wasm, variant({ plugin_hash: 'abc' })), 'hash', /^plugin_hash is not a SHA-256 \(expected 64 hex characters, got "abc"\)$/);
  });

  it('public-key: wrong length, not hex, not a point, another valid key', async () => {
    expectInvalid(await verifySignature(wasm, variant({ public_key: publicKey.slice(2) })), 'public-key', 'public_key: expected 64 hex characters (32 bytes), got 62');
    expectInvalid(await verifySignature(wasm, variant({ public_key: `zz${publicKey.slice(2)}` })), 'public-key', 'public_key: not hexadecimal: unexpected character "z" at position 1');
    expectInvalid(await verifySignature(wasm, variant({ public_key: NOT_A_POINT })), 'public-key', /^public_key: not a valid Ed25519 public key/);
    expectInvalid(await verifySignature(wasm, variant({ public_key: ` ${publicKey.slice(1)}` })), 'public-key', /^public_key: not hexadecimal/);
    const other = nodePublicKeyHex(nodePrivateKey(randomBytes(32)));
    expectInvalid(await verifySignature(wasm, variant({ public_key: other })), 'signature', `signature does not match: it was not made by the private key of ${other} for this plugin's SHA-256`);
  });

  it('signature-format and signature: wrong length, not hex, one flipped byte', async () => {
    expectInvalid(await verifySignature(wasm, variant({ signature: good.signature.slice(0, 126) })), 'signature-format', 'signature: expected 128 hex characters (64 bytes), got 126');
    expectInvalid(await verifySignature(wasm, variant({ signature: `${good.signature}00` })), 'signature-format', /got 130/);
    expectInvalid(
      await verifySignature(wasm, variant({ signature: `${good.signature.slice(0, 127)}x` })),
      'signature-format',
      'signature: not hexadecimal: unexpected character "x" at position 128',
    );
    for (const byte of [0, 31, 32, 63]) {
      const bytes = Buffer.from(good.signature, 'hex');
      bytes[byte] = (bytes[byte] ?? 0) ^ 0x10;
      expectInvalid(await verifySignature(wasm, variant({ signature: bytes.toString('hex') })), 'signature', /^signature does not match: /);
    }
  });

  it('reports the first failing check when several fail', async () => {
    const many = variant({ version: 2, algorithm: 'RSA', plugin_size: 1, plugin_hash: '00'.repeat(32), signature: 'nope' });
    expectInvalid(await verifySignature(wasm, many), 'version', /version 2/);
    expectInvalid(await verifySignature(wasm, variant({ plugin_size: 1, plugin_hash: '00'.repeat(32) })), 'size', /signature is for 1 bytes/);
    expectInvalid(await verifySignature(wasm, variant({ plugin_hash: '00'.repeat(32), public_key: 'x' })), 'hash', /modified after signing/);
    expectInvalid(await verifySignature(wasm, variant({ public_key: 'x', signature: 'y' })), 'public-key', /got 1$/);
  });

  it('tolerates a UTF-8 byte order mark and extra unknown fields', async () => {
    expect((await verifySignature(wasm, `\uFEFF${variant({ comment: 'extra' })}`)).status).toBe('valid');
  });
});

describe('verifySignatureFile', () => {
  it('unsigned without a .sig; read errors for a directory or an oversized file', async () => {
    const path = join(dir, 'plain.wasm');
    writeFileSync(path, wasm);
    expect(await verifySignatureFile(path)).toEqual({ status: 'unsigned' });
    mkdirSync(`${path}.sig`);
    expectInvalid(await verifySignatureFile(path), 'read', /^cannot read .*plain\.wasm\.sig: /);
    rmSync(`${path}.sig`, { recursive: true });
    writeFileSync(`${path}.sig`, ' '.repeat(70_000));
    expectInvalid(await verifySignatureFile(path), 'read', /70000 bytes, more than a signature file can be/);
  });

  it('throws SigningError when the plugin itself is missing', async () => {
    await expect(verifySignatureFile(join(dir, 'nothing.wasm'))).rejects.toThrow(SigningError);
  });
});
