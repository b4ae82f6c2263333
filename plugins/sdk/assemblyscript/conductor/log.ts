// AssemblyScript SDK for Conductor plugins — logging through conductor.log (debug, info, warn, error).
// Must never trap on any string (lone surrogates are replaced) and must not allocate beyond one UTF-8 copy per line.
import * as raw from "./conductor";

export const LEVEL_DEBUG: i32 = 0;
export const LEVEL_INFO: i32 = 1;
export const LEVEL_WARN: i32 = 2;
export const LEVEL_ERROR: i32 = 3;

/** Sends one line to the plugin's log at `level` (0 debug, 1 info, 2 warn, 3 error). */
export function logAt(level: i32, message: string): void {
  const bytes = String.UTF8.encode(message, false, String.UTF8.ErrorMode.REPLACE);
  raw.log(level, changetype<usize>(bytes), <usize>bytes.byteLength);
}

/** `log.info("…")` and friends. The host shows each line with its level, e.g. `[info] Hello, world!`. */
export namespace log {
  export function debug(message: string): void {
    logAt(LEVEL_DEBUG, message);
  }
  export function info(message: string): void {
    logAt(LEVEL_INFO, message);
  }
  export function warn(message: string): void {
    logAt(LEVEL_WARN, message);
  }
  export function error(message: string): void {
    logAt(LEVEL_ERROR, message);
  }
}
