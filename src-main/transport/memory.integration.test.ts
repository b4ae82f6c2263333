// The UI contract end to end without Electron: the verb API over the in-memory port pair (messages structured-cloned
// like IPC) against setupServices of a real Core in temp dirs — the handlers and event bridge the app runs.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cFixture } from '../../plugins/fixtures';
import type { AppConfig } from '../../src-shared/config';
import { InvalidRequestError, type ConductorApi, type EventName, type EventPayloads } from '../../src-shared/contract';
import { parseConfigText } from '../config/schema';
import { generateKeyPair } from '../trust/keys';
import { startTestCore, type TestCore } from '../services/test-support/test-core';
import { connectInMemory, createMemoryPortPair, serveOnPort, type MemoryClient } from './memory';

describe('in-memory port pair', () => {
  it('delivers a structured clone, asynchronously, and nothing after close', async () => {
    const [a, b] = createMemoryPortPair();
    const got: unknown[] = [];
    b.onMessage((m) => got.push(m));
    const message = { when: new Date(0), big: 2n ** 70n, list: [1, { x: 'y' }] };
    a.postMessage(message);
    message.list.push(2);
    expect(got).toEqual([]); // not synchronous
    await Promise.resolve();
    expect(got).toEqual([{ when: new Date(0), big: 2n ** 70n, list: [1, { x: 'y' }] }]);
    expect(got[0]).not.toBe(message);
    expect(() => a.postMessage({ f: () => 1 })).toThrow(); // not cloneable, like IPC
    a.close();
    a.postMessage('late');
    await Promise.resolve();
    expect(got).toHaveLength(1);
  });
});

