// Swap-between-check-and-open tests for path_open: the object is replaced right after resolution, before the open.
// Never touches anything outside the test's own temp directory.

import { closeSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIR_INHERITING, DIR_RIGHTS, Oflags, Rights } from './abi';
import { Errno, errnoOf } from './errno';
import type { DirEntry } from './fd-table';
import { FsSandbox, type Resolved } from './fs-sandbox';
import { openPath, type OpenRequest } from './path-open';

/** A sandbox that lets the test change the disk right after each resolution (the race window). */
class RacingSandbox extends FsSandbox {
  constructor(
    dataDir: string,
    private readonly race: () => void,
  ) {
    super(dataDir);
  }

  override resolve(base: readonly string[], guestPath: string, followFinal: boolean): Resolved {
    const resolved = super.resolve(base, guestPath, followFinal);
    this.race();
    return resolved;
  }
}

const rootDir: DirEntry = {
  kind: 'dir',
  parts: [],
  preopenName: '/',
  listing: null,
  rightsBase: DIR_RIGHTS,
  rightsInheriting: DIR_INHERITING,
  fdflags: 0,
};

const readWriteTrunc: OpenRequest = {
  oflags: Oflags.TRUNC,
  fdflags: 0,
  rightsBase: Rights.FD_READ | Rights.FD_WRITE,
  rightsInheriting: 0n,
  follow: true,
};

function errnoOfOpen(sandbox: FsSandbox, path: string, req: OpenRequest): number {
  try {
    const entry = openPath(sandbox, rootDir, path, req);
    if (entry.kind === 'file') closeSync(entry.hostFd);
    return Errno.SUCCESS;
  } catch (err) {
    return errnoOf(err) ?? -1;
  }
}

describe.runIf(process.platform !== 'win32')('path_open defeats a swap between resolution and open', () => {
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

  it('an intermediate directory swapped for a symlink out: refused before truncating', () => {
    const sandbox = new RacingSandbox(root, () => {
      renameSync(join(root, 'a'), join(root, 'a-old'));
      symlinkSync(outside, join(root, 'a'));
    });
    expect(errnoOfOpen(sandbox, 'a/file.txt', readWriteTrunc)).toBe(Errno.NOTCAPABLE);
    expect(readFileSync(join(outside, 'file.txt'), 'utf8')).toBe('outside, must survive');
  });

  it('the final file swapped for a symlink out: O_NOFOLLOW refuses it', () => {
    const sandbox = new RacingSandbox(root, () => {
      rmSync(join(root, 'a', 'file.txt'));
      symlinkSync(join(outside, 'file.txt'), join(root, 'a', 'file.txt'));
    });
    expect(errnoOfOpen(sandbox, 'a/file.txt', readWriteTrunc)).toBe(Errno.LOOP);
    expect(readFileSync(join(outside, 'file.txt'), 'utf8')).toBe('outside, must survive');
  });

  it('the final file swapped for another file: the dev/ino check refuses it', () => {
    writeFileSync(join(root, 'other.txt'), 'other');
    const sandbox = new RacingSandbox(root, () => renameSync(join(root, 'other.txt'), join(root, 'a', 'file.txt')));
    expect(errnoOfOpen(sandbox, 'a/file.txt', readWriteTrunc)).toBe(Errno.NOTCAPABLE);
    expect(readFileSync(join(root, 'a', 'file.txt'), 'utf8')).toBe('other');
  });

  it('a file appearing between resolution and O_EXCL creation: resolved again, then opened', () => {
    let raced = false;
    const sandbox = new RacingSandbox(root, () => {
      if (raced) return;
      raced = true;
      writeFileSync(join(root, 'late.txt'), 'appeared');
    });
    const req: OpenRequest = { ...readWriteTrunc, oflags: Oflags.CREAT };
    expect(errnoOfOpen(sandbox, 'late.txt', req)).toBe(Errno.SUCCESS);
    expect(errnoOfOpen(sandbox, 'late.txt', { ...req, oflags: Oflags.CREAT | Oflags.EXCL })).toBe(Errno.EXIST);
  });
});
