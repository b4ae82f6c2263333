// Browser mode's JSON encoding (src-shared/contract.ts encodeWire/decodeWire): what JSON cannot carry travels tagged
// and comes back unchanged, data never looks like a tag, and malformed tags are refused.
import TOML from '@iarna/toml';
import { describe, expect, it } from 'vitest';
import { decodeWire, encodeWire } from '../../src-shared/contract';

describe('encodeWire / decodeWire', () => {
  it('round-trips plain JSON values unchanged', () => {
    const value = { id: 1, call: 'config.save', args: [{ a: [1, 'two', null, true, { b: 2.5 }] }] };
    expect(encodeWire(value)).toBe(JSON.stringify(value));
    expect(decodeWire(encodeWire(value))).toEqual(value);
  });

  it('tags bigint and Date values, and revives them', () => {
    const text = encodeWire({ big: 2n ** 64n, neg: -5n, when: new Date('2024-05-01T10:00:00.000Z'), list: [1n] });
    expect(text).toBe('{"big":{"$bigint":"18446744073709551616"},"neg":{"$bigint":"-5"},"when":{"$date":"2024-05-01T10:00:00.000Z"},"list":[{"$bigint":"1"}]}');
    expect(decodeWire(text)).toEqual({ big: 2n ** 64n, neg: -5n, when: new Date('2024-05-01T10:00:00.000Z'), list: [1n] });
    expect(decodeWire(encodeWire(7n))).toBe(7n);
  });

  it('keeps TOML local dates and times as they were written (the writer prints toISOString)', () => {
    const doc = TOML.parse('d = 1979-05-27\nt = 07:32:00.250\ndt = 1979-05-27T07:32:00.000\n') as Record<string, unknown>;
    const back = decodeWire(encodeWire(doc)) as Record<string, Date>;
    expect(encodeWire(doc)).toBe('{"d":{"$date":"1979-05-27"},"t":{"$date":"07:32:00.250"},"dt":{"$date":"1979-05-27T07:32:00.000"}}');
    expect(back.d).toBeInstanceOf(Date);
    expect([back.d?.toISOString(), back.t?.toISOString(), back.dt?.toISOString()]).toEqual(['1979-05-27', '07:32:00.250', '1979-05-27T07:32:00.000']);
    expect(back.d?.getTime()).toBe(Date.UTC(1979, 4, 27));
    expect(encodeWire(back)).toBe(encodeWire(doc));
  });

  it('escapes keys starting with $ so data never reads as a tag; keeps __proto__ a plain member', () => {
    const value = { $bigint: '5', nested: { $$x: 1, $date: 'x' }, plain: 1 };
    const text = encodeWire(value);
    expect(text).toBe('{"$$bigint":"5","nested":{"$$$x":1,"$$date":"x"},"plain":1}');
    expect(decodeWire(text)).toEqual(value);
    const proto = decodeWire('{"__proto__": {"polluted": true}, "$$a": 1}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(proto)).toEqual(['__proto__', '$a']);
  });

  it('refuses malformed tags and invalid dates become null', () => {
    expect(() => decodeWire('{"$bigint": "12x"}')).toThrow(SyntaxError);
    expect(() => decodeWire('{"$bigint": 12}')).toThrow(SyntaxError);
    expect(() => decodeWire('{"$date": "1979-05-27\\n[evil]"}')).toThrow(SyntaxError);
    expect(() => decodeWire(`{"$bigint": "${'9'.repeat(500)}"}`)).toThrow(SyntaxError);
    expect(() => decodeWire('{"a": ')).toThrow(SyntaxError);
    expect(encodeWire({ bad: new Date(Number.NaN) })).toBe('{"bad":null}');
  });
});
