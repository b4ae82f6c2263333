// The catalogue of the `conductor` host module: every host function a plugin may import, its
// signature and the capability that gates it (DESIGN §6). Data only — never performs the calls itself.
import type { Capability } from '../../src-shared/plugin';
import type { ValType } from './wasm/types';

export const CONDUCTOR_MODULE = 'conductor';

export interface HostFunctionSpec {
  name: string;
  /** null = available to every plugin. */
  capability: Capability | null;
  params: ValType[];
  results: ValType[];
  description: string;
}

const specs: HostFunctionSpec[] = [
  {
    name: 'log',
    capability: null,
    params: ['i32', 'i32', 'i32'],
    results: [],
    description: 'log(level, ptr, len): append a UTF-8 message to the plugin log (0 debug, 1 info, 2 warn, 3 error)',
  },
];

export const HOST_FUNCTIONS: ReadonlyMap<string, HostFunctionSpec> = new Map(specs.map((s) => [s.name, s]));

/** Thrown (inside the sandbox) when a plugin calls a host function its grants do not cover. */
export class CapabilityError extends Error {
  override readonly name = 'CapabilityError';
  constructor(
    readonly functionName: string,
    readonly capability: Capability,
  ) {
    super(`${CONDUCTOR_MODULE}.${functionName} needs the "${capability}" capability, which is not granted`);
  }
}
