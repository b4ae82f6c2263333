// Cross-implementation check against the openssl binary (a process, hence integration): openssl verifies our
// signature, we verify openssl's, and openssl signs exactly like us. Skipped, saying why, without an Ed25519 openssl.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cFixture } from '../../plugins/fixtures';
import { generateKeyPair } from './keys';
import { signPlugin, verifySignature, type SignatureFile } from './signature';

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

function sha256(bytes: Uint8Array): Buffer {
  return createHash('sha256').update(bytes).digest();
}

function text(sig: unknown): string {
  return JSON.stringify(sig, null, 2);
}

/** Whether this machine's openssl can do raw Ed25519 signing (`pkeyutl -sign -rawin`). */
function opensslEd25519(): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'conductor-openssl-probe-'));
  try {
    writeFileSync(join(dir, 'k.der'), Buffer.concat([PKCS8_ED25519_PREFIX, Buffer.alloc(32, 7)]));
    writeFileSync(join(dir, 'm.bin'), Buffer.alloc(32, 1));
    execFileSync('openssl', ['pkeyutl', '-sign', '-rawin', '-keyform', 'DER', '-inkey', join(dir, 'k.der'), '-in', join(dir, 'm.bin'), '-out', join(dir, 's.bin')], {
      stdio: 'ignore',
    });
    return readFileSync(join(dir, 's.bin')).length === 64;
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const HAS_OPENSSL = opensslEd25519();

let dir: string;
let wasm: Uint8Array;
let keyBase: string;
let good: SignatureFile;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'conductor-openssl-'));
  const wasmPath = join(dir, 'good.wasm');
  copyFileSync(cFixture('good'), wasmPath);
  wasm = new Uint8Array(readFileSync(wasmPath));
  keyBase = join(dir, 'keys', 'dev');
  await generateKeyPair(keyBase);
  good = await signPlugin(wasmPath, keyBase, { name: 'Ada Dev', email: 'ada@example.com' }, new Date('2025-06-01T12:34:56.789Z'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const opensslTitle = HAS_OPENSSL
  ? "openssl verifies our signature, we verify openssl's, and openssl signs exactly like us"
  : 'openssl interop — SKIPPED: no openssl binary with Ed25519 `pkeyutl -sign -rawin` on this machine';
it.skipIf(!HAS_OPENSSL)(opensslTitle, async () => {
  const work = join(dir, 'openssl');
  mkdirSync(work, { recursive: true });
  const digestFile = join(work, 'digest.bin');
  writeFileSync(digestFile, sha256(wasm));

  // Ours → openssl.
  writeFileSync(join(work, 'ours.pub.der'), Buffer.concat([SPKI_ED25519_PREFIX, Buffer.from(good.public_key, 'hex')]));
  writeFileSync(join(work, 'ours.sig'), Buffer.from(good.signature, 'hex'));
  const ok = execFileSync(
    'openssl',
    ['pkeyutl', '-verify', '-pubin', '-keyform', 'DER', '-inkey', join(work, 'ours.pub.der'), '-rawin', '-in', digestFile, '-sigfile', join(work, 'ours.sig')],
    { encoding: 'utf8' },
  );
  expect(ok).toMatch(/Signature Verified Successfully/);

  // openssl's own key and signature → ours.
  const keyFile = join(work, 'theirs.der');
  execFileSync('openssl', ['genpkey', '-algorithm', 'ed25519', '-outform', 'DER', '-out', keyFile]);
  const pub = execFileSync('openssl', ['pkey', '-inform', 'DER', '-in', keyFile, '-pubout', '-outform', 'DER']).subarray(-32).toString('hex');
  execFileSync('openssl', ['pkeyutl', '-sign', '-rawin', '-keyform', 'DER', '-inkey', keyFile, '-in', digestFile, '-out', join(work, 'theirs.sig')]);
  const sig: SignatureFile = {
    ...good,
    public_key: pub,
    signature: readFileSync(join(work, 'theirs.sig')).toString('hex'),
    developer: { name: 'OpenSSL', email: '' },
  };
  expect(await verifySignature(wasm, text(sig))).toMatchObject({ status: 'valid', signer: { publicKey: pub, name: 'OpenSSL' } });

  // openssl signing with our private key file gives our exact (deterministic) signature.
  writeFileSync(join(work, 'ours.der'), Buffer.concat([PKCS8_ED25519_PREFIX, readFileSync(`${keyBase}.private`)]));
  execFileSync('openssl', ['pkeyutl', '-sign', '-rawin', '-keyform', 'DER', '-inkey', join(work, 'ours.der'), '-in', digestFile, '-out', join(work, 'again.sig')]);
  expect(readFileSync(join(work, 'again.sig')).toString('hex')).toBe(good.signature);
});
