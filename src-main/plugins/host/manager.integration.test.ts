// Installation, discovery, signature policy and capability grants end to end: real plugin files, real
// signatures, real sandbox processes, real TOML files in temp dirs.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApprovalRequest } from '../../../src-shared/capabilities';
import { buildWatFixtures, cFixture } from '../../../plugins/fixtures';
import { generateKeyPair } from '../../trust/keys';
import { createVerifier, DEFAULT_POLICY, type SignaturePolicy } from '../../trust/policy';
import { signPlugin } from '../../trust/signature';
import { TrustedKeyStore } from '../../trust/trusted-keys';
import { createPlugin } from './create-plugin';
import { SandboxPool } from './sandbox-pool';
import { PluginManager } from './manager';

const ctx = { trigger: 'Note', note: 60, velocity: 100, channel: 0, mode: 'Default', timestamp: 1732500000000 };
let root: string;
let src: string;
let manager: PluginManager;
let approvals: ApprovalRequest[];
let fx: Awaited<ReturnType<typeof buildWatFixtures>>;
let savedDataDir: string | undefined;

/** A copy of a wasm file with an extra custom section: same plugin, different binary (SHA-256). */
function variant(from: string, to: string, tag: string): string {
  const bytes = readFileSync(from);
  const name = Buffer.from('x-variant');
  const payload = Buffer.from(tag);
  const body = Buffer.concat([Buffer.from([name.length]), name, payload]);
  writeFileSync(to, Buffer.concat([bytes, Buffer.from([0, body.length]), body]));
  return to;
}

/** Flips the last byte of a file: same size, different SHA-256 (blocked at the signature check before it is parsed). */
function tamper(file: string): void {
  const bytes = readFileSync(file);
  bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0xff;
  writeFileSync(file, bytes);
}

async function open(policy: SignaturePolicy = DEFAULT_POLICY): Promise<PluginManager> {
  const m = await PluginManager.open({
    pluginsDir: join(root, 'plugins'),
    trustedKeysPath: join(root, 'config', 'trusted_keys.toml'),
    grantsPath: join(root, 'config', 'plugin_grants.toml'),
    policy,
    officialKeyPath: null,
    host: { spareSandboxes: 0 },
  });
  m.events.onDidRequestApproval((r) => approvals.push(r));
  return m;
}

beforeAll(async () => {
  fx = await buildWatFixtures();
  savedDataDir = process.env.CONDUCTOR_DATA_DIR;
});
afterAll(() => {
  fx.cleanup();
  if (savedDataDir === undefined) delete process.env.CONDUCTOR_DATA_DIR;
  else process.env.CONDUCTOR_DATA_DIR = savedDataDir;
});

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'conductor-manager-'));
  src = join(root, 'src');
  mkdirSync(src);
  process.env.CONDUCTOR_DATA_DIR = join(root, 'data');
  approvals = [];
  manager = await open();
});
afterEach(async () => {
  await manager.shutdown();
  rmSync(root, { recursive: true, force: true });
});

