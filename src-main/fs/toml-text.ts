// TOML text for single values and keys (what a `key = value` line holds), and value equality as TOML sees it.
// Used by the config writer and by the comment-keeping patcher (toml-patch.ts). Text only — no file I/O.

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

/** A key as written on the left of `=` or in a `[table]` header: bare when it can be, else a basic string. */
export function tomlKey(k: string): string {
  return BARE_KEY.test(k) ? k : basicString(k);
}

export function basicString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

export function isTomlTable(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);
}

/** A non-empty array whose items are all tables: written as `[[name]]` sections rather than inline. */
export function isTomlTableArray(value: unknown): value is Record<string, unknown>[] {
  return Array.isArray(value) && value.length > 0 && value.every(isTomlTable);
}

/** One TOML value on one line. TOML has no null: null/undefined members are left out. */
export function inlineValue(value: unknown): string {
  if (typeof value === 'string') return basicString(value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return String(value);
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'nan';
    if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
    return Number.isInteger(value) ? String(value) : String(value).replace(/^(-?\d+)e/, '$1.0e');
  }
  // @iarna/toml's local dates and times override toISOString to print themselves the TOML way.
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    const items = value.filter((v) => v !== null && v !== undefined).map(inlineValue);
    return items.length === 0 ? '[]' : `[${items.join(', ')}]`;
  }
  if (isTomlTable(value)) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => `${tomlKey(k)} = ${inlineValue(v)}`);
    return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
  }
  throw new TypeError(`cannot write ${typeof value} as TOML`);
}

/**
 * A string that is equal for two values exactly when they are the same TOML value: table key order does not
 * matter, null/undefined members are absent (as when written), an integer and the same float are equal (JavaScript
 * cannot tell them apart), dates compare by their TOML text (so a local date never equals an offset date-time).
 */
export function tomlValueKey(value: unknown): string {
  if (value === null || value === undefined) return '~';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isNaN(value) ? 'nan' : Object.is(value, -0) ? '0' : String(value);
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) && BigInt(Number(value)) === value ? String(value) : `${value}n`;
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Date) return `@${value.toISOString()}`;
  if (Array.isArray(value)) return `[${value.filter((v) => v !== null && v !== undefined).map(tomlValueKey).join(',')}]`;
  if (typeof value !== 'object') return `?${typeof value}`;
  const table = value as Record<string, unknown>;
  const keys = Object.keys(table)
    .filter((k) => table[k] !== null && table[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${tomlValueKey(table[k])}`).join(',')}}`;
}

/**
 * Whether two values are the same TOML value, by the rules of tomlValueKey (compared directly, without building
 * the keys): table key order does not matter, null/undefined members are absent, dates compare by their text.
 */
export function sameTomlValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  if (typeof a === 'number' || typeof a === 'bigint' || typeof b === 'number' || typeof b === 'bigint') {
    return (typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint') && tomlValueKey(a) === tomlValueKey(b);
  }
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && a.toISOString() === b.toISOString();
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b)) return false;
    const x = a.filter((v) => v !== null && v !== undefined);
    const y = b.filter((v) => v !== null && v !== undefined);
    return x.length === y.length && x.every((v, i) => sameTomlValue(v, y[i]));
  }
  const ta = a as Record<string, unknown>;
  const tb = b as Record<string, unknown>;
  const ka = Object.keys(ta).filter((k) => ta[k] !== null && ta[k] !== undefined);
  const kb = Object.keys(tb).filter((k) => tb[k] !== null && tb[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => sameTomlValue(ta[k], tb[k]));
}
