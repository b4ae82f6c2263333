// What a parsed WebAssembly module is, as reader.ts produces it: its sections as byte ranges, the decoded
// declarations, the function bodies' bounds, and lookups over them. Data and queries only; never reads bytes itself.

import type { ExternKind, FuncType, ValType } from './types';

export const SECTION_NAMES: ReadonlyMap<number, string> = new Map([
  [0, 'custom'],
  [1, 'type'],
  [2, 'import'],
  [3, 'function'],
  [4, 'table'],
  [5, 'memory'],
  [6, 'global'],
  [7, 'export'],
  [8, 'start'],
  [9, 'element'],
  [10, 'code'],
  [11, 'data'],
  [12, 'data count'],
  [13, 'tag'],
]);

/** Required order of the non-custom sections (tag sits before global, data count before code). */
export const SECTION_ORDER: readonly number[] = [1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11];

/** The most locals a function may declare in the engines we target (V8). */
export const MAX_FUNCTION_LOCALS = 50_000;

export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

export interface Section extends ByteRange {
  readonly id: number;
  /** Offset of the section id byte. */
  readonly offset: number;
}

export interface ParsedLimits {
  readonly initial: number;
  readonly maximum: number | null;
  readonly shared: boolean;
  readonly memory64: boolean;
  /** Where the encoded limits (flags byte included) sit, so they can be replaced. */
  readonly range: ByteRange;
}

export interface ParsedTable {
  readonly elementType: ValType;
  readonly limits: ParsedLimits;
}

export interface GlobalType {
  readonly type: ValType;
  readonly mutable: boolean;
}

export type ImportDesc =
  | { readonly kind: 'func'; readonly typeIndex: number }
  | { readonly kind: 'table'; readonly table: ParsedTable }
  | { readonly kind: 'memory'; readonly memory: ParsedLimits }
  | { readonly kind: 'global'; readonly global: GlobalType }
  | { readonly kind: 'tag'; readonly typeIndex: number };

export interface ParsedImport {
  readonly module: string;
  readonly name: string;
  readonly desc: ImportDesc;
}

export interface ParsedExport {
  readonly name: string;
  readonly kind: ExternKind;
  readonly index: number;
}

export interface ParsedCustomSection {
  readonly name: string;
  readonly data: Uint8Array;
}

export interface FunctionBody {
  /** Absolute function index (imports first). */
  readonly funcIndex: number;
  /** First byte of the body (just past its size). */
  readonly start: number;
  /** Just past the local-group count. */
  readonly localGroupsStart: number;
  readonly localGroupCount: number;
  /** Number of declared locals (parameters excluded). */
  readonly localCount: number;
  /** First byte of the instructions. */
  readonly codeStart: number;
  readonly end: number;
}

export interface ParsedModule {
  readonly bytes: Uint8Array;
  readonly sections: Section[];
  readonly types: FuncType[];
  readonly imports: ParsedImport[];
  /** Type index of each defined function. */
  readonly functionTypes: number[];
  readonly tables: ParsedTable[];
  readonly memories: ParsedLimits[];
  readonly tags: number[];
  readonly globals: GlobalType[];
  readonly exports: ParsedExport[];
  readonly start: number | null;
  readonly dataCount: number | null;
  readonly bodies: FunctionBody[];
  readonly customSections: ParsedCustomSection[];
  /** Functions referenced outside code (element segments, global initializers): with exports, all ref.func may name. */
  readonly functionRefs: number[];
}

export function sectionLabel(id: number): string {
  return `section ${id} (${SECTION_NAMES.get(id) ?? 'unknown'})`;
}

/** Number of imports of one kind (they come first in that kind's index space). */
export function importCount(module: ParsedModule, kind: ExternKind): number {
  let count = 0;
  for (const entry of module.imports) if (entry.desc.kind === kind) count++;
  return count;
}

/** Type index of an absolute function index, or undefined when out of range. */
export function functionTypeIndex(module: ParsedModule, funcIndex: number): number | undefined {
  let seen = 0;
  for (const entry of module.imports) {
    if (entry.desc.kind !== 'func') continue;
    if (seen === funcIndex) return entry.desc.typeIndex;
    seen++;
  }
  return module.functionTypes[funcIndex - seen];
}
