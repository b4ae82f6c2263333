// Signature policy (DESIGN §7): turns a signature verdict and the trusted-key list into a load decision and a
// tier, and reads the policy from config.toml's [wasm] table. Decides only; never loads or runs a plugin.
import { readFile, stat } from 'node:fs/promises';
import type TOML from '@iarna/toml';
import { readWasmPolicy } from '../config/schema-wasm';
import { readTomlFile } from '../fs/toml-file';
import type { PluginLimitOverrides, VerificationResult } from '../../src-shared/plugin';
import type { VerifyHook } from './hooks';
import { MAX_SIGNATURE_FILE_BYTES, signaturePath, verifySignature, type SignatureVerdict } from './signature';
import type { TrustedKeyStore } from './trusted-keys';
import { errorCode, errorMessage } from '../../src-shared/errors';
import { BUNDLED_PLUGINS } from './bundled-plugins';

export interface SignaturePolicy {
  /** Unsigned plugins are refused. */
  requireSignature: boolean;
  /** With signatures required: any valid signature is enough (self-signed); without it the key must be trusted. */
  allowSelfSigned: boolean;
}

export const DEFAULT_POLICY: Readonly<SignaturePolicy> = Object.freeze({ requireSignature: false, allowSelfSigned: false });

/** The strictest tier a plugin must reach to load under `policy`, in words (for UI and CLI). */
export function describePolicy(policy: SignaturePolicy): string {
  if (!policy.requireSignature) return 'signatures optional: unsigned plugins load (development), invalid signatures are refused';
  if (policy.allowSelfSigned) return 'signatures required: any valid signature loads (self-signed), unsigned plugins are refused';
  return 'trusted keys only: a plugin loads only when signed by a key in your trusted keys';
}

/**
 * The load decision. A present but invalid signature always blocks. Unsigned loads only when signatures are not
 * required. A valid signature is "trusted" when its key is listed, else "self-signed", which loads unless the
 * policy requires signatures from trusted keys.
 */
export function decide(verdict: SignatureVerdict, trustedKeyName: string | null, policy: SignaturePolicy): VerificationResult {
  if (verdict.status === 'invalid') {
    return { ok: false, tier: 'unsigned', detail: `invalid signature: ${verdict.message}`, signer: null, trustedKeyName: null, failedCheck: verdict.failedCheck };
  }
  if (verdict.status === 'unsigned') {
    return policy.requireSignature
      ? { ok: false, tier: 'unsigned', detail: 'plugin is not signed (no .wasm.sig file) and signatures are required', signer: null, trustedKeyName: null, failedCheck: 'unsigned' }
      : { ok: true, tier: 'unsigned', detail: 'not signed (allowed: signatures are not required)', signer: null, trustedKeyName: null, failedCheck: null };
  }
  const signer = verdict.signer;
  const who = `${signer.name}${signer.email ? ` <${signer.email}>` : ''}, key ${signer.publicKey.slice(0, 16)}…`;
  if (trustedKeyName !== null) {
    return { ok: true, tier: 'trusted', detail: `signed by ${who} (trusted as "${trustedKeyName}")`, signer, trustedKeyName, failedCheck: null };
  }
  if (policy.requireSignature && !policy.allowSelfSigned) {
    return {
      ok: false,
      tier: 'self-signed',
      detail: `signed by ${who}, which is not in your trusted keys, and only trusted keys are allowed; add the developer's key in Settings → Trusted keys (or \`conductor-sign trust add ${signer.publicKey} "${signer.name}"\`)`,
      signer,
      trustedKeyName: null,
      failedCheck: 'trust',
    };
  }
  return { ok: true, tier: 'self-signed', detail: `signed by ${who} (key not in your trusted keys)`, signer, trustedKeyName: null, failedCheck: null };
}

/** The tier of a file whose SHA-256 is in the app's own manifest: shipped inside the signed app package. */
export function bundledResult(sha256: string, bundled: Readonly<Record<string, string>> = BUNDLED_PLUGINS): VerificationResult | null {
  const name = Object.keys(bundled).find((file) => bundled[file] === sha256);
  if (name === undefined) return null;
  return { ok: true, tier: 'bundled', detail: `shipped with the app (${name}; SHA-256 matches the app's manifest)`, signer: null, trustedKeyName: null, failedCheck: null };
}

/**
 * The verify hook for the plugin host: a plugin the app ships (its SHA-256 in the built-in manifest) is "bundled";
 * any other reads `<plugin>.wasm.sig` and checks it against the bytes the host read.
 */
export function createVerifier(trustedKeys: TrustedKeyStore, policy: () => SignaturePolicy, bundled: Readonly<Record<string, string>> = BUNDLED_PLUGINS): VerifyHook {
  return async ({ wasmPath, bytes, sha256 }) => {
    const shipped = bundledResult(sha256, bundled);
    if (shipped) return shipped;
    const path = signaturePath(wasmPath);
    let sigText: string | null;
    try {
      const size = (await stat(path)).size;
      if (size > MAX_SIGNATURE_FILE_BYTES) throw new Error(`it is ${size} bytes, more than a signature file can be (${MAX_SIGNATURE_FILE_BYTES})`);
      sigText = await readFile(path, 'utf8');
    } catch (err) {
      if (errorCode(err) !== 'ENOENT') {
        return decide({ status: 'invalid', failedCheck: 'read', message: `cannot read ${path}: ${errorMessage(err)}` }, null, policy());
      }
      sigText = null;
    }
    const verdict = await verifySignature(bytes, sigText);
    const trusted = verdict.status === 'valid' ? await trustedKeys.find(verdict.signer.publicKey) : null;
    return decide(verdict, trusted?.name ?? null, policy());
  };
}

export class PolicyConfigError extends Error {
  override readonly name = 'PolicyConfigError';
}

/**
 * `[wasm]` of a config file — `require_signature`, `allow_self_signed` and the per-plugin limits — read with the
 * config module's own rules; a missing file or table = defaults. For commands that run without the loaded config
 * (`conductor plugin …`); the app takes them from the loaded config instead.
 */
export async function readWasmSettings(configFile: string): Promise<{ policy: SignaturePolicy; limits: Record<string, PluginLimitOverrides> }> {
  let doc: TOML.JsonMap | null;
  try {
    doc = await readTomlFile(configFile);
  } catch (err) {
    throw new PolicyConfigError(errorMessage(err));
  }
  if (doc === null) return { policy: { ...DEFAULT_POLICY }, limits: {} };
  const { policy, issues } = readWasmPolicy(doc);
  if (issues.length > 0) throw new PolicyConfigError(issues.map((i) => `${configFile}: ${i.path}: ${i.message}`).join('\n'));
  return { policy: { requireSignature: policy.requireSignature, allowSelfSigned: policy.allowSelfSigned }, limits: policy.limits ?? {} };
}
