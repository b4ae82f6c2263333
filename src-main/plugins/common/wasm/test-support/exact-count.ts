// Test-only reference for fuel metering: rewrites a module so it counts exactly the work the fuel model charges for.
// Never used by product code, and never a model of how to meter: it is slow on purpose (no folding, no leaves).
//
// What it counts, "executed work" (the fuel model of ../instrument.ts without its approximations):
//   - 1 per instruction executed, where an instruction executes when control reaches it in sequence: `block`, `loop`,
//     `if`, `try` count once when entered (a branch back to a loop lands after its `loop`); `else` counts when the
//     then-arm falls through into it; `end`/`delegate` count when control falls through them (a branch to a block's
//     label lands after its `end`, which does not count); `br`, `br_if`, `br_table`, calls, `return` count when they
//     execute, taken or not; code never reached (dead code, the rest of a function after a trap) counts nothing.
//     A call counts 1 in the caller, and the callee's own instructions in the callee — including the small "leaf"
//     functions that the metered module charges at their call sites by their whole size.
//   - Bulk operations additionally count their length before they run, as fuel does: memory.fill/copy/init 1 per
//     16 bytes (rounded down), table.fill/copy/init/grow 1 per element, memory.grow 4096 per page.
// How: one i64 global, exported under FUEL_EXPORT (so the same runners read it) and counting DOWN, is lowered by
// each straight-line run's exact length at the run's start. A run is the plain instructions up to and including the
// next non-plain one (control flow, call, bulk operation); it has one entry, so all of it runs unless something in it
// traps. Consequently only calls that return normally are counted exactly (a trap may leave up to one run counted
// but not executed), which is all a comparison with fuel needs: metered calls that trap are not comparable anyway.

import { ByteReader } from '../byte-reader';
import { ByteWriter } from '../byte-writer';
import { E_END, E_FLOW, E_LABEL_COUNT, E_LABELS, E_OFFSET, E_PLAIN_BEFORE, E_SUB_OPCODE, scanCode } from '../code-scan';
import { F_BULK, F_MEMORY_GROW } from '../code-cursor';
import { importCount, SECTION_ORDER, type ParsedModule, type Section } from '../parsed-module';
import { readModule } from '../reader';
import { FUEL_EXPORT } from '../types';

const GLOBAL_SECTION = 6;
const EXPORT_SECTION = 7;
const CODE_SECTION = 10;
const EXPORT_KIND_GLOBAL = 3;

const LOCAL_GET = 0x20;
const LOCAL_TEE = 0x22;
const GLOBAL_GET = 0x23;
const GLOBAL_SET = 0x24;
const I64_CONST = 0x42;
const I64_SUB = 0x7d;
const I64_SHL = 0x86;
const I64_SHR_U = 0x88;
const I64_EXTEND_I32_U = 0xad;
const I32 = 0x7f;
const I64 = 0x7e;

/**
 * The module rewritten to count its executed work (see the header) down from the exported FUEL_EXPORT global's
 * value: set it to N before a call, read R after; the call did exactly N − R. Never traps for running out.
 */
export function exactCountModule(bytes: Uint8Array): Uint8Array {
  const module = readModule(bytes);
  const counter = importCount(module, 'global') + module.globals.length;
  const out = new ByteWriter(bytes.length * 3 + 64).bytes(bytes.subarray(0, 8));
  const missing = [GLOBAL_SECTION, EXPORT_SECTION];
  const rank = (id: number): number => SECTION_ORDER.indexOf(id);
  const emitMissingBefore = (limit: number): void => {
    while (missing.length > 0 && rank(missing[0] as number) < limit) {
      const id = missing.shift() as number;
      out.section(id, id === GLOBAL_SECTION ? globalSection(module, null) : exportSection(module, null, counter));
    }
  };
  for (const section of module.sections) {
    if (section.id !== 0) emitMissingBefore(rank(section.id));
    if (missing[0] === section.id) missing.shift();
    if (section.id === GLOBAL_SECTION) out.section(section.id, globalSection(module, section));
    else if (section.id === EXPORT_SECTION) out.section(section.id, exportSection(module, section, counter));
    else if (section.id === CODE_SECTION) out.section(section.id, codeSection(module, counter));
    else out.bytes(bytes.subarray(section.offset, section.end));
  }
  emitMissingBefore(Infinity);
  return out.finish().slice();
}

