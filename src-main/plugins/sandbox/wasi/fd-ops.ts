// preview1 calls on open descriptors: read/write/seek/stat/sync/close/renumber/prestat (readdir lives in readdir.ts).
// Never touches a host file the guest did not open through the sandbox: only host fds held in the fd table.

import {
  fdatasyncSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  futimesSync,
  readSync,
  writeSync,
  type BigIntStats,
} from 'node:fs';
import { ADVICE_MAX, FDFLAGS_ALL, Fdflags, Fstflags, PREOPENTYPE_DIR, Rights, Size, Whence } from './constants';
import type { WasiContext } from './context';
import { Errno, WasiError, ensure } from './errno';
import { requireRights, type FdEntry, type FileEntry } from './fd-table';
import type { FsSandbox } from './fs-sandbox';
import type { GuestSpan } from './memory';
import { writeFdstat, writeFilestat } from './structs';

const encoder = new TextEncoder();

/** Most iovecs per call (POSIX IOV_MAX); more is EINVAL. */
export const MAX_IOVECS = 1024;
/** Most bytes moved by one read/write call (Linux's MAX_RW_COUNT); beyond it the call is short. */
const MAX_IO_BYTES = 0x7fff_f000;
/** Most bytes handed to the stdout/stderr callback per fd_write (one copy); beyond it the write is short. */
export const MAX_STDIO_CHUNK = 1 << 20;

/** The iovecs of a call, cut so that together they move at most `limit` bytes (aliasing iovecs included). */
function spansOf(ctx: WasiContext, iovs: number, iovsLen: number, limit = MAX_IO_BYTES): GuestSpan[] {
  ensure(iovsLen >>> 0 <= MAX_IOVECS, Errno.INVAL);
  const out: GuestSpan[] = [];
  let room = limit;
  for (const span of ctx.mem.iovecs(iovs, iovsLen)) {
    if (room === 0) break;
    const len = Math.min(span.len, room);
    out.push({ ptr: span.ptr, len });
    room -= len;
  }
  return out;
}

/** A u64 file offset/size as a safe JS number (ERRNO_FBIG beyond 2^53). */
export function toOffset(value: bigint): number {
  ensure(value >= 0n, Errno.INVAL);
  ensure(value <= BigInt(Number.MAX_SAFE_INTEGER), Errno.FBIG);
  return Number(value);
}

function asFile(entry: FdEntry): FileEntry {
  if (entry.kind === 'file') return entry;
  throw new WasiError(entry.kind === 'dir' ? Errno.ISDIR : Errno.SPIPE);
}

function fstat(entry: FileEntry): BigIntStats {
  return fstatSync(entry.hostFd, { bigint: true });
}

function readInto(ctx: WasiContext, hostFd: number, spans: GuestSpan[], position: bigint): number {
  let total = 0;
  for (const span of spans) {
    if (span.len === 0) continue;
    const got = readSync(hostFd, ctx.mem.bytes(span.ptr, span.len), 0, span.len, toOffset(position + BigInt(total)));
    total += got;
    if (got < span.len) break;
  }
  return total;
}

function writeFrom(ctx: WasiContext, hostFd: number, spans: GuestSpan[], position: bigint): number {
  let total = 0;
  for (const span of spans) {
    if (span.len === 0) continue;
    const put = writeSync(hostFd, ctx.mem.bytes(span.ptr, span.len), 0, span.len, toOffset(position + BigInt(total)));
    total += put;
    if (put < span.len) break;
  }
  return total;
}

/** One copy of everything the iovecs name (stdout/stderr chunks must not alias guest memory). */
function gather(ctx: WasiContext, spans: GuestSpan[]): Uint8Array {
  const out = new Uint8Array(spans.reduce((n, s) => n + s.len, 0));
  let at = 0;
  for (const span of spans) {
    out.set(ctx.mem.bytes(span.ptr, span.len), at);
    at += span.len;
  }
  return out;
}

function syncAfterWrite(entry: FileEntry): void {
  if (entry.fdflags & Fdflags.SYNC) fsyncSync(entry.hostFd);
  else if (entry.fdflags & Fdflags.DSYNC) fdatasyncSync(entry.hostFd);
}

/** New (atime, mtime) in seconds from fst_flags; fields not being set keep their current value. */
export function newTimes(ctx: WasiContext, current: BigIntStats, atim: bigint, mtim: bigint, flags: number): [number, number] {
  ensure((flags & ~0xf) === 0, Errno.INVAL);
  ensure((flags & (Fstflags.ATIM | Fstflags.ATIM_NOW)) !== (Fstflags.ATIM | Fstflags.ATIM_NOW), Errno.INVAL);
  ensure((flags & (Fstflags.MTIM | Fstflags.MTIM_NOW)) !== (Fstflags.MTIM | Fstflags.MTIM_NOW), Errno.INVAL);
  const now = ctx.clock.realtime();
  const pick = (set: number, setNow: number, value: bigint, keep: bigint): bigint =>
    flags & setNow ? now : flags & set ? BigInt.asUintN(64, value) : keep;
  const a = pick(Fstflags.ATIM, Fstflags.ATIM_NOW, atim, current.atimeNs);
  const m = pick(Fstflags.MTIM, Fstflags.MTIM_NOW, mtim, current.mtimeNs);
  return [nsToSeconds(a), nsToSeconds(m)];
}

