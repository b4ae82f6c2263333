// The execute input a plugin receives (DESIGN §4): the mapping's params, `parameters` (Conductor's form) and `context`,
// as one JSON string; built whole, or from the params' part serialised once. Pure functions; no Node, no DOM.
import type { ActionParams, TriggerContext } from './plugin';

/** The execute input for one call. */
export function buildExecuteInput(params: ActionParams, context: TriggerContext): string {
  return JSON.stringify({ ...params, parameters: params, context });
}

/**
 * The part of buildExecuteInput's JSON that depends on the params only (all of it but `,"context":…}`), to serialise
 * once per mapping; null when the params have a `context` key of their own (then use buildExecuteInput, which keeps it
 * where the params put it).
 */
export function executeInputPrefix(params: ActionParams): string | null {
  if (Object.hasOwn(params, 'context')) return null;
  return JSON.stringify({ ...params, parameters: params }).slice(0, -1);
}

/** buildExecuteInput(params, context), given executeInputPrefix(params): the same string. */
export function executeInputWithPrefix(prefix: string, context: TriggerContext): string {
  return `${prefix},"context":${JSON.stringify(context)}}`;
}
