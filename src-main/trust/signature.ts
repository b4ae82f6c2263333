// Plugin signature files (DESIGN §7): writes `<plugin>.wasm.sig` and checks one against the plugin's bytes.
// Decides only whether a signature is valid and who made it — never whether that key is trusted (that is policy).
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { SignerInfo } from '../../src-shared/plugin';
import { writeFileAtomically } from '../fs/atomic-write';
import { PUBLIC_KEY_BYTES, SIGNATURE_BYTES, bytesToHex, ed25519Sign, ed25519Verify, hexToBytes } from './ed25519';
import { checkPublicKeyHex, readPrivateKey } from './keys';
import { errorCode, errorMessage } from '../../src-shared/errors';

/** The `.wasm.sig` JSON, field for field (compatible with Conductor's Rust tool). */
export interface SignatureFile {
  version: 1;
  algorithm: 'Ed25519';
  /** Lowercase hex SHA-256 of the .wasm bytes. */
  plugin_hash: string;
  /** Size of the .wasm in bytes. */
  plugin_size: number;
  /** Hex, 32 bytes. */
  public_key: string;
  /** Hex, 64 bytes: Ed25519 over the 32 raw bytes of the SHA-256 digest. */
  signature: string;
  /** RFC 3339. */
  signed_at: string;
  developer: { name: string; email: string };
}

/** Verification steps, in the order they run; a verdict names the first that failed. */
export const SIGNATURE_CHECKS = ['read', 'json', 'fields', 'version', 'algorithm', 'size', 'hash', 'public-key', 'signature-format', 'signature'] as const;
export type SignatureCheck = (typeof SIGNATURE_CHECKS)[number];

export type SignatureVerdict =
  | { status: 'unsigned' }
  | { status: 'invalid'; failedCheck: SignatureCheck; message: string }
  | { status: 'valid'; signer: SignerInfo; pluginHash: string; pluginSize: number };

/** A signing problem the user can fix (unreadable plugin, empty developer name); the message says what. */
export class SigningError extends Error {
  override readonly name = 'SigningError';
}

/** Signature files are a few hundred bytes; anything far larger is refused before parsing. */
export const MAX_SIGNATURE_FILE_BYTES = 64 * 1024;

export function signaturePath(wasmPath: string): string {
  return `${wasmPath}.sig`;
}

function sha256(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(bytes).digest());
}

/** RFC 3339 UTC with whole seconds, e.g. 2025-01-31T12:00:00Z. */
function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The pretty-printed file text (2-space JSON + newline). */
export function formatSignatureFile(sig: SignatureFile): string {
  return `${JSON.stringify(sig, null, 2)}\n`;
}

/**
 * Signs the plugin at `wasmPath` with the private key `BASE`/`BASE.private` and writes `wasmPath.sig` atomically.
 * The signature is checked against the public key before anything is written.
 */
export async function signPlugin(
  wasmPath: string,
  privateKeyBaseOrPath: string,
  developer: { name: string; email: string },
  now: Date = new Date(),
): Promise<SignatureFile> {
  if (developer.name.trim() === '') throw new SigningError('the developer name must not be empty');
  const key = await readPrivateKey(privateKeyBaseOrPath);
  const wasm = await readPlugin(wasmPath);
  const digest = sha256(wasm);
  let signature: Uint8Array;
  try {
    signature = await ed25519Sign(key.seed, digest);
  } finally {
    key.seed.fill(0);
  }
  if (!(await ed25519Verify(signature, digest, hexToBytes(key.publicKey)))) throw new Error('internal error: the new signature does not verify');
  const file: SignatureFile = {
    version: 1,
    algorithm: 'Ed25519',
    plugin_hash: bytesToHex(digest),
    plugin_size: wasm.length,
    public_key: key.publicKey,
    signature: bytesToHex(signature),
    signed_at: rfc3339(now),
    developer: { name: developer.name, email: developer.email },
  };
  await writeFileAtomically(signaturePath(wasmPath), formatSignatureFile(file));
  return file;
}

function invalid(failedCheck: SignatureCheck, message: string): SignatureVerdict {
  return { status: 'invalid', failedCheck, message };
}

