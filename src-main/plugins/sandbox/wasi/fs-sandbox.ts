// Resolves guest paths inside the plugin's data directory (the guest's "/"), one component at a time from a held
// directory handle, interpreting every symlink itself. Never yields anything outside the root: ".." above the root and
// symlinks leading out are ERRNO_NOTCAPABLE (never clamped), and the kernel is never asked to follow a symlink.

import { lstatSync, lutimesSync, mkdirSync, readlinkSync, realpathSync, utimesSync, type BigIntStats } from 'node:fs';
import { win32 } from 'node:path';
import { dirHandles, type BackendKind, type DirHandle, type DirHandles } from './dir-handle';
import { Errno, WasiError, ensure, errnoOf } from './errno';

/** Symlinks followed while resolving one path (Linux's MAXSYMLINKS). */
export const MAX_SYMLINKS = 40;
/** Longest guest path accepted, in bytes. */
export const PATH_MAX = 4096;
/** Deepest directory a walk may reach below the root (each level holds a host fd while walking). */
export const MAX_DEPTH = 512;
/** How often one operation re-resolves after finding that an entry changed under it before giving up (EAGAIN). */
const MAX_RETRIES = 64;

const IS_WINDOWS = process.platform === 'win32';
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;

/** A guest path split up: leading "/" = from the root, trailing "/" = must be a directory. */
export interface ParsedPath {
  absolute: boolean;
  components: string[];
  trailingSlash: boolean;
}

/**
 * Where a guest path leads: the entry `name` of the directory `dir` (both inside the root), or `dir` itself when
 * `name` is null (the path was "/", "." or ended in ".."). The caller owns `dir` and must call `release()`.
 */
export interface Resolved {
  dir: DirHandle;
  name: string | null;
  /** lstat of the entry (of `dir` when name is null), or null when it does not exist (its directory does). */
  stat: BigIntStats | null;
  /** The guest path ended in "." or ".." (or was "/"): it names a directory by a non-name. */
  endsInDot: boolean;
  trailingSlash: boolean;
  release(): void;
}

/** Thrown by an operation that found the entry it resolved replaced before it could act; it resolves again. */
export class Raced extends Error {
  constructor() {
    super('the entry changed between resolution and use');
  }
}

/**
 * Splits a guest path. Rules: "" is ENOENT; NUL is EINVAL; an empty component inside the path ("a//b") is
 * EINVAL; one leading "/" means "from the root"; one trailing "/" requires a directory.
 */
export function parseGuestPath(path: string): ParsedPath {
  ensure(path.length > 0, Errno.NOENT);
  ensure(!path.includes('\0'), Errno.INVAL);
  let rest = path;
  const absolute = rest.startsWith('/');
  if (absolute) rest = rest.slice(1);
  const trailingSlash = rest.endsWith('/');
  if (trailingSlash) rest = rest.slice(0, -1);
  const components = rest === '' ? [] : rest.split('/');
  for (const c of components) checkComponent(c, Errno.INVAL);
  return { absolute, components, trailingSlash };
}

function checkComponent(name: string, errno: typeof Errno.INVAL | typeof Errno.NOTCAPABLE): void {
  ensure(name !== '', errno);
  if (!IS_WINDOWS || name === '.' || name === '..') return;
  // On Windows "\" and ":" (drives, streams), device names and trailing dots/spaces (stripped by Win32, so "..."
  // could alias "..") would let a component mean more than a name.
  ensure(!/[\\:]/.test(name) && !/[. ]$/.test(name) && !WINDOWS_RESERVED.test(name), errno);
}

/** Splits a symlink's stored target; absolute targets are relative to the root, empty components ignored. */
function parseLinkTarget(target: string): ParsedPath {
  ensure(target.length > 0, Errno.NOENT);
  let text = target;
  if (IS_WINDOWS) {
    ensure(!win32.isAbsolute(text) || text.startsWith('/'), Errno.NOTCAPABLE); // drive / UNC targets
    text = text.replaceAll('\\', '/');
  }
  const components = text.split('/').filter((c) => c !== '');
  for (const c of components) checkComponent(c, Errno.NOTCAPABLE);
  return { absolute: text.startsWith('/'), components, trailingSlash: text.endsWith('/') };
}

/** Same device and inode: the object we resolved is the object we got. */
export function sameFile(a: BigIntStats, b: BigIntStats): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

