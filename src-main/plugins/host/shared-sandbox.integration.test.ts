// The shared sandbox process against the real fork spawner (dist/sandbox.js --shared): several plugins as worker
// threads of one process; a deadline ends only its plugin's worker; a killed process fails every in-flight call
// clearly and its plugins come back; the isolation policy and the per-plugin override decide who shares.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Capability, LifecycleEvent, LifecyclePhase, VerificationResult } from '../../../src-shared/plugin';
import { buildWatFixtures } from '../../../plugins/fixtures';
import type { AuthorizeHook, VerifyHook } from '../../trust/hooks';
import { createPlugin, type PluginManifest } from './create-plugin';
import type { PluginHandle } from './plugin-handle';
import { SandboxPool } from './sandbox-pool';

const ctx = { trigger: 'Note', note: 60, velocity: 100, channel: 0, mode: 'Default', timestamp: 1732500000000 };
let fx: Awaited<ReturnType<typeof buildWatFixtures>>;
let pool: SandboxPool;
let dataRoot: string;
const opened: PluginHandle[] = [];

function open(manifest: PluginManifest): PluginHandle {
  const plugin = createPlugin(manifest, { pool, breaker: { maxFailures: 5, windowMs: 60_000 } });
  opened.push(plugin);
  return plugin;
}

function next(plugin: PluginHandle, phase: LifecyclePhase): Promise<LifecycleEvent> {
  return new Promise((resolve) => {
    const off = plugin.onDidLifecycle((e) => {
      if (e.phase !== phase) return;
      off();
      resolve(e);
    });
  });
}

/** A verifier that reports the given tier (the real trust store is tested in src-main/trust). */
const verifiedAs = (tier: VerificationResult['tier']): VerifyHook => async () => ({
  ok: true, tier, detail: `test: ${tier}`, signer: null, trustedKeyName: tier === 'trusted' ? 'test key' : null, failedCheck: null,
});

beforeAll(async () => {
  fx = await buildWatFixtures();
  pool = new SandboxPool({ spareSandboxes: 0 });
  dataRoot = mkdtempSync(join(tmpdir(), 'conductor-shared-'));
});

afterAll(async () => {
  await Promise.all(opened.map((p) => p.close()));
  await pool.dispose();
  fx.cleanup();
  rmSync(dataRoot, { recursive: true, force: true });
});

