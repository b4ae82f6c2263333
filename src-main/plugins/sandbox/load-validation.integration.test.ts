// Issue #11 item 5: the engine validates a plugin's original bytes before they are instrumented. Invalid modules —
// including ones our rewriter would turn into valid ones — are load errors naming the problem, in a real PluginRuntime.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorMessage } from '../../../src-shared/errors';
import { DEFAULT_LIMITS } from '../../../src-shared/plugin';
import { watToWasm } from '../../../plugins/fixtures';
import { defaultSandboxEntry, forkSpawner, SandboxProcess } from '../host/sandbox-process';
import { ByteWriter } from '../common/wasm/byte-writer';
import { instrumentModule } from '../common/wasm/instrument';
import { FUEL_EXPORT } from '../common/wasm/types';
import { PluginRuntime } from './runtime';
import { PAGE_BYTES, type RuntimeConfig } from '../common/protocol';

const config: RuntimeConfig = { limits: { ...DEFAULT_LIMITS }, grants: [], dataDir: null };
/** The caps PluginRuntime.load gives instrumentModule for `config`. */
const caps = { meterFuel: true, memoryMaxPages: Math.floor(DEFAULT_LIMITS.memoryBytes / PAGE_BYTES), tableMaxElements: DEFAULT_LIMITS.tableElements };

const I32 = 0x7f;
const END = 0x0b;

/**
 * A plugin with everything the ABI asks for (memory, alloc, execute) and no globals, whose `execute` body is
 * `code` exactly as given (no implicit `end`): for encodings no WAT tool will write.
 */
function plugin(code: readonly number[]): Uint8Array {
  const w = new ByteWriter().bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  // types: 0 = (i32) -> (i32) for alloc, 1 = (i32, i32) -> (i32) for execute
  w.section(1, Uint8Array.from([0x02, 0x60, 0x01, I32, 0x01, I32, 0x60, 0x02, I32, I32, 0x01, I32]));
  w.section(3, Uint8Array.from([0x02, 0x00, 0x01]));
  w.section(5, Uint8Array.from([0x01, 0x00, 0x01]));
  const exports = new ByteWriter().u32(3).name('memory').byte(0x02).u32(0).name('alloc').byte(0x00).u32(0).name('execute').byte(0x00).u32(1);
  w.section(7, exports.finish());
  const alloc = [0x00, 0x41, 0x80, 0x08, END]; // no locals; i32.const 1024
  const execute = [0x00, ...code]; // no locals
  const bodies = new ByteWriter().u32(2).u32(alloc.length).bytes(alloc).u32(execute.length).bytes(execute);
  w.section(10, bodies.finish());
  return w.finish().slice();
}

async function loadError(bytes: Uint8Array): Promise<string> {
  try {
    const { runtime } = await PluginRuntime.load(bytes, config);
    runtime.shutdown();
  } catch (err) {
    return errorMessage(err);
  }
  throw new Error('the module loaded');
}

