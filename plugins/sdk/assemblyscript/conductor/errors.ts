// AssemblyScript SDK for Conductor plugins — PluginError, what an action returns when it fails (code + message).
// Must never produce code 0 for an error: 0 means success to the host.

/**
 * An action's failure. The SDK logs `message` at error level and `execute` returns `code` (non-zero; 1 by default).
 * Code 2 is what the SDK itself returns for input it cannot parse; pick your own codes from 3 up if you want to tell
 * failures apart.
 */
export class PluginError {
  code: i32;
  message: string;

  constructor(message: string, code: i32 = 1) {
    this.message = message;
    this.code = code == 0 ? 1 : code;
  }

  toString(): string {
    return this.message + " (code " + this.code.toString() + ")";
  }
}

/** Shorthand: `return fail("no such scene")` or `return fail("device busy", 7)`. */
export function fail(message: string, code: i32 = 1): PluginError {
  return new PluginError(message, code);
}
