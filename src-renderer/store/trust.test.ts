import { afterEach, describe, expect, it } from 'vitest';
import type { ApprovalRequest } from '../../src-shared/capabilities';
import type { PluginInfo, TrustedKeyInfo } from '../../src-shared/contract';
import type { Capability } from '../../src-shared/plugin';
import { connectStore, deferred, samplePlugin, type FakeApi, type Handlers } from '../test-support/fake-api';
import type { AppStore, SignaturePolicy } from './types';

let stop: (() => void) | null = null;
afterEach(() => {
  stop?.();
  stop = null;
});

async function connected(handlers: Handlers = {}): Promise<{ api: FakeApi; store: AppStore }> {
  const c = await connectStore(handlers);
  stop = c.stop;
  return c;
}


const KEY_ALICE = 'a1'.repeat(32);
const KEY_BOB = 'b2'.repeat(32);
const alice: TrustedKeyInfo = { publicKey: KEY_ALICE, name: 'Alice', email: 'alice@example.com', addedAt: '2024-04-01T09:00:00.000Z' };

const DEV: SignaturePolicy = { requireSignature: false, allowSelfSigned: false };
const STRICT: SignaturePolicy = { requireSignature: true, allowSelfSigned: false };

/** The main side of trust.*: keys and policy it keeps, answering like src-main/services/handlers.ts does. */
function trustMain(keys: TrustedKeyInfo[], policy: SignaturePolicy, pluginsUnder: (p: SignaturePolicy) => PluginInfo[] = () => []) {
  const main = { keys: [...keys], policy: { ...policy } };
  const handlers: Handlers = {
    'trust.listKeys': () => main.keys.map((k) => ({ ...k })),
    'trust.getPolicy': () => ({ ...main.policy }),
    'trust.addKey': (publicKey, name, email) => {
      const existing = main.keys.find((k) => k.publicKey === publicKey);
      if (existing) return { ok: false, error: `key ${publicKey} is already trusted as "${existing.name}"` };
      const key = { publicKey, name, email: email ?? '', addedAt: '2024-05-01T10:00:00.000Z' };
      main.keys.push(key);
      return { ok: true, key };
    },
    'trust.removeKey': (publicKey) => {
      if (!main.keys.some((k) => k.publicKey === publicKey)) return { ok: false, error: `key ${publicKey} is not in the trusted keys (/tmp/c/trusted_keys.toml)` };
      main.keys = main.keys.filter((k) => k.publicKey !== publicKey);
      return { ok: true };
    },
    'trust.setPolicy': (p) => {
      main.policy = { ...p };
      return { ok: true, plugins: pluginsUnder(p) };
    },
  };
  return { main, handlers };
}

/** Installed plugins as main lists them under a policy: under a strict one, the unsigned and self-signed ones fail verification. */
function pluginsUnder(p: SignaturePolicy): PluginInfo[] {
  const blocked = (tier: 'unsigned' | 'self-signed', detail: string) =>
    p.requireSignature && !(tier === 'self-signed' && p.allowSelfSigned)
      ? { state: 'failed' as const, reason: detail, verification: { ok: false, tier, detail, signer: null, trustedKeyName: null, failedCheck: 'policy' } }
      : { state: 'ready' as const, verification: { ok: true, tier, detail: 'accepted', signer: null, trustedKeyName: null, failedCheck: null } };
  return [
    samplePlugin('trusted', { verification: { ok: true, tier: 'trusted', detail: 'signed by Alice', signer: null, trustedKeyName: 'Alice', failedCheck: null } }),
    samplePlugin('self', blocked('self-signed', 'self-signed plugins are not allowed')),
    samplePlugin('unsigned', blocked('unsigned', 'unsigned plugins are not allowed')),
    // failed, but not because of its signature
    samplePlugin('broken', { state: 'failed', reason: 'cannot read /tmp/p/broken.wasm', verification: null }),
    // disabled by the crash breaker, its signature is fine
    samplePlugin('crashy', { state: 'disabled', reason: 'crashed 3 times' }),
  ];
}

