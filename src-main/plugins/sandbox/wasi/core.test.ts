// Tests for the non-filesystem side of WASI preview1: argv/environ, stdio, clocks, random, poll, exit, EFAULT.
// Never touches anything outside the harness's temp directory.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Filetype, Rights } from './constants';
import { Errno } from './errno';
import { ProcExit, WasiPreview1 } from './index';
import { Guest } from './test-support/wasi-harness';

const text = (chunks: Uint8Array[]): string => chunks.map((c) => new TextDecoder().decode(c)).join('');

describe('WASI process, stdio, clocks, random, poll', () => {
  let g: Guest;
  afterEach(() => g.cleanup());

  it('passes argv and environ', () => {
    g = new Guest({ args: ['plugin', 'héllo'], env: { MODE: 'test', EMPTY: '' } });
    const count = g.alloc(4);
    const size = g.alloc(4);
    expect(g.call('args_sizes_get', count, size)).toBe(Errno.SUCCESS);
    expect(g.u32(count)).toBe(2);
    expect(g.u32(size)).toBe('plugin\0héllo\0'.length + 1); // é is two bytes
    const argv = g.alloc(8);
    const buf = g.alloc(g.u32(size));
    expect(g.call('args_get', argv, buf)).toBe(Errno.SUCCESS);
    expect(g.text(g.u32(argv), 6)).toBe('plugin');
    expect(g.text(g.u32(argv + 4), 6)).toBe('héllo');
    expect(g.bytes()[g.u32(argv + 4) + 6]).toBe(0);

    expect(g.call('environ_sizes_get', count, size)).toBe(Errno.SUCCESS);
    expect(g.u32(count)).toBe(2);
    const env = g.alloc(8);
    const envBuf = g.alloc(g.u32(size));
    expect(g.call('environ_get', env, envBuf)).toBe(Errno.SUCCESS);
    expect(g.text(envBuf, g.u32(size))).toBe('MODE=test\0EMPTY=\0');
    expect(() => new WasiPreview1({ dataDir: null, args: ['a\0b'], stdout: () => {}, stderr: () => {} })).toThrow(TypeError);
    expect(() => new WasiPreview1({ dataDir: null, env: { 'A=B': 'c' }, stdout: () => {}, stderr: () => {} })).toThrow(TypeError);
  });

  it('defaults argv to ["plugin"] and environ to empty', () => {
    g = new Guest();
    const count = g.alloc(4);
    const size = g.alloc(4);
    g.call('args_sizes_get', count, size);
    expect([g.u32(count), g.u32(size)]).toEqual([1, 7]);
    g.call('environ_sizes_get', count, size);
    expect([g.u32(count), g.u32(size)]).toEqual([0, 0]);
  });

  it('hands fd 1 and fd 2 writes to the callbacks as copies; stdin reads as end of file', () => {
    g = new Guest();
    const [p, len] = g.put('hello ');
    const [q, qlen] = g.put('world\n');
    const iov = g.alloc(16);
    g.view().setUint32(iov, p, true);
    g.view().setUint32(iov + 4, len, true);
    g.view().setUint32(iov + 8, q, true);
    g.view().setUint32(iov + 12, qlen, true);
    const n = g.alloc(4);
    expect(g.call('fd_write', 1, iov, 2, n)).toBe(Errno.SUCCESS);
    expect(g.u32(n)).toBe(12);
    expect(g.write(2, 'oops').errno).toBe(Errno.SUCCESS);
    g.bytes().fill(0x58, p, p + len); // the guest reuses its buffer
    expect(text(g.stdout)).toBe('hello world\n');
    expect(text(g.stderr)).toBe('oops');
    expect(g.stdout).toHaveLength(1);

    expect(g.read(0)).toEqual({ errno: Errno.SUCCESS, text: '' });
    expect(g.read(1).errno).toBe(Errno.NOTCAPABLE);
    expect(g.write(0, 'x').errno).toBe(Errno.NOTCAPABLE);
    const fdstat = g.alloc(24);
    expect(g.call('fd_fdstat_get', 1, fdstat)).toBe(Errno.SUCCESS);
    expect(g.bytes()[fdstat]).toBe(Filetype.CHARACTER_DEVICE);
    expect(g.u64(fdstat + 8) & (Rights.FD_SEEK | Rights.FD_TELL)).toBe(0n); // wasi-libc's isatty() => line-buffered
    expect(g.call('fd_seek', 1, 0n, 0, g.alloc(8))).toBe(Errno.SPIPE);
    expect(g.fstat(1).stat?.filetype).toBe(Filetype.CHARACTER_DEVICE);
  });

  it('bounds one fd_write: at most 1024 iovecs, at most 1 MiB per stdout chunk (a short write)', () => {
    g = new Guest();
    const region = g.alloc(65536, 1);
    const iovs = g.alloc(8 * 1025);
    for (let i = 0; i < 1025; i++) {
      g.view().setUint32(iovs + i * 8, region, true);
      g.view().setUint32(iovs + i * 8 + 4, 65536, true);
    }
    const n = g.alloc(4);
    expect(g.call('fd_write', 1, iovs, 1025, n)).toBe(Errno.INVAL);
    expect(g.call('fd_write', 1, iovs, 1024, n)).toBe(Errno.SUCCESS); // 64 MiB asked through aliasing iovecs
    expect(g.u32(n)).toBe(1 << 20);
    expect(g.stdout).toHaveLength(1);
    expect(g.stdout[0]?.byteLength).toBe(1 << 20);
  });

  it('reads clocks: monotonic increases, realtime is wall time, cputime and resolutions', () => {
    g = new Guest();
    const t = g.alloc(8);
    expect(g.call('clock_time_get', 1, 0n, t)).toBe(Errno.SUCCESS);
    const first = g.u64(t);
    const until = Date.now() + 5;
    while (Date.now() < until) {
      // let a few milliseconds pass
    }
    expect(g.call('clock_time_get', 1, 1n, t)).toBe(Errno.SUCCESS);
    expect(g.u64(t)).toBeGreaterThan(first);
    expect(g.call('clock_time_get', 0, 0n, t)).toBe(Errno.SUCCESS);
    expect(Number(g.u64(t) / 1_000_000n)).toBeGreaterThanOrEqual(Date.now() - 1000);
    expect(Number(g.u64(t) / 1_000_000n)).toBeLessThanOrEqual(Date.now() + 1000);
    expect(g.call('clock_time_get', 2, 0n, t)).toBe(Errno.SUCCESS);
    expect(g.u64(t)).toBeGreaterThan(0n);
    expect(g.call('clock_time_get', 3, 0n, t)).toBe(Errno.SUCCESS);
    expect(g.call('clock_time_get', 9, 0n, t)).toBe(Errno.INVAL);
    expect(g.call('clock_res_get', 1, t)).toBe(Errno.SUCCESS);
    expect(g.u64(t)).toBe(1n);
    expect(g.call('clock_res_get', 0, t)).toBe(Errno.SUCCESS);
    expect(g.u64(t)).toBeGreaterThan(0n);
    expect(g.call('clock_res_get', 4, t)).toBe(Errno.INVAL);
  });

  it('uses the clock override', () => {
    g = new Guest({ clock: { realtime: () => 42n, monotonic: () => 7n } });
    const t = g.alloc(8);
    g.call('clock_time_get', 0, 0n, t);
    expect(g.u64(t)).toBe(42n);
    g.call('clock_time_get', 1, 0n, t);
    expect(g.u64(t)).toBe(7n);
  });

  it('fills random_get buffers from crypto randomness (or the override)', () => {
    g = new Guest();
    const a = g.alloc(64);
    const b = g.alloc(64);
    expect(g.call('random_get', a, 64)).toBe(Errno.SUCCESS);
    expect(g.call('random_get', b, 64)).toBe(Errno.SUCCESS);
    const ra = g.bytes().slice(a, a + 64);
    const rb = g.bytes().slice(b, b + 64);
    expect(ra.some((x) => x !== 0)).toBe(true);
    expect(Buffer.from(ra).equals(Buffer.from(rb))).toBe(false);
    const big = g.alloc(200_000);
    expect(g.call('random_get', big, 200_000)).toBe(Errno.SUCCESS);
    expect(g.bytes().slice(big + 150_000, big + 150_064).some((x) => x !== 0)).toBe(true);
    g.cleanup();
    g = new Guest({ random: (buf) => buf.fill(7) });
    const c = g.alloc(4);
    g.call('random_get', c, 4);
    expect([...g.bytes().slice(c, c + 4)]).toEqual([7, 7, 7, 7]);
  });

  function clockSub(g: Guest, at: number, userdata: bigint, timeoutNs: bigint, flags = 0, id = 1): void {
    const v = g.view();
    v.setBigUint64(at, userdata, true);
    v.setUint8(at + 8, 0); // eventtype clock
    v.setUint32(at + 16, id, true);
    v.setBigUint64(at + 24, timeoutNs, true);
    v.setBigUint64(at + 32, 0n, true);
    v.setUint16(at + 40, flags, true);
  }

  it('poll_oneoff sleeps at least the requested time on a clock subscription', () => {
    g = new Guest();
    const subs = g.alloc(48);
    const events = g.alloc(32);
    const n = g.alloc(4);
    clockSub(g, subs, 0xabcn, 50_000_000n);
    const started = process.hrtime.bigint();
    expect(g.call('poll_oneoff', subs, events, 1, n)).toBe(Errno.SUCCESS);
    const elapsed = process.hrtime.bigint() - started;
    expect(elapsed).toBeGreaterThanOrEqual(50_000_000n);
    expect(g.u32(n)).toBe(1);
    expect(g.u64(events)).toBe(0xabcn);
    expect(g.view().getUint16(events + 8, true)).toBe(Errno.SUCCESS);
    expect(g.bytes()[events + 10]).toBe(0);
  });

  it('poll_oneoff: absolute deadlines, the soonest of several clocks, bad clocks, no subscriptions', () => {
    g = new Guest();
    const subs = g.alloc(48 * 2);
    const events = g.alloc(32 * 2);
    const n = g.alloc(4);
    const now = g.alloc(8);
    g.call('clock_time_get', 1, 0n, now);
    clockSub(g, subs, 1n, g.u64(now) + 30_000_000n, 1); // ABSTIME
    clockSub(g, subs + 48, 2n, 10_000_000_000n);
    const started = process.hrtime.bigint();
    expect(g.call('poll_oneoff', subs, events, 2, n)).toBe(Errno.SUCCESS);
    const elapsed = process.hrtime.bigint() - started;
    expect(elapsed).toBeGreaterThanOrEqual(25_000_000n);
    expect(elapsed).toBeLessThan(5_000_000_000n);
    expect(g.u32(n)).toBe(1);
    expect(g.u64(events)).toBe(1n);

    clockSub(g, subs, 3n, 1_000_000n, 0, 99);
    expect(g.call('poll_oneoff', subs, events, 1, n)).toBe(Errno.SUCCESS);
    expect(g.u32(n)).toBe(1);
    expect(g.view().getUint16(events + 8, true)).toBe(Errno.INVAL);
    expect(g.call('poll_oneoff', subs, events, 0, n)).toBe(Errno.INVAL);
  });

  it('poll_oneoff: fd subscriptions are ready at once (no sleep)', () => {
    g = new Guest();
    g.writeFile('f.txt', '12345');
    const { fd } = g.open('f.txt');
    const subs = g.alloc(48 * 4);
    const events = g.alloc(32 * 4);
    const n = g.alloc(4);
    clockSub(g, subs, 1n, 60_000_000_000n); // one minute: must not be waited for
    const v = g.view();
    v.setBigUint64(subs + 48, 2n, true);
    v.setUint8(subs + 56, 2); // fd_write
    v.setUint32(subs + 64, 1, true);
    v.setBigUint64(subs + 96, 3n, true);
    v.setUint8(subs + 104, 1); // fd_read
    v.setUint32(subs + 112, fd, true);
    v.setBigUint64(subs + 144, 4n, true);
    v.setUint8(subs + 152, 1);
    v.setUint32(subs + 160, 999, true); // not open
    const started = process.hrtime.bigint();
    expect(g.call('poll_oneoff', subs, events, 4, n)).toBe(Errno.SUCCESS);
    expect(process.hrtime.bigint() - started).toBeLessThan(1_000_000_000n);
    expect(g.u32(n)).toBe(3);
    expect([g.u64(events), g.u64(events + 32), g.u64(events + 64)]).toEqual([2n, 3n, 4n]);
    expect(g.bytes()[events + 10]).toBe(2);
    expect(g.u64(events + 32 + 16)).toBe(5n); // bytes available to read
    expect(g.view().getUint16(events + 64 + 8, true)).toBe(Errno.BADF);
  });

  it('proc_exit throws ProcExit with the code; proc_raise, sched_yield, sockets', () => {
    g = new Guest();
    let thrown: unknown;
    try {
      g.call('proc_exit', 3);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ProcExit);
    expect((thrown as ProcExit).code).toBe(3);
    try {
      g.call('proc_exit', -1); // i32 -1 is exit code 0xffffffff (u32)
    } catch (err) {
      thrown = err;
    }
    expect((thrown as ProcExit).code).toBe(0xffffffff);
    expect(g.call('proc_raise', 6)).toBe(Errno.NOSYS);
    expect(g.call('sched_yield')).toBe(Errno.SUCCESS);
    expect(g.call('sock_recv', 1, 0, 0, 0, 0, 0)).toBe(Errno.NOTSOCK);
    expect(g.call('sock_send', 99, 0, 0, 0, 0)).toBe(Errno.BADF);
    expect(g.call('sock_accept', 3, 0, 0)).toBe(Errno.NOTSOCK);
    expect(g.call('sock_shutdown', 1, 3)).toBe(Errno.NOTSOCK);
  });

  it('returns EFAULT (never throws) for out-of-bounds pointers and lengths', () => {
    g = new Guest();
    const end = g.memory.buffer.byteLength;
    const iov = g.alloc(8);
    g.view().setUint32(iov, end - 2, true);
    g.view().setUint32(iov + 4, 10, true);
    const n = g.alloc(4);
    expect(g.call('fd_write', 1, iov, 1, n)).toBe(Errno.FAULT);
    expect(g.stdout).toHaveLength(0);
    expect(g.call('fd_write', 1, end - 4, 1, n)).toBe(Errno.FAULT);
    expect(g.call('fd_write', 1, end - 16, 3, n)).toBe(Errno.FAULT);
    expect(g.call('fd_write', 1, g.alloc(8), 0, end)).toBe(Errno.FAULT);
    expect(g.call('fd_write', 1, iov, 1, -1)).toBe(Errno.FAULT);
    expect(g.call('random_get', end - 10, 11)).toBe(Errno.FAULT);
    expect(g.call('random_get', -16, 4)).toBe(Errno.FAULT);
    expect(g.call('clock_time_get', 1, 0n, end - 4)).toBe(Errno.FAULT);
    expect(g.call('fd_fdstat_get', 3, end - 23)).toBe(Errno.FAULT);
    expect(g.call('fd_filestat_get', 3, end - 63)).toBe(Errno.FAULT);
    expect(g.call('fd_prestat_get', 3, end)).toBe(Errno.FAULT);
    expect(g.call('args_get', end - 2, 0)).toBe(Errno.FAULT);
    expect(g.call('args_sizes_get', 0, end)).toBe(Errno.FAULT);
    expect(g.call('path_create_directory', 3, end - 3, 10)).toBe(Errno.FAULT);
    expect(existsSync(join(g.root, 'x'))).toBe(false);
    const [p, len] = g.put('new.txt');
    expect(g.call('path_open', 3, 0, p, len, 1, 0n, 0n, 0, end)).toBe(Errno.FAULT);
    expect(existsSync(join(g.root, 'new.txt'))).toBe(false); // nothing created when the result cannot be stored
    expect(g.call('fd_readdir', 3, end - 8, 64, 0n, n)).toBe(Errno.FAULT);
    expect(g.call('poll_oneoff', end - 40, g.alloc(32), 1, n)).toBe(Errno.FAULT);
  });

  it('re-reads memory.buffer on every call, so grown memory is usable', () => {
    g = new Guest();
    const oldEnd = g.memory.buffer.byteLength;
    expect(g.call('random_get', oldEnd, 16)).toBe(Errno.FAULT);
    g.memory.grow(1);
    expect(g.call('random_get', oldEnd, 16)).toBe(Errno.SUCCESS);
    expect(g.call('clock_time_get', 1, 0n, oldEnd + 100)).toBe(Errno.SUCCESS);
    expect(g.u64(oldEnd + 100)).toBeGreaterThan(0n);
  });

  it('without the filesystem capability there is no preopen and every path call fails', () => {
    g = new Guest({ noFilesystem: true });
    const buf = g.alloc(64);
    expect(g.call('fd_prestat_get', 3, buf)).toBe(Errno.BADF);
    expect(g.call('fd_fdstat_get', 3, buf)).toBe(Errno.BADF);
    expect(g.open('data.txt', { create: true, write: true }).errno).toBe(Errno.BADF);
    expect(g.open('/data.txt').errno).toBe(Errno.BADF);
    expect(g.pathCall('path_create_directory', 'd')).toBe(Errno.BADF);
    expect(g.stat('.').errno).toBe(Errno.BADF);
    expect(g.symlink('a', 'b')).toBe(Errno.BADF);
    expect(g.rename('a', 'b')).toBe(Errno.BADF);
    expect(g.readdir(3).errno).toBe(Errno.BADF);
    // Directory fds 0-2 are not directories either.
    expect(g.open('x', { dirFd: 1 }).errno).toBe(Errno.NOTDIR);
    expect(g.write(1, 'still logs').errno).toBe(Errno.SUCCESS);
  });

  it('reports invalid UTF-8 in a path as EILSEQ and an unbound memory as a host error', () => {
    g = new Guest();
    const [p] = g.put(new Uint8Array([0xc3, 0x28]));
    const out = g.alloc(4);
    expect(g.call('path_open', 3, 0, p, 2, 0, 0n, 0n, 0, out)).toBe(Errno.ILSEQ);
    const unbound = new WasiPreview1({ dataDir: null, stdout: () => {}, stderr: () => {} });
    const fn = unbound.imports.sched_yield as () => number;
    expect(fn()).toBe(Errno.SUCCESS);
    const write = unbound.imports.fd_write as (...a: number[]) => number;
    expect(() => write(1, 0, 0, 0)).toThrow(/not bound/);
  });
});
