// AssemblyScript SDK for Conductor plugins — a small JSON reader and writer (JsonValue, parseJson, jsonQuote).
// Must never trap or abort on malformed text (a parse error is a value), and must always write valid, escaped JSON.
//
// Why hand-written and not a library: json-as (the maintained AssemblyScript JSON package) was evaluated with
// assemblyscript 0.28: on malformed input it aborts (a trap, where the ABI wants code 2 and a logged reason), its
// transform turns a project's `assembly/index.ts` into a library file (the module then exports nothing), and a
// dynamic-object parse alone is ~26 KB and ~5 s of compile time. Plugin input is small and dynamic (params of any
// shape), so a ~400-line reader into a tree of JsonValue, with errors as values, fits better.

/** What a JsonValue holds. */
export enum JsonKind {
  Null = 0,
  Bool = 1,
  Number = 2,
  String = 3,
  Array = 4,
  Object = 5,
}

/** Largest integer a double represents exactly (2^53): integral floats beyond it are not accepted as integers. */
const MAX_SAFE: f64 = 9007199254740992.0;
/** Deepest nesting parseJson accepts (arrays/objects); deeper input is a parse error, never a stack overflow. */
export const JSON_MAX_DEPTH: i32 = 200;

/** One JSON value: a tree you read with the getters below, or build with the `JsonValue.of…` constructors. */
export class JsonValue {
  kind: JsonKind = JsonKind.Null;
  boolValue: bool = false;
  numberValue: f64 = 0;
  /** The number as written in the text (exact integers survive), or as formatted by `ofInteger`/`ofFloat`. */
  numberText: string = "0";
  stringValue: string = "";
  /** Elements of an array. */
  items: JsonValue[] = [];
  /** Member names of an object, in order (a repeated name keeps every occurrence; `get` returns the last). */
  keys: string[] = [];
  /** Member values of an object, parallel to `keys`. */
  values: JsonValue[] = [];

  static ofNull(): JsonValue {
    return new JsonValue();
  }
  static ofBool(b: bool): JsonValue {
    const v = new JsonValue();
    v.kind = JsonKind.Bool;
    v.boolValue = b;
    return v;
  }
  static ofInteger(n: i64): JsonValue {
    const v = new JsonValue();
    v.kind = JsonKind.Number;
    v.numberValue = <f64>n;
    v.numberText = n.toString();
    return v;
  }
  /** A number; NaN and ±Infinity (which JSON cannot hold) become null. */
  static ofFloat(n: f64): JsonValue {
    if (!isFinite<f64>(n)) return JsonValue.ofNull();
    const v = new JsonValue();
    v.kind = JsonKind.Number;
    v.numberValue = n;
    v.numberText = formatFloat(n);
    return v;
  }
  static ofString(s: string): JsonValue {
    const v = new JsonValue();
    v.kind = JsonKind.String;
    v.stringValue = s;
    return v;
  }
  static newArray(): JsonValue {
    const v = new JsonValue();
    v.kind = JsonKind.Array;
    return v;
  }
  static newObject(): JsonValue {
    const v = new JsonValue();
    v.kind = JsonKind.Object;
    return v;
  }

  get isNull(): bool {
    return this.kind == JsonKind.Null;
  }
  get isBool(): bool {
    return this.kind == JsonKind.Bool;
  }
  get isNumber(): bool {
    return this.kind == JsonKind.Number;
  }
  get isString(): bool {
    return this.kind == JsonKind.String;
  }
  get isArray(): bool {
    return this.kind == JsonKind.Array;
  }
  get isObject(): bool {
    return this.kind == JsonKind.Object;
  }

  /** Number of elements (array) or members (object); 0 otherwise. */
  get length(): i32 {
    if (this.kind == JsonKind.Array) return this.items.length;
    if (this.kind == JsonKind.Object) return this.keys.length;
    return 0;
  }

  /** An object's member (the last one of that name), or null (missing, or this is not an object). */
  get(key: string): JsonValue | null {
    if (this.kind != JsonKind.Object) return null;
    for (let i = this.keys.length - 1; i >= 0; i--) {
      if (this.keys[i] == key) return this.values[i];
    }
    return null;
  }

  /** An array's element, or null (out of range, or this is not an array). */
  at(index: i32): JsonValue | null {
    if (this.kind != JsonKind.Array || index < 0 || index >= this.items.length) return null;
    return this.items[index];
  }

  /** Whether this is a number with an exact integer value that fits an i64 (`3`, `-7`, `3.0`, `1e3`). */
  get isInteger(): bool {
    if (this.kind != JsonKind.Number) return false;
    if (isPlainInteger(this.numberText)) return parseI64(this.numberText).ok;
    const n = this.numberValue;
    return n == Math.floor(n) && Math.abs(n) <= MAX_SAFE;
  }

