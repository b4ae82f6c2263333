// Escape attempts against the WASI filesystem sandbox: every one refused, nothing outside the root read or changed.
// Never touches anything outside the harness's temp directory (the "secret" lives there, next to the root).

import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackendKind } from './dir-handle';
import { Errno } from './errno';
import { Guest, SECRET } from './test-support/wasi-harness';

const posix = process.platform !== 'win32';

/** Everything outside the data directory (names, sizes, mtimes, contents): must be identical before and after. */
function outsideSnapshot(g: Guest): string {
  const lines: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (p === g.root) continue;
      const st = lstatSync(p);
      const body = st.isFile() ? readFileSync(p, 'utf8') : st.isSymbolicLink() ? readlinkSync(p) : '';
      lines.push(`${relative(g.top, p)} ${st.mode} ${st.size} ${st.mtimeMs} ${st.nlink} ${body}`);
      if (st.isDirectory()) walk(p);
    }
  };
  walk(g.top);
  return lines.join('\n');
}

/** Every symlink under the root, resolved lexically by the host from where it sits, stays under the root. */
function hostViewOfGuestLinks(g: Guest, names: string[]): void {
  for (const name of names) {
    const p = join(g.root, name);
    const target = resolve(dirname(p), readlinkSync(p));
    expect(target === g.root || target.startsWith(g.root + sep), `${name} -> ${readlinkSync(p)}`).toBe(true);
  }
}

/** The jail's backends this platform can run (dir-handle.ts): both on Linux, where the fallback is exercised too. */
const backends: BackendKind[] = process.platform === 'linux' ? ['fd-relative', 'portable'] : ['portable'];

