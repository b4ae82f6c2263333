// The trusted-keys page's pure text helpers.
import { describe, expect, it } from 'vitest';
import { keyProblems, policySentence } from './trusted-keys-text';

describe('keyProblems', () => {
  it('accepts 64 hex characters in any case, ignoring surrounding spaces, and an empty field', () => {
    expect(keyProblems(` ${'aB'.repeat(32)} `)).toEqual([]);
    expect(keyProblems('')).toEqual([]);
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
