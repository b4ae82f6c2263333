// Plugin ABI v1 (DESIGN §4): checks a parsed module's exports and imports before anything runs.
// Pure analysis of ModuleInfo — never instantiates or runs plugin code.
import { CONDUCTOR_MODULE, HOST_FUNCTIONS, PREVIEW1_FUNCTIONS, WASI_MODULE } from './import-catalogue';
import type { ExportDecl, FuncType, ImportDecl, ModuleInfo, ValType } from './wasm/types';
import { WasmLoadError } from './wasm/types';

/** Every function of WASI preview1; imports of other names from WASI_MODULE are load errors. */
export const WASI_PREVIEW1_FUNCTIONS: ReadonlySet<string> = new Set(PREVIEW1_FUNCTIONS);

/** Which optional entry points a valid plugin has, and which `init` form. */
export interface AbiShape {
  initForm: 'none' | 'void' | 'metadata';
  /** Whether the plugin exports `alloc`; without it the host puts each input on the plugin's stack (`__stack_pointer`). */
  hasAlloc: boolean;
  hasInitialize: boolean;
  hasDealloc: boolean;
  hasShutdown: boolean;
  usesWasi: boolean;
  /** Names of `conductor` host functions the module imports. */
  hostImports: string[];
}

const sig = (params: ValType[], results: ValType[]): FuncType => ({ params, results });
const show = (t: FuncType | undefined): string =>
  t ? `(${t.params.join(', ')}) -> (${t.results.join(', ')})` : '(unknown)';
const sameType = (a: FuncType | undefined, b: FuncType): boolean =>
  !!a && a.params.join() === b.params.join() && a.results.join() === b.results.join();

const REQUIRED_FUNCS: Record<string, FuncType> = {
  execute: sig(['i32', 'i32'], ['i32']),
};
const OPTIONAL_FUNCS: Record<string, FuncType[]> = {
  alloc: [sig(['i32'], ['i32'])],
  init: [sig([], []), sig([], ['i64'])],
  dealloc: [sig(['i32', 'i32'], [])],
  shutdown: [sig([], [])],
  _initialize: [sig([], [])],
};

function checkExports(exports: Map<string, ExportDecl>, problems: string[]): void {
  const memory = exports.get('memory');
  if (!memory) problems.push('missing export "memory" (the plugin\'s linear memory)');
  else if (memory.kind !== 'memory') problems.push(`export "memory" is a ${memory.kind}, expected a memory`);

  for (const [name, want] of Object.entries(REQUIRED_FUNCS)) {
    const e = exports.get(name);
    if (!e) problems.push(`missing export "${name}" ${show(want)}`);
    else if (e.kind !== 'func') problems.push(`export "${name}" is a ${e.kind}, expected a function ${show(want)}`);
    else if (!sameType(e.type, want)) problems.push(`export "${name}" has type ${show(e.type)}, expected ${show(want)}`);
  }
  for (const [name, allowed] of Object.entries(OPTIONAL_FUNCS)) {
    const e = exports.get(name);
    if (!e) continue;
    if (e.kind !== 'func' || !allowed.some((t) => sameType(e.type, t))) {
      problems.push(`export "${name}" has type ${e.kind === 'func' ? show(e.type) : e.kind}, expected ${allowed.map(show).join(' or ')}`);
    }
  }
  if (exports.has('_start') && !exports.has('_initialize')) {
    problems.push('the module is a WASI command (exports "_start"); build it as a reactor (clang -mexec-model=reactor, Rust crate-type "cdylib")');
  }
}

function checkImport(imp: ImportDecl, problems: string[]): void {
  const where = `"${imp.module}"."${imp.name}"`;
  if (imp.module === WASI_MODULE) {
    if (imp.kind !== 'func') problems.push(`import ${where} is a ${imp.kind}; WASI provides only functions`);
    else if (!WASI_PREVIEW1_FUNCTIONS.has(imp.name)) problems.push(`unknown host import ${where}: not a WASI preview1 function`);
    return;
  }
  if (imp.module === CONDUCTOR_MODULE) {
    const spec = HOST_FUNCTIONS.get(imp.name);
    if (!spec) problems.push(`unknown host import ${where}: no such conductor host function`);
    else if (imp.kind !== 'func') problems.push(`import ${where} is a ${imp.kind}, expected a function`);
    else if (!sameType(imp.type, spec)) problems.push(`import ${where} has type ${show(imp.type)}, expected ${show(spec)}`);
    return;
  }
  problems.push(`unknown host import ${where}: plugins may import only "${WASI_MODULE}" and "${CONDUCTOR_MODULE}"`);
}

/** The ABI check's refusal, with each problem on its own (for advice, `conductor plugin check`). */
export class AbiError extends WasmLoadError {
  constructor(readonly problems: readonly string[]) {
    super(`not a valid Conductor plugin (ABI v1): ${problems.join('; ')}`);
  }
}

/** Validates ABI v1; throws AbiError listing every problem at once. */
export function checkAbi(info: ModuleInfo): AbiShape {
  const problems: string[] = [];
  const exports = new Map(info.exports.map((e) => [e.name, e]));
  checkExports(exports, problems);
  for (const imp of info.imports) checkImport(imp, problems);
  if (problems.length > 0) {
    throw new AbiError(problems);
  }
  const init = exports.get('init');
  return {
    initForm: !init ? 'none' : init.type?.results.length ? 'metadata' : 'void',
    hasAlloc: exports.has('alloc'),
    hasInitialize: exports.has('_initialize'),
    hasDealloc: exports.has('dealloc'),
    hasShutdown: exports.has('shutdown'),
    usesWasi: info.imports.some((i) => i.module === WASI_MODULE),
    hostImports: info.imports.filter((i) => i.module === CONDUCTOR_MODULE).map((i) => i.name),
  };
}
