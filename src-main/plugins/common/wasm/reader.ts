// Section-level reader of WebAssembly binaries: header, section order, every known section decoded and bounds-checked.
// Keeps byte ranges so the rewriter can copy untouched bytes verbatim; never executes, compiles or mutates anything.

import { ByteReader } from './byte-reader';
import { readConstExpr, type Instruction } from './instructions';
import {
  importCount,
  MAX_FUNCTION_LOCALS,
  SECTION_NAMES,
  SECTION_ORDER,
  sectionLabel,
  type FunctionBody,
  type GlobalType,
  type ParsedImport,
  type ParsedExport,
  type ParsedLimits,
  type ParsedModule,
  type ParsedTable,
  type Section,
} from './parsed-module';
import { WasmLoadError, type ExternKind, type FuncType, type ValType } from './types';
import { readValType, readValTypes } from './value-types';

const HEADER_SIZE = 8;
const REF_FUNC = 0xd2;
const MAGIC = [0x00, 0x61, 0x73, 0x6d];
const EXTERN_KINDS: readonly ExternKind[] = ['func', 'table', 'memory', 'global', 'tag'];
const REFERENCE_TYPES: ReadonlySet<ValType> = new Set(['funcref', 'externref', 'exnref']);

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Parses and bounds-checks every section; instruction streams are checked later by whoever decodes them. */
export function readModule(bytes: Uint8Array): ParsedModule {
  checkHeader(bytes);
  const module: Mutable<ParsedModule> = {
    bytes,
    sections: [],
    types: [],
    imports: [],
    functionTypes: [],
    tables: [],
    memories: [],
    tags: [],
    globals: [],
    exports: [],
    start: null,
    dataCount: null,
    bodies: [],
    customSections: [],
    functionRefs: [],
  };
  let lastRank = -1;
  let sawCode = false;
  const top = new ByteReader(bytes, HEADER_SIZE, bytes.length, 'module');
  while (!top.atEnd()) {
    const section = readSectionHeader(top);
    if (section.id !== 0) {
      const rank = SECTION_ORDER.indexOf(section.id);
      if (rank <= lastRank) top.fail(`${sectionLabel(section.id)} is duplicated or out of order`, section.offset);
      lastRank = rank;
    }
    module.sections.push(section);
    const r = new ByteReader(bytes, section.start, section.end, sectionLabel(section.id));
    readSectionContent(r, section, module);
    if (!r.atEnd()) r.fail(`${section.end - r.pos} unexpected trailing bytes`);
    sawCode ||= section.id === 10;
  }
  if (!sawCode && module.functionTypes.length > 0) {
    throw new WasmLoadError(
      `malformed module: the function section declares ${module.functionTypes.length} functions but there is no code section`,
    );
  }
  return module;
}

function checkHeader(bytes: Uint8Array): void {
  if (bytes.length < 4 || MAGIC.some((byte, i) => bytes[i] !== byte)) {
    throw new WasmLoadError('not a WebAssembly module: bad magic bytes');
  }
  if (bytes.length < HEADER_SIZE) {
    throw new WasmLoadError(`malformed module: header truncated at byte offset ${bytes.length}`);
  }
  const version = new DataView(bytes.buffer, bytes.byteOffset + 4, 4).getUint32(0, true);
  if (version === 1) return;
  const component = (version & 0xffff) === 0x0d && version >>> 16 === 1;
  const hint = component ? ' — this is a WebAssembly component, not a core module' : '';
  throw new WasmLoadError(`unsupported WebAssembly binary version ${version} (expected 1)${hint}`);
}

function readSectionHeader(top: ByteReader): Section {
  const offset = top.pos;
  const id = top.u8();
  if (!SECTION_NAMES.has(id)) top.fail(`unknown section id ${id}`, offset);
  const size = top.u32();
  const start = top.pos;
  if (size > top.end - start) {
    throw new WasmLoadError(`malformed module: ${sectionLabel(id)} truncated at byte offset ${top.end}`);
  }
  top.pos = start + size;
  return { id, offset, start, end: start + size };
}

