// One live sandbox per plugin data directory: an exclusive lock that a sandbox process takes before its plugin may
// touch the directory and that dies with the process. Never lets two sandboxes (app + CLI, or a reload overlap) share it.
//
// The lock is a listening local socket named after the directory's real path: the kernel lets only one process
// listen on a name and releases it when that process exits, however it exits (crash, SIGKILL) — unlike a lock file,
// which a killed process leaves behind. Whoever holds it answers a connection with its PID, so a second sandbox can
// say who is in the way. Linux: an abstract socket (no file at all). macOS and other POSIX systems: a socket file in
// the temp directory; a stale one (nobody accepts on it) is removed and taken over. Windows: a named pipe.

import { createHash } from 'node:crypto';
import { realpathSync, unlinkSync } from 'node:fs';
import type { Server } from 'node:net';
import { join } from 'node:path';
import { errorCode } from '../../../src-shared/errors';
import { netModule, osModule } from './builtins';

/** How long a sandbox waits for the previous holder to go (a restart or reload overlap) before failing. */
export const DEFAULT_LOCK_WAIT_MS = 5_000;
const RETRY_MS = 50;

export class DataDirBusyError extends Error {
  override readonly name = 'DataDirBusyError';
  constructor(
    readonly dataDir: string,
    readonly holderPid: number | null,
  ) {
    // The holder may be this very process: another plugin's worker in the same shared sandbox process.
    const sameProcess = holderPid === process.pid;
    super(
      `data directory ${dataDir} is in use by ${holderPid === null ? 'another process' : `PID ${holderPid}`}` +
        (sameProcess
          ? ' (another sandbox in this same shared sandbox process): another plugin loaded with the same data directory is running; unload one of them'
          : ': another sandbox of this plugin is running (the app, `conductor run` or `conductor plugin run`); stop it and try again'),
    );
  }
}

export interface DataDirLock {
  readonly dataDir: string;
  /** Gives the lock up (also happens by itself when the process exits). */
  release(): Promise<void>;
}

/** The socket name for a data directory (the same for every process of this user). */
export function lockAddress(dataDir: string, platform: NodeJS.Platform = process.platform): string {
  let real = dataDir;
  try {
    real = realpathSync.native(dataDir);
  } catch {
    // Not created yet: the path as given (the sandbox creates it after locking).
  }
  const key = createHash('sha256').update(real).digest('hex').slice(0, 32);
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  if (platform === 'linux') return `\0conductor-data-${uid}-${key}`;
  if (platform === 'win32') return `\\\\.\\pipe\\conductor-data-${key}`;
  return join(osModule().tmpdir(), `conductor-data-${uid}-${key}.sock`);
}

function listen(address: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = netModule().createServer((socket) => {
      socket.on('error', () => undefined);
      socket.end(`${process.pid}\n`);
    });
    server.once('error', reject);
    server.listen({ path: address, exclusive: true }, () => {
      server.removeListener('error', reject);
      server.unref(); // the lock never keeps the process alive
      resolve(server);
    });
  });
}

/** Asks the holder for its PID; null when nobody answers (a stale socket file) or the answer is unreadable. */
function askHolder(address: string): Promise<{ pid: number | null; alive: boolean }> {
  return new Promise((resolve) => {
    let text = '';
    const socket = netModule().createConnection({ path: address });
    const done = (alive: boolean): void => {
      socket.destroy();
      const pid = Number.parseInt(text, 10);
      resolve({ pid: Number.isSafeInteger(pid) && pid > 0 ? pid : null, alive });
    };
    socket.setTimeout(1_000, () => done(true));
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    socket.on('end', () => done(true));
    socket.on('error', (err) => done(errorCode(err) !== 'ECONNREFUSED' && errorCode(err) !== 'ENOENT'));
  });
}

/**
 * Takes the lock for `dataDir`, waiting up to `waitMs` for a previous holder to exit; throws DataDirBusyError
 * naming the holder's PID when it does not.
 */
export async function lockDataDir(dataDir: string, waitMs = DEFAULT_LOCK_WAIT_MS): Promise<DataDirLock> {
  const address = lockAddress(dataDir);
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const server = await listen(address);
      return {
        dataDir,
        release: () => new Promise<void>((resolve) => server.close(() => resolve())),
      };
    } catch (err) {
      if (errorCode(err) !== 'EADDRINUSE') throw err;
    }
    const holder = await askHolder(address);
    if (!holder.alive && !address.startsWith('\0') && process.platform !== 'win32') {
      // A socket file left by a process that is gone: nobody accepts on it, so it is safe to take over.
      try {
        unlinkSync(address);
      } catch {
        // Someone else removed it first.
      }
      continue;
    }
    if (Date.now() >= deadline) throw new DataDirBusyError(dataDir, holder.pid);
    await new Promise((r) => setTimeout(r, RETRY_MS));
  }
}
