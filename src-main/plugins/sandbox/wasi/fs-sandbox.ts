// Resolves guest paths inside the plugin's data directory (the guest's "/"), component by component, symlinks included.
// Never yields a host path outside the root: ".." above the root and symlinks leading out are ERRNO_NOTCAPABLE, not clamped.

import { lstatSync, mkdirSync, readlinkSync, realpathSync, type BigIntStats } from 'node:fs';
import { join, win32 } from 'node:path';
import { Errno, WasiError, ensure, errnoOf } from './errno';

/** Symlinks followed while resolving one path (Linux's MAXSYMLINKS). */
export const MAX_SYMLINKS = 40;
/** Longest guest path accepted, in bytes. */
export const PATH_MAX = 4096;

const IS_WINDOWS = process.platform === 'win32';
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;

/** A guest path split up: leading "/" = from the root, trailing "/" = must be a directory. */
export interface ParsedPath {
  absolute: boolean;
  components: string[];
  trailingSlash: boolean;
}

/** Where a guest path leads, inside the root. */
export interface Resolved {
  /** Symlink-free components from the root to the object ([] = the root itself). */
  parts: string[];
  /** Host path of the object; always inside the root. */
  hostPath: string;
  /** lstat of the object, or null when it does not exist (its parent directory does). */
  stat: BigIntStats | null;
  /** lstat of the directory holding the object, taken during the walk (the root's for the root). */
  parent: BigIntStats;
  /** The guest path ended in "." or ".." (or was "/"): it names a directory by a non-name. */
  endsInDot: boolean;
  trailingSlash: boolean;
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

function lstatOrNull(hostPath: string): BigIntStats | null {
  return lstatSync(hostPath, { bigint: true, throwIfNoEntry: false }) ?? null;
}

/** Same device and inode: the object we resolved is the object we got. */
export function sameFile(a: BigIntStats, b: BigIntStats): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

export class FsSandbox {
  /** Real (symlink-free) host path of the data directory. */
  readonly root: string;

  /** Creates the data directory (mode 0o700) when missing. */
  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    this.root = realpathSync.native(dataDir);
    if (!this.rootStat().isDirectory()) throw new Error(`WASI data directory is not a directory: ${dataDir}`);
  }

  /** Host path for symlink-free parts (they never contain "/", "." or ".."). */
  hostPathOf(parts: readonly string[]): string {
    return join(this.root, ...parts);
  }

  /** Resolves `guestPath` against the directory `base` (parts from the root); absolute paths start at the root. */
  resolve(base: readonly string[], guestPath: string, followFinal: boolean): Resolved {
    const parsed = parseGuestPath(guestPath);
    const start = parsed.absolute ? parsed.components : [...base, ...parsed.components];
    const walked = this.walk(start, followFinal);
    const last = parsed.components.at(-1);
    const endsInDot = last === undefined || last === '.' || last === '..';
    if (parsed.trailingSlash && walked.stat !== null) ensure(walked.stat.isDirectory(), Errno.NOTDIR);
    return { ...walked, endsInDot, trailingSlash: parsed.trailingSlash };
  }

  /** Re-walks a directory descriptor's parts (following symlinks, inside the root) and checks it is a directory. */
  resolveDir(parts: readonly string[]): Resolved & { stat: BigIntStats } {
    const walked = this.walk([...parts], true);
    const stat = walked.stat;
    ensure(stat !== null, Errno.NOENT);
    ensure(stat.isDirectory(), Errno.NOTDIR);
    return { ...walked, stat, endsInDot: false, trailingSlash: false };
  }

