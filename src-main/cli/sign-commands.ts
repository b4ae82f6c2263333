// The `conductor-sign` commands: generate-key, sign, verify, trust list|add|remove (docs/signing.md).
// Prints and returns exit codes only; never prints a private key and never loads or runs a plugin.
import { resolve } from 'node:path';
import { KeyFileError, generateKeyPair, readPrivateKey } from '../trust/keys';
import { SigningError, signPlugin, signaturePath, verifySignatureFile, type SignatureVerdict } from '../trust/signature';
import { TrustedKeyStore, TrustedKeysError, type TrustedKey } from '../trust/trusted-keys';

/** Exit statuses of `conductor-sign` (documented in docs/signing.md). */
export const EXIT = Object.freeze({
  /** Done; for verify: signature valid and the key is trusted. */
  ok: 0,
  /** An error; for verify: unsigned or invalid signature. */
  error: 1,
  /** A mistake in the command line. */
  usage: 2,
  /** verify: the signature is valid but its key is not in the trusted keys. */
  untrusted: 3,
});

/** A mistake in the command line: printed with the usage text, exit status 2. */
export class UsageError extends Error {}

/** Errors whose message is the whole story for the user (no stack trace). */
export function isExpectedError(err: unknown): boolean {
  return err instanceof KeyFileError || err instanceof TrustedKeysError || err instanceof SigningError || err instanceof UsageError;
}

export interface Output {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** Quotes `text` for a POSIX shell command line the user may copy. */
export function shellQuote(text: string): string {
  if (/^[\w .,@+:=/-]*$/.test(text)) return `"${text}"`;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export async function generateKeyCommand(base: string, io: Output): Promise<number> {
  const pair = await generateKeyPair(base);
  io.out(
    `Generated a new Ed25519 key pair.\n` +
      `  public key:  ${pair.publicKey}\n` +
      `  private key: ${pair.privatePath}  (secret: keep it safe, never share or commit it)\n` +
      `  public file: ${pair.publicPath}\n`,
  );
  return EXIT.ok;
}

export async function signCommand(wasmPath: string, keyBase: string, developer: { name: string; email: string }, io: Output): Promise<number> {
  const key = await readPrivateKey(keyBase);
  key.seed.fill(0);
  if (key.warning) io.err(`conductor-sign: warning: ${key.warning}\n`);
  const sig = await signPlugin(wasmPath, keyBase, developer);
  io.out(
    `Signed ${wasmPath}\n` +
      `  sha-256:    ${sig.plugin_hash}\n` +
      `  size:       ${sig.plugin_size} bytes\n` +
      `  public key: ${sig.public_key}\n` +
      `  developer:  ${sig.developer.name}${sig.developer.email ? ` <${sig.developer.email}>` : ''}\n` +
      `  signed at:  ${sig.signed_at}\n` +
      `  signature:  ${signaturePath(wasmPath)}\n`,
  );
  return EXIT.ok;
}

interface VerifyReport {
  plugin: string;
  status: SignatureVerdict['status'];
  failedCheck: string | null;
  message: string | null;
  signer: { publicKey: string; name: string; email: string; signedAt: string } | null;
  pluginHash: string | null;
  pluginSize: number | null;
  trusted: boolean;
  trustedKeyName: string | null;
  trustedKeysPath: string;
}

export async function verifyCommand(wasmPath: string, trustedKeysPath: string, json: boolean, io: Output): Promise<number> {
  const verdict = await verifySignatureFile(wasmPath);
  const trusted: TrustedKey | null = verdict.status === 'valid' ? await new TrustedKeyStore(trustedKeysPath).find(verdict.signer.publicKey) : null;
  const report: VerifyReport = {
    plugin: resolve(wasmPath),
    status: verdict.status,
    failedCheck: verdict.status === 'invalid' ? verdict.failedCheck : null,
    message: verdict.status === 'invalid' ? verdict.message : verdict.status === 'unsigned' ? `no signature file (${signaturePath(wasmPath)})` : null,
    signer: verdict.status === 'valid' ? verdict.signer : null,
    pluginHash: verdict.status === 'valid' ? verdict.pluginHash : null,
    pluginSize: verdict.status === 'valid' ? verdict.pluginSize : null,
    trusted: trusted !== null,
    trustedKeyName: trusted?.name ?? null,
    trustedKeysPath,
  };
  const code = verdict.status !== 'valid' ? EXIT.error : trusted ? EXIT.ok : EXIT.untrusted;
  if (json) {
    io.out(`${JSON.stringify(report)}\n`);
    return code;
  }
  if (verdict.status === 'unsigned') {
    io.err(`conductor-sign: ${wasmPath} is not signed: there is no ${signaturePath(wasmPath)}\n`);
    return code;
  }
  if (verdict.status === 'invalid') {
    io.err(`conductor-sign: ${wasmPath}: INVALID signature (failed check "${verdict.failedCheck}"): ${verdict.message}\n`);
    return code;
  }
  const s = verdict.signer;
  io.out(
    `Signature: valid\n` +
      `  developer:  ${s.name}\n` +
      `  email:      ${s.email}\n` +
      `  public key: ${s.publicKey}\n` +
      `  signed at:  ${s.signedAt}\n` +
      `  sha-256:    ${verdict.pluginHash}\n` +
      `  size:       ${verdict.pluginSize} bytes\n`,
  );
  if (trusted) {
    io.out(`Trusted: yes, as "${trusted.name}" (${trustedKeysPath})\n`);
  } else {
    io.out(
      `Trusted: no — this key is not in ${trustedKeysPath}\n` +
        `  If you trust the developer, add it with:\n` +
        `    conductor-sign trust add ${s.publicKey} ${shellQuote(s.name)}\n`,
    );
  }
  return code;
}

export async function trustListCommand(trustedKeysPath: string, json: boolean, io: Output): Promise<number> {
  const keys = await new TrustedKeyStore(trustedKeysPath).list();
  if (json) {
    io.out(`${JSON.stringify(keys)}\n`);
    return EXIT.ok;
  }
  if (keys.length === 0) {
    io.out(`No trusted keys in ${trustedKeysPath}\n`);
    return EXIT.ok;
  }
  io.out(`Trusted keys in ${trustedKeysPath}:\n`);
  for (const k of keys) {
    io.out(`  ${k.name}${k.email ? ` <${k.email}>` : ''}\n    key:   ${k.publicKey}\n    added: ${k.addedAt || '(unknown)'}\n`);
  }
  return EXIT.ok;
}

export async function trustAddCommand(trustedKeysPath: string, publicKey: string, name: string, email: string | undefined, io: Output): Promise<number> {
  const entry = await new TrustedKeyStore(trustedKeysPath).add({ publicKey, name, ...(email === undefined ? {} : { email }) });
  io.out(`Trusted "${entry.name}" (${entry.publicKey}) in ${trustedKeysPath}\n`);
  return EXIT.ok;
}

export async function trustRemoveCommand(trustedKeysPath: string, publicKey: string, io: Output): Promise<number> {
  const entry = await new TrustedKeyStore(trustedKeysPath).remove(publicKey);
  io.out(`Removed "${entry.name}" (${entry.publicKey}) from ${trustedKeysPath}\n`);
  return EXIT.ok;
}
