// The guest's file descriptor table: stdio, the data-directory preopen, and what the guest opened (with rights).
// Never hands the guest a host fd number: guest fds index this table; host fds and directory handles are released
// when their entry goes.

import { closeSync } from 'node:fs';
import type { DirHandle } from './dir-handle';
import { Errno, ensure } from './errno';

/** Most descriptors one guest may hold open at a time (ERRNO_MFILE beyond). */
export const MAX_OPEN_FDS = 1024;

interface Rights {
  rightsBase: bigint;
  rightsInheriting: bigint;
  /** fdflags (APPEND, DSYNC, NONBLOCK, RSYNC, SYNC) as last set by the guest. */
  fdflags: number;
}

export interface StdioEntry extends Rights {
  kind: 'stdin' | 'stdout' | 'stderr';
}

export interface FileEntry extends Rights {
  kind: 'file';
  hostFd: number;
  /** The file offset (the host fd's own offset is never used). */
  position: bigint;
}

/** One fd_readdir entry, as listed when the guest (re)started reading the directory at cookie 0. */
export interface DirListingEntry {
  name: Uint8Array;
  ino: bigint;
  filetype: number;
}

export interface DirEntry extends Rights {
  kind: 'dir';
  /** The directory, held open (its own reference; released when the entry goes). */
  handle: DirHandle;
  /** Guest-visible name when this is a preopen ("/"), else null. */
  preopenName: string | null;
  listing: DirListingEntry[] | null;
}

export type FdEntry = StdioEntry | FileEntry | DirEntry;

export class FdTable {
  private readonly entries = new Map<number, FdEntry>();

  /** The entry for a guest fd (i32 from the guest, read as u32); ERRNO_BADF when none. */
  get(fd: number): FdEntry {
    const entry = this.entries.get(fd >>> 0);
    ensure(entry !== undefined, Errno.BADF);
    return entry;
  }

  /** Throws ERRNO_MFILE when one more descriptor would exceed MAX_OPEN_FDS. */
  ensureRoom(): void {
    ensure(this.entries.size < MAX_OPEN_FDS, Errno.MFILE);
  }

  /** Stores an entry under the lowest free fd number and returns it. */
  insert(entry: FdEntry): number {
    this.ensureRoom();
    let fd = 0;
    while (this.entries.has(fd)) fd++;
    this.entries.set(fd, entry);
    return fd;
  }

  /** Stores an entry under a fixed number (stdio and preopens at start-up). */
  set(fd: number, entry: FdEntry): void {
    this.entries.set(fd, entry);
  }

  close(fd: number): void {
    const entry = this.get(fd);
    this.entries.delete(fd >>> 0);
    releaseHost(entry);
  }

  /** Moves `from` onto `to` (which must be open), closing what `to` held. */
  renumber(from: number, to: number): void {
    const moving = this.get(from);
    const replaced = this.get(to);
    if (moving === replaced) return;
    this.entries.set(to >>> 0, moving);
    this.entries.delete(from >>> 0);
    releaseHost(replaced);
  }

  /** Closes every host fd and empties the table. */
  clear(): void {
    for (const entry of this.entries.values()) releaseHost(entry);
    this.entries.clear();
  }
}

function releaseHost(entry: FdEntry): void {
  if (entry.kind === 'dir') entry.handle.release();
  if (entry.kind !== 'file') return;
  try {
    closeSync(entry.hostFd);
  } catch {
    // Already closed by the OS or never valid: nothing left to release.
  }
}

/** ERRNO_NOTCAPABLE unless the entry holds every right in `rights`. */
export function requireRights(entry: FdEntry, rights: bigint): void {
  ensure((entry.rightsBase & rights) === rights, Errno.NOTCAPABLE);
}