describe('the shared sandbox process', () => {
  it('hosts two trusted plugins in one process; a deadline stops only the one that spins', async () => {
    const spinner = await open({ wasmPath: fx.path('bombs'), id: 'spinner', verify: verifiedAs('trusted'), limits: { fuelPerCall: 1e15, callTimeoutMs: 1500 } }).loaded;
    const steady = await open({ wasmPath: fx.path('bombs'), id: 'steady', verify: verifiedAs('bundled'), limits: { fuelPerCall: 1e15, callTimeoutMs: 20_000 } }).loaded;
    expect(spinner.snapshot().isolation).toMatchObject({ mode: 'shared', override: null, reason: expect.stringMatching(/trusted key/) });
    expect(steady.snapshot().isolation).toMatchObject({ mode: 'shared', reason: expect.stringMatching(/bundled/) });
    const sharedPid = pool.sharedProcess?.pid;
    expect(sharedPid).toBeGreaterThan(0);
    expect(spinner.pid).toBe(sharedPid);
    expect(steady.pid).toBe(sharedPid);

    const executing = next(spinner, 'execute');
    const spinning = spinner.call({ action: 'loop' }, ctx);
    await executing;
    // While the spinner's worker is busy in its loop, the other plugin answers from its own thread.
    for (let i = 0; i < 5; i++) expect((await steady.call({ action: 'nothing' }, ctx)).code).toBe(1);
    const timedOut = await spinning;
    expect(timedOut).toMatchObject({ ok: false, errorKind: 'timeout', error: "timed out after 1500 ms; the plugin's sandbox worker was stopped" });
    // Only the spinner restarts: in a new worker of the same process; the other never noticed.
    expect((await spinner.call({ action: 'nothing' }, ctx)).code).toBe(1);
    expect(spinner.pid).toBe(sharedPid);
    expect((await steady.call({ action: 'nothing' }, ctx)).code).toBe(1);
    expect(steady.snapshot().stats.crashes).toBe(0);
    expect(steady.snapshot().stats.lastError?.kind).not.toMatch(/timeout|crash/);
    expect(pool.sharedProcess?.pid).toBe(sharedPid);
    await Promise.all([spinner.close(), steady.close()]);
  });

  it('when the process is killed, every plugin in it fails its in-flight call clearly and comes back', async () => {
    const a = await open({ wasmPath: fx.path('bombs'), id: 'pool-a', verify: verifiedAs('trusted'), limits: { fuelPerCall: 1e15, callTimeoutMs: 30_000 } }).loaded;
    const b = await open({ wasmPath: fx.path('bombs'), id: 'pool-b', verify: verifiedAs('trusted'), limits: { fuelPerCall: 1e15, callTimeoutMs: 30_000 } }).loaded;
    const pid = a.pid;
    expect(b.pid).toBe(pid);
    const executing = Promise.all([next(a, 'execute'), next(b, 'execute')]);
    const inFlight = [a.call({ action: 'loop' }, ctx), b.call({ action: 'loop' }, ctx)];
    await executing;
    process.kill(pid ?? -1, 'SIGKILL');
    for (const r of await Promise.all(inFlight)) {
      expect(r).toMatchObject({ ok: false, errorKind: 'crash' });
      expect(r.error).toMatch(/shared sandbox process crashed \(signal SIGKILL\), taking every plugin in it down; it will be restarted on the next call/);
    }
    // Both come back, together in a new shared process; each counted its own crash.
    expect((await a.call({ action: 'nothing' }, ctx)).code).toBe(1);
    expect((await b.call({ action: 'nothing' }, ctx)).code).toBe(1);
    expect(a.pid).not.toBe(pid);
    expect(b.pid).toBe(a.pid);
    expect(a.snapshot().stats.crashes).toBe(1);
    expect(b.snapshot().stats.crashes).toBe(1);
    await Promise.all([a.close(), b.close()]);
  });

  it('keeps unsigned plugins in processes of their own, unless the override says shared', async () => {
    const unsigned = await open({ wasmPath: fx.path('bombs'), id: 'unsigned', verify: verifiedAs('unsigned') }).loaded;
    const selfSigned = await open({ wasmPath: fx.path('bombs'), id: 'self', verify: verifiedAs('self-signed') }).loaded;
    const overridden = await open({ wasmPath: fx.path('bombs'), id: 'forced-shared', verify: verifiedAs('unsigned'), limits: { isolation: 'shared' } }).loaded;
    const trustedAlone = await open({ wasmPath: fx.path('bombs'), id: 'forced-process', verify: verifiedAs('trusted'), limits: { isolation: 'process' } }).loaded;
    expect(unsigned.snapshot().isolation).toEqual({ mode: 'process', reason: 'unsigned plugins run in a process of their own', override: null });
    expect(selfSigned.snapshot().isolation?.mode).toBe('process');
    expect(overridden.snapshot().isolation).toEqual({ mode: 'shared', reason: 'set in config.toml (isolation = "shared")', override: 'shared' });
    expect(trustedAlone.snapshot().isolation).toMatchObject({ mode: 'process', override: 'process' });
    const sharedPid = pool.sharedProcess?.pid;
    expect(overridden.pid).toBe(sharedPid);
    const own = [unsigned.pid, selfSigned.pid, trustedAlone.pid];
    expect(own).not.toContain(sharedPid);
    expect(new Set(own).size).toBe(3);
    for (const p of [unsigned, selfSigned, overridden, trustedAlone]) expect((await p.call({ action: 'nothing' }, ctx)).code).toBe(1);
    await Promise.all([unsigned, selfSigned, overridden, trustedAlone].map((p) => p.close()));
  });

  it('moves a trusted plugin to a process of its own once it is granted subprocess, and back when revoked', async () => {
    let granted: Capability[] = [];
    const authorize: AuthorizeHook = async () => ({ granted: [...granted], pending: [], denied: [] });
    const p = await open({ wasmPath: fx.path('bombs'), id: 'promoted', verify: verifiedAs('trusted'), authorize }).loaded;
    expect(p.snapshot().isolation?.mode).toBe('shared');
    const sharedPid = p.pid;
    granted = ['subprocess'];
    await p.reauthorize();
    expect(p.snapshot().isolation).toMatchObject({ mode: 'process', reason: 'granted subprocess (high risk): runs in a process of its own' });
    expect(p.pid).not.toBe(sharedPid);
    expect((await p.call({ action: 'nothing' }, ctx)).code).toBe(1);
    granted = ['network'];
    await p.reauthorize();
    expect(p.snapshot().isolation?.mode).toBe('shared');
    expect(p.pid).toBe(pool.sharedProcess?.pid);
    expect((await p.call({ action: 'nothing' }, ctx)).code).toBe(1);
    await p.close();
  });

  it('keeps data directories per plugin: a second live sandbox of one directory is refused, a stopped worker frees it', async () => {
    const dataDir = join(dataRoot, 'one');
    const first = await open({ wasmPath: fx.path('bombs'), id: 'dir-a', verify: verifiedAs('trusted'), grants: ['filesystem'], dataDir, limits: { fuelPerCall: 1e15, callTimeoutMs: 1500 } }).loaded;
    expect(first.snapshot().state).toBe('ready');
    const second = await open({ wasmPath: fx.path('bombs'), id: 'dir-b', verify: verifiedAs('trusted'), grants: ['filesystem'], dataDir, limits: { callTimeoutMs: 1000 } }).loaded;
    expect(second.snapshot()).toMatchObject({ state: 'failed', reason: expect.stringMatching(/data directory .* is in use by PID \d+/) });
    // A deadline ends the first plugin's worker; its restart takes the directory's lock again, so the old one let go.
    expect((await first.call({ action: 'loop' }, ctx)).errorKind).toBe('timeout');
    expect((await first.call({ action: 'nothing' }, ctx)).code).toBe(1);
    await Promise.all([first.close(), second.close()]);
  });
});