const lastToast = (store: AppStore) => store.getState().toasts.at(-1)?.text;

describe('trust slice: keys', () => {
  it('loads the trusted keys and the signature policy', async () => {
    const { handlers } = trustMain([alice], STRICT);
    const { api, store } = await connected(handlers);
    expect(store.getState()).toMatchObject({ trustLoaded: false, trustedKeys: [], policy: null, policyBlocked: null });
    await store.getState().loadTrust();
    expect(store.getState()).toMatchObject({ trustLoaded: true, trustError: null, trustedKeys: [alice], policy: STRICT, policyBlocked: null });
    expect(api.callsOf('trust.listKeys')).toHaveLength(1);
    expect(api.callsOf('trust.getPolicy')).toHaveLength(1);
  });

  it('names what failed to load, keeps what did load, and clears the error on the next good load', async () => {
    const { handlers } = trustMain([alice], STRICT);
    const listKeys = handlers['trust.listKeys'];
    const { api, store } = await connected({
      ...handlers,
      'trust.listKeys': () => {
        throw new Error('/tmp/c/trusted_keys.toml:3:1: expected a table');
      },
    });
    await store.getState().loadTrust();
    expect(store.getState()).toMatchObject({ trustLoaded: true, trustedKeys: [], policy: STRICT, trustError: 'trusted keys: /tmp/c/trusted_keys.toml:3:1: expected a table' });

    api.handlers['trust.listKeys'] = listKeys;
    await store.getState().loadTrust();
    expect(store.getState()).toMatchObject({ trustError: null, trustedKeys: [alice] });
  });

  it('adds a key: busy while in flight, the list comes back from main, the email is sent only when given', async () => {
    const { main, handlers } = trustMain([alice], DEV);
    const gate = deferred<void>();
    const addKey = handlers['trust.addKey']!;
    const { api, store } = await connected({
      ...handlers,
      'trust.addKey': async (...args) => {
        await gate.promise;
        return addKey(...args);
      },
    });
    await store.getState().loadTrust();

    const adding = store.getState().addTrustedKey(KEY_BOB, 'Bob', '  bob@example.com ');
    expect(store.getState().trustBusy).toBe(true);
    gate.resolve();
    expect(await adding).toBeNull();
    const s = store.getState();
    expect(s.trustBusy).toBe(false);
    expect(s.trustedKeys.map((k) => [k.name, k.email])).toEqual([
      ['Alice', 'alice@example.com'],
      ['Bob', 'bob@example.com'],
    ]);
    expect(s.trustedKeys).toEqual(main.keys);
    expect(lastToast(store)).toBe('Trusted key "Bob" added');

    main.keys = [alice];
    expect(await store.getState().addTrustedKey(KEY_BOB, 'Bob', '   ')).toBeNull();
    expect(api.callsOf('trust.addKey')).toEqual([
      [KEY_BOB, 'Bob', 'bob@example.com'],
      [KEY_BOB, 'Bob'],
    ]);
    expect(store.getState().trustedKeys.find((k) => k.publicKey === KEY_BOB)?.email).toBe('');
  });

  it('returns main\'s refusal of a duplicate key and leaves the list as it was', async () => {
    const { handlers } = trustMain([alice], DEV);
    const { store } = await connected(handlers);
    await store.getState().loadTrust();
    const before = store.getState().trustedKeys;
    const toasts = store.getState().toasts.length;

    const error = await store.getState().addTrustedKey(KEY_ALICE, 'Alice again', '');
    expect(error).toBe(`key ${KEY_ALICE} is already trusted as "Alice"`);
    const s = store.getState();
    expect(s.trustedKeys).toEqual(before);
    expect(s.trustedKeys).toHaveLength(1);
    expect(s.trustBusy).toBe(false);
    // the form shows the error; no "added" toast
    expect(s.toasts.slice(toasts).map((t) => t.text)).not.toContain('Trusted key "Alice again" added');
  });

  it('returns the transport error when the add call fails, and clears the busy flag', async () => {
    const { handlers } = trustMain([alice], DEV);
    const { store } = await connected({
      ...handlers,
      'trust.addKey': () => {
        throw new Error('connection lost');
      },
    });
    await store.getState().loadTrust();
    expect(await store.getState().addTrustedKey(KEY_BOB, 'Bob', '')).toBe('connection lost');
    expect(store.getState().trustBusy).toBe(false);
    expect(store.getState().trustedKeys).toEqual([alice]);
  });

  it('removes a key and shows the list main has afterwards', async () => {
    const bob: TrustedKeyInfo = { publicKey: KEY_BOB, name: 'Bob', email: '', addedAt: '2024-04-02T09:00:00.000Z' };
    const { handlers } = trustMain([alice, bob], DEV);
    const { api, store } = await connected(handlers);
    await store.getState().loadTrust();
    expect(store.getState().trustedKeys).toHaveLength(2);

    expect(await store.getState().removeTrustedKey(KEY_ALICE)).toBe(true);
    expect(api.callsOf('trust.removeKey')).toEqual([[KEY_ALICE]]);
    expect(store.getState().trustedKeys).toEqual([bob]);
    expect(store.getState().trustBusy).toBe(false);
    expect(lastToast(store)).toBe('Trusted key removed');
  });

  it('toasts a refused removal and keeps the list', async () => {
    const { handlers } = trustMain([alice], DEV);
    const { store } = await connected(handlers);
    await store.getState().loadTrust();
    expect(await store.getState().removeTrustedKey(KEY_BOB)).toBe(false);
    expect(store.getState().trustedKeys).toEqual([alice]);
    expect(store.getState().trustBusy).toBe(false);
    expect(lastToast(store)).toBe(`Remove trusted key: key ${KEY_BOB} is not in the trusted keys (/tmp/c/trusted_keys.toml)`);
  });
});