/** Why `value` is not exactly `bytes` bytes of hex (any case, nothing else), or null. */
function hexProblem(value: string, bytes: number): string | null {
  if (value.length !== bytes * 2) return `expected ${bytes * 2} hex characters (${bytes} bytes), got ${value.length}`;
  const bad = value.search(/[^0-9a-fA-F]/);
  if (bad !== -1) return `not hexadecimal: unexpected character ${JSON.stringify(value[bad])} at position ${bad + 1}`;
  return null;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Problems with the shape of the parsed JSON, all of them, e.g. `plugin_size (missing)`. */
function fieldProblems(doc: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const expect = (path: string, value: unknown, type: 'string' | 'number' | 'object'): boolean => {
    if (value === undefined) {
      problems.push(`${path} (missing)`);
      return false;
    }
    const actual = typeName(value);
    if (actual !== type) {
      problems.push(`${path} (expected ${type === 'object' ? 'an object' : `a ${type}`}, got ${actual})`);
      return false;
    }
    return true;
  };
  expect('version', doc.version, 'number');
  expect('algorithm', doc.algorithm, 'string');
  expect('plugin_hash', doc.plugin_hash, 'string');
  if (expect('plugin_size', doc.plugin_size, 'number') && !(Number.isSafeInteger(doc.plugin_size) && (doc.plugin_size as number) >= 0)) {
    problems.push(`plugin_size (expected a whole number of bytes, got ${String(doc.plugin_size)})`);
  }
  expect('public_key', doc.public_key, 'string');
  expect('signature', doc.signature, 'string');
  expect('signed_at', doc.signed_at, 'string');
  if (expect('developer', doc.developer, 'object')) {
    const dev = doc.developer as Record<string, unknown>;
    expect('developer.name', dev.name, 'string');
    expect('developer.email', dev.email, 'string');
  }
  return problems;
}

/**
 * Checks a signature file's text against the plugin bytes, in the order of SIGNATURE_CHECKS.
 * `sigText === null` means there is no signature file (unsigned). Never throws.
 */
export async function verifySignature(wasmBytes: Uint8Array, sigText: string | null): Promise<SignatureVerdict> {
  if (sigText === null) return { status: 'unsigned' };

  let parsed: unknown;
  try {
    parsed = JSON.parse(sigText.replace(/^\uFEFF/, ''));
  } catch (err) {
    return invalid('json', `signature file is not valid JSON: ${errorMessage(err)}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return invalid('fields', `signature file must be a JSON object, got ${typeName(parsed)}`);
  }
  const doc = parsed as Record<string, unknown>;
  const problems = fieldProblems(doc);
  if (problems.length > 0) return invalid('fields', `signature file has missing or wrongly typed fields: ${problems.join(', ')}`);
  const sig = doc as unknown as Omit<SignatureFile, 'version' | 'algorithm'> & { version: number; algorithm: string };

  if (sig.version !== 1) return invalid('version', `unsupported signature version ${sig.version} (this Conductor understands version 1)`);
  if (sig.algorithm !== 'Ed25519') return invalid('algorithm', `unsupported signature algorithm ${JSON.stringify(sig.algorithm)} (expected "Ed25519")`);

  if (sig.plugin_size !== wasmBytes.length) {
    return invalid('size', `plugin is ${wasmBytes.length} bytes but the signature is for ${sig.plugin_size} bytes`);
  }

  const digest = sha256(wasmBytes);
  const actualHash = bytesToHex(digest);
  if (!/^[0-9a-fA-F]{64}$/.test(sig.plugin_hash)) {
    return invalid('hash', `plugin_hash is not a SHA-256 (expected 64 hex characters, got ${JSON.stringify(sig.plugin_hash.slice(0, 80))})`);
  }
  const signedHash = sig.plugin_hash.toLowerCase();
  if (signedHash !== actualHash) {
    return invalid('hash', `plugin was modified after signing (SHA-256 ${actualHash} ≠ ${signedHash} in the signature)`);
  }

  // Exact hex in the file (no surrounding whitespace), then a usable curve point.
  const key = checkPublicKeyHex(sig.public_key);
  const keyProblem = hexProblem(sig.public_key, PUBLIC_KEY_BYTES) ?? (key.ok ? null : key.error);
  if (keyProblem !== null || !key.ok) return invalid('public-key', `public_key: ${keyProblem ?? 'invalid'}`);

  const sigProblem = hexProblem(sig.signature, SIGNATURE_BYTES);
  if (sigProblem !== null) return invalid('signature-format', `signature: ${sigProblem}`);

  if (!(await ed25519Verify(hexToBytes(sig.signature), digest, hexToBytes(key.key)))) {
    return invalid('signature', `signature does not match: it was not made by the private key of ${key.key} for this plugin's SHA-256`);
  }

  return {
    status: 'valid',
    signer: { publicKey: key.key, name: sig.developer.name, email: sig.developer.email, signedAt: sig.signed_at },
    pluginHash: actualHash,
    pluginSize: wasmBytes.length,
  };
}

/** The plugin's bytes; a plugin that cannot be read is a SigningError naming it. */
async function readPlugin(wasmPath: string): Promise<Uint8Array> {
  try {
    return await readFile(wasmPath);
  } catch (err) {
    throw new SigningError(`cannot read plugin ${wasmPath}: ${errorMessage(err)}`);
  }
}

/**
 * Reads the plugin and `wasmPath.sig` and verifies them. No .sig file → unsigned; an unreadable or oversized one →
 * invalid ('read'). Throws (SigningError) only when the plugin itself cannot be read.
 */
export async function verifySignatureFile(wasmPath: string): Promise<SignatureVerdict> {
  const wasm = await readPlugin(wasmPath);
  const path = signaturePath(wasmPath);
  let text: string;
  try {
    const info = await stat(path);
    if (info.isFile() && info.size > MAX_SIGNATURE_FILE_BYTES) {
      return invalid('read', `cannot read ${path}: it is ${info.size} bytes, more than a signature file can be (${MAX_SIGNATURE_FILE_BYTES})`);
    }
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return { status: 'unsigned' };
    return invalid('read', `cannot read ${path}: ${errorMessage(err)}`);
  }
  return verifySignature(wasm, text);
}
