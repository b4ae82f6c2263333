// WASI preview1 driven from real wasm modules (compiled from WAT with wabt): linking, i64 arguments, proc_exit.
// Never touches anything outside the harness's temp directory.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import wabtInit from 'wabt';
import { afterEach, describe, expect, it } from 'vitest';
import { Errno } from './errno';
import { ProcExit } from './index';
import { PREVIEW1_FUNCTIONS } from '../../common/import-catalogue';
import { Guest, SECRET, wasm } from './test-support/wasi-harness';

/** Every preview1 function with its core wasm signature (params; result is i32 except proc_exit). */
const SIGNATURES: Record<string, string> = {
  args_get: 'i32 i32',
  args_sizes_get: 'i32 i32',
  environ_get: 'i32 i32',
  environ_sizes_get: 'i32 i32',
  clock_res_get: 'i32 i32',
  clock_time_get: 'i32 i64 i32',
  fd_advise: 'i32 i64 i64 i32',
  fd_allocate: 'i32 i64 i64',
  fd_close: 'i32',
  fd_datasync: 'i32',
  fd_fdstat_get: 'i32 i32',
  fd_fdstat_set_flags: 'i32 i32',
  fd_fdstat_set_rights: 'i32 i64 i64',
  fd_filestat_get: 'i32 i32',
  fd_filestat_set_size: 'i32 i64',
  fd_filestat_set_times: 'i32 i64 i64 i32',
  fd_pread: 'i32 i32 i32 i64 i32',
  fd_prestat_get: 'i32 i32',
  fd_prestat_dir_name: 'i32 i32 i32',
  fd_pwrite: 'i32 i32 i32 i64 i32',
  fd_read: 'i32 i32 i32 i32',
  fd_readdir: 'i32 i32 i32 i64 i32',
  fd_renumber: 'i32 i32',
  fd_seek: 'i32 i64 i32 i32',
  fd_sync: 'i32',
  fd_tell: 'i32 i32',
  fd_write: 'i32 i32 i32 i32',
  path_create_directory: 'i32 i32 i32',
  path_filestat_get: 'i32 i32 i32 i32 i32',
  path_filestat_set_times: 'i32 i32 i32 i32 i64 i64 i32',
  path_link: 'i32 i32 i32 i32 i32 i32 i32',
  path_open: 'i32 i32 i32 i32 i32 i64 i64 i32 i32',
  path_readlink: 'i32 i32 i32 i32 i32 i32',
  path_remove_directory: 'i32 i32 i32',
  path_rename: 'i32 i32 i32 i32 i32 i32',
  path_symlink: 'i32 i32 i32 i32 i32',
  path_unlink_file: 'i32 i32 i32',
  poll_oneoff: 'i32 i32 i32 i32',
  proc_exit: 'i32',
  proc_raise: 'i32',
  sched_yield: '',
  random_get: 'i32 i32',
  sock_accept: 'i32 i32 i32',
  sock_recv: 'i32 i32 i32 i32 i32 i32',
  sock_send: 'i32 i32 i32 i32 i32',
  sock_shutdown: 'i32 i32',
};

function importDecls(): string {
  return Object.entries(SIGNATURES)
    .map(([name, params]) => {
      const result = name === 'proc_exit' ? '' : ' (result i32)';
      return `(import "wasi_snapshot_preview1" "${name}" (func $${name} (param ${params})${result}))`;
    })
    .join('\n');
}

