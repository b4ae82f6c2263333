// preview1 path_* calls: every guest path is resolved by FsSandbox inside the data directory before the host sees it.
// Never touches a host path outside the data directory, and never creates a symlink or hard link that leads out of it.

import {
  linkSync,
  lutimesSync,
  mkdirSync,
  readlinkSync,
  renameSync,
  rmdirSync,
  symlinkSync,
  unlinkSync,
} from 'node:fs';
import { LOOKUP_SYMLINK_FOLLOW, Rights } from './abi';
import type { WasiContext } from './context';
import { Errno, ensure } from './errno';
import { newTimes } from './fd-ops';
import { requireRights, type DirEntry } from './fd-table';
import { PATH_MAX, type FsSandbox, type Resolved } from './fs-sandbox';
import { openPath } from './path-open';
import { writeFilestat } from './structs';

/** Mode of directories the guest creates (before the process umask, which can only remove bits). */
export const DIR_MODE = 0o700;

interface PathArgs {
  sandbox: FsSandbox;
  dir: DirEntry;
  path: string;
}

export function pathImports(ctx: WasiContext) {
  const { mem, fds } = ctx;

  /** The directory fd (EBADF/ENOTDIR/ENOTCAPABLE checks, in that order) and the decoded guest path. */
  function args(fd: number, right: bigint, pathPtr: number, pathLen: number): PathArgs {
    const dir = fds.get(fd);
    ensure(dir.kind === 'dir', Errno.NOTDIR);
    requireRights(dir, right);
    ensure(ctx.sandbox !== null, Errno.NOTCAPABLE);
    ensure(pathLen >>> 0 <= PATH_MAX, Errno.NAMETOOLONG);
    return { sandbox: ctx.sandbox, dir, path: mem.readString(pathPtr, pathLen) };
  }

  function resolve(a: PathArgs, follow: boolean): Resolved {
    return a.sandbox.resolve(a.dir.parts, a.path, follow);
  }

  /** Resolves an existing object that is about to be removed or renamed: not the root, not "." / "..". */
  function resolveNamed(a: PathArgs): Resolved & { stat: NonNullable<Resolved['stat']> } {
    const r = resolve(a, false);
    ensure(r.parts.length > 0, Errno.BUSY);
    ensure(!r.endsInDot, Errno.INVAL);
    const stat = r.stat;
    ensure(stat !== null, Errno.NOENT);
    return { ...r, stat };
  }

  return {
    path_open(
      fd: number,
      dirflags: number,
      pathPtr: number,
      pathLen: number,
      oflags: number,
      rightsBase: bigint,
      rightsInheriting: bigint,
      fdflags: number,
      fdPtr: number,
    ): number {
      const a = args(fd, Rights.PATH_OPEN, pathPtr, pathLen);
      mem.check(fdPtr, 4);
      fds.ensureRoom();
      const entry = openPath(a.sandbox, a.dir, a.path, {
        oflags,
        fdflags,
        rightsBase: BigInt.asUintN(64, rightsBase),
        rightsInheriting: BigInt.asUintN(64, rightsInheriting),
        follow: (dirflags & LOOKUP_SYMLINK_FOLLOW) !== 0,
      });
      mem.setU32(fdPtr, fds.insert(entry));
      return Errno.SUCCESS;
    },

    path_create_directory(fd: number, pathPtr: number, pathLen: number): number {
      const r = resolve(args(fd, Rights.PATH_CREATE_DIRECTORY, pathPtr, pathLen), false);
      ensure(r.stat === null, Errno.EXIST);
      mkdirSync(r.hostPath, { mode: DIR_MODE });
      return Errno.SUCCESS;
    },

    path_filestat_get(fd: number, flags: number, pathPtr: number, pathLen: number, bufPtr: number): number {
      const r = resolve(args(fd, Rights.PATH_FILESTAT_GET, pathPtr, pathLen), (flags & LOOKUP_SYMLINK_FOLLOW) !== 0);
      ensure(r.stat !== null, Errno.NOENT);
      writeFilestat(mem, bufPtr, r.stat);
      return Errno.SUCCESS;
    },

    path_filestat_set_times(
      fd: number,
      flags: number,
      pathPtr: number,
      pathLen: number,
      atim: bigint,
      mtim: bigint,
      fstFlags: number,
    ): number {
      const a = args(fd, Rights.PATH_FILESTAT_SET_TIMES, pathPtr, pathLen);
      const r = resolve(a, (flags & LOOKUP_SYMLINK_FOLLOW) !== 0);
      ensure(r.stat !== null, Errno.NOENT);
      const [at, mt] = newTimes(ctx, r.stat, atim, mtim, fstFlags);
      lutimesSync(r.hostPath, at, mt); // the resolved object itself: never follows a (swapped-in) final symlink
      return Errno.SUCCESS;
    },

    /** Hard links: both ends inside the root; the source is never a directory or a symlink (EPERM). */
    path_link(
      oldFd: number,
      oldFlags: number,
      oldPtr: number,
      oldLen: number,
      newFd: number,
      newPtr: number,
      newLen: number,
    ): number {
      const from = args(oldFd, Rights.PATH_LINK_SOURCE, oldPtr, oldLen);
      const to = args(newFd, Rights.PATH_LINK_TARGET, newPtr, newLen);
      const src = resolve(from, (oldFlags & LOOKUP_SYMLINK_FOLLOW) !== 0);
      ensure(src.stat !== null, Errno.NOENT);
      ensure(!src.stat.isDirectory() && !src.stat.isSymbolicLink(), Errno.PERM);
      const dst = resolve(to, false);
      ensure(dst.stat === null, Errno.EXIST);
      ensure(!dst.trailingSlash, Errno.NOENT);
      linkSync(src.hostPath, dst.hostPath);
      return Errno.SUCCESS;
    },

    path_readlink(fd: number, pathPtr: number, pathLen: number, buf: number, bufLen: number, bufusedPtr: number): number {
      const r = resolve(args(fd, Rights.PATH_READLINK, pathPtr, pathLen), false);
      ensure(r.stat !== null, Errno.NOENT);
      ensure(r.stat.isSymbolicLink(), Errno.INVAL);
      mem.check(buf, bufLen);
      mem.check(bufusedPtr, 4);
      const target = readlinkSync(r.hostPath, { encoding: 'buffer' });
      const n = Math.min(target.byteLength, bufLen >>> 0);
      mem.write(buf, target.subarray(0, n));
      mem.setU32(bufusedPtr, n);
      return Errno.SUCCESS;
    },

    path_remove_directory(fd: number, pathPtr: number, pathLen: number): number {
      const r = resolveNamed(args(fd, Rights.PATH_REMOVE_DIRECTORY, pathPtr, pathLen));
      ensure(r.stat.isDirectory(), Errno.NOTDIR);
      rmdirSync(r.hostPath);
      return Errno.SUCCESS;
    },

    path_rename(fd: number, oldPtr: number, oldLen: number, newFd: number, newPtr: number, newLen: number): number {
      const from = args(fd, Rights.PATH_RENAME_SOURCE, oldPtr, oldLen);
      const to = args(newFd, Rights.PATH_RENAME_TARGET, newPtr, newLen);
      const src = resolveNamed(from);
      const dst = resolve(to, false);
      ensure(dst.parts.length > 0, Errno.BUSY);
      ensure(!dst.endsInDot, Errno.INVAL);
      renameSync(src.hostPath, dst.hostPath);
      return Errno.SUCCESS;
    },

    /** Symlinks: the target must stay inside the root (see FsSandbox.symlinkTarget for what is stored). */
    path_symlink(oldPtr: number, oldLen: number, fd: number, newPtr: number, newLen: number): number {
      const a = args(fd, Rights.PATH_SYMLINK, newPtr, newLen);
      ensure(oldLen >>> 0 <= PATH_MAX, Errno.NAMETOOLONG);
      const target = mem.readString(oldPtr, oldLen);
      const r = resolve(a, false);
      ensure(r.stat === null, Errno.EXIST);
      ensure(!r.trailingSlash, Errno.NOENT);
      const stored = a.sandbox.symlinkTarget(r.parts.slice(0, -1), target);
      symlinkSync(stored, r.hostPath);
      return Errno.SUCCESS;
    },

    path_unlink_file(fd: number, pathPtr: number, pathLen: number): number {
      const r = resolveNamed(args(fd, Rights.PATH_UNLINK_FILE, pathPtr, pathLen));
      ensure(!r.stat.isDirectory(), Errno.ISDIR);
      unlinkSync(r.hostPath);
      return Errno.SUCCESS;
    },
  };
}
