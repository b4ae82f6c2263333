// Plugin metadata (DESIGN §4): picks the source (init() -> i64, sidecar plugin.toml, custom section)
// and normalises it. Pure data handling — never trusts the plugin's text beyond parsing it.
import TOML from '@iarna/toml';
import {
  isCapability,
  SETTING_TYPES,
  type Capability,
  type PluginAction,
  type PluginMetadata,
  type PluginOAuthSpec,
  type PluginParameter,
  type PluginSettingSpec,
  type PluginSettingType,
} from '../../../src-shared/plugin';
import { errorMessage } from '../../../src-shared/errors';
import { allowedHostsField } from './allowed-hosts';

export class MetadataError extends Error {
  override readonly name = 'MetadataError';
}

type Source = PluginMetadata['source'];

const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);

function record(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** What a wrong value is, for a message: never the value's own text beyond a number or boolean. */
function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' ? `${typeof v} ${String(v)}` : typeof v;
}

/**
 * One action's `parameters`: objects (`{name, type, required, description}`) or plain names (`"scene_name"`, as
 * Conductor's own plugins write them), mixed freely. A name stands for `{name}`, so both forms share the defaults.
 */
function parameters(raw: unknown, where: string, i: number, action: string): PluginParameter[] {
  const of = `of action ${JSON.stringify(action)}`;
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw new MetadataError(`${where}: actions[${i}].parameters ${of} must be an array`);
  const seen = new Map<string, number>();
  return raw.map((p: unknown, j) => {
    const named = typeof p === 'string';
    if (!named && (p === null || typeof p !== 'object' || Array.isArray(p))) {
      throw new MetadataError(`${where}: actions[${i}].parameters[${j}] ${of} must be a parameter name or an object with a "name", got ${kindOf(p)}`);
    }
    const param = named ? { name: p } : (p as Record<string, unknown>);
    if (typeof param.name !== 'string' || !param.name) {
      throw new MetadataError(`${where}: actions[${i}].parameters[${j}]${named ? '' : '.name'} ${of} must be a non-empty string`);
    }
    const earlier = seen.get(param.name);
    if (earlier !== undefined) throw new MetadataError(`${where}: actions[${i}].parameters[${j}] ${of} repeats the name ${JSON.stringify(param.name)} of parameters[${earlier}]`);
    seen.set(param.name, j);
    return { name: param.name, type: str(param.type, 'string'), required: param.required === true, description: str(param.description) };
  });
}

function actions(raw: unknown, where: string): PluginAction[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw new MetadataError(`${where}: "actions" must be an array`);
  return raw.map((a, i) => {
    const action = record(a);
    if (typeof action.name !== 'string' || !action.name) throw new MetadataError(`${where}: actions[${i}].name must be a non-empty string`);
    return {
      name: action.name,
      description: str(action.description),
      parameters: parameters(action.parameters, where, i, action.name),
    };
  });
}

/** Setting names: what a user sees as a key and what `--setting KEY=VALUE` takes. */
const SETTING_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;

function defaultOf(raw: unknown, type: PluginSettingType, where: string): PluginSettingSpec['default'] {
  if (raw === undefined || raw === null) return null;
  if (type === 'secret') throw new MetadataError(`${where}.default: a secret cannot have a default`);
  const ok = type === 'number' ? typeof raw === 'number' && Number.isFinite(raw) : type === 'bool' ? typeof raw === 'boolean' : typeof raw === 'string';
  if (!ok) throw new MetadataError(`${where}.default must be a ${type === 'bool' ? 'boolean' : type === 'number' ? 'number' : 'string'}, got ${kindOf(raw)}`);
  return raw as PluginSettingSpec['default'];
}

/** The settings a plugin declares: `[{name, type, description, default, required}]` (types: SETTING_TYPES). */
function settings(raw: unknown, where: string): PluginSettingSpec[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw new MetadataError(`${where}: "settings" must be an array`);
  const seen = new Set<string>();
  return raw.map((entry: unknown, i) => {
    const at = `${where}: settings[${i}]`;
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) throw new MetadataError(`${at} must be an object with a "name", got ${kindOf(entry)}`);
    const s = entry as Record<string, unknown>;
    if (typeof s.name !== 'string' || !SETTING_NAME.test(s.name)) {
      throw new MetadataError(`${at}.name must be letters, digits, "_", "-" or "." (starting with a letter or "_", at most 64)`);
    }
    if (seen.has(s.name)) throw new MetadataError(`${at} repeats the name ${JSON.stringify(s.name)}`);
    seen.add(s.name);
    const type = s.type === undefined ? 'string' : s.type;
    if (typeof type !== 'string' || !(SETTING_TYPES as readonly string[]).includes(type)) {
      throw new MetadataError(`${at}.type must be one of ${SETTING_TYPES.join(', ')}`);
    }
    const t = type as PluginSettingType;
    return { name: s.name, type: t, description: str(s.description), default: defaultOf(s.default, t, `${at}`), required: s.required === true };
  });
}