describe.runIf(posix).each(backends)('WASI filesystem sandbox: escapes are refused (%s)', (backend) => {
  let g: Guest;
  let before: string;
  const start = (prepare?: (root: string, top: string) => void): Guest => {
    g = new Guest(prepare ? { prepare, fsBackend: backend } : { fsBackend: backend });
    expect(g.wasi.fsBackend).toBe(backend);
    g.writeFile('inside.txt', 'inside');
    g.pathCall('path_create_directory', 'a');
    before = outsideSnapshot(g);
    return g;
  };
  afterEach(() => {
    // Nothing outside the data directory was created, changed, read-and-returned or removed.
    expect(outsideSnapshot(g)).toBe(before);
    expect(readFileSync(g.secretPath, 'utf8')).toBe(SECRET);
    for (const out of g.stdout) expect(new TextDecoder().decode(out)).not.toContain('SECRET');
    g.cleanup();
  });

  it('refuses ".." above the root in every position (ENOTCAPABLE, never clamped)', () => {
    start();
    for (const path of ['../secret.txt', 'a/../../secret.txt', '/../secret.txt', './../secret.txt', '..', '../outside-dir/inner.txt', 'a/../a/../../secret.txt']) {
      expect(g.readFile(path), path).toEqual({ errno: Errno.NOTCAPABLE, text: '' });
      expect(g.stat(path).errno, path).toBe(Errno.NOTCAPABLE);
      expect(g.writeFile(path, 'pwned'), path).toBe(Errno.NOTCAPABLE);
    }
    expect(g.writeFile('../new.txt', 'pwned')).toBe(Errno.NOTCAPABLE);
    expect(g.pathCall('path_create_directory', '../newdir')).toBe(Errno.NOTCAPABLE);
    expect(g.pathCall('path_unlink_file', '../secret.txt')).toBe(Errno.NOTCAPABLE);
    expect(g.pathCall('path_remove_directory', '../outside-dir')).toBe(Errno.NOTCAPABLE);
    expect(g.open('..', { directory: true }).errno).toBe(Errno.NOTCAPABLE);
    // From a subdirectory fd: one level up is the root, two is refused.
    const sub = g.open('a', { directory: true });
    expect(g.readFile('../inside.txt', { dirFd: sub.fd }).text).toBe('inside');
    expect(g.readFile('../../secret.txt', { dirFd: sub.fd }).errno).toBe(Errno.NOTCAPABLE);
    expect(existsSync(join(g.top, 'new.txt'))).toBe(false);
  });

  it('interprets absolute paths, including the host path of the secret, inside the root', () => {
    start();
    expect(g.readFile(g.secretPath).errno).toBe(Errno.NOENT);
    expect(g.stat(g.secretPath).errno).toBe(Errno.NOENT);
    expect(g.writeFile(g.secretPath, 'pwned')).toBe(Errno.NOENT);
    expect(g.readFile('/etc/passwd').errno).toBe(Errno.NOENT);
    expect(g.stat('/etc').errno).toBe(Errno.NOENT);
    // "/" is the data directory: listing it shows only the plugin's files.
    const names = g.readdir(3).entries.map((e) => e.name);
    expect(names).toEqual(['.', '..', 'a', 'inside.txt']);
  });

  it('refuses guest symlinks that are not relative and downward-only', () => {
    start();
    for (const target of ['..', '../..', '../secret.txt', 'a/../..', 'a/../../secret.txt', '/..', '/a/../..', 'a/..', '../inside.txt', '/inside.txt', '/etc', g.secretPath]) {
      expect(g.symlink(target, 'escape'), target).toBe(Errno.NOTCAPABLE);
      expect(existsSync(join(g.root, 'escape'))).toBe(false);
    }
    expect(g.symlink('../..', 'a/escape')).toBe(Errno.NOTCAPABLE);
    expect(g.symlink('../inside.txt', 'a/up')).toBe(Errno.NOTCAPABLE); // inside where it stands, but not once moved
    expect(g.symlink('bad\0target', 'x')).toBe(Errno.INVAL);
    expect(g.symlink('', 'x')).toBe(Errno.NOENT);
    // A link to "." is downward-only; going up through it is still refused when followed at the root.
    expect(g.symlink('.', 'self-root')).toBe(Errno.SUCCESS);
    expect(g.readFile('self-root/../secret.txt').errno).toBe(Errno.NOTCAPABLE);
    expect(g.symlink('inside.txt', 'a/ok')).toBe(Errno.SUCCESS); // dangling where it stands: fine
  });

  it('a guest link planted deep and moved to the top still leads nowhere outside (the issue #11 attack)', () => {
    start();
    g.pathCall('path_create_directory', 'a/b');
    expect(g.symlink('..', 'a/b/l')).toBe(Errno.NOTCAPABLE);
    expect(g.symlink('c', 'a/b/l')).toBe(Errno.SUCCESS);
    expect(g.rename('a/b/l', 'l')).toBe(Errno.SUCCESS);
    hostViewOfGuestLinks(g, ['l']);
    expect(g.readFile('l/../secret.txt').errno).toBe(Errno.NOENT); // l -> c, which does not exist
  });

  it('never follows host-placed absolute symlinks (to a file, to a directory) out of the root', () => {
    start((root, top) => {
      symlinkSync('/etc', join(root, 'host-etc'));
      symlinkSync(join(top, 'secret.txt'), join(root, 'host-secret'));
      symlinkSync(join(top, 'outside-dir'), join(root, 'host-dir'));
      symlinkSync(join(top, 'missing-outside.txt'), join(root, 'host-dangling'));
    });
    expect(g.readFile('host-etc/passwd').errno).toBe(Errno.NOENT);
    expect(g.readFile('host-secret').errno).toBe(Errno.NOENT);
    expect(g.readFile('host-dir/inner.txt').errno).toBe(Errno.NOENT);
    expect(g.open('host-dir', { directory: true }).errno).toBe(Errno.NOENT);
    expect(g.stat('host-secret').errno).toBe(Errno.NOENT);
    expect(g.stat('host-dir').errno).toBe(Errno.NOENT);
    expect(g.writeFile('host-secret', 'pwned')).toBe(Errno.NOENT);
    expect(g.writeFile('host-dir/new.txt', 'pwned')).toBe(Errno.NOENT);
    expect(g.writeFile('host-dangling', 'pwned')).toBe(Errno.NOENT);
    expect(g.pathCall('path_create_directory', 'host-dir/x')).toBe(Errno.NOENT);
    expect(g.pathCall('path_unlink_file', 'host-dir/inner.txt')).toBe(Errno.NOENT);
    const [p, len] = g.put('host-secret');
    expect(g.call('path_filestat_set_times', 3, 1, p, len, 0n, 0n, 10)).toBe(Errno.NOENT);
    // Not following: the link itself is visible, but its stored text names host paths: not shown (item 4).
    expect(g.open('host-secret', { follow: false }).errno).toBe(Errno.LOOP);
    expect(g.readlink('host-etc').errno).toBe(Errno.NOTCAPABLE);
    expect(g.readlink('host-secret').errno).toBe(Errno.NOTCAPABLE);
    expect(g.readlink('host-dir').errno).toBe(Errno.NOTCAPABLE);
    // Removing the link removes the link, not what it names on the host.
    expect(g.pathCall('path_unlink_file', 'host-secret')).toBe(Errno.SUCCESS);
    expect(existsSync(join(g.root, 'host-secret'))).toBe(false);
  });

  it('never follows host-placed relative symlinks out of the root (final, intermediate, dangling)', () => {
    start((root) => {
      symlinkSync('../secret.txt', join(root, 'rel-secret'));
      symlinkSync('..', join(root, 'rel-up'));
      symlinkSync('../../..', join(root, 'rel-way-up'));
      symlinkSync('../outside-dir', join(root, 'rel-dir'));
      symlinkSync('../created-outside.txt', join(root, 'rel-dangling'));
    });
    for (const path of ['rel-secret', 'rel-up/secret.txt', 'rel-way-up/etc/passwd', 'rel-dir/inner.txt', 'rel-up/data/inside.txt']) {
      expect(g.readFile(path).errno, path).toBe(Errno.NOTCAPABLE);
      expect(g.stat(path).errno, path).toBe(Errno.NOTCAPABLE);
    }
    expect(g.open('rel-up', { directory: true }).errno).toBe(Errno.NOTCAPABLE);
    expect(g.open('rel-dir', { directory: true }).errno).toBe(Errno.NOTCAPABLE);
    expect(g.writeFile('rel-secret', 'pwned')).toBe(Errno.NOTCAPABLE);
    expect(g.writeFile('rel-dangling', 'pwned')).toBe(Errno.NOTCAPABLE);
    expect(g.writeFile('rel-dir/new.txt', 'pwned')).toBe(Errno.NOTCAPABLE);
    expect(g.pathCall('path_create_directory', 'rel-up/newdir')).toBe(Errno.NOTCAPABLE);
    expect(g.pathCall('path_unlink_file', 'rel-dir/inner.txt')).toBe(Errno.NOTCAPABLE);
    expect(g.pathCall('path_remove_directory', 'rel-up/outside-dir')).toBe(Errno.NOTCAPABLE);
    const [p, len] = g.put('rel-secret');
    expect(g.call('path_filestat_set_times', 3, 1, p, len, 0n, 0n, 10)).toBe(Errno.NOTCAPABLE);
    expect(existsSync(join(g.top, 'created-outside.txt'))).toBe(false);
  });

  it('refuses host-placed symlinks deeper in the tree that climb out', () => {
    start((root) => {
      mkdirSync(join(root, 'a'));
      symlinkSync('../../secret.txt', join(root, 'a', 'deep'));
    });
    expect(g.readFile('a/deep').errno).toBe(Errno.NOTCAPABLE);
    expect(g.readFile('/a/deep').errno).toBe(Errno.NOTCAPABLE);
  });

  it('reports ELOOP for symlink loops', () => {
    start((root) => {
      symlinkSync('loop2', join(root, 'loop1'));
      symlinkSync('loop1', join(root, 'loop2'));
      symlinkSync('self', join(root, 'self'));
    });
    expect(g.readFile('loop1').errno).toBe(Errno.LOOP);
    expect(g.readFile('self/x').errno).toBe(Errno.LOOP);
    expect(g.writeFile('loop2', 'x')).toBe(Errno.LOOP);
    expect(g.symlink('g2', 'g1')).toBe(Errno.SUCCESS);
    expect(g.symlink('g1', 'g2')).toBe(Errno.SUCCESS);
    expect(g.stat('g1').errno).toBe(Errno.LOOP);
    expect(g.stat('g1', false).errno).toBe(Errno.SUCCESS);
  });

  it('refuses hard links to files outside (via "..", via symlinks)', () => {
    start((root, top) => {
      symlinkSync('../secret.txt', join(root, 'rel-secret'));
      symlinkSync(join(top, 'secret.txt'), join(root, 'abs-secret'));
    });
    expect(g.link('../secret.txt', 'stolen')).toBe(Errno.NOTCAPABLE);
    expect(g.link('a/../../secret.txt', 'stolen')).toBe(Errno.NOTCAPABLE);
    expect(g.link('rel-secret', 'stolen', true)).toBe(Errno.NOTCAPABLE);
    expect(g.link('abs-secret', 'stolen', true)).toBe(Errno.NOENT);
    expect(g.link('rel-secret', 'stolen', false)).toBe(Errno.PERM);
    expect(g.link('abs-secret', 'stolen', false)).toBe(Errno.PERM);
    expect(g.link(g.secretPath, 'stolen')).toBe(Errno.NOENT);
    expect(g.link('inside.txt', '../planted.txt')).toBe(Errno.NOTCAPABLE);
    expect(existsSync(join(g.root, 'stolen'))).toBe(false);
    expect(statSync(g.secretPath).nlink).toBe(1);
  });

  it('refuses renames out of or into the root', () => {
    start((root) => {
      symlinkSync('..', join(root, 'rel-up'));
    });
    expect(g.rename('inside.txt', '../moved-out.txt')).toBe(Errno.NOTCAPABLE);
    expect(g.rename('inside.txt', 'rel-up/moved-out.txt')).toBe(Errno.NOTCAPABLE);
    expect(g.rename('inside.txt', 'a/../../moved-out.txt')).toBe(Errno.NOTCAPABLE);
    expect(g.rename('../secret.txt', 'mine.txt')).toBe(Errno.NOTCAPABLE);
    expect(g.rename('rel-up/secret.txt', 'mine.txt')).toBe(Errno.NOTCAPABLE);
    expect(g.rename('a', '../a-out')).toBe(Errno.NOTCAPABLE);
    expect(g.rename(g.secretPath, 'mine.txt')).toBe(Errno.NOENT);
    expect(existsSync(join(g.root, 'inside.txt'))).toBe(true);
    expect(existsSync(join(g.root, 'mine.txt'))).toBe(false);
    // Renaming the link itself is fine: it moves inside, and still cannot be followed out.
    expect(g.rename('rel-up', 'a/renamed-link')).toBe(Errno.SUCCESS);
    // From a/ the link's ".." is the root now; one more level is still refused.
    expect(g.readFile('a/renamed-link/inside.txt').text).toBe('inside');
    expect(g.readFile('a/renamed-link/../secret.txt').errno).toBe(Errno.NOTCAPABLE);
  });

  it('rejects NUL bytes in paths', () => {
    start();
    expect(g.readFile('inside.txt\0/../../secret.txt').errno).toBe(Errno.INVAL);
    expect(g.writeFile('x\0../../y', 'x')).toBe(Errno.INVAL);
    expect(g.stat('\0').errno).toBe(Errno.INVAL);
  });

  it('an open directory fd swapped for a symlink out is not followed out', () => {
    start();
    const a = g.open('a', { directory: true });
    expect(a.errno).toBe(Errno.SUCCESS);
    g.writeFile('a/kept.txt', 'kept');
    renameSync(join(g.root, 'a'), join(g.root, 'a-moved'));
    symlinkSync('..', join(g.root, 'a'));
    if (backend === 'fd-relative') {
      // The fd holds the directory itself (as in wasmtime): it still names the moved directory.
      expect(g.readFile('secret.txt', { dirFd: a.fd }).errno).toBe(Errno.NOENT);
      expect(g.readFile('kept.txt', { dirFd: a.fd }).text).toBe('kept');
      expect(g.readFile('../inside.txt', { dirFd: a.fd }).text).toBe('inside');
      expect(g.readFile('../../secret.txt', { dirFd: a.fd }).errno).toBe(Errno.NOTCAPABLE);
      expect(g.readdir(a.fd).entries.map((e) => e.name)).toEqual(['.', '..', 'kept.txt']);
      expect(g.fstat(a.fd).errno).toBe(Errno.SUCCESS);
    } else {
      // The portable backend re-checks the directory on every use and refuses a replaced one.
      expect(g.readFile('secret.txt', { dirFd: a.fd }).errno).toBe(Errno.NOTCAPABLE);
      expect(g.readdir(a.fd).errno).toBe(Errno.NOTCAPABLE);
      expect(g.fstat(a.fd).errno).toBe(Errno.NOTCAPABLE);
    }
    rmSync(join(g.root, 'a'));
    symlinkSync(dirname(g.secretPath), join(g.root, 'a'));
    expect(g.readFile('secret.txt', { dirFd: a.fd }).text).not.toBe(SECRET);
    expect(g.readFile('a/secret.txt').errno).toBe(Errno.NOENT);
  });

  it('a file opened before being replaced stays the file that was opened', () => {
    start();
    const f = g.open('inside.txt', { read: true, write: true });
    rmSync(join(g.root, 'inside.txt'));
    symlinkSync(g.secretPath, join(g.root, 'inside.txt'));
    expect(g.read(f.fd).text).toBe('inside');
    expect(g.write(f.fd, 'more').errno).toBe(Errno.SUCCESS);
    expect(readFileSync(g.secretPath, 'utf8')).toBe(SECRET);
  });

  it('keeps writes to the data directory when the guest writes through in-root links only', () => {
    start();
    expect(g.symlink('a', 'alias')).toBe(Errno.SUCCESS);
    expect(g.writeFile('alias/via-alias.txt', 'ok')).toBe(Errno.SUCCESS);
    expect(readFileSync(join(g.root, 'a', 'via-alias.txt'), 'utf8')).toBe('ok');
    expect(g.readFile('alias/../inside.txt').text).toBe('inside');
    writeFileSync(join(g.root, 'plain.txt'), 'plain');
    expect(g.readFile('a/../plain.txt').text).toBe('plain');
  });
});
