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
//   path (array indexes included). toml-layout.ts uses it to locate things; this file works out the edits.
import type { AST } from 'toml-eslint-parser';
import TOML from '@iarna/toml';
import { errorMessage } from '../../src-shared/errors';
import { alignItems } from './align-items';
import { keyNames, keysOf, startsWith, TomlLayout, TomlPatchError, type Path } from './toml-layout';
import { inlineValue, isTomlTable, isTomlTableArray, sameTomlValue, tomlKey } from './toml-text';

export { TomlPatchError };

type Table = Record<string, unknown>;

export interface TomlPatchOptions {
  /**
   * Whether a table or array of tables added at this key path (array indexes left out, e.g.
   * ['modes', 'mappings', 'trigger']) is written inline as `key = { … }`. Default: as `[table]` / `[[array]]`
   * sections. Everything below an inline value is inline too.
   */
  inline?: (keys: readonly string[]) => boolean;
}

/** The diff: walks the old and new documents side by side and turns each difference into edits of the file's layout. */
class Patcher {
  private readonly file: TomlLayout;
  private readonly inlineAt: (keys: readonly string[]) => boolean;

  constructor(text: string, options: TomlPatchOptions) {
    this.inlineAt = options.inline ?? (() => false);
    this.file = new TomlLayout(text);
  }