describe('the contract over the in-memory transport (real core, setupServices as the app wires it)', () => {
  let t: TestCore;
  let client: MemoryClient;
  let api: ConductorApi;
  const received: { event: EventName; payload: unknown }[] = [];
  const waiters = new Set<() => void>();

  /** The first event of `event` (already received or arriving within 10 s) that satisfies `test`. */
  function next<E extends EventName>(event: E, test: (payload: EventPayloads[E]) => boolean = () => true): Promise<EventPayloads[E]> {
    const find = () => received.find((r) => r.event === event && test(r.payload as EventPayloads[E]))?.payload as EventPayloads[E] | undefined;
    const seen = find();
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no ${event} event`));
      }, 10_000);
      const check = (): void => {
        const found = find();
        if (found === undefined) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(found);
      };
      waiters.add(check);
    });
  }

  beforeAll(async () => {
    t = await startTestCore();
    client = connectInMemory(t.services);
    api = client.api;
    // Every event stream through its onDidX verb (a missing or misnamed one does not compile).
    const verbs: { [E in EventName]: (listener: (payload: EventPayloads[E]) => void) => () => void } = {
      'engine.didEmitEvent': api.engine.onDidEmitEvent,
      'devices.didChange': api.devices.onDidChange,
      'config.didChange': api.config.onDidChange,
      'learn.didChange': api.learn.onDidChange,
      'plugins.didChange': api.plugins.onDidChange,
      'plugins.didChangeStats': api.plugins.onDidChangeStats,
      'plugins.didRequestApproval': api.plugins.onDidRequestApproval,
      'plugins.didNotify': api.plugins.onDidNotify,
      'virtual.didChangeLight': api.virtual.onDidChangeLight,
      'layouts.didChange': api.layouts.onDidChange,
      'app.didChangePaused': api.app.onDidChangePaused,
      'profiles.didChange': api.profiles.onDidChange,
      'gamepads.didChange': api.gamepads.onDidChange,
    };
    for (const [event, subscribe] of Object.entries(verbs) as [EventName, (listener: (payload: unknown) => void) => () => void][]) {
      subscribe((payload) => {
        received.push({ event, payload });
        for (const check of [...waiters]) check();
      });
    }
  });
  afterAll(async () => {
    client.close();
    await t.stop();
  });

  it('app.info and devices.list describe this app and its virtual controller', async () => {
    expect(await api.app.info()).toEqual({ version: expect.stringMatching(/^\d+\.\d+\.\d+/), shell: 'electron', platform: process.platform, configPath: t.configPath, pluginsDir: t.pluginsDir });
    const devices = await api.devices.list();
    expect(devices.devices).toContainEqual({ id: 'virtual:Virtual Controller', name: 'Virtual Controller', kind: 'virtual', direction: 'input', state: 'connected', detail: null });
    expect(devices.virtualLayout.pads).toHaveLength(16);
    expect(devices.status.available).toBe(false); // no hardware backend in tests
  });

  it('refusals surface as InvalidRequestError; device commands fail as values', async () => {
    await expect(api.virtual.press(200, 100)).rejects.toThrow(InvalidRequestError);
    expect((api.devices as unknown as Record<string, unknown>).format).toBeUndefined(); // no verb outside the contract
    // …and a raw message naming one is refused by the services, whatever sent it
    const [rawPort, servedPort] = createMemoryPortPair();
    const stopServing = serveOnPort(servedPort, t.services);
    const reply = new Promise((resolve) => rawPort.onMessage(resolve));
    rawPort.postMessage({ kind: 'call', id: 1, name: 'devices.format', args: [] });
    expect(await reply).toEqual({ kind: 'reply', id: 1, ok: false, error: 'unknown call "devices.format"', errorName: 'InvalidRequestError' });
    stopServing();
    rawPort.close();
    expect(await api.devices.connect('hw-in:Nothing')).toEqual({ ok: false, error: expect.stringContaining('Nothing') });
    expect(await api.devices.disconnect('virtual:Virtual Controller')).toEqual({ ok: false, error: expect.stringMatching(/always connected/) });
  });

  it('a virtual pad press reaches the engine, whose events are pushed and kept for recentEvents', async () => {
    const before = (await api.engine.recentEvents(0)).at(-1)?.seq ?? 0;
    expect(await api.virtual.press(36, 100)).toEqual({ ok: true });
    const change = await next('engine.didEmitEvent', (e) => e.kind === 'mode-change' && e.seq > before);
    expect(change).toMatchObject({ kind: 'mode-change', from: 'Default', to: 'Performance', reason: 'action' });
    expect(await api.virtual.release(36)).toEqual({ ok: true });
    expect(await api.engine.state()).toEqual({ mode: 'Performance', modes: ['Default', 'Performance'] });
    const recent = await api.engine.recentEvents(before);
    expect(recent.map((e) => e.kind)).toEqual(expect.arrayContaining(['midi', 'trigger', 'mode-change']));
    expect(recent.every((e) => e.seq > before)).toBe(true);
    expect(await api.engine.setMode('Nowhere')).toEqual({ ok: false, error: expect.stringMatching(/no mode named "Nowhere"/) });
    expect(await api.engine.setMode('default')).toEqual({ ok: true });
    expect(await api.engine.state()).toMatchObject({ mode: 'Default' });
  });

  it('config.save writes through the store and announces it; refused configs come back as issues', async () => {
    const { config, issues, path } = await api.config.get();
    expect(issues).toEqual([]);
    expect(path).toBe(t.configPath);
    const edited: AppConfig = { ...config, modes: [...config.modes, { name: 'Edit', color: null, mappings: [] }] };
    const saved = await api.config.save(edited as unknown as Record<string, unknown>);
    expect(saved.ok).toBe(true);
    expect(parseConfigText(readFileSync(t.configPath, 'utf8')).config?.modes.map((m) => m.name)).toEqual(['Default', 'Performance', 'Edit']);
    const announced = await next('config.didChange', (s) => s.config.modes.length === 3);
    expect(announced.issues).toEqual([]);
    expect(await api.engine.state()).toMatchObject({ modes: ['Default', 'Performance', 'Edit'] });

    const onDisk = readFileSync(t.configPath, 'utf8');
    const badNote = structuredClone(edited);
    badNote.modes[0]!.mappings[0]!.trigger = { type: 'Note', note: 200 };
    const refused = await api.config.save(badNote as unknown as Record<string, unknown>);
    expect(refused).toEqual({ ok: false, issues: [expect.objectContaining({ path: 'modes[0].mappings[0].trigger.Note.note', segments: ['modes', 0, 'mappings', 0, 'trigger', 'Note', 'note'] })] });

    const broken = await api.config.save({ device: 'x', modes: 'none', globalMappings: [{ trigger: 5 }] });
    expect(broken.ok).toBe(false);
    expect(!broken.ok && broken.issues.map((i) => i.path)).toEqual(['device', 'wasm', 'timing', 'modes', 'globalMappings[0].description', 'globalMappings[0].trigger', 'globalMappings[0].action']);
    expect(!broken.ok && broken.issues.map((i) => i.segments)).toEqual([['device'], ['wasm'], ['timing'], ['modes'], ['globalMappings', 0, 'description'], ['globalMappings', 0, 'trigger'], ['globalMappings', 0, 'action']]);

    const sneaky = await api.config.save({ ...edited, modes: [{ name: 'M', color: null, mappings: [{ description: 'd', trigger: { type: 'Note', note: 1 }, action: { type: 'Text' } }] }] });
    expect(sneaky.ok).toBe(false); // the writer could not even write it: still an issue, not a crash
    expect(readFileSync(t.configPath, 'utf8')).toBe(onDisk);
  });

  it('learn.start and learn.cancel drive the core learner, whose events are pushed', async () => {
    const { sessionId, timeoutMs } = await api.learn.start(5000);
    expect(timeoutMs).toBe(5000);
    expect(await next('learn.didChange', (e) => e.kind === 'started' && e.sessionId === sessionId)).toEqual({ kind: 'started', sessionId, timeoutMs: 5000 });
    await api.virtual.press(41, 77);
    await api.virtual.release(41);
    const learned = await next('learn.didChange', (e) => e.kind === 'learned' && e.sessionId === sessionId);
    expect(learned).toEqual({
      kind: 'learned',
      sessionId,
      result: { trigger: { type: 'Note', note: 41, channel: 0 }, description: 'Pad F1 (note 41), channel 1', velocity: 77, deviceId: 'virtual:Virtual Controller' },
    });
    const second = await api.learn.start();
    expect(await api.learn.cancel()).toEqual({ ok: true });
    expect(await next('learn.didChange', (e) => e.kind === 'cancelled' && e.sessionId === second.sessionId)).toMatchObject({ reason: 'user' });
    expect(await api.learn.cancel()).toEqual({ ok: true }); // idempotent
  });

  it('plugins: install, approval request, decide, test, refusals as values, uninstall; the list is pushed', async () => {
    const src = join(t.root, 'src');
    mkdirSync(src, { recursive: true });
    const file = join(src, 'counter.wasm');
    copyFileSync(cFixture('good'), file);

    const installed = await api.plugins.install(file);
    expect(installed).toMatchObject({ ok: true, action: 'installed', plugin: { id: 'counter', wasmPath: join(t.pluginsDir, 'counter.wasm'), snapshot: { state: 'waiting-approval' } } });
    expect(await next('plugins.didRequestApproval', (r) => r.pluginId === 'counter')).toMatchObject({ name: 'counter', pending: ['filesystem'] });
    await next('plugins.didChange', (list) => list.some((p) => p.id === 'counter'));
    expect(await api.plugins.test(join(t.pluginsDir, 'counter.wasm'), { action: 'hello' })).toMatchObject({ ok: false, errorKind: 'approval' });

    const decided = await api.plugins.decide('counter', 'filesystem', 'granted');
    expect(decided).toMatchObject({ ok: true, plugin: { snapshot: { state: 'ready', grants: ['filesystem'] } } });
    await next('plugins.didChange', (list) => list.some((p) => p.id === 'counter' && p.snapshot.state === 'ready'));
    const result = await api.plugins.test(join(t.pluginsDir, 'counter.wasm'), { action: 'hello' });
    expect(result).toMatchObject({ ok: true, code: 0, errorKind: null });

    expect(await api.plugins.install(file)).toEqual({ ok: false, error: expect.stringMatching(/already installed/) });
    expect(await api.plugins.install(join(src, 'missing.wasm'))).toEqual({ ok: false, error: expect.stringMatching(/no such file/) });
    expect(await api.plugins.decide('nobody', 'network', 'granted')).toEqual({ ok: false, error: expect.stringMatching(/no loaded plugin/) });
    expect(await api.plugins.test(join(src, 'missing.wasm'), {})).toMatchObject({ ok: false });
    expect((await api.plugins.list()).map((p) => p.id)).toContain('counter');

    expect(await api.plugins.uninstall('counter')).toEqual({ ok: true });
    expect(await api.plugins.uninstall('counter')).toEqual({ ok: false, error: expect.stringMatching(/no installed plugin/) });
    await next('plugins.didChange', (list) => !list.some((p) => p.id === 'counter'));
    expect((await api.plugins.list()).some((p) => p.id === 'counter')).toBe(false);
  });

  it('trust: list, add and remove keys (bad input as values); the policy is applied and saved in config.toml', async () => {
    const initial = await api.trust.listKeys();
    expect(initial.map((k) => k.name)).toEqual([expect.stringMatching(/official/i)]); // trusted on first run
    const keys = await generateKeyPair(join(t.root, 'dev'));
    expect(await api.trust.addKey('not-hex', 'Someone')).toEqual({ ok: false, error: expect.stringMatching(/invalid public key/) });
    const added = await api.trust.addKey(keys.publicKey, 'Dev', 'dev@example.org');
    expect(added).toEqual({ ok: true, key: { publicKey: keys.publicKey, name: 'Dev', email: 'dev@example.org', addedAt: expect.any(String) } });
    expect(await api.trust.addKey(keys.publicKey, 'Again')).toEqual({ ok: false, error: expect.stringMatching(/already trusted/) });
    expect((await api.trust.listKeys()).map((k) => k.publicKey)).toContain(keys.publicKey);
    expect(await api.trust.removeKey(keys.publicKey)).toEqual({ ok: true });
    expect(await api.trust.removeKey(keys.publicKey)).toEqual({ ok: false, error: expect.stringMatching(/not in the trusted keys/) });

    expect(await api.trust.getPolicy()).toEqual({ requireSignature: false, allowSelfSigned: false });
    const set = await api.trust.setPolicy({ requireSignature: true, allowSelfSigned: true });
    expect(set).toEqual({ ok: true, plugins: expect.any(Array) });
    expect(await api.trust.getPolicy()).toEqual({ requireSignature: true, allowSelfSigned: true });
    const onDisk = parseConfigText(readFileSync(t.configPath, 'utf8')).config;
    expect(onDisk?.wasm).toMatchObject({ requireSignature: true, allowSelfSigned: true });
    expect(onDisk?.modes.map((m) => m.name)).toEqual(['Default', 'Performance', 'Edit']); // the rest of the file kept

    // With config.toml broken on disk the policy cannot be saved there, so it is not changed at all.
    writeFileSync(t.configPath, '[wasm\nrequire_signature = maybe\n');
    await t.core.config.load();
    const refused = await api.trust.setPolicy({ requireSignature: false, allowSelfSigned: false });
    expect(refused).toEqual({ ok: false, error: expect.stringMatching(/config\.toml has problems/) });
    expect(await api.trust.getPolicy()).toEqual({ requireSignature: true, allowSelfSigned: true });
    expect(readFileSync(t.configPath, 'utf8')).toBe('[wasm\nrequire_signature = maybe\n');
  });
});
