// Asks the engine (V8) whether a module's original bytes are valid WebAssembly, before anything rewrites them: our
// reader decodes only what it needs, so it never vouches for validity. Never accepts what the engine rejects; runs no code.

import { WasmLoadError } from './types';

const ENGINE_PREFIX = /^WebAssembly\.Module\(\): /;

/**
 * Throws WasmLoadError `invalid WebAssembly: <the engine's reason>` unless the engine validates `bytes`. Must run on
 * every untrusted module before ./instrument.ts sees it: the rewrite could otherwise turn an invalid module into a
 * valid one: a `local.set` of a local the function does not declare would write the fuel counter metering caches in
 * the local appended after the function's own (../sandbox/load-validation.integration.test.ts shows a plugin refuelling itself).
 */
export function validateModule(bytes: Uint8Array): void {
  if (WebAssembly.validate(bytes)) return;
  throw new WasmLoadError(`invalid WebAssembly: ${engineReason(bytes)}`);
}

/** Why the engine rejects `bytes`: `validate` says only no; compiling says what and where (function, byte offset). */
function engineReason(bytes: Uint8Array): string {
  try {
    // Only reached for a module the validator refused, so this compile fails at the first problem it finds.
    void new WebAssembly.Module(bytes);
  } catch (err) {
    return err instanceof Error ? err.message.replace(ENGINE_PREFIX, '') : String(err);
  }
  return 'the validator rejects it, but the engine gave no reason';
}
