// Starting programs for the Shell, Launch, Keystroke and Text actions: argv only (a shell only when asked),
// deadlines on the injectable timer, bounded output capture, PATH lookup. Never passes user text through a shell.
import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter as hostDelimiter, isAbsolute, join } from 'node:path';
import type { ProcessInfo } from '../../src-shared/engine';
import { errorCode, errorMessage } from '../../src-shared/errors';
import type { Timer, TimerId } from '../common/clock';
import type { Env } from './types';

/** Bytes kept of each of stdout and stderr; the rest is dropped and marked. */
export const OUTPUT_LIMIT_BYTES = 16 * 1024;
/** After a process exits, how long to wait for its output pipes to close (a background child may hold them). */
const CLOSE_GRACE_MS = 250;

export interface RunProcessOptions {
  timer: Timer;
  timeoutMs: number;
  signal?: AbortSignal;
  env?: Env;
  cwd?: string;
  /** Windows only: pass the arguments to the program as written (for cmd.exe /c). */
  windowsVerbatimArguments?: boolean;
  platform?: NodeJS.Platform;
}

export interface ProcessResult {
  info: ProcessInfo;
  /** Why it did not succeed: could not start, timed out, aborted, killed, or a non-zero exit code; null = exit 0. */
  error: string | null;
}

class Capture {
  private chunks: Buffer[] = [];
  private bytes = 0;
  private dropped = 0;
  add(chunk: Buffer): void {
    const room = OUTPUT_LIMIT_BYTES - this.bytes;
    if (room > 0) {
      const kept = chunk.subarray(0, room);
      this.chunks.push(kept);
      this.bytes += kept.length;
    }
    this.dropped += Math.max(0, chunk.length - Math.max(0, room));
  }
  text(): string {
    const text = Buffer.concat(this.chunks).toString('utf8');
    return this.dropped > 0 ? `${text}\n[output truncated: ${this.dropped} more bytes]` : text;
  }
}

function lastLine(text: string): string {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
  return lines.at(-1) ?? '';
}

function spawnFailure(program: string, err: unknown): string {
  const code = errorCode(err);
  if (code === 'ENOENT') return `cannot start "${program}": no such program (ENOENT)`;
  if (code === 'EACCES') return `cannot start "${program}": permission denied (EACCES)`;
  return `cannot start "${program}": ${errorMessage(err)}`;
}

function killTree(child: ChildProcess, platform: NodeJS.Platform): void {
  if (child.pid === undefined) return;
  try {
    // POSIX children run in their own process group (detached), so a shell's children go too.
    if (platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
    else child.kill('SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

/** Runs `argv` to completion (or its deadline), capturing exit code, signal and (bounded) output. Never throws. */
export function runProcess(argv: readonly string[], options: RunProcessOptions): Promise<ProcessResult> {
  const [program, ...args] = argv;
  const platform = options.platform ?? process.platform;
  const info: ProcessInfo = { argv: [...argv], exitCode: null, signal: null, timedOut: false, stdout: '', stderr: '' };
  if (program === undefined || program === '') return Promise.resolve({ info, error: 'empty command' });
  if (options.signal?.aborted) return Promise.resolve({ info, error: 'aborted' });

  return new Promise((resolve) => {
    const stdout = new Capture();
    const stderr = new Capture();
    let settled = false;
    let aborted = false;
    let deadline: TimerId | null = null;
    let grace: TimerId | null = null;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;

    let child: ChildProcess;
    try {
      child = spawn(program, args, {
        env: options.env ? { ...options.env } : process.env,
        cwd: options.cwd,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: platform !== 'win32',
        windowsHide: true,
        windowsVerbatimArguments: options.windowsVerbatimArguments,
      });
    } catch (err) {
      resolve({ info, error: spawnFailure(program, err) });
      return;
    }

    const onAbort = (): void => {
      aborted = true;
      killTree(child, platform);
    };
    const finish = (error: string | null): void => {
      if (settled) return;
      settled = true;
      if (deadline !== null) options.timer.clearTimeout(deadline);
      if (grace !== null) options.timer.clearTimeout(grace);
      options.signal?.removeEventListener('abort', onAbort);
      info.stdout = stdout.text();
      info.stderr = stderr.text();
      resolve({ info, error });
    };
    const outcome = (): string | null => {
      if (aborted) return 'aborted';
      if (info.timedOut) return `timed out after ${options.timeoutMs} ms (killed)`;
      if (exit?.signal) return `killed by ${exit.signal}`;
      if (exit?.code !== 0) {
        const why = lastLine(stderr.text());
        return `exited with code ${exit?.code ?? '?'}${why ? `: ${why}` : ''}`;
      }
      return null;
    };

    child.stdout?.on('data', (chunk: Buffer) => stdout.add(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.add(chunk));
    child.on('error', (err) => {
      if (exit === null) finish(spawnFailure(program, err));
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      info.exitCode = code;
      info.signal = signal;
      grace = options.timer.setTimeout(() => finish(outcome()), CLOSE_GRACE_MS);
    });
    child.on('close', () => {
      if (exit !== null) finish(outcome());
    });
    deadline = options.timer.setTimeout(() => {
      info.timedOut = true;
      killTree(child, platform);
    }, options.timeoutMs);
    options.signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Starts `argv` and returns once it has started, leaving it running on its own (Launch on Linux): no deadline,
 * no output capture. Never throws.
 */
export function startDetached(argv: readonly string[], options: { env?: Env; platform?: NodeJS.Platform } = {}): Promise<ProcessResult> {
  const [program, ...args] = argv;
  const info: ProcessInfo = { argv: [...argv], exitCode: null, signal: null, timedOut: false, stdout: '', stderr: '' };
  if (program === undefined || program === '') return Promise.resolve({ info, error: 'empty command' });
  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      child = spawn(program, args, {
        env: options.env ? { ...options.env } : process.env,
        stdio: 'ignore',
        detached: true,
        windowsHide: false,
      });
    } catch (err) {
      resolve({ info, error: spawnFailure(program, err) });
      return;
    }
    child.once('error', (err) => resolve({ info, error: spawnFailure(program, err) }));
    child.once('spawn', () => {
      child.unref();
      resolve({ info, error: null });
    });
  });
}

/**
 * The full path of an executable as the OS would find it on `env.PATH` (Windows: with PATHEXT), or null.
 * A name containing a path separator is checked as it is.
 */
export async function findExecutable(name: string, env: Env, platform: NodeJS.Platform = process.platform): Promise<string | null> {
  const windows = platform === 'win32';
  const isFile = async (path: string): Promise<boolean> => {
    try {
      if (!(await stat(path)).isFile()) return false;
      if (!windows) await access(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  const exts = windows ? (env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';').filter((e) => e.length > 0) : [''];
  const candidates = (base: string): string[] => (windows && /\.[^\\/]+$/.test(base) ? [base] : []).concat(exts.map((e) => base + e));
  if (name.includes('/') || (windows && name.includes('\\')) || isAbsolute(name)) {
    for (const c of candidates(name)) if (await isFile(c)) return c;
    return null;
  }
  const delimiter = windows ? ';' : platform === process.platform ? hostDelimiter : ':';
  const dirs = (env.PATH ?? env.Path ?? '').split(delimiter).filter((d) => d.length > 0);
  for (const dir of dirs) {
    for (const c of candidates(join(dir, name))) if (await isFile(c)) return c;
  }
  return null;
}
