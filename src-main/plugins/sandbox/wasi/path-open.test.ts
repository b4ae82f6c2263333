// Swap-between-check-and-open tests for path_open: the object is replaced right after resolution, before the open.
// Never touches anything outside the test's own temp directory.

import { closeSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIR_INHERITING, DIR_RIGHTS, Oflags, Rights } from './constants';
import { Errno, errnoOf } from './errno';
import type { DirEntry } from './fd-table';
import type { BackendKind, DirHandle } from './dir-handle';
import { FsSandbox, type Resolved } from './fs-sandbox';
import { openPath, type OpenRequest } from './path-open';

/** A sandbox that lets the test change the disk right after the first resolution (the race window). */
class RacingSandbox extends FsSandbox {
  private raced = false;
  constructor(
    dataDir: string,
    backend: BackendKind,
    private readonly race: () => void,
  ) {
    super(dataDir, backend);
  }

  override resolve(base: DirHandle, guestPath: string, followFinal: boolean): Resolved {
    const resolved = super.resolve(base, guestPath, followFinal);
    if (!this.raced) {
      this.raced = true;
      this.race();
    }
    return resolved;
  }
}

function rootDir(sandbox: FsSandbox): DirEntry {
  return {
    kind: 'dir',
    handle: sandbox.root(),
    preopenName: '/',
    listing: null,
    rightsBase: DIR_RIGHTS,
    rightsInheriting: DIR_INHERITING,
    fdflags: 0,
  };
}

const readWriteTrunc: OpenRequest = {
  oflags: Oflags.TRUNC,
  fdflags: 0,
  rightsBase: Rights.FD_READ | Rights.FD_WRITE,
  rightsInheriting: 0n,
  follow: true,
};

function errnoOfOpen(sandbox: FsSandbox, path: string, req: OpenRequest): number {
  const dir = rootDir(sandbox);
  try {
    const entry = openPath(sandbox, dir, path, req);
    if (entry.kind === 'file') closeSync(entry.hostFd);
    if (entry.kind === 'dir') entry.handle.release();
    return Errno.SUCCESS;
  } catch (err) {
    return errnoOf(err) ?? -1;
  } finally {
    dir.handle.release();
  }
}

const backends: BackendKind[] = process.platform === 'linux' ? ['fd-relative', 'portable'] : ['portable'];

describe.runIf(process.platform !== 'win32').each(backends)('path_open defeats a swap between resolution and open (%s)', (backend) => {
  let top: string;
  let root: string;
  let outside: string;
  beforeEach(() => {
    top = mkdtempSync(join(tmpdir(), 'conductor-wasi-race-'));
    root = join(top, 'data');
    outside = join(top, 'outside');
    mkdirSync(join(root, 'a'), { recursive: true });
    mkdirSync(outside);
    writeFileSync(join(root, 'a', 'file.txt'), 'inside');
    writeFileSync(join(outside, 'file.txt'), 'outside, must survive');
  });
  afterEach(() => rmSync(top, { recursive: true, force: true }));

  it('an intermediate directory swapped for a symlink out: never reaches outside', () => {
    const sandbox = new RacingSandbox(root, backend, () => {
      renameSync(join(root, 'a'), join(root, 'a-old'));
      symlinkSync(outside, join(root, 'a'));
    });
    const errno = errnoOfOpen(sandbox, 'a/file.txt', readWriteTrunc);
    if (backend === 'fd-relative') {
      // The walk holds `a` open: the open lands in the directory it resolved, now called a-old.
      expect(errno).toBe(Errno.SUCCESS);
      expect(readFileSync(join(root, 'a-old', 'file.txt'), 'utf8')).toBe('');
    } else {
      // The portable backend notices the swap and resolves again: the link's absolute target is inside the root.
      expect(errno).toBe(Errno.NOENT);
      expect(readFileSync(join(root, 'a-old', 'file.txt'), 'utf8')).toBe('inside');
    }
    expect(readFileSync(join(outside, 'file.txt'), 'utf8')).toBe('outside, must survive');
    sandbox.dispose();
    expect(sandbox.openHandles).toBe(0);
  });

  it('the final file swapped for a symlink out: O_NOFOLLOW refuses it, and the new link is followed inside', () => {
    const sandbox = new RacingSandbox(root, backend, () => {
      rmSync(join(root, 'a', 'file.txt'));
      symlinkSync(join(outside, 'file.txt'), join(root, 'a', 'file.txt'));
    });
    expect(errnoOfOpen(sandbox, 'a/file.txt', readWriteTrunc)).toBe(Errno.NOENT);
    expect(readFileSync(join(outside, 'file.txt'), 'utf8')).toBe('outside, must survive');
    sandbox.dispose();
  });

  it('the final file swapped for another file: the dev/ino check sees it and opens what is there now', () => {
    writeFileSync(join(root, 'other.txt'), 'other');
    const sandbox = new RacingSandbox(root, backend, () => renameSync(join(root, 'other.txt'), join(root, 'a', 'file.txt')));
    expect(errnoOfOpen(sandbox, 'a/file.txt', { ...readWriteTrunc, oflags: 0 })).toBe(Errno.SUCCESS);
    expect(readFileSync(join(root, 'a', 'file.txt'), 'utf8')).toBe('other');
    sandbox.dispose();
  });

  it('a file appearing between resolution and O_EXCL creation: resolved again, then opened', () => {
    const sandbox = new RacingSandbox(root, backend, () => writeFileSync(join(root, 'late.txt'), 'appeared'));
    const req: OpenRequest = { ...readWriteTrunc, oflags: Oflags.CREAT };
    expect(errnoOfOpen(sandbox, 'late.txt', req)).toBe(Errno.SUCCESS);
    expect(errnoOfOpen(sandbox, 'late.txt', { ...req, oflags: Oflags.CREAT | Oflags.EXCL })).toBe(Errno.EXIST);
    sandbox.dispose();
  });
});
