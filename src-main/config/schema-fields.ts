// The reading layer under config.toml's schema: issues with line and column (Reader), typed and range-checked access
// to one table (Fields), the two spellings of a tagged value (untag), and the numeric ranges. Knows no section's meaning; never reads files.
import type { ConfigExtra, ConfigIssue, TomlValue } from '../../src-shared/config';
import { formatPath, SourceMap, type ConfigPath } from './source-map';

/** Inclusive [min, max] of every numeric field (the file's own units: MIDI values, channels 0–15, milliseconds). */
export const RANGES = Object.freeze({
  note: [0, 127],
  velocity: [0, 127],
  channel: [0, 15],
  cc: [0, 127],
  ccValue: [0, 127],
  pressure: [0, 127],
  program: [0, 127],
  pitchBend: [0, 16383],
  /** SendMidi PitchBend's `pitch` in Conductor's files: signed, 0 = centre. */
  pitch: [-8192, 8191],
  centerDeadzone: [0, 8191],
  devicePort: [0, 255],
  holdMs: [1, 60_000],
  doubleTapMs: [1, 5_000],
  chordMs: [1, 5_000],
  delayMs: [0, 60_000],
  repeatCount: [1, 1_000],
  shellTimeoutMs: [1, 3_600_000],
  /** Game controllers (src-shared/gamepad.ts): button ids, stick axes, analog triggers. */
  gamepadId: [128, 255],
  gamepadAxis: [128, 131],
  gamepadTrigger: [132, 133],
  /** VolumeControl's level or step. */
  percent: [0, 100],
  /** MouseClick's x / y, in screen pixels. */
  screen: [0, 100_000],
} as const satisfies Record<string, readonly [number, number]>);

export type Range = readonly [number, number];

export type Table = Record<string, unknown>;

/** A TOML table as @iarna/toml reads one (not an array, not a date). */
export function isTable(value: unknown): value is Table {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);
}

/** How a value is shown in "got …". */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value instanceof Date) return `a date (${value.toISOString()})`;
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : 'an array';
  if (isTable(value)) return 'a table';
  if (typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0;
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}

/** `; did you mean "X"?` when one candidate is close (case-insensitive equal or ≤ 2 edits), else ''. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const lower = word.toLowerCase();
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = c.toLowerCase() === lower ? 0 : editDistance(lower, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== null && bestDistance <= Math.min(2, Math.max(1, Math.floor(word.length / 3))) ? `; did you mean "${best}"?` : '';
}

export function quoteList(items: readonly string[]): string {
  return items.map((i) => `"${i}"`).join(', ');
}

export class Reader {
  readonly issues: ConfigIssue[] = [];
  private source: SourceMap | null = null;
  /** The source map is built on the first issue only: valid files (the common case) never pay for it. */
  constructor(private readonly text: string | null) {}

  fail(path: ConfigPath, message: string): void {
    if (this.source === null && this.text !== null) this.source = new SourceMap(this.text);
    const at = this.source?.locate(path) ?? null;
    this.issues.push({ path: formatPath(path), segments: [...path], message, line: at?.line ?? null, column: at?.column ?? null });
  }

  /** Runs `read` and returns its result only when it reported no issue. */
  clean<T>(read: () => T | null): T | null {
    const before = this.issues.length;
    const value = read();
    return this.issues.length === before ? value : null;
  }
}

/** Field access on one table: type and range checks, and the keys nobody asked for. */
export class Fields {
  private readonly used = new Set<string>();

  constructor(
    private readonly r: Reader,
    readonly table: Table,
    readonly path: ConfigPath,
  ) {}

  at(key: string): ConfigPath {
    return [...this.path, key];
  }

  has(key: string): boolean {
    return this.table[key] !== undefined;
  }

  raw(key: string): unknown {
    this.used.add(key);
    return this.table[key];
  }

  private missing(key: string, required: boolean): boolean {
    if (required) this.r.fail(this.at(key), 'missing required field');
    return true;
  }

