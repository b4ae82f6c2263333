// Bounds-checked cursor over WebAssembly bytes: fixed-size values, LEB128 integers, UTF-8 names.
// Never reads past its end, never accepts overlong or out-of-range LEB128, never throws anything but WasmLoadError.

import { WasmLoadError } from './types';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export class ByteReader {
  pos: number;

  /**
   * @param bytes the whole module (offsets in messages are absolute)
   * @param pos first byte to read
   * @param end one past the last byte this reader may read
   * @param context what is being read, for messages, e.g. "section 2 (import)"
   */
  constructor(
    readonly bytes: Uint8Array,
    pos: number,
    readonly end: number,
    readonly context: string,
  ) {
    this.pos = pos;
  }

  atEnd(): boolean {
    return this.pos >= this.end;
  }

  u8(): number {
    if (this.pos >= this.end) this.truncated();
    return this.bytes[this.pos++] as number;
  }

  /** Returns a view of the next `length` bytes and moves past them. */
  take(length: number): Uint8Array {
    if (length > this.end - this.pos) this.truncated();
    const view = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    return view;
  }

  u32(): number {
    const first = this.pos < this.end ? (this.bytes[this.pos] as number) : 0x80;
    if (first < 0x80) {
      this.pos++;
      return first;
    }
    return this.leb(32, false);
  }

  s32(): number {
    return this.leb(32, true);
  }

  /** Signed 33-bit integer, the encoding of block types. */
  s33(): number {
    return this.leb(33, true);
  }

  s64(): bigint {
    return this.leb64(true);
  }

  u64(): bigint {
    return this.leb64(false);
  }

  /** A length-prefixed UTF-8 string. */
  name(): string {
    const start = this.pos;
    const bytes = this.take(this.u32());
    try {
      return utf8.decode(bytes);
    } catch {
      return this.fail('invalid UTF-8 in name', start);
    }
  }

  /** Throws "malformed module: <what> in <context> at byte offset <offset>". */
  fail(what: string, offset = this.pos): never {
    throw new WasmLoadError(`malformed module: ${what} in ${this.context} at byte offset ${offset}`);
  }

  /** Throws "<what> in <context> at byte offset <offset>" for valid-looking input this reader does not support. */
  unsupported(what: string, offset = this.pos): never {
    throw new WasmLoadError(`${what} in ${this.context} at byte offset ${offset}`);
  }

  truncated(): never {
    throw new WasmLoadError(`malformed module: ${this.context} truncated at byte offset ${this.end}`);
  }

  /** LEB128 of at most 33 bits; exact in a double. */
  private leb(bits: number, signed: boolean): number {
    const start = this.pos;
    const maxBytes = Math.ceil(bits / 7);
    let result = 0;
    let scale = 1;
    for (let i = 0; i < maxBytes; i++) {
      const byte = this.u8();
      if (i === maxBytes - 1) this.checkLastByte(byte, bits - 7 * i, signed, start, maxBytes);
      result += (byte & 0x7f) * scale;
      scale *= 128;
      if ((byte & 0x80) === 0) return signed && (byte & 0x40) !== 0 ? result - scale : result;
    }
    return this.fail('overlong LEB128 integer', start);
  }

  private leb64(signed: boolean): bigint {
    const start = this.pos;
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      const byte = this.u8();
      if (i === 9) this.checkLastByte(byte, 64 - 63, signed, start, 10);
      result |= BigInt(byte & 0x7f) << shift;
      shift += 7n;
      if ((byte & 0x80) === 0) {
        return signed && (byte & 0x40) !== 0 ? result - (1n << shift) : result;
      }
    }
    return this.fail('overlong LEB128 integer', start);
  }

  /** The last allowed byte may not continue, and its bits above `usedBits` must be zero (or sign copies). */
  private checkLastByte(byte: number, usedBits: number, signed: boolean, start: number, maxBytes: number): void {
    if ((byte & 0x80) !== 0) this.fail(`overlong LEB128 integer (more than ${maxBytes} bytes)`, start);
    const unusedMask = 0x7f & ~((1 << usedBits) - 1);
    const negative = signed && (byte & (1 << (usedBits - 1))) !== 0;
    if ((byte & unusedMask) !== (negative ? unusedMask : 0)) this.fail('LEB128 integer out of range', start);
  }
}
