// Decides which calls need fuel bookkeeping around them: small loop-free "leaf" functions are paid for at the call site.
// Never leaves a function uncharged that can loop, throw, grow memory, or be reached from outside the module.

import { ByteReader } from './byte-reader';
import { readInstruction } from './instructions';
import type { Flow } from './opcodes';
import type { FunctionBody, ParsedModule } from './reader';
import type { FuncType } from './types';

/**
 * Largest leaf charged at its call sites, in instructions (callees included). A caller pays the leaf's whole size
 * whatever path runs, so this bounds the over-charge per call.
 */
const MAX_LEAF_COST = 64;
/** Bodies longer than this cannot hold MAX_LEAF_COST instructions of any realistic size. */
const MAX_LEAF_BYTES = 1024;
const REF_FUNC = 0xd2;
/** Leaves contain only straight-line code, forward branches and calls: no loop, exception or variable-cost op. */
const LEAF_FLOWS: ReadonlySet<Flow> = new Set<Flow>([
  'plain',
  'block',
  'if',
  'else',
  'end',
  'br',
  'brIf',
  'brTable',
  'return',
  'unreachable',
  'call',
]);

export interface CallPlan {
  /** Defined functions left unmetered because every way to call them pays for them. */
  readonly callerCharged: ReadonlySet<number>;
  /** Fuel `call funcIndex` pays on the spot, or null when the callee meters itself. */
  directCost(funcIndex: number): number | null;
  /** Fuel `call_indirect typeIndex` pays on the spot, or null when the callee meters itself. */
  indirectCost(typeIndex: number): number | null;
}

type CallSite = { readonly direct: number } | { readonly indirectType: number };

/** A function that may be a leaf: its own size and the calls it makes. */
interface Candidate {
  readonly ownCost: number;
  readonly calls: readonly CallSite[];
}

/**
 * A leaf is loop-free, makes no calls except to caller-charged functions, is neither exported nor the start
 * function, and costs at most MAX_LEAF_COST including what it calls. It is caller-charged unless it can sit in a
 * table (named by an element segment, a global initializer or a ref.func) next to a function of the same type that
 * meters itself, or functions from outside can get into tables. Calls to it then need no write-back and re-read of
 * the cached fuel, which dominates call-heavy code (e.g. qsort comparators). Costs one extra decoding pass.
 */
export function planCalls(module: ParsedModule): CallPlan {
  const planner = new Planner(module);
  // Leaves calling leaves: grow the set until no remaining candidate's calls can all be paid at their sites.
  let grown = true;
  while (grown) grown = planner.grow(planner.plan());
  return planner.plan();
}

class Planner {
  private readonly leaves = new Map<number, number>();
  private readonly candidates = new Map<number, Candidate>();
  private readonly inTables: Set<number>;
  /** Structural key of each type index and each function's type: call_indirect compares types structurally. */
  private readonly typeKeys: readonly string[];
  private readonly functionKeys: readonly (string | undefined)[];
  private readonly foreign: boolean;

  constructor(private readonly module: ParsedModule) {
    this.typeKeys = module.types.map(typeKey);
    const imported = module.imports.flatMap(({ desc }) => (desc.kind === 'func' ? [desc.typeIndex] : []));
    this.functionKeys = [...imported, ...module.functionTypes].map((typeIndex) => this.typeKeys[typeIndex]);
    this.inTables = new Set(module.functionRefs);
    const external = new Set(module.exports.filter((entry) => entry.kind === 'func').map((entry) => entry.index));
    if (module.start !== null) external.add(module.start);
    for (const body of module.bodies) {
      const { candidate, refFuncs } = scanBody(module.bytes, body);
      for (const index of refFuncs) this.inTables.add(index);
      if (candidate !== null && !external.has(body.funcIndex)) this.candidates.set(body.funcIndex, candidate);
    }
    this.foreign = admitsForeignFunctions(module);
  }

