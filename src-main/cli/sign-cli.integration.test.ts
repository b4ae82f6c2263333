// The `conductor-sign` command as a user runs it: a real process (bin/conductor-sign.js → dist), real temp files.
import { execFile } from 'node:child_process';
import { createHash, createPrivateKey, createPublicKey, randomBytes, sign as nodeSign } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cFixture } from '../../plugins/fixtures';

const BIN = fileURLToPath(new URL('../../bin/conductor-sign.js', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let root: string;
let env: NodeJS.ProcessEnv;

function conductorSign(args: string[], extraEnv: NodeJS.ProcessEnv = env): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: root, env: extraEnv }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

function expectNoStack(run: Run): void {
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'conductor-sign-cli-'));
  const base: NodeJS.ProcessEnv = { ...process.env };
  delete base.CONDUCTOR_DEBUG;
  env = { ...base, CONDUCTOR_CONFIG_DIR: join(root, 'config'), CONDUCTOR_TRUSTED_KEYS: join(root, 'trusted_keys.toml') };
  copyFileSync(cFixture('good'), join(root, 'good.wasm'));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('conductor-sign round trip', () => {
  it('generate-key → sign → verify (untrusted, 3) → trust add → verify (0) → trust list → trust remove', async () => {
    const gen = await conductorSign(['generate-key', 'keys/ada']);
    expect(gen.code).toBe(0);
    const publicKey = /public key:\s+([0-9a-f]{64})/.exec(gen.stdout)?.[1] ?? '';
    expect(publicKey).toMatch(/^[0-9a-f]{64}$/);
    expect(gen.stdout).toContain('keys/ada.private');
    expect(gen.stdout).toContain('keys/ada.public');
    expect(readFileSync(join(root, 'keys/ada.public'), 'utf8')).toBe(`${publicKey}\n`);
    if (process.platform !== 'win32') expect(statSync(join(root, 'keys/ada.private')).mode & 0o777).toBe(0o600);

    const signed = await conductorSign(['sign', 'good.wasm', 'keys/ada', '--name', 'Ada Dev', '--email', 'ada@example.com']);
    expect(signed.code).toBe(0);
    const sig = JSON.parse(readFileSync(join(root, 'good.wasm.sig'), 'utf8')) as Record<string, unknown>;
    const hash = createHash('sha256').update(readFileSync(join(root, 'good.wasm'))).digest('hex');
    expect(sig).toMatchObject({ version: 1, algorithm: 'Ed25519', plugin_hash: hash, public_key: publicKey, developer: { name: 'Ada Dev', email: 'ada@example.com' } });
    expect(signed.stdout).toContain(hash);
    expect(signed.stdout).toContain(publicKey);
    expect(signed.stdout).toContain('good.wasm.sig');

    const untrusted = await conductorSign(['verify', 'good.wasm']);
    expect(untrusted.code).toBe(3);
    expect(untrusted.stdout).toMatch(/^Signature: valid\n/);
    for (const detail of ['Ada Dev', 'ada@example.com', publicKey, hash, String(sig.signed_at), `${String(sig.plugin_size)} bytes`]) {
      expect(untrusted.stdout).toContain(detail);
    }
    expect(untrusted.stdout).toContain(`Trusted: no — this key is not in ${env.CONDUCTOR_TRUSTED_KEYS}`);
    expect(untrusted.stdout).toContain(`conductor-sign trust add ${publicKey} "Ada Dev"`);

    const add = await conductorSign(['trust', 'add', publicKey.toUpperCase(), 'Ada', '--email', 'ada@example.com']);
    expect(add.code).toBe(0);
    expect(add.stdout).toContain(`Trusted "Ada" (${publicKey})`);
    expect(readFileSync(env.CONDUCTOR_TRUSTED_KEYS ?? '', 'utf8')).toContain(`public_key = "${publicKey}"`);

    const trusted = await conductorSign(['verify', 'good.wasm']);
    expect(trusted.code).toBe(0);
    expect(trusted.stdout).toContain('Trusted: yes, as "Ada"');

    const json = await conductorSign(['verify', 'good.wasm', '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      status: 'valid',
      failedCheck: null,
      signer: { publicKey, name: 'Ada Dev', email: 'ada@example.com' },
      pluginHash: hash,
      trusted: true,
      trustedKeyName: 'Ada',
    });

    const list = await conductorSign(['trust', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('Ada <ada@example.com>');
    expect(list.stdout).toContain(publicKey);
    const listJson = await conductorSign(['trust', 'list', '--json']);
    // The default trusted-keys file got the shipped official key on first use, as the app does on first run.
    expect(JSON.parse(listJson.stdout)).toEqual([
      expect.objectContaining({ name: 'Conductor (official plugins)' }),
      expect.objectContaining({ publicKey, name: 'Ada', email: 'ada@example.com' }),
    ]);

    const dup = await conductorSign(['trust', 'add', publicKey, 'Again']);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toBe(`conductor-sign: key ${publicKey} is already trusted as "Ada"\n`);

    const remove = await conductorSign(['trust', 'remove', publicKey]);
    expect(remove.code).toBe(0);
    expect(remove.stdout).toContain(`Removed "Ada" (${publicKey})`);
    expect((await conductorSign(['verify', 'good.wasm'])).code).toBe(3);
    const again = await conductorSign(['trust', 'remove', publicKey]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/is not in the trusted keys/);
    const left = (await conductorSign(['trust', 'list'])).stdout;
    expect(left).not.toContain('Ada');
    expect(left).toContain('Conductor (official plugins)');
    // Removed official key stays removed.
    const official = JSON.parse((await conductorSign(['trust', 'list', '--json'])).stdout)[0].publicKey as string;
    expect((await conductorSign(['trust', 'remove', official])).code).toBe(0);
    expect((await conductorSign(['trust', 'list'])).stdout).toMatch(/^No trusted keys in /);
  });

  it('verify: a tampered plugin exits 1 naming the failed check', async () => {
    await conductorSign(['generate-key', 'keys/tamper']);
    copyFileSync(cFixture('good'), join(root, 'tampered.wasm'));
    expect((await conductorSign(['sign', 'tampered.wasm', 'keys/tamper.private', '--name', 'T', '--email', 't@example.com'])).code).toBe(0);
    const bytes = readFileSync(join(root, 'tampered.wasm'));
    bytes[bytes.length >> 1] = (bytes[bytes.length >> 1] ?? 0) ^ 0x01;
    writeFileSync(join(root, 'tampered.wasm'), bytes);
    const r = await conductorSign(['verify', 'tampered.wasm']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/failed check "hash"/);
    expect(r.stderr).toMatch(/plugin was modified after signing \(SHA-256 [0-9a-f]{64} ≠ [0-9a-f]{64}/);
    expectNoStack(r);
    const json = await conductorSign(['verify', 'tampered.wasm', '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ status: 'invalid', failedCheck: 'hash', trusted: false });
  });

  it('verify: an unsigned plugin exits 1', async () => {
    copyFileSync(cFixture('good'), join(root, 'unsigned.wasm'));
    const r = await conductorSign(['verify', 'unsigned.wasm']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('unsigned.wasm is not signed');
  });

  it('verify accepts a .sig made by Node crypto, and --trusted-keys overrides the environment', async () => {
    copyFileSync(cFixture('good'), join(root, 'node.wasm'));
    const wasm = readFileSync(join(root, 'node.wasm'));
    const key = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), randomBytes(32)]), format: 'der', type: 'pkcs8' });
    const publicKey = createPublicKey(key).export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
    const digest = createHash('sha256').update(wasm).digest();
    const sig = {
      version: 1,
      algorithm: 'Ed25519',
      plugin_hash: digest.toString('hex'),
      plugin_size: wasm.length,
      public_key: publicKey,
      signature: nodeSign(null, digest, key).toString('hex'),
      signed_at: '2025-01-01T00:00:00Z',
      developer: { name: 'Node', email: 'node@example.com' },
    };
    writeFileSync(join(root, 'node.wasm.sig'), JSON.stringify(sig));
    expect((await conductorSign(['verify', 'node.wasm'])).code).toBe(3);
    const other = join(root, 'other-trusted.toml');
    expect((await conductorSign(['trust', 'add', publicKey, 'Node', '--trusted-keys', other])).code).toBe(0);
    expect((await conductorSign(['verify', 'node.wasm'])).code).toBe(3);
    const r = await conductorSign(['verify', 'node.wasm', '--trusted-keys', other]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Trusted: yes, as "Node"');
  });

  it('without CONDUCTOR_TRUSTED_KEYS uses trusted_keys.toml in CONDUCTOR_CONFIG_DIR', async () => {
    const configOnly: NodeJS.ProcessEnv = { ...env, CONDUCTOR_CONFIG_DIR: join(root, 'cfg2') };
    delete configOnly.CONDUCTOR_TRUSTED_KEYS;
    const key = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
    expect((await conductorSign(['trust', 'add', key, 'RFC'], configOnly)).code).toBe(0);
    const text = readFileSync(join(root, 'cfg2', 'trusted_keys.toml'), 'utf8');
    expect(text).toContain(key);
    expect(text).toContain('Conductor (official plugins)');
  });
});

describe('conductor-sign errors and usage', () => {
  it('--help prints usage and exits 0; no arguments prints usage and exits 2', async () => {
    const help = await conductorSign(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage:\n {2}conductor-sign generate-key BASE/);
    const none = await conductorSign([]);
    expect(none.code).toBe(2);
    expect(none.stdout).toContain('Usage:');
  });

  it('bad usage exits 2 with the usage text on stderr', async () => {
    const cases: [string[], RegExp][] = [
      [['frobnicate'], /unknown command "frobnicate"/],
      [['sign', 'good.wasm', 'keys/ada', '--email', 'a@b.c'], /sign needs --name NAME/],
      [['sign', 'good.wasm', 'keys/ada', '--name', 'A'], /sign needs --email EMAIL/],
      [['sign', 'good.wasm'], /missing BASE/],
      [['verify'], /missing PLUGIN\.wasm/],
      [['verify', 'a.wasm', 'b.wasm'], /unexpected argument "b\.wasm"/],
      [['verify', 'good.wasm', '--bogus'], /Unknown option '--bogus'/],
      [['verify', 'good.wasm', '--name', 'x'], /verify does not take --name/],
      [['trust'], /trust needs a subcommand/],
      [['trust', 'grant'], /unknown trust subcommand "grant"/],
      [['trust', 'add', 'abcd'], /missing NAME/],
    ];
    const runs = await Promise.all(cases.map(([args]) => conductorSign(args)));
    for (const [i, [args, message]] of cases.entries()) {
      const r = runs[i] as Run;
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toContain('Usage:');
      expect(r.stdout).toBe('');
    }
  });

  it('expected errors exit 1 with "conductor-sign: message" and no stack trace', async () => {
    await conductorSign(['generate-key', 'keys/exists']);
    const cases: [string[], RegExp][] = [
      [['generate-key', 'keys/exists'], /keys\/exists\.private already exists; refusing to overwrite/],
      [['sign', 'good.wasm', 'keys/nothing', '--name', 'A', '--email', 'a@b.c'], /private key file not found: keys\/nothing\.private/],
      [['sign', 'missing.wasm', 'keys/exists', '--name', 'A', '--email', 'a@b.c'], /cannot read plugin missing\.wasm/],
      [['sign', 'good.wasm', 'keys/exists.public', '--name', 'A', '--email', 'a@b.c'], /keys\/exists\.public is the public half/],
      [['trust', 'add', 'abcd', 'Someone'], /invalid public key: expected 64 hex characters \(32 bytes\), got 4/],
      [['verify', 'missing.wasm'], /cannot read plugin missing\.wasm/],
    ];
    const runs = await Promise.all(cases.map(([args]) => conductorSign(args)));
    for (const [i, [args, message]] of cases.entries()) {
      const r = runs[i] as Run;
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`^conductor-sign: ${message.source}`));
      expectNoStack(r);
    }
    expect(existsSync(join(root, 'missing.wasm.sig'))).toBe(false);
  });

  it('a malformed trusted-keys file is reported as FILE:LINE:COL (exit 1) and left alone', async () => {
    const bad = join(root, 'bad-trusted.toml');
    writeFileSync(bad, '[[keys]]\nname = "x"\npublic_key = zz\n');
    const r = await conductorSign(['trust', 'list', '--trusted-keys', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^conductor-sign: ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:14: `));
    expectNoStack(r);
    expect((await conductorSign(['trust', 'add', 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a', 'X', '--trusted-keys', bad])).code).toBe(1);
    expect(readFileSync(bad, 'utf8')).toBe('[[keys]]\nname = "x"\npublic_key = zz\n');
  });
});