  int(key: string, range: Range, required = false): number | undefined {
    const v = this.raw(key);
    if (v === undefined) return void this.missing(key, required);
    const [min, max] = range;
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      this.r.fail(this.at(key), `expected an integer ${min}–${max}, got ${describeValue(v)}`);
      return undefined;
    }
    if (v < min || v > max) {
      this.r.fail(this.at(key), `expected ${min}–${max}, got ${v}`);
      return undefined;
    }
    return v;
  }

  bool(key: string): boolean | undefined {
    const v = this.raw(key);
    if (v === undefined || typeof v === 'boolean') return v;
    this.r.fail(this.at(key), `expected true or false, got ${describeValue(v)}`);
    return undefined;
  }

  str(key: string, required = false, nonEmpty = required): string | undefined {
    const v = this.raw(key);
    if (v === undefined) return void this.missing(key, required);
    if (typeof v !== 'string') {
      this.r.fail(this.at(key), `expected a string, got ${describeValue(v)}`);
      return undefined;
    }
    if (nonEmpty && v.trim() === '') {
      this.r.fail(this.at(key), 'expected a non-empty string');
      return undefined;
    }
    return v;
  }

  oneOf<T extends string>(key: string, options: readonly T[], required = false): T | undefined {
    const v = this.raw(key);
    if (v === undefined) return void this.missing(key, required);
    if (typeof v === 'string' && (options as readonly string[]).includes(v)) return v as T;
    const hint = typeof v === 'string' ? didYouMean(v, options) : '';
    this.r.fail(this.at(key), `expected one of ${quoteList(options)}, got ${describeValue(v)}${hint}`);
    return undefined;
  }

  strings(key: string): string[] | undefined {
    const v = this.raw(key);
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) {
      this.r.fail(this.at(key), `expected an array of strings, got ${describeValue(v)}`);
      return undefined;
    }
    let ok = true;
    v.forEach((item: unknown, i) => {
      if (typeof item !== 'string' || item === '') {
        this.r.fail([...this.at(key), i], `expected a non-empty string, got ${describeValue(item)}`);
        ok = false;
      }
    });
    return ok ? (v as string[]) : undefined;
  }

  /**
   * An integer Conductor's format names `name` and older Conductor Desktop files name `older`: either is read (both
   * at once is an issue at `older`). `older` is true when the file used the older name, so saving writes it back so.
   */
  intEither(name: string, older: string, range: Range, required = false): { value: number | undefined; older: boolean } {
    if (this.has(older)) {
      if (this.has(name)) {
        this.raw(older);
        this.r.fail(this.at(older), `give ${name} or ${older} (its older name), not both`);
        return { value: this.int(name, range), older: false };
      }
      return { value: this.int(older, range, required), older: true };
    }
    return { value: this.int(name, range, required), older: false };
  }

  /** Keys not read so far. */
  rest(): string[] {
    return Object.keys(this.table).filter((k) => !this.used.has(k));
  }

  /** Unknown keys are errors (trigger and action bodies: a typo must not silently do nothing). */
  rejectRest(what: string, allowed: readonly string[]): void {
    for (const key of this.rest()) {
      this.r.fail(this.at(key), `unknown field for ${what} (fields: ${allowed.join(', ')})${didYouMean(key, allowed)}`);
    }
  }

  /** Unknown keys are kept, verbatim, for writing back. */
  extra(): ConfigExtra | undefined {
    const keys = this.rest();
    if (keys.length === 0) return undefined;
    const out: ConfigExtra = {};
    for (const key of keys) out[key] = this.table[key] as TomlValue;
    return out;
  }
}

/** `value` with the table's unknown keys kept under `extra`, when there are any. */
export function withExtra<T extends object>(value: T, extra: ConfigExtra | undefined): T {
  return extra === undefined ? value : { ...value, extra };
}

/** `{ Note = { … } }` (one key naming the type) or `{ type = "Note", … }` → the type, its fields and their path. */
export function untag<T extends string>(
  r: Reader,
  value: unknown,
  path: ConfigPath,
  kind: 'trigger' | 'action' | 'condition',
  types: readonly T[],
): { type: T; fields: Fields } | null {
  const example = kind === 'trigger' ? '{ Note = { note = 60 } }' : kind === 'action' ? '{ Text = { text = "hello" } }' : '{ type = "ModeIs", mode = "Default" }';
  if (!isTable(value)) {
    r.fail(path, `expected a table naming the ${kind} type, e.g. ${example}, got ${describeValue(value)}`);
    return null;
  }
  if ('type' in value) {
    const tag = value.type;
    if (typeof tag !== 'string') {
      r.fail([...path, 'type'], `expected a string naming the ${kind} type, got ${describeValue(tag)}`);
      return null;
    }
    if (!(types as readonly string[]).includes(tag)) {
      r.fail([...path, 'type'], `unknown ${kind} type "${tag}" (types: ${types.join(', ')})${didYouMean(tag, types)}`);
      return null;
    }
    const fields = new Fields(r, value, path);
    fields.raw('type');
    return { type: tag as T, fields };
  }
  const keys = Object.keys(value);
  if (keys.length !== 1) {
    const named = keys.filter((k) => (types as readonly string[]).includes(k));
    r.fail(
      path,
      keys.length === 0
        ? `empty: expected one key naming the ${kind} type, e.g. ${example}`
        : named.length > 0
          ? `expected exactly one key naming the ${kind} type, found ${keys.length}: ${keys.join(', ')}`
          : `missing the ${kind} type: write it as ${example} or add type = "…" (types: ${types.join(', ')})`,
    );
    return null;
  }
  const [key] = keys as [string];
  if (!(types as readonly string[]).includes(key)) {
    r.fail([...path, key], `unknown ${kind} type "${key}" (types: ${types.join(', ')})${didYouMean(key, types)}`);
    return null;
  }
  const body = value[key];
  if (!isTable(body)) {
    r.fail([...path, key], `expected a table of the ${key} ${kind}'s fields, e.g. ${example}, got ${describeValue(body)}`);
    return null;
  }
  return { type: key as T, fields: new Fields(r, body, [...path, key]) };
}

/** The fields of a top-level table (`[device]`, `[wasm]`, …); empty when it is missing or not a table. */
export function section(r: Reader, doc: Table, key: string): Fields {
  const value = doc[key];
  if (value === undefined) return new Fields(r, {}, [key]);
  if (!isTable(value)) {
    r.fail([key], `expected a table ([${key}]), got ${describeValue(value)}`);
    return new Fields(r, {}, [key]);
  }
  return new Fields(r, value, [key]);
}