describe('install and capability grants', () => {
  it('installs an unsigned plugin, holds it until filesystem is approved, and follows grant, revoke and deny', async () => {
    const file = join(src, 'counter.wasm');
    copyFileSync(cFixture('good'), file);
    const installed = await manager.install(file);
    expect(installed.action).toBe('installed');
    expect(readdirSync(join(root, 'plugins'))).toEqual(['counter.wasm']);
    const snap = installed.plugin.snapshot;
    expect(snap).toMatchObject({ state: 'waiting-approval', grants: [], pendingCapabilities: ['filesystem'], deniedCapabilities: [] });
    expect(snap.verification).toMatchObject({ ok: true, tier: 'unsigned' });
    expect(approvals.at(-1)).toMatchObject({ pluginId: 'counter', name: 'counter', reason: 'load', pending: ['filesystem'], tier: 'unsigned' });

    const handle = manager.get('counter')!;
    const waiting = await handle.call({ action: 'count' }, ctx);
    expect(waiting).toMatchObject({ ok: false, errorKind: 'approval', error: 'waiting for approval of: filesystem (medium risk)' });
    expect(approvals.at(-1)?.reason).toBe('call');

    const granted = await manager.decide('counter', 'filesystem', 'granted');
    expect(granted.snapshot).toMatchObject({ state: 'ready', grants: ['filesystem'], pendingCapabilities: [] });
    const counted = await handle.call({ action: 'count', step: 5 }, ctx);
    expect(counted).toMatchObject({ ok: true, code: 0 });
    expect(readFileSync(join(root, 'data', 'plugin-data', 'counter', 'counter.txt'), 'utf8')).toBe('5\n');

    const pidBefore = handle.pid;
    const revoked = await manager.decide('counter', 'filesystem', 'pending');
    expect(revoked.snapshot).toMatchObject({ state: 'waiting-approval', grants: [], pendingCapabilities: ['filesystem'] });
    expect(handle.pid).not.toBe(pidBefore);
    expect((await handle.call({ action: 'count' }, ctx)).errorKind).toBe('approval');

    const denied = await manager.decide('counter', 'filesystem', 'denied');
    expect(denied.snapshot).toMatchObject({ state: 'ready', grants: [], deniedCapabilities: ['filesystem'] });
    const noFs = await handle.call({ action: 'count' }, ctx);
    expect(noFs).toMatchObject({ ok: false, code: 2, errorKind: 'plugin-error' });
    expect(noFs.log.join('\n')).toMatch(/cannot open \/counter\.txt/);
    const hello = await handle.call({ action: 'hello' }, ctx);
    expect(hello.ok).toBe(true);

    // The decisions live in the grant store, keyed by name + SHA-256 + signer.
    const grants = readFileSync(join(root, 'config', 'plugin_grants.toml'), 'utf8');
    expect(grants).toContain('name = "counter"');
    expect(grants).toContain('filesystem = "denied"');
  });

  it('keeps decisions across a restart of the app, and asks again for a new binary', async () => {
    const file = join(src, 'counter.wasm');
    copyFileSync(cFixture('good'), file);
    await manager.install(file);
    await manager.decide('counter', 'filesystem', 'granted');
    await manager.shutdown();

    manager = await open();
    const [again] = await manager.discover();
    expect(again?.snapshot).toMatchObject({ id: 'counter', state: 'ready', grants: ['filesystem'] });

    // Same name, without --update: refused, nothing changes.
    const newer = variant(cFixture('good'), join(src, 'counter.wasm'), 'v2');
    await expect(manager.install(newer)).rejects.toThrow(/a plugin named "counter" is already installed \(version 1\.0\.0.*--update; in the app: tick "Update"/);
    expect(manager.get('counter')?.snapshot().state).toBe('ready');

    // An unsigned update is a new binary: filesystem is asked again.
    const updated = await manager.install(newer, { update: true });
    expect(updated).toMatchObject({ action: 'updated', previousVersion: '1.0.0' });
    expect(updated.plugin.snapshot).toMatchObject({ state: 'waiting-approval', pendingCapabilities: ['filesystem'] });
    expect(readFileSync(join(root, 'plugins', 'counter.wasm'))).toEqual(readFileSync(newer));
  });

  it('asks again for a newly requested capability declared in the sidecar plugin.toml', async () => {
    const file = join(src, 'minimal.wasm');
    copyFileSync(fx.path('minimal'), file);
    writeFileSync(join(src, 'plugin.toml'), 'name = "mini"\nversion = "1.0.0"\ncapabilities = ["network"]\n');
    const first = await manager.install(file);
    expect(first.plugin.snapshot).toMatchObject({ state: 'ready', grants: ['network'], pendingCapabilities: [] });
    expect(existsSync(join(root, 'plugins', 'minimal.plugin.toml'))).toBe(true);

    writeFileSync(join(src, 'plugin.toml'), 'name = "mini"\nversion = "1.1.0"\ncapabilities = ["network", "systemcontrol"]\n');
    const second = await manager.install(file, { update: true });
    expect(second.plugin.snapshot).toMatchObject({ state: 'waiting-approval', grants: ['network'], pendingCapabilities: ['systemcontrol'] });
    expect(approvals.at(-1)).toMatchObject({
      name: 'mini',
      pending: ['systemcontrol'],
      capabilities: [
        { capability: 'network', status: 'granted' },
        { capability: 'systemcontrol', status: 'pending' },
      ],
    });
  });

  it('uninstalls: files and grants go, the data folder stays', async () => {
    const file = join(src, 'counter.wasm');
    copyFileSync(cFixture('good'), file);
    await manager.install(file);
    await manager.decide('counter', 'filesystem', 'granted');
    await manager.get('counter')!.call({ action: 'count' }, ctx);
    await manager.uninstall('counter');
    expect(readdirSync(join(root, 'plugins'))).toEqual([]);
    expect(readFileSync(join(root, 'config', 'plugin_grants.toml'), 'utf8')).not.toContain('counter');
    expect(existsSync(join(root, 'data', 'plugin-data', 'counter', 'counter.txt'))).toBe(true);
    expect(await manager.list()).toEqual([]);
    await expect(manager.uninstall('counter')).rejects.toThrow(/no installed plugin is called "counter"/);
  });

  it('refuses files that are not plugins or whose signature is broken, copying nothing', async () => {
    writeFileSync(join(src, 'notes.wasm'), 'hello');
    await expect(manager.install(join(src, 'notes.wasm'))).rejects.toThrow(/not a WebAssembly module/);
    await expect(manager.install(join(src, 'missing.wasm'))).rejects.toThrow(/cannot read: no such file/);

    const keys = await generateKeyPair(join(root, 'dev'));
    const file = join(src, 'counter.wasm');
    copyFileSync(cFixture('good'), file);
    await signPlugin(file, join(root, 'dev'), { name: 'Dev', email: 'dev@example.org' });
    tamper(file);
    await expect(manager.install(file)).rejects.toThrow(/plugin was modified after signing/);
    expect(existsSync(join(root, 'plugins'))).toBe(false);
    expect(keys.publicKey).toMatch(/^[0-9a-f]{64}$/);
  });

  it('asks again after an update signed by the same key: decisions belong to one binary', async () => {
    const file = join(src, 'counter.wasm');
    copyFileSync(cFixture('good'), file);
    await generateKeyPair(join(root, 'a'));
    await signPlugin(file, join(root, 'a'), { name: 'A', email: 'a@example.org' });
    await manager.install(file);
    expect((await manager.decide('counter', 'filesystem', 'granted')).snapshot.state).toBe('ready');
    variant(cFixture('good'), file, 'v2');
    await signPlugin(file, join(root, 'a'), { name: 'A', email: 'a@example.org' });
    const updated = await manager.install(file, { update: true });
    expect(updated.plugin.snapshot).toMatchObject({ state: 'waiting-approval', pendingCapabilities: ['filesystem'], verification: { tier: 'self-signed' } });
    expect(readFileSync(join(root, 'plugins', 'counter.wasm.sig'), 'utf8')).toBe(readFileSync(`${file}.sig`, 'utf8'));
  });

  it('refuses an update signed by a different key than the installed version', async () => {
    const file = join(src, 'counter.wasm');
    copyFileSync(cFixture('good'), file);
    await generateKeyPair(join(root, 'a'));
    await generateKeyPair(join(root, 'b'));
    await signPlugin(file, join(root, 'a'), { name: 'A', email: 'a@example.org' });
    expect((await manager.install(file)).plugin.snapshot.verification).toMatchObject({ ok: true, tier: 'self-signed' });
    await signPlugin(file, join(root, 'b'), { name: 'B', email: 'b@example.org' });
    await expect(manager.install(file, { update: true })).rejects.toThrow(/signed by a different key/);
  });
});

describe('capabilities reach the sandbox only when granted', () => {
  it('approve filesystem, deny subprocess: files work, exec is unreachable; granting and revoking restart it', async () => {
    const file = join(src, 'caps.wasm');
    copyFileSync(cFixture('caps'), file);
    const events: unknown[] = [];
    manager.events.onDidPluginEvent((m) => events.push(m));
    const installed = await manager.install(file);
    // midi is low risk: granted at once (the sandbox was restarted with it after init reported the metadata).
    expect(installed.plugin.snapshot).toMatchObject({ state: 'waiting-approval', grants: ['midi'], pendingCapabilities: ['filesystem', 'subprocess'] });
    expect(approvals.at(-1)?.capabilities).toEqual([
      { capability: 'filesystem', status: 'pending' },
      { capability: 'subprocess', status: 'pending' },
      { capability: 'midi', status: 'granted' },
    ]);
    const caps = manager.get('caps')!;
    expect((await caps.call({ action: 'midi', note: 61 }, ctx)).errorKind).toBe('approval');
    expect(events).toEqual([]);

    await manager.decide('caps', 'filesystem', 'granted');
    const after = await manager.decide('caps', 'subprocess', 'denied');
    expect(after.snapshot).toMatchObject({ state: 'ready', grants: ['midi', 'filesystem'], deniedCapabilities: ['subprocess'] });

    expect(await caps.call({ action: 'write-file', text: 'hello' }, ctx)).toMatchObject({ ok: true, code: 0 });
    expect(readFileSync(join(root, 'data', 'plugin-data', 'caps', 'note.txt'), 'utf8')).toBe('hello');
    const exec = await caps.call({ action: 'exec', program: 'touch', args: [join(root, 'pwned')] }, ctx);
    expect(exec).toMatchObject({ ok: false, errorKind: 'capability', error: 'conductor.exec needs the "subprocess" capability, which is not granted' });
    expect(existsSync(join(root, 'pwned'))).toBe(false);
    expect(await caps.call({ action: 'midi', note: 61 }, ctx)).toMatchObject({ ok: true });
    expect(events).toEqual([{ pluginId: 'caps', event: { kind: 'midi', bytes: [0x90, 61, 100], port: null } }]);

    await manager.decide('caps', 'subprocess', 'granted');
    const echoed = await caps.call({ action: 'exec', program: 'echo', args: ['hi there'] }, ctx);
    expect(echoed).toMatchObject({ ok: true, code: 0 });
    expect(echoed.log.join('\n')).toContain('hi there');

    // Revoking filesystem: the sandbox restarts without it and the plugin waits for approval again.
    await manager.decide('caps', 'filesystem', 'pending');
    expect((await caps.call({ action: 'read-file' }, ctx)).error).toBe('waiting for approval of: filesystem (medium risk)');
    // Denying it: the plugin runs, but there is no preopen — the file it wrote is out of its reach.
    await manager.decide('caps', 'filesystem', 'denied');
    const noFs = await caps.call({ action: 'read-file' }, ctx);
    expect(noFs).toMatchObject({ ok: false, code: 2 });
    expect(noFs.log.join('\n')).not.toContain('hello');
  });
});

describe('plugins by path (what a mapping names)', () => {
  it('ensureLoaded answers one handle per file however the path is written, and a new one once it closed', async () => {
    const [file, other] = [join(src, 'minimal.wasm'), join(src, 'other', 'minimal.wasm')];
    mkdirSync(join(src, 'other'));
    for (const f of [file, other]) copyFileSync(fx.path('minimal'), f);
    const [a, b] = await Promise.all([manager.ensureLoaded(file), manager.ensureLoaded(join(src, '.', 'minimal.wasm'))]);
    expect(b).toBe(a);
    expect(a).toMatchObject({ id: 'minimal', state: 'ready' });
    const c = await manager.ensureLoaded(other); // another file of the same name: its own plugin and id
    expect(c.id).toMatch(/^minimal@[0-9a-f]{8}$/);
    expect(await manager.ensureLoaded(other)).toBe(c);
    await a.close();
    const d = await manager.ensureLoaded(file);
    expect(d).not.toBe(a);
    expect((await manager.list()).map((p) => p.id).sort()).toEqual(['minimal', c.id]);
  });
});

describe('discovery', () => {
  it('lists every plugin in the plugins dir, broken ones with the reason', async () => {
    const dir = join(root, 'plugins');
    mkdirSync(dir);
    copyFileSync(cFixture('good'), join(dir, 'counter.wasm'));
    copyFileSync(fx.path('unknown-import'), join(dir, 'broken.wasm'));
    copyFileSync(cFixture('good'), join(dir, 'tampered.wasm'));
    await generateKeyPair(join(root, 'k'));
    await signPlugin(join(dir, 'tampered.wasm'), join(root, 'k'), { name: 'K', email: '' });
    tamper(join(dir, 'tampered.wasm'));
    const list = await manager.discover();
    const byId = Object.fromEntries(list.map((p) => [p.id, p]));
    expect(Object.keys(byId).sort()).toEqual(['broken', 'counter', 'tampered']);
    expect(byId.counter?.snapshot.state).toBe('waiting-approval');
    expect(byId.broken?.snapshot).toMatchObject({ state: 'failed' });
    expect(byId.broken?.snapshot.reason).toMatch(/import/);
    expect(byId.tampered?.snapshot).toMatchObject({ state: 'failed', verification: { ok: false, failedCheck: 'hash' } });
    expect(byId.tampered?.snapshot.reason).toMatch(/modified after signing/);
    expect(byId.tampered?.signaturePath).toBe(join(dir, 'tampered.wasm.sig'));

    // A removed file disappears on the next scan.
    rmSync(join(dir, 'broken.wasm'));
    expect((await manager.discover()).map((p) => p.id).sort()).toEqual(['counter', 'tampered']);
  });

  it('loads many plugins side by side, listed in the order of the directory, each in its own sandbox', async () => {
    const dir = join(root, 'plugins');
    mkdirSync(dir);
    const ids = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7'];
    // Distinct binaries (a tagged custom section each), so no two share a hash.
    for (const id of ids) variant(cFixture('good'), join(dir, `${id}.wasm`), id);
    const list = await manager.discover();
    const order = readdirSync(dir)
      .filter((n) => n.endsWith('.wasm'))
      .map((n) => n.slice(0, -'.wasm'.length));
    expect(list.map((p) => p.id)).toEqual(order);
    expect(new Set(list.map((p) => p.snapshot.state))).toEqual(new Set(['waiting-approval']));
    expect(new Set(list.map((p) => p.snapshot.sha256)).size).toBe(ids.length);
    // A second scan with nothing changed loads nothing again.
    const again = await manager.discover();
    expect(again.map((p) => p.snapshot.sha256)).toEqual(list.map((p) => p.snapshot.sha256));
  });
});

describe('signature policy matrix', () => {
  // Every policy × (unsigned, self-signed, trusted, invalid): the load decision and the tier shown.
  const policies: Record<string, SignaturePolicy> = {
    optional: { requireSignature: false, allowSelfSigned: false },
    'self-signed allowed': { requireSignature: true, allowSelfSigned: true },
    'trusted only': { requireSignature: true, allowSelfSigned: false },
  };
  const expected: Record<string, Record<string, [boolean, string]>> = {
    optional: { unsigned: [true, 'unsigned'], 'self-signed': [true, 'self-signed'], trusted: [true, 'trusted'], invalid: [false, 'unsigned'] },
    'self-signed allowed': { unsigned: [false, 'unsigned'], 'self-signed': [true, 'self-signed'], trusted: [true, 'trusted'], invalid: [false, 'unsigned'] },
    'trusted only': { unsigned: [false, 'unsigned'], 'self-signed': [false, 'self-signed'], trusted: [true, 'trusted'], invalid: [false, 'unsigned'] },
  };

  it.each(Object.keys(policies))('policy: %s', async (policyName) => {
    const policy = policies[policyName]!;
    const trusted = new TrustedKeyStore(join(root, 'trusted_keys.toml'));
    const own = await generateKeyPair(join(root, 'own'));
    await generateKeyPair(join(root, 'stranger'));
    await trusted.add({ publicKey: own.publicKey.toUpperCase(), name: 'Own key' });
    const files: Record<string, string> = {};
    for (const kind of ['unsigned', 'self-signed', 'trusted', 'invalid']) {
      files[kind] = join(src, `${kind}.wasm`);
      copyFileSync(fx.path('minimal'), files[kind]);
    }
    await signPlugin(files['self-signed']!, join(root, 'stranger'), { name: 'Stranger', email: 's@example.org' });
    await signPlugin(files.trusted!, join(root, 'own'), { name: 'Own', email: 'o@example.org' });
    await signPlugin(files.invalid!, join(root, 'own'), { name: 'Own', email: 'o@example.org' });
    const sig = JSON.parse(readFileSync(`${files.invalid}.sig`, 'utf8')) as { signature: string };
    sig.signature = (sig.signature.startsWith('0') ? '1' : '0') + sig.signature.slice(1);
    writeFileSync(`${files.invalid}.sig`, JSON.stringify(sig));

    const pool = new SandboxPool({ spareSandboxes: 0 });
    const verify = createVerifier(trusted, () => policy);
    try {
      for (const [kind, [ok, tier]] of Object.entries(expected[policyName]!)) {
        const plugin = await createPlugin({ wasmPath: files[kind]!, id: kind, verify }, { pool }).loaded;
        const snap = plugin.snapshot();
        await plugin.close();
        expect({ kind, ok: snap.verification?.ok, tier: snap.verification?.tier, state: snap.state }).toEqual({
          kind,
          ok,
          tier,
          state: ok ? 'ready' : 'failed',
        });
        if (kind === 'trusted') expect(snap.verification).toMatchObject({ trustedKeyName: 'Own key', signer: { name: 'Own', publicKey: own.publicKey } });
        if (kind === 'invalid') expect(snap.reason).toMatch(/signature does not match/);
        if (!ok && kind === 'unsigned') expect(snap.reason).toMatch(/not signed.*signatures are required/);
        if (!ok && kind === 'self-signed') expect(snap.reason).toMatch(/not in your trusted keys.*only trusted keys/);
      }
    } finally {
      await pool.dispose();
    }
  });

  it('re-verifies installed plugins when the policy changes', async () => {
    const file = join(src, 'minimal.wasm');
    copyFileSync(fx.path('minimal'), file);
    await manager.install(file);
    const strict = await manager.setPolicy({ requireSignature: true, allowSelfSigned: false });
    expect(strict[0]?.snapshot).toMatchObject({ state: 'failed', verification: { ok: false, failedCheck: 'unsigned' } });
    const relaxed = await manager.setPolicy(DEFAULT_POLICY);
    expect(relaxed[0]?.snapshot.state).toBe('ready');
  });
});

describe('official key', () => {
  it('is trusted on first run and stays removed once the user removes it', async () => {
    const keyFile = join(root, 'official.public');
    const official = await generateKeyPair(join(root, 'official'));
    writeFileSync(keyFile, `${official.publicKey}\n`);
    const options = {
      pluginsDir: join(root, 'p2'),
      trustedKeysPath: join(root, 'c2', 'trusted_keys.toml'),
      grantsPath: join(root, 'c2', 'plugin_grants.toml'),
      policy: DEFAULT_POLICY,
      officialKeyPath: keyFile,
      host: { spareSandboxes: 0 },
    };
    const first = await PluginManager.open(options);
    expect((await first.trustedKeys.list()).map((k) => k.publicKey)).toEqual([official.publicKey]);
    await first.trustedKeys.remove(official.publicKey);
    await first.shutdown();
    const second = await PluginManager.open(options);
    expect(await second.trustedKeys.list()).toEqual([]);
    await second.shutdown();
  });

  it('ships a valid Ed25519 public key in resources/', async () => {
    const { readOfficialKey } = await import('../../trust/official-key');
    const { checkPublicKeyHex } = await import('../../trust/keys');
    const key = await readOfficialKey();
    expect(key).not.toBeNull();
    expect(checkPublicKeyHex(key ?? '')).toEqual({ ok: true, key });
  });
});
