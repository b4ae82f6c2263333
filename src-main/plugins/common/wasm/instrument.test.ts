// instrumentModule: memory and table caps, option checks, and what the rewrite leaves untouched.
// Real modules compiled with wabt and run in V8; never asserts on bytes it could not also explain.

import { describe, expect, it } from 'vitest';
import { inspectModule } from './inspect';
import { instrumentModule } from './instrument';
import { readModule } from './reader';
import { buildModule, wat, withCustomSection } from './test-support/wat-runner';
import { FUEL_EXPORT, type InstrumentOptions } from './types';

const CAPS: InstrumentOptions = { meterFuel: false, memoryMaxPages: 16, tableMaxElements: 10 };

function instantiate(bytes: Uint8Array, imports: WebAssembly.Imports = {}): WebAssembly.Exports {
  expect(WebAssembly.validate(bytes)).toBe(true);
  return new WebAssembly.Instance(new WebAssembly.Module(bytes), imports).exports;
}

const GROWABLE = `(module
  (memory (export "memory") 1)
  (table (export "table") 1 funcref)
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "growTable") (param i32) (result i32) (table.grow (ref.null func) (local.get 0))))`;

describe('memory caps', () => {
  it('rejects an initial memory above the cap, in pages and MiB', async () => {
    const bytes = await wat('(module (memory 4096))');
    expect(() => instrumentModule(bytes, { ...CAPS, memoryMaxPages: 2048 })).toThrow(
      'initial memory of 4096 pages (256 MiB) exceeds the limit of 2048 pages (128 MiB)',
    );
    const imported = await wat('(module (import "env" "memory" (memory 40)))');
    expect(() => instrumentModule(imported, CAPS)).toThrow('initial memory of 40 pages (2.5 MiB) exceeds the limit of 16 pages (1 MiB)');
  });

  it('gives a memory without maximum the cap as maximum: growth works up to it and fails past it', async () => {
    const bytes = await wat(GROWABLE);
    expect((instantiate(bytes).grow as (pages: number) => number)(20)).toBe(1); // unlimited before
    const capped = instrumentModule(bytes, CAPS);
    expect(inspectModule(capped).memories).toEqual([{ initial: 1, maximum: 16, shared: false, memory64: false }]);
    const exports = instantiate(capped);
    const grow = exports.grow as (pages: number) => number;
    expect(grow(15)).toBe(1);
    expect((exports.memory as WebAssembly.Memory).buffer.byteLength).toBe(16 * 65536);
    expect(grow(1)).toBe(-1);
    expect(grow(0)).toBe(16);
  });

  it('lowers a larger maximum to the cap, keeps a smaller one and leaves such a module byte-identical', async () => {
    const large = instrumentModule(await wat('(module (memory 1 65536))'), CAPS);
    expect(inspectModule(large).memories[0]?.maximum).toBe(16);
    const small = await wat('(module (memory 1 8) (table 1 4 funcref))');
    expect(instrumentModule(small, CAPS)).toEqual(small);
  });

  it('caps shared memories and keeps them shared', async () => {
    const capped = instrumentModule(await wat('(module (memory (export "m") 1 1000 shared))'), CAPS);
    expect(inspectModule(capped).memories).toEqual([{ initial: 1, maximum: 16, shared: true, memory64: false }]);
    const memory = instantiate(capped).m as WebAssembly.Memory;
    expect(memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(() => memory.grow(16)).toThrow(RangeError);
  });

  it('clamps an imported memory so the host must provide one within the cap', async () => {
    const capped = instrumentModule(await wat('(module (import "env" "memory" (memory 1)))'), CAPS);
    expect(inspectModule(capped).imports[0]?.memory).toEqual({ initial: 1, maximum: 16, shared: false, memory64: false });
    const tooBig = new WebAssembly.Memory({ initial: 1, maximum: 100 });
    expect(() => instantiate(capped, { env: { memory: tooBig } })).toThrow(WebAssembly.LinkError);
    const fits = new WebAssembly.Memory({ initial: 1, maximum: 16 });
    expect(() => instantiate(capped, { env: { memory: fits } })).not.toThrow();
  });

  it('refuses memory64 and more than one memory', async () => {
    const memory64 = await wat('(module (memory i64 1))', { memory64: true });
    expect(inspectModule(memory64).memories).toEqual([{ initial: 1, maximum: null, shared: false, memory64: true }]);
    expect(() => instrumentModule(memory64, CAPS)).toThrow('64-bit memory (memory64 proposal) is not supported');
    const limits = [0x00, 0x01];
    const twoMemories = buildModule([2, [0x01, 0x01, 0x65, 0x01, 0x6d, 0x02, ...limits]], [5, [0x01, ...limits]]);
    expect(() => instrumentModule(twoMemories, CAPS)).toThrow('multiple memories (multi-memory proposal) are not supported');
  });
});

describe('table caps', () => {
  it('rejects an initial table above the cap', async () => {
    const bytes = await wat('(module (table 20000 funcref))');
    expect(() => instrumentModule(bytes, { ...CAPS, tableMaxElements: 10_000 })).toThrow(
      'initial table of 20000 elements exceeds the limit of 10000 elements',
    );
  });

  it('lets table.grow reach the cap and refuses growth past it', async () => {
    const exports = instantiate(instrumentModule(await wat(GROWABLE), CAPS));
    const growTable = exports.growTable as (elements: number) => number;
    expect(growTable(9)).toBe(1);
    expect((exports.table as WebAssembly.Table).length).toBe(10);
    expect(growTable(1)).toBe(-1);
  });

  it('caps every table, imported ones included', async () => {
    const bytes = await wat(`(module
      (import "env" "t" (table 2 externref))
      (table 1 funcref) (table 3 50 externref))`);
    const info = inspectModule(instrumentModule(bytes, CAPS));
    expect(info.imports[0]?.table).toEqual({ initial: 2, maximum: 10, elementType: 'externref' });
    expect(info.tables).toEqual([
      { initial: 1, maximum: 10, elementType: 'funcref' },
      { initial: 3, maximum: 10, elementType: 'externref' },
    ]);
  });
});

describe('instrumentModule options', () => {
  it('rejects impossible caps', async () => {
    const bytes = await wat('(module)');
    expect(() => instrumentModule(bytes, { ...CAPS, memoryMaxPages: 65_537 })).toThrow(RangeError);
    expect(() => instrumentModule(bytes, { ...CAPS, tableMaxElements: -1 })).toThrow(RangeError);
    expect(() => instrumentModule(bytes, { ...CAPS, memoryMaxPages: 1.5 })).toThrow(RangeError);
  });

  it(`refuses a module that already exports ${FUEL_EXPORT} when metering`, async () => {
    const bytes = await wat(`(module (global (export "${FUEL_EXPORT}") i64 (i64.const 0)))`);
    expect(() => instrumentModule(bytes, { ...CAPS, meterFuel: true })).toThrow(`already exports "${FUEL_EXPORT}"`);
    expect(() => instrumentModule(bytes, CAPS)).not.toThrow();
  });
});

describe('what instrumentation preserves', () => {
  it('keeps custom sections byte for byte and in place, and adds only the fuel global and export', async () => {
    const source = await wat(`(module
      (global $g (mut i32) (i32.const 1))
      (func $answer (export "answer") (result i32) (global.get $g)))`);
    const bytes = withCustomSection(source, 'producers', Uint8Array.from([1, 2, 3]));
    const out = instrumentModule(bytes, { ...CAPS, meterFuel: true });
    const before = readModule(bytes);
    const after = readModule(out);
    const customs = (module: typeof before): [string, number[]][] =>
      module.customSections.map((section) => [section.name, [...section.data]]);
    expect(customs(after)).toEqual(customs(before));
    expect(after.sections.map((section) => section.id)).toEqual(before.sections.map((section) => section.id));
    expect(after.globals).toEqual([...before.globals, { type: 'i64', mutable: true }]);
    expect(after.exports).toEqual([...before.exports, { name: FUEL_EXPORT, kind: 'global', index: 1 }]);
    expect(after.types).toEqual(before.types);
    expect(after.functionTypes).toEqual(before.functionTypes);
    const exports = new WebAssembly.Instance(new WebAssembly.Module(out)).exports;
    expect((exports.answer as () => number)()).toBe(1);
  });

  it('creates global and export sections in canonical order when the module has none', async () => {
    const out = instrumentModule(await wat('(module (memory 1) (func (drop (i32.const 1))) (data (i32.const 0) "x"))'), {
      ...CAPS,
      meterFuel: true,
    });
    expect(readModule(out).sections.map((section) => section.id)).toEqual([1, 3, 5, 6, 7, 10, 11, 0]);
    const exports = new WebAssembly.Instance(new WebAssembly.Module(out)).exports;
    expect(exports[FUEL_EXPORT]).toBeInstanceOf(WebAssembly.Global);
  });

  it('leaves code untouched without metering and adds one local group per metered function', async () => {
    const bytes = await wat('(module (func (export "f") (param i32) (local i64 f32) (drop (local.get 0))))');
    const plain = readModule(instrumentModule(bytes, CAPS));
    expect(plain.bodies).toEqual(readModule(bytes).bodies);
    const metered = readModule(instrumentModule(bytes, { ...CAPS, meterFuel: true }));
    expect(metered.bodies[0]).toMatchObject({ localGroupCount: 3, localCount: 3 });
  });
});
