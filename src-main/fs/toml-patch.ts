// Saving a TOML file the user may have written by hand without losing their comments and layout:
// patchTomlText(text, target) edits the file's own text towards the target document — changed values, added and
// removed keys, tables and [[array]] entries — and leaves every other byte as it was. Callers check the result
// (toml-file.ts: tomlTextFor) and write the file in full when a change cannot be expressed here.
//
// Why this is written here rather than taken from npm (checked when this was written):
// - @decimalturn/toml-patch (MIT, pure JS, no dependencies, actively released) does exactly "patch the text towards
//   a new object", but its parser rejects valid files that this app meets: once one [[modes.mappings]] entry writes
//   `trigger = { … }` inline, a later entry's `[modes.mappings.trigger]` table or `trigger.note = …` dotted key is
//   "Cannot extend inline table" — the mix Conductor's tagged files and the canonical shape produce, and one its own
//   output can create. It also puts an inserted entry between another entry and the comment above it.
// - @shopify/toml-patch (one release, no licence in the package) only sets or removes plain values by path;
//   @rainbowatcher/toml-edit-js (toml_edit as WebAssembly, needs an async wasm init) edits by path, so the diffing
//   is ours either way; @taplo/lib (10 MB) formats and lints, it has no patch API.
// - toml-eslint-parser (MIT, ~3 million downloads a month, the parser of eslint-plugin-toml, TOML 1.0 and 1.1) gives
//   what the editing needs: a syntax tree with exact source ranges, the comments, and each table's resolved key
//   path (array indexes included). This file uses it to locate things and does the editing itself.
import { parseTOML, type AST } from 'toml-eslint-parser';
import TOML from '@iarna/toml';
import { inlineValue, isTomlTable, isTomlTableArray, sameTomlValue, tomlKey, tomlValueKey } from './toml-text';

type Key = string | number;
type Path = readonly Key[];
type Table = Record<string, unknown>;

/** A change the patcher cannot express in the file's own text (the caller then writes the file in full). */
export class TomlPatchError extends Error {
  override readonly name = 'TomlPatchError';
}

export interface TomlPatchOptions {
  /**
   * Whether a table or array of tables added at this key path (array indexes left out, e.g.
   * ['modes', 'mappings', 'trigger']) is written inline as `key = { … }`. Default: as `[table]` / `[[array]]`
   * sections. Everything below an inline value is inline too.
   */
  inline?: (keys: readonly string[]) => boolean;
}

/** How the items of an old list map onto a new one: kept as is, changed in place, removed, or added. */
export type AlignOp = { kind: 'keep' | 'change'; i: number; j: number } | { kind: 'remove'; i: number } | { kind: 'add'; j: number };

/** Lists larger than this (old × new items in the part that differs) are paired by position instead of by LCS. */
const MAX_LCS_CELLS = 4_000_000;

/**
 * Aligns two lists (e.g. the [[modes.mappings]] entries before and after an edit): equal items are matched (longest
 * common subsequence), and between two matches the remaining old and new items are paired in order as changes; the
 * rest are removals and additions. Ops come in the new list's order.
 */
