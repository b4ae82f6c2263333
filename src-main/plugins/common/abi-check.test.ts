import { describe, expect, it } from 'vitest';
import { watToWasm } from '../../../plugins/fixtures';
import { checkAbi } from './abi-check';
import { inspectModule } from './wasm/inspect';

const base = `(memory (export "memory") 1)
  (func (export "alloc") (param i32) (result i32) (i32.const 0))
  (func (export "execute") (param i32 i32) (result i32) (i32.const 0))`;
const abiOf = async (body: string) => checkAbi(inspectModule(await watToWasm(`(module ${body})`)));

describe('ABI v1 check', () => {
  it('detects the optional entry points and the init form', async () => {
    expect(await abiOf(base)).toEqual({ initForm: 'none', hasAlloc: true, hasInitialize: false, hasDealloc: false, hasShutdown: false, usesWasi: false, hostImports: [] });
    const full = await abiOf(`
      (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
      (import "conductor" "log" (func (param i32 i32 i32)))
      ${base}
      (func (export "init") (result i64) (i64.const 0))
      (func (export "_initialize"))
      (func (export "dealloc") (param i32 i32))
      (func (export "shutdown"))`);
    expect(full).toEqual({ initForm: 'metadata', hasAlloc: true, hasInitialize: true, hasDealloc: true, hasShutdown: true, usesWasi: true, hostImports: ['log'] });
    expect((await abiOf(`${base} (func (export "init"))`)).initForm).toBe('void');
  });

  it('alloc is optional (the spec\'s own example has none), but must have its type when present', async () => {
    const withoutAlloc = `(memory (export "memory") 1) (func (export "execute") (param i32 i32) (result i32) (i32.const 0))`;
    expect((await abiOf(withoutAlloc)).hasAlloc).toBe(false);
    await expect(abiOf(`${withoutAlloc} (func (export "alloc") (param i64) (result i32) (i32.const 0))`)).rejects.toThrow(
      'export "alloc" has type (i64) -> (i32), expected (i32) -> (i32)',
    );
  });

  it('lists every problem at once', async () => {
    await expect(abiOf(`
      (import "wasi_snapshot_preview1" "sock_open" (func (param i32) (result i32)))
      (import "conductor" "log" (func (param i32) (result i32)))
      (import "conductor" "teleport" (func))
      (memory (export "memory") 1)
      (func (export "execute") (param i64) (result i32) (i32.const 0))
      (func (export "shutdown") (param i32))`)).rejects.toThrow(
      'not a valid Conductor plugin (ABI v1): export "execute" has type (i64) -> (i32), expected (i32, i32) -> (i32); ' +
        'export "shutdown" has type (i32) -> (), expected () -> (); ' +
        'unknown host import "wasi_snapshot_preview1"."sock_open": not a WASI preview1 function; ' +
        'import "conductor"."log" has type (i32) -> (i32), expected (i32, i32, i32) -> (); ' +
        'unknown host import "conductor"."teleport": no such conductor host function',
    );
  });

  it('refuses a WASI command with a hint to build a reactor', async () => {
    await expect(abiOf(`${base} (func (export "_start"))`)).rejects.toThrow(/WASI command .* build it as a reactor/);
  });
});
