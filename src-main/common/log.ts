// The app's own diagnostic log (Conductor's `[logging]`: level and an optional file): one process-wide sink that the
// core, the MIDI devices and the services write their warnings and notes to. Never throws: a log file that cannot be
// written falls back to stderr, saying so once. Plugin output and the CLI's event stream are not log lines.
import { appendFileSync } from 'node:fs';
import type { LOGGING_LEVELS } from '../../src-shared/config';

export type LogLevel = (typeof LOGGING_LEVELS)[number];

export interface LogSettings {
  /** Lines of this level and more severe are written ("off": none). Default "info". */
  level: LogLevel;
  /** Appended to this file (one line each, with an ISO time) instead of stderr; null: stderr. */
  file: string | null;
}

const RANK: Readonly<Record<LogLevel, number>> = { off: 0, error: 1, warn: 2, info: 3, debug: 4, trace: 5 };
let settings: LogSettings = { level: 'info', file: null };
let fileFailed: string | null = null;
let now = (): Date => new Date();

/** Applies `[logging]` (the core calls this at start and on each config reload). */
export function configureLog(next: LogSettings): void {
  if (next.file !== settings.file) fileFailed = null;
  settings = { ...next };
}

/** Tests: the time stamped on file lines. */
export function setLogClock(clock: () => Date): void {
  now = clock;
}

function write(level: Exclude<LogLevel, 'off'>, message: string): void {
  if (RANK[level] > RANK[settings.level]) return;
  const line = `conductor ${level}: ${message}`;
  const file = settings.file;
  if (file !== null && fileFailed !== file) {
    try {
      appendFileSync(file, `${now().toISOString()} ${line}\n`);
      return;
    } catch (err) {
      fileFailed = file;
      process.stderr.write(`conductor error: cannot write the log file ${file} (${(err as Error).message}); logging to stderr\n`);
    }
  }
  process.stderr.write(`${line}\n`);
}

export const log = {
  error: (message: string): void => write('error', message),
  warn: (message: string): void => write('warn', message),
  info: (message: string): void => write('info', message),
  debug: (message: string): void => write('debug', message),
  trace: (message: string): void => write('trace', message),
};