export function alignItems(a: readonly unknown[], b: readonly unknown[]): AlignOp[] {
  // Equal items get equal ids. JSON text is a fast stand-in for tomlValueKey: it can tell two equal tables apart
  // (key order), which only makes an unchanged entry count as changed — patched with no edits.
  const ids = new Map<string, number>();
  const id = (v: unknown): number => {
    let k: string;
    try {
      k = JSON.stringify(v) ?? '~';
    } catch {
      k = tomlValueKey(v); // bigints
    }
    let n = ids.get(k);
    if (n === undefined) ids.set(k, (n = ids.size));
    return n;
  };
  const ka = a.map(id);
  const kb = b.map(id);
  let p = 0;
  while (p < ka.length && p < kb.length && ka[p] === kb[p]) p++;
  let s = 0;
  while (s < ka.length - p && s < kb.length - p && ka[ka.length - 1 - s] === kb[kb.length - 1 - s]) s++;
  const n = ka.length - p - s;
  const m = kb.length - p - s;
  const matches: [number, number][] = [];
  const inA = new Set(ka.slice(p, p + n));
  const shared = kb.slice(p, p + m).some((k) => inA.has(k));
  if (shared && n * m <= MAX_LCS_CELLS) {
    // lcs[x * (m + 1) + y]: length of the LCS of ka[p + x …] and kb[p + y …].
    const w = m + 1;
    const lcs = new Uint32Array((n + 1) * w);
    for (let x = n - 1; x >= 0; x--) {
      for (let y = m - 1; y >= 0; y--) {
        lcs[x * w + y] = ka[p + x] === kb[p + y] ? (lcs[(x + 1) * w + y + 1] ?? 0) + 1 : Math.max(lcs[(x + 1) * w + y] ?? 0, lcs[x * w + y + 1] ?? 0);
      }
    }
    let x = 0;
    let y = 0;
    while (x < n && y < m) {
      if (ka[p + x] === kb[p + y]) {
        matches.push([p + x, p + y]);
        x++;
        y++;
      } else if ((lcs[(x + 1) * w + y] ?? 0) >= (lcs[x * w + y + 1] ?? 0)) x++;
      else y++;
    }
  }
  const ops: AlignOp[] = [];
  for (let t = 0; t < p; t++) ops.push({ kind: 'keep', i: t, j: t });
  let i = p;
  let j = p;
  for (const [mi, mj] of [...matches, [p + n, p + m] as [number, number]]) {
    const paired = Math.min(mi - i, mj - j);
    for (let t = 0; t < paired; t++) ops.push({ kind: 'change', i: i + t, j: j + t });
    for (let t = i + paired; t < mi; t++) ops.push({ kind: 'remove', i: t });
    for (let t = j + paired; t < mj; t++) ops.push({ kind: 'add', j: t });
    if (mi < p + n) ops.push({ kind: 'keep', i: mi, j: mj });
    i = mi + 1;
    j = mj + 1;
  }
  for (let t = 0; t < s; t++) ops.push({ kind: 'keep', i: p + n + t, j: p + m + t });
  return ops;
}

interface Edit {
  start: number;
  end: number;
  text: string;
  seq: number;
}

interface ValueAt {
  node: AST.TOMLKeyValue;
  /** The [table] or [[array]] entry the line is in; null at the top level. */
  owner: AST.TOMLTable | null;
  ownerPath: Path;
  path: Path;
}

const BLANK = /^[ \t]*$/;

const pathId = (p: Path): string => JSON.stringify(p);

function startsWith(p: Path, prefix: Path): boolean {
  return p.length >= prefix.length && prefix.every((k, i) => p[i] === k);
}

function keyNames(key: AST.TOMLKey): string[] {
  return key.keys.map((k) => (k.type === 'TOMLBare' ? k.name : k.value));
}

function keysOf(path: Path): string[] {
  return path.filter((k): k is string => typeof k === 'string');
}

class Patcher {
  private readonly edits: Edit[] = [];
  private readonly eol: string;
  private readonly sections: AST.TOMLTable[] = [];
  private readonly sectionIndex = new Map<AST.TOMLTable, number>();
  /** [a.b] tables and [[a]] entries by resolved path (entries with their index). */
  private readonly tables = new Map<string, AST.TOMLTable>();
  /** [[a]] entries by the array's path. */
  private readonly arrays = new Map<string, AST.TOMLTable[]>();
  /** `key = value` lines (not those inside inline tables) by full path. */
  private readonly values = new Map<string, ValueAt>();
  private readonly allValues: ValueAt[] = [];
  private readonly rootValues: AST.TOMLKeyValue[] = [];
  /** Starts of the lines that hold only a comment (not text inside a multi-line string that looks like one). */
  private readonly commentLines = new Set<number>();
  private readonly inlineAt: (keys: readonly string[]) => boolean;

