// Summarises a WebAssembly module for the plugin runtime and CLI: imports, exports with their types, limits, custom sections.
// Reads only; never compiles or runs the module, and never returns views into the caller's buffer.

import { functionTypeIndex, type ParsedExport, type ParsedImport, type ParsedLimits, type ParsedModule, type ParsedTable } from './parsed-module';
import { readModule } from './reader';
import { WasmLoadError, type ExportDecl, type FuncType, type ImportDecl, type MemoryDecl, type ModuleInfo, type TableDecl } from './types';

/** Throws WasmLoadError naming what is wrong and where when the bytes are not a well-formed module. */
export function inspectModule(bytes: Uint8Array): ModuleInfo {
  const module = readModule(bytes);
  return {
    imports: module.imports.map((entry) => toImportDecl(module, entry)),
    exports: module.exports.map((entry) => toExportDecl(module, entry)),
    memories: module.memories.map(toMemoryDecl),
    tables: module.tables.map(toTableDecl),
    customSections: module.customSections.map(({ name, data }) => ({ name, data: data.slice() })),
    functionCount: module.functionTypes.length,
    byteLength: bytes.length,
  };
}

function toImportDecl(module: ParsedModule, entry: ParsedImport): ImportDecl {
  const base = { module: entry.module, name: entry.name, kind: entry.desc.kind };
  switch (entry.desc.kind) {
    case 'func':
      return { ...base, type: copyType(module, entry.desc.typeIndex) };
    case 'memory':
      return { ...base, memory: toMemoryDecl(entry.desc.memory) };
    case 'table':
      return { ...base, table: toTableDecl(entry.desc.table) };
    case 'global':
    case 'tag':
      return base;
  }
}

function toExportDecl(module: ParsedModule, entry: ParsedExport): ExportDecl {
  const decl: ExportDecl = { name: entry.name, kind: entry.kind, index: entry.index };
  if (entry.kind !== 'func') return decl;
  const typeIndex = functionTypeIndex(module, entry.index);
  if (typeIndex === undefined) {
    throw new WasmLoadError(`malformed module: export "${entry.name}" refers to function ${entry.index}, which does not exist`);
  }
  return { ...decl, type: copyType(module, typeIndex) };
}

function copyType(module: ParsedModule, typeIndex: number): FuncType {
  const type = module.types[typeIndex] as FuncType; // the reader checked every type index it returns
  return { params: [...type.params], results: [...type.results] };
}

function toMemoryDecl(limits: ParsedLimits): MemoryDecl {
  return { initial: limits.initial, maximum: limits.maximum, shared: limits.shared, memory64: limits.memory64 };
}

function toTableDecl(table: ParsedTable): TableDecl {
  return { initial: table.limits.initial, maximum: table.limits.maximum, elementType: table.elementType };
}
