// How a failed call reads (issue #13, ABI item 3): a trap names the functions it happened in (from the name section),
// proc_exit(n) gives its code, and a Rust panic gives its own message and location — through the real runtime.
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../../src-shared/plugin';
import { watBytes } from '../../../plugins/fixtures';
import { PluginRuntime } from './runtime';
import { demangle, rustPanic, trapSite, wasmFrames } from './trap-site';

const runtimes: PluginRuntime[] = [];
afterEach(() => {
  for (const r of runtimes.splice(0)) r.shutdown();
});

async function traps(names: boolean): Promise<PluginRuntime> {
  const { runtime } = await PluginRuntime.load(await watBytes('traps', { names }), { limits: DEFAULT_LIMITS, grants: [], dataDir: null });
  runtimes.push(runtime);
  return runtime;
}

describe('a failed call says where and how (fixture wat/traps.wat)', () => {
  it('unreachable names the function chain from the name section, innermost first', async () => {
    const r = await traps(true);
    expect(r.execute('u')).toMatchObject({ ok: false, errorKind: 'trap', error: 'trap: unreachable in inner_helper ← dispatch ← execute' });
    expect(r.execute('d')).toMatchObject({ ok: false, errorKind: 'trap', error: 'trap: divide by zero in inner_helper ← dispatch ← execute' });
    expect(r.execute('m').error).toMatch(/^trap: memory access out of bounds in inner_helper ← dispatch ← execute$/);
    expect(r.execute('ok')).toMatchObject({ ok: true, code: 0 }); // a fresh instance after each trap
  });

  it('without a name section the functions are numbered', async () => {
    const r = await traps(false);
    expect(r.execute('u').error).toMatch(/^trap: unreachable in function #\d+ ← function #\d+ ← function #\d+$/);
  });

  it('proc_exit(n) fails the call with the exit code; proc_exit(0) is a success', async () => {
    const r = await traps(true);
    expect(r.execute('x')).toMatchObject({ ok: false, errorKind: 'exit', code: 7, error: 'plugin exited with code 7 (proc_exit)' });
    expect(r.execute('z')).toMatchObject({ ok: true, code: 0 });
  });
});

describe('trap-site text helpers', () => {
  it('demangles Rust legacy symbols and leaves other names alone', () => {
    expect(demangle('_ZN4core6result13unwrap_failed17h047945eda95e3c94E')).toBe('core::result::unwrap_failed');
    expect(demangle('_ZN3std9panicking19begin_panic_handler28_$u7b$$u7b$closure$u7d$$u7d$17h8ef066ac4d1e7406E')).toBe(
      'std::panicking::begin_panic_handler::{{closure}}',
    );
    expect(demangle('_ZN10serde_json2de21Deserializer$LT$R$GT$10peek_error17h8ad797f8019dcc93E.llvm.17753654611139969693')).toBe(
      'serde_json::de::Deserializer<R>::peek_error',
    );
    expect(demangle('_ZN93_$LT$$RF$mut$u20$serde_json..de..Deserializer$LT$R$GT$$u20$as$u20$serde..de..Deserializer$GT$18deserialize_struct17h3f2ce3d798e8cfbdE')).toBe(
      '<&mut serde_json::de::Deserializer<R> as serde::de::Deserializer>::deserialize_struct',
    );
    for (const plain of ['execute', 'execute.command_export', '_ZN', '_ZN99tooshortE', 'my_func']) expect(demangle(plain)).toBe(plain);
  });

  it('finds a Rust panic in either of its stderr formats, and nothing in other logs', () => {
    expect(rustPanic(["[stderr] thread '<unnamed>' panicked at 'Invalid params: EOF', src/lib.rs:20:10", '[stderr] note: run with `RUST_BACKTRACE=1`'])).toBe(
      'src/lib.rs:20:10: Invalid params: EOF',
    );
    expect(rustPanic(['[info] before', "[stderr] thread '<unnamed>' panicked at src/lib.rs:7:5:", '[stderr] index out of bounds', '[stderr] note: run with `RUST_BACKTRACE=1` environment variable'])).toBe(
      'src/lib.rs:7:5: index out of bounds',
    );
    expect(rustPanic(["thread 'x' panicked at 'stdout, not stderr', a.rs:1:1", '[error] panicked at nothing'])).toBeNull();
  });

  it('plugin-made text is made printable and bounded', () => {
    const hostile = `[stderr] thread 'x' panicked at '${'\u001b[31m'.repeat(3)}${'A'.repeat(1000)}', a.rs:1:1`;
    const panic = rustPanic([hostile]) ?? '';
    expect(panic.length).toBeLessThanOrEqual(300);
    expect(panic.includes('\u001b')).toBe(false);
    const err = new WebAssembly.RuntimeError('unreachable');
    err.stack = `RuntimeError: unreachable\n    at ${'x'.repeat(500)}\u0007 (wasm://wasm/1:wasm-function[3]:0x10)\n    at node:internal (file.js:1:1)`;
    const frames = wasmFrames(err);
    expect(frames).toHaveLength(1);
    expect(frames[0]?.length).toBe(80);
    expect(trapSite(['a', 'b', 'c', 'd', 'e'])).toBe(' in a ← b ← c ← d ← …');
    expect(trapSite([])).toBe('');
  });
});
