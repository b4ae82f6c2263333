// inspectModule on real modules compiled with wabt and on hand-made broken binaries.
// Asserts the exact messages the CLI and runtime show; never relies on V8 to find the problem.

import { describe, expect, it } from 'vitest';
import { inspectModule } from './inspect';
import { buildModule, codeSection, wat, withCustomSection } from './test-support/wat-runner';

const TYPE_VOID: number[] = [0x01, 0x60, 0x00, 0x00]; // one type: () -> ()

describe('inspectModule on well-formed modules', () => {
  it('lists imports of every kind with function types and limits', async () => {
    const bytes = await wat(`(module
      (import "env" "log" (func (param i32 i64) (result f32)))
      (import "env" "memory" (memory 2 10))
      (import "env" "table" (table 3 funcref))
      (import "env" "counter" (global (mut i32)))
      (import "env" "oops" (tag (param i32))))`);
    const info = inspectModule(bytes);
    expect(info.imports).toEqual([
      { module: 'env', name: 'log', kind: 'func', type: { params: ['i32', 'i64'], results: ['f32'] } },
      { module: 'env', name: 'memory', kind: 'memory', memory: { initial: 2, maximum: 10, shared: false, memory64: false } },
      { module: 'env', name: 'table', kind: 'table', table: { initial: 3, maximum: null, elementType: 'funcref' } },
      { module: 'env', name: 'counter', kind: 'global' },
      { module: 'env', name: 'oops', kind: 'tag' },
    ]);
    expect(info.memories).toEqual([]);
    expect(info.functionCount).toBe(0);
    expect(info.byteLength).toBe(bytes.length);
  });

  it('gives exported functions their types, including imported and multi-value ones', async () => {
    const bytes = await wat(`(module
      (import "env" "f" (func $f (param externref)))
      (memory (export "memory") 1 2)
      (table (export "tbl") 1 5 externref)
      (global (export "g") i32 (i32.const 7))
      (tag (export "t"))
      (export "reexported" (func $f))
      (func (export "execute") (param i32 i32) (result i32) (local.get 0))
      (func (export "pair") (result i64 v128) (i64.const 1) (v128.const i64x2 0 0)))`);
    const info = inspectModule(bytes);
    expect(info.exports).toEqual([
      { name: 'memory', kind: 'memory', index: 0 },
      { name: 'tbl', kind: 'table', index: 0 },
      { name: 'g', kind: 'global', index: 0 },
      { name: 't', kind: 'tag', index: 0 },
      { name: 'reexported', kind: 'func', index: 0, type: { params: ['externref'], results: [] } },
      { name: 'execute', kind: 'func', index: 1, type: { params: ['i32', 'i32'], results: ['i32'] } },
      { name: 'pair', kind: 'func', index: 2, type: { params: [], results: ['i64', 'v128'] } },
    ]);
    expect(info.memories).toEqual([{ initial: 1, maximum: 2, shared: false, memory64: false }]);
    expect(info.tables).toEqual([{ initial: 1, maximum: 5, elementType: 'externref' }]);
    expect(info.functionCount).toBe(2);
  });

  it('reports shared memories', async () => {
    const info = inspectModule(await wat('(module (memory 1 4 shared))'));
    expect(info.memories).toEqual([{ initial: 1, maximum: 4, shared: true, memory64: false }]);
  });

  it('returns custom sections by name, as copies, in order', async () => {
    const metadata = new TextEncoder().encode('{"name":"demo"}');
    const bytes = withCustomSection(await wat('(module (func $named))'), 'conductor.plugin', metadata);
    const info = inspectModule(bytes);
    expect(info.customSections.map((section) => section.name)).toEqual(['name', 'conductor.plugin']);
    const plugin = info.customSections[1];
    expect(new TextDecoder().decode(plugin?.data)).toBe('{"name":"demo"}');
    expect(plugin?.data.buffer).not.toBe(bytes.buffer);
  });

  it('accepts padded (non-minimal) LEB128 sizes as the spec allows', () => {
    const bytes = Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0x01, 0x84, 0x80, 0x80, 0x80, 0x00, ...TYPE_VOID]);
    expect(inspectModule(bytes).functionCount).toBe(0);
  });
});

