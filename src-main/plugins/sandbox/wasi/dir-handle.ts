// Directory handles for the filesystem jail: how "the entry `name` inside this directory" reaches the kernel.
// Never lets the kernel re-walk a path string from the data dir on Linux: every operation is relative to a held fd.
//
// Why by hand: Node's fs has no openat()/mkdirat()/renameat()…, and no well-kept npm package offers them without a
// native build. On Linux, /proc/self/fd/N is a "magic link": the kernel resolves it to the open file itself (the
// directory object the fd holds), not by re-walking the name it was opened under, and then looks the rest of the
// path up inside that directory. So `mkdirSync('/proc/self/fd/N/name')` is mkdirat(N, "name"), and every *at()
// call is reachable from plain Node fs with one component after the fd. That gives the jail the same primitive
// wasmtime's cap-std uses (openat with O_NOFOLLOW, one component at a time, ancestors held by fd).
//
// Guarantees by platform:
// - Linux with /proc mounted ("fd-relative"): every path operation acts on an entry of a directory held open by fd,
//   opened component by component with O_NOFOLLOW from the data dir's own fd. A directory swapped for a symlink
//   (by the plugin in another sandbox, or by any process) between the check and the use cannot redirect the
//   operation: the kernel never follows a symlink the jail did not interpret itself. Directories held open keep
//   meaning the same directory when renamed (as with wasmtime).
// - Elsewhere, or where /proc is missing ("portable"): the same walk over host path strings, with lstat checks and
//   dev/ino comparisons before and after. It refuses every static escape, but a concurrent process that swaps a
//   directory for a symlink inside the data dir can win the window between check and use (see the security docs).
//   The sandbox prints one line saying so when it starts on this backend.

import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, type BigIntStats } from 'node:fs';
import { join } from 'node:path';
import { Errno, WasiError, ensure, errnoOf } from './errno';
import { errorCode } from '../../../../src-shared/errors';

const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const O_DIRECTORY = constants.O_DIRECTORY ?? 0;
/** Linux's O_PATH (asm-generic value; checked at start-up before use). Node does not export it. */
const LINUX_O_PATH = 0o10000000;

/** Most directory handles one sandbox may hold at once (each is a host fd on Linux); beyond it, ERRNO_NFILE. */
export const MAX_DIR_HANDLES = 4096;

export type BackendKind = 'fd-relative' | 'portable';

/** How directory handles are opened and how (directory, name) becomes something the kernel can act on. */
interface Backend {
  readonly kind: BackendKind;
  /** Opens the root (a trusted host path); returns its fd, or -1 when the backend holds no fds. */
  openRoot(path: string): number;
  /** Opens the directory entry `name` of `dir` without following a symlink; throws ENOTDIR/ELOOP when it is not one. */
  openChild(dir: DirHandle, name: string): number;
  /** A path naming the entry `name` inside `dir`: the final component is never resolved through anything but `dir`. */
  at(dir: DirHandle, name: string): string;
  /** A path naming `dir` itself (followed by calls that follow their final component: readdir, utimes, stat). */
  self(dir: DirHandle): string;
  /** Stats of the directory the handle holds; ERRNO_NOTCAPABLE when the portable backend finds it replaced. */
  stat(dir: DirHandle): BigIntStats;
  close(fd: number): void;
}

/**
 * One directory held by the jail: the data dir itself (`parent` null) or a directory reached from it. Handles are
 * reference-counted; a child holds a reference to its parent, so ".." from any handle is the very directory the walk
 * came through, never whatever the kernel's ".." is by then.
 */
export class DirHandle {
  private refs = 1;
  readonly depth: number;

  constructor(
    /** Closes the host side once the last reference goes (the owner's bookkeeping included). */
    private readonly onClose: () => void,
    /** Host fd (fd-relative backend), or -1. */
    readonly fd: number,
    /** Host path as walked (symlink-free names from the root); the portable backend's only reference. */
    readonly hostPath: string,
    /** The directory this one was reached from; null for the root. Owned: released with this handle. */
    readonly parent: DirHandle | null,
    /** dev/ino when opened (the portable backend re-checks them on every use). */
    readonly dev: bigint,
    readonly ino: bigint,
  ) {
    this.depth = parent === null ? 0 : parent.depth + 1;
  }

  retain(): this {
    this.refs++;
    return this;
  }

  release(): void {
    if (--this.refs > 0) return;
    this.onClose();
    this.parent?.release();
  }
}

/** The backend in use plus bookkeeping: opens, counts and closes the handles of one sandbox. */
export class DirHandles {
  private live = 0;

  constructor(private readonly backend: Backend) {}

  get kind(): BackendKind {
    return this.backend.kind;
  }

  openRoot(path: string): DirHandle {
    const fd = this.backend.openRoot(path);
    const stat = fd >= 0 ? fstatSync(fd, { bigint: true }) : lstatSync(path, { bigint: true });
    return this.track(fd, path, null, stat.dev, stat.ino);
  }

  /**
   * Opens the subdirectory `name` of `dir` (whose lstat the caller took: `seen`). The new handle owns a reference to
   * `dir`. Throws ENOTDIR/ELOOP when the entry is no longer a directory (it was swapped since `seen`).
   */
  openChild(dir: DirHandle, name: string, seen: BigIntStats): DirHandle {
    ensure(this.live < MAX_DIR_HANDLES, Errno.NFILE);
    const fd = this.backend.openChild(dir, name);
    let dev = seen.dev;
    let ino = seen.ino;
    if (fd >= 0) {
      const st = fstatSync(fd, { bigint: true });
      dev = st.dev;
      ino = st.ino;
    }
    return this.track(fd, join(dir.hostPath, name), dir.retain(), dev, ino);
  }