export class FsSandbox {
  /** Real (symlink-free) host path of the data directory. */
  private readonly rootPath: string;
  private readonly handles: DirHandles;
  private rootHandle: DirHandle | null;

  /** Creates the data directory (mode 0o700) when missing. `backend` forces one (tests). */
  constructor(dataDir: string, backend?: BackendKind) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    this.rootPath = realpathSync.native(dataDir);
    if (!lstatSync(this.rootPath).isDirectory()) throw new Error(`WASI data directory is not a directory: ${dataDir}`);
    this.handles = dirHandles(this.rootPath, backend);
    this.rootHandle = this.handles.openRoot(this.rootPath);
  }

  /** Which jail backend this sandbox runs on (see dir-handle.ts for what each guarantees). */
  get backend(): BackendKind {
    return this.handles.kind;
  }

  /** The root handle (the caller gets its own reference). */
  root(): DirHandle {
    ensure(this.rootHandle !== null, Errno.BADF);
    return this.rootHandle.retain();
  }

  /** Releases the sandbox's own reference to the root (after every guest fd is closed, the root fd closes too). */
  dispose(): void {
    this.rootHandle?.release();
    this.rootHandle = null;
  }

  /** Directory handles open now (tests check that nothing leaks). */
  get openHandles(): number {
    return this.handles.open;
  }

  /** Opens the subdirectory `name` of `dir` (lstat-ed as `seen`); ENOTDIR when it was swapped for something else. */
  openDir(dir: DirHandle, name: string, seen: BigIntStats): DirHandle {
    return this.handles.openChild(dir, name, seen);
  }

  /** A path naming `name` inside `dir` for one host call that does not follow its final component. */
  at(dir: DirHandle, name: string): string {
    return this.handles.at(dir, name);
  }

  /** A path naming the directory `dir` itself (for calls that follow it: readdir, utimes). */
  self(dir: DirHandle): string {
    return this.handles.self(dir);
  }

  /** Sets a held directory's timestamps (through its handle; the portable backend after checking it is unchanged). */
  setDirTimes(dir: DirHandle, atime: number, mtime: number): void {
    this.statDir(dir);
    if (this.backend === 'fd-relative') utimesSync(this.self(dir), atime, mtime); // follows only the magic link
    else lutimesSync(this.self(dir), atime, mtime);
  }

  /** Stats of a held directory (ENOTCAPABLE when the portable backend finds it replaced). */
  statDir(dir: DirHandle): BigIntStats {
    return this.handles.stat(dir);
  }

  /** Resolves `guestPath` against the directory `base`; absolute paths start at the root. */
  resolve(base: DirHandle, guestPath: string, followFinal: boolean): Resolved {
    const parsed = parseGuestPath(guestPath);
    const start = parsed.absolute ? this.root() : base.retain();
    const walked = this.walk(start, parsed.components, followFinal);
    const last = parsed.components.at(-1);
    const endsInDot = last === undefined || last === '.' || last === '..';
    if (parsed.trailingSlash && walked.stat !== null && !walked.stat.isDirectory()) {
      walked.dir.release();
      throw new WasiError(Errno.NOTDIR);
    }
    let released = false;
    return {
      ...walked,
      endsInDot,
      trailingSlash: parsed.trailingSlash,
      release: () => {
        if (!released) walked.dir.release();
        released = true;
      },
    };
  }

  /**
   * Runs `body` on the resolution of `guestPath`, releasing it afterwards. When `body` throws Raced (the entry was
   * replaced between resolution and use), resolves again, at most MAX_RETRIES times (then EAGAIN).
   */
  with<T>(base: DirHandle, guestPath: string, followFinal: boolean, body: (r: Resolved) => T): T {
    for (let attempt = 0; ; attempt++) {
      const r = this.resolve(base, guestPath, followFinal);
      try {
        return body(r);
      } catch (err) {
        if (!(err instanceof Raced)) throw err;
        ensure(attempt < MAX_RETRIES, Errno.AGAIN);
      } finally {
        r.release();
      }
    }
  }

  /** lstat of `name` inside `dir`, or null when there is no such entry. */
  lstatAt(dir: DirHandle, name: string): BigIntStats | null {
    return lstatSync(this.at(dir, name), { bigint: true, throwIfNoEntry: false }) ?? null;
  }

  /**
   * The walk, from `start` (owned: released on error, or handed on in the result): "." skipped; ".." moves to the
   * handle the walk came through (ENOTCAPABLE at the root); every other component is lstat-ed inside the current
   * directory; a symlink (intermediate, or final when `followFinal`) is replaced by its target's components,
   * restarting at the root for absolute targets; at most MAX_SYMLINKS links (ELOOP). Directories are entered by
   * opening them relative to the current one with O_NOFOLLOW; one that turns into something else between the lstat
   * and the open is looked at again. Only the final component may be missing.
   */
  private walk(start: DirHandle, components: readonly string[], followFinal: boolean): Omit<Resolved, 'endsInDot' | 'trailingSlash' | 'release'> {
    let cur = start;
    const pending = [...components].reverse();
    let links = 0;
    let retries = 0;
    try {
      for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
        if (name === '.') continue;
        if (name === '..') {
          const up = cur.parent;
          ensure(up !== null, Errno.NOTCAPABLE);
          up.retain();
          cur.release();
          cur = up;
          continue;
        }
        const last = pending.length === 0;
        const stat = this.lstatAt(cur, name);
        if (stat === null) {
          ensure(last, Errno.NOENT);
          return { dir: cur, name, stat: null };
        }
        if (stat.isSymbolicLink() && (!last || followFinal)) {
          links += 1;
          ensure(links <= MAX_SYMLINKS, Errno.LOOP);
          const target = parseLinkTarget(this.readlinkAt(cur, name));
          if (target.absolute) {
            const root = this.root();
            cur.release();
            cur = root;
          }
          for (let i = target.components.length - 1; i >= 0; i--) pending.push(target.components[i] ?? '.');
          continue;
        }
        if (last) return { dir: cur, name, stat };
        ensure(stat.isDirectory(), Errno.NOTDIR);
        ensure(cur.depth < MAX_DEPTH, Errno.NAMETOOLONG);
        let child: DirHandle;
        try {
          child = this.openDir(cur, name, stat);
        } catch (err) {
          // Swapped for something else since the lstat: look at the entry again.
          if (errnoOf(err) !== Errno.NOTDIR && errnoOf(err) !== Errno.NOENT) throw err;
          ensure(++retries <= MAX_RETRIES, Errno.AGAIN);
          pending.push(name);
          continue;
        }
        cur.release(); // the child holds its own reference to its parent
        cur = child;
      }
      // The path ended in ".", ".." or nothing: it names the current directory itself.
      return { dir: cur, name: null, stat: this.statDir(cur) };
    } catch (err) {
      cur.release();
      throw err;
    }
  }

  /** The stored text of the symlink `name` inside `dir`. */
  private readlinkAt(dir: DirHandle, name: string): string {
    return readlinkSync(this.at(dir, name), 'utf8');
  }
}