  constructor(
    private readonly text: string,
    options: TomlPatchOptions,
  ) {
    this.eol = text.includes('\r\n') ? '\r\n' : '\n';
    this.inlineAt = options.inline ?? (() => false);
    let program: AST.TOMLProgram;
    try {
      program = parseTOML(text);
    } catch (err) {
      throw new TomlPatchError(`cannot read the file's layout: ${(err as Error).message}`);
    }
    for (const comment of program.comments) {
      const start = this.lineStart(comment.range[0]);
      if (BLANK.test(text.slice(start, comment.range[0]))) this.commentLines.add(start);
    }
    for (const node of program.body[0].body) {
      if (node.type === 'TOMLKeyValue') {
        this.rootValues.push(node);
        this.addValue(node, null, []);
        continue;
      }
      this.sectionIndex.set(node, this.sections.length);
      this.sections.push(node);
      this.tables.set(pathId(node.resolvedKey), node);
      if (node.kind === 'array') {
        const arrayPath = pathId(node.resolvedKey.slice(0, -1));
        const list = this.arrays.get(arrayPath) ?? [];
        list.push(node);
        this.arrays.set(arrayPath, list);
      }
      for (const kv of node.body) this.addValue(kv, node, node.resolvedKey);
    }
  }

  private addValue(node: AST.TOMLKeyValue, owner: AST.TOMLTable | null, ownerPath: Path): void {
    const at: ValueAt = { node, owner, ownerPath, path: [...ownerPath, ...keyNames(node.key)] };
    this.values.set(pathId(at.path), at);
    this.allValues.push(at);
  }

  // ---- lines ----

  private lineStart(pos: number): number {
    return this.text.lastIndexOf('\n', pos - 1) + 1;
  }

  /** The end of the line holding `pos`, before its line break. */
  private lineEnd(pos: number): number {
    const nl = this.text.indexOf('\n', pos);
    if (nl === -1) return this.text.length;
    return nl > 0 && this.text[nl - 1] === '\r' ? nl - 1 : nl;
  }

  /** The start of the line after the one holding `pos` (the text's end on the last line). */
  private nextLine(pos: number): number {
    const nl = this.text.indexOf('\n', pos);
    return nl === -1 ? this.text.length : nl + 1;
  }

  private prevLine(lineStart: number): number | null {
    return lineStart === 0 ? null : this.lineStart(lineStart - 1);
  }

  private line(lineStart: number): string {
    return this.text.slice(lineStart, this.lineEnd(lineStart));
  }

  /**
   * Where a table's header starts, with the comment lines directly above it (no blank line between): they describe
   * it and go where it goes. Comments that start the file are its header, not the first table's.
   */
  private ownedStart(node: AST.TOMLTable): number {
    const header = this.lineStart(node.range[0]);
    let first = header;
    for (let prev = this.prevLine(first); prev !== null && this.commentLines.has(prev); prev = this.prevLine(prev)) first = prev;
    return first === 0 ? header : first;
  }

  /**
   * The end (before the line break) of a table's own lines: its last key's line, then comment lines right after
   * it — unless they lead straight into the next header, which then owns them.
   */
  private blockEnd(node: AST.TOMLTable): number {
    const end = this.lineEnd(node.range[1]);
    let cursor = end;
    for (;;) {
      const next = this.nextLine(cursor);
      if (next >= this.text.length) return cursor;
      if (this.commentLines.has(next)) {
        cursor = this.lineEnd(next);
        continue;
      }
      return BLANK.test(this.line(next)) ? cursor : end;
    }
  }

  /** The end of a table together with the sub-tables written right after it (an [[array]] entry's whole extent). */
  private extentEnd(node: AST.TOMLTable): number {
    const index = this.sectionIndex.get(node) ?? 0;
    let last = node;
    for (let j = index + 1; j < this.sections.length; j++) {
      const next = this.sections[j];
      if (!next || !startsWith(next.resolvedKey, node.resolvedKey)) break;
      last = next;
    }
    return this.blockEnd(last);
  }

