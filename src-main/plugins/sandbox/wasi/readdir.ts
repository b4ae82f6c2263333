// fd_readdir: lists a directory descriptor as preview1 dirents, with "." and ".." first and names sorted.
// Never lists a directory outside the root (the descriptor holds its directory; names are lstat-ed inside it) and
// never reports the root's host parent: ".." of the root is the root itself.

import { readdirSync } from 'node:fs';
import { Filetype, Rights } from './constants';
import type { WasiContext } from './context';
import { Errno, ensure } from './errno';
import { requireRights, type DirEntry, type DirListingEntry } from './fd-table';
import { filetypeOf, encodeDirent } from './structs';

const encoder = new TextEncoder();

function listDirectory(ctx: WasiContext, dir: DirEntry): DirListingEntry[] {
  const jail = ctx.sandbox;
  ensure(jail !== null, Errno.NOTCAPABLE);
  const here = jail.statDir(dir.handle);
  const parent = dir.handle.parent;
  const parentIno = parent === null ? here.ino : jail.statDir(parent).ino;
  const listing: DirListingEntry[] = [
    { name: encoder.encode('.'), ino: here.ino, filetype: Filetype.DIRECTORY },
    { name: encoder.encode('..'), ino: parentIno, filetype: Filetype.DIRECTORY },
  ];
  const names = readdirSync(jail.self(dir.handle)).sort();
  jail.statDir(dir.handle); // portable backend: the listing came from the directory the handle holds
  for (const name of names) {
    const stat = jail.lstatAt(dir.handle, name);
    if (stat === null) continue; // removed while listing
    listing.push({ name: encoder.encode(name), ino: stat.ino, filetype: filetypeOf(stat) });
  }
  return listing;
}

export function readdirImports(ctx: WasiContext) {
  const { mem, fds } = ctx;
  return {
    /**
     * Fills buf with as many dirents as fit, the last one possibly cut short; bufused < buf_len means the end of
     * the directory was reached. The cookie is the index of the next entry; cookie 0 re-reads the directory.
     */
    fd_readdir(fd: number, buf: number, bufLen: number, cookie: bigint, bufusedPtr: number): number {
      const entry = fds.get(fd);
      ensure(entry.kind === 'dir', Errno.NOTDIR);
      requireRights(entry, Rights.FD_READDIR);
      const capacity = bufLen >>> 0;
      mem.check(buf, capacity);
      mem.check(bufusedPtr, 4);
      const start = BigInt.asUintN(64, cookie);
      if (start === 0n || entry.listing === null) entry.listing = listDirectory(ctx, entry);
      const listing = entry.listing;
      let used = 0;
      for (let i = start; i < BigInt(listing.length) && used < capacity; i++) {
        const item = listing[Number(i)];
        if (item === undefined) break;
        const record = encodeDirent(i + 1n, item.ino, item.filetype, item.name);
        const n = Math.min(record.byteLength, capacity - used);
        mem.write((buf >>> 0) + used, record.subarray(0, n));
        used += n;
      }
      mem.setU32(bufusedPtr, used);
      return Errno.SUCCESS;
    },
  };
}
