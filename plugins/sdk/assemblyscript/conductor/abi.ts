// AssemblyScript SDK for Conductor plugins — the ABI v1 exports (alloc, dealloc, init, execute) and the abort/seed hooks.
// Must never let a bad input trap (code 2 instead), never free the input while execute runs, and import nothing from `env`.
import * as raw from "./conductor";
import { random_get } from "./wasi_snapshot_preview1";
import { PluginError } from "./errors";
import { parseJson } from "./json";
import { Input, inputFrom } from "./input";
import { LEVEL_ERROR, logAt } from "./log";

/** Set while abort reports, so that running out of memory in the report itself just traps. */
let aborting: bool = false;

/** Your action handler: return null for success, or a PluginError (see `fail`). */
export type Handler = (input: Input) => PluginError | null;

function noHandler(input: Input): PluginError | null {
  return new PluginError("this plugin never called register(METADATA, handler) at its top level");
}

let handler: Handler = noHandler;
/** The metadata's UTF-8 bytes, kept alive for the host to read after init returns. */
let metadataBytes: ArrayBuffer = new ArrayBuffer(0);

/**
 * Call once, at the top level of your plugin's file: the metadata JSON that `init` returns, and the function that
 * runs each action. (Top-level code runs in `_initialize`, which the host calls before `init`.)
 */
export function register(metadata: string, run: Handler): void {
  metadataBytes = String.UTF8.encode(metadata, false, String.UTF8.ErrorMode.REPLACE);
  handler = run;
}

/** ABI export: a buffer of `size` bytes for the input, outside the garbage-collected heap (so nothing collects it). */
export function alloc(size: i32): usize {
  return heap.alloc(size > 0 ? <usize>size : 0);
}

/** ABI export: frees a buffer from `alloc` (the host calls it after `execute` returns). */
export function dealloc(ptr: usize, size: i32): void {
  if (ptr != 0) heap.free(ptr);
}

/** ABI export: the metadata JSON, as (ptr << 32) | len. */
export function init(): i64 {
  const ptr = changetype<usize>(metadataBytes);
  return (<i64>ptr << 32) | <i64>metadataBytes.byteLength;
}

/** ABI export: parses the input, runs the handler, logs a failure's message at error level and returns its code. */
export function execute(ptr: usize, len: i32): i32 {
  const text = String.UTF8.decodeUnsafe(ptr, len > 0 ? <usize>len : 0);
  const parsed = parseJson(text);
  if (parsed.value === null) {
    logAt(LEVEL_ERROR, "invalid input: " + parsed.error);
    return 2;
  }
  const built = inputFrom(parsed.value!);
  if (built.input === null) {
    logAt(LEVEL_ERROR, "invalid input: " + built.why);
    return 2;
  }
  const err = handler(built.input!);
  if (err === null) return 0;
  logAt(LEVEL_ERROR, err.message);
  return err.code == 0 ? 1 : err.code;
}


/**
 * Replaces AssemblyScript's `env.abort` (asc `--use abort=…/conductor/abi/abort`): failed assertions, out-of-range
 * array access, `throw` and out-of-memory end up here. Logs `abort: <message> at <file>:<line>:<col>` at error level,
 * then traps, so the host fails the call and starts a fresh instance for the next one.
 */
export function abort(message: string | null, fileName: string | null, lineNumber: u32, columnNumber: u32): void {
  if (aborting) unreachable(); // out of memory while reporting: just trap
  aborting = true;
  const text =
    "abort: " + (message !== null ? message : "(no message)") + " at " + (fileName !== null ? fileName : "(unknown)") +
    ":" + lineNumber.toString() + ":" + columnNumber.toString();
  const bytes = String.UTF8.encode(text, false, String.UTF8.ErrorMode.REPLACE);
  raw.log(LEVEL_ERROR, changetype<usize>(bytes), <usize>bytes.byteLength);
  unreachable();
}

/**
 * Replaces AssemblyScript's `env.seed` (asc `--use seed=…/conductor/abi/seed`): seeds Math.random from WASI
 * random_get. Only compiled in (with its import) if the plugin uses Math.random.
 */
export function seed(): f64 {
  const buf = heap.alloc(8);
  store<u64>(buf, 0);
  random_get(buf, 8);
  const bits = load<u64>(buf);
  heap.free(buf);
  return reinterpret<f64>((bits >> 12) | 0x3ff0000000000000); // a double in [1, 2) from 52 random bits
}