/**
 * Checks the target of a symlink the guest creates. Only relative, downward targets are allowed ("file",
 * "sub/dir/file", "./x"): no "..", nothing absolute. Such a link points inside the directory that holds it wherever
 * that directory is moved, so no rename — by this sandbox, another one, or the user — can make a guest-created link
 * lead out of the data directory, and host tools that follow it stay inside too. Returns the text to store.
 */
export function checkGuestSymlinkTarget(target: string): string {
  const parsed = parseGuestPath(target);
  ensure(!parsed.absolute, Errno.NOTCAPABLE);
  for (const c of parsed.components) {
    ensure(c !== '..', Errno.NOTCAPABLE);
    checkComponent(c, Errno.NOTCAPABLE);
  }
  return target;
}

/**
 * Whether the stored text of a link at depth `depth` below the root may be shown to the guest (path_readlink):
 * only relative targets that, applied lexically from the link's directory, never rise above the root. Anything else
 * (an absolute host path, "../../home/…") would tell the guest names outside its data directory.
 */
export function linkTextVisible(text: string, depth: number): boolean {
  if (text.length === 0 || text.startsWith('/') || text.includes('\0')) return false;
  if (IS_WINDOWS && (win32.isAbsolute(text) || text.includes('\\'))) return false;
  let level = depth;
  for (const c of text.split('/')) {
    if (c === '..') level--;
    else if (c !== '' && c !== '.') level++;
    if (level < 0) return false;
  }
  return true;
}