function readSectionContent(r: ByteReader, section: Section, module: Mutable<ParsedModule>): void {
  switch (section.id) {
    case 0:
      return readCustom(r, module);
    case 1:
      return readVec(r, () => module.types.push(readFuncType(r)));
    case 2:
      return readVec(r, () => module.imports.push(readImport(r, module)));
    case 3:
      return readVec(r, () => module.functionTypes.push(readTypeIndex(r, module)));
    case 4:
      return readVec(r, () => module.tables.push(readTableType(r)));
    case 5:
      return readVec(r, () => module.memories.push(readLimits(r, 'memory')));
    case 6:
      return readVec(r, () => module.globals.push(readGlobal(r, module.functionRefs)));
    case 7:
      return readVec(r, () => module.exports.push(readExport(r)));
    case 8:
      module.start = r.u32();
      return;
    case 9:
      return readVec(r, () => readElementSegment(r, module.functionRefs));
    case 10:
      return readCode(r, module);
    case 11:
      return readData(r, module);
    case 12:
      module.dataCount = r.u32();
      return;
    case 13:
      return readVec(r, () => module.tags.push(readTagType(r, module)));
  }
}

function readVec(r: ByteReader, readItem: () => void): void {
  const count = r.u32();
  for (let i = 0; i < count; i++) readItem();
}

function readCustom(r: ByteReader, module: Mutable<ParsedModule>): void {
  const name = r.name();
  module.customSections.push({ name, data: r.take(r.end - r.pos) });
}

function readFuncType(r: ByteReader): FuncType {
  const offset = r.pos;
  const form = r.u8();
  if (form === 0x60) return { params: readValTypes(r), results: readValTypes(r) };
  if (form >= 0x4e && form <= 0x50) r.unsupported('unsupported recursive or sub type (GC proposal)', offset);
  if (form === 0x5f || form === 0x5e) r.unsupported('unsupported struct or array type (GC proposal)', offset);
  return r.fail(`invalid type form 0x${form.toString(16)}`, offset);
}

function readTypeIndex(r: ByteReader, module: ParsedModule): number {
  const offset = r.pos;
  const index = r.u32();
  if (index >= module.types.length) r.fail(`type index ${index} out of range (${module.types.length} types)`, offset);
  return index;
}

function readImport(r: ByteReader, module: ParsedModule): ParsedImport {
  const moduleName = r.name();
  const name = r.name();
  const offset = r.pos;
  const kind = EXTERN_KINDS[r.u8()];
  if (kind === undefined) return r.fail('invalid import kind', offset);
  switch (kind) {
    case 'func':
      return { module: moduleName, name, desc: { kind, typeIndex: readTypeIndex(r, module) } };
    case 'table':
      return { module: moduleName, name, desc: { kind, table: readTableType(r) } };
    case 'memory':
      return { module: moduleName, name, desc: { kind, memory: readLimits(r, 'memory') } };
    case 'global':
      return { module: moduleName, name, desc: { kind, global: readGlobalType(r) } };
    case 'tag':
      return { module: moduleName, name, desc: { kind, typeIndex: readTagType(r, module) } };
  }
}

function readExport(r: ByteReader): ParsedExport {
  const name = r.name();
  const offset = r.pos;
  const kind = EXTERN_KINDS[r.u8()];
  if (kind === undefined) return r.fail('invalid export kind', offset);
  return { name, kind, index: r.u32() };
}

function readTableType(r: ByteReader): ParsedTable {
  const offset = r.pos;
  if (r.bytes[offset] === 0x40) r.unsupported('unsupported table initializer (typed function references proposal)', offset);
  const elementType = readValType(r);
  if (!REFERENCE_TYPES.has(elementType)) r.fail(`invalid table element type ${elementType}`, offset);
  return { elementType, limits: readLimits(r, 'table') };
}

function readLimits(r: ByteReader, what: 'memory' | 'table'): ParsedLimits {
  const start = r.pos;
  const flags = r.u8();
  if ((flags & 0x08) !== 0 && what === 'memory') r.unsupported('unsupported custom page size (custom page sizes proposal)', start);
  if (flags > 0x07) r.fail(`invalid limits flags 0x${flags.toString(16)}`, start);
  const hasMaximum = (flags & 0x01) !== 0;
  const shared = (flags & 0x02) !== 0;
  const memory64 = (flags & 0x04) !== 0;
  if (what === 'table' && memory64) r.unsupported('unsupported 64-bit table (memory64 proposal)', start);
  if (what === 'table' && shared) r.fail('tables cannot be shared', start);
  if (shared && !hasMaximum) r.fail('shared memory must declare a maximum', start);
  const read = (): number => (memory64 ? Number(r.u64()) : r.u32());
  const initial = read();
  const maximum = hasMaximum ? read() : null;
  return { initial, maximum, shared, memory64, range: { start, end: r.pos } };
}