  private track(fd: number, hostPath: string, parent: DirHandle | null, dev: bigint, ino: bigint): DirHandle {
    this.live++;
    const onClose = (): void => {
      this.live--;
      if (fd >= 0) this.backend.close(fd);
    };
    return new DirHandle(onClose, fd, hostPath, parent, dev, ino);
  }

  at(dir: DirHandle, name: string): string {
    return this.backend.at(dir, name);
  }

  self(dir: DirHandle): string {
    return this.backend.self(dir);
  }

  stat(dir: DirHandle): BigIntStats {
    return this.backend.stat(dir);
  }

  /** Handles currently open (tests check that walks release what they open). */
  get open(): number {
    return this.live;
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Already closed: nothing to release.
  }
}

/** ENOTDIR or ELOOP from opening a name that is not (or no longer) a directory. */
function notADirectory(err: unknown): never {
  const errno = errnoOf(err);
  if (errno === Errno.LOOP || errno === Errno.NOTDIR) throw new WasiError(Errno.NOTDIR);
  throw err;
}

function fdRelative(dirFlags: number): Backend {
  return {
    kind: 'fd-relative',
    openRoot: (path) => openSync(path, dirFlags),
    openChild: (dir, name) => {
      try {
        return openSync(`/proc/self/fd/${dir.fd}/${name}`, dirFlags);
      } catch (err) {
        return notADirectory(err);
      }
    },
    at: (dir, name) => `/proc/self/fd/${dir.fd}/${name}`,
    self: (dir) => `/proc/self/fd/${dir.fd}`,
    stat: (dir) => fstatSync(dir.fd, { bigint: true }),
    close: closeQuietly,
  };
}

const portable: Backend = {
  kind: 'portable',
  openRoot: () => -1,
  openChild: (dir, name) => {
    const st = lstatSync(join(dir.hostPath, name), { bigint: true });
    if (!st.isDirectory()) throw new WasiError(Errno.NOTDIR);
    return -1;
  },
  at: (dir, name) => join(dir.hostPath, name),
  self: (dir) => dir.hostPath,
  stat: (dir) => {
    const st = lstatSync(dir.hostPath, { bigint: true, throwIfNoEntry: false });
    // Replaced (by a symlink, or another directory) since the walk reached it: refuse rather than follow.
    ensure(st !== undefined && st.isDirectory() && st.dev === dir.dev && st.ino === dir.ino, Errno.NOTCAPABLE);
    return st;
  },
  close: () => undefined,
};

/**
 * Checks, on this machine, that /proc/self/fd/N resolves to the directory fd N holds (and that O_PATH behaves as
 * O_PATH); returns the fd-relative backend when it does. `root` is an existing directory to probe with.
 */
function probeFdRelative(root: string): { backend: Backend } | { why: string } {
  if (process.platform !== 'linux') return { why: `${process.platform} has no /proc/self/fd` };
  const base = O_DIRECTORY | O_NOFOLLOW;
  for (const extra of [LINUX_O_PATH, constants.O_RDONLY]) {
    let fd = -1;
    try {
      fd = openSync(root, base | extra);
      if (extra === LINUX_O_PATH) {
        // An O_PATH fd cannot be read; if this read "works" the flag means something else here.
        let readable = true;
        try {
          readSync(fd, Buffer.alloc(1));
        } catch (err) {
          readable = errorCode(err) !== 'EBADF';
        }
        if (readable) continue;
      }
      const held = fstatSync(fd, { bigint: true });
      const viaProc = lstatSync(`/proc/self/fd/${fd}/.`, { bigint: true });
      if (held.dev === viaProc.dev && held.ino === viaProc.ino) return { backend: fdRelative(base | extra) };
    } catch {
      // Try the next flag set; the portable backend is the last resort.
    } finally {
      if (fd >= 0) closeQuietly(fd);
    }
  }
  return { why: '/proc/self/fd does not resolve directory fds here (is /proc mounted?)' };
}

let chosen: { backend: Backend; why: string | null } | null = null;

/**
 * The backend for this process, chosen once: fd-relative where the probe passes, else portable with one line on
 * stderr saying why and what it means. `force` is for tests that run the portable backend on Linux.
 */
export function dirHandles(root: string, force?: BackendKind): DirHandles {
  if (force === 'portable') return new DirHandles(portable);
  if (chosen === null) {
    const probe = probeFdRelative(root);
    if ('backend' in probe) {
      chosen = { backend: probe.backend, why: null };
    } else {
      chosen = { backend: portable, why: probe.why };
      process.stderr.write(
        `conductor sandbox: the filesystem jail uses portable path checks (${probe.why}); they refuse every escape ` +
          'but cannot win a race against a process that swaps directories inside the data directory while a plugin runs\n',
      );
    }
  }
  if (force === 'fd-relative' && chosen.backend.kind !== 'fd-relative') throw new Error(`fd-relative filesystem jail unavailable: ${chosen.why}`);
  return new DirHandles(chosen.backend);
}
