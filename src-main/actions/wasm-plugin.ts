// The WasmPlugin action: load (or reuse) the mapping's plugin through the injected plugin source and call it
// with the mapping's params and the trigger's context. Never throws: load and call failures become outcomes.
import type { Action } from '../../src-shared/config';
import type { PluginCallInfo } from '../../src-shared/engine';
import { errorMessage } from '../../src-shared/errors';
import type { ActionParams, CallResult, TriggerContext } from '../../src-shared/plugin';
import { buildExecuteInput, executeInputPrefix, executeInputWithPrefix } from '../../src-shared/execute-input';
import { failed, type ActionOutcome, type PluginCaller, type PluginSource } from './types';

/** Each params object's serialised constant part (config objects are replaced, never changed, on reload). */
const prefixes = new WeakMap<ActionParams, string | null>();

/** The execute input for a call: the params' JSON serialised once per mapping, the context per press. */
export function executeInput(params: ActionParams, context: TriggerContext): string {
  let prefix = prefixes.get(params);
  if (prefix === undefined) {
    prefix = executeInputPrefix(params);
    prefixes.set(params, prefix);
  }
  return prefix === null ? buildExecuteInput(params, context) : executeInputWithPrefix(prefix, context);
}

function callPlugin(handle: PluginCaller, params: ActionParams, context: TriggerContext): Promise<CallResult> {
  return handle.callRaw ? handle.callRaw(executeInput(params, context)) : handle.call(params, context);
}

export function pluginCallInfo(path: string, pluginId: string | null, result: CallResult): PluginCallInfo {
  return {
    path,
    pluginId,
    code: result.code,
    errorKind: result.errorKind,
    error: result.error,
    fuelConsumed: result.fuelConsumed,
    sandboxDurationMs: result.durationMs,
    memoryBytes: result.memoryBytes,
    log: [...result.log],
  };
}

export async function runWasmPlugin(
  action: Extract<Action, { type: 'WasmPlugin' }>,
  context: TriggerContext,
  plugins: PluginSource | null,
): Promise<ActionOutcome> {
  if (!plugins) return failed('WasmPlugin: plugins are not available in this run');
  let handle;
  try {
    handle = await plugins.ensureLoaded(action.path);
  } catch (err) {
    return failed(`WasmPlugin: cannot load ${action.path}: ${errorMessage(err)}`);
  }
  let result: CallResult;
  try {
    result = await callPlugin(handle, action.params, context);
  } catch (err) {
    return failed(`WasmPlugin: ${errorMessage(err)}`);
  }
  const plugin = pluginCallInfo(action.path, handle.id ?? null, result);
  if (result.ok) return { ok: true, detail: `returned ${result.code ?? 0}, fuel ${result.fuelConsumed}`, plugin };
  const why = result.error ?? (result.errorKind === 'plugin-error' ? `plugin returned error code ${result.code ?? '?'}` : `failed (${result.errorKind ?? 'unknown'})`);
  return failed(`WasmPlugin ${handle.id ?? action.path}: ${why}`, { plugin });
}