  // ---- edits ----

  private edit(start: number, end: number, text: string): void {
    this.edits.push({ start, end, text, seq: this.edits.length });
  }

  private replace(node: { range: [number, number] }, text: string): void {
    this.edit(node.range[0], node.range[1], text);
  }

  private removeLine(node: AST.TOMLKeyValue): void {
    this.edit(this.lineStart(node.range[0]), this.nextLine(node.range[1]), '');
  }

  /**
   * Removes consecutive tables `first` … `last` (e.g. an [[array]] entry and its sub-tables) with the comments the
   * first one owns, and one blank line of spacing.
   */
  private removeBlocks(first: AST.TOMLTable, last: AST.TOMLTable): void {
    let start = this.ownedStart(first);
    const end = this.nextLine(this.blockEnd(last));
    const prev = this.prevLine(start);
    if (prev !== null && BLANK.test(this.line(prev)) && (end >= this.text.length || BLANK.test(this.line(end)))) start = prev;
    this.edit(start, end, '');
  }

  /** Inserts whole lines (`text`, without a final line break) before a table and the comments it owns. */
  private insertBefore(node: AST.TOMLTable, text: string): void {
    const start = this.ownedStart(node);
    const prev = this.prevLine(start);
    if (prev !== null && BLANK.test(this.line(prev))) this.edit(prev, prev, this.eol + text + this.eol);
    else this.edit(start, start, text + this.eol + this.eol);
  }

  /**
   * Inserts whole lines (`lines`, without a final line break) after the line holding `pos` — at the start of the
   * next line, so a removal of the line before never swallows them.
   */
  private insertLinesAfter(pos: number, lines: string): void {
    const at = this.nextLine(pos);
    if (at >= this.text.length && !this.text.endsWith('\n')) this.edit(at, at, this.eol + lines);
    else this.edit(at, at, lines + this.eol);
  }

  /** Appends sections at the end of the file, after a blank line. */
  private append(text: string): void {
    const t = this.text;
    if (t.length === 0) this.edit(0, 0, text + this.eol);
    else this.edit(t.length, t.length, (t.endsWith('\n') ? '' : this.eol) + this.eol + text + this.eol);
  }

  result(): string {
    const sorted = [...this.edits].sort(
      (x, y) => x.start - y.start || Number(x.end > x.start) - Number(y.end > y.start) || x.seq - y.seq,
    );
    // Overlapping removals (a table and the blank line before the next one) merge; anything else overlapping is a
    // change that cannot be made in place.
    const merged: Edit[] = [];
    for (const e of sorted) {
      const last = merged[merged.length - 1];
      if (last && last.text === '' && e.text === '' && e.end > e.start && last.end > last.start && e.start <= last.end) {
        last.end = Math.max(last.end, e.end);
        continue;
      }
      merged.push({ ...e });
    }
    let out = '';
    let cursor = 0;
    for (const e of merged) {
      if (e.start < cursor) throw new TomlPatchError('two changes touch the same text');
      out += this.text.slice(cursor, e.start) + e.text;
      cursor = e.end;
    }
    return out + this.text.slice(cursor);
  }

  // ---- the diff ----

  private same(a: unknown, b: unknown): boolean {
    return sameTomlValue(a, b);
  }

  patchTable(path: Path, a: Table, b: Table): void {
    const keys = [...Object.keys(a), ...Object.keys(b).filter((k) => a[k] === undefined)];
    for (const k of keys) {
      const av = a[k];
      const bv = b[k];
      if (this.same(av, bv)) continue;
      const child = [...path, k];
      if (bv === undefined || bv === null) {
        this.removePath(child);
        continue;
      }
      if (av === undefined || av === null) {
        this.addKey(path, k, bv);
        continue;
      }
      const kv = this.values.get(pathId(child));
      if (kv) this.patchValue(kv.node.value, av, bv);
      else if (isTomlTable(av) && isTomlTable(bv)) this.patchTable(child, av, bv);
      else if (Array.isArray(av) && this.arrays.has(pathId(child)) && isTomlTableArray(bv)) this.patchArrayOfTables(child, av, bv);
      else {
        this.removePath(child);
        this.addKey(path, k, bv);
      }
    }
  }

