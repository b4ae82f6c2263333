// The steps of loading a plugin that need no state of their own: its files (bytes and hash, sidecar metadata), the
// load request to its sandbox, the execute input, the approval request. Never decides trust or a plugin's state.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ApprovalRequest, GrantDecision, GrantStatus } from '../../../src-shared/capabilities';
import type { Capability, PluginLimits, PluginMetadata, VerificationResult } from '../../../src-shared/plugin';
import { MetadataError, resolveMetadata } from '../common/metadata';
import type { LoadReport } from '../common/protocol';
import type { SandboxProcess } from './sandbox-process';

/** A plugin could not be loaded (or restarted): the message says why. */
export class PluginLoadError extends Error {
  override readonly name = 'PluginLoadError';
}

/** Builds the execute input (DESIGN §4): params, plus `parameters` (Conductor's form) and `context`. */
export { buildExecuteInput } from '../../../src-shared/execute-input';

/** Where a plugin's sidecar metadata lives: `<name>.plugin.toml` beside the .wasm (as installed), else `plugin.toml`. */
export function sidecarPaths(wasmPath: string): string[] {
  return [wasmPath.replace(/\.wasm$/i, '') + '.plugin.toml', join(dirname(wasmPath), 'plugin.toml')];
}

/** The text of the first sidecar that exists, or null. */
export async function readSidecar(wasmPath: string): Promise<string | null> {
  for (const path of sidecarPaths(wasmPath)) {
    const text = await readFile(path, 'utf8').catch(() => null);
    if (text !== null) return text;
  }
  return null;
}

/** A plugin file's bytes and their SHA-256 (hex), read once: what is verified is what the sandbox must find. */
export async function readPluginFile(wasmPath: string): Promise<{ bytes: Uint8Array; sha256: string }> {
  const bytes = new Uint8Array(await readFile(wasmPath));
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** Metadata from the sidecar alone (known before the sandbox starts), or null; a broken sidecar surfaces later. */
export function sidecarMetadata(sidecar: string | null, id: string): PluginMetadata | null {
  if (sidecar === null) return null;
  try {
    return resolveMetadata({ init: null, sidecarToml: sidecar, section: null }, id);
  } catch (err) {
    if (err instanceof MetadataError) return null;
    throw err;
  }
}

export interface LoadRequest {
  id: string;
  wasmPath: string;
  sha256: string;
  limits: PluginLimits;
  grants: readonly Capability[];
  /** The data directory, given to the sandbox only with the filesystem grant. */
  dataDir: string;
  /** allowed_hosts from the sidecar (which the sandbox cannot read), or null: the plugin's own metadata decides. */
  allowedHosts: readonly string[] | null;
  /** Where the sandbox caches instrumented modules, or null: no cache. */
  moduleCacheDir?: string | null;
}

/** Loads the plugin into a booted sandbox under the call deadline; its report, or PluginLoadError with the reason. */
export async function loadInto(sandbox: SandboxProcess, request: LoadRequest): Promise<LoadReport> {
  const reply = await sandbox.request(
    {
      type: 'load',
      name: request.id,
      wasmPath: request.wasmPath,
      sha256: request.sha256,
      config: {
        limits: request.limits,
        grants: request.grants,
        dataDir: request.grants.includes('filesystem') ? request.dataDir : null,
        ...(request.allowedHosts ? { allowedHosts: request.allowedHosts } : {}),
      },
      ...(request.moduleCacheDir ? { moduleCacheDir: request.moduleCacheDir } : {}),
    },
    request.limits.callTimeoutMs,
  );
  if (reply.type === 'load-failed') throw new PluginLoadError(reply.error);
  if (reply.type !== 'loaded') throw new PluginLoadError(`unexpected reply ${reply.type}`);
  return reply.report;
}

/** What the user is asked to decide on: every capability the plugin requests, with its status now. */
export function approvalRequest(
  pluginId: string,
  metadata: PluginMetadata | null,
  verification: VerificationResult | null,
  decision: GrantDecision,
  reason: ApprovalRequest['reason'],
): ApprovalRequest {
  const status = (c: Capability): GrantStatus => (decision.granted.includes(c) ? 'granted' : decision.denied.includes(c) ? 'denied' : 'pending');
  return {
    pluginId,
    name: metadata?.name ?? pluginId,
    version: metadata?.version ?? '',
    tier: verification?.tier ?? 'unchecked',
    signer: verification?.signer ?? null,
    capabilities: (metadata?.capabilities ?? []).map((capability) => ({ capability, status: status(capability) })),
    pending: [...decision.pending],
    allowedHosts: metadata?.allowedHosts ?? [],
    reason,
  };
}

export const sameSet = (a: readonly Capability[], b: readonly Capability[]): boolean => a.length === b.length && a.every((c) => b.includes(c));
