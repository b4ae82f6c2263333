// path_open: opens (or creates) a file or directory inside the root with the rights the guest asked for.
// Never opens a host object other than the one resolved inside the root: O_NOFOLLOW, O_EXCL for creation, and a
// dev/ino check after opening (before any truncation) defeat a swap between resolution and open.

import { closeSync, constants, fstatSync, ftruncateSync, lstatSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { DIR_INHERITING, DIR_RIGHTS, FDFLAGS_ALL, FILE_RIGHTS, Oflags, Rights, WRITE_RIGHTS } from './abi';
import { Errno, ensure, errnoOf } from './errno';
import { type DirEntry, type FdEntry } from './fd-table';
import { sameFile, type FsSandbox, type Resolved } from './fs-sandbox';

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
  for (let attempt = 0; ; attempt++) {
    try {
      return openOnce(sandbox, dir, path, granted);
    } catch (err) {
      // Something appeared between resolution and O_EXCL creation: resolve again once, unless EXCL was asked for.
      const raced = errnoOf(err) === Errno.EXIST && !(req.oflags & Oflags.EXCL);
      if (!raced || attempt > 0) throw err;
    }
  }
}

function openOnce(sandbox: FsSandbox, dir: DirEntry, path: string, req: OpenRequest): FdEntry {
  const resolved = sandbox.resolve(dir.parts, path, req.follow);
  const stat = resolved.stat;
  if (stat === null) return createFile(resolved, req);
  ensure(!(req.oflags & Oflags.CREAT && req.oflags & Oflags.EXCL), Errno.EXIST);
  ensure(!stat.isSymbolicLink(), Errno.LOOP); // a final symlink with SYMLINK_FOLLOW unset
  if (stat.isDirectory()) return openDirectory(resolved, req);
  ensure(!(req.oflags & Oflags.DIRECTORY), Errno.NOTDIR);
  ensure(stat.isFile(), Errno.NOTSUP); // FIFOs, sockets and devices are never opened
  return openExistingFile(resolved, req);
}

function openDirectory(resolved: Resolved, req: OpenRequest): FdEntry {
  ensure(!(req.oflags & (Oflags.TRUNC | Oflags.CREAT)), Errno.ISDIR);
  ensure((req.rightsBase & WRITE_RIGHTS) === 0n, Errno.ISDIR); // O_WRONLY/O_RDWR on a directory
  return {
    kind: 'dir',
    parts: resolved.parts,
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

function openExistingFile(resolved: Resolved, req: OpenRequest): FdEntry {
  const hostFd = openSync(resolved.hostPath, accessMode(req) | O_NOFOLLOW | O_NONBLOCK);
  try {
    const opened = fstatSync(hostFd, { bigint: true });
    ensure(resolved.stat !== null && sameFile(opened, resolved.stat), Errno.NOTCAPABLE);
    ensure(opened.isFile(), Errno.NOTSUP);
    if (req.oflags & Oflags.TRUNC) ftruncateSync(hostFd, 0);
  } catch (err) {
    closeSync(hostFd);
    throw err;
  }
  return fileEntry(hostFd, req);
}

function createFile(resolved: Resolved, req: OpenRequest): FdEntry {
  ensure((req.oflags & Oflags.CREAT) !== 0, Errno.NOENT);
  ensure(!resolved.trailingSlash, Errno.ISDIR);
  ensure(!(req.oflags & Oflags.DIRECTORY), Errno.INVAL);
  const flags = accessMode(req) | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW | O_NONBLOCK;
  const hostFd = openSync(resolved.hostPath, flags, FILE_MODE);
  try {
    const opened = fstatSync(hostFd, { bigint: true });
    const parentNow = lstatSync(dirname(resolved.hostPath), { bigint: true });
    const atPath = lstatSync(resolved.hostPath, { bigint: true });
    ensure(sameFile(parentNow, resolved.parent) && sameFile(atPath, opened), Errno.NOTCAPABLE);
  } catch (err) {
    closeSync(hostFd);
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
