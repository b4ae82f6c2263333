// Ed25519 for Conductor (DESIGN §7): sign, verify, derive, hex via @noble/ed25519 (public-key point checks, which
// the UI needs too, are in src-shared/public-key.ts).
// Never reads or writes files and never decides trust; verification is strict RFC 8032 (zip215: false).
import { getPublicKeyAsync, signAsync, verifyAsync } from '@noble/ed25519';

export const SEED_BYTES = 32;
export const PUBLIC_KEY_BYTES = 32;
export const SIGNATURE_BYTES = 64;

const HEX_RE = /^[0-9a-fA-F]*$/;

/** Lowercase hex of `bytes`. */
export function bytesToHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** True when `text` is an even-length string of hex digits (any case; empty counts). */
export function isHex(text: string): boolean {
  return text.length % 2 === 0 && HEX_RE.test(text);
}

/** Bytes of a hex string (any case). Throws a TypeError naming the problem when `text` is not even-length hex. */
export function hexToBytes(text: string): Uint8Array {
  if (!HEX_RE.test(text)) throw new TypeError('not hexadecimal: only the characters 0-9 and a-f are allowed');
  if (text.length % 2 !== 0) throw new TypeError(`hex has an odd number of characters (${text.length})`);
  return new Uint8Array(Buffer.from(text, 'hex'));
}

function requireLength(bytes: Uint8Array, length: number, what: string): void {
  if (!(bytes instanceof Uint8Array) || bytes.length !== length) {
    throw new RangeError(`${what} must be ${length} bytes, got ${bytes instanceof Uint8Array ? bytes.length : typeof bytes}`);
  }
}

/** The 32-byte public key of a 32-byte RFC 8032 secret seed. */
export async function ed25519PublicKey(seed: Uint8Array): Promise<Uint8Array> {
  requireLength(seed, SEED_BYTES, 'an Ed25519 seed');
  return getPublicKeyAsync(seed);
}

/** The 64-byte RFC 8032 signature of `message` by the key with this 32-byte seed (deterministic). */
export async function ed25519Sign(seed: Uint8Array, message: Uint8Array): Promise<Uint8Array> {
  requireLength(seed, SEED_BYTES, 'an Ed25519 seed');
  return signAsync(message, seed);
}

/**
 * Strict RFC 8032 verification (non-canonical encodings and small-order public keys are rejected).
 * Never throws: wrong lengths or undecodable points simply do not verify.
 */
export async function ed25519Verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): Promise<boolean> {
  if (!(signature instanceof Uint8Array) || signature.length !== SIGNATURE_BYTES) return false;
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== PUBLIC_KEY_BYTES) return false;
  try {
    return await verifyAsync(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}

/** Public-key point checks live in src-shared (the UI checks typed keys with them too). */
export { ed25519PointProblem } from '../../src-shared/public-key';
