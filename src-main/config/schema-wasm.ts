// The [wasm] table of config.toml: the signature policy and the per-plugin limits and isolation ([wasm.limits.<plugin>], in the
// file's units), also readable alone when the rest of the file is broken. Pure — never applies a policy or a limit.
import type { ConfigIssue, WasmPolicyConfig } from '../../src-shared/config';
import { ISOLATION_MODES, LIMIT_BOUNDS, type EditableLimit, type PluginLimitOverrides } from '../../src-shared/plugin';
import { describeValue, Fields, isTable, Reader, section, withExtra, type Table } from './schema-fields';
import type { ConfigPath } from './source-map';

/** `[wasm.limits.<plugin>]` keys: the file's name and unit (memory in MiB) for each editable limit. */
export const LIMIT_FIELDS: readonly { key: string; limit: EditableLimit; unit: number }[] = [
  { key: 'max_fuel', limit: 'fuelPerCall', unit: 1 },
  { key: 'max_memory_mb', limit: 'memoryBytes', unit: 1024 * 1024 },
  { key: 'max_table_elements', limit: 'tableElements', unit: 1 },
  { key: 'timeout_ms', limit: 'callTimeoutMs', unit: 1 },
];

/** `[wasm.limits.<plugin>] isolation = "process" | "shared"`: overrides the isolation policy (absent = the policy decides). */
export const ISOLATION_KEY = 'isolation';

/** Every key a `[wasm.limits.<plugin>]` table may hold, in the order they are written back. */
const LIMIT_KEYS: readonly string[] = [...LIMIT_FIELDS.map((l) => l.key), ISOLATION_KEY];

function readLimits(r: Reader, value: unknown, path: ConfigPath): Record<string, PluginLimitOverrides> | undefined {
  if (value === undefined) return undefined;
  if (!isTable(value)) {
    r.fail(path, `expected a table of per-plugin limits ([wasm.limits.my-plugin] with max_fuel = …), got ${describeValue(value)}`);
    return undefined;
  }
  const out: Record<string, PluginLimitOverrides> = {};
  for (const [id, entry] of Object.entries(value)) {
    const at = [...path, id];
    if (!isTable(entry)) {
      r.fail(at, `expected a table of limits (${LIMIT_KEYS.join(', ')}), got ${describeValue(entry)}`);
      continue;
    }
    const f = new Fields(r, entry, at);
    const overrides: PluginLimitOverrides = {};
    for (const { key, limit, unit } of LIMIT_FIELDS) {
      const [min, max] = LIMIT_BOUNDS[limit];
      const v = f.int(key, [min / unit, max / unit]);
      if (v !== undefined) overrides[limit] = v * unit;
    }
    const isolation = f.oneOf(ISOLATION_KEY, ISOLATION_MODES);
    if (isolation !== undefined) overrides.isolation = isolation;
    f.rejectRest('per-plugin limits', LIMIT_KEYS);
    out[id] = overrides;
  }
  return out;
}

/** `[wasm]`: the signature policy (both off by default) and `[wasm.limits.<plugin>]`. */
export function readWasm(r: Reader, doc: Table): WasmPolicyConfig {
  const f = section(r, doc, 'wasm');
  const policy: WasmPolicyConfig = { requireSignature: f.bool('require_signature') ?? false, allowSelfSigned: f.bool('allow_self_signed') ?? false };
  const limits = readLimits(r, f.raw('limits'), f.at('limits'));
  return withExtra(limits === undefined ? policy : { ...policy, limits }, f.extra());
}

/** `[wasm]` alone (the signature policy), for callers that need it even when the rest of the file is broken. */
export function readWasmPolicy(doc: Table): { policy: WasmPolicyConfig; issues: ConfigIssue[] } {
  const r = new Reader(null);
  const policy = readWasm(r, doc);
  return { policy, issues: r.issues };
}
