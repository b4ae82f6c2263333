// Test support for the host-function tests: loads a plugin into a real PluginRuntime with chosen grants and limits,
// reads the fixtures' logged responses, builds WAT probes. Test support only — never imported by product code or the sandbox.
import { readFileSync } from 'node:fs';
import { DEFAULT_LIMITS, type CallResult, type Capability, type PluginHostEvent, type PluginLimits } from '../../../../src-shared/plugin';
import { cFixture, watToWasm } from '../../../../plugins/fixtures';
import type { RuntimeConfig } from '../../common/protocol';
import { PluginRuntime } from '../runtime';

/** A built C fixture's bytes (`caps`: exec, midi, notify, files; `net`: http_request). */
export function fixtureBytes(name: 'caps' | 'net'): Uint8Array {
  return new Uint8Array(readFileSync(cFixture(name)));
}

export interface Loaded {
  runtime: PluginRuntime;
  events: PluginHostEvent[];
  call: (params: Record<string, unknown>) => CallResult;
}

export interface LoadOptions {
  dataDir?: string | null;
  limits?: Partial<PluginLimits>;
  allowedHosts?: readonly string[];
  noEvents?: boolean;
}

/** `load` starts a PluginRuntime and records its host events; `shutdownAll` (for afterEach) shuts down every one it started. */
export function pluginLoader(): { load: (bytes: Uint8Array, grants: Capability[], extra?: LoadOptions) => Promise<Loaded>; shutdownAll: () => void } {
  const runtimes: PluginRuntime[] = [];
  return {
    async load(bytes, grants, extra = {}) {
      const events: PluginHostEvent[] = [];
      const config: RuntimeConfig = { limits: { ...DEFAULT_LIMITS, ...extra.limits }, grants, dataDir: extra.dataDir ?? null };
      if (extra.allowedHosts) config.allowedHosts = extra.allowedHosts;
      const { runtime } = await PluginRuntime.load(bytes, config, extra.noEvents ? {} : { hostEvents: (e) => events.push(e) });
      runtimes.push(runtime);
      return { runtime, events, call: (params) => runtime.execute(JSON.stringify(params)) };
    },
    shutdownAll() {
      for (const r of runtimes.splice(0)) r.shutdown();
    },
  };
}

/** The JSON a fixture logged as "[info] <label> response: {...}". */
export function response(r: CallResult, label: 'exec' | 'http'): Record<string, unknown> {
  const prefix = `[info] ${label} response: `;
  const line = r.log.find((l) => l.startsWith(prefix));
  if (!line) throw new Error(`no ${label} response in log: ${JSON.stringify(r.log)}`);
  return JSON.parse(line.slice(prefix.length)) as Record<string, unknown>;
}

/** Where probe modules put the out buffer (their memory is 4 MiB). */
export const OUT_AT = 3 << 20;

/**
 * A module whose `execute` calls one host function with fixed arguments and returns its result as the call's code
 * (so `CallResult.code` is the host function's return value). Data: `a` at 1024, `b` at 1024 + a's length.
 */
export async function probe(fn: 'exec' | 'http_request' | 'notify', a: Uint8Array | string, b: Uint8Array | string = '', outCap = 65536): Promise<Uint8Array> {
  const bytesOf = (v: Uint8Array | string) => (typeof v === 'string' ? new TextEncoder().encode(v) : v);
  const A = bytesOf(a);
  const B = bytesOf(b);
  const data = (bytes: Uint8Array) => [...bytes].map((x) => `\\${x.toString(16).padStart(2, '0')}`).join('');
  const bAt = 1024 + A.byteLength;
  const args =
    fn === 'notify'
      ? `(i32.const 1024) (i32.const ${A.byteLength}) (i32.const ${bAt}) (i32.const ${B.byteLength})`
      : `(i32.const 1024) (i32.const ${A.byteLength}) (i32.const ${OUT_AT}) (i32.const ${outCap})`;
  return watToWasm(`(module
    (import "conductor" "${fn}" (func $f (param i32 i32 i32 i32) (result i32)))
    (memory (export "memory") 64)
    (data (i32.const 1024) "${data(A)}")
    (data (i32.const ${bAt}) "${data(B)}")
    (func (export "alloc") (param i32) (result i32) (i32.const 65536))
    (func (export "execute") (param i32 i32) (result i32) (call $f ${args})))`);
}

/**
 * A module whose `execute` passes its input bytes straight to exec/http_request (as the request) or midi_send;
 * the call's code is the host function's return value.
 */
export async function passthrough(fn: 'exec' | 'http_request' | 'midi_send'): Promise<Uint8Array> {
  const midi = fn === 'midi_send';
  return watToWasm(`(module
    (import "conductor" "${fn}" (func $f (param i32 i32${midi ? '' : ' i32 i32'}) (result i32)))
    (memory (export "memory") 64)
    (func (export "alloc") (param i32) (result i32) (i32.const 65536))
    (func (export "execute") (param i32 i32) (result i32)
      (call $f (local.get 0) (local.get 1)${midi ? '' : ` (i32.const ${OUT_AT}) (i32.const 65536)`})))`);
}