describe('validation before instrumentation (real PluginRuntime.load)', () => {
  it('the hand-built plugin is valid and loads when its body is well-formed', async () => {
    const { runtime, report } = await PluginRuntime.load(plugin([0x41, 0x00, END]), config);
    expect(runtime.execute('{}')).toMatchObject({ ok: true, code: 0 });
    expect(report.timingsMs).toHaveProperty('validate');
    expect(typeof report.timingsMs.validate).toBe('number');
    runtime.shutdown();
  });

  it('refuses a function body with a type error, naming the function and the types', async () => {
    const bytes = await watToWasm(`(module
      (memory (export "memory") 1)
      (func (export "alloc") (param i32) (result i32) (i32.const 1024))
      (func (export "execute") (param i32 i32) (result i32) (i64.const 0)))`);
    expect(await loadError(bytes)).toMatch(/^invalid WebAssembly: Compiling function #1 failed: type error .*expected i32, got i64/);
  });

  it('refuses a body with bytes after its final end', async () => {
    // i32.const 0, end, then a nop that belongs to no instruction sequence
    expect(await loadError(plugin([0x41, 0x00, END, 0x01]))).toMatch(/^invalid WebAssembly: Compiling function #1 failed: trailing code after function end @\+\d+$/);
  });

  it('refuses a call to a function index that does not exist', async () => {
    // call 7 (the module has 2 functions), i32.const 0, end
    expect(await loadError(plugin([0x10, 0x07, 0x41, 0x00, END]))).toMatch(
      /^invalid WebAssembly: Compiling function #1 failed: function index #7 is out of bounds/,
    );
  });

  it('refuses a write to a local that does not exist, which instrumenting would turn into a write to the fuel counter', async () => {
    // execute(i32 n, i32) declares no locals, so `local.set 2` is invalid. Metering caches the fuel counter in a local
    // appended after the function's own, an i64: in the metered module local 2 IS that counter, the body type-checks,
    // and the plugin refills its fuel on every loop iteration (unbounded CPU, stopped only by the wall-clock limit).
    //   loop { i64.const 2^62; local.set 2; n = n - 1; br_if (n != 0) }  i32.const 0
    const refuel = plugin([
      0x03, 0x40, 0x42, ...sleb64(2n ** 62n), 0x21, 0x02,
      0x20, 0x00, 0x41, 0x01, 0x6b, 0x22, 0x00, 0x0d, 0x00, END,
      0x41, 0x00, END,
    ]);
    expect(WebAssembly.validate(refuel)).toBe(false);
    const metered = instrumentModule(refuel, caps);
    expect(WebAssembly.validate(metered)).toBe(true); // what the rewriter alone makes of it
    const exports = new WebAssembly.Instance(new WebAssembly.Module(metered)).exports;
    const fuel = exports[FUEL_EXPORT] as WebAssembly.Global;
    fuel.value = 1000n;
    // 100,000 iterations (several instructions each) on 1,000 fuel, and more fuel left afterwards than it was given.
    expect((exports.execute as (n: number, len: number) => number)(100_000, 0)).toBe(0);
    expect(fuel.value as bigint).toBeGreaterThan(1000n);

    expect(await loadError(refuel)).toMatch(/^invalid WebAssembly: Compiling function #1 failed: invalid local index: 2/i);
  });

  it('refuses a memory maximum above the engine limit, which capping would replace with the cap', async () => {
    const bytes = await watToWasm(`(module
      (memory (export "memory") 1 70000)
      (func (export "alloc") (param i32) (result i32) (i32.const 1024))
      (func (export "execute") (param i32 i32) (result i32) (i32.const 0)))`);
    expect(WebAssembly.validate(instrumentModule(bytes, caps))).toBe(true);
    expect(await loadError(bytes)).toMatch(/^invalid WebAssembly: .*maximum memory size \(70000 pages\)/);
  });

  it('reports invalidity before ABI problems', async () => {
    const bytes = await watToWasm('(module (func (export "run") (result i32) (i64.const 0)))');
    expect(await loadError(bytes)).toMatch(/^invalid WebAssembly: Compiling function #0 failed: type error/);
  });
});

describe('validation through a real sandbox process', () => {
  let dir: string;
  const sandboxes: SandboxProcess[] = [];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'conductor-validate-'));
  });
  afterEach(async () => {
    for (const s of sandboxes.splice(0)) await s.exit(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers load-failed with the reason', async () => {
    const bytes = plugin([0x10, 0x07, 0x41, 0x00, END]);
    const wasmPath = join(dir, 'bad-call.wasm');
    writeFileSync(wasmPath, bytes);
    const sandbox = new SandboxProcess(forkSpawner(defaultSandboxEntry(), 'test'));
    sandboxes.push(sandbox);
    await sandbox.ready;
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const reply = await sandbox.request({ type: 'load', name: 'bad-call', wasmPath, sha256, config }, 30_000);
    expect(reply).toMatchObject({ type: 'load-failed' });
    expect(reply.type === 'load-failed' ? reply.error : '').toMatch(/^invalid WebAssembly: .*function index #7 is out of bounds/);
  });
});

/** Signed LEB128 of a 64-bit value (i64.const immediate). */
function sleb64(value: bigint): number[] {
  return Array.from(new ByteWriter(16).s64(value).finish());
}