describe('trust slice: signature policy', () => {
  it('stores a new policy with the re-evaluated plugins and which of them it blocks', async () => {
    const { main, handlers } = trustMain([alice], DEV, pluginsUnder);
    const gate = deferred<void>();
    const setPolicy = handlers['trust.setPolicy']!;
    const { api, store } = await connected({
      ...handlers,
      'plugins.list': () => pluginsUnder(DEV),
      'trust.setPolicy': async (p) => {
        await gate.promise;
        return setPolicy(p);
      },
    });
    await store.getState().loadTrust();
    expect(store.getState().plugins.find((p) => p.id === 'self')?.snapshot.state).toBe('ready');

    const changing = store.getState().setPolicy(STRICT);
    // the switches follow the click at once, disabled until main answers
    expect(store.getState()).toMatchObject({ policy: STRICT, trustBusy: true });
    gate.resolve();
    expect(await changing).toBe(true);
    expect(api.callsOf('trust.setPolicy')).toEqual([[STRICT]]);
    expect(main.policy).toEqual(STRICT);
    let s = store.getState();
    expect(s).toMatchObject({ policy: STRICT, trustBusy: false, pluginsLoaded: true });
    expect(s.policyBlocked).toEqual(['self', 'unsigned']);
    expect(s.plugins.map((p) => [p.id, p.snapshot.state])).toEqual([
      ['trusted', 'ready'],
      ['self', 'failed'],
      ['unsigned', 'failed'],
      ['broken', 'failed'],
      ['crashy', 'disabled'],
    ]);

    expect(await store.getState().setPolicy({ requireSignature: true, allowSelfSigned: true })).toBe(true);
    s = store.getState();
    expect(s.policy).toEqual({ requireSignature: true, allowSelfSigned: true });
    expect(s.policyBlocked).toEqual(['unsigned']);
    expect(s.plugins.find((p) => p.id === 'self')?.snapshot.state).toBe('ready');

    expect(await store.getState().setPolicy(DEV)).toBe(true);
    // a change that blocks nothing says so (empty, not "no change yet")
    expect(store.getState().policyBlocked).toEqual([]);
  });

  it('keeps the policy main has and toasts the reason when main refuses the change', async () => {
    const { main, handlers } = trustMain([alice], DEV, pluginsUnder);
    const { api, store } = await connected({ ...handlers, 'plugins.list': () => pluginsUnder(DEV) });
    await store.getState().loadTrust();
    expect(await store.getState().setPolicy(STRICT)).toBe(true);
    const before = store.getState();

    const refusal = 'config.toml has problems (device.name: expected a string); fix them first so the policy can be saved there';
    api.handlers['trust.setPolicy'] = () => ({ ok: false, error: refusal });
    expect(await store.getState().setPolicy({ requireSignature: true, allowSelfSigned: true })).toBe(false);
    const s = store.getState();
    expect(main.policy).toEqual(STRICT);
    expect(s.policy).toEqual(STRICT);
    expect(s.trustBusy).toBe(false);
    expect(lastToast(store)).toBe(`Signature policy: ${refusal}`);
    expect(s.toasts.at(-1)?.tone).toBe('error');
    // the plugins and what the last successful change blocked stay as they were
    expect(s.plugins).toBe(before.plugins);
    expect(s.policyBlocked).toEqual(['self', 'unsigned']);
  });

  it('keeps the policy main has and toasts the error when the call fails', async () => {
    const { handlers } = trustMain([], DEV);
    const { store } = await connected({
      ...handlers,
      'trust.setPolicy': () => {
        throw new Error('connection lost');
      },
    });
    await store.getState().loadTrust();
    expect(await store.getState().setPolicy(STRICT)).toBe(false);
    expect(store.getState()).toMatchObject({ policy: DEV, policyBlocked: null, trustBusy: false });
    expect(lastToast(store)).toBe('Signature policy: connection lost');
  });

  it('shows the last accepted policy, not the refused one, when reloading the policy fails too', async () => {
    const { handlers } = trustMain([], DEV);
    const { api, store } = await connected(handlers);
    await store.getState().loadTrust();
    api.handlers['trust.setPolicy'] = () => ({ ok: false, error: 'refused' });
    api.handlers['trust.getPolicy'] = () => {
      throw new Error('connection lost');
    };
    expect(await store.getState().setPolicy(STRICT)).toBe(false);
    expect(store.getState().policy).toEqual(DEV);
  });
});

