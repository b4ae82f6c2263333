import { afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src-shared/engine';
import type { ConfigIssue } from '../../src-shared/config';
import type { PluginSettingsForm } from '../../src-shared/plugin';
import { connectStore, FakeApi, flush, loadHandlers, sampleConfig, samplePlugin, type FakeClient } from '../test-support/fake-api';
import { withOAuthFrom } from './slices/plugins';
import { hasUnsavedChanges } from './draft';
import type { AppStore } from './types';

let stop: (() => void) | null = null;
afterEach(() => {
  stop?.();
  stop = null;
});

async function connected(api = new FakeApi(loadHandlers()), now = () => 1000): Promise<{ api: FakeApi; client: FakeClient; store: AppStore }> {
  const c = await connectStore(api, now);
  stop = c.stop;
  return c;
}

const midi = (seq: number): EngineEvent => ({ seq, at: seq, kind: 'midi', event: { deviceId: 'virtual:Virtual Controller', timestamp: seq, message: { type: 'noteOn', channel: 0, note: 36, velocity: 90 } } });

describe('store + bridge', () => {
  it('loads everything once connected', async () => {
    const { store } = await connected();
    const s = store.getState();
    expect(s.loaded).toBe(true);
    expect(s.connection.status).toBe('connected');
    expect(s.midiStatus).toEqual({ available: false, reason: 'MIDI unavailable: cannot open /dev/snd/seq' });
    expect(s.devices).toHaveLength(1);
    expect(s.mode).toBe('Default');
    expect(s.draft).toEqual(sampleConfig());
    expect(hasUnsavedChanges(s.draft, s.baseline)).toBe(false);
    expect(s.toasts).toEqual([]);
  });

  it('reloads after a reconnect, asking only for events after the last seen one', async () => {
    const { api, client, store } = await connected();
    api.emit('engine.didEmitEvent', midi(7));
    client.setConnection('disconnected', 'connection closed');
    expect(store.getState().connection).toMatchObject({ status: 'disconnected', detail: 'connection closed' });
    client.setConnection('connected');
    await flush();
    expect(api.callsOf('engine.recentEvents')).toEqual([[0], [7]]);
  });

  it('reports load failures in one toast', async () => {
    const handlers = loadHandlers();
    delete handlers['plugins.list'];
    const { store } = await connected(new FakeApi(handlers));
    expect(store.getState().toasts.map((t) => t.text)).toEqual(['Could not load plugins (no handler for plugins.list)']);
  });

  it('saves the draft and shows issues from a failed save', async () => {
    const issues: ConfigIssue[] = [
      { path: 'modes[0].mappings[1].trigger.Note.note', segments: ['modes', 0, 'mappings', 1, 'trigger', 'Note', 'note'], message: 'expected 0–127, got 300', line: null, column: null },
      { path: 'device.name', segments: ['device', 'name'], message: 'expected a string', line: null, column: null },
    ];
    const api = new FakeApi({ ...loadHandlers(), 'config.save': () => ({ ok: false, issues }) });
    const { store } = await connected(api);
    store.getState().updateMapping('m0:1', (m) => ({ ...m, trigger: { type: 'Note', note: 300 } }));
    expect(hasUnsavedChanges(store.getState().draft, store.getState().baseline)).toBe(true);
    expect(await store.getState().saveDraft()).toBe(false);
    const s = store.getState();
    expect(s.saveIssues).toEqual(issues);
    expect(hasUnsavedChanges(s.draft, s.baseline)).toBe(true);
    expect(s.toasts.at(-1)?.tone).toBe('error');
    // the whole draft was sent, bigint/Date extras included
    expect((api.callsOf('config.save')[0]?.[0] as { extra: unknown }).extra).toEqual({ led: { brightness: 10n, updated: new Date('2024-01-01T00:00:00.000Z') } });

    api.handlers['config.save'] = (c) => ({ ok: true, config: c as unknown as ReturnType<typeof sampleConfig> });
    store.getState().updateMapping('m0:1', (m) => ({ ...m, trigger: { type: 'Note', note: 30 } }));
    expect(await store.getState().saveDraft()).toBe(true);
    const after = store.getState();
    expect(after.saveIssues).toEqual([]);
    expect(hasUnsavedChanges(after.draft, after.baseline)).toBe(false);
    expect(after.configState?.config.modes[0]?.mappings[1]?.trigger).toEqual({ type: 'Note', note: 30 });
  });

  it('drops save issues when mappings move (their paths no longer fit)', async () => {
    const api = new FakeApi({ ...loadHandlers(), 'config.save': () => ({ ok: false, issues: [{ path: 'modes[0].mappings[0]', segments: ['modes', 0, 'mappings', 0], message: 'x', line: null, column: null }] }) });
    const { store } = await connected(api);
    store.getState().updateMapping('m0:0', (m) => ({ ...m, description: 'y' }));
    await store.getState().saveDraft();
    expect(store.getState().saveIssues).toHaveLength(1);
    store.getState().moveMapping('m0:0', 1);
    expect(store.getState().saveIssues).toEqual([]);
  });

  it('follows config.changed when the draft is clean, flags it when the draft has changes', async () => {
    const { api, store } = await connected();
    const changed = sampleConfig();
    changed.modes[0]!.name = 'Live';
    api.emit('config.didChange', { config: changed, issues: [], path: '/tmp/c/config.toml' });
    expect(store.getState().draft?.modes[0]?.name).toBe('Live');
    expect(store.getState().externalChange).toBe(false);

    store.getState().addMapping({ kind: 'global' });
    const again = sampleConfig();
    api.emit('config.didChange', { config: again, issues: [], path: '/tmp/c/config.toml' });
    const s = store.getState();
    expect(s.externalChange).toBe(true);
    expect(s.draft?.globalMappings).toHaveLength(2);
    s.discardDraft();
    expect(store.getState().draft).toEqual(again);
    expect(store.getState().externalChange).toBe(false);
  });

  it('learns a trigger into the mapping being edited', async () => {
    let now = 1000;
    const api = new FakeApi({ ...loadHandlers(), 'learn.start': (ms) => ({ sessionId: 5, timeoutMs: ms ?? 10000 }) });
    const { store } = await connected(api, () => now);
    const start = store.getState().startLearn('m0:0');
    expect(store.getState().learn.phase).toBe('starting');
    api.emit('learn.didChange', { kind: 'started', sessionId: 5, timeoutMs: 10000 });
    await start;
    expect(api.callsOf('learn.start')).toEqual([[10000]]);
    expect(store.getState().learn).toMatchObject({ phase: 'listening', sessionId: 5, deadline: 11000, target: 'm0:0' });
    // another window's session is not ours
    api.emit('learn.didChange', { kind: 'learned', sessionId: 4, result: { trigger: { type: 'CC', cc: 1 }, description: 'x', velocity: null, deviceId: 'd' } });
    expect(store.getState().learn.phase).toBe('listening');
    now = 3000;
    api.emit('learn.didChange', { kind: 'learned', sessionId: 5, result: { trigger: { type: 'Note', note: 40, channel: 0 }, description: 'Pad E1 (note 40), channel 1', velocity: 99, deviceId: 'virtual:Virtual Controller' } });
    const s = store.getState();
    expect(s.learn.phase).toBe('learned');
    expect(s.learn.result?.description).toBe('Pad E1 (note 40), channel 1');
    expect(s.draft?.modes[0]?.mappings[0]?.trigger).toEqual({ type: 'Note', note: 40, channel: 0 });
    expect(hasUnsavedChanges(s.draft, s.baseline)).toBe(true);
  });

  it('cancels learning, and a timeout says nothing was pressed', async () => {
    const api = new FakeApi({ ...loadHandlers(), 'learn.start': () => ({ sessionId: 1, timeoutMs: 10000 }), 'learn.cancel': () => ({ ok: true }) });
    const { store } = await connected(api);
    await store.getState().startLearn('g:0');
    await store.getState().cancelLearn();
    expect(api.callsOf('learn.cancel')).toHaveLength(1);
    expect(store.getState().learn.phase).toBe('cancelled');
    // a result arriving after Cancel is not applied
    api.emit('learn.didChange', { kind: 'learned', sessionId: 1, result: { trigger: { type: 'Note', note: 1 }, description: '', velocity: 1, deviceId: '' } });
    expect(store.getState().draft?.globalMappings[0]?.trigger).toEqual({ type: 'DoubleTap', note: 48 });

    api.handlers['learn.start'] = () => ({ sessionId: 2, timeoutMs: 10000 });
    await store.getState().startLearn('g:0');
    api.emit('learn.didChange', { kind: 'cancelled', sessionId: 2, reason: 'timeout' });
    expect(store.getState().learn).toMatchObject({ phase: 'cancelled', message: 'Nothing was pressed in time.' });
  });

  it('shows a learn.start failure', async () => {
    const { store } = await connected();
    await store.getState().startLearn('m0:0');
    expect(store.getState().learn.phase).toBe('error');
    expect(store.getState().toasts.at(-1)?.text).toBe('Learn: no handler for learn.start');
  });

  it('keeps console events bounded, holds them while paused, tracks the mode', async () => {
    const { api, store } = await connected();
    for (let i = 1; i <= 2100; i++) api.emit('engine.didEmitEvent', midi(i));
    expect(store.getState().events).toHaveLength(2000);
    store.getState().setPaused(true);
    api.emit('engine.didEmitEvent', midi(2101));
    api.emit('engine.didEmitEvent', { seq: 2102, at: 0, kind: 'mode-change', from: 'Default', to: 'Edit', toIndex: 1, reason: 'action' });
    expect(store.getState().events.at(-1)?.seq).toBe(2100);
    expect(store.getState().held).toHaveLength(2);
    expect(store.getState().mode).toBe('Edit');
    store.getState().setPaused(false);
    expect(store.getState().events.at(-1)?.seq).toBe(2102);
    expect(store.getState().events).toHaveLength(2000);
    store.getState().clearConsole();
    expect(store.getState().events).toEqual([]);
    expect(store.getState().lastSeq).toBe(2102);
  });

  it('presses and releases virtual pads, undoing the light when the press fails', async () => {
    const api = new FakeApi({ ...loadHandlers(), 'virtual.press': () => ({ ok: true }), 'virtual.release': () => ({ ok: true }) });
    const { store } = await connected(api);
    await store.getState().pressPad(36, 140);
    expect(api.callsOf('virtual.press')).toEqual([[36, 127]]);
    expect(store.getState().pressedNotes).toEqual({ 36: 140 });
    await store.getState().releasePad(36);
    await store.getState().releasePad(36);
    expect(api.callsOf('virtual.release')).toEqual([[36]]);
    api.handlers['virtual.press'] = () => ({ ok: false, error: 'virtual controller disconnected' });
    await store.getState().pressPad(37, 64);
    expect(store.getState().pressedNotes).toEqual({});
    expect(store.getState().toasts.at(-1)?.text).toBe('Pad 37: virtual controller disconnected');
  });

  it('tests a plugin action and keeps the result', async () => {
    const api = new FakeApi({
      ...loadHandlers(),
      'plugins.test': () => ({ ok: false, code: null, error: 'timed out after 5000 ms', errorKind: 'timeout', fuelConsumed: 123, durationMs: 5001, memoryBytes: 65536, log: [] }),
    });
    const { store } = await connected(api);
    const p = store.getState().testPlugin('m0:0|action', '/p/a.wasm', { action: 'spin' });
    expect(store.getState().pluginTests['m0:0|action']?.running).toBe(true);
    await p;
    expect(store.getState().pluginTests['m0:0|action']).toMatchObject({ running: false, result: { errorKind: 'timeout', fuelConsumed: 123 } });
    expect(api.callsOf('plugins.test')).toEqual([['/p/a.wasm', { action: 'spin' }]]);
  });

  it('remembers what a Test ran with, and forgets a finished result on clearPluginTest (a running one is left alone)', async () => {
    const api = new FakeApi({ ...loadHandlers(), 'plugins.test': () => ({ ok: true, code: 0, error: null, errorKind: null, fuelConsumed: 1, durationMs: 1, memoryBytes: 65536, log: [] }) });
    const { store } = await connected(api);
    const p = store.getState().testPlugin('k', '/p/a.wasm', { action: 'spin' });
    store.getState().clearPluginTest('k');
    expect(store.getState().pluginTests['k']).toMatchObject({ running: true, ranWith: { path: '/p/a.wasm', params: { action: 'spin' } } });
    await p;
    expect(store.getState().pluginTests['k']).toMatchObject({ running: false, result: { ok: true }, ranWith: { path: '/p/a.wasm', params: { action: 'spin' } } });
    store.getState().clearPluginTest('k');
    expect(store.getState().pluginTests['k']).toBeUndefined();
  });

  it("loads a plugin's settings form and saves changes: the reply replaces the form, a refusal is returned and toasted", async () => {
    const specs = [
      { name: 'port', type: 'number' as const, description: '', default: 4455, required: false },
      { name: 'password', type: 'secret' as const, description: '', default: null, required: true },
    ];
    const api = new FakeApi({
      ...loadHandlers(),
      'plugins.settings': (id) => ({ ok: true, form: { id, specs, values: {}, secretsSet: [], secretStorage: 'file', oauth: null } }),
      'plugins.saveSettings': (id, changes) =>
        changes.port === 'abc' ? { ok: false, error: 'setting port must be a number' } : { ok: true, form: { id, specs, values: { port: 4466 }, secretsSet: ['password'], secretStorage: 'file', oauth: null } },
    });
    const { store } = await connected(api);
    expect(await store.getState().loadPluginSettings('obs')).toBeNull();
    expect(store.getState().pluginSettings.obs?.secretsSet).toEqual([]);
    expect(await store.getState().savePluginSettings('obs', { port: 4466, password: 'hunter2' })).toBeNull();
    expect(store.getState().pluginSettings.obs).toMatchObject({ values: { port: 4466 }, secretsSet: ['password'] });
    expect(store.getState().pluginBusy.obs).toBe(false);
    expect(await store.getState().savePluginSettings('obs', { port: 'abc' })).toBe('setting port must be a number');
    expect(store.getState().pluginSettings.obs?.values).toEqual({ port: 4466 });
    expect(store.getState().toasts.at(-1)).toMatchObject({ tone: 'error', text: 'Settings: setting port must be a number' });
    expect(api.callsOf('plugins.saveSettings')).toEqual([
      ['obs', { port: 4466, password: 'hunter2' }],
      ['obs', { port: 'abc' }],
    ]);
    // The secret went to main and nowhere else: not into the store's state.
    expect(JSON.stringify(store.getState(), (_k, v: unknown) => (typeof v === 'function' ? undefined : typeof v === 'bigint' ? String(v) : v))).not.toContain('hunter2');
  });

  it('connects an OAuth provider: the reply says who opens the page, the form is re-read (pending), and again after plugins.didChange (connected) keeping the settings objects; Disconnect; refusals are returned', async () => {
    const specs = [{ name: 'client_id', type: 'string' as const, description: '', default: null, required: false }];
    let oauth = { provider: 'Spotify', scopes: ['user-modify-playback-state'], connected: false, pending: false, error: null as string | null };
    let clientId: string | null = null;
    const form = (id: string): PluginSettingsForm => ({ id, specs, values: clientId === null ? {} : { client_id: clientId }, secretsSet: [], secretStorage: 'file', oauth: { ...oauth } });
    const api = new FakeApi({
      ...loadHandlers(),
      'plugins.list': () => [samplePlugin('spotify')],
      'plugins.settings': (id) => ({ ok: true, form: form(id) }),
      'plugins.oauthConnect': () => {
        if (clientId === null) return { ok: false, error: "set client_id in the plugin's settings first (the client id of your Spotify app)" };
        oauth = { ...oauth, pending: true, error: null };
        return { ok: true, authorizeUrl: 'http://127.0.0.1:1/authorize?state=s', opened: false };
      },
      'plugins.oauthDisconnect': (id) => {
        oauth = { ...oauth, connected: false, pending: false };
        return id === 'spotify' ? { ok: true, form: form(id) } : { ok: false, error: 'no plugin "x" is loaded' };
      },
    });
    const { store } = await connected(api);
    expect(await store.getState().loadPluginSettings('spotify')).toBeNull();
    expect(await store.getState().connectPluginOAuth('spotify')).toEqual({ ok: false, error: "set client_id in the plugin's settings first (the client id of your Spotify app)" });
    expect(store.getState().pluginBusy.spotify).toBe(false);

    clientId = 'e2e-client';
    await store.getState().loadPluginSettings('spotify');
    const loaded = store.getState().pluginSettings.spotify;
    expect(await store.getState().connectPluginOAuth('spotify')).toEqual({ ok: true, authorizeUrl: 'http://127.0.0.1:1/authorize?state=s', opened: false });
    await flush();
    const pending = store.getState().pluginSettings.spotify;
    expect(pending?.oauth).toMatchObject({ pending: true, connected: false });
    // Only the OAuth state changed: the settings objects are the ones the form already had (its drafts stay).
    expect(pending?.values).toBe(loaded?.values);
    expect(pending?.specs).toBe(loaded?.specs);

    // Main finished the Connect and fired plugins.didChange: the store re-reads the forms that have a provider.
    oauth = { ...oauth, pending: false, connected: true };
    const before = api.callsOf('plugins.settings').length;
    api.emit('plugins.didChange', [samplePlugin('spotify')]);
    await flush();
    expect(api.callsOf('plugins.settings').length).toBe(before + 1);
    expect(store.getState().pluginSettings.spotify?.oauth).toMatchObject({ connected: true, pending: false, error: null });
    expect(store.getState().pluginSettings.spotify?.values).toBe(loaded?.values);
    // Nothing changed: the very same form object (no re-render, no drafts reset).
    const same = store.getState().pluginSettings.spotify;
    api.emit('plugins.didChange', [samplePlugin('spotify')]);
    await flush();
    expect(store.getState().pluginSettings.spotify).toBe(same);

    expect(await store.getState().disconnectPluginOAuth('spotify')).toBeNull();
    expect(store.getState().pluginSettings.spotify?.oauth).toMatchObject({ connected: false });
    expect(await store.getState().disconnectPluginOAuth('x')).toBe('no plugin "x" is loaded');
    expect(api.callsOf('plugins.oauthConnect')).toEqual([['spotify'], ['spotify']]);
  });

  it('re-reads after plugins.didChange only the forms that have an OAuth provider', async () => {
    const api = new FakeApi({
      ...loadHandlers(),
      'plugins.settings': (id) => ({ ok: true, form: { id, specs: [], values: {}, secretsSet: [], secretStorage: 'file', oauth: null } }),
    });
    const { store } = await connected(api);
    await store.getState().loadPluginSettings('obs');
    api.emit('plugins.didChange', [samplePlugin('obs')]);
    await flush();
    expect(api.callsOf('plugins.settings')).toEqual([['obs']]);
  });

  it('merges a re-read form: the settings objects kept while only the OAuth state changed, else the fresh form', () => {
    const base = { id: 'p', specs: [], values: { a: 1 }, secretsSet: [], secretStorage: 'file' as const, oauth: { provider: 'P', scopes: [], connected: false, pending: true, error: null } };
    const fresh = { ...base, values: { a: 1 }, oauth: { ...base.oauth, pending: false, error: 'P said: access_denied' } };
    const merged = withOAuthFrom(base, fresh);
    expect(merged.values).toBe(base.values);
    expect(merged.oauth).toEqual(fresh.oauth);
    expect(withOAuthFrom(base, { ...base, values: { a: 1 }, oauth: { ...base.oauth } })).toBe(base);
    const changed = { ...fresh, values: { a: 2 } };
    expect(withOAuthFrom(base, changed)).toBe(changed);
    expect(withOAuthFrom(undefined, fresh)).toBe(fresh);
  });

  it('switches mode through the engine and reports a refusal', async () => {
    const api = new FakeApi({ ...loadHandlers(), 'engine.setMode': (name) => (name === 'Edit' ? { ok: true } : { ok: false, error: `no mode named "${name}"` }) });
    const { store } = await connected(api);
    await store.getState().setMode('Edit');
    expect(store.getState().mode).toBe('Edit');
    await store.getState().setMode('Nope');
    expect(store.getState().mode).toBe('Edit');
    expect(store.getState().toasts.at(-1)?.text).toBe('Switch to mode "Nope": no mode named "Nope"');
  });

  it('keeps approval requests and stops listening when the bridge stops', async () => {
    const { api, store } = await connected();
    api.emit('plugins.didRequestApproval', { pluginId: 'fs', name: 'Files', version: '1.0.0', tier: 'unsigned', signer: null, capabilities: [{ capability: 'filesystem', status: 'pending' }], pending: ['filesystem'], allowedHosts: [], reason: 'call' });
    expect(Object.keys(store.getState().approvals)).toEqual(['fs']);
    expect(store.getState().toasts.at(-1)?.text).toContain('waiting for your approval of: filesystem');
    stop?.();
    stop = null;
    expect(api.listenerCount()).toBe(0);
  });

  it('applies a plugin\'s changed call figures without a new list: only that plugin, only those figures', async () => {
    const { api, store } = await connected();
    api.emit('plugins.didChange', [samplePlugin('echo'), samplePlugin('other')]);
    const other = store.getState().plugins[1];
    api.emit('plugins.didChangeStats', { pluginId: 'echo', stats: { calls: 3, lastFuelConsumed: 1200, lastDurationMs: 4 } });
    const [echo, otherAfter] = store.getState().plugins;
    expect(echo?.snapshot.stats).toEqual({ calls: 3, errors: 0, lastFuelConsumed: 1200, lastDurationMs: 4, crashes: 0, lastError: null });
    expect(otherAfter).toBe(other);
    api.emit('plugins.didChangeStats', { pluginId: 'echo', stats: { calls: 4, errors: 1, lastError: { kind: 'out-of-fuel', message: 'out of fuel', at: 5 } } });
    expect(store.getState().plugins[0]?.snapshot.stats).toMatchObject({ calls: 4, errors: 1, lastFuelConsumed: 1200, lastError: { kind: 'out-of-fuel' } });
    const before = store.getState().plugins;
    api.emit('plugins.didChangeStats', { pluginId: 'gone', stats: { calls: 1 } });
    expect(store.getState().plugins).toBe(before);
  });

  it('adds and removes modes keeping the selected list valid', async () => {
    const { store } = await connected();
    const i = store.getState().addMode();
    expect(i).toBe(2);
    expect(store.getState().selectedScope).toBe('m2');
    store.getState().removeMode(2);
    expect(store.getState().selectedScope).toBe('m1');
    expect(store.getState().draft?.modes).toHaveLength(2);
  });
});

describe('toasts', () => {
  it('replaces a toast of the same group and keeps at most five', async () => {
    const { store } = await connected();
    const { toast } = store.getState();
    toast('error', 'Not saved', 'save');
    toast('success', 'Saved', 'save');
    expect(store.getState().toasts.map((t) => t.text)).toEqual(['Saved']);
    for (let i = 0; i < 7; i++) toast('info', `n${i}`);
    expect(store.getState().toasts.map((t) => t.text)).toEqual(['n2', 'n3', 'n4', 'n5', 'n6']);
  });
});

describe('undo and redo of the draft', () => {
  it('undoes and redoes edits, deletes, learned triggers and a discard; the unsaved state follows', async () => {
    let clock = 1000;
    const { api, store } = await connected(new FakeApi({ ...loadHandlers(), 'learn.start': (ms) => ({ sessionId: 5, timeoutMs: ms ?? 10000 }) }), () => clock);
    const s = () => store.getState();
    const original = s().draft;
    const key = s().addMapping({ kind: 'global' });
    expect(key).not.toBeNull();
    clock += 5000;
    s().updateMapping(key ?? '', (m) => ({ ...m, description: 'T' }));
    s().updateMapping(key ?? '', (m) => ({ ...m, description: 'Ty' }));
    s().updateMapping(key ?? '', (m) => ({ ...m, description: 'Typed' }));
    clock += 5000;
    s().deleteMapping('g:0');
    expect(s().draft?.globalMappings.map((m) => m.description)).toEqual(['Typed']);

    s().undo(); // the delete
    expect(s().draft?.globalMappings).toHaveLength(2);
    s().undo(); // the typing, as one step
    expect(s().draft?.globalMappings[1]?.description).toBe('');
    s().undo(); // the added mapping
    expect(s().draft).toEqual(original);
    expect(hasUnsavedChanges(s().draft, s().baseline)).toBe(false);
    s().undo(); // nothing left: no change
    expect(s().draft).toEqual(original);
    s().redo();
    s().redo();
    expect(s().draft?.globalMappings[1]?.description).toBe('Typed');
    expect(hasUnsavedChanges(s().draft, s().baseline)).toBe(true);

    // A learned trigger is one step.
    s().setEditing('g:1');
    await s().startLearn('g:1');
    api.emit('learn.didChange', { kind: 'learned', sessionId: 5, result: { trigger: { type: 'Note', note: 44 }, description: 'x', velocity: 90, deviceId: 'virtual:Virtual Controller' } });
    expect(s().draft?.globalMappings[1]?.trigger).toEqual({ type: 'Note', note: 44 });
    s().undo();
    expect(s().draft?.globalMappings[1]?.trigger).not.toEqual({ type: 'Note', note: 44 });
    expect(s().editingKey).toBe('g:1');

    // Discard is undoable too.
    s().discardDraft();
    expect(hasUnsavedChanges(s().draft, s().baseline)).toBe(false);
    s().undo();
    expect(s().draft?.globalMappings[1]?.description).toBe('Typed');
  });

  it('forgets the steps when the config changes on disk under a clean draft, not when a save comes back', async () => {
    const { api, store } = await connected();
    const s = () => store.getState();
    s().addMapping({ kind: 'global' });
    api.handlers['config.save'] = (c) => ({ ok: true, config: c as unknown as ReturnType<typeof sampleConfig> });
    expect(await s().saveDraft()).toBe(true);
    const saved = s().draft;
    api.emit('config.didChange', { config: saved as ReturnType<typeof sampleConfig>, issues: [], path: '/tmp/c/config.toml' });
    expect(s().history.past.length).toBeGreaterThan(0);
    const changed = { ...sampleConfig(), modes: [] };
    api.emit('config.didChange', { config: changed, issues: [], path: '/tmp/c/config.toml' });
    expect(s().draft).toEqual(changed);
    expect(s().history.past).toEqual([]);
  });
});
