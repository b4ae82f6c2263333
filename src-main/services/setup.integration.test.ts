// setupServices on a real Core through the in-memory transport, as Electron and browser mode use it: verbs reach their
// handlers with their arguments, refused requests none; events reach every transport until dispose().
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidRequestError, type CallName, type ContractEvent } from '../../src-shared/contract';
import { connectInMemory } from '../transport/memory';
import { setupServices } from './setup';
import { countedEndpoint, startTestCore, type TestCore } from './test-support/test-core';

let t: TestCore | null = null;
afterEach(async () => {
  await t?.stop();
  t = null;
});

/** Resolves with the first event `subscribe` delivers that satisfies `test` (10 s at most). */
function nextEvent<T>(subscribe: (listener: (payload: T) => void) => () => void, test: (payload: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error('no such event'));
    }, 10_000);
    const off = subscribe((payload) => {
      if (!test(payload)) return;
      clearTimeout(timer);
      off();
      resolve(payload);
    });
  });
}

describe('setupServices', () => {
  it('wires the learner, the handlers and the event bridge once; a verb reaches the handler of its name with its arguments', async () => {
    t = await startTestCore();
    const seen: [CallName, unknown[]][] = [];
    const client = connectInMemory(countedEndpoint(t.services, (name, args) => seen.push([name, args])));
    try {
      expect(await client.api.virtual.press(36, 100)).toEqual({ ok: true });
      expect(await client.api.virtual.release(36)).toEqual({ ok: true });
      expect(await client.api.plugins.setLimits('nobody', null)).toEqual({ ok: false, error: 'no installed plugin is called "nobody"' });
      expect(await client.api.engine.recentEvents(0)).toEqual(expect.any(Array));
      const session = await client.api.learn.start(5000);
      expect(t.learner.activeSessionId).toBe(session.sessionId); // the services' own learner runs it
      expect(await client.api.learn.cancel()).toEqual({ ok: true });
      expect(seen).toEqual([
        ['virtual.press', [36, 100]],
        ['virtual.release', [36]],
        ['plugins.setLimits', ['nobody', null]],
        ['engine.recentEvents', [0]],
        ['learn.start', [5000]],
        ['learn.cancel', []],
      ]);
      expect(session.timeoutMs).toBe(5000);

      // Arguments the contract refuses (only possible by casting past the verb's types) reach no handler.
      const press = client.api.virtual.press as unknown as (...args: unknown[]) => Promise<unknown>;
      await expect(press(200, 100)).rejects.toThrow(InvalidRequestError);
      await expect(press('36')).rejects.toThrow(/virtual\.press: invalid arguments/);
      expect(seen).toHaveLength(6);
    } finally {
      client.close();
    }
  });

  it('dispatch refuses names outside the contract and non-array arguments before any handler', async () => {
    t = await startTestCore();
    await expect(t.services.dispatch('devices.format', [])).rejects.toThrow(/unknown call "devices\.format"/);
    await expect(t.services.dispatch('__proto__', [])).rejects.toThrow(InvalidRequestError);
    await expect(t.services.dispatch('app.info', { 0: 1 })).rejects.toThrow(/expected an array/);
    await expect(t.services.dispatch('app.info', [])).resolves.toMatchObject({ shell: 'electron' });
  });

  it('sends every event to every subscribed transport, through onDidX verbs; one failing transport does not stop the others', async () => {
    t = await startTestCore();
    const broken = t.services.onDidEmitEvent(() => {
      throw new Error('socket gone');
    });
    const a = connectInMemory(t.services);
    const b = connectInMemory(t.services);
    try {
      const gotA = nextEvent(a.api.engine.onDidEmitEvent, (e) => e.kind === 'midi');
      const gotB = nextEvent(b.api.engine.onDidEmitEvent, (e) => e.kind === 'midi');
      const learned = nextEvent(a.api.learn.onDidChange);
      expect(await a.api.virtual.press(40, 90)).toEqual({ ok: true });
      expect(await gotA).toMatchObject({ kind: 'midi', event: { message: { type: 'noteOn', note: 40, velocity: 90 } } });
      expect(await gotB).toMatchObject({ kind: 'midi', event: { message: { note: 40 } } });
      await b.api.learn.start(5000);
      expect(await learned).toMatchObject({ kind: 'started', timeoutMs: 5000 });
    } finally {
      broken();
      a.close();
      b.close();
    }
  });

  it('dispose() stops the event bridge and the learner and drops subscribers; the core keeps running', async () => {
    t = await startTestCore();
    const services = setupServices(t.core, { shell: 'browser', version: '1.2.3' });
    const events: ContractEvent[] = [];
    services.onDidEmitEvent((e) => events.push(e));
    await expect(services.dispatch('app.info', [])).resolves.toMatchObject({ shell: 'browser', version: '1.2.3' });
    t.core.devices.virtualDevice.pressPad(50);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events.some((e) => e.event === 'engine.didEmitEvent')).toBe(true);
    const session = services.learner.start(5000);
    expect(services.learner.activeSessionId).toBe(session);

    services.dispose();
    services.dispose(); // idempotent
    expect(services.learner.activeSessionId).toBeNull();
    expect(() => services.learner.start(5000)).toThrow(/disposed/);
    const count = events.length;
    t.core.devices.virtualDevice.releasePad(50);
    t.core.devices.virtualDevice.pressPad(51);
    t.core.pluginsChanged();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(events).toHaveLength(count);
    expect(t.core.engine.currentMode).not.toBeNull(); // the core is not stopped by its services
  });
});
