// Decides which calls need fuel bookkeeping around them: small loop-free "leaf" functions are paid for at the call site.
// Never leaves a function uncharged that can loop, throw, grow memory, or be reached from outside the module.

import { F_CALL, F_REF_FUNC, flowSet } from './code-cursor';
import { E_FLOW, E_INDEX, E_LABEL_COUNT, E_LABELS, E_OPCODE, scanCode, type CodeScan } from './code-scan';
import type { FunctionBody, ParsedModule } from './parsed-module';
import type { FuncType } from './types';

/**
 * Largest leaf charged at its call sites, in instructions (callees included). A caller pays the leaf's whole size
 * whatever path runs, so this bounds the over-charge per call.
 */
const MAX_LEAF_COST = 64;
/** Bodies longer than this cannot hold MAX_LEAF_COST instructions of any realistic size. */
const MAX_LEAF_BYTES = 1024;
/** Leaves contain only straight-line code, forward branches and calls: no loop, exception or variable-cost op. */
const LEAF_FLOWS: Uint8Array = flowSet([
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
const CALL = 0x10;

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
 * the cached fuel, which dominates call-heavy code (e.g. qsort comparators). Works from `scan` (./code-scan.ts),
 * which the metering reuses, so bodies are decoded once.
 */
export function planCalls(module: ParsedModule, scan: CodeScan = scanCode(module)): CallPlan {
  const planner = new Planner(module, scan);
  // Leaves calling leaves: grow the set until no remaining candidate's calls can all be paid at their sites.
  let grown = true;
  while (grown) grown = planner.grow(planner.plan());
  return planner.plan();
}

/** tableCallCosts entries: no table function has the type; one of them is not (yet) a leaf. */
const ABSENT = -2;
const UNKNOWN = -1;

class Planner {
  /** Leaves found so far, in the order found, and each one's cost (-1: not a leaf). */
  private readonly leafOrder: number[] = [];
  private readonly leafCost: Int32Array;
  private readonly candidates = new Map<number, Candidate>();
  private readonly inTables: Set<number>;
  /**
   * Per type index and per function: a small id standing for its structural type (call_indirect compares types
   * structurally); -1 for a function index out of range.
   */
  private readonly typeIds: Int32Array;
  private readonly functionTypeIds: Int32Array;
  private readonly typeIdCount: number;
  private readonly foreign: boolean;

  constructor(module: ParsedModule, scan: CodeScan) {
    const ids = new Map<string, number>();
    this.typeIds = Int32Array.from(module.types, (type) => {
      const key = typeKey(type);
      const id = ids.get(key) ?? ids.size;
      ids.set(key, id);
      return id;
    });
    this.typeIdCount = ids.size;
    const imported = module.imports.flatMap(({ desc }) => (desc.kind === 'func' ? [desc.typeIndex] : []));
    this.functionTypeIds = Int32Array.from([...imported, ...module.functionTypes], (typeIndex) => this.typeIds[typeIndex] ?? -1);
    this.leafCost = new Int32Array(this.functionTypeIds.length).fill(-1);
    this.inTables = new Set(module.functionRefs);
    const external = new Set(module.exports.filter((entry) => entry.kind === 'func').map((entry) => entry.index));
    if (module.start !== null) external.add(module.start);
    const { events, eventStarts, instructionCounts } = scan;
    const { bodies } = module;
    for (let b = 0; b < bodies.length; b++) {
      const body = bodies[b] as FunctionBody;
      let leaf = !external.has(body.funcIndex) && body.end - body.codeStart <= MAX_LEAF_BYTES;
      leaf &&= (instructionCounts[b] as number) <= MAX_LEAF_COST;
      const calls: CallSite[] = [];
      for (let e = eventStarts[b] as number; e < (eventStarts[b + 1] as number); e += E_LABELS + (events[e + E_LABEL_COUNT] as number)) {
        const flow = events[e + E_FLOW] as number;
        const index = events[e + E_INDEX] as number;
        if (flow === F_REF_FUNC) this.inTables.add(index);
        if (!leaf) continue;
        if (LEAF_FLOWS[flow] !== 1) leaf = false;
        else if (flow === F_CALL) calls.push(events[e + E_OPCODE] === CALL ? { direct: index } : { indirectType: index });
      }
      if (leaf) this.candidates.set(body.funcIndex, { ownCost: instructionCounts[b] as number, calls });
    }
    this.foreign = admitsForeignFunctions(module);
  }

  /** The plan for the leaves found so far. */
  plan(): CallPlan {
    const tableCosts = this.foreign ? null : this.tableCallCosts();
    const indirectCost = (typeId: number | undefined): number | null => {
      if (typeId === undefined || typeId < 0 || tableCosts === null) return null;
      const cost = tableCosts[typeId] as number;
      return cost === ABSENT ? 0 : cost === UNKNOWN ? null : cost;
    };
    const callerCharged = new Set<number>();
    for (const index of this.leafOrder) {
      if (!this.inTables.has(index) || indirectCost(this.functionTypeIds[index]) !== null) callerCharged.add(index);
    }
    const leafCost = this.leafCost;
    return {
      callerCharged,
      directCost: (funcIndex) => (callerCharged.has(funcIndex) ? (leafCost[funcIndex] as number) : null),
      indirectCost: (typeIndex) => indirectCost(this.typeIds[typeIndex]),
    };
  }

  /** Makes every candidate whose calls `plan` pays for a leaf; false when none was. */
  grow(plan: CallPlan): boolean {
    let grown = false;
    for (const [index, candidate] of this.candidates) {
      const cost = totalCost(candidate, plan);
      if (cost === null) continue;
      this.leafOrder.push(index);
      this.leafCost[index] = cost;
      this.candidates.delete(index);
      grown = true;
    }
    return grown;
  }

  /**
   * Per type id: the largest cost of any function a table could hold with that type, UNKNOWN when one of them is
   * not (yet) a leaf, ABSENT when none has it (call_indirect with that type can only trap).
   */
  private tableCallCosts(): Int32Array {
    const costs = new Int32Array(this.typeIdCount).fill(ABSENT);
    for (const index of this.inTables) {
      const typeId = this.functionTypeIds[index] ?? -1;
      if (typeId < 0) continue;
      const cost = this.leafCost[index] as number;
      const known = costs[typeId] as number;
      costs[typeId] = cost < 0 || known === UNKNOWN ? UNKNOWN : Math.max(cost, known);
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
