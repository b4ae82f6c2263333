// Signing key files and public-key text (DESIGN §7): BASE.private (raw 32-byte seed, 0600) and BASE.public (hex).
// Never overwrites an existing key file, never prints or logs a private key, and never decides trust.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { checkPublicKeyHex } from '../../src-shared/public-key';
import { SEED_BYTES, bytesToHex, ed25519PublicKey } from './ed25519';
import { errorCode, errorMessage } from '../../src-shared/errors';

/** A key file problem the user can fix (missing, wrong size, would overwrite…); the message says what and where. */
export class KeyFileError extends Error {
  override readonly name = 'KeyFileError';
}

export { checkPublicKeyHex, type PublicKeyCheck } from '../../src-shared/public-key';

export interface GeneratedKeyPair {
  /** Lowercase hex. */
  publicKey: string;
  privatePath: string;
  publicPath: string;
}

export function privateKeyPath(base: string): string {
  return `${base}.private`;
}

export function publicKeyPath(base: string): string {
  return `${base}.public`;
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return false;
    throw new KeyFileError(`cannot check ${path}: ${errorMessage(err)}`);
  }
}

/** Creates `path` exclusively (fails if anything is there, symlinks included) with `mode`, writes, fsyncs. */
async function createExclusive(path: string, data: string | Uint8Array, mode: number): Promise<void> {
  const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
  try {
    await handle.chmod(mode); // the umask may have narrowed or (rarely) not applied; be exact
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Generates a new Ed25519 key pair: `BASE.private` (raw 32-byte seed, mode 0600) and `BASE.public` (hex + newline).
 * Refuses, with a KeyFileError, when either file already exists; creates missing parent directories.
 */
export async function generateKeyPair(base: string): Promise<GeneratedKeyPair> {
  const privatePath = privateKeyPath(base);
  const publicPath = publicKeyPath(base);
  for (const path of [privatePath, publicPath]) {
    if (await exists(path)) throw new KeyFileError(`${path} already exists; refusing to overwrite a key file (choose another name or move it away first)`);
  }
  await mkdir(dirname(privatePath), { recursive: true });
  const seed = new Uint8Array(randomBytes(SEED_BYTES));
  const publicKey = bytesToHex(await ed25519PublicKey(seed));
  try {
    await createExclusive(privatePath, seed, 0o600);
  } catch (err) {
    if (errorCode(err) === 'EEXIST') throw new KeyFileError(`${privatePath} already exists; refusing to overwrite a key file`);
    throw new KeyFileError(`cannot create ${privatePath}: ${errorMessage(err)}`);
  } finally {
    seed.fill(0);
  }
  try {
    await createExclusive(publicPath, `${publicKey}\n`, 0o644);
  } catch (err) {
    await unlink(privatePath).catch(() => undefined); // no orphan private key without its public half
    if (errorCode(err) === 'EEXIST') throw new KeyFileError(`${publicPath} already exists; refusing to overwrite a key file`);
    throw new KeyFileError(`cannot create ${publicPath}: ${errorMessage(err)}`);
  }
  return { publicKey, privatePath, publicPath };
}

export interface PrivateKey {
  /** The raw 32-byte RFC 8032 seed. */
  seed: Uint8Array;
  /** Lowercase hex of the matching public key. */
  publicKey: string;
  /** The file that was read. */
  path: string;
  /** True on POSIX when group or others may access the file (mode looser than 0600). */
  looseMode: boolean;
  /** A sentence for the user when `looseMode`, else null. */
  warning: string | null;
}

/** Accepts `BASE` or `BASE.private` (a `BASE.public` path is refused with a hint). */
export function resolvePrivateKeyPath(baseOrPath: string): string {
  if (baseOrPath.endsWith('.private')) return baseOrPath;
  if (baseOrPath.endsWith('.public')) {
    throw new KeyFileError(`${baseOrPath} is the public half; pass the key's BASE name or BASE.private to sign`);
  }
  return privateKeyPath(baseOrPath);
}

/** Reads a private key file (exactly 32 raw bytes) and derives its public key; flags permissive file modes. */
export async function readPrivateKey(baseOrPath: string): Promise<PrivateKey> {
  const path = resolvePrivateKeyPath(baseOrPath);
  let mode: number;
  let bytes: Buffer;
  try {
    mode = (await stat(path)).mode;
    bytes = await readFile(path);
  } catch (err) {
    const code = errorCode(err);
    if (code === 'ENOENT') throw new KeyFileError(`private key file not found: ${path} (create one with \`conductor-sign generate-key BASE\`)`);
    throw new KeyFileError(`cannot read private key ${path}: ${errorMessage(err)}`);
  }
  if (bytes.length !== SEED_BYTES) {
    throw new KeyFileError(`${path} is ${bytes.length} bytes; a private key file holds exactly ${SEED_BYTES} raw bytes (an Ed25519 seed)`);
  }
  const seed = new Uint8Array(bytes);
  bytes.fill(0);
  const looseMode = process.platform !== 'win32' && (mode & 0o077) !== 0;
  const warning = looseMode
    ? `${path} is readable by other users (mode ${(mode & 0o777).toString(8).padStart(4, '0')}); restrict it with \`chmod 600 ${path}\``
    : null;
  return { seed, publicKey: bytesToHex(await ed25519PublicKey(seed)), path, looseMode, warning };
}

/** Reads a `.public` file (hex, whitespace ignored) and validates it; returns the lowercase hex. */
export async function readPublicKeyFile(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new KeyFileError(`cannot read public key ${path}: ${errorMessage(err)}`);
  }
  const check = checkPublicKeyHex(text);
  if (!check.ok) throw new KeyFileError(`${path}: ${check.error}`);
  return check.key;
}
