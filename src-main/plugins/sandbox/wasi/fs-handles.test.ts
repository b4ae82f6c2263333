// The jail's directory handles: every walk gives back the host fds it opened, depth is bounded, and the rules for
// guest symlink targets and for showing link text (path_readlink) hold. Linux fd counts come from /proc/self/fd.
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Errno } from './errno';
import { MAX_DEPTH, checkGuestSymlinkTarget, linkTextVisible } from './fs-sandbox';
import { Guest } from './test-support/wasi-harness';

const linux = process.platform === 'linux';
const openFds = (): number => readdirSync('/proc/self/fd').length;

describe.runIf(linux)('directory handles (fd-relative backend)', () => {
  let g: Guest | null = null;
  afterEach(() => {
    g?.cleanup();
    g = null;
  });

  it('gives back every host fd it opened: walks, "..", symlinks, failures, directory fds', () => {
    const before = openFds();
    g = new Guest({ fsBackend: 'fd-relative' });
    const guest = g;
    guest.pathCall('path_create_directory', 'a');
    guest.pathCall('path_create_directory', 'a/b');
    guest.writeFile('a/b/f.txt', 'x');
    expect(guest.symlink('a/b', 'ab')).toBe(Errno.SUCCESS);
    const withGuest = openFds();
    for (let i = 0; i < 50; i++) {
      expect(guest.readFile('a/b/../b/f.txt').text).toBe('x');
      expect(guest.readFile('ab/f.txt').text).toBe('x');
      expect(guest.readFile('a/b/../../../x').errno).toBe(Errno.NOTCAPABLE);
      expect(guest.readFile('a/missing/f.txt').errno).toBe(Errno.NOENT);
      expect(guest.readFile('a/b/f.txt/x').errno).toBe(Errno.NOTDIR);
      expect(guest.stat('ab/f.txt').errno).toBe(Errno.SUCCESS);
    }
    expect(openFds()).toBe(withGuest);
    const dir = guest.open('a/b', { directory: true });
    expect(openFds()).toBeGreaterThan(withGuest); // the fd and its ancestors are held while it is open
    expect(guest.readFile('../../a/b/f.txt', { dirFd: dir.fd }).text).toBe('x');
    expect(guest.call('fd_close', dir.fd)).toBe(Errno.SUCCESS);
    expect(openFds()).toBe(withGuest);
    guest.cleanup();
    g = null;
    expect(openFds()).toBe(before);
  });

  it(`walks at most ${MAX_DEPTH} directories deep (ENAMETOOLONG beyond)`, () => {
    g = new Guest({
      fsBackend: 'fd-relative',
      prepare: (root) => {
        const deep = join(root, ...Array<string>(MAX_DEPTH + 1).fill('d'));
        mkdirSync(deep, { recursive: true });
        writeFileSync(join(deep, 'f'), 'deep');
      },
    });
    // Reaching the entry d×(MAX_DEPTH+1) enters MAX_DEPTH directories: allowed; its file needs one more.
    expect(g.stat(Array<string>(MAX_DEPTH + 1).fill('d').join('/')).errno).toBe(Errno.SUCCESS);
    expect(g.readFile([...Array<string>(MAX_DEPTH + 1).fill('d'), 'f'].join('/')).errno).toBe(Errno.NAMETOOLONG);
  });

  it('interprets a host link to the root\'s own name as inside the root only', () => {
    g = new Guest({
      fsBackend: 'fd-relative',
      prepare: (root) => {
        writeFileSync(join(root, 'inside.txt'), 'inside');
        symlinkSync('../data/inside.txt', join(root, 'via-parent')); // leaves and comes back: never followed
      },
    });
    expect(g.readFile('via-parent').errno).toBe(Errno.NOTCAPABLE);
    expect(g.readlink('via-parent').errno).toBe(Errno.NOTCAPABLE);
  });
});

describe('guest symlink targets: relative and downward only', () => {
  it('accepts names and downward paths, stored as given', () => {
    for (const t of ['f', 'sub/f', './f', 'a/./b', 'dir/', '.']) expect(checkGuestSymlinkTarget(t)).toBe(t);
  });

  it('refuses "..", absolute targets, empty components and NUL', () => {
    for (const t of ['..', '../f', 'a/../f', 'a/..', '/f', '/']) expect(() => checkGuestSymlinkTarget(t), t).toThrow(/errno 76/);
    expect(() => checkGuestSymlinkTarget('a//b')).toThrow(/errno 28/);
    expect(() => checkGuestSymlinkTarget('a\0b')).toThrow(/errno 28/);
    expect(() => checkGuestSymlinkTarget('')).toThrow(/errno 44/);
  });
});

describe('path_readlink shows only link text that names nothing outside', () => {
  it('by the link\'s depth below the root', () => {
    expect(linkTextVisible('f', 0)).toBe(true);
    expect(linkTextVisible('a/../b', 0)).toBe(true);
    expect(linkTextVisible('../f', 1)).toBe(true);
    expect(linkTextVisible('../../f', 2)).toBe(true);
    expect(linkTextVisible('../f', 0)).toBe(false);
    expect(linkTextVisible('../../f', 1)).toBe(false);
    expect(linkTextVisible('../data/f', 0)).toBe(false); // would tell the root's host name
    expect(linkTextVisible('a/../../f', 0)).toBe(false);
    expect(linkTextVisible('/etc', 5)).toBe(false);
    expect(linkTextVisible('/home/someone/secret', 0)).toBe(false);
    expect(linkTextVisible('', 0)).toBe(false);
  });
});
