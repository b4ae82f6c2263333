// Test helper: a WasiPreview1 over a real temp data directory and a real WebAssembly.Memory, driven call by call.
// Never used by production code; never touches anything but its own mkdtemp directory.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rights } from '../constants';
import { WasiPreview1, type WasiOptions } from '../index';
import type { Preview1Function } from '../../../common/import-catalogue';

/** The WebAssembly JS API as the tests use it (the project's TS config declares no global WebAssembly types). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(deltaPages: number): number;
}
interface WasmInstance {
  exports: Record<string, unknown>;
}
interface WasmApi {
  Memory: new (desc: { initial: number; maximum?: number }) => WasmMemory;
  instantiate(bytes: Uint8Array, imports: Record<string, Record<string, unknown>>): Promise<{ instance: WasmInstance }>;
}
export const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

export const ALL_RIGHTS = (1n << 30n) - 1n;
const READISH = Rights.FD_READ | Rights.FD_READDIR;
const WRITEISH = Rights.FD_WRITE | Rights.FD_DATASYNC | Rights.FD_ALLOCATE | Rights.FD_FILESTAT_SET_SIZE;

export interface OpenOptions {
  read?: boolean;
  write?: boolean;
  create?: boolean;
  excl?: boolean;
  trunc?: boolean;
  directory?: boolean;
  append?: boolean;
  follow?: boolean;
  dirFd?: number;
}

export interface Stat {
  dev: bigint;
  ino: bigint;
  filetype: number;
  nlink: bigint;
  size: bigint;
  atim: bigint;
  mtim: bigint;
}

export const SECRET = 'TOP SECRET: host data outside the sandbox';

/**
 * Layout on disk: <tmp>/secret.txt, <tmp>/outside-dir/inner.txt and the data directory <tmp>/data (the guest's "/").
 */
export class Guest {
  readonly top: string;
  readonly root: string;
  readonly secretPath: string;
  readonly wasi: WasiPreview1;
  readonly memory: WasmMemory;
  readonly stdout: Uint8Array[] = [];
  readonly stderr: Uint8Array[] = [];
  private heap = 1024;

  constructor(opts: Partial<WasiOptions> & { noFilesystem?: boolean; prepare?: (root: string, top: string) => void } = {}) {
    this.top = mkdtempSync(join(tmpdir(), 'conductor-wasi-'));
    this.root = join(this.top, 'data');
    this.secretPath = join(this.top, 'secret.txt');
    writeFileSync(this.secretPath, SECRET);
    mkdirSync(join(this.top, 'outside-dir'));
    writeFileSync(join(this.top, 'outside-dir', 'inner.txt'), 'outside inner');
    mkdirSync(this.root);
    opts.prepare?.(this.root, this.top);
    this.wasi = new WasiPreview1({
      dataDir: opts.noFilesystem ? null : this.root,
      stdout: (c) => this.stdout.push(c),
      stderr: (c) => this.stderr.push(c),
      ...opts,
    });
    this.memory = new wasm.Memory({ initial: 4, maximum: 16 });
    this.wasi.bindMemory(this.memory);
  }

  cleanup(): void {
    this.wasi.dispose();
    rmSync(this.top, { recursive: true, force: true });
  }

  /** Calls an import the way the engine would (i32 as number, i64 as bigint) and returns the errno. */
  call(name: Preview1Function, ...args: (number | bigint)[]): number {
    const fn = this.wasi.imports[name] as (...a: (number | bigint)[]) => number;
    return fn(...args);
  }

  bytes(): Uint8Array {
    return new Uint8Array(this.memory.buffer);
  }

  view(): DataView {
    return new DataView(this.memory.buffer);
  }

  alloc(size: number, align = 8): number {
    this.heap = Math.ceil(this.heap / align) * align;
    if (this.heap + size > this.memory.buffer.byteLength) this.heap = 1024;
    const ptr = this.heap;
    this.heap += size;
    this.bytes().fill(0, ptr, ptr + size);
    return ptr;
  }

  /** Copies bytes/text into guest memory: [ptr, len]. */
  put(data: string | Uint8Array): [number, number] {
    const raw = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    const ptr = this.alloc(raw.byteLength, 1);
    this.bytes().set(raw, ptr);
    return [ptr, raw.byteLength];
  }

  u32(ptr: number): number {
    return this.view().getUint32(ptr, true);
  }

  u64(ptr: number): bigint {
    return this.view().getBigUint64(ptr, true);
  }

  text(ptr: number, len: number): string {
    return new TextDecoder().decode(this.bytes().slice(ptr, ptr + len));
  }

  /** path_open the way wasi-libc does: all rights except those contradicting the access mode. */
  open(path: string, o: OpenOptions = {}): { errno: number; fd: number } {
    const read = o.read ?? !o.write;
    let base = ALL_RIGHTS & ~(READISH | WRITEISH);
    if (read) base |= READISH;
    if (o.write) base |= WRITEISH;
    const oflags = (o.create ? 1 : 0) | (o.directory ? 2 : 0) | (o.excl ? 4 : 0) | (o.trunc ? 8 : 0);
    const [p, len] = this.put(path);
    const out = this.alloc(4);
    const errno = this.call('path_open', o.dirFd ?? 3, o.follow === false ? 0 : 1, p, len, oflags, base, ALL_RIGHTS, o.append ? 1 : 0, out);
    return { errno, fd: errno === 0 ? this.u32(out) : -1 };
  }

