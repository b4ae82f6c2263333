// Reading TOML files Conductor owns (config, trusted keys, grants) with errors that say file:line:column.
// Parsing only (@iarna/toml); never writes — writes go through atomic-write.ts.
import { readFile } from 'node:fs/promises';
import TOML from '@iarna/toml';

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
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new TomlFileError(path, null, null, `cannot read: ${(err as Error).message}`);
  }
  return parseToml(path, text);
}
