// conductor.system (capability `systemcontrol`): the request a plugin sends, checked field by field, and the
// response and failure types the platform back ends share. Pure data and checks — never runs anything itself.

/** What a brightness or volume request asks for. */
export type LevelAction = { kind: 'get' } | { kind: 'set'; percent: number } | { kind: 'change'; delta: number };

export type SystemRequest =
  | { op: 'lock_screen' }
  | { op: 'sleep' }
  | { op: 'brightness'; action: LevelAction }
  | { op: 'volume'; action: LevelAction | { kind: 'mute'; mute: boolean } };

export type SystemOp = SystemRequest['op'];

/**
 * The JSON written to the plugin's out buffer. Every response names its `op`: it keeps the shortest one
 * (`{"ok":true,"op":"sleep"}`) above the 16 bytes that tell a length apart from an error code.
 */
export type SystemResponse =
  | { ok: true; op: SystemOp }
  | { ok: true; op: 'brightness'; brightness: number }
  | { ok: true; op: 'volume'; volume: number; muted: boolean }
  | { ok: false; op: SystemOp; error: string };

/**
 * Bounds of a response's `error` text (longer tool output is cut): characters, and bytes of its JSON form. With them
 * every response fits in 1 KiB (the longest `op` and the rest of the object take under 50 bytes).
 */
export const SYSTEM_ERROR_CHARS = 300;
export const SYSTEM_ERROR_JSON_BYTES = 900;

/** Thrown by a back end when the operation was tried and failed: becomes `{"ok":false,"error":…}`. */
export class SystemFailure extends Error {}

/** Thrown by a back end when this platform has no way to do the operation at all: becomes the code `unavailable`. */
export class SystemUnavailable extends Error {}

const OPS: readonly SystemOp[] = ['lock_screen', 'sleep', 'brightness', 'volume'];

/** Parses and checks the request JSON; returns the request or the reason it is invalid (the code `invalid`). */
export function parseSystemRequest(text: string): SystemRequest | string {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return 'request is not valid JSON';
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return 'request must be a JSON object';
  const r = raw as Record<string, unknown>;
  const op = OPS.find((o) => o === r.op);
  if (op === undefined) return `"op" must be one of ${OPS.map((o) => `"${o}"`).join(', ')}`;
  const allowed = op === 'brightness' ? ['set', 'change'] : op === 'volume' ? ['set', 'change', 'mute'] : [];
  const fields = Object.keys(r).filter((k) => k !== 'op');
  for (const key of fields) {
    if (!allowed.includes(key)) {
      return allowed.length === 0
        ? `unknown field "${key}" ("${op}" takes no other fields)`
        : `unknown field "${key}" ("${op}" takes ${allowed.map((a) => `"${a}"`).join(' or ')})`;
    }
  }
  if (fields.length > 1) return `give at most one of ${allowed.map((a) => `"${a}"`).join(', ')}`;
  if (op === 'lock_screen' || op === 'sleep') return { op };
  let action: LevelAction | { kind: 'mute'; mute: boolean } = { kind: 'get' };
  if ('set' in r) {
    if (!isIntegerIn(r.set, 0, 100)) return '"set" must be an integer from 0 to 100 (percent)';
    action = { kind: 'set', percent: r.set };
  } else if ('change' in r) {
    if (!isIntegerIn(r.change, -100, 100)) return '"change" must be an integer from -100 to 100 (percentage points)';
    action = { kind: 'change', delta: r.change };
  } else if ('mute' in r) {
    if (typeof r.mute !== 'boolean') return '"mute" must be true or false';
    action = { kind: 'mute', mute: r.mute };
  }
  if (op === 'brightness') {
    if (action.kind === 'mute') throw new Error('unreachable: brightness has no "mute"');
    return { op, action };
  }
  return { op, action };
}

function isIntegerIn(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}

/** The target percentage of a set/change on a level now at `current`; a change never leaves 0…max(100, current). */
export function targetPercent(action: LevelAction, current: number): number {
  if (action.kind === 'set') return action.percent;
  if (action.kind === 'get') return current;
  return Math.min(Math.max(current + action.delta, 0), Math.max(100, current));
}

/**
 * Tool output made fit for an error message: its first non-empty line, control characters as spaces, cut (with "…")
 * to SYSTEM_ERROR_CHARS code points and SYSTEM_ERROR_JSON_BYTES bytes once written as a JSON string.
 */
export function conciseText(text: string, fallback: string): string {
  const line = text
    .split(/\r?\n/)
    .map((l) => [...l].map((ch) => (ch.charCodeAt(0) < 0x20 || ch === '\u007f' ? ' ' : ch)).join('').trim())
    .find((l) => l !== '');
  const full = line ?? fallback;
  const jsonBytes = (ch: string) => (ch === '"' || ch === '\\' ? 2 : /^[\ud800-\udfff]$/.test(ch) ? 6 : Buffer.byteLength(ch));
  const chars = [...full];
  if (chars.length <= SYSTEM_ERROR_CHARS && chars.reduce((n, ch) => n + jsonBytes(ch), 0) <= SYSTEM_ERROR_JSON_BYTES) return full;
  let out = '';
  let bytes = 3; // the "…"
  for (const ch of chars.slice(0, SYSTEM_ERROR_CHARS - 1)) {
    bytes += jsonBytes(ch);
    if (bytes > SYSTEM_ERROR_JSON_BYTES) break;
    out += ch;
  }
  return `${out}…`;
}