  /** The integer value (check `isInteger` first; anything else gives 0). */
  get integerValue(): i64 {
    if (!this.isInteger) return 0;
    if (isPlainInteger(this.numberText)) return parseI64(this.numberText).value;
    return <i64>this.numberValue;
  }

  /** Appends to an array (no effect on other kinds); returns this, for chaining. */
  push(value: JsonValue): JsonValue {
    if (this.kind == JsonKind.Array) this.items.push(value);
    return this;
  }

  /** Sets an object member, replacing one of the same name (no effect on other kinds); returns this. */
  set(key: string, value: JsonValue): JsonValue {
    if (this.kind != JsonKind.Object) return this;
    for (let i = this.keys.length - 1; i >= 0; i--) {
      if (this.keys[i] == key) {
        this.values[i] = value;
        return this;
      }
    }
    this.keys.push(key);
    this.values.push(value);
    return this;
  }

  /** Compact JSON text of this value (strings escaped with jsonQuote). */
  toString(): string {
    const parts = new Array<string>();
    writeValue(this, parts);
    return parts.join("");
  }
}

/** Outcome of parseJson: `value` on success; otherwise null and `error` says what and where (character offset). */
export class JsonParseResult {
  value: JsonValue | null = null;
  error: string = "";
}

/** Parses JSON text (RFC 8259: one value, surrounding whitespace allowed). Never traps. */
export function parseJson(text: string): JsonParseResult {
  const p = new Parser(text);
  const result = new JsonParseResult();
  p.skipSpace();
  const v = p.parseValue(0);
  if (v !== null) {
    p.skipSpace();
    if (p.pos < p.len) {
      p.fail("unexpected text after the JSON value");
    } else {
      result.value = v;
      return result;
    }
  }
  result.error = p.error + " at offset " + p.errorAt.toString();
  return result;
}

/**
 * `s` as a quoted JSON string: `"`, `\` and control characters escaped (\n \r \t \b \f, others as \u00XX), and a
 * lone UTF-16 surrogate as \uXXXX so the UTF-8 encoding of the result is always valid. Use it to build requests.
 */
export function jsonQuote(s: string): string {
  const parts = new Array<string>();
  writeQuoted(s, parts);
  return parts.join("");
}

// ---------------------------------------------------------------------------------------------------------------
// Writer

const HEX = "0123456789abcdef";

function hex4(c: i32): string {
  return "\\u" + HEX.charAt((c >> 12) & 15) + HEX.charAt((c >> 8) & 15) + HEX.charAt((c >> 4) & 15) + HEX.charAt(c & 15);
}

function writeQuoted(s: string, parts: string[]): void {
  parts.push('"');
  const n = s.length;
  let start = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    let esc: string | null = null;
    if (c == 0x22) esc = '\\"';
    else if (c == 0x5c) esc = "\\\\";
    else if (c < 0x20) {
      if (c == 0x0a) esc = "\\n";
      else if (c == 0x0d) esc = "\\r";
      else if (c == 0x09) esc = "\\t";
      else if (c == 0x08) esc = "\\b";
      else if (c == 0x0c) esc = "\\f";
      else esc = hex4(c);
    } else if (c >= 0xd800 && c <= 0xdfff) {
      // A high surrogate followed by a low one is a valid pair: keep both as they are.
      if (c <= 0xdbff && i + 1 < n) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          i++;
          continue;
        }
      }
      esc = hex4(c);
    }
    if (esc !== null) {
      if (i > start) parts.push(s.substring(start, i));
      parts.push(esc);
      start = i + 1;
    }
  }
  if (start < n) parts.push(s.substring(start, n));
  parts.push('"');
}

function formatFloat(n: f64): string {
  if (n == Math.floor(n) && Math.abs(n) <= MAX_SAFE) return (<i64>n).toString();
  return n.toString();
}

