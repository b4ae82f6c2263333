// One live sandbox per data directory: the lock itself, and two real plugin hosts (the app and the CLI, say) that
// load the same plugin with the same data directory. Waits on events and process exits, never on the clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cFixture } from '../../../plugins/fixtures';
import { createPlugin, type PluginHandle, type PluginManifest } from '../host/create-plugin';
import { SandboxPool } from '../host/sandbox-pool';
import { DataDirBusyError, lockAddress, lockDataDir } from './data-dir-lock';

const ctx = { trigger: 'Note', note: 60, velocity: 100, channel: 0, mode: 'Default', timestamp: 1732500000000 };

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('the data directory lock', () => {
  let base: string;
  beforeAll(() => {
    base = mkdtempSync(join(tmpdir(), 'conductor-lock-'));
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('is exclusive, names its holder, and can be taken again once released', async () => {
    const dir = join(base, 'a');
    const first = await lockDataDir(dir, 0);
    const second = lockDataDir(dir, 0);
    await expect(second).rejects.toBeInstanceOf(DataDirBusyError);
    await expect(second).rejects.toThrow(`data directory ${dir} is in use by PID ${process.pid}`);
    // Another directory is another lock.
    const other = await lockDataDir(join(base, 'b'), 0);
    await other.release();
    await first.release();
    const again = await lockDataDir(dir, 0);
    await again.release();
  });

  it('waits for the holder to let go (a restart or reload overlap)', async () => {
    const dir = join(base, 'c');
    const first = await lockDataDir(dir, 0);
    const waiting = lockDataDir(dir, 60_000);
    await first.release();
    const taken = await waiting;
    expect(taken.dataDir).toBe(dir);
    await taken.release();
  });

  it('uses one name per real directory and user', () => {
    const dir = join(base, 'd');
    expect(lockAddress(dir)).toBe(lockAddress(join(base, '.', 'd')));
    expect(lockAddress(dir)).not.toBe(lockAddress(join(base, 'e')));
    if (process.platform === 'linux') expect(lockAddress(dir).startsWith('\0')).toBe(true); // abstract: no file
  });
});

describe('two hosts, one data directory', () => {
  let base: string;
  let appPool: SandboxPool;
  const opened: PluginHandle[] = [];
  /** The app's plugins share a pool with a spare; the CLI's each start their own process (`conductor plugin run`). */
  const app = { load: (manifest: PluginManifest) => track(createPlugin(manifest, { pool: appPool })) };
  const cli = { load: (manifest: PluginManifest) => track(createPlugin(manifest)) };
  function track(plugin: PluginHandle): Promise<PluginHandle> {
    opened.push(plugin);
    return plugin.loaded;
  }
  beforeAll(() => {
    base = mkdtempSync(join(tmpdir(), 'conductor-lock-hosts-'));
    appPool = new SandboxPool();
  });
  afterAll(async () => {
    await Promise.all(opened.map((p) => p.close()));
    await appPool.dispose();
    rmSync(base, { recursive: true, force: true });
  });

  it('the second sandbox fails with "in use by PID …", and loads once the first is gone (even killed)', async () => {
    const dataDir = join(base, 'counter');
    const first = await app.load({ wasmPath: cFixture('good'), id: 'counter', grants: ['filesystem'], dataDir });
    expect((await first.call({ action: 'count' }, ctx)).log).toEqual(['count: 1']);
    const holder = first.pid;
    expect(holder).toBeGreaterThan(0);

    // A short call timeout makes the second sandbox give up waiting quickly (it waits half of it).
    const refused = await cli.load({ wasmPath: cFixture('good'), id: 'counter', grants: ['filesystem'], dataDir, limits: { callTimeoutMs: 400 } });
    expect(refused.snapshot().state).toBe('failed');
    expect(refused.snapshot().reason).toContain(`data directory ${dataDir} is in use by PID ${holder}`);
    const call = await refused.call({ action: 'count' }, ctx);
    expect(call.ok).toBe(false);
    await refused.close();

    // Without the filesystem grant the plugin never sees the directory, so no lock is needed.
    const noFs = await cli.load({ wasmPath: cFixture('good'), id: 'counter-nofs', grants: [], dataDir });
    expect((await noFs.call({ action: 'hello' }, ctx)).ok).toBe(true);
    await noFs.close();

    // The lock dies with its process, however it ends.
    process.kill(holder ?? 0, 'SIGKILL');
    while (alive(holder ?? 0)) await new Promise((r) => setTimeout(r, 20));
    const second = await cli.load({ wasmPath: cFixture('good'), id: 'counter', grants: ['filesystem'], dataDir, limits: { callTimeoutMs: 30_000 } });
    expect((await second.call({ action: 'count' }, ctx)).log).toEqual(['count: 2']);
    await second.close();
    await first.close();
  });

  it('a plugin restarted in place (same host) waits for its old sandbox and keeps working', async () => {
    const dataDir = join(base, 'restarted');
    const p = await app.load({ wasmPath: cFixture('good'), id: 'restarted', grants: ['filesystem'], dataDir, limits: { callTimeoutMs: 30_000 } });
    expect((await p.call({ action: 'count' }, ctx)).log).toEqual(['count: 1']);
    process.kill(p.pid ?? 0, 'SIGKILL'); // a crash: the host restarts the sandbox on the next call
    let r = await p.call({ action: 'count' }, ctx);
    if (!r.ok) r = await p.call({ action: 'count' }, ctx);
    expect(r.log).toEqual(['count: 2']);
    await p.close();
  });
});
