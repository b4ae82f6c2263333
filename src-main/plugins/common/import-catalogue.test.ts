// The host-function catalogue and the ABI import check built on it: every function with its right signature
// loads, a wrong signature or unknown name is reported, and each capability-gated function names its capability.
import { describe, expect, it } from 'vitest';
import { CAPABILITIES } from '../../../src-shared/plugin';
import { watToWasm } from '../../../plugins/fixtures';
import { checkAbi } from './abi-check';
import { CONDUCTOR_MODULE, HOST_ERROR, HOST_ERROR_MIN, HOST_FUNCTIONS } from './import-catalogue';
import { inspectModule } from './wasm/inspect';

const base = `(memory (export "memory") 1)
  (func (export "alloc") (param i32) (result i32) (i32.const 0))
  (func (export "execute") (param i32 i32) (result i32) (i32.const 0))`;
const abiOf = async (imports: string) => checkAbi(inspectModule(await watToWasm(`(module ${imports} ${base})`)));
const importOf = (name: string, params: string[], results: string[]) =>
  `(import "${CONDUCTOR_MODULE}" "${name}" (func (param ${params.join(' ')}) (result ${results.join(' ')})))`;

describe('the conductor host-function catalogue', () => {
  it('gates each host function by its DESIGN §6 capability (log and setting are for every plugin)', () => {
    const gates = Object.fromEntries([...HOST_FUNCTIONS.values()].map((s) => [s.name, s.capability]));
    expect(gates).toEqual({
      log: null,
      exec: 'subprocess',
      midi_send: 'midi',
      notify: 'systemcontrol',
      http_request: 'network',
      ws_open: 'network',
      ws_send: 'network',
      ws_recv: 'network',
      ws_close: 'network',
      setting: null,
      oauth_token: 'network',
      system: 'systemcontrol',
    });
    for (const spec of HOST_FUNCTIONS.values()) {
      expect(spec.capability === null || CAPABILITIES.includes(spec.capability)).toBe(true);
      expect(spec.description).toMatch(new RegExp(`^${spec.name}\\(`));
    }
  });

  it('keeps error codes inside -1..-15, so anything lower can be a needed buffer size', () => {
    for (const code of Object.values(HOST_ERROR)) {
      expect(code).toBeLessThan(0);
      expect(code).toBeGreaterThanOrEqual(HOST_ERROR_MIN);
    }
    expect(new Set(Object.values(HOST_ERROR)).size).toBe(Object.values(HOST_ERROR).length);
  });
});

describe('ABI check of conductor imports', () => {
  it('accepts every catalogue function imported with its signature', async () => {
    const imports = [...HOST_FUNCTIONS.values()].map((s) => importOf(s.name, s.params, s.results)).join('\n');
    expect((await abiOf(imports)).hostImports).toEqual(['log', 'exec', 'midi_send', 'notify', 'http_request', 'ws_open', 'ws_send', 'ws_recv', 'ws_close', 'setting', 'oauth_token', 'system']);
  });

  it('reports each wrong signature with the expected one', async () => {
    await expect(
      abiOf(`${importOf('exec', ['i32', 'i32'], ['i32'])}
        ${importOf('midi_send', ['i32', 'i32'], ['i64'])}
        (import "conductor" "notify" (func (param i32 i32 i32 i32)))
        ${importOf('http_request', ['i32', 'i32', 'i32', 'i64'], ['i32'])}`),
    ).rejects.toThrow(
      'not a valid Conductor plugin (ABI v1): ' +
        'import "conductor"."exec" has type (i32, i32) -> (i32), expected (i32, i32, i32, i32) -> (i32); ' +
        'import "conductor"."midi_send" has type (i32, i32) -> (i64), expected (i32, i32) -> (i32); ' +
        'import "conductor"."notify" has type (i32, i32, i32, i32) -> (), expected (i32, i32, i32, i32) -> (i32); ' +
        'import "conductor"."http_request" has type (i32, i32, i32, i64) -> (i32), expected (i32, i32, i32, i32) -> (i32)',
    );
  });

  it('reports functions that do not exist (yet), such as lock_screen', async () => {
    await expect(abiOf('(import "conductor" "lock_screen" (func (result i32)))')).rejects.toThrow(
      'unknown host import "conductor"."lock_screen": no such conductor host function',
    );
  });
});