function readGlobalType(r: ByteReader): GlobalType {
  const type = readValType(r);
  const offset = r.pos;
  const mutability = r.u8();
  if (mutability > 1) r.fail('invalid global mutability', offset);
  return { type, mutable: mutability === 1 };
}

function readGlobal(r: ByteReader, functionRefs: number[]): GlobalType {
  const type = readGlobalType(r);
  collectRefFuncs(readConstExpr(r), functionRefs);
  return type;
}

function collectRefFuncs(expression: readonly Instruction[], functionRefs: number[]): void {
  for (const instruction of expression) {
    if (instruction.opcode === REF_FUNC && instruction.imm.kind === 'index') functionRefs.push(instruction.imm.index);
  }
}

function readTagType(r: ByteReader, module: ParsedModule): number {
  const offset = r.pos;
  if (r.u8() !== 0) r.fail('invalid tag attribute', offset);
  return readTypeIndex(r, module);
}

function readElementSegment(r: ByteReader, functionRefs: number[]): void {
  const offset = r.pos;
  const flags = r.u32();
  if (flags > 7) r.fail(`invalid element segment flags ${flags}`, offset);
  const active = (flags & 0x01) === 0;
  const explicitTable = (flags & 0x02) !== 0;
  const usesExpressions = (flags & 0x04) !== 0;
  if (active && explicitTable) r.u32();
  if (active) readConstExpr(r);
  if (!active || explicitTable) readElementKind(r, usesExpressions);
  if (usesExpressions) readVec(r, () => collectRefFuncs(readConstExpr(r), functionRefs));
  else readVec(r, () => functionRefs.push(r.u32()));
}

function readElementKind(r: ByteReader, usesExpressions: boolean): void {
  const offset = r.pos;
  if (usesExpressions) {
    if (!REFERENCE_TYPES.has(readValType(r))) r.fail('invalid element type', offset);
  } else if (r.u8() !== 0) {
    r.fail('invalid element kind', offset);
  }
}

function readCode(r: ByteReader, module: Mutable<ParsedModule>): void {
  const firstFunction = importCount(module, 'func');
  const count = r.u32();
  if (count !== module.functionTypes.length) {
    r.fail(`${count} function bodies for ${module.functionTypes.length} declared functions`, r.pos);
  }
  for (let i = 0; i < count; i++) {
    const size = r.u32();
    const start = r.pos;
    if (size > r.end - start) r.truncated();
    const body = new ByteReader(r.bytes, start, start + size, `function ${firstFunction + i}`);
    module.bodies.push(readBodyHeader(body, firstFunction + i));
    r.pos = start + size;
  }
}

function readBodyHeader(r: ByteReader, funcIndex: number): FunctionBody {
  const start = r.pos;
  const localGroupCount = r.u32();
  const localGroupsStart = r.pos;
  let localCount = 0;
  for (let i = 0; i < localGroupCount; i++) {
    const offset = r.pos;
    localCount += r.u32();
    if (localCount > MAX_FUNCTION_LOCALS) r.fail(`more than ${MAX_FUNCTION_LOCALS} locals`, offset);
    readValType(r);
  }
  if (r.atEnd()) r.truncated();
  return { funcIndex, start, localGroupsStart, localGroupCount, localCount, codeStart: r.pos, end: r.end };
}

function readData(r: ByteReader, module: ParsedModule): void {
  const count = r.u32();
  if (module.dataCount !== null && module.dataCount !== count) {
    r.fail(`${count} data segments but the data count section says ${module.dataCount}`, r.pos);
  }
  for (let i = 0; i < count; i++) {
    const offset = r.pos;
    const flags = r.u32();
    if (flags > 2) r.fail(`invalid data segment flags ${flags}`, offset);
    if (flags === 2 && r.u32() !== 0) r.unsupported('unsupported memory index other than 0 (multi-memory proposal)', offset);
    if (flags !== 1) readConstExpr(r);
    r.take(r.u32());
  }
}
