// The two steps of a plugin's load that the trust layer decides: is its signature acceptable (verify), and which of
// its capabilities are granted (authorize). Types only; the plugin host calls them and never decides trust itself.
import type { GrantDecision } from '../../src-shared/capabilities';
import type { PluginMetadata, VerificationResult } from '../../src-shared/plugin';

/** The verify step of the lifecycle; the trust layer plugs in here. Must not throw for a bad signature. */
export type VerifyHook = (plugin: { id: string; wasmPath: string; bytes: Uint8Array; sha256: string }) => Promise<VerificationResult>;

/**
 * The capability step: which of the capabilities a plugin requests are granted, pending or denied. Called with
 * `metadata: null` before the sandbox starts when the plugin's metadata is not known yet (it comes from init()),
 * and again once it is known; the trust layer's grant store plugs in here.
 */
export type AuthorizeHook = (plugin: {
  id: string;
  sha256: string;
  verification: VerificationResult;
  metadata: PluginMetadata | null;
}) => Promise<GrantDecision>;