  result(): string {
    return this.file.result();
  }

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
      const kv = this.file.valueAt(child);
      if (kv) this.patchValue(kv.node.value, av, bv);
      else if (isTomlTable(av) && isTomlTable(bv)) this.patchTable(child, av, bv);
      else if (Array.isArray(av) && this.file.entriesOf(child) !== undefined && isTomlTableArray(bv)) this.patchArrayOfTables(child, av, bv);
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
      if (reshaped) this.file.replace(node, this.inlineTableText(node, a, b));
      else for (const kv of node.body) this.patchValue(kv.value, a[keyNames(kv.key)[0] ?? ''], b[keyNames(kv.key)[0] ?? '']);
      return;
    }
    if (node.type === 'TOMLArray' && Array.isArray(a) && Array.isArray(b) && a.length > 0 && a.length === node.elements.length) {
      this.patchArray(node, a, b);
      return;
    }
    this.file.replace(node, inlineValue(b));
  }

  /** An inline table with keys added or removed: the kept keys as written, changed and new ones written afresh. */
  private inlineTableText(node: AST.TOMLInlineTable, a: Table, b: Table): string {
    const items: string[] = [];
    for (const kv of node.body) {
      const k = keyNames(kv.key)[0] ?? '';
      if (b[k] == null) continue;
      const key = this.file.text.slice(kv.key.range[0], kv.key.range[1]);
      items.push(this.same(a[k], b[k]) ? this.file.text.slice(kv.range[0], kv.range[1]) : `${key} = ${inlineValue(b[k])}`);
    }
    for (const [k, v] of Object.entries(b)) if (v != null && a[k] == null) items.push(`${tomlKey(k)} = ${inlineValue(v)}`);
    if (items.length === 0) return '{}';
    const padded = node.body.length === 0 || /^\{[ \t]/.test(this.file.text.slice(node.range[0], node.range[1]));
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
      if (first && after) this.file.edit(first.range[0], after.range[0], '');
      else if (before && last) this.file.edit(before.range[1], last.range[1], '');
      else this.file.replace(node, inlineValue(b));
    } else if (newMid > paired) {
      const items = b.slice(from, p + newMid).map(inlineValue);
      const before = els[from - 1];
      const first = els[0];
      if (before) {
        const multiline = this.file.text.slice(node.range[0], node.range[1]).includes('\n');
        const indent = /^[ \t]*/.exec(this.file.line(this.file.lineStart(before.range[0])))?.[0] ?? '';
        const sep = multiline ? `,${this.file.eol}${indent}` : ', ';
        this.file.edit(before.range[1], before.range[1], items.map((t) => sep + t).join(''));
      } else if (first) {
        this.file.edit(first.range[0], first.range[0], items.map((t) => `${t}, `).join(''));
      }
    }
  }

  private patchArrayOfTables(path: Path, a: unknown[], b: Table[]): void {
    const nodes = this.file.entriesOf(path) ?? [];
    if (nodes.length !== a.length) throw new TomlPatchError(`${keysOf(path).join('.')}: the [[…]] entries do not match the file`);
    const keys = keysOf(path);
    let anchor: AST.TOMLTable | null = null;
    const leading: string[] = [];
    for (const op of alignItems(a, b)) {
      if (op.kind === 'add') {
        const text = this.renderSection(keys, [b[op.j]]);
        if (anchor) this.file.insertLinesAfter(this.file.extentEnd(anchor), this.file.eol + text);
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
      if (!anchor && leading.length > 0) this.file.insertBefore(node, leading.join(this.file.eol + this.file.eol));
      anchor = node;
    }
    if (!anchor && leading.length > 0) throw new TomlPatchError(`${keys.join('.')}: nothing left to add the new entries beside`);
  }

  private removePath(path: Path): void {
    const exact = this.file.valueAt(path);
    if (exact) {
      this.file.removeLine(exact.node);
      return;
    }
    const doomed = this.file.sections.filter((s) => startsWith(s.resolvedKey, path));
    const gone = new Set(doomed);
    const lines = this.file.allValues.filter((v) => startsWith(v.path, path) && !(v.owner && gone.has(v.owner)));
    if (doomed.length === 0 && lines.length === 0) throw new TomlPatchError(`${keysOf(path).join('.')}: not found in the file`);
    // Runs of consecutive tables go together, so the spacing around them is tidied once.
    let runStart: AST.TOMLTable | null = null;
    let runEnd: AST.TOMLTable | null = null;
    for (const table of doomed) {
      if (runStart && runEnd && this.file.indexOf(table) === (this.file.indexOf(runEnd) ?? -2) + 1) {
        runEnd = table;
        continue;
      }
      if (runStart && runEnd) this.file.removeBlocks(runStart, runEnd);
      runStart = runEnd = table;
    }
    if (runStart && runEnd) this.file.removeBlocks(runStart, runEnd);
    for (const v of lines) this.file.removeLine(v.node);
  }

  private addKey(path: Path, k: string, value: unknown): void {
    const keys = [...keysOf(path), k];
    const asSection = (isTomlTable(value) || isTomlTableArray(value)) && !this.inlineAt(keys);
    const line = `${tomlKey(k)} = ${inlineValue(value)}`;
    const table = path.length === 0 ? null : this.file.tableAt(path);

    if (path.length === 0) {
      if (asSection) {
        // New top-level tables go before the first top-level [[array]] (where the canonical shape has them).
        const firstArray = isTomlTable(value) ? this.file.sections.find((s) => s.kind === 'array' && s.resolvedKey.length === 2) : undefined;
        if (firstArray) this.file.insertBefore(firstArray, this.renderSection(keys, value));
        else this.file.append(this.renderSection(keys, value));
        return;
      }
      const last = this.file.rootValues[this.file.rootValues.length - 1];
      if (last) {
        this.file.insertLinesAfter(last.range[1], line);
        return;
      }
      // No top-level keys yet: after the comment lines that start the file.
      let at = 0;
      while (at < this.file.text.length && this.file.isCommentLine(at)) at = this.file.nextLine(at);
      if (at >= this.file.text.length) this.file.append(line);
      else this.file.edit(at, at, line + this.file.eol);
      return;
    }

    if (table) {
      if (asSection) {
        this.file.insertLinesAfter(this.file.extentEnd(table), this.file.eol + this.renderSection(keys, value));
        return;
      }
      // After the table's last key, indented like it.
      const lastKv = table.body[table.body.length - 1];
      const indent = lastKv ? (/^[ \t]*/.exec(this.file.line(this.file.lineStart(lastKv.range[0])))?.[0] ?? '') : '';
      this.file.insertLinesAfter(lastKv ? lastKv.range[1] : table.range[0], indent + line);
      return;
    }

    // A table with no header of its own: defined by dotted keys (`action.type = …`) or by its sub-tables.
    const dotted = this.file.allValues.filter((v) => v.path.length > path.length && startsWith(v.path, path) && v.ownerPath.length < path.length);
    const lastDotted = dotted[dotted.length - 1];
    if (lastDotted) {
      const relative = path.slice(lastDotted.ownerPath.length);
      if (relative.some((x) => typeof x !== 'string')) throw new TomlPatchError(`${keys.join('.')}: cannot add here`);
      const dottedLine = `${[...(relative as string[]), k].map(tomlKey).join('.')} = ${inlineValue(value)}`;
      this.file.insertLinesAfter(lastDotted.node.range[1], dottedLine);
      return;
    }
    const subTables = this.file.sections.filter((s) => startsWith(s.resolvedKey, path));
    const first = subTables[0];
    const last = subTables[subTables.length - 1];
    if (!first || !last) throw new TomlPatchError(`${keys.join('.')}: cannot find where to add it`);
    if (asSection) {
      this.file.insertLinesAfter(this.file.blockEnd(last), this.file.eol + this.renderSection(keys, value));
    } else {
      // Give the table its own header, just before its first sub-table.
      this.file.insertBefore(first, `[${keysOf(path).map(tomlKey).join('.')}]${this.file.eol}${line}`);
    }
  }

  /** A table as `[a.b]` (or each item of a list as `[[a.b]]`) with its keys, then its own sub-tables. */
  private renderSection(keys: readonly string[], value: unknown): string {
    const header = keys.map(tomlKey).join('.');
    if (Array.isArray(value)) return value.map((item) => this.renderBody(`[[${header}]]`, keys, isTomlTable(item) ? item : {}, true)).join(this.file.eol + this.file.eol);
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
    const head = entry || lines.length > 0 || subs.length === 0 ? [[headerLine, ...lines].join(this.file.eol)] : [];
    return [...head, ...subs].join(this.file.eol + this.file.eol);
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
      throw new TomlPatchError(`the file does not parse: ${errorMessage(err).split('\n')[0] ?? ''}`);
    }
  }
  const patcher = new Patcher(body, options);
  patcher.patchTable([], current, target);
  return bom + patcher.result();
}
