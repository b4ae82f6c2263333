// The event bridge on a real Core: device list changes, config edits on disk (good and bad), plugin notifications,
// coalesced plugin-list changes, per-plugin stats changes, and unsubscribing.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventName, EventPayloads } from '../../src-shared/contract';
import { buildWatFixtures, watToWasm } from '../../plugins/fixtures';
import { VirtualBackend, VirtualDevice } from '../midi/virtual-device';
import { bridgeEvents } from './events';
import { startTestCore, type TestCore } from './test-support/test-core';

type Received = { [E in EventName]: { event: E; payload: EventPayloads[E] } }[EventName];

let t: TestCore | null = null;
afterEach(async () => {
  await t?.stop();
  t = null;
});

function recorder(): { received: Received[]; emit: <E extends EventName>(event: E, payload: EventPayloads[E]) => void; next: <E extends EventName>(event: E, test?: (p: EventPayloads[E]) => boolean) => Promise<EventPayloads[E]> } {
  const received: Received[] = [];
  const waiters: { event: EventName; test: (p: never) => boolean; resolve: (p: never) => void }[] = [];
  return {
    received,
    emit(event, payload) {
      received.push({ event, payload } as Received);
      for (const w of [...waiters]) {
        if (w.event !== event || !w.test(payload as never)) continue;
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(payload as never);
      }
    },
    next(event, test = () => true) {
      const seen = received.find((r) => r.event === event && test(r.payload as never));
      if (seen) return Promise.resolve(seen.payload as never);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${event} event`)), 10_000);
        waiters.push({ event, test: test as (p: never) => boolean, resolve: (p) => (clearTimeout(timer), resolve(p)) });
      });
    },
  };
}

/**
 * Installs `notifier`: a plugin whose `execute` calls conductor.notify("Hello", "from a plugin"), with a plugin.toml
 * that asks for systemcontrol — which the user then grants, as in the app.
 */
async function installNotifier(t: TestCore): Promise<void> {
  const [title, body] = ['Hello', 'from a plugin'];
  mkdirSync(t.pluginsDir, { recursive: true });
  const wasm = await watToWasm(`(module
    (import "conductor" "notify" (func $notify (param i32 i32 i32 i32) (result i32)))
    (memory (export "memory") 1)
    (data (i32.const 1024) "${title}")
    (data (i32.const 1088) "${body}")
    (func (export "alloc") (param i32) (result i32) (i32.const 2048))
    (func (export "execute") (param i32 i32) (result i32)
      (call $notify (i32.const 1024) (i32.const ${title.length}) (i32.const 1088) (i32.const ${body.length}))))`);
  writeFileSync(join(t.pluginsDir, 'notifier.wasm'), wasm);
  writeFileSync(join(t.pluginsDir, 'notifier.plugin.toml'), 'name = "notifier"\nversion = "1.0.0"\ncapabilities = ["systemcontrol"]\n');
  await t.core.plugins.discover();
  const decided = await t.core.plugins.decide('notifier', 'systemcontrol', 'granted');
  expect(decided.snapshot).toMatchObject({ state: 'ready', grants: ['systemcontrol'] });
}

describe('bridgeEvents', () => {
  it('emits the device list when a controller is disconnected', async () => {
    const second = new VirtualBackend(new VirtualDevice({ name: 'Pad Two' }));
    t = await startTestCore({ core: { watchConfig: false, devices: { backends: [second], pollIntervalMs: 0, virtualPortName: null, log: () => undefined } } });
    const r = recorder();
    bridgeEvents(t.core, t.learner, r.emit);
    expect(t.core.devices.connect('virtual:Pad Two')).toEqual({ ok: true });
    expect(t.core.devices.disconnect('virtual:Pad Two')).toEqual({ ok: true });
    const state = await r.next('devices.didChange', (s) => s.devices.some((d) => d.name === 'Pad Two' && d.state === 'disconnected'));
    expect(state.virtualLayout.pads).toHaveLength(16);
    expect(state.devices.find((d) => d.name === 'Pad Two')).toMatchObject({ direction: 'input', detail: 'disconnected by the user' });
  });

  it('emits config.changed for an edit on disk, and again with the issues when the file goes bad', async () => {
    t = await startTestCore({ core: { watchConfig: true, devices: { backends: [], pollIntervalMs: 0, virtualPortName: null, log: () => undefined } } });
    const r = recorder();
    bridgeEvents(t.core, t.learner, r.emit);
    const text = readFileSync(t.configPath, 'utf8');
    writeFileSync(t.configPath, text.replace('color = "purple"', 'color = "red"'));
    const good = await r.next('config.didChange', (s) => s.config.modes.some((m) => m.color === 'red'));
    expect(good).toMatchObject({ issues: [], path: t.configPath });
    writeFileSync(t.configPath, '[device\n');
    const bad = await r.next('config.didChange', (s) => s.issues.length > 0);
    expect(bad.issues[0]).toMatchObject({ path: '', segments: [], line: 1 });
    expect(bad.config.modes.map((m) => m.color)).toEqual(['blue', 'red']); // the running (last good) config
    // …and the console gets it as an engine event, with where and what (issue #15, item 8).
    const logged = await r.next('engine.didEmitEvent', (e) => e.kind === 'config-error');
    expect(logged).toMatchObject({ kind: 'config-error', path: t.configPath, issues: [{ line: 1, segments: [] }] });
    // A field-level problem keeps its structured path (segments), not a string to re-parse.
    writeFileSync(t.configPath, text.replace('color = "purple"', 'color = 7'));
    const field = await r.next('engine.didEmitEvent', (e) => e.kind === 'config-error' && e.issues.some((i) => i.segments.length > 0));
    expect(field.kind === 'config-error' && field.issues[0]).toMatchObject({ segments: ['modes', 1, 'color'], line: expect.any(Number) });
  });

  it('forwards a plugin’s conductor.notify (systemcontrol granted) as a notification', async () => {
    t = await startTestCore();
    await installNotifier(t);
    const r = recorder();
    const dispose = bridgeEvents(t.core, t.learner, r.emit);
    const context = { trigger: 'Note', mode: 'Default', timestamp: 0 };
    expect(await t.core.plugins.get('notifier')?.call({ action: 'notify' }, context)).toMatchObject({ ok: true, code: 0 });
    expect(await r.next('plugins.didNotify')).toEqual({ pluginId: 'notifier', title: 'Hello', body: 'from a plugin' });
    dispose();
  });

  it('forwards engine events; coalesces plugin-list changes; stops when unsubscribed', async () => {
    t = await startTestCore();
    const r = recorder();
    const dispose = bridgeEvents(t.core, t.learner, r.emit, { pluginsDebounceMs: 10 });
    t.core.pluginsChanged();
    t.core.pluginsChanged();
    t.core.pluginsChanged();
    expect(await r.next('plugins.didChange')).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(r.received.filter((e) => e.event === 'plugins.didChange')).toHaveLength(1);

    t.core.devices.virtualDevice.pressPad(36);
    expect(await r.next('engine.didEmitEvent', (e) => e.kind === 'midi')).toMatchObject({ event: { message: { type: 'noteOn', note: 36 } } });
    t.learner.start(5000);
    expect(await r.next('learn.didChange')).toMatchObject({ kind: 'started', timeoutMs: 5000 });

    dispose();
    const count = r.received.length;
    t.core.devices.virtualDevice.pressPad(37);
    t.core.pluginsChanged();
    t.learner.cancel();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(r.received).toHaveLength(count);
  });

  it('after calls, sends only the changed figures of the plugin that ran, at most once per interval — not the list', async () => {
    const fx = await buildWatFixtures();
    try {
      t = await startTestCore();
      mkdirSync(t.pluginsDir, { recursive: true });
      copyFileSync(fx.path('echo'), join(t.pluginsDir, 'echo.wasm'));
      await t.core.plugins.discover();
      const r = recorder();
      const dispose = bridgeEvents(t.core, t.learner, r.emit, { pluginsDebounceMs: 5, pluginStatsIntervalMs: 1000 });
      t.core.pluginsChanged();
      const list = await r.next('plugins.didChange', (l) => l.some((p) => p.id === 'echo'));
      expect(list.find((p) => p.id === 'echo')?.snapshot.stats).toMatchObject({ calls: 0, errors: 0 });
      const lists = r.received.filter((e) => e.event === 'plugins.didChange').length;

      const echo = t.core.plugins.get('echo');
      const context = { trigger: 'Note', mode: 'Default', timestamp: 0 };
      await Promise.all([1, 2, 3].map(() => echo?.call({ action: 'x' }, context)));
      const first = await r.next('plugins.didChangeStats');
      expect(first.pluginId).toBe('echo');
      expect(first.stats).toEqual({ calls: 3, lastFuelConsumed: expect.any(Number), lastDurationMs: expect.any(Number) }); // errors, crashes, lastError unchanged
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect(r.received.filter((e) => e.event === 'plugins.didChangeStats')).toHaveLength(1); // the three calls: one event

      await echo?.call({ action: 'x' }, context);
      const second = await r.next('plugins.didChangeStats', (c) => c.stats.calls === 4);
      expect(Object.keys(second.stats)).toContain('calls');
      expect(second.stats).not.toHaveProperty('errors');
      expect(r.received.filter((e) => e.event === 'plugins.didChange')).toHaveLength(lists); // no whole list for a call
      dispose();
    } finally {
      fx.cleanup();
    }
  });

  it('a transport whose emit throws does not break the core', async () => {
    t = await startTestCore();
    bridgeEvents(t.core, t.learner, () => {
      throw new Error('socket gone');
    });
    const r = recorder();
    bridgeEvents(t.core, t.learner, r.emit);
    t.core.devices.virtualDevice.pressPad(36);
    expect(await r.next('engine.didEmitEvent', (e) => e.kind === 'mode-change')).toMatchObject({ to: 'Performance' });
  });
});
