// AssemblyScript SDK for Conductor plugins — the parsed `execute` input: action, typed context, typed params.
// Must never trap on any JSON shape: a missing or mistyped field is "absent", and only non-object input is refused.
import { JsonValue } from "./json";

/** The value of an optional context integer (channel, note, velocity, cc, value) that the trigger did not carry. */
export const NONE: i32 = -1;

/** A present value of a primitive type, for the `get…` param getters (null means the param is missing). */
export class Box<T> {
  value: T;
  constructor(value: T) {
    this.value = value;
  }
}

function intOrNone(obj: JsonValue, key: string): i32 {
  const v = obj.get(key);
  if (v === null || !v.isInteger) return NONE;
  const n = v.integerValue;
  return n < 0 || n > 0x7fffffff ? NONE : <i32>n;
}

function strOr(obj: JsonValue, key: string, dflt: string): string {
  const v = obj.get(key);
  return v !== null && v.isString ? v.stringValue : dflt;
}

/** What triggered the call: `input.context`. */
export class Context {
  /** e.g. "Note", "CC", "Manual" ("" if absent). */
  trigger: string = "";
  /** The active mode's name ("" if absent). */
  mode: string = "";
  /** When the trigger happened, in ms since the Unix epoch (0 if absent). */
  timestamp: f64 = 0;
  /** The MIDI device's name, or null. */
  device: string | null = null;
  /** MIDI channel 0..15, or NONE (-1). */
  channel: i32 = NONE;
  /** Note number, or NONE. */
  note: i32 = NONE;
  /** Velocity, or NONE. */
  velocity: i32 = NONE;
  /** Controller number, or NONE. */
  cc: i32 = NONE;
  /** Controller (or other) value, or NONE. */
  value: i32 = NONE;
  /** The whole context object as JSON (an empty object when the input had none). */
  json: JsonValue = JsonValue.newObject();

  /** Any other context key, as raw JSON (null if absent). */
  get(key: string): JsonValue | null {
    return this.json.get(key);
  }

  static from(json: JsonValue | null): Context {
    const c = new Context();
    if (json === null || !json.isObject) return c;
    c.json = json;
    c.trigger = strOr(json, "trigger", "");
    c.mode = strOr(json, "mode", "");
    const ts = json.get("timestamp");
    if (ts !== null && ts.isNumber) c.timestamp = ts.numberValue;
    const dev = json.get("device");
    if (dev !== null && dev.isString) c.device = dev.stringValue;
    c.channel = intOrNone(json, "channel");
    c.note = intOrNone(json, "note");
    c.velocity = intOrNone(json, "velocity");
    c.cc = intOrNone(json, "cc");
    c.value = intOrNone(json, "value");
    return c;
  }
}

/**
 * The mapping's params: `input.params`. Each type has two getters — `getX(name)` returns null when the param is
 * missing (or not of that type), `x(name, default)` returns the default then. `raw(name)` gives any param as JSON.
 */
export class Params {
  names: string[] = [];
  values: JsonValue[] = [];

  /** The param's JSON value (any type: object, array, …), or null if missing. */
  raw(name: string): JsonValue | null {
    for (let i = this.names.length - 1; i >= 0; i--) {
      if (this.names[i] == name) return this.values[i];
    }
    return null;
  }

  has(name: string): bool {
    return this.raw(name) !== null;
  }

  getString(name: string): string | null {
    const v = this.raw(name);
    return v !== null && v.isString ? v.stringValue : null;
  }
  string(name: string, dflt: string): string {
    const v = this.getString(name);
    return v !== null ? v : dflt;
  }

  /** An integer param (a JSON number with an integral value: 3, -7, 3.0), or null. */
  getInt(name: string): Box<i64> | null {
    const v = this.raw(name);
    return v !== null && v.isInteger ? new Box<i64>(v.integerValue) : null;
  }
  int(name: string, dflt: i64): i64 {
    const v = this.raw(name);
    return v !== null && v.isInteger ? v.integerValue : dflt;
  }

  /** Any JSON number, or null. */
  getFloat(name: string): Box<f64> | null {
    const v = this.raw(name);
    return v !== null && v.isNumber ? new Box<f64>(v.numberValue) : null;
  }
  float(name: string, dflt: f64): f64 {
    const v = this.raw(name);
    return v !== null && v.isNumber ? v.numberValue : dflt;
  }

  getBool(name: string): Box<bool> | null {
    const v = this.raw(name);
    return v !== null && v.isBool ? new Box<bool>(v.boolValue) : null;
  }
  bool(name: string, dflt: bool): bool {
    const v = this.raw(name);
    return v !== null && v.isBool ? v.boolValue : dflt;
  }

  /** All params as one JSON object. */
  toJson(): JsonValue {
    const o = JsonValue.newObject();
    for (let i = 0; i < this.names.length; i++) o.set(this.names[i], this.values[i]);
    return o;
  }
}

/** One `execute` call's input. */
export class Input {
  /** The action to run ("" if the input names none). */
  action: string = "";
  context: Context = new Context();
  params: Params = new Params();
  /** The whole input as JSON. */
  json: JsonValue = JsonValue.newObject();
}

/** Builds the Input from the parsed JSON; returns null (with `why`) only for input that is not a usable object. */
export class InputResult {
  input: Input | null = null;
  why: string = "";
}

export function inputFrom(json: JsonValue): InputResult {
  const r = new InputResult();
  if (!json.isObject) {
    r.why = "the input is not a JSON object";
    return r;
  }
  const input = new Input();
  input.json = json;
  const action = json.get("action");
  if (action !== null && !action.isNull) {
    if (!action.isString) {
      r.why = '"action" is not a string';
      return r;
    }
    input.action = action.stringValue;
  }
  input.context = Context.from(json.get("context"));
  for (let i = 0; i < json.keys.length; i++) {
    const k = json.keys[i];
    if (k == "action" || k == "context" || k == "parameters") continue;
    input.params.names.push(k);
    input.params.values.push(json.values[i]);
  }
  r.input = input;
  return r;
}
