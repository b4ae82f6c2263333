// CodeCursor and scanCode: the allocation-free decoding path agrees with the full instruction decoder
// (./instructions.ts) on every instruction of real modules, and accepts and rejects exactly the same encodings.

import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { errorMessage } from '../../../../src-shared/errors';
import { ByteReader } from './byte-reader';
import { ByteWriter } from './byte-writer';
import { CodeCursor, F_PLAIN, F_REF_FUNC, flowCode } from './code-cursor';
import { E_END, E_FLOW, E_INDEX, E_LABEL_COUNT, E_LABELS, E_OFFSET, E_PLAIN_BEFORE, scanCode } from './code-scan';
import { readInstruction, type Instruction } from './instructions';
import { readModule } from './reader';
import { buildModule, codeSection } from './test-support/wat-runner';

const FIXTURES = fileURLToPath(new URL('../../../../plugins/fixtures/', import.meta.url));
const modules = [
  ...['big', 'good', 'hostile', 'bench'].map((name) => `c/${name}.wasm`),
  ...readdirSync(`${FIXTURES}ttf`)
    .filter((name) => name.endsWith('.wasm'))
    .sort()
    .slice(0, 60)
    .map((name) => `ttf/${name}`),
];

/** What scanCode should record for an instruction decoded by readInstruction: null for plain ones. */
function expectedEvent(ins: Instruction): number[] | null {
  const flow = ins.opcode === 0xd2 ? F_REF_FUNC : flowCode(ins.flow);
  if (flow === F_PLAIN) return null;
  const { imm } = ins;
  const index = imm.kind === 'index' ? imm.index : imm.kind === 'indexPair' ? imm.first : 0;
  const labels =
    imm.kind === 'brTable' ? [...imm.targets, imm.defaultTarget] : imm.kind === 'tryTable' ? imm.catches.map((c) => c.label) : [];
  return [flow, ins.offset, ins.end, index, ...labels];
}

describe('scanCode', () => {
  it.each(modules)('%s: same instructions as the full decoder', (path) => {
    const module = readModule(new Uint8Array(readFileSync(FIXTURES + path)));
    const scan = scanCode(module);
    module.bodies.forEach((body, b) => {
      const expected: number[][] = [];
      const plainBefore: number[] = [];
      let count = 0;
      let plain = 0;
      const r = new ByteReader(module.bytes, body.codeStart, body.end, 'test');
      while (!r.atEnd()) {
        const event = expectedEvent(readInstruction(r));
        count++;
        if (event === null) {
          plain++;
          continue;
        }
        expected.push(event);
        plainBefore.push(plain);
        plain = 0;
      }
      const actual: number[][] = [];
      const actualPlain: number[] = [];
      const { events } = scan;
      for (let e = scan.eventStarts[b] as number; e < (scan.eventStarts[b + 1] as number); e += E_LABELS + (events[e + E_LABEL_COUNT] as number)) {
        const labels = Array.from(events.subarray(e + E_LABELS, e + E_LABELS + (events[e + E_LABEL_COUNT] as number)));
        actual.push([events[e + E_FLOW], events[e + E_OFFSET], events[e + E_END], events[e + E_INDEX], ...labels] as number[]);
        actualPlain.push(events[e + E_PLAIN_BEFORE] as number);
      }
      expect(actual).toEqual(expected);
      expect(actualPlain).toEqual(plainBefore);
      expect(scan.instructionCounts[b]).toBe(count);
      expect(scan.trailingPlain[b]).toBe(plain);
    });
  });

  it('raises the full decoder’s error for a malformed body', () => {
    const bytes = buildModule([1, [1, 0x60, 0, 0]], [3, [1, 0]], [10, codeSection(1, [0x41, 0x80, 0x80, 0x80, 0x80, 0x10, 0x0b])]);
    expect(() => scanCode(readModule(bytes))).toThrow('LEB128 integer out of range in function 0');
  });
});

/** The outcome of decoding `code` with readInstruction, or with CodeCursor: end offset and fields, or the error. */
function decodeBoth(code: readonly number[]): [string, string] {
  const bytes = Uint8Array.from(code);
  const outcome = (decode: (r: ByteReader) => unknown): string => {
    const r = new ByteReader(bytes, 0, bytes.length, 'test');
    try {
      return JSON.stringify(decode(r));
    } catch (error) {
      return `error: ${errorMessage(error)}`;
    }
  };
  const full = outcome((r) => {
    const ins = readInstruction(r);
    return { end: ins.end, opcode: ins.opcode, index: ins.imm.kind === 'index' ? ins.imm.index : 0 };
  });
  const fast = outcome((r) => {
    const cursor = new CodeCursor(r);
    cursor.next();
    return { end: cursor.end, opcode: cursor.opcode, index: cursor.index };
  });
  return [fast, full];
}

