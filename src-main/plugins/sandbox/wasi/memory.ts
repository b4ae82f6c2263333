// Bounds-checked access to the guest's linear memory for the WASI imports (pointers, iovecs, strings).
// Never reads or writes outside the current memory: an out-of-range pointer/length is ERRNO_FAULT, not a RangeError.

import { Errno, WasiError, ensure } from './errno';
import { Size } from './constants';

/** The part of a WebAssembly.Memory this module needs (its buffer is replaced when the memory grows). */
export interface MemoryLike {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
}

/** One guest buffer: byte offset and length, both already bounds-checked. */
export interface GuestSpan {
  ptr: number;
  len: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export class GuestMemory {
  private memory: MemoryLike | null = null;

  bind(memory: MemoryLike): void {
    this.memory = memory;
  }

  /** A live view of ptr..ptr+len; re-fetch after anything that may grow the memory. */
  bytes(ptr: number, len: number): Uint8Array {
    const all = this.all();
    const start = ptr >>> 0;
    const length = len >>> 0;
    ensure(start + length <= all.byteLength, Errno.FAULT);
    return all.subarray(start, start + length);
  }

  /** Throws ERRNO_FAULT unless ptr..ptr+len lies inside the memory. */
  check(ptr: number, len: number): void {
    this.bytes(ptr, len);
  }

  getU8(ptr: number): number {
    return this.view(ptr, 1).getUint8(0);
  }

  getU16(ptr: number): number {
    return this.view(ptr, 2).getUint16(0, true);
  }

  getU32(ptr: number): number {
    return this.view(ptr, 4).getUint32(0, true);
  }

  getU64(ptr: number): bigint {
    return this.view(ptr, 8).getBigUint64(0, true);
  }

  setU8(ptr: number, value: number): void {
    this.view(ptr, 1).setUint8(0, value);
  }

  setU16(ptr: number, value: number): void {
    this.view(ptr, 2).setUint16(0, value, true);
  }

  setU32(ptr: number, value: number): void {
    this.view(ptr, 4).setUint32(0, value >>> 0, true);
  }

  setU64(ptr: number, value: bigint): void {
    this.view(ptr, 8).setBigUint64(0, BigInt.asUintN(64, value), true);
  }

  /** Copies `data` into the guest at ptr (bounds-checked as a whole first). */
  write(ptr: number, data: Uint8Array): void {
    this.bytes(ptr, data.byteLength).set(data);
  }

  /** Decodes a UTF-8 string; invalid UTF-8 is ERRNO_ILSEQ. */
  readString(ptr: number, len: number): string {
    const raw = this.bytes(ptr, len);
    try {
      return utf8.decode(raw.slice()); // copy: TextDecoder refuses views of a SharedArrayBuffer
    } catch {
      throw new WasiError(Errno.ILSEQ);
    }
  }

  /** Reads an iovec/ciovec array and checks every buffer it names. */
  iovecs(ptr: number, count: number): GuestSpan[] {
    const n = count >>> 0;
    this.check(ptr, n * Size.IOVEC);
    const spans: GuestSpan[] = [];
    for (let i = 0; i < n; i++) {
      const at = (ptr >>> 0) + i * Size.IOVEC;
      const span = { ptr: this.getU32(at), len: this.getU32(at + 4) };
      this.check(span.ptr, span.len);
      spans.push(span);
    }
    return spans;
  }

  private view(ptr: number, len: number): DataView {
    const b = this.bytes(ptr, len);
    return new DataView(b.buffer, b.byteOffset, len);
  }

  private all(): Uint8Array {
    if (this.memory === null) throw new Error('WASI: guest memory is not bound (call bindMemory after instantiation)');
    return new Uint8Array(this.memory.buffer);
  }
}