describe('inspectModule on broken modules', () => {
  it('rejects garbage and wrong magic bytes', () => {
    expect(() => inspectModule(new TextEncoder().encode('#!/bin/sh\necho hi\n'))).toThrow(
      'not a WebAssembly module: bad magic bytes',
    );
    expect(() => inspectModule(new Uint8Array(0))).toThrow('not a WebAssembly module: bad magic bytes');
  });

  it('rejects other binary versions and components, naming the version', () => {
    expect(() => inspectModule(Uint8Array.from([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0]))).toThrow(
      'unsupported WebAssembly binary version 2 (expected 1)',
    );
    expect(() => inspectModule(Uint8Array.from([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0]))).toThrow(
      'unsupported WebAssembly binary version 65549 (expected 1) — this is a WebAssembly component, not a core module',
    );
  });

  it('reports a truncated header and a truncated section with the offset where the bytes end', async () => {
    expect(() => inspectModule(Uint8Array.from([0, 0x61, 0x73, 0x6d, 1]))).toThrow(
      'malformed module: header truncated at byte offset 5',
    );
    const bytes = buildModule([1, TYPE_VOID], [3, [0x01, 0x00]], [10, codeSection(1, [0x41, 0x2a, 0x1a, 0x0b])]);
    const cut = bytes.subarray(0, bytes.length - 2);
    expect(() => inspectModule(cut)).toThrow(`malformed module: section 10 (code) truncated at byte offset ${cut.length}`);
  });

  it('reports a truncated entry inside a section at the section end', () => {
    const bytes = buildModule([1, [0x02, 0x60, 0x00, 0x00]]); // claims two types, holds one
    expect(() => inspectModule(bytes)).toThrow('malformed module: section 1 (type) truncated at byte offset 14');
  });

  it('rejects overlong and out-of-range LEB128 counts', () => {
    const overlong = buildModule([1, [0x81, 0x80, 0x80, 0x80, 0x80, 0x00]]);
    expect(() => inspectModule(overlong)).toThrow(
      'malformed module: overlong LEB128 integer (more than 5 bytes) in section 1 (type) at byte offset 10',
    );
    const tooLarge = buildModule([1, [0xff, 0xff, 0xff, 0xff, 0x7f]]);
    expect(() => inspectModule(tooLarge)).toThrow('LEB128 integer out of range in section 1 (type) at byte offset 10');
  });

  it('rejects unknown, duplicated and misordered sections', () => {
    expect(() => inspectModule(buildModule([14, []]))).toThrow('malformed module: unknown section id 14 in module at byte offset 8');
    expect(() => inspectModule(buildModule([1, TYPE_VOID], [1, TYPE_VOID]))).toThrow(
      'section 1 (type) is duplicated or out of order in module at byte offset 14',
    );
    expect(() => inspectModule(buildModule([3, [0x00]], [1, TYPE_VOID]))).toThrow('section 1 (type) is duplicated or out of order');
  });

  it('rejects trailing bytes in a section and dangling indices', () => {
    expect(() => inspectModule(buildModule([1, [...TYPE_VOID, 0x00]]))).toThrow(
      'malformed module: 1 unexpected trailing bytes in section 1 (type) at byte offset 14',
    );
    expect(() => inspectModule(buildModule([1, TYPE_VOID], [3, [0x01, 0x05]], [10, codeSection(1, [0x0b])]))).toThrow(
      'malformed module: type index 5 out of range (1 types) in section 3 (function) at byte offset 17',
    );
    expect(() => inspectModule(buildModule([1, TYPE_VOID], [3, [0x01, 0x00]]))).toThrow(
      'declares 1 functions but there is no code section',
    );
  });

  it('names proposals it does not support', () => {
    const struct = buildModule([1, [0x01, 0x5f, 0x00]]);
    expect(() => inspectModule(struct)).toThrow('unsupported struct or array type (GC proposal) in section 1 (type) at byte offset 11');
    const typedRef = buildModule([1, [0x01, 0x60, 0x01, 0x64, 0x70, 0x00]]);
    expect(() => inspectModule(typedRef)).toThrow('unsupported type 0x64 (typed function references proposal)');
  });
});