const s64 = (value: bigint): number[] => [...new ByteWriter().s64(value).finish()];

/** scanCode's outcome on a one-function module with `code` as its body, and the full decoder's. */
function scanBoth(code: readonly number[]): [string, string] {
  const module = readModule(buildModule([1, [1, 0x60, 0, 0]], [3, [1, 0]], [10, codeSection(1, code)]));
  const body = module.bodies[0];
  if (body === undefined) throw new Error('no body');
  const outcome = (run: () => unknown): string => {
    try {
      return JSON.stringify(run());
    } catch (error) {
      return `error: ${errorMessage(error)}`;
    }
  };
  const fast = outcome(() => scanCode(module).instructionCounts[0]);
  const full = outcome(() => {
    const r = new ByteReader(module.bytes, body.codeStart, body.end, 'function 0');
    let count = 0;
    for (; !r.atEnd(); count++) readInstruction(r);
    return count;
  });
  return [fast, full];
}

const EDGE_CASES: readonly (readonly [string, readonly number[]])[] = [
    ['i32.const, 4 bytes', [0x41, 0xff, 0xff, 0xff, 0x7f]],
    ['i32.const, 5 bytes, largest', [0x41, 0xff, 0xff, 0xff, 0xff, 0x07]],
    ['i32.const, 5 bytes, smallest', [0x41, 0x80, 0x80, 0x80, 0x80, 0x78]],
    ['i32.const, 5 bytes, out of range', [0x41, 0xff, 0xff, 0xff, 0xff, 0x0f]],
    ['i32.const, 5 bytes, out of range (negative)', [0x41, 0x80, 0x80, 0x80, 0x80, 0x70]],
    ['i32.const, overlong', [0x41, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00]],
    ['i32.const, truncated', [0x41, 0x80, 0x80]],
    ['i64.const, 9 bytes', [0x42, ...s64(1n << 62n)]],
    ['i64.const, 10 bytes, max', [0x42, ...s64((1n << 63n) - 1n)]],
    ['i64.const, 10 bytes, min', [0x42, ...s64(-(1n << 63n))]],
    ['i64.const, 10 bytes, out of range', [0x42, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]],
    ['i64.const, 10 bytes, out of range (negative)', [0x42, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7e]],
    ['f32.const', [0x43, 0, 0, 0x80, 0x3f]],
    ['f32.const, truncated', [0x43, 0, 0, 0x80]],
    ['f64.const, truncated', [0x44, 0, 0, 0, 0, 0, 0, 0xf0]],
    ['load, multi-byte offset', [0x28, 0x02, 0x80, 0x80, 0x04]],
    ['load, memory index flag (multi-memory)', [0x28, 0x42, 0x00, 0x00]],
    ['load, invalid alignment', [0x28, 0x80, 0x01, 0x00]],
    ['memory.grow, memory 1', [0x40, 0x01]],
    ['memory.size', [0x3f, 0x00]],
    ['block, type index', [0x02, 0x05]],
    ['block, invalid type', [0x02, 0x60]],
    ['block, GC type', [0x02, 0x6e]],
    ['call, 5-byte index', [0x10, 0xff, 0xff, 0xff, 0xff, 0x0f]],
    ['br_table', [0x0e, 0x02, 0x00, 0x01, 0x00]],
    ['br_table, truncated', [0x0e, 0x02, 0x00]],
    ['ref.func', [0xd2, 0x81, 0x01]],
    ['call_ref (refused)', [0x14, 0x00]],
    ['unknown opcode', [0x27]],
    ['prefixed', [0xfc, 0x0b, 0x00]],
    ['empty', []],
];

describe('CodeCursor fast paths', () => {
  it.each(EDGE_CASES)('%s', (_name, code) => {
    const [fast, full] = decodeBoth(code);
    expect(fast).toBe(full);
  });
});

describe('scanCode skipping plain instructions', () => {
  it.each([
    ...EDGE_CASES,
    ['local.get, long index', [0x20, 0x80, 0x00]],
    ['local.get, truncated', [0x20]],
    ['load, truncated offset', [0x28, 0x02]],
    ['i64.const, one byte', [0x42, 0x7f]],
  ] as const)('%s', (_name, code) => {
    const [fast, full] = scanBoth([...code, 0x0b]);
    expect(fast).toBe(full);
  });
});
