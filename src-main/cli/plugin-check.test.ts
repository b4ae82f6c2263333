// `conductor plugin check`'s file analysis (issue #13): each mistake an author makes is named with its fix —
// wrong format or target, foreign imports, missing exports, no safe place for the input, missing metadata, size.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { failedCall } from '../../src-shared/plugin';
import { cFixture, watBytes, watToWasm } from '../../plugins/fixtures';
import { ByteWriter } from '../plugins/common/wasm/byte-writer';
import { analysePluginFile, callFindings, type Finding } from './plugin-check';

const errors = (findings: Finding[]): Finding[] => findings.filter((f) => f.severity === 'error');
const MEMORY_AND_EXECUTE = '(memory (export "memory") 1) (func (export "execute") (param i32 i32) (result i32) (i32.const 0))';

describe('plugin check: the file', () => {
  it('a good C plugin has no errors and no warnings', () => {
    const { findings } = analysePluginFile(new Uint8Array(readFileSync(cFixture('good'))));
    expect(findings.filter((f) => f.severity !== 'info')).toEqual([]);
  });

  it('not wasm, and a WASI preview 2 component, are named with the target to use', () => {
    const text = analysePluginFile(new TextEncoder().encode('{"name":"x"} not a module'));
    expect(errors(text.findings)[0]?.what).toMatch(/^not a WebAssembly module: the file does not start with the WebAssembly magic bytes/);
    const component = analysePluginFile(new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0, 0x01, 0]));
    expect(errors(component.findings)[0]).toMatchObject({ what: expect.stringMatching(/component \(WASI preview 2\)/), fix: expect.stringMatching(/wasm32-wasip1/) });
  });

  it('foreign imports get the cause: env.abort (AssemblyScript), env.* (wrong target), wasi_unstable, wasm-bindgen', async () => {
    const wasm = await watToWasm(`(module
      (import "env" "abort" (func (param i32 i32 i32 i32)))
      (import "wasi_unstable" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
      (import "__wbindgen_placeholder__" "__wbindgen_describe" (func (param i32)))
      ${MEMORY_AND_EXECUTE})`);
    const found = errors(analysePluginFile(wasm).findings);
    expect(found.map((f) => f.what)).toEqual([
      'imports from "env": env.abort',
      'imports from "wasi_unstable": wasi_unstable.fd_write',
      'imports from "__wbindgen_placeholder__": __wbindgen_placeholder__.__wbindgen_describe',
    ]);
    expect(found[0]?.fix).toMatch(/AssemblyScript: build with the Conductor SDK/);
    expect(found[1]?.fix).toMatch(/old snapshot 0/);
    expect(found[2]?.fix).toMatch(/wasm-bindgen/);
  });

  it('a missing export and a WASI command are explained, per language', async () => {
    const found = errors(analysePluginFile(await watBytes('missing-exports')).findings);
    expect(found[0]).toMatchObject({ what: expect.stringMatching(/missing export "memory"/) });
    const command = await watToWasm('(module (memory (export "memory") 1) (func (export "_start")))');
    const commandFindings = errors(analysePluginFile(command).findings).map((f) => f.fix);
    expect(commandFindings).toEqual(expect.arrayContaining([expect.stringMatching(/#\[no_mangle\]/), expect.stringMatching(/crate-type = \["cdylib"\], clang -mexec-model=reactor/)]));
  });

  it('no alloc: an error without a named stack pointer, a note with one', async () => {
    const refused = analysePluginFile(await watBytes('no-alloc'));
    expect(errors(refused.findings)[0]?.what).toMatch(/no "alloc" export and no name section naming "__stack_pointer"/);
    const stack = analysePluginFile(new Uint8Array(readFileSync(cFixture('noalloc'))));
    expect(errors(stack.findings)).toEqual([]);
    expect(stack.findings).toContainEqual(expect.objectContaining({ severity: 'info', what: expect.stringMatching(/input goes on the plugin's stack, at most 16 KiB/) }));
  });

  it('no metadata and no name section are pointed out', async () => {
    const wasm = await watToWasm(`(module ${MEMORY_AND_EXECUTE} (func (export "alloc") (param i32) (result i32) (i32.const 64)))`);
    const { findings } = analysePluginFile(wasm);
    expect(findings.map((f) => f.severity + ': ' + f.what)).toEqual([
      'info: no imports at all (no WASI, no host functions)',
      'warning: no metadata inside the module (init() returns none and there is no "conductor.plugin" section)',
      'info: no name section: a trap will name functions by number only',
    ]);
  });

  it('size and debug info over the advice are warnings with the flags that fix them', async () => {
    const base = await watToWasm(`(module ${MEMORY_AND_EXECUTE} (func (export "alloc") (param i32) (result i32) (i32.const 64)))`);
    const debugInfo = new ByteWriter().name('.debug_info').bytes(new Uint8Array(1_200_000)).finish();
    const big = new ByteWriter().bytes(base).section(0, debugInfo).finish();
    const { findings } = analysePluginFile(big);
    expect(findings.filter((f) => f.severity === 'warning').map((f) => f.what)).toEqual([
      'no metadata inside the module (init() returns none and there is no "conductor.plugin" section)',
      '1.1 MiB of the file is debug info (.debug_* sections)',
      'the module is 1.1 MiB; the spec advises under 1 MB (larger modules load and compile more slowly)',
    ]);
  });
});

describe('plugin check: a call', () => {
  const limits = { fuelPerCall: 1000, memoryBytes: 64 * 1048576 };
  const measured = { code: null, fuelConsumed: 1000, durationMs: 1, memoryBytes: 65536, log: [] };
  it('out of fuel and memory name the config table and key to raise', () => {
    expect(callFindings(failedCall('out-of-fuel', 'out of fuel (limit 1000)', measured), limits, 'hello-pad')[0]?.fix).toMatch(
      /\[wasm\.limits\.hello-pad\] max_fuel = 2000 \(the CLI: --fuel N\)/,
    );
    expect(callFindings(failedCall('memory', 'memory limit reached', measured), limits, 'p')[0]?.fix).toMatch(/\[wasm\.limits\.p\] max_memory_mb = 128/);
  });
  it('a call using over half its fuel is a warning; a light one is info', () => {
    const ok = { ok: true, error: null, errorKind: null, code: 0, durationMs: 1, memoryBytes: 65536, log: [] };
    expect(callFindings({ ...ok, fuelConsumed: 600 }, limits, 'p')[0]).toMatchObject({ severity: 'warning', what: expect.stringMatching(/60% of its fuel/) });
    expect(callFindings({ ...ok, fuelConsumed: 10 }, limits, 'p')[0]).toMatchObject({ severity: 'info' });
  });
});

