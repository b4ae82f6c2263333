// Checking an Ed25519 public key written as hex (DESIGN §7), shared by main (trusted keys, signature files) and the
// renderer (the live check in Settings → Trusted keys). Pure: @noble/ed25519 point decoding only, no I/O, no trust.
import { Point } from '@noble/ed25519';

export const PUBLIC_KEY_HEX_LENGTH = 64;

export type PublicKeyCheck = { ok: true; key: string } | { ok: false; error: string };

/** Why 32 bytes are not usable as an Ed25519 public key, or null when they are (strict RFC 8032 decoding). */
export function ed25519PointProblem(publicKey: Uint8Array): 'not-a-point' | 'small-order' | null {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) {
    throw new RangeError(`an Ed25519 public key must be 32 bytes, got ${publicKey instanceof Uint8Array ? publicKey.length : typeof publicKey}`);
  }
  let point: Point;
  try {
    point = Point.fromBytes(publicKey, false);
  } catch {
    return 'not-a-point';
  }
  return point.isSmallOrder() ? 'small-order' : null;
}

/**
 * Validates a public key written as hex (any case, surrounding whitespace ignored) and returns it lowercase.
 * Distinct errors for wrong length, non-hex characters, bytes that are not a curve point, and small-order points.
 */
export function checkPublicKeyHex(text: string): PublicKeyCheck {
  const hex = text.trim();
  if (hex.length !== PUBLIC_KEY_HEX_LENGTH) {
    return { ok: false, error: `expected ${PUBLIC_KEY_HEX_LENGTH} hex characters (32 bytes), got ${hex.length}` };
  }
  const bad = hex.search(/[^0-9a-fA-F]/);
  if (bad !== -1) {
    return { ok: false, error: `not hexadecimal: unexpected character ${JSON.stringify(hex[bad])} at position ${bad + 1}` };
  }
  const bytes = new Uint8Array(32);
  for (let i = 0; i < 32; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  const problem = ed25519PointProblem(bytes);
  if (problem === 'not-a-point') return { ok: false, error: 'not a valid Ed25519 public key: the bytes do not decode to a point on the curve' };
  if (problem === 'small-order') return { ok: false, error: 'not a usable Ed25519 public key: it is a small-order (weak) point' };
  return { ok: true, key: hex.toLowerCase() };
}
