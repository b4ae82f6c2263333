// Decides which calls need fuel bookkeeping around them: small loop-free "leaf" functions are paid for at the call site.
// Never leaves a function uncharged that can loop, call, throw, grow memory, or be reached from outside the module.

import { ByteReader } from './byte-reader';
import { readInstruction } from './instructions';
import type { Flow } from './opcodes';
import type { FunctionBody, ParsedModule } from './reader';
import type { FuncType } from './types';

/**
 * Largest leaf charged at its call sites, in instructions. A caller pays the leaf's whole size whatever path runs,
 * so this bounds the over-charge per call.
 */
const MAX_LEAF_COST = 64;
/** Bodies longer than this cannot hold MAX_LEAF_COST instructions of any realistic size; not even decoded. */
const MAX_LEAF_BYTES = 1024;
/** Leaves contain only straight-line code, forward branches and calls: no loop, exception or variable-cost op. */
const REF_FUNC = 0xd2;
const LEAF_FLOWS: ReadonlySet<Flow> = new Set<Flow>(['plain', 'block', 'if', 'else', 'end', 'br', 'brIf', 'brTable', 'return', 'unreachable']);

export interface CallPlan {
  /** Defined functions left unmetered because every way to call them pays for them. */
  readonly callerCharged: ReadonlySet<number>;
  /** Fuel `call funcIndex` pays on the spot, or null when the callee meters itself. */
  directCost(funcIndex: number): number | null;
  /** Fuel `call_indirect typeIndex` pays on the spot, or null when the callee meters itself. */
  indirectCost(typeIndex: number): number | null;
}

type CallSite = { readonly direct: number } | { readonly indirectType: number };

/** What a leaf candidate does: its own size, the calls it makes, the functions it takes references to. */
interface BodyScan {
  /** Instructions in the body (an upper bound for any path through it), or null when it cannot be a leaf. */
  readonly ownCost: number | null;
  readonly calls: readonly CallSite[];
  readonly refFuncs: readonly number[];
}

/**
 * A leaf is loop-free, makes no calls except to caller-charged functions, is neither exported nor the start
 * function, and costs at most MAX_LEAF_COST including what it calls. It is caller-charged unless it can sit in a
 * table (named by an element segment, a global initializer or a ref.func) next to a function of the same type that
 * meters itself, or functions from outside can get into tables. Calls to it then need no write-back and re-read of
 * the cached fuel, which dominates call-heavy code (e.g. qsort comparators). Costs one extra decoding pass.
 */
export function planCalls(module: ParsedModule): CallPlan {
  const funcTypes = functionTypeIndices(module);
  const typeOf = (funcIndex: number): FuncType | undefined => module.types[funcTypes[funcIndex] ?? -1];
  const external = new Set(module.exports.filter((entry) => entry.kind === 'func').map((entry) => entry.index));
  if (module.start !== null) external.add(module.start);
  const inTables = new Set(module.functionRefs);
  const candidates = new Map<number, BodyScan>();
  for (const body of module.bodies) {
    const scan = scanBody(module.bytes, body);
    for (const index of scan.refFuncs) inTables.add(index);
    if (scan.ownCost !== null && !external.has(body.funcIndex)) candidates.set(body.funcIndex, scan);
  }
  const foreign = admitsForeignFunctions(module, typeOf);
  const leaves = new Map<number, number>();
  const current = (): CallPlan => planFor(module, leaves, foreign ? null : tableCallCosts(inTables, leaves, typeOf), inTables, typeOf);
  // Leaves calling leaves: grow the set until no candidate's calls can all be paid for any more.
  for (let grown = true; grown; ) {
    grown = false;
    const plan = current();
    for (const [index, scan] of candidates) {
      const cost = leaves.has(index) ? null : totalCost(scan, plan);
      if (cost === null) continue;
      leaves.set(index, cost);
      grown = true;
    }
  }
  return current();
}

function planFor(
  module: ParsedModule,
  leaves: ReadonlyMap<number, number>,
  tableCosts: ReadonlyMap<string, number | null> | null,
  inTables: ReadonlySet<number>,
  typeOf: (funcIndex: number) => FuncType | undefined,
): CallPlan {
  const indirectCost = (type: FuncType | undefined): number | null => {
    if (type === undefined || tableCosts === null) return null;
    const cost = tableCosts.get(typeKey(type));
    return cost === undefined ? 0 : cost;
  };
  const callerCharged = new Set([...leaves.keys()].filter((index) => !inTables.has(index) || indirectCost(typeOf(index)) !== null));
  return {
    callerCharged,
    directCost: (funcIndex) => (callerCharged.has(funcIndex) ? (leaves.get(funcIndex) ?? null) : null),
    indirectCost: (typeIndex) => indirectCost(module.types[typeIndex]),
  };
}