  /**
   * Validates the target of a symlink the guest creates in the directory `linkDir` and returns the text to store.
   * Relative targets are stored as given but must stay inside the root, both lexically (no ".." above the root from
   * the link's directory) and when followed the way the guest would follow them. Absolute guest targets are
   * normalised and stored as a relative path, so the link also stays inside the data directory on the host.
   */
  symlinkTarget(linkDir: readonly string[], target: string): string {
    const parsed = parseGuestPath(target);
    let stored: string;
    if (parsed.absolute) {
      stored = relativeTarget(linkDir, normalise([], parsed.components));
      if (parsed.trailingSlash && stored !== '.') stored += '/';
    } else {
      normalise(linkDir, parsed.components);
      stored = target;
    }
    this.checkFollowable(linkDir, stored);
    return stored;
  }

  /** lstat of the root directory. */
  rootStat(): BigIntStats {
    return lstatSync(this.root, { bigint: true });
  }

  /** A link may dangle or loop, but following it must never be an escape. */
  private checkFollowable(linkDir: readonly string[], stored: string): void {
    const target = parseLinkTarget(stored);
    try {
      this.walk(target.absolute ? target.components : [...linkDir, ...target.components], true);
    } catch (err) {
      if (errnoOf(err) === Errno.NOTCAPABLE) throw err;
    }
  }

  /**
   * The walk: "." skipped; ".." pops (ENOTCAPABLE at the root); every other component is lstat-ed; a symlink
   * (intermediate, or final when `followFinal`) is replaced by its target's components, restarting at the root for
   * absolute targets; at most MAX_SYMLINKS links (ELOOP). Only the final component may be missing.
   */
  private walk(components: readonly string[], followFinal: boolean): Omit<Resolved, 'endsInDot' | 'trailingSlash'> {
    const stack: string[] = [];
    const stackStats: BigIntStats[] = [];
    const pending = [...components].reverse();
    let links = 0;
    for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
      if (name === '.') continue;
      if (name === '..') {
        ensure(stack.length > 0, Errno.NOTCAPABLE);
        stack.pop();
        stackStats.pop();
        continue;
      }
      const last = pending.length === 0;
      const hostPath = this.hostPathOf([...stack, name]);
      const stat = lstatOrNull(hostPath);
      const parent = stackStats.at(-1) ?? this.rootStat();
      if (stat === null) {
        ensure(last, Errno.NOENT);
        return { parts: [...stack, name], hostPath, stat: null, parent };
      }
      if (stat.isSymbolicLink() && (!last || followFinal)) {
        links += 1;
        ensure(links <= MAX_SYMLINKS, Errno.LOOP);
        const target = parseLinkTarget(readlinkSync(hostPath, 'utf8'));
        if (target.absolute) {
          stack.length = 0;
          stackStats.length = 0;
        }
        for (let i = target.components.length - 1; i >= 0; i--) pending.push(target.components[i] ?? '.');
        continue;
      }
      if (last) return { parts: [...stack, name], hostPath, stat, parent };
      ensure(stat.isDirectory(), Errno.NOTDIR);
      stack.push(name);
      stackStats.push(stat);
    }
    // The path ended in ".", ".." or nothing: it names the directory on top of the stack.
    return {
      parts: stack,
      hostPath: this.hostPathOf(stack),
      stat: stackStats.at(-1) ?? this.rootStat(),
      parent: stackStats.at(-2) ?? this.rootStat(),
    };
  }
}

/** Lexically applies `components` to `from`; ".." above the root is ENOTCAPABLE. */
function normalise(from: readonly string[], components: readonly string[]): string[] {
  const out = [...from];
  for (const c of components) {
    if (c === '.') continue;
    if (c === '..') {
      if (out.length === 0) throw new WasiError(Errno.NOTCAPABLE);
      out.pop();
    } else {
      out.push(c);
    }
  }
  return out;
}

/** The relative path from directory `from` to `to` (both parts from the root). */
function relativeTarget(from: readonly string[], to: readonly string[]): string {
  let common = 0;
  while (common < from.length && common < to.length && from[common] === to[common]) common++;
  const ups: string[] = new Array<string>(from.length - common).fill('..');
  const rel = [...ups, ...to.slice(common)].join('/');
  return rel === '' ? '.' : rel;
}