const request = (pluginId: string, pending: Capability[], reason: ApprovalRequest['reason'] = 'load'): ApprovalRequest => ({
  pluginId,
  name: `${pluginId} plugin`,
  version: '1.0.0',
  tier: 'unsigned',
  signer: null,
  capabilities: [{ capability: 'network', status: 'granted' }, ...pending.map((capability) => ({ capability, status: 'pending' as const }))],
  pending,
  allowedHosts: [],
  reason,
});

describe('plugins slice: approval requests', () => {
  it('opens one dialog per plugin; a repeated request updates it instead of adding another', async () => {
    const { api, store } = await connected();
    expect(store.getState().approvalDialog).toBeNull();
    api.emit('plugins.didRequestApproval', request('files', ['filesystem']));
    expect(store.getState().approvalDialog).toBe('files');
    expect(Object.keys(store.getState().approvals)).toEqual(['files']);

    api.emit('plugins.didRequestApproval', request('files', ['filesystem', 'subprocess'], 'call'));
    const s = store.getState();
    expect(s.approvalDialog).toBe('files');
    expect(Object.keys(s.approvals)).toEqual(['files']);
    expect(s.approvals.files?.pending).toEqual(['filesystem', 'subprocess']);
    expect(s.approvals.files?.reason).toBe('call');
  });

  it('queues another plugin\'s request behind the open dialog and shows it when that one closes', async () => {
    const { api, store } = await connected();
    api.emit('plugins.didRequestApproval', request('files', ['filesystem']));
    api.emit('plugins.didRequestApproval', request('shell', ['subprocess']));
    expect(store.getState().approvalDialog).toBe('files');
    expect(Object.keys(store.getState().approvals).sort()).toEqual(['files', 'shell']);

    store.getState().closeApproval();
    expect(store.getState().approvalDialog).toBe('shell');
    store.getState().closeApproval();
    expect(store.getState().approvalDialog).toBeNull();
    // closing decided nothing: both still wait
    expect(Object.keys(store.getState().approvals).sort()).toEqual(['files', 'shell']);
  });

  it('"decide later" keeps the request pending, does not pop up again on the next request, and reopens from the plugin row', async () => {
    const { api, store } = await connected({ 'plugins.decide': () => ({ ok: false, error: 'must not be called' }) });
    api.emit('plugins.didRequestApproval', request('files', ['filesystem']));
    store.getState().closeApproval();
    let s = store.getState();
    expect(s.approvalDialog).toBeNull();
    expect(s.approvals.files?.pending).toEqual(['filesystem']);
    expect(api.callsOf('plugins.decide')).toEqual([]);

    // the plugin is triggered again while waiting
    api.emit('plugins.didRequestApproval', request('files', ['filesystem'], 'call'));
    s = store.getState();
    expect(s.approvalDialog).toBeNull();
    expect(Object.keys(s.approvals)).toEqual(['files']);

    store.getState().openApproval('files');
    expect(store.getState().approvalDialog).toBe('files');
    store.getState().closeApproval();
    expect(store.getState().approvalDialog).toBeNull();
    expect(store.getState().approvals.files?.pending).toEqual(['filesystem']);
  });

  it('drops a plugin\'s request once nothing is pending', async () => {
    const { api, store } = await connected();
    api.emit('plugins.didRequestApproval', request('files', ['filesystem']));
    store.getState().closeApproval();
    api.emit('plugins.didRequestApproval', request('files', [], 'grants-changed'));
    expect(store.getState().approvals).toEqual({});
  });
});