/** A candidate's own size plus what its calls cost under `plan`, or null when a call is not paid at its site. */
function totalCost(scan: BodyScan, plan: CallPlan): number | null {
  let total = scan.ownCost ?? Infinity;
  for (const site of scan.calls) {
    const cost = 'direct' in site ? plan.directCost(site.direct) : plan.indirectCost(site.indirectType);
    if (cost === null) return null;
    total += cost;
  }
  return total <= MAX_LEAF_COST ? total : null;
}

/** Type index of every function, imported ones first. */
function functionTypeIndices(module: ParsedModule): number[] {
  const imported = module.imports.flatMap(({ desc }) => (desc.kind === 'func' ? [desc.typeIndex] : []));
  return [...imported, ...module.functionTypes];
}

/**
 * Per function type (compared structurally, as call_indirect does): the largest cost of any function a table could
 * hold with that type, or null when one of them meters itself or is imported. A type no table function has is
 * absent: call_indirect with it can only trap.
 */
function tableCallCosts(
  inTables: ReadonlySet<number>,
  leafCosts: ReadonlyMap<number, number>,
  typeOf: (funcIndex: number) => FuncType | undefined,
): Map<string, number | null> {
  const costs = new Map<string, number | null>();
  for (const index of inTables) {
    const type = typeOf(index);
    if (type === undefined) continue;
    const key = typeKey(type);
    const cost = leafCosts.get(index);
    const known = costs.get(key);
    costs.set(key, cost === undefined || known === null ? null : Math.max(cost, known ?? 0));
  }
  return costs;
}

/** Whether a function reference from the host or another module could end up in one of the module's tables. */
function admitsForeignFunctions(module: ParsedModule, typeOf: (funcIndex: number) => FuncType | undefined): boolean {
  const carriesFuncref = (type: FuncType | undefined): boolean =>
    type !== undefined && [...type.params, ...type.results].includes('funcref');
  const globalTypes = [...module.imports.flatMap(({ desc }) => (desc.kind === 'global' ? [desc.global] : [])), ...module.globals];
  const tagTypes = [...module.imports.flatMap(({ desc }) => (desc.kind === 'tag' ? [desc.typeIndex] : [])), ...module.tags];
  const importsOne = module.imports.some(({ desc }) => {
    if (desc.kind === 'table') return true;
    if (desc.kind === 'global') return desc.global.type === 'funcref';
    return desc.kind !== 'memory' && carriesFuncref(module.types[desc.typeIndex]);
  });
  const exportsOne = module.exports.some(({ kind, index }) => {
    if (kind === 'table') return true;
    if (kind === 'global') return globalTypes[index]?.type === 'funcref';
    if (kind === 'tag') return carriesFuncref(module.types[tagTypes[index] ?? -1]);
    return kind === 'func' && carriesFuncref(typeOf(index));
  });
  return importsOne || exportsOne;
}

function typeKey(type: FuncType): string {
  return `${type.params.join(',')}->${type.results.join(',')}`;
}

/** The calls and references of a body, and its size when it could be a leaf. */
function scanBody(bytes: Uint8Array, body: FunctionBody): BodyScan {
  const r = new ByteReader(bytes, body.codeStart, body.end, `function ${body.funcIndex}`);
  const refFuncs: number[] = [];
  const calls: CallSite[] = [];
  let ownCost: number | null = body.end - body.codeStart > MAX_LEAF_BYTES ? null : 0;
  while (!r.atEnd()) {
    const { opcode, flow, imm } = readInstruction(r);
    if (opcode === REF_FUNC && imm.kind === 'index') refFuncs.push(imm.index);
    if (ownCost === null) continue;
    if (flow === 'call' && imm.kind === 'index') calls.push({ direct: imm.index });
    if (flow === 'call' && imm.kind === 'indexPair') calls.push({ indirectType: imm.first });
    ownCost = (LEAF_FLOWS.has(flow) || flow === 'call') && ownCost < MAX_LEAF_COST ? ownCost + 1 : null;
  }
  return { ownCost, calls, refFuncs };
}