  private patchValue(node: AST.TOMLContentNode, a: unknown, b: unknown): void {
    if (this.same(a, b)) return;
    if (node.type === 'TOMLInlineTable' && isTomlTable(a) && isTomlTable(b) && node.body.every((kv) => kv.key.keys.length === 1)) {
      const reshaped = Object.keys(b).some((k) => b[k] != null && a[k] == null) || Object.keys(a).some((k) => b[k] == null);
      if (reshaped) this.replace(node, this.inlineTableText(node, a, b));
      else for (const kv of node.body) this.patchValue(kv.value, a[keyNames(kv.key)[0] ?? ''], b[keyNames(kv.key)[0] ?? '']);
      return;
    }
    if (node.type === 'TOMLArray' && Array.isArray(a) && Array.isArray(b) && a.length > 0 && a.length === node.elements.length) {
      this.patchArray(node, a, b);
      return;
    }
    this.replace(node, inlineValue(b));
  }

  /** An inline table with keys added or removed: the kept keys as written, changed and new ones written afresh. */
  private inlineTableText(node: AST.TOMLInlineTable, a: Table, b: Table): string {
    const items: string[] = [];
    for (const kv of node.body) {
      const k = keyNames(kv.key)[0] ?? '';
      if (b[k] == null) continue;
      const key = this.text.slice(kv.key.range[0], kv.key.range[1]);
      items.push(this.same(a[k], b[k]) ? this.text.slice(kv.range[0], kv.range[1]) : `${key} = ${inlineValue(b[k])}`);
    }
    for (const [k, v] of Object.entries(b)) if (v != null && a[k] == null) items.push(`${tomlKey(k)} = ${inlineValue(v)}`);
    if (items.length === 0) return '{}';
    const padded = node.body.length === 0 || /^\{[ \t]/.test(this.text.slice(node.range[0], node.range[1]));
    return padded ? `{ ${items.join(', ')} }` : `{${items.join(', ')}}`;
  }

  /** An inline array: equal ends kept, the middle changed item by item, then items removed or added. */
  private patchArray(node: AST.TOMLArray, a: unknown[], b: unknown[]): void {
    const els = node.elements;
    let p = 0;
    while (p < a.length && p < b.length && this.same(a[p], b[p])) p++;
    let s = 0;
    while (s < a.length - p && s < b.length - p && this.same(a[a.length - 1 - s], b[b.length - 1 - s])) s++;
    const oldMid = a.length - p - s;
    const newMid = b.length - p - s;
    const paired = Math.min(oldMid, newMid);
    for (let t = 0; t < paired; t++) {
      const el = els[p + t];
      if (el) this.patchValue(el, a[p + t], b[p + t]);
    }
    const from = p + paired;
    if (oldMid > paired) {
      const to = p + oldMid;
      const first = els[from];
      const after = els[to];
      const before = els[from - 1];
      const last = els[to - 1];
      if (first && after) this.edit(first.range[0], after.range[0], '');
      else if (before && last) this.edit(before.range[1], last.range[1], '');
      else this.replace(node, inlineValue(b));
    } else if (newMid > paired) {
      const items = b.slice(from, p + newMid).map(inlineValue);
      const before = els[from - 1];
      const first = els[0];
      if (before) {
        const multiline = this.text.slice(node.range[0], node.range[1]).includes('\n');
        const indent = /^[ \t]*/.exec(this.line(this.lineStart(before.range[0])))?.[0] ?? '';
        const sep = multiline ? `,${this.eol}${indent}` : ', ';
        this.edit(before.range[1], before.range[1], items.map((t) => sep + t).join(''));
      } else if (first) {
        this.edit(first.range[0], first.range[0], items.map((t) => `${t}, `).join(''));
      }
    }
  }

  private patchArrayOfTables(path: Path, a: unknown[], b: Table[]): void {
    const nodes = this.arrays.get(pathId(path)) ?? [];
    if (nodes.length !== a.length) throw new TomlPatchError(`${keysOf(path).join('.')}: the [[…]] entries do not match the file`);
    const keys = keysOf(path);
    let anchor: AST.TOMLTable | null = null;
    const leading: string[] = [];
    for (const op of alignItems(a, b)) {
      if (op.kind === 'add') {
        const text = this.renderSection(keys, [b[op.j]]);
        if (anchor) this.insertLinesAfter(this.extentEnd(anchor), this.eol + text);
        else leading.push(text);
        continue;
      }
      const node = nodes[op.i];
      if (!node) throw new TomlPatchError(`${keys.join('.')}: entry ${op.i} is not in the file`);
      if (op.kind === 'remove') {
        this.removePath([...path, op.i]);
        continue;
      }
      if (op.kind === 'change') {
        const before = a[op.i];
        const after = b[op.j];
        if (!isTomlTable(before) || !isTomlTable(after)) throw new TomlPatchError(`${keys.join('.')}: expected tables`);
        this.patchTable([...path, op.i], before, after);
      }
      if (!anchor && leading.length > 0) this.insertBefore(node, leading.join(this.eol + this.eol));
      anchor = node;
    }
    if (!anchor && leading.length > 0) throw new TomlPatchError(`${keys.join('.')}: nothing left to add the new entries beside`);
  }

  private removePath(path: Path): void {
    const exact = this.values.get(pathId(path));
    if (exact) {
      this.removeLine(exact.node);
      return;
    }
    const doomed = this.sections.filter((s) => startsWith(s.resolvedKey, path));
    const gone = new Set(doomed);
    const lines = this.allValues.filter((v) => startsWith(v.path, path) && !(v.owner && gone.has(v.owner)));
    if (doomed.length === 0 && lines.length === 0) throw new TomlPatchError(`${keysOf(path).join('.')}: not found in the file`);
    // Runs of consecutive tables go together, so the spacing around them is tidied once.
    let runStart: AST.TOMLTable | null = null;
    let runEnd: AST.TOMLTable | null = null;
    for (const table of doomed) {
      if (runStart && runEnd && this.sectionIndex.get(table) === (this.sectionIndex.get(runEnd) ?? -2) + 1) {
        runEnd = table;
        continue;
      }
      if (runStart && runEnd) this.removeBlocks(runStart, runEnd);
      runStart = runEnd = table;
    }
    if (runStart && runEnd) this.removeBlocks(runStart, runEnd);
    for (const v of lines) this.removeLine(v.node);
  }

  private addKey(path: Path, k: string, value: unknown): void {
    const keys = [...keysOf(path), k];
    const asSection = (isTomlTable(value) || isTomlTableArray(value)) && !this.inlineAt(keys);
    const line = `${tomlKey(k)} = ${inlineValue(value)}`;
    const table = path.length === 0 ? null : this.tables.get(pathId(path));

    if (path.length === 0) {
      if (asSection) {
        // New top-level tables go before the first top-level [[array]] (where the canonical shape has them).
        const firstArray = isTomlTable(value) ? this.sections.find((s) => s.kind === 'array' && s.resolvedKey.length === 2) : undefined;
        if (firstArray) this.insertBefore(firstArray, this.renderSection(keys, value));
        else this.append(this.renderSection(keys, value));
        return;
      }
      const last = this.rootValues[this.rootValues.length - 1];
      if (last) {
        this.insertLinesAfter(last.range[1], line);
        return;
      }
      // No top-level keys yet: after the comment lines that start the file.
      let at = 0;
      while (at < this.text.length && this.commentLines.has(at)) at = this.nextLine(at);
      if (at >= this.text.length) this.append(line);
      else this.edit(at, at, line + this.eol);
      return;
    }

    if (table) {
      if (asSection) {
        this.insertLinesAfter(this.extentEnd(table), this.eol + this.renderSection(keys, value));
        return;
      }
      // After the table's last key, indented like it.
      const lastKv = table.body[table.body.length - 1];
      const indent = lastKv ? (/^[ \t]*/.exec(this.line(this.lineStart(lastKv.range[0])))?.[0] ?? '') : '';
      this.insertLinesAfter(lastKv ? lastKv.range[1] : table.range[0], indent + line);
      return;
    }

    // A table with no header of its own: defined by dotted keys (`action.type = …`) or by its sub-tables.
    const dotted = this.allValues.filter((v) => v.path.length > path.length && startsWith(v.path, path) && v.ownerPath.length < path.length);
    const lastDotted = dotted[dotted.length - 1];
    if (lastDotted) {
      const relative = path.slice(lastDotted.ownerPath.length);
      if (relative.some((x) => typeof x !== 'string')) throw new TomlPatchError(`${keys.join('.')}: cannot add here`);
      const dottedLine = `${[...(relative as string[]), k].map(tomlKey).join('.')} = ${inlineValue(value)}`;
      this.insertLinesAfter(lastDotted.node.range[1], dottedLine);
      return;
    }
    const subTables = this.sections.filter((s) => startsWith(s.resolvedKey, path));
    const first = subTables[0];
    const last = subTables[subTables.length - 1];
    if (!first || !last) throw new TomlPatchError(`${keys.join('.')}: cannot find where to add it`);
    if (asSection) {
      this.insertLinesAfter(this.blockEnd(last), this.eol + this.renderSection(keys, value));
    } else {
      // Give the table its own header, just before its first sub-table.
      this.insertBefore(first, `[${keysOf(path).map(tomlKey).join('.')}]${this.eol}${line}`);
    }
  }

  /** A table as `[a.b]` (or each item of a list as `[[a.b]]`) with its keys, then its own sub-tables. */
  private renderSection(keys: readonly string[], value: unknown): string {
    const header = keys.map(tomlKey).join('.');
    if (Array.isArray(value)) return value.map((item) => this.renderBody(`[[${header}]]`, keys, isTomlTable(item) ? item : {}, true)).join(this.eol + this.eol);
    return this.renderBody(`[${header}]`, keys, isTomlTable(value) ? value : {}, false);
  }

  private renderBody(headerLine: string, keys: readonly string[], table: Table, entry: boolean): string {
    const lines: string[] = [];
    const subs: string[] = [];
    for (const [k, v] of Object.entries(table)) {
      if (v === null || v === undefined) continue;
      const childKeys = [...keys, k];
      if ((isTomlTable(v) || isTomlTableArray(v)) && !this.inlineAt(childKeys)) subs.push(this.renderSection(childKeys, v));
      else lines.push(`${tomlKey(k)} = ${inlineValue(v)}`);
    }
    // A table holding only sub-tables needs no header of its own; an [[array]] entry always has one.
    const head = entry || lines.length > 0 || subs.length === 0 ? [[headerLine, ...lines].join(this.eol)] : [];
    return [...head, ...subs].join(this.eol + this.eol);
  }
}

/**
 * The file's text changed towards `target` (a whole document, as @iarna/toml reads one), keeping every comment,
 * blank line and spelling outside the changed values. Throws TomlPatchError when it cannot; the result is not
 * checked here (tomlTextFor reads it back). `current` is the text's document when the caller has already read it.
 */
export function patchTomlText(text: string, target: Table, options: TomlPatchOptions = {}, current?: Table): string {
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  const body = text.slice(bom.length);
  if (current === undefined) {
    try {
      current = TOML.parse(body);
    } catch (err) {
      throw new TomlPatchError(`the file does not parse: ${(err as Error).message.split('\n')[0] ?? ''}`);
    }
  }
  const patcher = new Patcher(body, options);
  patcher.patchTable([], current, target);
  return bom + patcher.result();
}
