// Atomic file writes for everything Conductor saves (config, trusted keys, grants, installed plugins):
// write-file-atomic writes a temp file beside the target, fsyncs it and renames it over — never a half-written file.
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import writeFileAtomic from 'write-file-atomic';

export interface AtomicWriteOptions {
  /** File mode for a new file (default 0o644; existing files keep theirs unless given). */
  mode?: number;
}

/** Replaces `path` with `data` atomically (temp file + fsync + rename), creating the directory if needed. */
export async function writeFileAtomically(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength), {
    fsync: true,
    ...(options.mode === undefined ? {} : { mode: options.mode }),
  });
}
