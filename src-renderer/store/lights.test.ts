// LED feedback in the store: applyLight (lit, changed, off, no-op), applyDevicesState taking main's lights snapshot,
// and the bridge applying virtual.onDidChangeLight events and the lights of devices.list on (re)connection.
import { afterEach, describe, expect, it } from 'vitest';
import type { DevicesState } from '../../src-shared/contract';
import { DEFAULT_VIRTUAL_LAYOUT } from '../../src-shared/midi';
import { FakeApi, FakeClient, flush, loadHandlers } from '../test-support/fake-api';
import { startBridge } from './bridge';
import { createAppStore } from './index';
import { applyDevicesState, applyLight } from './slices/devices';

let stop: (() => void) | null = null;
afterEach(() => {
  stop?.();
  stop = null;
});

const devicesState = (lights: Record<number, number>): DevicesState => ({ status: { available: true, reason: null }, devices: [], virtualLayout: DEFAULT_VIRTUAL_LAYOUT, lights });

describe('applyLight', () => {
  it('lights, relights with another velocity, turns off, and leaves the state alone when nothing changes', () => {
    const lit = applyLight({ padLights: {} }, { note: 37, velocity: 5 });
    expect(lit).toEqual({ padLights: { 37: 5 } });
    const before = { padLights: { 37: 5, 40: 1 } };
    const relit = applyLight(before, { note: 37, velocity: 9 });
    expect(relit).toEqual({ padLights: { 37: 9, 40: 1 } });
    expect(before.padLights).toEqual({ 37: 5, 40: 1 }); // pure: the old object is not touched
    expect(applyLight(before, { note: 37, velocity: 0 })).toEqual({ padLights: { 40: 1 } });
    expect(applyLight(before, { note: 37, velocity: 5 })).toEqual({});
    expect(applyLight(before, { note: 50, velocity: 0 })).toEqual({});
  });

  it('applyDevicesState takes main’s lights as a copy', () => {
    const state = devicesState({ 36: 127 });
    const applied = applyDevicesState(state);
    expect(applied.padLights).toEqual({ 36: 127 });
    expect(applied.padLights).not.toBe(state.lights);
  });
});

describe('bridge: LED feedback', () => {
  it('loads the lit pads with the device list, then follows light events; a reconnection reloads them', async () => {
    let lights: Record<number, number> = { 40: 9 };
    const api = new FakeApi({ ...loadHandlers(), 'devices.list': () => devicesState(lights) });
    const client = new FakeClient(api);
    const store = createAppStore(api.api, { now: () => 1000 });
    stop = startBridge(store, client, { now: () => 1000 });
    await flush();
    expect(store.getState().padLights).toEqual({ 40: 9 });

    api.emit('virtual.didChangeLight', { note: 37, velocity: 5 });
    expect(store.getState().padLights).toEqual({ 40: 9, 37: 5 });
    api.emit('virtual.didChangeLight', { note: 40, velocity: 0 });
    expect(store.getState().padLights).toEqual({ 37: 5 });

    // Lights changed while the connection was down: the reload shows main's lights, not the stale ones.
    client.setConnection('disconnected', 'connection closed');
    lights = { 38: 60 };
    client.setConnection('connected');
    await flush();
    expect(store.getState().padLights).toEqual({ 38: 60 });
  });
});
