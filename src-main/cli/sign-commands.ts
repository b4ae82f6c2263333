// The `conductor-sign` commands: generate-key, sign, verify, trust list|add|remove (docs/signing.md).
// Prints and returns exit codes only; never prints a private key or a .sig's text unescaped, never loads or runs a plugin.
import { resolve } from 'node:path';
import { KeyFileError, generateKeyPair, readPrivateKey } from '../trust/keys';
import { SigningError, signPlugin, signaturePath, verifySignatureFile, type SignatureVerdict } from '../trust/signature';
import { TrustedKeyStore, TrustedKeysError, type TrustedKey } from '../trust/trusted-keys';
import { terminalJson, terminalLines } from '../../src-shared/terminal-text';

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

/** Lines for the terminal: each escaped (a .sig's developer name or a file name may hold controls), newline-terminated. */
function lines(...text: string[]): string {
  return `${terminalLines(text)}\n`;
}

/** Quotes `text` for a POSIX shell command line the user may copy. */
export function shellQuote(text: string): string {
  if (/^[\w .,@+:=/-]*$/.test(text)) return `"${text}"`;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export async function generateKeyCommand(base: string, io: Output): Promise<number> {
  const pair = await generateKeyPair(base);
  io.out(
    lines(
      `Generated a new Ed25519 key pair.`,
      `  public key:  ${pair.publicKey}`,
      `  private key: ${pair.privatePath}  (secret: keep it safe, never share or commit it)`,
      `  public file: ${pair.publicPath}`,
    ),
  );
  return EXIT.ok;
}

export async function signCommand(wasmPath: string, keyBase: string, developer: { name: string; email: string }, io: Output): Promise<number> {
  const key = await readPrivateKey(keyBase);
  key.seed.fill(0);
  if (key.warning) io.err(lines(`conductor-sign: warning: ${key.warning}`));
  const sig = await signPlugin(wasmPath, keyBase, developer);
  io.out(
    lines(
      `Signed ${wasmPath}`,
      `  sha-256:    ${sig.plugin_hash}`,
      `  size:       ${sig.plugin_size} bytes`,
      `  public key: ${sig.public_key}`,
      `  developer:  ${sig.developer.name}${sig.developer.email ? ` <${sig.developer.email}>` : ''}`,
      `  signed at:  ${sig.signed_at}`,
      `  signature:  ${signaturePath(wasmPath)}`,
    ),
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
    io.out(`${terminalJson(report)}\n`);
    return code;
  }
  if (verdict.status === 'unsigned') {
    io.err(lines(`conductor-sign: ${wasmPath} is not signed: there is no ${signaturePath(wasmPath)}`));
    return code;
  }
  if (verdict.status === 'invalid') {
    io.err(lines(`conductor-sign: ${wasmPath}: INVALID signature (failed check "${verdict.failedCheck}"): ${verdict.message}`));
    return code;
  }
  const s = verdict.signer;
  io.out(
    lines(
      `Signature: valid`,
      `  developer:  ${s.name}`,
      `  email:      ${s.email}`,
      `  public key: ${s.publicKey}`,
      `  signed at:  ${s.signedAt}`,
      `  sha-256:    ${verdict.pluginHash}`,
      `  size:       ${verdict.pluginSize} bytes`,
    ),
  );
  if (trusted) {
    io.out(lines(`Trusted: yes, as "${trusted.name}" (${trustedKeysPath})`));
  } else {
    // A name with a backslash or control characters shows escaped here (the suggested command then records that text).
    io.out(
      lines(
        `Trusted: no — this key is not in ${trustedKeysPath}`,
        `  If you trust the developer, add it with:`,
        `    conductor-sign trust add ${s.publicKey} ${shellQuote(s.name)}`,
      ),
    );
  }
  return code;
}

export async function trustListCommand(trustedKeysPath: string, json: boolean, io: Output): Promise<number> {
  const keys = await new TrustedKeyStore(trustedKeysPath).list();
  if (json) {
    io.out(`${terminalJson(keys)}\n`);
    return EXIT.ok;
  }
  if (keys.length === 0) {
    io.out(lines(`No trusted keys in ${trustedKeysPath}`));
    return EXIT.ok;
  }
  io.out(lines(`Trusted keys in ${trustedKeysPath}:`));
  for (const k of keys) {
    io.out(lines(`  ${k.name}${k.email ? ` <${k.email}>` : ''}`, `    key:   ${k.publicKey}`, `    added: ${k.addedAt || '(unknown)'}`));
  }
  return EXIT.ok;
}

export async function trustAddCommand(trustedKeysPath: string, publicKey: string, name: string, email: string | undefined, io: Output): Promise<number> {
  const entry = await new TrustedKeyStore(trustedKeysPath).add({ publicKey, name, ...(email === undefined ? {} : { email }) });
  io.out(lines(`Trusted "${entry.name}" (${entry.publicKey}) in ${trustedKeysPath}`));
  return EXIT.ok;
}

export async function trustRemoveCommand(trustedKeysPath: string, publicKey: string, io: Output): Promise<number> {
  const entry = await new TrustedKeyStore(trustedKeysPath).remove(publicKey);
  io.out(lines(`Removed "${entry.name}" (${entry.publicKey}) from ${trustedKeysPath}`));
  return EXIT.ok;
}
