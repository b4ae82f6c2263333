// The trusted-keys page's pure text helpers.
import { describe, expect, it } from 'vitest';
import { keyProblems, policySentence } from './trusted-keys-text';

describe('keyProblems', () => {
  // RFC 8032 TEST 1's public key: a valid point.
  const RFC_KEY = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';

  it('accepts a valid key in any case, ignoring surrounding spaces, and an empty field', () => {
    expect(keyProblems(` ${RFC_KEY.toUpperCase()} `)).toEqual([]);
    expect(keyProblems('')).toEqual([]);
  });

  it('refuses 64 hex characters that are not a usable Ed25519 point', () => {
    expect(keyProblems(`02${'00'.repeat(31)}`)).toEqual(['not a valid Ed25519 public key: the bytes do not decode to a point on the curve']);
    expect(keyProblems(`01${'00'.repeat(31)}`)).toEqual(['not a usable Ed25519 public key: it is a small-order (weak) point']);
  });

  it('names a wrong length and non-hex characters', () => {
    expect(keyProblems('abc')).toEqual(['a key is 64 hex characters (this is 3)']);
    expect(keyProblems('g'.repeat(64))).toEqual(['only hex characters (0–9, a–f) are allowed']);
    expect(keyProblems('xyz')).toHaveLength(2);
  });
});

describe('policySentence', () => {
  it('describes each of the three tiers differently', () => {
    const optional = policySentence({ requireSignature: false, allowSelfSigned: false });
    const selfSigned = policySentence({ requireSignature: true, allowSelfSigned: true });
    const trusted = policySentence({ requireSignature: true, allowSelfSigned: false });
    expect(optional).toMatch(/Unsigned plugins load/);
    expect(selfSigned).toMatch(/self-signed plugins are accepted/);
    expect(trusted).toMatch(/Only plugins signed by one of your trusted keys/);
    expect(policySentence({ requireSignature: false, allowSelfSigned: true })).toBe(optional);
  });
});