  /** The plan for the leaves found so far. */
  plan(): CallPlan {
    const tableCosts = this.foreign ? null : this.tableCallCosts();
    const indirectCost = (key: string | undefined): number | null => {
      if (key === undefined || tableCosts === null) return null;
      const cost = tableCosts.get(key);
      return cost === undefined ? 0 : cost;
    };
    const callerCharged = new Set(
      [...this.leaves.keys()].filter((index) => !this.inTables.has(index) || indirectCost(this.functionKeys[index]) !== null),
    );
    return {
      callerCharged,
      directCost: (funcIndex) => (callerCharged.has(funcIndex) ? (this.leaves.get(funcIndex) ?? null) : null),
      indirectCost: (typeIndex) => indirectCost(this.typeKeys[typeIndex]),
    };
  }

  /** Makes every candidate whose calls `plan` pays for a leaf; false when none was. */
  grow(plan: CallPlan): boolean {
    let grown = false;
    for (const [index, candidate] of this.candidates) {
      const cost = totalCost(candidate, plan);
      if (cost === null) continue;
      this.leaves.set(index, cost);
      this.candidates.delete(index);
      grown = true;
    }
    return grown;
  }

  /**
   * Per type key: the largest cost of any function a table could hold with that type, or null when one of them is
   * not (yet) a leaf. A type no table function has is absent: call_indirect with it can only trap.
   */
  private tableCallCosts(): Map<string, number | null> {
    const costs = new Map<string, number | null>();
    for (const index of this.inTables) {
      const key = this.functionKeys[index];
      if (key === undefined) continue;
      const cost = this.leaves.get(index);
      const known = costs.get(key);
      costs.set(key, cost === undefined || known === null ? null : Math.max(cost, known ?? 0));
    }
    return costs;
  }
}

/** A candidate's own size plus what its calls cost under `plan`, or null when a call is not paid at its site. */
function totalCost(candidate: Candidate, plan: CallPlan): number | null {
  let total = candidate.ownCost;
  for (const site of candidate.calls) {
    const cost = 'direct' in site ? plan.directCost(site.direct) : plan.indirectCost(site.indirectType);
    if (cost === null) return null;
    total += cost;
  }
  return total <= MAX_LEAF_COST ? total : null;
}

/** Whether a function reference from the host or another module could end up in one of the module's tables. */
function admitsForeignFunctions(module: ParsedModule): boolean {
  const carriesFuncref = (typeIndex: number | undefined): boolean => {
    const type = module.types[typeIndex ?? -1];
    return type !== undefined && [...type.params, ...type.results].includes('funcref');
  };
  const kindsOf = <K extends 'func' | 'tag'>(kind: K): number[] =>
    module.imports.flatMap(({ desc }) => (desc.kind === kind && 'typeIndex' in desc ? [desc.typeIndex] : []));
  const functionTypes = [...kindsOf('func'), ...module.functionTypes];
  const tagTypes = [...kindsOf('tag'), ...module.tags];
  const globalTypes = [...module.imports.flatMap(({ desc }) => (desc.kind === 'global' ? [desc.global] : [])), ...module.globals];
  const importsOne = module.imports.some(({ desc }) => {
    if (desc.kind === 'table') return true;
    if (desc.kind === 'global') return desc.global.type === 'funcref';
    return desc.kind !== 'memory' && carriesFuncref(desc.typeIndex);
  });
  const exportsOne = module.exports.some(({ kind, index }) => {
    if (kind === 'table') return true;
    if (kind === 'global') return globalTypes[index]?.type === 'funcref';
    if (kind === 'tag') return carriesFuncref(tagTypes[index]);
    return kind === 'func' && carriesFuncref(functionTypes[index]);
  });
  return importsOne || exportsOne;
}

function typeKey(type: FuncType): string {
  return `${type.params.join(',')}->${type.results.join(',')}`;
}

/** The functions a body takes references to, and what it would be as a leaf (null when it cannot be one). */
function scanBody(bytes: Uint8Array, body: FunctionBody): { candidate: Candidate | null; refFuncs: number[] } {
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
    ownCost = LEAF_FLOWS.has(flow) && ownCost < MAX_LEAF_COST ? ownCost + 1 : null;
  }
  return { candidate: ownCost === null ? null : { ownCost, calls }, refFuncs };
}
