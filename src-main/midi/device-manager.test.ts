// DeviceManager as a whole: the virtual controller, the hot-plug poll (its timer, listing failures), the status when
// the MIDI subsystem is unavailable (and the real soft-failing RtMidi backend), and dispose.
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { MidiEvent } from '../../src-shared/midi';
import { DeviceManager, createDeviceManager } from './device-manager';
import { ManualTimers } from './test-support/fakes';
import { NANO, NANO_ID, TrackedManagers, config, device, stateOf } from './test-support/manager-harness';
import { VirtualDevice } from './virtual-device';

const managers = new TrackedManagers();
const { harness } = managers;
afterEach(() => managers.disposeAll());

describe('the virtual controller', () => {
  it('is always listed as a connected input and an output, with no hardware backend at all', () => {
    const manager = new DeviceManager(config(), { timers: new ManualTimers(), virtualPortName: null, log: () => {} });
    managers.track(manager);
    expect(manager.devices()).toEqual([
      { id: 'virtual:Virtual Controller', name: 'Virtual Controller', kind: 'virtual', direction: 'input', state: 'connected', detail: null },
      { id: 'virtual-out:Virtual Controller', name: 'Virtual Controller', kind: 'virtual', direction: 'output', state: 'connected', detail: null },
    ]);
    expect(manager.status).toEqual({ available: false, reason: 'MIDI unavailable: no hardware MIDI backend' });
  });

  it('delivers pads, knobs and raw bytes as MidiEvents stamped by the injected clock', () => {
    const { manager, events, clock } = harness(config());
    manager.virtualDevice.pressPad(36, 90);
    clock.now += 5;
    manager.virtualDevice.turnKnob(2, 10);
    manager.virtualDevice.send([0x90, 40, 1, 0xf8, 41]); // running status, a clock byte, and half a message
    manager.virtualDevice.send([2]);
    expect(events).toEqual([
      { deviceId: 'virtual:Virtual Controller', message: { type: 'noteOn', channel: 0, note: 36, velocity: 90 }, timestamp: 1_700_000_000_000 },
      { deviceId: 'virtual:Virtual Controller', message: { type: 'controlChange', channel: 0, controller: 2, value: 10 }, timestamp: 1_700_000_000_005 },
      { deviceId: 'virtual:Virtual Controller', message: { type: 'noteOn', channel: 0, note: 40, velocity: 1 }, timestamp: 1_700_000_000_005 },
      { deviceId: 'virtual:Virtual Controller', message: { type: 'noteOn', channel: 0, note: 41, velocity: 2 }, timestamp: 1_700_000_000_005 },
    ]);
  });

  it('cannot be disconnected, and unknown ids are reported with the known ones', () => {
    const { manager } = harness(config());
    expect(manager.disconnect('virtual:Virtual Controller')).toEqual({ ok: false, error: 'the virtual controller "Virtual Controller" is always connected' });
    expect(manager.connect('hw-in:nope')).toEqual({ ok: false, error: 'no MIDI input with id "hw-in:nope"; known: virtual:Virtual Controller' });
  });

  it('uses a given VirtualDevice', () => {
    const virtualDevice = new VirtualDevice({ name: 'Pads' });
    const { manager, events } = harness(config(), () => {}, { virtualDevice });
    virtualDevice.pressPad(50);
    expect(manager.virtualDevice).toBe(virtualDevice);
    expect(events.map((e) => e.deviceId)).toEqual(['virtual:Pads']);
  });

  it('keeps delivering to other listeners when one throws, and logs it', () => {
    const { manager, events, logs } = harness(config());
    manager.onDidMidiEvent(() => {
      throw new Error('engine bug');
    });
    const late: MidiEvent[] = [];
    manager.onDidMidiEvent((event) => late.push(event));
    manager.virtualDevice.pressPad(36);
    expect(events).toHaveLength(1);
    expect(late).toHaveLength(1);
    expect(logs).toEqual(['a MIDI event listener threw: engine bug']);
  });
});

