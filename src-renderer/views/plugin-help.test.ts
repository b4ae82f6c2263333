import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, LIMIT_BOUNDS, type CallErrorKind, type PluginSnapshot } from '../../src-shared/plugin';
import { limitHit, limitRaise, settingsNeeded, troubleshooting } from './plugin-help';

const MIB = 1024 * 1024;

function snapshot(over: Partial<PluginSnapshot> = {}): PluginSnapshot {
  return {
    id: 'p',
    wasmPath: '/plugins/p.wasm',
    sha256: 'ab',
    state: 'ready',
    reason: null,
    metadata: null,
    verification: null,
    limits: { ...DEFAULT_LIMITS },
    grants: [],
    pendingCapabilities: [],
    deniedCapabilities: [],
    dataDir: null,
    stats: { calls: 1, errors: 1, lastFuelConsumed: 0, lastDurationMs: 1, crashes: 0, lastError: null },
    isolation: null,
    ...over,
  };
}

const failedWith = (kind: CallErrorKind, over: Partial<PluginSnapshot> = {}): PluginSnapshot =>
  snapshot({ ...over, stats: { calls: 1, errors: 1, lastFuelConsumed: 0, lastDurationMs: 1, crashes: 0, lastError: { kind, message: kind, at: 1 } } });

describe('plugin troubleshooting', () => {
  it('keys the limit hint on the last failed call, and offers double the limit', () => {
    const s = failedWith('out-of-fuel');
    expect(limitHit(s)).toBe('fuelPerCall');
    expect(limitRaise(s, 'fuelPerCall')).toEqual({ limit: 'fuelPerCall', from: 100_000_000, to: 200_000_000, label: 'Raise fuel limit to 200,000,000' });
    expect(troubleshooting(s).join('\n')).toMatch(/ran out of fuel \(limit 100,000,000 per call\).*raise the fuel limit/);
    expect(limitHit(failedWith('memory'))).toBe('memoryBytes');
    expect(limitRaise(failedWith('memory'), 'memoryBytes')?.to).toBe(256 * MIB);
    expect(limitHit(failedWith('timeout'))).toBe('callTimeoutMs');
    expect(limitHit(failedWith('plugin-error'))).toBeNull();
    expect(limitHit(snapshot())).toBeNull();
  });

  it('recognises a load refused for its initial memory or table, and stops at the upper bound', () => {
    const memory = snapshot({ state: 'failed', reason: 'initial memory of 4096 pages (256.0 MiB) exceeds the limit of 2048 pages (128.0 MiB)' });
    expect(limitHit(memory)).toBe('memoryBytes');
    const table = snapshot({ state: 'failed', reason: 'initial table of 20000 elements exceeds the limit of 10000 elements' });
    expect(limitHit(table)).toBe('tableElements');
    const atMax = failedWith('out-of-fuel', { limits: { ...DEFAULT_LIMITS, fuelPerCall: LIMIT_BOUNDS.fuelPerCall[1] } });
    expect(limitRaise(atMax, 'fuelPerCall')).toBeNull();
    expect(troubleshooting(atMax).join('\n')).toMatch(/already the highest allowed/);
    const nearMax = failedWith('memory', { limits: { ...DEFAULT_LIMITS, memoryBytes: 3000 * MIB } });
    expect(limitRaise(nearMax, 'memoryBytes')?.to).toBe(LIMIT_BOUNDS.memoryBytes[1]);
  });

  it('tells what to do about a signature: untrusted key, modified file, other checks', () => {
    const verification = { ok: false, tier: 'self-signed' as const, detail: 'key not trusted', signer: null, trustedKeyName: null, failedCheck: 'trust' };
    expect(troubleshooting(snapshot({ state: 'failed', verification })).join()).toMatch(/Settings → Trusted keys/);
    expect(troubleshooting(snapshot({ state: 'failed', verification: { ...verification, failedCheck: 'hash' } })).join()).toMatch(/modified after signing/);
    expect(troubleshooting(snapshot({ state: 'failed', verification: { ...verification, failedCheck: 'size', detail: 'size differs' } })).join()).toMatch(
      /"size" failed: size differs/,
    );
    expect(troubleshooting(snapshot({ state: 'waiting-approval' })).join()).toMatch(/Review permissions/);
  });

  it("points to the settings after a call failed for a missing required setting, until it is filled in", () => {
    const s = snapshot({ stats: { calls: 1, errors: 1, lastFuelConsumed: 0, lastDurationMs: 1, crashes: 0, lastError: { kind: 'settings', message: "set password in the plugin's settings", at: 1 } } });
    // Form not known yet: main's message as it came.
    expect(settingsNeeded(s)).toBe("It needs settings before it can run (set password in the plugin's settings): fill them in under Settings (below).");
    expect(troubleshooting(s)).toEqual([settingsNeeded(s)]);
    // Form known: the required settings still missing, by name.
    expect(settingsNeeded(s, ['password', 'token'])).toMatch(/\(set password, token\): fill them in under Settings/);
    // Filled in since the failed call (its error stays the last one): nothing to point to.
    expect(settingsNeeded(s, [])).toBeNull();
    expect(troubleshooting(s, [])).toEqual([]);
    // Other failures, and no failure, are not about settings; the limit hints are unaffected.
    expect(settingsNeeded(failedWith('plugin-error'))).toBeNull();
    expect(settingsNeeded(snapshot())).toBeNull();
    expect(troubleshooting(failedWith('out-of-fuel'), ['password']).join()).not.toMatch(/Settings/);
  });
});
