// Browser mode's wire format: the contract's calls, replies and pushes as JSON text over a local WebSocket, with
// tags for what JSON cannot carry (bigint, Date). Pure data and functions — no zod, no Node, no DOM.
import type { EventName } from './contract-names';

/** The WebSocket path on the browser-mode server; the per-run token goes in the query: `/ws?token=<token>`. */
export const WIRE_PATH = '/ws';
/** Larger frames close the connection (code 1009). */
export const WIRE_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/** Client → server: one call. `id` is chosen by the client and echoed in the reply. */
export interface WireRequest {
  id: number | string;
  call: string;
  args: unknown[];
}

/**
 * Server → client: the reply to a request. `id` is null when the frame was too malformed to carry one.
 * `errorName` is 'InvalidRequestError' for arguments the contract refused (or a malformed frame), else 'Error'.
 */
export type WireReply =
  | { id: number | string | null; ok: true; reply: unknown }
  | { id: number | string | null; ok: false; error: string; errorName: string };

/** Server → client: an event of one of the EVENT_NAMES streams. */
export interface WirePush {
  event: EventName;
  payload: unknown;
}

/** TOML date-times as @iarna/toml writes them: local date, local time, local or offset date-time. */
const TOML_DATETIME =
  /^(?:\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:[Zz]|[+-]\d{2}:\d{2})?)?|\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?)$/;
const BIGINT_TEXT = /^-?\d{1,400}$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function defineMember(target: Record<string, unknown>, key: string, value: unknown): void {
  // defineProperty, not assignment: a member called "__proto__" stays a member and never becomes the prototype.
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A date-time read from its TOML text; it writes itself back as exactly that text (like @iarna/toml's local types). */
function tomlDate(text: string): Date {
  const hasDate = text.includes('-');
  const hasTime = text.includes(':');
  if (hasDate && hasTime && /(?:[Zz]|[+-]\d{2}:\d{2})$/.test(text)) return new Date(text);
  const iso = !hasDate ? `1970-01-01T${text}Z` : !hasTime ? `${text}T00:00:00Z` : `${text.replace(/[t ]/, 'T')}Z`;
  const date = new Date(iso);
  Object.defineProperty(date, 'toISOString', { value: () => text, enumerable: false, configurable: true, writable: true });
  return date;
}

/**
 * JSON text for a browser-mode frame. Values JSON cannot carry are tagged with one-key objects: a bigint becomes
 * `{"$bigint":"123"}`, a Date `{"$date":"<its toISOString(): ISO, or the TOML text of a local date/time>"}`; an object
 * key that starts with `$` gets one more `$` in front (so data never looks like a tag).
 */
export function encodeWire(value: unknown): string {
  return JSON.stringify(value, function replacer(this: unknown, key: string, replaced: unknown): unknown {
    // JSON.stringify has already applied toJSON (a Date is a string by now): look at the holder's own value.
    const raw = (this as Record<string, unknown>)[key];
    if (typeof raw === 'bigint') return { $bigint: raw.toString() };
    if (raw instanceof Date) {
      try {
        return { $date: raw.toISOString() };
      } catch {
        return null; // an invalid Date has no text
      }
    }
    if (isPlainObject(replaced) && Object.keys(replaced).some((k) => k.startsWith('$'))) {
      const escaped: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(replaced)) defineMember(escaped, `${k.startsWith('$') ? '$' : ''}${k}`, v);
      return escaped;
    }
    return replaced;
  });
}

/**
 * Parses a frame written by encodeWire: `{"$bigint"}` → bigint, `{"$date"}` → Date (one that writes itself back as
 * the same text), `$$key` → `$key`. Throws SyntaxError on bad JSON or a malformed tag.
 */
export function decodeWire(text: string): unknown {
  return JSON.parse(text, (_key: string, value: unknown): unknown => {
    if (!isPlainObject(value)) return value;
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === '$bigint' || keys[0] === '$date')) {
      const v = value[keys[0]];
      if (keys[0] === '$bigint' && typeof v === 'string' && BIGINT_TEXT.test(v)) return BigInt(v);
      if (keys[0] === '$date' && typeof v === 'string' && TOML_DATETIME.test(v)) return tomlDate(v);
      throw new SyntaxError(`malformed ${keys[0]} value`);
    }
    if (!keys.some((k) => k.startsWith('$$'))) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) defineMember(out, k.startsWith('$$') ? k.slice(1) : k, v);
    return out;
  });
}
