// Shapes of a parsed WebAssembly module as the plugin runtime needs them.
// Pure data: produced by ./inspect.ts, consumed by ../abi.ts and the CLI. Never holds plugin code state.

export type ValType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128' | 'funcref' | 'externref' | 'exnref';

export interface FuncType {
  params: ValType[];
  results: ValType[];
}

export interface Limits {
  /** Initial size: pages (64 KiB) for memories, elements for tables. */
  initial: number;
  /** Declared maximum, or null when the module declares none. */
  maximum: number | null;
}

export interface MemoryDecl extends Limits {
  shared: boolean;
  memory64: boolean;
}

export interface TableDecl extends Limits {
  elementType: ValType;
}

export type ExternKind = 'func' | 'table' | 'memory' | 'global' | 'tag';

export interface ImportDecl {
  module: string;
  name: string;
  kind: ExternKind;
  /** For func imports: the function's type. */
  type?: FuncType;
  /** For memory imports. */
  memory?: MemoryDecl;
  /** For table imports. */
  table?: TableDecl;
}

export interface ExportDecl {
  name: string;
  kind: ExternKind;
  index: number;
  /** For func exports: the function's type. */
  type?: FuncType;
}

export interface CustomSection {
  name: string;
  data: Uint8Array;
}

export interface ModuleInfo {
  imports: ImportDecl[];
  exports: ExportDecl[];
  /** Memories defined by the module itself (not imported). */
  memories: MemoryDecl[];
  /** Tables defined by the module itself (not imported). */
  tables: TableDecl[];
  customSections: CustomSection[];
  /** Number of functions defined in the module (excluding imports). */
  functionCount: number;
  /** Byte size of the module. */
  byteLength: number;
}

/** Options for rewriting a module before it is compiled (see ./instrument.ts). */
export interface InstrumentOptions {
  /** Insert fuel metering (an exported mutable i64 global named FUEL_EXPORT). */
  meterFuel: boolean;
  /** Cap for every memory, in 64 KiB pages. Initial above it is rejected; maximum is clamped to it. */
  memoryMaxPages: number;
  /** Cap for every table, in elements. Initial above it is rejected; maximum is clamped to it. */
  tableMaxElements: number;
  /**
   * Initial value of the fuel global: the fuel the module's start function may use during instantiation
   * (the host sets the global before every call after that). Default: DEFAULT_START_FUEL in ./instrument.ts.
   */
  startFuel?: bigint;
}

/** Name of the exported mutable i64 global that holds the remaining fuel of the current call. */
export const FUEL_EXPORT = '__conductor_fuel';

/** A module the runtime refuses to load: not wasm, invalid, or over a limit. Message says what and where. */
export class WasmLoadError extends Error {
  override readonly name = 'WasmLoadError';
}
