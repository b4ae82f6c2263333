// path_open: opens (or creates) a file or directory inside the root with the rights the guest asked for.
// Never opens a host object other than an entry of a directory the jail holds: O_NOFOLLOW on the final component,
// O_EXCL for creation, and a dev/ino check after opening (before any truncation); a swap in between re-resolves.

import { closeSync, constants, fstatSync, ftruncateSync, lstatSync, openSync, unlinkSync } from 'node:fs';
import { DIR_INHERITING, DIR_RIGHTS, FDFLAGS_ALL, FILE_RIGHTS, Oflags, Rights, WRITE_RIGHTS } from './constants';
import type { DirHandle } from './dir-handle';
import { Errno, ensure, errnoOf } from './errno';
import { type DirEntry, type FdEntry } from './fd-table';
import { Raced, sameFile, type FsSandbox, type Resolved } from './fs-sandbox';

/** Mode of files the guest creates (before the process umask, which can only remove bits). */
export const FILE_MODE = 0o600;

const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const O_NONBLOCK = constants.O_NONBLOCK ?? 0; // a FIFO swapped in must not block the open

export interface OpenRequest {
  oflags: number;
  fdflags: number;
  rightsBase: bigint;
  rightsInheriting: bigint;
  follow: boolean;
}

/** Checks the flags and resolves/opens `path` relative to `dir`. The caller stores the returned entry. */
export function openPath(sandbox: FsSandbox, dir: DirEntry, path: string, req: OpenRequest): FdEntry {
  ensure((req.oflags & ~0xf) === 0 && (req.fdflags & ~FDFLAGS_ALL) === 0, Errno.INVAL);
  if (req.oflags & Oflags.CREAT) ensure((dir.rightsBase & Rights.PATH_CREATE_FILE) !== 0n, Errno.NOTCAPABLE);
  if (req.oflags & Oflags.TRUNC) ensure((dir.rightsBase & Rights.PATH_FILESTAT_SET_SIZE) !== 0n, Errno.NOTCAPABLE);
  // Rights are what the guest asked for, limited to what the directory passes on (never more).
  const granted = { ...req, rightsBase: req.rightsBase & dir.rightsInheriting, rightsInheriting: req.rightsInheriting & dir.rightsInheriting };
  return sandbox.with(dir.handle, path, req.follow, (resolved) => openResolved(sandbox, resolved, granted));
}

function openResolved(sandbox: FsSandbox, resolved: Resolved, req: OpenRequest): FdEntry {
  const stat = resolved.stat;
  if (resolved.name === null) {
    ensure(!(req.oflags & Oflags.CREAT && req.oflags & Oflags.EXCL), Errno.EXIST);
    return dirEntry(resolved.dir.retain(), req);
  }
  if (stat === null) return createFile(sandbox, resolved.dir, resolved.name, resolved.trailingSlash, req);
  ensure(!(req.oflags & Oflags.CREAT && req.oflags & Oflags.EXCL), Errno.EXIST);
  ensure(!stat.isSymbolicLink(), Errno.LOOP); // a final symlink with SYMLINK_FOLLOW unset
  if (stat.isDirectory()) {
    checkDirectoryOpen(req);
    try {
      return dirEntry(sandbox.openDir(resolved.dir, resolved.name, stat), req);
    } catch (err) {
      if (errnoOf(err) === Errno.NOTDIR || errnoOf(err) === Errno.NOENT) throw new Raced();
      throw err;
    }
  }
  ensure(!(req.oflags & Oflags.DIRECTORY), Errno.NOTDIR);
  ensure(stat.isFile(), Errno.NOTSUP); // FIFOs, sockets and devices are never opened
  return openExistingFile(sandbox, resolved, stat, req);
}

