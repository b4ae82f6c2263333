// Words for Settings → Trusted keys: the live check of a typed public key and the policy in one sentence.
// Pure functions — no React, no store; main checks a key again before trusting it.
import { checkPublicKeyHex } from '../../src-shared/public-key';
import type { SignaturePolicy } from '../store/types';

/** Problems of a typed public key (64 hex characters, a valid Ed25519 point); empty when it is usable or empty. */
export function keyProblems(raw: string): string[] {
  const key = raw.trim();
  if (key === '') return [];
  const problems: string[] = [];
  if (/[^0-9a-fA-F]/.test(key)) problems.push('only hex characters (0–9, a–f) are allowed');
  if (key.length !== 64) problems.push(`a key is 64 hex characters (this is ${key.length})`);
  if (problems.length > 0) return problems;
  // The right shape: is it a usable point on the curve? (The same check main makes before trusting it.)
  const check = checkPublicKeyHex(key);
  return check.ok ? [] : [check.error];
}

export function policySentence(p: SignaturePolicy): string {
  if (!p.requireSignature) return 'Unsigned plugins load (development); signed ones are checked, and a broken signature blocks a plugin.';
  if (p.allowSelfSigned) return 'Only signed plugins load: signatures by trusted keys and self-signed plugins are accepted; unsigned plugins are blocked.';
  return 'Only plugins signed by one of your trusted keys load; unsigned and self-signed plugins are blocked.';
}