describe('plugins slice: deciding a capability', () => {
  const waiting = () => samplePlugin('files', { state: 'waiting-approval', reason: 'waiting for approval of: filesystem (medium risk)', pendingCapabilities: ['filesystem'] });
  const other = samplePlugin('other');

  it('calls main with the plugin, capability and status, and updates that plugin from the reply', async () => {
    const gate = deferred<void>();
    const granted = samplePlugin('files', { grants: ['filesystem'] });
    const { api, store } = await connected({
      'plugins.list': () => [waiting(), other],
      'plugins.decide': async (id, capability, status) => {
        await gate.promise;
        return id === 'files' && capability === 'filesystem' && status === 'granted' ? { ok: true, plugin: granted } : { ok: false, error: 'unexpected decision' };
      },
    });
    api.emit('plugins.didRequestApproval', request('files', ['filesystem']));
    const otherBefore = store.getState().plugins[1];

    const deciding = store.getState().decideCapability('files', 'filesystem', 'granted');
    expect(store.getState().pluginBusy.files).toBe(true);
    expect(store.getState().pluginBusy.other).toBeUndefined();
    gate.resolve();
    expect(await deciding).toBe(true);
    expect(api.callsOf('plugins.decide')).toEqual([['files', 'filesystem', 'granted']]);
    const s = store.getState();
    expect(s.pluginBusy.files).toBe(false);
    expect(s.plugins.map((p) => p.id)).toEqual(['files', 'other']);
    expect(s.plugins[0]?.snapshot).toMatchObject({ state: 'ready', grants: ['filesystem'], pendingCapabilities: [] });
    expect(s.plugins[1]).toBe(otherBefore);
    // the dialog stays up showing the decision until the user closes it
    expect(s.approvalDialog).toBe('files');
    // nothing is pending any more: the request is gone (the sidebar badge stops counting it)
    expect(s.approvals).toEqual({});
  });

  it('closing the dialog after deciding everything is not "decide later": a later request (an update asking for more) pops it up again', async () => {
    const granted = samplePlugin('files', { grants: ['filesystem'] });
    const { api, store } = await connected({ 'plugins.list': () => [waiting()], 'plugins.decide': () => ({ ok: true, plugin: granted }) });
    api.emit('plugins.didRequestApproval', request('files', ['filesystem']));
    expect(await store.getState().decideCapability('files', 'filesystem', 'granted')).toBe(true);
    store.getState().closeApproval();
    expect(store.getState().approvalsDismissed).toEqual({});
    api.emit('plugins.didRequestApproval', request('files', ['subprocess'], 'load'));
    expect(store.getState().approvalDialog).toBe('files');
  });

  it('a plugin list in which a waiting plugin has nothing pending any more (decided elsewhere) drops its request and its "decide later"', async () => {
    const { api, store } = await connected({ 'plugins.list': () => [waiting(), other] });
    api.emit('plugins.didRequestApproval', request('files', ['filesystem']));
    api.emit('plugins.didRequestApproval', request('late', ['subprocess']));
    store.getState().closeApproval(); // files: decide later → the dialog moves on to "late"
    expect(store.getState().approvalDialog).toBe('late');
    api.emit('plugins.didChange', [samplePlugin('files', { grants: ['filesystem'] }), other]);
    const s = store.getState();
    expect(Object.keys(s.approvals)).toEqual(['late']); // "late" is not in this list yet: kept
    expect(s.approvalsDismissed).toEqual({});
  });

  it('passes a denial through as such', async () => {
    const denied = samplePlugin('files', { deniedCapabilities: ['filesystem'] });
    const { api, store } = await connected({ 'plugins.list': () => [waiting()], 'plugins.decide': () => ({ ok: true, plugin: denied }) });
    expect(await store.getState().decideCapability('files', 'filesystem', 'denied')).toBe(true);
    expect(api.callsOf('plugins.decide')).toEqual([['files', 'filesystem', 'denied']]);
    expect(store.getState().plugins[0]?.snapshot.deniedCapabilities).toEqual(['filesystem']);
  });

  it('toasts a refused decision, leaves the plugins as they were and clears the busy flag', async () => {
    const { store } = await connected({ 'plugins.list': () => [waiting(), other], 'plugins.decide': (id) => ({ ok: false, error: `no plugin "${id}" is installed` }) });
    const before = store.getState().plugins;
    expect(await store.getState().decideCapability('files', 'subprocess', 'granted')).toBe(false);
    const s = store.getState();
    expect(s.plugins).toBe(before);
    expect(s.pluginBusy.files).toBe(false);
    expect(lastToast(store)).toBe('Decide subprocess: no plugin "files" is installed');
  });

  it('toasts a failed call and clears the busy flag', async () => {
    const gate = deferred<never>();
    const { store } = await connected({ 'plugins.list': () => [waiting()], 'plugins.decide': () => gate.promise });
    const before = store.getState().plugins;
    const deciding = store.getState().decideCapability('files', 'filesystem', 'granted');
    expect(store.getState().pluginBusy.files).toBe(true);
    gate.reject(new Error('connection lost'));
    expect(await deciding).toBe(false);
    expect(store.getState().pluginBusy.files).toBe(false);
    expect(store.getState().plugins).toBe(before);
    expect(lastToast(store)).toBe('Decide filesystem: connection lost');
  });

  it('revoking from the plugin list does not pop the dialog up for the request it causes', async () => {
    const revoked = samplePlugin('files', { state: 'waiting-approval', pendingCapabilities: ['filesystem'] });
    const { api, store } = await connected({ 'plugins.list': () => [samplePlugin('files', { grants: ['filesystem'] })], 'plugins.decide': () => ({ ok: true, plugin: revoked }) });
    expect(await store.getState().decideCapability('files', 'filesystem', 'pending')).toBe(true);
    api.emit('plugins.didRequestApproval', request('files', ['filesystem'], 'grants-changed'));
    const s = store.getState();
    expect(s.approvalDialog).toBeNull();
    expect(s.approvals.files?.pending).toEqual(['filesystem']);
    expect(s.plugins[0]?.snapshot.pendingCapabilities).toEqual(['filesystem']);
  });
});