function writeValue(v: JsonValue, parts: string[]): void {
  switch (v.kind) {
    case JsonKind.Null:
      parts.push("null");
      break;
    case JsonKind.Bool:
      parts.push(v.boolValue ? "true" : "false");
      break;
    case JsonKind.Number:
      parts.push(v.numberText);
      break;
    case JsonKind.String:
      writeQuoted(v.stringValue, parts);
      break;
    case JsonKind.Array: {
      parts.push("[");
      for (let i = 0; i < v.items.length; i++) {
        if (i > 0) parts.push(",");
        writeValue(v.items[i], parts);
      }
      parts.push("]");
      break;
    }
    default: {
      parts.push("{");
      for (let i = 0; i < v.keys.length; i++) {
        if (i > 0) parts.push(",");
        writeQuoted(v.keys[i], parts);
        parts.push(":");
        writeValue(v.values[i], parts);
      }
      parts.push("}");
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Reader

class I64Result {
  ok: bool = false;
  value: i64 = 0;
}

/** `-?digits` only (no fraction or exponent). */
function isPlainInteger(t: string): bool {
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c == 0x2e || c == 0x65 || c == 0x45) return false;
  }
  return true;
}

/** Exact i64 from `-?digits`, with overflow detection. */
function parseI64(t: string): I64Result {
  const r = new I64Result();
  let i = 0;
  const neg = t.length > 0 && t.charCodeAt(0) == 0x2d;
  if (neg) i = 1;
  if (i >= t.length) return r;
  // Accumulate as a negative number: its range is one larger than the positive one (i64.MIN_VALUE fits).
  let acc: i64 = 0;
  for (; i < t.length; i++) {
    const d = <i64>(t.charCodeAt(i) - 0x30);
    if (d < 0 || d > 9) return r;
    if (acc < (i64.MIN_VALUE + d) / 10) return r; // acc * 10 - d would overflow
    acc = acc * 10 - d;
  }
  if (!neg) {
    if (acc == i64.MIN_VALUE) return r;
    acc = -acc;
  }
  r.ok = true;
  r.value = acc;
  return r;
}

function hexDigit(c: i32): i32 {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

class Parser {
  text: string;
  len: i32;
  pos: i32 = 0;
  error: string = "";
  errorAt: i32 = 0;

  constructor(text: string) {
    this.text = text;
    this.len = text.length;
  }

  /** The UTF-16 code unit at `i` (callers check `i < len`). */
  at(i: i32): i32 {
    return <i32>load<u16>(changetype<usize>(this.text) + (<usize>i << 1));
  }

  fail(message: string): JsonValue | null {
    if (this.error.length == 0) {
      this.error = message;
      this.errorAt = this.pos;
    }
    return null;
  }

  skipSpace(): void {
    while (this.pos < this.len) {
      const c = this.at(this.pos);
      if (c != 0x20 && c != 0x0a && c != 0x0d && c != 0x09) break;
      this.pos++;
    }
  }

  literal(word: string, v: JsonValue): JsonValue | null {
    if (this.pos + word.length <= this.len && this.text.substring(this.pos, this.pos + word.length) == word) {
      this.pos += word.length;
      return v;
    }
    return this.fail("invalid literal");
  }

  parseValue(depth: i32): JsonValue | null {
    if (this.pos >= this.len) return this.fail("unexpected end of input");
    const c = this.at(this.pos);
    if (c == 0x7b) return this.parseObject(depth + 1);
    if (c == 0x5b) return this.parseArray(depth + 1);
    if (c == 0x22) {
      const s = this.parseString();
      return s === null ? null : JsonValue.ofString(s);
    }
    if (c == 0x74) return this.literal("true", JsonValue.ofBool(true));
    if (c == 0x66) return this.literal("false", JsonValue.ofBool(false));
    if (c == 0x6e) return this.literal("null", JsonValue.ofNull());
    if (c == 0x2d || (c >= 0x30 && c <= 0x39)) return this.parseNumber();
    return this.fail("unexpected character '" + String.fromCharCode(c) + "'");
  }

  digits(): i32 {
    const from = this.pos;
    while (this.pos < this.len) {
      const c = this.at(this.pos);
      if (c < 0x30 || c > 0x39) break;
      this.pos++;
    }
    return this.pos - from;
  }

  parseNumber(): JsonValue | null {
    const start = this.pos;
    if (this.at(this.pos) == 0x2d) this.pos++;
    if (this.pos >= this.len) return this.fail("invalid number");
    if (this.at(this.pos) == 0x30) {
      this.pos++;
    } else if (this.digits() == 0) {
      return this.fail("invalid number");
    }
    if (this.pos < this.len && this.at(this.pos) == 0x2e) {
      this.pos++;
      if (this.digits() == 0) return this.fail("invalid number: digits expected after '.'");
    }
    if (this.pos < this.len && (this.at(this.pos) == 0x65 || this.at(this.pos) == 0x45)) {
      this.pos++;
      if (this.pos < this.len && (this.at(this.pos) == 0x2b || this.at(this.pos) == 0x2d)) this.pos++;
      if (this.digits() == 0) return this.fail("invalid number: digits expected in the exponent");
    }
    const text = this.text.substring(start, this.pos);
    const v = new JsonValue();
    v.kind = JsonKind.Number;
    v.numberText = text;
    v.numberValue = parseFloat(text);
    return v;
  }

  /** Parses a string at `pos` (which is a quote); null on error. */
  parseString(): string | null {
    this.pos++; // opening quote
    let parts: string[] | null = null;
    let start = this.pos;
    while (true) {
      if (this.pos >= this.len) {
        this.fail("unterminated string");
        return null;
      }
      // Hot loop (long params): scan to the next quote, backslash or control character with locals only.
      const base = changetype<usize>(this.text);
      let i = this.pos;
      const n = this.len;
      while (i < n) {
        const u = <i32>load<u16>(base + (<usize>i << 1));
        if (u == 0x22 || u == 0x5c || u < 0x20) break;
        i++;
      }
      this.pos = i;
      if (i >= n) continue; // reported as unterminated above
      const c = this.at(this.pos);
      if (c == 0x22) {
        const tail = this.text.substring(start, this.pos);
        this.pos++;
        if (parts === null) return tail;
        parts.push(tail);
        return parts.join("");
      }
      if (c < 0x20) {
        this.fail("control character in string");
        return null;
      }
      if (c != 0x5c) {
        this.pos++;
        continue;
      }
      // An escape: keep what came before, then the escaped character.
      if (parts === null) parts = new Array<string>();
      parts.push(this.text.substring(start, this.pos));
      this.pos++;
      if (this.pos >= this.len) {
        this.fail("unterminated escape");
        return null;
      }
      const e = this.at(this.pos);
      this.pos++;
      if (e == 0x22) parts.push('"');
      else if (e == 0x5c) parts.push("\\");
      else if (e == 0x2f) parts.push("/");
      else if (e == 0x62) parts.push("\b");
      else if (e == 0x66) parts.push("\f");
      else if (e == 0x6e) parts.push("\n");
      else if (e == 0x72) parts.push("\r");
      else if (e == 0x74) parts.push("\t");
      else if (e == 0x75) {
        if (this.pos + 4 > this.len) {
          this.fail("invalid \\u escape");
          return null;
        }
        let code = 0;
        for (let k = 0; k < 4; k++) {
          const h = hexDigit(this.at(this.pos + k));
          if (h < 0) {
            this.fail("invalid \\u escape");
            return null;
          }
          code = (code << 4) | h;
        }
        this.pos += 4;
        parts.push(String.fromCharCode(code)); // surrogate pairs arrive as two escapes, in UTF-16 order
      } else {
        this.pos--;
        this.fail("invalid escape");
        return null;
      }
      start = this.pos;
    }
    return null;
  }

  parseArray(depth: i32): JsonValue | null {
    if (depth > JSON_MAX_DEPTH) return this.fail("nested deeper than " + JSON_MAX_DEPTH.toString() + " levels");
    this.pos++; // [
    const arr = JsonValue.newArray();
    this.skipSpace();
    if (this.pos < this.len && this.at(this.pos) == 0x5d) {
      this.pos++;
      return arr;
    }
    while (true) {
      this.skipSpace();
      const v = this.parseValue(depth);
      if (v === null) return null;
      arr.items.push(v);
      this.skipSpace();
      if (this.pos >= this.len) return this.fail("unterminated array");
      const c = this.at(this.pos);
      this.pos++;
      if (c == 0x5d) return arr;
      if (c != 0x2c) {
        this.pos--;
        return this.fail("',' or ']' expected");
      }
    }
    return null;
  }

  parseObject(depth: i32): JsonValue | null {
    if (depth > JSON_MAX_DEPTH) return this.fail("nested deeper than " + JSON_MAX_DEPTH.toString() + " levels");
    this.pos++; // {
    const obj = JsonValue.newObject();
    this.skipSpace();
    if (this.pos < this.len && this.at(this.pos) == 0x7d) {
      this.pos++;
      return obj;
    }
    while (true) {
      this.skipSpace();
      if (this.pos >= this.len || this.at(this.pos) != 0x22) return this.fail("member name (a string) expected");
      const key = this.parseString();
      if (key === null) return null;
      this.skipSpace();
      if (this.pos >= this.len || this.at(this.pos) != 0x3a) return this.fail("':' expected");
      this.pos++;
      this.skipSpace();
      const v = this.parseValue(depth);
      if (v === null) return null;
      obj.keys.push(key);
      obj.values.push(v);
      this.skipSpace();
      if (this.pos >= this.len) return this.fail("unterminated object");
      const c = this.at(this.pos);
      this.pos++;
      if (c == 0x7d) return obj;
      if (c != 0x2c) {
        this.pos--;
        return this.fail("',' or '}' expected");
      }
    }
    return null;
  }
}
