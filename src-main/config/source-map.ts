// Where each key of a (syntactically valid) TOML text is, so schema errors can say FILE:LINE:COL as well as the path.
// A best-effort scanner over text @iarna/toml already accepted: it never throws and never decides validity.

/** A path into the document: table keys and array indices, e.g. ['modes', 0, 'mappings', 3, 'trigger']. */
export type ConfigPath = readonly (string | number)[];

export interface SourcePosition {
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

/** `modes[0].mappings[3].trigger.Note.note`; keys that are not bare TOML keys are written `["a key"]`. */
export function formatPath(path: ConfigPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (BARE_KEY.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

/** Positions of every key, table header and array element in `text`, by formatted path (first occurrence wins). */
export class SourceMap {
  private readonly positions = new Map<string, SourcePosition>();

  constructor(text: string) {
    try {
      new Scanner(text, this.positions).document();
    } catch {
      // Best effort: whatever was recorded before the scanner got lost is still useful.
    }
  }

  /** The position of `path`, else of its nearest ancestor that appears in the text, else null. */
  locate(path: ConfigPath): SourcePosition | null {
    for (let n = path.length; n > 0; n--) {
      const found = this.positions.get(formatPath(path.slice(0, n)));
      if (found) return found;
    }
    return null;
  }

  /** The position of exactly `path`, or null. */
  exact(path: ConfigPath): SourcePosition | null {
    return this.positions.get(formatPath(path)) ?? null;
  }
}

/** Characters that end a bare value (number, boolean, date) inside arrays and inline tables or at the end of a line. */
const SCALAR_END = new Set([...',]}\r\n#'].map((c) => c.charCodeAt(0)));

function isBareKeyChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 45;
}

class Scanner {
  private pos = 0;
  private readonly lineStarts: number[] = [0];
  /** Arrays of tables seen so far (formatted path → last index). */
  private readonly tableArrays = new Map<string, number>();

  constructor(
    private readonly text: string,
    private readonly positions: Map<string, SourcePosition>,
  ) {
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.lineStarts.push(i + 1);
    if (text.charCodeAt(0) === 0xfeff) this.pos = 1;
  }

  private at(offset = 0): string {
    return this.text[this.pos + offset] ?? '';
  }

  private record(path: ConfigPath, offset: number): void {
    const key = formatPath(path);
    if (this.positions.has(key)) return;
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    this.positions.set(key, { line: lo + 1, column: offset - (this.lineStarts[lo] ?? 0) + 1 });
  }

  private skipSpaces(): void {
    while (this.at() === ' ' || this.at() === '\t') this.pos++;
  }

  /** Whitespace, newlines and comments. */
  private skipBlank(): void {
    for (;;) {
      const c = this.at();
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n') this.pos++;
      else if (c === '#') while (this.pos < this.text.length && this.at() !== '\n') this.pos++;
      else return;
    }
  }

  document(): void {
    let table: (string | number)[] = [];
    for (;;) {
      this.skipBlank();
      if (this.pos >= this.text.length) return;
      const start = this.pos;
      if (this.at() === '[' && this.at(1) === '[') {
        this.pos += 2;
        const keys = this.keyParts().map((k) => k.name);
        this.pos += 2; // ]]
        const parent = this.resolve(keys.slice(0, -1));
        const last = keys[keys.length - 1] ?? '';
        const arrayPath = formatPath([...parent, last]);
        const index = (this.tableArrays.get(arrayPath) ?? -1) + 1;
        this.tableArrays.set(arrayPath, index);
        table = [...parent, last, index];
        this.record([...parent, last], start);
        this.record(table, start);
      } else if (this.at() === '[') {
        this.pos += 1;
        table = this.resolve(this.keyParts().map((k) => k.name));
        this.pos += 1; // ]
        this.record(table, start);
      } else {
        this.keyValue(table);
      }
      // Rest of the line (a comment) is skipped by skipBlank.
    }
  }

  /** Header keys name the latest element of any array of tables on the way. */
  private resolve(keys: string[]): (string | number)[] {
    const out: (string | number)[] = [];
    for (const key of keys) {
      out.push(key);
      const index = this.tableArrays.get(formatPath(out));
      if (index !== undefined) out.push(index);
    }
    return out;
  }

  /** A dotted key; each part with its offset. Leaves pos after the key and any spaces. */
  private keyParts(): { name: string; offset: number }[] {
    const parts: { name: string; offset: number }[] = [];
    for (;;) {
      this.skipSpaces();
      const offset = this.pos;
      const c = this.at();
      let name: string;
      if (c === '"') name = this.basicString();
      else if (c === "'") name = this.literalString();
      else {
        const startBare = this.pos;
        while (isBareKeyChar(this.text.charCodeAt(this.pos))) this.pos++;
        if (this.pos === startBare) throw new Error('key expected');
        name = this.text.slice(startBare, this.pos);
      }
      parts.push({ name, offset });
      this.skipSpaces();
      if (this.at() !== '.') return parts;
      this.pos++;
    }
  }

  private keyValue(base: ConfigPath): void {
    const parts = this.keyParts();
    const path: (string | number)[] = [...base];
    for (const part of parts) {
      path.push(part.name);
      this.record(path, part.offset);
    }
    this.pos++; // =
    this.skipSpaces();
    this.value(path);
  }

  private value(path: ConfigPath): void {
    const c = this.at();
    if (this.text.startsWith('"""', this.pos)) this.multilineString('"');
    else if (this.text.startsWith("'''", this.pos)) this.multilineString("'");
    else if (c === '"') this.basicString();
    else if (c === "'") this.literalString();
    else if (c === '[') this.array(path);
    else if (c === '{') this.inlineTable(path);
    else while (this.pos < this.text.length && !SCALAR_END.has(this.text.charCodeAt(this.pos))) this.pos++;
  }

  private array(path: ConfigPath): void {
    this.pos++;
    for (let index = 0; ; index++) {
      this.skipBlank();
      if (this.at() === ']' || this.pos >= this.text.length) break;
      this.record([...path, index], this.pos);
      this.value([...path, index]);
      this.skipBlank();
      if (this.at() === ',') this.pos++;
    }
    this.pos++;
  }

  private inlineTable(path: ConfigPath): void {
    this.pos++;
    for (;;) {
      this.skipBlank();
      if (this.at() === '}' || this.pos >= this.text.length) break;
      this.keyValue(path);
      this.skipBlank();
      if (this.at() === ',') this.pos++;
    }
    this.pos++;
  }

  private basicString(): string {
    const start = this.pos;
    this.pos++;
    while (this.pos < this.text.length && this.at() !== '"') this.pos += this.at() === '\\' ? 2 : 1;
    this.pos++;
    const raw = this.text.slice(start, this.pos);
    try {
      return JSON.parse(raw.replace(/\\U([0-9A-Fa-f]{8})/g, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))) as string;
    } catch {
      return raw.slice(1, -1);
    }
  }

  private literalString(): string {
    const start = ++this.pos;
    while (this.pos < this.text.length && this.at() !== "'") this.pos++;
    return this.text.slice(start, this.pos++);
  }

  private multilineString(quote: string): void {
    this.pos += 3;
    const close = quote.repeat(3);
    while (this.pos < this.text.length && !this.text.startsWith(close, this.pos)) this.pos += quote === '"' && this.at() === '\\' ? 2 : 1;
    this.pos += 3;
    // Up to two quotes may sit right before the closing delimiter ("""a""""" ends with a"").
    for (let n = 0; n < 2 && this.at() === quote; n++) this.pos++;
  }
}