// Memory map: 0 iovec, 16 result slots, 64 fd, 100.. strings, 1024.. scratch.
const MODULE = `(module
  ${importDecls()}
  (memory (export "memory") 1)
  (data (i32.const 100) "hello from wasm\\n")
  (data (i32.const 200) "/note.txt")
  (data (i32.const 220) "../secret.txt")
  (data (i32.const 240) "data")

  (func (export "hello") (result i32)
    (i32.store (i32.const 0) (i32.const 100))
    (i32.store (i32.const 4) (i32.const 16))
    (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 16)))

  (func (export "exit") (param i32)
    (call $proc_exit (local.get 0)))

  ;; path_open with all rights (i64 -1), write "data", seek back 2 from the end, read 2 bytes to 1024.
  (func (export "save") (result i32) (local $e i32) (local $fd i32)
    (local.set $e (call $path_open (i32.const 3) (i32.const 1) (i32.const 200) (i32.const 9)
      (i32.const 9) (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 64)))
    (if (local.get $e) (then (return (local.get $e))))
    (local.set $fd (i32.load (i32.const 64)))
    (i32.store (i32.const 0) (i32.const 240))
    (i32.store (i32.const 4) (i32.const 4))
    (local.set $e (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 16)))
    (if (local.get $e) (then (return (local.get $e))))
    (local.set $e (call $fd_seek (local.get $fd) (i64.const -2) (i32.const 2) (i32.const 24)))
    (if (local.get $e) (then (return (local.get $e))))
    (i32.store (i32.const 0) (i32.const 1024))
    (i32.store (i32.const 4) (i32.const 2))
    (local.set $e (call $fd_read (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 16)))
    (if (local.get $e) (then (return (local.get $e))))
    (call $fd_close (local.get $fd)))

  (func (export "escape") (result i32)
    (call $path_open (i32.const 3) (i32.const 1) (i32.const 220) (i32.const 13)
      (i32.const 0) (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 64)))

  (func (export "now") (result i64)
    (drop (call $clock_time_get (i32.const 1) (i64.const 1000) (i32.const 32)))
    (i64.load (i32.const 32)))

  (func (export "offset") (result i64)
    (i64.load (i32.const 24)))
)`;

async function instantiate(g: Guest): Promise<Record<string, unknown>> {
  const wabt = await wabtInit();
  const parsed = wabt.parseWat('wasi-test.wat', MODULE);
  const { buffer } = parsed.toBinary({});
  parsed.destroy();
  const { instance } = await wasm.instantiate(buffer, { wasi_snapshot_preview1: g.wasi.imports });
  const memory = instance.exports.memory as { buffer: ArrayBuffer };
  g.wasi.bindMemory(memory);
  return instance.exports;
}

function fn<T>(exports: Record<string, unknown>, name: string): (...args: number[]) => T {
  return exports[name] as (...args: number[]) => T;
}

describe('WASI preview1 from a real wasm module', () => {
  let g: Guest;
  afterEach(() => g.cleanup());

  it('provides exactly the preview1 functions', () => {
    g = new Guest();
    expect([...PREVIEW1_FUNCTIONS].sort()).toEqual(Object.keys(SIGNATURES).sort());
    expect(Object.keys(g.wasi.imports).sort()).toEqual(Object.keys(SIGNATURES).sort());
  });

  it('links a module importing every function and runs calls through it', async () => {
    g = new Guest();
    const exports = await instantiate(g);
    expect(fn<number>(exports, 'hello')()).toBe(Errno.SUCCESS);
    expect(new TextDecoder().decode(g.stdout[0])).toBe('hello from wasm\n');

    expect(fn<number>(exports, 'save')()).toBe(Errno.SUCCESS);
    expect(readFileSync(join(g.root, 'note.txt'), 'utf8')).toBe('data');
    expect(fn<bigint>(exports, 'offset')()).toBe(2n); // i64 -2 from END arrived as a signed BigInt
    const mem = new Uint8Array((exports.memory as { buffer: ArrayBuffer }).buffer);
    expect(new TextDecoder().decode(mem.slice(1024, 1026))).toBe('ta');

    expect(fn<number>(exports, 'escape')()).toBe(Errno.NOTCAPABLE);
    expect(readFileSync(g.secretPath, 'utf8')).toBe(SECRET);

    const a = fn<bigint>(exports, 'now')();
    const b = fn<bigint>(exports, 'now')();
    expect(typeof a).toBe('bigint');
    expect(b).toBeGreaterThanOrEqual(a);
  });

  it('unwinds the guest with ProcExit on proc_exit', async () => {
    g = new Guest();
    const exports = await instantiate(g);
    let thrown: unknown;
    try {
      fn<void>(exports, 'exit')(42);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ProcExit);
    expect((thrown as ProcExit).code).toBe(42);
  });

  it('runs without a preopen when the filesystem is not granted', async () => {
    g = new Guest({ noFilesystem: true });
    const exports = await instantiate(g);
    expect(fn<number>(exports, 'save')()).toBe(Errno.BADF);
    expect(existsSync(join(g.root, 'note.txt'))).toBe(false);
    expect(fn<number>(exports, 'hello')()).toBe(Errno.SUCCESS);
  });
});
