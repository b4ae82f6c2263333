// The app's diagnostic log: `[logging]` level filtering, the file instead of stderr (with its time stamp), and a file
// that cannot be written falling back to stderr, said once.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { configureLog, log, setLogClock } from './log';

let dir: string;
let stderr: string[];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'conductor-log-'));
  stderr = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (stderr.push(String(chunk)), true));
  setLogClock(() => new Date('2026-12-06T12:00:00.000Z'));
});
afterEach(() => {
  vi.restoreAllMocks();
  configureLog({ level: 'info', file: null });
  setLogClock(() => new Date());
  rmSync(dir, { recursive: true, force: true });
});

describe('the log', () => {
  it('writes what its level lets through to stderr, and nothing at "off"', () => {
    configureLog({ level: 'warn', file: null });
    log.error('broken');
    log.warn('odd');
    log.info('fyi');
    log.debug('detail');
    expect(stderr).toEqual(['conductor error: broken\n', 'conductor warn: odd\n']);
    configureLog({ level: 'off', file: null });
    log.error('silent');
    expect(stderr).toHaveLength(2);
    configureLog({ level: 'trace', file: null });
    log.trace('everything');
    expect(stderr.at(-1)).toBe('conductor trace: everything\n');
  });

  it('appends to the file instead, each line with its time', () => {
    const file = join(dir, 'conductor.log');
    configureLog({ level: 'info', file });
    log.warn('one');
    log.info('two');
    log.debug('not this');
    expect(readFileSync(file, 'utf8')).toBe('2026-12-06T12:00:00.000Z conductor warn: one\n2026-12-06T12:00:00.000Z conductor info: two\n');
    expect(stderr).toEqual([]);
  });

  it('falls back to stderr when the file cannot be written, saying so once', () => {
    const file = join(dir, 'missing-folder', 'conductor.log');
    configureLog({ level: 'info', file });
    log.warn('first');
    log.warn('second');
    expect(stderr[0]).toMatch(/^conductor error: cannot write the log file .*missing-folder.*; logging to stderr\n$/);
    expect(stderr.slice(1)).toEqual(['conductor warn: first\n', 'conductor warn: second\n']);
  });
});
