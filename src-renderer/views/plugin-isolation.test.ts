// The Plugins view's isolation wording and edits: where a sandbox runs, the override kept across limit edits, and the
// warning for sharing an untrusted or high-risk plugin. Pure; never renders.
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type PluginSnapshot, type SignatureTier } from '../../src-shared/plugin';
import { isolationChoice, isolationText, keepIsolation, limitsWithIsolation, sharedRisk, sharedWarning } from './plugin-isolation';

function snapshot(over: Partial<PluginSnapshot> = {}, tier: SignatureTier = 'trusted'): PluginSnapshot {
  return {
    id: 'p',
    wasmPath: '/plugins/p.wasm',
    sha256: 'ab',
    state: 'ready',
    reason: null,
    metadata: null,
    verification: { ok: true, tier, detail: '', signer: null, trustedKeyName: null, failedCheck: null },
    limits: { ...DEFAULT_LIMITS },
    grants: [],
    pendingCapabilities: [],
    deniedCapabilities: [],
    dataDir: null,
    stats: { calls: 0, errors: 0, lastFuelConsumed: null, lastDurationMs: null, crashes: 0, lastError: null },
    isolation: null,
    ...over,
  };
}

describe('plugin isolation wording', () => {
  it('says where the sandbox runs and why, or that none has started', () => {
    expect(isolationText({ mode: 'process', reason: 'unsigned plugins run in a process of their own', override: null })).toBe(
      'Own sandbox process — unsigned plugins run in a process of their own',
    );
    expect(isolationText({ mode: 'shared', reason: 'trusted, low-risk plugins share one', override: null })).toBe('Shared sandbox process — trusted, low-risk plugins share one');
    expect(isolationText({ mode: 'shared', reason: ' ', override: 'shared' })).toBe('Shared sandbox process');
    expect(isolationText(null)).toBe('Not started');
  });

  it('reads the override from the limits the plugin was loaded with, else from the running sandbox, else automatic', () => {
    expect(isolationChoice(snapshot())).toBe('auto');
    expect(isolationChoice(snapshot({ limits: { ...DEFAULT_LIMITS, isolation: 'process' } }))).toBe('process');
    expect(isolationChoice(snapshot({ isolation: { mode: 'shared', reason: 'your choice', override: 'shared' } }))).toBe('shared');
  });
});

describe('plugin isolation edits (what plugins.setLimits gets)', () => {
  const custom = snapshot({ limits: { ...DEFAULT_LIMITS, fuelPerCall: 200_000_000, isolation: 'process' } });

  it('changing the isolation keeps the numeric limits; automatic drops the override', () => {
    const numbers = { fuelPerCall: 200_000_000, memoryBytes: DEFAULT_LIMITS.memoryBytes, tableElements: DEFAULT_LIMITS.tableElements, callTimeoutMs: DEFAULT_LIMITS.callTimeoutMs };
    expect(limitsWithIsolation(custom, 'shared')).toEqual({ ...numbers, isolation: 'shared' });
    expect(limitsWithIsolation(custom, 'auto')).toEqual(numbers);
  });

  it('saving or resetting the numbers keeps the isolation override', () => {
    expect(keepIsolation(custom, { memoryBytes: 64 * 1024 * 1024 })).toEqual({ memoryBytes: 64 * 1024 * 1024, isolation: 'process' });
    expect(keepIsolation(custom, null)).toEqual({ isolation: 'process' });
    expect(keepIsolation(snapshot(), null)).toBeNull();
    expect(keepIsolation(snapshot(), { fuelPerCall: 2_000_000 })).toEqual({ fuelPerCall: 2_000_000 });
  });
});

describe('sharing an untrusted or high-risk plugin', () => {
  it('is fine for bundled and trusted plugins with low/medium-risk grants', () => {
    expect(sharedRisk(snapshot({ grants: ['network', 'filesystem', 'midi'] }))).toBeNull();
    expect(sharedRisk(snapshot({}, 'bundled'))).toBeNull();
    expect(sharedWarning(snapshot(), true)).toBeNull();
  });

  it('names why for unsigned, self-signed and unchecked plugins and for high-risk grants', () => {
    expect(sharedRisk(snapshot({}, 'unsigned'))).toBe('it is not signed');
    expect(sharedRisk(snapshot({}, 'self-signed'))).toMatch(/only by its own key/);
    expect(sharedRisk(snapshot({ verification: null }))).toBe('its signature was not checked');
    expect(sharedRisk(snapshot({ grants: ['subprocess', 'systemcontrol'] }))).toBe('it was granted "Run programs" and "Control the system" (high risk)');
    expect(sharedRisk(snapshot({ grants: ['subprocess'] }, 'unsigned'))).toBe('it is not signed, and it was granted "Run programs" (high risk)');
    // A high-risk capability only requested (not granted) does not count: the policy looks at grants.
    expect(sharedRisk(snapshot({ pendingCapabilities: ['subprocess'] }))).toBeNull();
  });

  it('says the override wins and what it costs, before and after it is chosen', () => {
    const unsigned = snapshot({}, 'unsigned');
    expect(sharedWarning(unsigned, false)).toMatch(/^Sharing a process overrides the policy, although it is not signed\. If it ever broke out of its WebAssembly sandbox, it could read or change the other plugins/);
    expect(sharedWarning(unsigned, true)).toMatch(/^Runs in a shared process because you chose so, although it is not signed\..*about 40 MB more memory\.$/);
  });
});
