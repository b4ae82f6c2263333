// Growable output buffer for WebAssembly bytes with minimal LEB128 encoders.
// Only appends what it is given; never interprets or validates the bytes it writes.

export class ByteWriter {
  private buffer: Uint8Array;
  private length = 0;

  constructor(initialCapacity = 1024) {
    this.buffer = new Uint8Array(Math.max(16, initialCapacity));
  }

  get size(): number {
    return this.length;
  }

  byte(value: number): this {
    this.reserve(1);
    this.buffer[this.length++] = value;
    return this;
  }

  bytes(values: Uint8Array | readonly number[]): this {
    this.reserve(values.length);
    this.buffer.set(values, this.length);
    this.length += values.length;
    return this;
  }

  /** Copies `source[start, end)`; short runs byte by byte (cheaper than a view and a native copy). */
  copy(source: Uint8Array, start: number, end: number): this {
    const length = end - start;
    this.reserve(length);
    const buffer = this.buffer;
    if (length <= 32) {
      let at = this.length;
      for (let i = start; i < end; i++) buffer[at++] = source[i] as number;
    } else {
      buffer.set(source.subarray(start, end), this.length);
    }
    this.length += length;
    return this;
  }

  u32(value: number): this {
    let rest = value >>> 0;
    do {
      const low = rest & 0x7f;
      rest >>>= 7;
      this.byte(rest === 0 ? low : low | 0x80);
    } while (rest !== 0);
    return this;
  }

  /** Signed LEB128 of a safe integer (the same bytes as s64 of the same value). */
  sleb(value: number): this {
    let rest = value;
    for (;;) {
      const low = rest & 0x7f;
      rest = Math.floor(rest / 128);
      const done = (rest === 0 && (low & 0x40) === 0) || (rest === -1 && (low & 0x40) !== 0);
      this.byte(done ? low : low | 0x80);
      if (done) return this;
    }
  }

  s64(value: bigint): this {
    let rest = BigInt.asIntN(64, value);
    for (;;) {
      const low = Number(rest & 0x7fn);
      rest >>= 7n;
      const done = (rest === 0n && (low & 0x40) === 0) || (rest === -1n && (low & 0x40) !== 0);
      this.byte(done ? low : low | 0x80);
      if (done) return this;
    }
  }

  /** A length-prefixed UTF-8 string. */
  name(value: string): this {
    const encoded = new TextEncoder().encode(value);
    return this.u32(encoded.length).bytes(encoded);
  }

  /** A section: id, byte size, content. */
  section(id: number, content: Uint8Array): this {
    return this.byte(id).u32(content.length).bytes(content);
  }

  /** Forgets the content, keeping the capacity. */
  reset(): void {
    this.length = 0;
  }

  /** The bytes written so far (a copy-free view, valid until the next write or reset). */
  finish(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    let capacity = this.buffer.length * 2;
    while (capacity < this.length + extra) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }
}