// The poll that drives hot-plug is the manager's own (the input side's hot-plug tests are in inputs.test.ts).
describe('hot-plug with auto_connect and auto_reconnect', () => {
  it('keeps its state through a transient listing failure, logging it once', () => {
    const { manager, os, timers, logs } = harness(config(), (o) => (o.inputs = [NANO]));
    os.failList = 'Internal RtMidi error';
    timers.tick();
    timers.tick();
    expect(stateOf(manager, NANO_ID)).toBe('connected');
    expect(logs).toEqual(['test-os: cannot list MIDI inputs: Internal RtMidi error', 'test-os: cannot list MIDI outputs: Internal RtMidi error']);
  });

  it('polls on the configured interval, only with a positive interval, and stops on dispose', () => {
    const timers = new ManualTimers();
    const manager = new DeviceManager(config(), { backends: [], timers, pollIntervalMs: 250, virtualPortName: null, log: () => {} });
    expect([...timers.active.values()].map((t) => t.intervalMs)).toEqual([250]);
    manager.dispose();
    expect(timers.active.size).toBe(0);
    const none = new ManualTimers();
    new DeviceManager(config(), { backends: [], timers: none, pollIntervalMs: 0, virtualPortName: null, log: () => {} }).dispose();
    expect(none.active.size).toBe(0);
  });
});

describe('when the MIDI subsystem is unavailable', () => {
  it('a backend reporting unavailable gives an unavailable entry and status; the virtual controller still works', () => {
    const { manager, events } = harness(config({ name: 'Maschine' }), (o) => {
      o.available = { available: false, reason: 'MIDI unavailable: no driver' };
      o.inputs = ['never listed'];
    });
    expect(manager.status).toEqual({ available: false, reason: 'MIDI unavailable: no driver' });
    expect(device(manager, 'hw-in:Maschine')).toEqual({ id: 'hw-in:Maschine', name: 'Maschine', kind: 'hardware', direction: 'input', state: 'unavailable', detail: 'MIDI unavailable: no driver' });
    expect(device(manager, 'hw-in:never listed')).toBeUndefined();
    manager.virtualDevice.pressPad(36);
    expect(events).toHaveLength(1);
    expect(manager.outputs.send('Maschine', { type: 'noteOn', channel: 0, note: 36, velocity: 1 })).toEqual({
      ok: false,
      error: 'no MIDI output named "Maschine"; available: Virtual Controller (MIDI unavailable: no driver)',
    });
  });

  it.runIf(process.platform === 'linux' && !existsSync('/dev/snd/seq'))('the real @julusian/midi backend on this machine fails softly', () => {
    const logs: string[] = [];
    const timers = new ManualTimers();
    const manager = createDeviceManager(config({ name: 'Maschine Mikro MK3' }), { timers, log: (m) => logs.push(m) });
    managers.track(manager);
    expect(manager.status.available).toBe(false);
    expect(manager.status.reason).toMatch(/^MIDI unavailable: Failed to initialise RtMidi/);
    const devices = manager.devices();
    expect(devices.find((d) => d.id === 'virtual:Virtual Controller')?.state).toBe('connected');
    expect(devices.find((d) => d.id === 'hw-in:Maschine Mikro MK3')).toMatchObject({ state: 'unavailable', detail: manager.status.reason });
    expect(devices.find((d) => d.id === 'virtual:Conductor')).toMatchObject({ state: 'unavailable', detail: manager.status.reason });
    expect(logs).toEqual([`rtmidi: ${manager.status.reason}`]);
    expect(() => timers.tick()).not.toThrow();
    const events: MidiEvent[] = [];
    manager.onDidMidiEvent((event) => events.push(event));
    manager.virtualDevice.pressPad(40);
    expect(events.map((e) => e.message)).toEqual([{ type: 'noteOn', channel: 0, note: 40, velocity: 100 }]);
    expect(manager.outputs.send('Virtual Controller', { type: 'noteOn', channel: 0, note: 40, velocity: 5 })).toEqual({ ok: true });
    expect(() => manager.dispose()).not.toThrow();
  });
});

describe('dispose', () => {
  it('closes inputs, disposes backends, stops events and refuses commands', () => {
    const { manager, os, events } = harness(config(), (o) => (o.inputs = [NANO]));
    manager.dispose();
    manager.dispose();
    expect(os.isOpen(NANO)).toBe(false);
    expect(os.disposed).toBe(true);
    manager.virtualDevice.pressPad(36);
    os.play(NANO, [0x90, 36, 1]);
    expect(events).toEqual([]);
    expect(manager.connect(NANO_ID)).toEqual({ ok: false, error: 'MIDI devices have been shut down' });
    expect(manager.outputs.sendBytes('Virtual Controller', [0xf8])).toEqual({ ok: false, error: 'MIDI devices have been shut down' });
  });
});