function nsToSeconds(ns: bigint): number {
  return Number(ns / 1000n) / 1e6;
}

export function fdImports(ctx: WasiContext) {
  const { mem, fds } = ctx;

  return {
    fd_read(fd: number, iovs: number, iovsLen: number, nreadPtr: number): number {
      const entry = fds.get(fd);
      requireRights(entry, Rights.FD_READ);
      const spans = spansOf(ctx, iovs, iovsLen);
      mem.check(nreadPtr, 4);
      let n = 0; // stdin is always at end of file
      if (entry.kind === 'file') {
        n = readInto(ctx, entry.hostFd, spans, entry.position);
        entry.position += BigInt(n);
      }
      mem.setU32(nreadPtr, n);
      return Errno.SUCCESS;
    },

    fd_write(fd: number, iovs: number, iovsLen: number, nwrittenPtr: number): number {
      const entry = fds.get(fd);
      requireRights(entry, Rights.FD_WRITE);
      const spans = spansOf(ctx, iovs, iovsLen, entry.kind === 'file' ? MAX_IO_BYTES : MAX_STDIO_CHUNK);
      mem.check(nwrittenPtr, 4);
      let n: number;
      if (entry.kind === 'file') {
        const at = entry.fdflags & Fdflags.APPEND ? fstat(entry).size : entry.position;
        n = writeFrom(ctx, entry.hostFd, spans, at);
        entry.position = at + BigInt(n);
        syncAfterWrite(entry);
      } else {
        const chunk = gather(ctx, spans);
        if (entry.kind === 'stderr') ctx.stderr(chunk);
        else ctx.stdout(chunk);
        n = chunk.byteLength;
      }
      mem.setU32(nwrittenPtr, n);
      return Errno.SUCCESS;
    },

    fd_pread(fd: number, iovs: number, iovsLen: number, offset: bigint, nreadPtr: number): number {
      const entry = fds.get(fd);
      requireRights(entry, Rights.FD_READ | Rights.FD_SEEK);
      const file = asFile(entry);
      const spans = spansOf(ctx, iovs, iovsLen);
      mem.check(nreadPtr, 4);
      mem.setU32(nreadPtr, readInto(ctx, file.hostFd, spans, BigInt.asUintN(64, offset)));
      return Errno.SUCCESS;
    },

    fd_pwrite(fd: number, iovs: number, iovsLen: number, offset: bigint, nwrittenPtr: number): number {
      const entry = fds.get(fd);
      requireRights(entry, Rights.FD_WRITE | Rights.FD_SEEK);
      const file = asFile(entry);
      const spans = spansOf(ctx, iovs, iovsLen);
      mem.check(nwrittenPtr, 4);
      const n = writeFrom(ctx, file.hostFd, spans, BigInt.asUintN(64, offset));
      syncAfterWrite(file);
      mem.setU32(nwrittenPtr, n);
      return Errno.SUCCESS;
    },

    fd_seek(fd: number, offset: bigint, whence: number, newOffsetPtr: number): number {
      const entry = fds.get(fd);
      ensure(entry.kind !== 'stdin' && entry.kind !== 'stdout' && entry.kind !== 'stderr', Errno.SPIPE);
      const tellOnly = offset === 0n && whence === Whence.CUR;
      requireRights(entry, tellOnly ? Rights.FD_TELL : Rights.FD_SEEK);
      const file = asFile(entry);
      mem.check(newOffsetPtr, 8);
      const base = seekBase(file, whence);
      const next = base + BigInt.asIntN(64, offset);
      ensure(next >= 0n, Errno.INVAL);
      file.position = next;
      mem.setU64(newOffsetPtr, next);
      return Errno.SUCCESS;
    },

    fd_tell(fd: number, offsetPtr: number): number {
      const entry = fds.get(fd);
      ensure(entry.kind !== 'stdin' && entry.kind !== 'stdout' && entry.kind !== 'stderr', Errno.SPIPE);
      requireRights(entry, Rights.FD_TELL);
      const file = asFile(entry);
      mem.setU64(offsetPtr, file.position);
      return Errno.SUCCESS;
    },

    fd_close(fd: number): number {
      fds.close(fd);
      return Errno.SUCCESS;
    },

    fd_renumber(from: number, to: number): number {
      fds.renumber(from, to);
      return Errno.SUCCESS;
    },

    fd_fdstat_get(fd: number, ptr: number): number {
      writeFdstat(mem, ptr, fds.get(fd));
      return Errno.SUCCESS;
    },

    fd_fdstat_set_flags(fd: number, flags: number): number {
      const entry = fds.get(fd);
      requireRights(entry, Rights.FD_FDSTAT_SET_FLAGS);
      ensure((flags & ~FDFLAGS_ALL) === 0, Errno.INVAL);
      entry.fdflags = flags;
      return Errno.SUCCESS;
    },

    fd_fdstat_set_rights(fd: number, base: bigint, inheriting: bigint): number {
      const entry = fds.get(fd);
      const newBase = BigInt.asUintN(64, base);
      const newInheriting = BigInt.asUintN(64, inheriting);
      // Rights can only be dropped, never gained.
      ensure((newBase & ~entry.rightsBase) === 0n, Errno.NOTCAPABLE);
      ensure((newInheriting & ~entry.rightsInheriting) === 0n, Errno.NOTCAPABLE);
      entry.rightsBase = newBase;
      entry.rightsInheriting = newInheriting;
      return Errno.SUCCESS;
    },

    fd_filestat_get(fd: number, ptr: number): number {
      const entry = fds.get(fd);
      requireRights(entry, Rights.FD_FILESTAT_GET);
      mem.check(ptr, Size.FILESTAT);
      writeFilestat(mem, ptr, statOf(ctx, entry));
      return Errno.SUCCESS;
    },

    fd_filestat_set_size(fd: number, size: bigint): number {
      const entry = fds.get(fd);
      requireRights(entry, Rights.FD_FILESTAT_SET_SIZE);
      ftruncateSync(asFile(entry).hostFd, toOffset(BigInt.asUintN(64, size)));
      return Errno.SUCCESS;
    },

    fd_filestat_set_times(fd: number, atim: bigint, mtim: bigint, flags: number): number {
      const entry = fds.get(fd);
      requireRights(entry, Rights.FD_FILESTAT_SET_TIMES);
      const current = statOf(ctx, entry);
      ensure(current !== null, Errno.NOTSUP);
      const [a, m] = newTimes(ctx, current, atim, mtim, flags);
      if (entry.kind === 'file') futimesSync(entry.hostFd, a, m);
      else if (entry.kind === 'dir') jail(ctx).setDirTimes(entry.handle, a, m);
      return Errno.SUCCESS;
    },

    fd_advise(fd: number, _offset: bigint, _len: bigint, advice: number): number {
      const entry = fds.get(fd);
      requireRights(entry, Rights.FD_ADVISE);
      ensure(advice >= 0 && advice <= ADVICE_MAX, Errno.INVAL);
      asFile(entry);
      return Errno.SUCCESS; // advisory only
    },

    fd_allocate(fd: number, offset: bigint, len: bigint): number {
      const entry = fds.get(fd);
      requireRights(entry, Rights.FD_ALLOCATE);
      const file = asFile(entry);
      const end = toOffset(BigInt.asUintN(64, offset) + BigInt.asUintN(64, len));
      if (BigInt(end) > fstat(file).size) ftruncateSync(file.hostFd, end);
      return Errno.SUCCESS;
    },

    fd_datasync(fd: number): number {
      const entry = fds.get(fd);
      requireRights(entry, Rights.FD_DATASYNC);
      if (entry.kind === 'file') fdatasyncSync(entry.hostFd);
      return Errno.SUCCESS;
    },

    fd_sync(fd: number): number {
      const entry = fds.get(fd);
      requireRights(entry, Rights.FD_SYNC);
      if (entry.kind === 'file') fsyncSync(entry.hostFd);
      return Errno.SUCCESS;
    },

    fd_prestat_get(fd: number, ptr: number): number {
      const name = preopenName(fds.get(fd));
      mem.check(ptr, Size.PRESTAT);
      mem.bytes(ptr, Size.PRESTAT).fill(0);
      mem.setU8(ptr, PREOPENTYPE_DIR);
      mem.setU32(ptr + 4, name.byteLength);
      return Errno.SUCCESS;
    },

    fd_prestat_dir_name(fd: number, ptr: number, len: number): number {
      const name = preopenName(fds.get(fd));
      ensure(len >>> 0 >= name.byteLength, Errno.NAMETOOLONG);
      mem.write(ptr, name);
      return Errno.SUCCESS;
    },
  };
}

function seekBase(file: FileEntry, whence: number): bigint {
  switch (whence) {
    case Whence.SET:
      return 0n;
    case Whence.CUR:
      return file.position;
    case Whence.END:
      return fstat(file).size;
    default:
      throw new WasiError(Errno.INVAL);
  }
}

function preopenName(entry: FdEntry): Uint8Array {
  ensure(entry.kind === 'dir' && entry.preopenName !== null, Errno.BADF);
  return encoder.encode(entry.preopenName);
}

/** The filesystem jail (ENOTCAPABLE without the filesystem grant). */
function jail(ctx: WasiContext): FsSandbox {
  ensure(ctx.sandbox !== null, Errno.NOTCAPABLE);
  return ctx.sandbox;
}

/** Stats of what a descriptor refers to; null for stdio (reported as a character device). */
function statOf(ctx: WasiContext, entry: FdEntry): BigIntStats | null {
  switch (entry.kind) {
    case 'file':
      return fstatSync(entry.hostFd, { bigint: true });
    case 'dir':
      return jail(ctx).statDir(entry.handle);
    default:
      return null;
  }
}
