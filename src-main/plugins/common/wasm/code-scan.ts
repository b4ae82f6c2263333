// One decoding pass over every function body, keeping only what call planning and metering need: per body its
// instruction count, and a flat list of its non-plain instructions ("events": control flow, calls, bulk operations,
// ref.func) with the number of plain instructions before each. Metering replays the events instead of decoding again.
// Raises every decoding error (in body order) before anything is planned or metered; checks no block structure.

import { ByteReader } from './byte-reader';
import {
  CodeCursor,
  F_PLAIN,
  PLAIN_SKIP,
  SKIP_F32,
  SKIP_F64,
  SKIP_MEMARG,
  SKIP_ONE_BYTE,
  SKIP_NONE,
  SKIP_OPCODE,
} from './code-cursor';
import type { ParsedModule } from './parsed-module';

// Event record layout in CodeScan.events: fixed fields, then `labelCount` labels.
export const E_FLOW = 0;
export const E_OPCODE = 1;
export const E_SUB_OPCODE = 2;
/** Absolute offset of the instruction. */
export const E_OFFSET = 3;
/** Absolute offset just past it. */
export const E_END = 4;
/** Plain instructions between the previous event of the body (or its start) and this one. */
export const E_PLAIN_BEFORE = 5;
/** First index immediate (see CodeCursor.index). */
export const E_INDEX = 6;
export const E_LABEL_COUNT = 7;
export const E_LABELS = 8;

export interface CodeScan {
  /** Event records of all bodies, back to back. */
  readonly events: Uint32Array;
  /** Per body: index in `events` of its first record, and (at i + 1) one past its last. */
  readonly eventStarts: Int32Array;
  /** Per body: the number of instructions (plain and events). */
  readonly instructionCounts: Int32Array;
  /** Per body: plain instructions after its last event (non-zero only in malformed bodies). */
  readonly trailingPlain: Int32Array;
}

/** Decodes every body of `module` once; throws WasmLoadError at the first malformed or unsupported instruction. */
export function scanCode(module: ParsedModule): CodeScan {
  const { bodies, bytes } = module;
  let events = new Uint32Array(64 + (bytes.length >> 1)); // room for one event per 16 bytes of code: rarely grows
  let length = 0;
  const eventStarts = new Int32Array(bodies.length + 1);
  const instructionCounts = new Int32Array(bodies.length);
  const trailingPlain = new Int32Array(bodies.length);
  for (let b = 0; b < bodies.length; b++) {
    const body = bodies[b]!;
    eventStarts[b] = length;
    const r = new ByteReader(bytes, body.codeStart, body.end, `function ${body.funcIndex}`);
    const cursor = new CodeCursor(r);
    let plain = 0;
    let count = 0;
    let pos = body.codeStart;
    const end = body.end;
    while (pos < end) {
      count++;
      const skip = PLAIN_SKIP[bytes[pos] as number] as number;
      if (skip === SKIP_OPCODE) {
        pos++;
        plain++;
        continue;
      }
      if (skip === SKIP_ONE_BYTE && pos + 1 < end && (bytes[pos + 1] as number) < 0x80) {
        pos += 2;
        plain++;
        continue;
      }
      if (skip !== SKIP_NONE) {
        const next = plainEnd(bytes, pos, end, skip);
        if (next > 0) {
          pos = next;
          plain++;
          continue;
        }
      }
      r.pos = pos;
      const flow = cursor.next();
      pos = r.pos;
      if (flow === F_PLAIN) {
        plain++;
        continue;
      }
      const labels = cursor.labelCount;
      if (length + E_LABELS + labels > events.length) {
        const grown = new Uint32Array(Math.max(events.length * 2, length + E_LABELS + labels));
        grown.set(events);
        events = grown;
      }
      events[length + E_FLOW] = flow;
      events[length + E_OPCODE] = cursor.opcode;
      events[length + E_SUB_OPCODE] = cursor.subOpcode >>> 0; // -1 (none) becomes 0xFFFFFFFF
      events[length + E_OFFSET] = cursor.offset;
      events[length + E_END] = cursor.end;
      events[length + E_PLAIN_BEFORE] = plain;
      events[length + E_INDEX] = cursor.index;
      events[length + E_LABEL_COUNT] = labels;
      for (let i = 0; i < labels; i++) events[length + E_LABELS + i] = cursor.labels[i] as number;
      length += E_LABELS + labels;
      plain = 0;
    }
    instructionCounts[b] = count;
    trailingPlain[b] = plain;
  }
  eventStarts[bodies.length] = length;
  return { events: events.subarray(0, length), eventStarts, instructionCounts, trailingPlain };
}

/** End of the plain instruction at `pos` skipped as `skip` says, or 0 when it needs decoding (see PLAIN_SKIP). */
function plainEnd(bytes: Uint8Array, pos: number, end: number, skip: number): number {
  switch (skip) {
    case SKIP_OPCODE:
      return pos + 1;
    case SKIP_ONE_BYTE:
      return pos + 1 < end && (bytes[pos + 1] as number) < 0x80 ? pos + 2 : 0;
    case SKIP_MEMARG:
      return pos + 2 < end && (bytes[pos + 1] as number) < 0x40 && (bytes[pos + 2] as number) < 0x80 ? pos + 3 : 0;
    case SKIP_F32:
      return pos + 4 < end ? pos + 5 : 0;
    case SKIP_F64:
      return pos + 8 < end ? pos + 9 : 0;
    default:
      return 0;
  }
}