  write(fd: number, data: string | Uint8Array): { errno: number; n: number } {
    const [p, len] = this.put(data);
    const iov = this.alloc(8);
    this.view().setUint32(iov, p, true);
    this.view().setUint32(iov + 4, len, true);
    const out = this.alloc(4);
    const errno = this.call('fd_write', fd, iov, 1, out);
    return { errno, n: errno === 0 ? this.u32(out) : 0 };
  }

  read(fd: number, max = 4096): { errno: number; text: string } {
    const buf = this.alloc(max, 1);
    const iov = this.alloc(8);
    this.view().setUint32(iov, buf, true);
    this.view().setUint32(iov + 4, max, true);
    const out = this.alloc(4);
    const errno = this.call('fd_read', fd, iov, 1, out);
    return { errno, text: errno === 0 ? this.text(buf, this.u32(out)) : '' };
  }

  /** Opens read-only, reads everything, closes. */
  readFile(path: string, o: OpenOptions = {}): { errno: number; text: string } {
    const { errno, fd } = this.open(path, o);
    if (errno !== 0) return { errno, text: '' };
    const r = this.read(fd, 16384);
    this.call('fd_close', fd);
    return r;
  }

  /** Creates/truncates and writes, closes. */
  writeFile(path: string, data: string, o: OpenOptions = {}): number {
    const { errno, fd } = this.open(path, { write: true, create: true, trunc: true, ...o });
    if (errno !== 0) return errno;
    const w = this.write(fd, data);
    this.call('fd_close', fd);
    return w.errno;
  }

  /** A one-path call: (fd, path, len). */
  pathCall(name: 'path_create_directory' | 'path_remove_directory' | 'path_unlink_file', path: string, dirFd = 3): number {
    const [p, len] = this.put(path);
    return this.call(name, dirFd, p, len);
  }

  rename(from: string, to: string): number {
    const [a, al] = this.put(from);
    const [b, bl] = this.put(to);
    return this.call('path_rename', 3, a, al, 3, b, bl);
  }

  symlink(target: string, path: string): number {
    const [a, al] = this.put(target);
    const [b, bl] = this.put(path);
    return this.call('path_symlink', a, al, 3, b, bl);
  }

  link(from: string, to: string, follow = false): number {
    const [a, al] = this.put(from);
    const [b, bl] = this.put(to);
    return this.call('path_link', 3, follow ? 1 : 0, a, al, 3, b, bl);
  }

  readlink(path: string): { errno: number; target: string } {
    const [p, len] = this.put(path);
    const buf = this.alloc(512, 1);
    const used = this.alloc(4);
    const errno = this.call('path_readlink', 3, p, len, buf, 512, used);
    return { errno, target: errno === 0 ? this.text(buf, this.u32(used)) : '' };
  }

  stat(path: string, follow = true, dirFd = 3): { errno: number; stat: Stat | null } {
    const [p, len] = this.put(path);
    const buf = this.alloc(64);
    const errno = this.call('path_filestat_get', dirFd, follow ? 1 : 0, p, len, buf);
    return { errno, stat: errno === 0 ? this.readStat(buf) : null };
  }

  fstat(fd: number): { errno: number; stat: Stat | null } {
    const buf = this.alloc(64);
    const errno = this.call('fd_filestat_get', fd, buf);
    return { errno, stat: errno === 0 ? this.readStat(buf) : null };
  }

  readStat(ptr: number): Stat {
    return {
      dev: this.u64(ptr),
      ino: this.u64(ptr + 8),
      filetype: this.bytes()[ptr + 16] ?? -1,
      nlink: this.u64(ptr + 24),
      size: this.u64(ptr + 32),
      atim: this.u64(ptr + 40),
      mtim: this.u64(ptr + 48),
    };
  }

  /** All entries of a directory fd via fd_readdir with a buffer of `bufSize` bytes, following cookies. */
  readdir(fd: number, bufSize = 4096): { errno: number; entries: { name: string; type: number; ino: bigint }[] } {
    const entries: { name: string; type: number; ino: bigint }[] = [];
    let cookie = 0n;
    for (;;) {
      const buf = this.alloc(bufSize);
      const used = this.alloc(4);
      const errno = this.call('fd_readdir', fd, buf, bufSize, cookie, used);
      if (errno !== 0) return { errno, entries };
      const n = this.u32(used);
      let at = 0;
      while (at + 24 <= n) {
        const namlen = this.u32(buf + at + 16);
        if (at + 24 + namlen > n) break; // cut short: ask again from this entry's cookie
        entries.push({ name: this.text(buf + at + 24, namlen), type: this.bytes()[buf + at + 20] ?? -1, ino: this.u64(buf + at + 8) });
        cookie = this.u64(buf + at);
        at += 24 + namlen;
      }
      if (n < bufSize) return { errno: 0, entries };
      if (at === 0) throw new Error(`fd_readdir buffer of ${bufSize} bytes cannot hold one entry`);
    }
  }
}
