// The instrumented-module cache on disk: instrument + compile a plugin, reusing the metered bytes a previous load
// wrote under the key SHA-256(original, INSTRUMENTER_VERSION, instrument options). Never compiles an entry it has not checked.
//
// Who reads and writes it: the sandbox process, which already reads the .wasm itself and does the instrumenting; the
// main process only names the directory in the load message, so it never blocks on this I/O. The plugin never sees
// it: the directory is `<data>/cache/instrumented`, beside (not inside) `plugin-data/`, outside every WASI jail.
//
// An entry is untrusted input. File name = the key (hex). Content = a fixed header and the instrumented bytes:
//   "CNDCACHE" | u32 entry format | u32 instrumenter version | key (32 bytes) | SHA-256 of the payload (32) |
//   u32 payload length | payload
// It is used only when the magic, format, instrumenter version, key (so the original's hash and every option that
// changes the output), length and payload hash all match, the payload passes WebAssembly.validate, compiles, and
// exports the fuel counter. Anything else (truncated, flipped bytes, another version, another module) is deleted and
// rebuilt from the original, which was validated before it is instrumented as on every load. A directory that cannot
// be written only means no cache (the load report says why).
import { createHash } from 'node:crypto';
import { mkdir, open, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { errorMessage } from '../../../src-shared/errors';
import { DEFAULT_START_FUEL, INSTRUMENTER_VERSION, instrumentModule } from '../common/wasm/instrument';
import { FUEL_EXPORT, WasmLoadError, type InstrumentOptions } from '../common/wasm/types';
import type { ModuleCacheReport } from '../common/protocol';
// The same library as src-main/fs/atomic-write.ts (temp file beside the target, fsync, rename), which the layer table
// keeps out of the sandbox.

/** Version of the entry layout below (not of the instrumenter): bump when the header changes. */
const ENTRY_FORMAT = 1;
const MAGIC = new TextEncoder().encode('CNDCACHE');
const HASH_BYTES = 32;
/** magic, format, instrumenter version, key, payload hash, payload length. */
export const ENTRY_HEADER_BYTES = MAGIC.length + 4 + 4 + HASH_BYTES + HASH_BYTES + 4;
/** An entry larger than this many times the original (plus 1 MiB) is refused unread: metering never grows a module so much. */
const MAX_GROWTH = 16;

/** Where the cache is and, when the caller already has it, the original's SHA-256 (hex). */
export interface ModuleCacheRef {
  dir: string;
  originalSha256?: string;
}

const sha256 = (bytes: Uint8Array): Buffer => createHash('sha256').update(bytes).digest();

/** The cache key (hex): the original's SHA-256, the instrumenter's version and every option that changes the output. */
export function moduleCacheKey(originalSha256: string, opts: InstrumentOptions, instrumenterVersion = INSTRUMENTER_VERSION): string {
  const parts = {
    format: ENTRY_FORMAT,
    instrumenter: instrumenterVersion,
    original: originalSha256.toLowerCase(),
    meterFuel: opts.meterFuel,
    memoryMaxPages: opts.memoryMaxPages,
    tableMaxElements: opts.tableMaxElements,
    startFuel: String(opts.startFuel ?? DEFAULT_START_FUEL),
  };
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/** The entry for `key` holding `instrumented` (the version parameter exists for tests that forge stale entries). */
export function encodeEntry(key: string, instrumented: Uint8Array, instrumenterVersion = INSTRUMENTER_VERSION): Uint8Array {
  const out = new Uint8Array(ENTRY_HEADER_BYTES + instrumented.length);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  let at = MAGIC.length;
  view.setUint32(at, ENTRY_FORMAT, true);
  view.setUint32(at + 4, instrumenterVersion, true);
  at += 8;
  out.set(Buffer.from(key, 'hex'), at);
  at += HASH_BYTES;
  out.set(sha256(instrumented), at);
  at += HASH_BYTES;
  view.setUint32(at, instrumented.length, true);
  out.set(instrumented, ENTRY_HEADER_BYTES);
  return out;
}

/** The payload of an entry read for `key`, or why it may not be used. Checks everything but compiling. */
export function decodeEntry(entry: Uint8Array, key: string): { bytes: Uint8Array } | { why: string } {
  if (entry.length < ENTRY_HEADER_BYTES) return { why: `truncated entry (${entry.length} bytes, header alone is ${ENTRY_HEADER_BYTES})` };
  const view = new DataView(entry.buffer, entry.byteOffset, entry.byteLength);
  if (!MAGIC.every((b, i) => entry[i] === b)) return { why: 'not a cache entry (bad magic)' };
  let at = MAGIC.length;
  const format = view.getUint32(at, true);
  const version = view.getUint32(at + 4, true);
  if (format !== ENTRY_FORMAT) return { why: `stale entry (entry format ${format}, expected ${ENTRY_FORMAT})` };
  if (version !== INSTRUMENTER_VERSION) return { why: `stale entry (instrumenter version ${version}, expected ${INSTRUMENTER_VERSION})` };
  at += 8;
  if (Buffer.from(entry.subarray(at, at + HASH_BYTES)).toString('hex') !== key) return { why: 'entry is for another module or other options (key mismatch)' };
  at += HASH_BYTES;
  const storedHash = entry.subarray(at, at + HASH_BYTES);
  at += HASH_BYTES;
  const length = view.getUint32(at, true);
  const payload = entry.subarray(ENTRY_HEADER_BYTES);
  if (payload.length !== length) return { why: `truncated entry (${payload.length} of ${length} payload bytes)` };
  if (!sha256(payload).equals(storedHash)) return { why: 'corrupt entry (payload does not match its SHA-256)' };
  if (!WebAssembly.validate(payload)) return { why: 'corrupt entry (payload is not a valid module)' };
  return { bytes: payload };
}

/** One cache directory: entries by key. Every method swallows I/O errors into its answer; none throws. */
export class ModuleCache {
  constructor(readonly dir: string) {}

  entryPath(key: string): string {
    return join(this.dir, key);
  }

  /** The checked payload, why the entry is bad, or null when there is none (or it cannot be opened). */
  async read(key: string, maxBytes: number): Promise<{ bytes: Uint8Array } | { why: string } | null> {
    let file;
    try {
      file = await open(this.entryPath(key), 'r');
    } catch {
      return null; // absent (or unreadable: treated as absent; the write that follows says why if it fails too)
    }
    try {
      const { size } = await file.stat();
      if (size > maxBytes) return { why: `entry too large (${size} bytes)` };
      return decodeEntry(new Uint8Array(await file.readFile()), key);
    } catch (err) {
      return { why: `unreadable entry: ${errorMessage(err)}` };
    } finally {
      await file.close().catch(() => undefined);
    }
  }

  /** Writes the entry atomically; null, or why it could not be written. */
  async write(key: string, instrumented: Uint8Array): Promise<string | null> {
    try {
      await makeDirectory(this.dir);
      const entry = encodeEntry(key, instrumented);
      // Loaded on first save: a CommonJS package costs each sandbox memory, and most loads are cache hits.
      const { default: writeFileAtomic } = await import('write-file-atomic');
      await writeFileAtomic(this.entryPath(key), Buffer.from(entry.buffer, entry.byteOffset, entry.byteLength), { fsync: true, mode: 0o600 });
      return null;
    } catch (err) {
      return errorMessage(err);
    }
  }

  /** Deletes the entry (best effort). */
  async discard(key: string): Promise<void> {
    await rm(this.entryPath(key), { force: true }).catch(() => undefined);
  }
}

export interface MeteredModule {
  module: WebAssembly.Module;
  cache: ModuleCacheReport;
  /** Instrumenting, or on a hit reading and checking the entry. */
  instrumentMs: number;
  compileMs: number;
}

/**
 * Instruments (or takes from the cache) and compiles `bytes`, which the caller has validated. Without a cache this is
 * instrumentModule + WebAssembly.compile. Throws WasmLoadError when the module cannot be instrumented or compiled.
 */
export async function compileMetered(bytes: Uint8Array, opts: InstrumentOptions, ref: ModuleCacheRef | null): Promise<MeteredModule> {
  const t0 = performance.now();
  if (ref === null) {
    const instrumented = instrumentModule(bytes, opts);
    const t1 = performance.now();
    const module = await compileInstrumented(instrumented);
    return { module, cache: { state: 'off', note: null }, instrumentMs: t1 - t0, compileMs: performance.now() - t1 };
  }
  const cache = new ModuleCache(ref.dir);
  const key = moduleCacheKey(ref.originalSha256 ?? sha256(bytes).toString('hex'), opts);
  let found = await cache.read(key, ENTRY_HEADER_BYTES + MAX_GROWTH * bytes.length + (1 << 20));
  if (found !== null && 'bytes' in found) {
    const t1 = performance.now();
    const module = await WebAssembly.compile(found.bytes).catch(() => null);
    if (module !== null && (!opts.meterFuel || hasFuelCounter(module))) {
      return { module, cache: { state: 'hit', note: null }, instrumentMs: t1 - t0, compileMs: performance.now() - t1 };
    }
    found = { why: module === null ? 'corrupt entry (does not compile)' : 'corrupt entry (no fuel counter)' };
  }
  if (found !== null) await cache.discard(key);
  const instrumented = instrumentModule(bytes, opts);
  const t2 = performance.now();
  // The write (temp file, fsync, rename) runs while the engine compiles.
  const saving = cache.write(key, instrumented);
  let module: WebAssembly.Module;
  try {
    module = await compileInstrumented(instrumented);
  } catch (err) {
    await saving;
    await cache.discard(key);
    throw err;
  }
  const t3 = performance.now();
  const unsaved = await saving;
  const notes = [found?.why, unsaved === null ? null : `not saved: ${unsaved}`].filter((n): n is string => typeof n === 'string');
  return {
    module,
    cache: { state: found === null ? 'miss' : 'rebuilt', note: notes.length > 0 ? notes.join('; ') : null },
    instrumentMs: t2 - t0,
    compileMs: t3 - t2,
  };
}

async function compileInstrumented(instrumented: Uint8Array): Promise<WebAssembly.Module> {
  try {
    return await WebAssembly.compile(instrumented);
  } catch (err) {
    // The original is valid (checked before), so this is the metered form exceeding an engine limit, or our bug.
    throw new WasmLoadError(`the module is valid, but its metered form does not compile: ${errorMessage(err)}`);
  }
}

/**
 * `mkdir -p`, one level at a time: Node 20's `mkdir(…, { recursive: true })` never settles on some paths (e.g. under
 * /proc/self, where mkdir answers ENOENT for a parent that exists), which would stall the load until its deadline.
 */
async function makeDirectory(dir: string, depth = 0): Promise<void> {
  try {
    await mkdir(dir, { mode: 0o700 });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    const parent = dirname(dir);
    if (code !== 'ENOENT' || parent === dir || depth >= 32) throw err;
    await makeDirectory(parent, depth + 1);
    await mkdir(dir, { mode: 0o700 }).catch((again: NodeJS.ErrnoException) => {
      if (again.code !== 'EEXIST') throw again;
    });
  }
}

function hasFuelCounter(module: WebAssembly.Module): boolean {
  return WebAssembly.Module.exports(module).some((e) => e.name === FUEL_EXPORT && e.kind === 'global');
}