function entries(module: ParsedModule, section: Section | null): { count: number; rest: Uint8Array } {
  if (section === null) return { count: 0, rest: new Uint8Array(0) };
  const r = new ByteReader(module.bytes, section.start, section.end, `section ${section.id}`);
  const count = r.u32();
  return { count, rest: module.bytes.subarray(r.pos, section.end) };
}

function globalSection(module: ParsedModule, section: Section | null): Uint8Array {
  const { count, rest } = entries(module, section);
  // (global (mut i64) (i64.const 0))
  return new ByteWriter(rest.length + 16).u32(count + 1).bytes(rest).byte(I64).byte(1).byte(I64_CONST).byte(0).byte(0x0b).finish().slice();
}

function exportSection(module: ParsedModule, section: Section | null, counter: number): Uint8Array {
  const { count, rest } = entries(module, section);
  return new ByteWriter(rest.length + 32).u32(count + 1).bytes(rest).name(FUEL_EXPORT).byte(EXPORT_KIND_GLOBAL).u32(counter).finish().slice();
}

function codeSection(module: ParsedModule, counter: number): Uint8Array {
  const { bytes, bodies, types, functionTypes } = module;
  const scan = scanCode(module);
  const { events } = scan;
  const out = new ByteWriter(bytes.length * 3 + 64).u32(bodies.length);
  const w = new ByteWriter(4096);
  const lower = (amount: number): void => {
    w.byte(GLOBAL_GET).u32(counter).byte(I64_CONST).sleb(amount).byte(I64_SUB).byte(GLOBAL_SET).u32(counter);
  };
  for (let b = 0; b < bodies.length; b++) {
    const body = bodies[b]!;
    const temp = (types[functionTypes[b] as number]?.params.length ?? 0) + body.localCount; // an added i32 local
    w.reset();
    w.u32(body.localGroupCount + 1).copy(bytes, body.localGroupsStart, body.codeStart).byte(1).byte(I32);
    let runStart = body.codeStart;
    const last = scan.eventStarts[b + 1] as number;
    for (let at = scan.eventStarts[b] as number; at < last; at += E_LABELS + (events[at + E_LABEL_COUNT] as number)) {
      const flow = events[at + E_FLOW] as number;
      const offset = events[at + E_OFFSET] as number;
      const end = events[at + E_END] as number;
      lower((events[at + E_PLAIN_BEFORE] as number) + 1);
      w.copy(bytes, runStart, offset);
      if (flow === F_BULK || flow === F_MEMORY_GROW) {
        // [.., length] → [.., length], the counter lowered by the length's cost.
        w.byte(LOCAL_TEE).u32(temp).byte(GLOBAL_GET).u32(counter).byte(LOCAL_GET).u32(temp).byte(I64_EXTEND_I32_U);
        const sub = events[at + E_SUB_OPCODE] as number;
        if (flow === F_MEMORY_GROW) w.byte(I64_CONST).byte(12).byte(I64_SHL);
        else if (sub === 0x08 || sub === 0x0a || sub === 0x0b) w.byte(I64_CONST).byte(4).byte(I64_SHR_U);
        w.byte(I64_SUB).byte(GLOBAL_SET).u32(counter);
      }
      w.copy(bytes, offset, end);
      runStart = end;
    }
    w.copy(bytes, runStart, body.end); // nothing in a well-formed body: its last instruction is its `end`
    out.u32(w.size).bytes(w.finish());
  }
  return out.finish().slice();
}
