// preview1 path_* calls: every guest path is resolved by FsSandbox to an entry of a directory the jail holds, and the
// host call acts on that entry without following it. Never touches anything outside the data directory, never
// creates a symlink that could lead out of it, and never tells the guest a name outside it (path_readlink).

import { linkSync, lstatSync, lutimesSync, mkdirSync, readlinkSync, renameSync, rmdirSync, symlinkSync, unlinkSync } from 'node:fs';
import { LOOKUP_SYMLINK_FOLLOW, Rights } from './constants';
import type { WasiContext } from './context';
import { Errno, ensure } from './errno';
import { newTimes } from './fd-ops';
import { requireRights, type DirEntry } from './fd-table';
import { PATH_MAX, checkGuestSymlinkTarget, linkTextVisible, sameFile, type FsSandbox, type Resolved } from './fs-sandbox';
import { openPath } from './path-open';
import { writeFilestat } from './structs';

/** Mode of directories the guest creates (before the process umask, which can only remove bits). */
export const DIR_MODE = 0o700;

interface PathArgs {
  sandbox: FsSandbox;
  dir: DirEntry;
  path: string;
}

/** A resolution that names an existing entry by its name (not the root, not "." / ".."). */
type Named = Resolved & { name: string; stat: NonNullable<Resolved['stat']> };

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

  /** Runs `body` on the resolution of the guest path (released afterwards; re-resolved when it raced). */
  function on<T>(a: PathArgs, follow: boolean, body: (r: Resolved) => T): T {
    return a.sandbox.with(a.dir.handle, a.path, follow, body);
  }

  /** An existing entry about to be removed or renamed: not the root (EBUSY), not "." / ".." (EINVAL). */
  function named(r: Resolved): Named {
    ensure(r.name !== null || r.dir.parent !== null, Errno.BUSY);
    ensure(r.name !== null && !r.endsInDot, Errno.INVAL);
    ensure(r.stat !== null, Errno.NOENT);
    return r as Named;
  }

  /** A name that does not exist yet (for mkdir, symlink and link targets); a trailing "/" only for mkdir. */
  function fresh(r: Resolved, trailingSlashAllowed = false): Resolved & { name: string } {
    ensure(r.stat === null && r.name !== null, Errno.EXIST);
    ensure(trailingSlashAllowed || !r.trailingSlash, Errno.NOENT);
    return r as Resolved & { name: string };
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
      const a = args(fd, Rights.PATH_CREATE_DIRECTORY, pathPtr, pathLen);
      on(a, false, (r) => mkdirSync(a.sandbox.at(r.dir, fresh(r, true).name), { mode: DIR_MODE }));
      return Errno.SUCCESS;
    },

    path_filestat_get(fd: number, flags: number, pathPtr: number, pathLen: number, bufPtr: number): number {
      const a = args(fd, Rights.PATH_FILESTAT_GET, pathPtr, pathLen);
      const stat = on(a, (flags & LOOKUP_SYMLINK_FOLLOW) !== 0, (r) => r.stat);
      ensure(stat !== null, Errno.NOENT);
      writeFilestat(mem, bufPtr, stat);
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
      on(a, (flags & LOOKUP_SYMLINK_FOLLOW) !== 0, (r) => {
        ensure(r.stat !== null, Errno.NOENT);
        const [at, mt] = newTimes(ctx, r.stat, atim, mtim, fstFlags);
        // The entry itself, never following a (swapped-in) final symlink; a directory named by "." is set through
        // its handle.
        if (r.name === null) a.sandbox.setDirTimes(r.dir, at, mt);
        else lutimesSync(a.sandbox.at(r.dir, r.name), at, mt);
      });
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
      on(from, (oldFlags & LOOKUP_SYMLINK_FOLLOW) !== 0, (src) => {
        ensure(src.stat !== null, Errno.NOENT);
        ensure(src.name !== null && !src.stat.isDirectory() && !src.stat.isSymbolicLink(), Errno.PERM);
        const srcPath = from.sandbox.at(src.dir, src.name);
        const srcStat = src.stat;
        on(to, false, (dst) => {
          const dstPath = to.sandbox.at(dst.dir, fresh(dst).name);
          linkSync(srcPath, dstPath);
          // The source was swapped for another entry (a symlink, say) between the lstat and the link: undo.
          const made = lstatSync(dstPath, { bigint: true, throwIfNoEntry: false });
          if (made !== undefined && !sameFile(made, srcStat)) {
            unlinkSync(dstPath);
            ensure(false, Errno.AGAIN);
          }
        });
      });
      return Errno.SUCCESS;
    },

    /** Shows a link's text only when it names nothing outside the root (see linkTextVisible); else ENOTCAPABLE. */
    path_readlink(fd: number, pathPtr: number, pathLen: number, buf: number, bufLen: number, bufusedPtr: number): number {
      const a = args(fd, Rights.PATH_READLINK, pathPtr, pathLen);
      const text = on(a, false, (r) => {
        ensure(r.stat !== null, Errno.NOENT);
        ensure(r.name !== null && r.stat.isSymbolicLink(), Errno.INVAL);
        const stored = readlinkSync(a.sandbox.at(r.dir, r.name), { encoding: 'buffer' });
        ensure(linkTextVisible(stored.toString('latin1'), r.dir.depth), Errno.NOTCAPABLE);
        return stored;
      });
      mem.check(buf, bufLen);
      mem.check(bufusedPtr, 4);
      const bytes = new Uint8Array(text);
      const n = Math.min(bytes.byteLength, bufLen >>> 0);
      mem.write(buf, bytes.subarray(0, n));
      mem.setU32(bufusedPtr, n);
      return Errno.SUCCESS;
    },

    path_remove_directory(fd: number, pathPtr: number, pathLen: number): number {
      const a = args(fd, Rights.PATH_REMOVE_DIRECTORY, pathPtr, pathLen);
      on(a, false, (r) => {
        const n = named(r);
        ensure(n.stat.isDirectory(), Errno.NOTDIR);
        rmdirSync(a.sandbox.at(n.dir, n.name));
      });
      return Errno.SUCCESS;
    },

    path_rename(fd: number, oldPtr: number, oldLen: number, newFd: number, newPtr: number, newLen: number): number {
      const from = args(fd, Rights.PATH_RENAME_SOURCE, oldPtr, oldLen);
      const to = args(newFd, Rights.PATH_RENAME_TARGET, newPtr, newLen);
      on(from, false, (r) => {
        const src = named(r);
        on(to, false, (dst) => {
          ensure(dst.name !== null || dst.dir.parent !== null, Errno.BUSY);
          ensure(dst.name !== null && !dst.endsInDot, Errno.INVAL);
          renameSync(from.sandbox.at(src.dir, src.name), to.sandbox.at(dst.dir, dst.name));
        });
      });
      return Errno.SUCCESS;
    },

    /** Symlinks: the target must be relative and downward-only (see checkGuestSymlinkTarget). */
    path_symlink(oldPtr: number, oldLen: number, fd: number, newPtr: number, newLen: number): number {
      const a = args(fd, Rights.PATH_SYMLINK, newPtr, newLen);
      ensure(oldLen >>> 0 <= PATH_MAX, Errno.NAMETOOLONG);
      const target = checkGuestSymlinkTarget(mem.readString(oldPtr, oldLen));
      on(a, false, (r) => {
        const name = fresh(r).name;
        symlinkSync(target, a.sandbox.at(r.dir, name));
      });
      return Errno.SUCCESS;
    },

    path_unlink_file(fd: number, pathPtr: number, pathLen: number): number {
      const a = args(fd, Rights.PATH_UNLINK_FILE, pathPtr, pathLen);
      on(a, false, (r) => {
        const n = named(r);
        ensure(!n.stat.isDirectory(), Errno.ISDIR);
        unlinkSync(a.sandbox.at(n.dir, n.name));
      });
      return Errno.SUCCESS;
    },
  };
}
