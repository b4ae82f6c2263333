// Reading TOML files Conductor owns (config, trusted keys, grants) with errors that say file:line:column, and the
// text to save for a new version of one: the old text patched (comments and layout kept) when that reads back as the
// new document, else the file written in full. Never writes — writes go through atomic-write.ts.
import { readFile } from 'node:fs/promises';
import TOML from '@iarna/toml';
import { errorCode, errorMessage } from '../../src-shared/errors';
import { patchTomlText, type TomlPatchOptions } from './toml-patch';
import { sameTomlValue } from './toml-text';

/** A TOML file that cannot be read or parsed; `line`/`column` are 1-based when the parser knows them. */
export class TomlFileError extends Error {
  override readonly name = 'TomlFileError';
  constructor(
    readonly path: string,
    readonly line: number | null,
    readonly column: number | null,
    readonly reason: string,
  ) {
    super(`${path}${line === null ? '' : `:${line}:${column ?? 1}`}: ${reason}`);
  }
}

/** Parses TOML text (a leading BOM is ignored); syntax errors become TomlFileError with line and column. */
export function parseToml(path: string, text: string): TOML.JsonMap {
  try {
    return TOML.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    const e = err as { line?: number; col?: number; message?: string };
    // @iarna/toml counts from 0 and appends "at row R, col C, pos P:" plus a code excerpt to its message.
    const first = (String(e.message ?? err).split('\n')[0] ?? '').replace(/ at row \d+, col \d+, pos \d+:?$/, '');
    const line = typeof e.line === 'number' ? e.line + 1 : null;
    throw new TomlFileError(path, line, line === null ? null : (e.col ?? 0) + 1, first);
  }
}

/** Reads and parses a TOML file; null when it does not exist. */
export async function readTomlFile(path: string): Promise<TOML.JsonMap | null> {
  return (await readTomlFileText(path))?.doc ?? null;
}

/** Reads and parses a TOML file, keeping its text (to save a new version with tomlTextFor); null when missing. */
export async function readTomlFileText(path: string): Promise<{ text: string; doc: TOML.JsonMap } | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return null;
    throw new TomlFileError(path, null, null, `cannot read: ${errorMessage(err)}`);
  }
  return { text, doc: parseToml(path, text) };
}

export interface TomlSaveText {
  text: string;
  /** Why the file is written in full although there was a previous text to patch; null when patched (or new). */
  fallback: string | null;
}

export interface TomlSaveOptions extends TomlPatchOptions {
  /** `previous` as already parsed, if the caller has it. */
  previousDoc?: Record<string, unknown>;
  /** A further check of the patched text and its document (e.g. that it reads back as the same config): a reason to refuse it, or null. */
  check?: (text: string, doc: Record<string, unknown>) => string | null;
}

/**
 * The text to save for `target`: `previous` (the file's current text; null = no file) patched towards it, keeping
 * comments, blank lines and spelling outside the changed values — used only when it reads back (with @iarna/toml)
 * as exactly `target`. Otherwise `rewrite()`, the whole file written afresh, with `fallback` saying why.
 */
export function tomlTextFor(previous: string | null, target: Record<string, unknown>, rewrite: () => string, options: TomlSaveOptions = {}): TomlSaveText {
  if (previous === null) return { text: rewrite(), fallback: null };
  let reason: string;
  try {
    const text = patchTomlText(previous, target, options, options.previousDoc);
    const doc = TOML.parse(text.replace(/^\uFEFF/, ''));
    if (!sameTomlValue(doc, target)) reason = 'the edited text would read back differently';
    else {
      const refused = options.check?.(text, doc) ?? null;
      if (refused === null) return { text, fallback: null };
      reason = refused;
    }
  } catch (err) {
    reason = errorMessage(err).split('\n')[0] ?? String(err);
  }
  return { text: rewrite(), fallback: reason };
}