/** The `oauth` block: provider, authorize_url, token_url, client_id_setting (a declared setting), scopes. */
function oauth(raw: unknown, where: string, declared: readonly PluginSettingSpec[]): PluginOAuthSpec | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new MetadataError(`${where}: "oauth" must be an object`);
  const o = raw as Record<string, unknown>;
  const text = (key: string): string => {
    const v = o[key];
    if (typeof v !== 'string' || v.trim() === '') throw new MetadataError(`${where}: oauth.${key} must be a non-empty string`);
    return v;
  };
  const clientIdSetting = text('client_id_setting');
  if (!declared.some((s) => s.name === clientIdSetting)) throw new MetadataError(`${where}: oauth.client_id_setting names no declared setting (${JSON.stringify(clientIdSetting)})`);
  const scopes = o.scopes === undefined ? [] : o.scopes;
  if (!Array.isArray(scopes) || scopes.some((x) => typeof x !== 'string' || /\s/.test(x))) throw new MetadataError(`${where}: oauth.scopes must be an array of scope names`);
  return { provider: text('provider'), authorizeUrl: text('authorize_url'), tokenUrl: text('token_url'), clientIdSetting, scopes: scopes as string[] };
}

function capabilities(raw: unknown, where: string): Capability[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw new MetadataError(`${where}: "capabilities" must be an array`);
  return raw.map((c) => {
    const name = typeof c === 'string' ? c.toLowerCase().replace(/[_\s-]/g, '') : '';
    if (!isCapability(name)) throw new MetadataError(`${where}: unknown capability ${JSON.stringify(c)}`);
    return name;
  });
}

/** Normalises a parsed metadata object; throws MetadataError naming the field. */
export function normalizeMetadata(raw: unknown, source: Source, fallbackName: string): PluginMetadata {
  const where = `plugin metadata (${source})`;
  const m = record(raw);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new MetadataError(`${where}: expected an object`);
  const hosts = allowedHostsField(m);
  if ('problem' in hosts) throw new MetadataError(`${where}: ${hosts.problem}`);
  const declaredSettings = settings(m.settings, where);
  return {
    name: str(m.name, fallbackName) || fallbackName,
    version: str(m.version, '0.0.0'),
    description: str(m.description),
    author: str(m.author),
    license: str(m.license),
    type: str(m.type, 'action'),
    capabilities: [...new Set(capabilities(m.capabilities, where))],
    actions: actions(m.actions, where),
    allowedHosts: hosts.hosts,
    settings: declaredSettings,
    oauth: oauth(m.oauth, where, declaredSettings),
    source,
  };
}

export interface MetadataSources {
  /** JSON text from `init() -> i64`. */
  init: string | null;
  /** Text of a sidecar plugin.toml next to the .wasm. */
  sidecarToml: string | null;
  /** JSON text of the `conductor.plugin` custom section. */
  section: string | null;
}

function parseJson(text: string, source: Source): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new MetadataError(`plugin metadata (${source}) is not valid JSON: ${errorMessage(err)}`);
  }
}

/** Picks the first present source in DESIGN §4's order: init() -> i64, plugin.toml, custom section. */
export function resolveMetadata(sources: MetadataSources, fallbackName: string): PluginMetadata {
  if (sources.init !== null) return normalizeMetadata(parseJson(sources.init, 'init'), 'init', fallbackName);
  if (sources.sidecarToml !== null) {
    let parsed: unknown;
    try {
      parsed = TOML.parse(sources.sidecarToml);
    } catch (err) {
      throw new MetadataError(`plugin.toml: ${errorMessage(err)}`);
    }
    // Accept both a flat file and one with a [plugin] table.
    const table = record(parsed);
    const plugin = record(table.plugin);
    const body = table.plugin && typeof table.plugin === 'object'
      ? { ...plugin, actions: table.actions ?? plugin.actions, settings: table.settings ?? plugin.settings, oauth: table.oauth ?? plugin.oauth }
      : table;
    return normalizeMetadata(body, 'plugin.toml', fallbackName);
  }
  if (sources.section !== null) return normalizeMetadata(parseJson(sources.section, 'custom-section'), 'custom-section', fallbackName);
  return normalizeMetadata({}, 'none', fallbackName);
}
