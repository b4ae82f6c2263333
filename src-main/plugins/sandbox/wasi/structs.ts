// Encoders for the preview1 structs the filesystem calls return (filestat, fdstat, dirent) and filetype mapping.
// Never writes outside the struct's own bytes in guest memory (every write goes through GuestMemory's bounds checks).

import type { BigIntStats, Dirent } from 'node:fs';
import { Filetype, Size } from './constants';
import type { FdEntry } from './fd-table';
import type { GuestMemory } from './memory';

type StatLike = Pick<
  BigIntStats,
  'isFile' | 'isDirectory' | 'isSymbolicLink' | 'isCharacterDevice' | 'isBlockDevice' | 'isSocket'
>;

export function filetypeOf(stat: StatLike | Dirent): number {
  if (stat.isFile()) return Filetype.REGULAR_FILE;
  if (stat.isDirectory()) return Filetype.DIRECTORY;
  if (stat.isSymbolicLink()) return Filetype.SYMBOLIC_LINK;
  if (stat.isCharacterDevice()) return Filetype.CHARACTER_DEVICE;
  if (stat.isBlockDevice()) return Filetype.BLOCK_DEVICE;
  if (stat.isSocket()) return Filetype.SOCKET_STREAM;
  return Filetype.UNKNOWN;
}

/** filestat (64 bytes): dev, ino, filetype, nlink, size, atim, mtim, ctim. `null` = a stdio character device. */
export function writeFilestat(mem: GuestMemory, ptr: number, stat: BigIntStats | null): void {
  mem.check(ptr, Size.FILESTAT);
  mem.bytes(ptr, Size.FILESTAT).fill(0);
  if (stat === null) {
    mem.setU8(ptr + 16, Filetype.CHARACTER_DEVICE);
    return;
  }
  mem.setU64(ptr, stat.dev);
  mem.setU64(ptr + 8, stat.ino);
  mem.setU8(ptr + 16, filetypeOf(stat));
  mem.setU64(ptr + 24, stat.nlink);
  mem.setU64(ptr + 32, stat.size);
  mem.setU64(ptr + 40, stat.atimeNs);
  mem.setU64(ptr + 48, stat.mtimeNs);
  mem.setU64(ptr + 56, stat.ctimeNs);
}

/** fdstat (24 bytes): filetype u8 @0, flags u16 @2, rights_base u64 @8, rights_inheriting u64 @16. */
export function writeFdstat(mem: GuestMemory, ptr: number, entry: FdEntry): void {
  mem.check(ptr, Size.FDSTAT);
  mem.bytes(ptr, Size.FDSTAT).fill(0);
  mem.setU8(ptr, fdFiletype(entry));
  mem.setU16(ptr + 2, entry.fdflags);
  mem.setU64(ptr + 8, entry.rightsBase);
  mem.setU64(ptr + 16, entry.rightsInheriting);
}

function fdFiletype(entry: FdEntry): number {
  switch (entry.kind) {
    case 'dir':
      return Filetype.DIRECTORY;
    case 'file':
      return Filetype.REGULAR_FILE; // only regular files are ever opened as files
    default:
      return Filetype.CHARACTER_DEVICE;
  }
}

/** dirent (24 bytes) followed by the name: d_next u64, d_ino u64, d_namlen u32, d_type u8. */
export function encodeDirent(next: bigint, ino: bigint, filetype: number, name: Uint8Array): Uint8Array {
  const out = new Uint8Array(Size.DIRENT + name.byteLength);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, next, true);
  view.setBigUint64(8, ino, true);
  view.setUint32(16, name.byteLength, true);
  view.setUint8(20, filetype);
  out.set(name, Size.DIRENT);
  return out;
}
