// ByteReader/ByteWriter: LEB128 limits (overlong, out of range, truncated), padding, UTF-8 names.
// Pure byte-level checks; never touches a WebAssembly engine.

import { describe, expect, it } from 'vitest';
import { ByteReader } from './byte-reader';
import { ByteWriter } from './byte-writer';
import { WasmLoadError } from './types';

function reader(...bytes: number[]): ByteReader {
  const data = Uint8Array.from(bytes);
  return new ByteReader(data, 0, data.length, 'test input');
}

describe('ByteReader LEB128', () => {
  it('decodes minimal and padded unsigned 32-bit values', () => {
    expect(reader(0x00).u32()).toBe(0);
    expect(reader(0xe5, 0x8e, 0x26).u32()).toBe(624_485);
    expect(reader(0xff, 0xff, 0xff, 0xff, 0x0f).u32()).toBe(0xffff_ffff);
    // Padding with continuation bytes is allowed up to the maximum length.
    expect(reader(0x80, 0x80, 0x80, 0x80, 0x00).u32()).toBe(0);
  });

  it('rejects an unsigned 32-bit value longer than 5 bytes as overlong', () => {
    expect(() => reader(0x80, 0x80, 0x80, 0x80, 0x80, 0x00).u32()).toThrow(
      'malformed module: overlong LEB128 integer (more than 5 bytes) in test input at byte offset 0',
    );
  });

  it('rejects unused high bits in the last byte as out of range', () => {
    expect(() => reader(0xff, 0xff, 0xff, 0xff, 0x1f).u32()).toThrow('LEB128 integer out of range');
    expect(() => reader(0xff, 0xff, 0xff, 0xff, 0x4f).s32()).toThrow('LEB128 integer out of range');
  });

  it('reports truncation at the end of the readable range', () => {
    expect(() => reader(0x80, 0x80).u32()).toThrow('malformed module: test input truncated at byte offset 2');
  });

  it('decodes signed 32-bit and 33-bit extremes', () => {
    expect(reader(0x7f).s32()).toBe(-1);
    expect(reader(0x80, 0x80, 0x80, 0x80, 0x78).s32()).toBe(-(2 ** 31));
    expect(reader(0xff, 0xff, 0xff, 0xff, 0x07).s32()).toBe(2 ** 31 - 1);
    expect(reader(0xff, 0xff, 0xff, 0xff, 0x0f).s33()).toBe(2 ** 32 - 1);
    expect(() => reader(0xff, 0xff, 0xff, 0xff, 0x0f).s32()).toThrow(WasmLoadError);
  });

  it('round-trips 64-bit values through the writer', () => {
    const values = [0n, 1n, -1n, 63n, 64n, -64n, -65n, 2n ** 63n - 1n, -(2n ** 63n), 1_234_567_890_123n];
    for (const value of values) {
      const bytes = new ByteWriter().s64(value).finish();
      expect(new ByteReader(bytes, 0, bytes.length, 'x').s64()).toBe(value);
    }
    expect(reader(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01).u64()).toBe(2n ** 64n - 1n);
    expect(() => reader(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02).u64()).toThrow('out of range');
  });

  it('round-trips unsigned 32-bit values through the writer', () => {
    for (const value of [0, 127, 128, 16_383, 16_384, 2 ** 31, 2 ** 32 - 1]) {
      const bytes = new ByteWriter().u32(value).finish();
      expect(new ByteReader(bytes, 0, bytes.length, 'x').u32()).toBe(value);
    }
  });

  it('writes signed LEB128 from numbers exactly as from bigints', () => {
    const values = [0, 1, 63, 64, -1, -64, -65, 8191, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), 2 ** 40 + 5, -(2 ** 40) - 3, Number.MAX_SAFE_INTEGER];
    for (const value of values) {
      expect(Array.from(new ByteWriter().sleb(value).finish())).toEqual(Array.from(new ByteWriter().s64(BigInt(value)).finish()));
    }
  });

  it('copies byte ranges of any length', () => {
    const source = Uint8Array.from({ length: 100 }, (_, i) => i);
    for (const [start, end] of [[0, 0], [3, 10], [5, 37], [0, 100]] as const) {
      const written = new ByteWriter(16).byte(0xff).copy(source, start, end).finish();
      expect(Array.from(written)).toEqual([0xff, ...source.subarray(start, end)]);
    }
  });

  it('rejects names that are not UTF-8', () => {
    expect(reader(0x02, 0x61, 0x62).name()).toBe('ab');
    expect(() => reader(0x02, 0xc3, 0x28).name()).toThrow('invalid UTF-8 in name in test input at byte offset 0');
  });
});
