// preview1 process-level calls: argv/environ, proc_exit/proc_raise, random_get, and the sock_* family (no sockets).
// Never exposes the host's own argv or environment: only the strings the host configured for this plugin.

import { randomFillSync } from 'node:crypto';
import type { WasiContext } from './context';
import { Errno } from './errno';

/** Thrown by proc_exit to unwind the guest; the host reads `code`. */
export class ProcExit extends Error {
  override readonly name = 'ProcExit';
  constructor(readonly code: number) {
    super(`plugin called proc_exit(${code})`);
  }
}

/** Largest single randomFillSync request; bigger guest buffers are filled in slices. */
const RANDOM_SLICE = 1 << 16;

export function cryptoRandom(buf: Uint8Array): void {
  for (let at = 0; at < buf.byteLength; at += RANDOM_SLICE) {
    randomFillSync(buf.subarray(at, Math.min(at + RANDOM_SLICE, buf.byteLength)));
  }
}

export function processImports(ctx: WasiContext) {
  const { mem, fds } = ctx;

  function sizes(list: readonly Uint8Array[], countPtr: number, sizePtr: number): number {
    mem.check(countPtr, 4);
    mem.check(sizePtr, 4);
    mem.setU32(countPtr, list.length);
    mem.setU32(sizePtr, list.reduce((n, s) => n + s.byteLength, 0));
    return Errno.SUCCESS;
  }

  /** Writes the pointer array and the NUL-terminated strings after checking both fit. */
  function strings(list: readonly Uint8Array[], arrayPtr: number, bufPtr: number): number {
    mem.check(arrayPtr, list.length * 4);
    mem.check(bufPtr, list.reduce((n, s) => n + s.byteLength, 0));
    let at = bufPtr >>> 0;
    list.forEach((s, i) => {
      mem.setU32((arrayPtr >>> 0) + i * 4, at);
      mem.write(at, s);
      at += s.byteLength;
    });
    return Errno.SUCCESS;
  }

  /** No fd is ever a socket: EBADF for a closed fd, ENOTSOCK otherwise. */
  function notSocket(fd: number): number {
    fds.get(fd);
    return Errno.NOTSOCK;
  }

  return {
    args_sizes_get: (argcPtr: number, bufSizePtr: number): number => sizes(ctx.args, argcPtr, bufSizePtr),
    args_get: (argvPtr: number, bufPtr: number): number => strings(ctx.args, argvPtr, bufPtr),
    environ_sizes_get: (countPtr: number, bufSizePtr: number): number => sizes(ctx.env, countPtr, bufSizePtr),
    environ_get: (environPtr: number, bufPtr: number): number => strings(ctx.env, environPtr, bufPtr),

    proc_exit(code: number): never {
      throw new ProcExit(code >>> 0);
    },

    /** Signals do not exist in the sandbox. */
    proc_raise(_signal: number): number {
      return Errno.NOSYS;
    },

    random_get(buf: number, len: number): number {
      ctx.random(mem.bytes(buf, len));
      return Errno.SUCCESS;
    },

    sock_accept: (fd: number, _flags: number, _fdPtr: number): number => notSocket(fd),
    sock_recv: (fd: number, _ri: number, _riLen: number, _flags: number, _lenPtr: number, _oflagsPtr: number): number =>
      notSocket(fd),
    sock_send: (fd: number, _si: number, _siLen: number, _flags: number, _lenPtr: number): number => notSocket(fd),
    sock_shutdown: (fd: number, _how: number): number => notSocket(fd),
  };
}