function checkDirectoryOpen(req: OpenRequest): void {
  ensure(!(req.oflags & (Oflags.TRUNC | Oflags.CREAT)), Errno.ISDIR);
  ensure((req.rightsBase & WRITE_RIGHTS) === 0n, Errno.ISDIR); // O_WRONLY/O_RDWR on a directory
}

function dirEntry(handle: DirHandle, req: OpenRequest): FdEntry {
  try {
    checkDirectoryOpen(req);
  } catch (err) {
    handle.release();
    throw err;
  }
  return {
    kind: 'dir',
    handle,
    preopenName: null,
    listing: null,
    rightsBase: req.rightsBase & DIR_RIGHTS,
    rightsInheriting: req.rightsInheriting & DIR_INHERITING,
    fdflags: req.fdflags,
  };
}

function accessMode(req: OpenRequest): number {
  const read = (req.rightsBase & Rights.FD_READ) !== 0n;
  const write = (req.rightsBase & WRITE_RIGHTS) !== 0n || (req.oflags & Oflags.TRUNC) !== 0;
  if (!write) return constants.O_RDONLY;
  return read ? constants.O_RDWR : constants.O_WRONLY;
}

function openExistingFile(sandbox: FsSandbox, resolved: Resolved, stat: NonNullable<Resolved['stat']>, req: OpenRequest): FdEntry {
  const name = resolved.name ?? '';
  let hostFd: number;
  try {
    hostFd = openSync(sandbox.at(resolved.dir, name), accessMode(req) | O_NOFOLLOW | O_NONBLOCK);
  } catch (err) {
    // Replaced by a symlink (ELOOP) or removed since the lstat: resolve again.
    if (errnoOf(err) === Errno.LOOP || errnoOf(err) === Errno.NOENT) throw new Raced();
    throw err;
  }
  try {
    const opened = fstatSync(hostFd, { bigint: true });
    if (!sameFile(opened, stat)) throw new Raced();
    ensure(opened.isFile(), Errno.NOTSUP);
    sandbox.statDir(resolved.dir); // portable backend: the directory must still be the one walked
    if (req.oflags & Oflags.TRUNC) ftruncateSync(hostFd, 0);
  } catch (err) {
    closeSync(hostFd);
    throw err;
  }
  return fileEntry(hostFd, req);
}

function createFile(sandbox: FsSandbox, dir: DirHandle, name: string, trailingSlash: boolean, req: OpenRequest): FdEntry {
  ensure((req.oflags & Oflags.CREAT) !== 0, Errno.NOENT);
  ensure(!trailingSlash, Errno.ISDIR);
  ensure(!(req.oflags & Oflags.DIRECTORY), Errno.INVAL);
  const flags = accessMode(req) | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW | O_NONBLOCK;
  const where = sandbox.at(dir, name);
  let hostFd: number;
  try {
    hostFd = openSync(where, flags, FILE_MODE);
  } catch (err) {
    // The name appeared since the lookup: resolve again, unless the guest asked for EXCL.
    if (errnoOf(err) === Errno.EXIST && !(req.oflags & Oflags.EXCL)) throw new Raced();
    throw err;
  }
  try {
    // The fd-relative backend created it in `dir` by construction; the portable one checks that `dir` was not
    // swapped while it created by path, and removes what it made if it was.
    sandbox.statDir(dir);
  } catch (err) {
    try {
      const made = fstatSync(hostFd, { bigint: true });
      const now = lstatSync(where, { bigint: true, throwIfNoEntry: false });
      if (now !== undefined && sameFile(now, made)) unlinkSync(where);
    } finally {
      closeSync(hostFd);
    }
    throw err;
  }
  return fileEntry(hostFd, req);
}

function fileEntry(hostFd: number, req: OpenRequest): FdEntry {
  return {
    kind: 'file',
    hostFd,
    position: 0n,
    rightsBase: req.rightsBase & FILE_RIGHTS,
    rightsInheriting: req.rightsInheriting & FILE_RIGHTS,
    fdflags: req.fdflags,
  };
}
