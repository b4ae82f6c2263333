// Tests for WASI filesystem calls inside the data directory, checked against the real host files.
// Never touches anything outside the harness's temp directory.

import { existsSync, lstatSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Filetype, Rights } from './constants';
import type { BackendKind } from './dir-handle';
import { Errno } from './errno';
import { Guest } from './test-support/wasi-harness';

const posix = process.platform !== 'win32';

/** Both jail backends on Linux (dir-handle.ts); only the portable one elsewhere. */
const backends: BackendKind[] = process.platform === 'linux' ? ['fd-relative', 'portable'] : ['portable'];

describe.each(backends)('WASI filesystem inside the data directory (%s)', (backend) => {
  let g: Guest;
  beforeEach(() => {
    g = new Guest({ fsBackend: backend });
  });
  afterEach(() => g.cleanup());

  it('preopens the data directory as fd 3 named "/" and nothing else', () => {
    const prestat = g.alloc(8);
    expect(g.call('fd_prestat_get', 3, prestat)).toBe(Errno.SUCCESS);
    expect(g.bytes()[prestat]).toBe(0); // preopentype dir
    expect(g.u32(prestat + 4)).toBe(1);
    const name = g.alloc(8);
    expect(g.call('fd_prestat_dir_name', 3, name, 1)).toBe(Errno.SUCCESS);
    expect(g.text(name, 1)).toBe('/');
    expect(g.call('fd_prestat_dir_name', 3, name, 0)).toBe(Errno.NAMETOOLONG);
    expect(g.call('fd_prestat_get', 4, prestat)).toBe(Errno.BADF);
    expect(g.call('fd_prestat_get', 1, prestat)).toBe(Errno.BADF);
    const fdstat = g.alloc(24);
    expect(g.call('fd_fdstat_get', 3, fdstat)).toBe(Errno.SUCCESS);
    expect(g.bytes()[fdstat]).toBe(Filetype.DIRECTORY);
    expect(g.u64(fdstat + 8) & Rights.PATH_OPEN).toBe(Rights.PATH_OPEN);
  });

  it('creates, writes and reads a file; the host sees the same bytes; mode is 0o600', () => {
    expect(g.writeFile('notes.txt', 'hello sandbox')).toBe(Errno.SUCCESS);
    expect(readFileSync(join(g.root, 'notes.txt'), 'utf8')).toBe('hello sandbox');
    expect(g.readFile('notes.txt')).toEqual({ errno: Errno.SUCCESS, text: 'hello sandbox' });
    if (posix) expect(statSync(join(g.root, 'notes.txt')).mode & 0o777).toBe(0o600);
  });

  it('treats "/x" and "x" (and "./x") as the same file', () => {
    expect(g.writeFile('/my-data.json', '{"a":1}')).toBe(Errno.SUCCESS);
    expect(readFileSync(join(g.root, 'my-data.json'), 'utf8')).toBe('{"a":1}');
    expect(g.readFile('my-data.json').text).toBe('{"a":1}');
    expect(g.readFile('./my-data.json').text).toBe('{"a":1}');
    expect(g.stat('/my-data.json').stat?.ino).toBe(g.stat('my-data.json').stat?.ino);
    // An absolute path from a subdirectory fd still starts at the root.
    expect(g.pathCall('path_create_directory', 'sub')).toBe(Errno.SUCCESS);
    const sub = g.open('sub', { directory: true });
    expect(sub.errno).toBe(Errno.SUCCESS);
    expect(g.readFile('/my-data.json', { dirFd: sub.fd }).text).toBe('{"a":1}');
    expect(g.readFile('../my-data.json', { dirFd: sub.fd }).text).toBe('{"a":1}');
  });

  it('seeks, tells, preads and pwrites with i64 offsets', () => {
    const { fd } = g.open('f.bin', { read: true, write: true, create: true });
    expect(g.write(fd, '0123456789').n).toBe(10);
    const out = g.alloc(8);
    expect(g.call('fd_seek', fd, 2n, 0, out)).toBe(Errno.SUCCESS);
    expect(g.u64(out)).toBe(2n);
    expect(g.read(fd, 3).text).toBe('234');
    expect(g.call('fd_seek', fd, -2n, 1, out)).toBe(Errno.SUCCESS);
    expect(g.u64(out)).toBe(3n);
    expect(g.call('fd_seek', fd, -1n, 2, out)).toBe(Errno.SUCCESS);
    expect(g.u64(out)).toBe(9n);
    expect(g.call('fd_seek', fd, -100n, 1, out)).toBe(Errno.INVAL);
    expect(g.call('fd_seek', fd, 0n, 7, out)).toBe(Errno.INVAL);
    expect(g.call('fd_tell', fd, out)).toBe(Errno.SUCCESS);
    expect(g.u64(out)).toBe(9n);

    const [p, len] = g.put('AB');
    const iov = g.alloc(8);
    g.view().setUint32(iov, p, true);
    g.view().setUint32(iov + 4, len, true);
    const n = g.alloc(4);
    expect(g.call('fd_pwrite', fd, iov, 1, 4n, n)).toBe(Errno.SUCCESS);
    expect(g.u32(n)).toBe(2);
    const buf = g.alloc(16);
    g.view().setUint32(iov, buf, true);
    g.view().setUint32(iov + 4, 6, true);
    expect(g.call('fd_pread', fd, iov, 1, 2n, n)).toBe(Errno.SUCCESS);
    expect(g.text(buf, g.u32(n))).toBe('23AB67');
    expect(g.call('fd_tell', fd, out)).toBe(Errno.SUCCESS);
    expect(g.u64(out)).toBe(9n); // pread/pwrite leave the offset alone
    expect(readFileSync(join(g.root, 'f.bin'), 'utf8')).toBe('0123AB6789');
  });

  it('reads into several iovecs and stops at end of file', () => {
    writeFileSync(join(g.root, 'abc.txt'), 'abcdef');
    const { fd } = g.open('abc.txt');
    const a = g.alloc(4);
    const b = g.alloc(16);
    const iov = g.alloc(16);
    g.view().setUint32(iov, a, true);
    g.view().setUint32(iov + 4, 4, true);
    g.view().setUint32(iov + 8, b, true);
    g.view().setUint32(iov + 12, 16, true);
    const n = g.alloc(4);
    expect(g.call('fd_read', fd, iov, 2, n)).toBe(Errno.SUCCESS);
    expect(g.u32(n)).toBe(6);
    expect(g.text(a, 4) + g.text(b, 2)).toBe('abcdef');
    expect(g.call('fd_read', fd, iov, 2, n)).toBe(Errno.SUCCESS);
    expect(g.u32(n)).toBe(0);
  });

  it('stats files and directories, sets size and times', () => {
    g.writeFile('s.txt', '12345');
    const viaPath = g.stat('s.txt');
    expect(viaPath.errno).toBe(Errno.SUCCESS);
    expect(viaPath.stat?.filetype).toBe(Filetype.REGULAR_FILE);
    expect(viaPath.stat?.size).toBe(5n);
    expect(viaPath.stat?.nlink).toBe(1n);
    const { fd } = g.open('s.txt', { read: true, write: true });
    expect(g.fstat(fd).stat?.ino).toBe(viaPath.stat?.ino);
    expect(g.call('fd_filestat_set_size', fd, 2n)).toBe(Errno.SUCCESS);
    expect(readFileSync(join(g.root, 's.txt'), 'utf8')).toBe('12');
    expect(g.call('fd_allocate', fd, 0n, 10n)).toBe(Errno.SUCCESS);
    expect(statSync(join(g.root, 's.txt')).size).toBe(10);

    const mtime = 1_600_000_000_000_000_000n;
    expect(g.call('fd_filestat_set_times', fd, 0n, mtime, 4)).toBe(Errno.SUCCESS); // MTIM
    expect(statSync(join(g.root, 's.txt')).mtimeMs).toBe(1_600_000_000_000);
    const [p, len] = g.put('s.txt');
    expect(g.call('path_filestat_set_times', 3, 1, p, len, mtime, mtime + 5_000_000_000n, 5)).toBe(Errno.SUCCESS);
    expect(statSync(join(g.root, 's.txt')).mtimeMs).toBe(1_600_000_005_000);
    expect(g.call('path_filestat_set_times', 3, 1, p, len, 0n, 0n, 3)).toBe(Errno.INVAL); // ATIM + ATIM_NOW

    expect(g.fstat(3).stat?.filetype).toBe(Filetype.DIRECTORY);
    expect(g.stat('.').stat?.ino).toBe(g.fstat(3).stat?.ino);
    expect(g.stat('/').stat?.filetype).toBe(Filetype.DIRECTORY);
    expect(g.stat('missing').errno).toBe(Errno.NOENT);
  });

  it('lists a directory with fd_readdir, across several small buffers', () => {
    g.writeFile('b.txt', 'b');
    g.writeFile('a.txt', 'a');
    g.pathCall('path_create_directory', 'sub');
    const dir = g.open('.', { directory: true });
    expect(dir.errno).toBe(Errno.SUCCESS);
    const all = g.readdir(dir.fd);
    expect(all.errno).toBe(Errno.SUCCESS);
    expect(all.entries.map((e) => e.name)).toEqual(['.', '..', 'a.txt', 'b.txt', 'sub']);
    expect(all.entries.map((e) => e.type)).toEqual([
      Filetype.DIRECTORY,
      Filetype.DIRECTORY,
      Filetype.REGULAR_FILE,
      Filetype.REGULAR_FILE,
      Filetype.DIRECTORY,
    ]);
    expect(all.entries[2]?.ino).toBe(BigInt(lstatSync(join(g.root, 'a.txt'), { bigint: true }).ino));
    // ".." of the root is the root itself, not the host directory above it.
    expect(all.entries[1]?.ino).toBe(all.entries[0]?.ino);
    const small = g.readdir(dir.fd, 40);
    expect(small.entries.map((e) => e.name)).toEqual(['.', '..', 'a.txt', 'b.txt', 'sub']);
    // The preopen itself can be listed too.
    expect(g.readdir(3).entries.map((e) => e.name)).toEqual(['.', '..', 'a.txt', 'b.txt', 'sub']);
    expect(g.call('fd_readdir', dir.fd, g.alloc(64), 64, 99n, g.alloc(4))).toBe(Errno.SUCCESS);
  });

  it('renames, unlinks, makes and removes directories', () => {
    g.writeFile('old.txt', 'x');
    expect(g.rename('old.txt', 'new.txt')).toBe(Errno.SUCCESS);
    expect(existsSync(join(g.root, 'old.txt'))).toBe(false);
    expect(readFileSync(join(g.root, 'new.txt'), 'utf8')).toBe('x');
    expect(g.rename('missing', 'x')).toBe(Errno.NOENT);

    expect(g.pathCall('path_create_directory', 'd')).toBe(Errno.SUCCESS);
    if (posix) expect(statSync(join(g.root, 'd')).mode & 0o777).toBe(0o700);
    expect(g.pathCall('path_create_directory', 'd')).toBe(Errno.EXIST);
    expect(g.pathCall('path_create_directory', 'd/e/')).toBe(Errno.SUCCESS);
    expect(g.rename('new.txt', 'd/e/moved.txt')).toBe(Errno.SUCCESS);
    expect(g.rename('d', 'dd')).toBe(Errno.SUCCESS);
    expect(readFileSync(join(g.root, 'dd/e/moved.txt'), 'utf8')).toBe('x');
    expect(g.pathCall('path_remove_directory', 'dd')).toBe(Errno.NOTEMPTY);
    expect(g.pathCall('path_unlink_file', 'dd')).toBe(Errno.ISDIR);
    expect(g.pathCall('path_remove_directory', 'dd/e/moved.txt')).toBe(Errno.NOTDIR);
    expect(g.pathCall('path_unlink_file', 'dd/e/moved.txt')).toBe(Errno.SUCCESS);
    expect(g.pathCall('path_unlink_file', 'dd/e/moved.txt')).toBe(Errno.NOENT);
    expect(g.pathCall('path_remove_directory', 'dd/e')).toBe(Errno.SUCCESS);
    expect(g.pathCall('path_remove_directory', 'dd/')).toBe(Errno.SUCCESS);
    expect(existsSync(join(g.root, 'dd'))).toBe(false);
    // The root itself cannot be removed or renamed away.
    expect(g.pathCall('path_remove_directory', '/')).toBe(Errno.BUSY);
    expect(g.pathCall('path_remove_directory', '.')).toBe(Errno.BUSY);
    expect(g.rename('/', 'elsewhere')).toBe(Errno.BUSY);
    expect(existsSync(g.root)).toBe(true);
  });

  it('honours open flags: EXCL, TRUNC, APPEND, DIRECTORY, missing files', () => {
    g.writeFile('f.txt', 'original');
    expect(g.open('f.txt', { create: true, excl: true, write: true }).errno).toBe(Errno.EXIST);
    expect(g.open('nope.txt').errno).toBe(Errno.NOENT);
    expect(g.open('f.txt', { directory: true }).errno).toBe(Errno.NOTDIR);
    expect(g.open('f.txt/').errno).toBe(Errno.NOTDIR);
    expect(g.open('.', { write: true }).errno).toBe(Errno.ISDIR);

    const app = g.open('f.txt', { write: true, append: true });
    g.write(app.fd, '+more');
    expect(readFileSync(join(g.root, 'f.txt'), 'utf8')).toBe('original+more');
    const fdstat = g.alloc(24);
    g.call('fd_fdstat_get', app.fd, fdstat);
    expect(g.view().getUint16(fdstat + 2, true)).toBe(1); // APPEND

    const t = g.open('f.txt', { write: true, trunc: true });
    expect(t.errno).toBe(Errno.SUCCESS);
    expect(readFileSync(join(g.root, 'f.txt'), 'utf8')).toBe('');
  });

  it('does not grant write on a file opened read-only, and rights can only shrink', () => {
    g.writeFile('ro.txt', 'keep');
    const { fd } = g.open('ro.txt', { read: true });
    expect(g.write(fd, 'overwrite').errno).toBe(Errno.NOTCAPABLE);
    expect(g.call('fd_filestat_set_size', fd, 0n)).toBe(Errno.NOTCAPABLE);
    expect(readFileSync(join(g.root, 'ro.txt'), 'utf8')).toBe('keep');
    const fdstat = g.alloc(24);
    g.call('fd_fdstat_get', fd, fdstat);
    expect(g.bytes()[fdstat]).toBe(Filetype.REGULAR_FILE);
    expect(g.u64(fdstat + 8) & Rights.FD_WRITE).toBe(0n);
    expect(g.call('fd_fdstat_set_rights', fd, Rights.FD_READ | Rights.FD_WRITE, 0n)).toBe(Errno.NOTCAPABLE);
    expect(g.call('fd_fdstat_set_rights', fd, Rights.FD_SEEK, 0n)).toBe(Errno.SUCCESS);
    expect(g.read(fd).errno).toBe(Errno.NOTCAPABLE);

    const wo = g.open('ro.txt', { write: true });
    expect(g.read(wo.fd).errno).toBe(Errno.NOTCAPABLE);
  });

  it('creates, follows and reads back symlinks that stay inside', () => {
    g.writeFile('target.txt', 'through the link');
    expect(g.symlink('target.txt', 'link')).toBe(Errno.SUCCESS);
    expect(g.readFile('link').text).toBe('through the link');
    expect(g.readlink('link')).toEqual({ errno: Errno.SUCCESS, target: 'target.txt' });
    expect(g.readlink('target.txt').errno).toBe(Errno.INVAL);
    expect(g.open('link', { follow: false }).errno).toBe(Errno.LOOP);
    expect(g.stat('link', false).stat?.filetype).toBe(Filetype.SYMBOLIC_LINK);
    expect(g.stat('link', true).stat?.filetype).toBe(Filetype.REGULAR_FILE);
    expect(g.symlink('target.txt', 'link')).toBe(Errno.EXIST);

    g.pathCall('path_create_directory', 'sub');
    g.writeFile('sub/inner.txt', 'in sub');
    expect(g.symlink('sub/inner.txt', 'down')).toBe(Errno.SUCCESS);
    expect(g.readFile('down').text).toBe('in sub');
    expect(g.symlink('./sub/./inner.txt', 'down-dots')).toBe(Errno.SUCCESS);
    expect(g.readFile('down-dots').text).toBe('in sub');
    // Upward and absolute targets are refused (a guest link must point inside wherever it is moved).
    expect(g.symlink('../target.txt', 'sub/up')).toBe(Errno.NOTCAPABLE);
    expect(g.symlink('/target.txt', 'sub/abs')).toBe(Errno.NOTCAPABLE);
    expect(g.symlink('sub', 'dirlink')).toBe(Errno.SUCCESS);
    expect(g.readFile('dirlink/inner.txt').text).toBe('in sub');
    expect(g.symlink('nowhere', 'dangling')).toBe(Errno.SUCCESS);
    expect(g.readFile('dangling').errno).toBe(Errno.NOENT);
    // Creating through a dangling in-root link creates its target, inside.
    expect(g.writeFile('dangling', 'made')).toBe(Errno.SUCCESS);
    expect(readFileSync(join(g.root, 'nowhere'), 'utf8')).toBe('made');
    // Unlinking a link removes the link only.
    expect(g.pathCall('path_unlink_file', 'link')).toBe(Errno.SUCCESS);
    expect(existsSync(join(g.root, 'target.txt'))).toBe(true);
  });

  it('hard-links files inside the root', () => {
    g.writeFile('a.txt', 'shared');
    expect(g.link('a.txt', 'b.txt')).toBe(Errno.SUCCESS);
    expect(g.stat('a.txt').stat?.nlink).toBe(2n);
    expect(g.readFile('b.txt').text).toBe('shared');
    expect(g.link('a.txt', 'b.txt')).toBe(Errno.EXIST);
    g.pathCall('path_create_directory', 'dir');
    expect(g.link('dir', 'dir2')).toBe(Errno.PERM);
    g.symlink('a.txt', 'sl');
    expect(g.link('sl', 'via-follow', true)).toBe(Errno.SUCCESS);
    expect(g.stat('a.txt').stat?.nlink).toBe(3n);
    expect(g.link('sl', 'the-link-itself', false)).toBe(Errno.PERM);
  });

  it('resolves paths relative to a directory fd; closes and renumbers', () => {
    g.pathCall('path_create_directory', 'sub');
    const sub = g.open('sub', { directory: true });
    expect(g.writeFile('inner.txt', 'in sub', { dirFd: sub.fd })).toBe(Errno.SUCCESS);
    expect(readFileSync(join(g.root, 'sub/inner.txt'), 'utf8')).toBe('in sub');
    expect(g.fstat(sub.fd).stat?.filetype).toBe(Filetype.DIRECTORY);
    const file = g.open('sub/inner.txt');
    expect(g.call('fd_renumber', file.fd, sub.fd)).toBe(Errno.SUCCESS);
    expect(g.read(sub.fd).text).toBe('in sub');
    expect(g.call('fd_close', file.fd)).toBe(Errno.BADF);
    expect(g.call('fd_renumber', sub.fd, 77)).toBe(Errno.BADF);
    expect(g.call('fd_close', sub.fd)).toBe(Errno.SUCCESS);
    expect(g.read(sub.fd).errno).toBe(Errno.BADF);
    // A regular file is not a directory fd.
    const f = g.open('sub/inner.txt');
    expect(g.open('x', { dirFd: f.fd }).errno).toBe(Errno.NOTDIR);
  });

  it('rejects malformed paths', () => {
    expect(g.open('').errno).toBe(Errno.NOENT);
    expect(g.open('a//b').errno).toBe(Errno.INVAL);
    expect(g.open('a\0b').errno).toBe(Errno.INVAL);
    const [p] = g.put(new Uint8Array([0x66, 0xff, 0xfe]));
    expect(g.call('path_create_directory', 3, p, 3)).toBe(Errno.ILSEQ);
    expect(g.open('x'.repeat(5000)).errno).toBe(Errno.NAMETOOLONG);
  });

  it('syncs, advises and closes everything on closeAll', () => {
    const { fd } = g.open('s.txt', { write: true, create: true });
    expect(g.call('fd_sync', fd)).toBe(Errno.SUCCESS);
    expect(g.call('fd_datasync', fd)).toBe(Errno.SUCCESS);
    expect(g.call('fd_advise', fd, 0n, 0n, 1)).toBe(Errno.SUCCESS);
    expect(g.call('fd_advise', fd, 0n, 0n, 9)).toBe(Errno.INVAL);
    expect(g.call('fd_fdstat_set_flags', fd, 1)).toBe(Errno.SUCCESS);
    expect(g.call('fd_fdstat_set_flags', fd, 64)).toBe(Errno.INVAL);
    g.wasi.closeAll();
    expect(g.write(fd, 'x').errno).toBe(Errno.BADF);
    expect(g.readdir(3).errno).toBe(Errno.SUCCESS); // the preopen is back
  });
});
