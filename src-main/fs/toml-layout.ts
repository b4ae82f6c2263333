// The located layout of a TOML file's text (its [tables], [[array]] entries, key lines and comment lines, by resolved
// path) and the line-level edits on it, applied at once by result(). Never decides what to change: toml-patch.ts does.
import { parseTOML, type AST } from 'toml-eslint-parser';
import { errorMessage } from '../../src-shared/errors';

type Key = string | number;
export type Path = readonly Key[];

/** A change the patcher cannot express in the file's own text (the caller then writes the file in full). */
export class TomlPatchError extends Error {
  override readonly name = 'TomlPatchError';
}

interface Edit {
  start: number;
  end: number;
  text: string;
  seq: number;
}

/** A `key = value` line (not one inside an inline table), with where it sits. */
export interface ValueAt {
  node: AST.TOMLKeyValue;
  /** The [table] or [[array]] entry the line is in; null at the top level. */
  owner: AST.TOMLTable | null;
  ownerPath: Path;
  path: Path;
}

const BLANK = /^[ \t]*$/;

const pathId = (p: Path): string => JSON.stringify(p);

export function startsWith(p: Path, prefix: Path): boolean {
  return p.length >= prefix.length && prefix.every((k, i) => p[i] === k);
}

export function keyNames(key: AST.TOMLKey): string[] {
  return key.keys.map((k) => (k.type === 'TOMLBare' ? k.name : k.value));
}

export function keysOf(path: Path): string[] {
  return path.filter((k): k is string => typeof k === 'string');
}

/** One file's text, indexed once: lookups answer for the text as given; edits collect until result() applies them. */
export class TomlLayout {
  private readonly edits: Edit[] = [];
  /** The text's line break (CRLF when it has any), for inserted lines. */
  readonly eol: string;
  /** [a.b] tables and [[a]] entries, in file order. */
  readonly sections: AST.TOMLTable[] = [];
  private readonly sectionIndex = new Map<AST.TOMLTable, number>();
  /** [a.b] tables and [[a]] entries by resolved path (entries with their index). */
  private readonly tables = new Map<string, AST.TOMLTable>();
  /** [[a]] entries by the array's path. */
  private readonly arrays = new Map<string, AST.TOMLTable[]>();
  /** `key = value` lines (not those inside inline tables) by full path. */
  private readonly values = new Map<string, ValueAt>();
  /** Every `key = value` line, in file order. */
  readonly allValues: ValueAt[] = [];
  /** The top-level `key = value` lines (before the first header). */
  readonly rootValues: AST.TOMLKeyValue[] = [];
  /** Starts of the lines that hold only a comment (not text inside a multi-line string that looks like one). */
  private readonly commentLines = new Set<number>();

  /** Throws TomlPatchError when the text does not parse. */
  constructor(readonly text: string) {
    this.eol = text.includes('\r\n') ? '\r\n' : '\n';
    let program: AST.TOMLProgram;
    try {
      program = parseTOML(text);
    } catch (err) {
      throw new TomlPatchError(`cannot read the file's layout: ${errorMessage(err)}`);
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

  // ---- lookups ----

  /** The `key = value` line at exactly this path. */
  valueAt(path: Path): ValueAt | undefined {
    return this.values.get(pathId(path));
  }

  /** The [table] (or [[array]] entry, with its index in the path) at exactly this path. */
  tableAt(path: Path): AST.TOMLTable | undefined {
    return this.tables.get(pathId(path));
  }

  /** The [[array]] entries of the array at this path, when it is written as [[…]] sections. */
  entriesOf(path: Path): AST.TOMLTable[] | undefined {
    return this.arrays.get(pathId(path));
  }

  /** A section's position in `sections`. */
  indexOf(table: AST.TOMLTable): number | undefined {
    return this.sectionIndex.get(table);
  }

  /** Whether the line starting at `lineStart` holds only a comment. */
  isCommentLine(lineStart: number): boolean {
    return this.commentLines.has(lineStart);
  }

  // ---- lines ----

  lineStart(pos: number): number {
    return this.text.lastIndexOf('\n', pos - 1) + 1;
  }

  /** The end of the line holding `pos`, before its line break. */
  private lineEnd(pos: number): number {
    const nl = this.text.indexOf('\n', pos);
    if (nl === -1) return this.text.length;
    return nl > 0 && this.text[nl - 1] === '\r' ? nl - 1 : nl;
  }

  /** The start of the line after the one holding `pos` (the text's end on the last line). */
  nextLine(pos: number): number {
    const nl = this.text.indexOf('\n', pos);
    return nl === -1 ? this.text.length : nl + 1;
  }

  private prevLine(lineStart: number): number | null {
    return lineStart === 0 ? null : this.lineStart(lineStart - 1);
  }

  line(lineStart: number): string {
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
  blockEnd(node: AST.TOMLTable): number {
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
  extentEnd(node: AST.TOMLTable): number {
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

  edit(start: number, end: number, text: string): void {
    this.edits.push({ start, end, text, seq: this.edits.length });
  }

  replace(node: { range: [number, number] }, text: string): void {
    this.edit(node.range[0], node.range[1], text);
  }

  removeLine(node: AST.TOMLKeyValue): void {
    this.edit(this.lineStart(node.range[0]), this.nextLine(node.range[1]), '');
  }

  /**
   * Removes consecutive tables `first` … `last` (e.g. an [[array]] entry and its sub-tables) with the comments the
   * first one owns, and one blank line of spacing.
   */
  removeBlocks(first: AST.TOMLTable, last: AST.TOMLTable): void {
    let start = this.ownedStart(first);
    const end = this.nextLine(this.blockEnd(last));
    const prev = this.prevLine(start);
    if (prev !== null && BLANK.test(this.line(prev)) && (end >= this.text.length || BLANK.test(this.line(end)))) start = prev;
    this.edit(start, end, '');
  }

  /** Inserts whole lines (`text`, without a final line break) before a table and the comments it owns. */
  insertBefore(node: AST.TOMLTable, text: string): void {
    const start = this.ownedStart(node);
    const prev = this.prevLine(start);
    if (prev !== null && BLANK.test(this.line(prev))) this.edit(prev, prev, this.eol + text + this.eol);
    else this.edit(start, start, text + this.eol + this.eol);
  }

  /**
   * Inserts whole lines (`lines`, without a final line break) after the line holding `pos` — at the start of the
   * next line, so a removal of the line before never swallows them.
   */
  insertLinesAfter(pos: number, lines: string): void {
    const at = this.nextLine(pos);
    if (at >= this.text.length && !this.text.endsWith('\n')) this.edit(at, at, this.eol + lines);
    else this.edit(at, at, lines + this.eol);
  }

  /** Appends sections at the end of the file, after a blank line. */
  append(text: string): void {
    const t = this.text;
    if (t.length === 0) this.edit(0, 0, text + this.eol);
    else this.edit(t.length, t.length, (t.endsWith('\n') ? '' : this.eol) + this.eol + text + this.eol);
  }

  /** The text with every edit applied; throws TomlPatchError when two edits overlap (other than adjacent removals). */
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
}
