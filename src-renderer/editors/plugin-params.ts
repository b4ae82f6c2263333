// WasmPlugin parameters against the installed plugin's metadata: which params an action switch drops, which required
// ones are missing (what blocks Save), the "Other parameters" JSON parse and whether a Test result is stale. Pure: no React, no store, no IPC.
import type { Action, AppConfig, Mapping } from '../../src-shared/config';
import type { PluginInfo } from '../../src-shared/contract';
import type { ActionParams, ParamValue, PluginAction, PluginParameter } from '../../src-shared/plugin';
import { deepEqual, locationKey, type MappingScope } from '../store/draft';

type WasmAction = Extract<Action, { type: 'WasmPlugin' }>;

/** The installed plugin a mapping's path refers to (by expanded or as-written path). */
export function findPlugin(plugins: readonly PluginInfo[], a: Pick<WasmAction, 'path' | 'pathAsWritten'>): PluginInfo | undefined {
  return plugins.find((p) => p.wasmPath === a.path || p.snapshot.wasmPath === a.path || (a.pathAsWritten !== undefined && p.wasmPath === a.pathAsWritten));
}

/** The metadata of the action `params.action` names, when the plugin is installed and declares it. */
export function pluginActionOf(plugins: readonly PluginInfo[], a: WasmAction): PluginAction | undefined {
  const name = typeof a.params.action === 'string' ? a.params.action : '';
  return findPlugin(plugins, a)?.snapshot.metadata?.actions.find((x) => x.name === name);
}

/** The result of switching a plugin action: the params to keep and the names of the ones dropped (in their order). */
export interface ActionSwitch {
  params: ActionParams;
  dropped: string[];
}

/**
 * Params for `next`: `action` set to its name, the params it declares kept, every other one dropped (a param another
 * action took means nothing to this one, and the plugin would get it anyway).
 */
export function switchPluginAction(params: ActionParams, next: PluginAction): ActionSwitch {
  const declared = new Set(next.parameters.map((p) => p.name));
  const kept: ActionParams = { action: next.name };
  const dropped: string[] = [];
  for (const [k, v] of Object.entries(params)) {
    if (k === 'action') continue;
    if (declared.has(k)) kept[k] = v;
    else dropped.push(k);
  }
  return { params: kept, dropped };
}

/** "volume", "volume and scene_name", "volume, scene_name and fade_ms". */
export function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function isMissing(v: ParamValue | undefined): boolean {
  return v === undefined || (typeof v === 'string' && v.trim() === '');
}

/** The required parameters of `action` (metadata `required: true`) with no value in `params`; `action` itself is never one. */
export function missingRequired(params: ActionParams, action: PluginAction | undefined): PluginParameter[] {
  return action?.parameters.filter((p) => p.required && p.name !== 'action' && isMissing(params[p.name])) ?? [];
}

/** "fade_ms is required for fade". */
export function requiredMessage(param: string, action: string): string {
  return `${param} is required for ${action}`;
}

/** One missing required parameter somewhere in the draft. */
export interface RequiredProblem {
  /** The mapping's location key ("m0:2", "g:1"). */
  key: string;
  /** Field path in the mapping, as issue paths are written: "action.actions[1].params.fade_ms". */
  field: string;
  message: string;
}

function walk(action: Action, prefix: string, plugins: readonly PluginInfo[], out: (field: string, message: string) => void): void {
  if (action.type === 'Sequence') action.actions.forEach((a, i) => walk(a, `${prefix}.actions[${i}]`, plugins, out));
  else if (action.type === 'Repeat') walk(action.action, `${prefix}.action`, plugins, out);
  else if (action.type === 'WasmPlugin') {
    const meta = pluginActionOf(plugins, action);
    for (const p of missingRequired(action.params, meta)) out(`${prefix}.params.${p.name}`, requiredMessage(p.name, meta?.name ?? ''));
  }
}

/** The missing required parameters of one mapping (nested Sequence and Repeat steps included). */
export function mappingRequiredProblems(key: string, mapping: Mapping, plugins: readonly PluginInfo[]): RequiredProblem[] {
  const out: RequiredProblem[] = [];
  walk(mapping.action, 'action', plugins, (field, message) => out.push({ key, field, message }));
  return out;
}

/**
 * Every missing required parameter in the draft, for the plugins installed now: Save is held back while there is one.
 * A plugin that is not installed (or has no metadata) declares nothing, so it blocks nothing (the save's own checks apply).
 */
export function requiredParamProblems(config: AppConfig, plugins: readonly PluginInfo[]): RequiredProblem[] {
  const out: RequiredProblem[] = [];
  const scan = (scope: MappingScope, list: readonly Mapping[]) => list.forEach((m, index) => out.push(...mappingRequiredProblems(locationKey({ scope, index }), m, plugins)));
  config.modes.forEach((mode, modeIndex) => scan({ kind: 'mode', modeIndex }, mode.mappings));
  scan({ kind: 'global' }, config.globalMappings);
  return out;
}

/** A JSON parameter's text: empty = no value; else the value (a JSON object when `objectOnly`), or why not. */
export type ParsedJson = { ok: true; value: ParamValue | undefined } | { ok: false; message: string };

export function parseJsonParam(text: string, objectOnly = false): ParsedJson {
  if (text.trim() === '') return { ok: true, value: undefined };
  let v: ParamValue;
  try {
    v = JSON.parse(text) as ParamValue;
  } catch {
    return { ok: false, message: 'Not valid JSON yet' };
  }
  if (objectOnly && (v === null || typeof v !== 'object' || Array.isArray(v))) return { ok: false, message: 'Enter a JSON object, e.g. {"volume": 50}' };
  return { ok: true, value: v };
}

/** What a Test ran with. A result is stale once the action's path or params differ from it. */
export interface TestInput {
  path: string;
  params: ActionParams;
}

export function isStaleTest(ranWith: TestInput | null | undefined, now: TestInput): boolean {
  if (!ranWith) return false;
  return ranWith.path !== now.path || !deepEqual(ranWith.params, now.params);
}
