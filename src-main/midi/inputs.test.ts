// The input side (inputs.ts), through the DeviceManager: hot-plug (appear → auto-connect, unplug → disconnected,
// return → reconnect), manual connect/disconnect, choosing the input from `[device]`, the OS virtual input "Conductor".
import { afterEach, describe, expect, it } from 'vitest';
import type { MidiEvent } from '../../src-shared/midi';
import { DeviceManager } from './device-manager';
import { ManualTimers, OsPorts } from './test-support/fakes';
import { NANO, NANO_ID, TrackedManagers, config, device, stateOf } from './test-support/manager-harness';

const managers = new TrackedManagers();
const { harness } = managers;
afterEach(() => managers.disposeAll());

describe('hot-plug with auto_connect and auto_reconnect', () => {
  it('connects the configured device when it appears, marks it disconnected when unplugged, reconnects when it returns', () => {
    const { manager, os, timers, events, changes } = harness(config({ name: 'nanoPAD' }));
    expect(device(manager, 'hw-in:nanoPAD')).toMatchObject({ state: 'disconnected', detail: 'not found; will connect when it is plugged in' });

    os.inputs = [NANO];
    timers.tick();
    expect(device(manager, NANO_ID)).toMatchObject({ name: NANO, kind: 'hardware', state: 'connected', detail: null });
    expect(device(manager, 'hw-in:nanoPAD')).toBeUndefined();
    os.play(NANO, [0x99, 36, 127]);
    expect(events.at(-1)).toMatchObject({ deviceId: NANO_ID, message: { type: 'noteOn', channel: 9, note: 36, velocity: 127 } });

    os.play(NANO, [0xb0, 1]); // half a message, then the device is unplugged
    os.inputs = [];
    timers.tick();
    expect(device(manager, NANO_ID)).toMatchObject({ state: 'disconnected', detail: 'unplugged; will reconnect when it comes back' });
    expect(os.isOpen(NANO)).toBe(false);
    const before = events.length;
    os.play(NANO, [0x90, 37, 1]); // a late callback from the closed connection
    expect(events).toHaveLength(before);

    const replugged = 'nanoPAD2:nanoPAD2 MIDI 1 28:0'; // ALSA gave it a new client number
    os.inputs = [replugged];
    timers.tick();
    expect(device(manager, NANO_ID)).toMatchObject({ name: replugged, state: 'connected' });
    os.play(replugged, [5]); // the half message from before the unplug must not complete
    os.play(replugged, [0x80, 36, 0]);
    expect(events.slice(before).map((e) => e.message)).toEqual([{ type: 'noteOff', channel: 0, note: 36, velocity: 0 }]);
    expect(changes.map((list) => list.find((d) => d.id === NANO_ID)?.state)).toEqual(['connected', 'disconnected', 'connected']);
  });

  it('without auto_reconnect drops the device when unplugged and leaves it alone when it returns', () => {
    const { manager, os, timers } = harness(config({ name: 'nanoPAD', autoReconnect: false }), (o) => (o.inputs = [NANO]));
    expect(stateOf(manager, NANO_ID)).toBe('connected');
    os.inputs = [];
    timers.tick();
    expect(device(manager, NANO_ID)).toBeUndefined();
    expect(device(manager, 'hw-in:nanoPAD')).toMatchObject({ state: 'disconnected', detail: 'not found' });
    os.inputs = [NANO];
    timers.tick();
    expect(stateOf(manager, NANO_ID)).toBe('disconnected');
    expect(os.isOpen(NANO)).toBe(false);
  });

  it('without auto_connect lists the device but connects it only on request; auto_reconnect then applies', () => {
    const { manager, os, timers, events } = harness(config({ name: 'nanoPAD', autoConnect: false }), (o) => (o.inputs = [NANO]));
    expect(device(manager, NANO_ID)).toMatchObject({ state: 'disconnected', detail: null });
    expect(manager.connect(NANO_ID)).toEqual({ ok: true });
    os.play(NANO, [0xe0, 0, 0x40]);
    expect(events.at(-1)?.message).toEqual({ type: 'pitchBend', channel: 0, value: 8192 });
    os.inputs = [];
    timers.tick();
    os.inputs = [NANO];
    timers.tick();
    expect(stateOf(manager, NANO_ID)).toBe('connected');
  });

  it('a user disconnect sticks across polls until connect()', () => {
    const { manager, os, timers } = harness(config(), (o) => (o.inputs = [NANO]));
    expect(stateOf(manager, NANO_ID)).toBe('connected');
    expect(manager.disconnect(NANO_ID)).toEqual({ ok: true });
    timers.tick();
    timers.tick();
    expect(device(manager, NANO_ID)).toMatchObject({ state: 'disconnected', detail: 'disconnected by the user' });
    expect(os.isOpen(NANO)).toBe(false);
    expect(manager.connect(NANO_ID)).toEqual({ ok: true });
    expect(os.isOpen(NANO)).toBe(true);
  });

  it('retries a failed automatic open on each poll, logging the failure once', () => {
    const { manager, os, timers, logs } = harness(config(), (o) => {
      o.inputs = [NANO];
      o.failOpen = 'device busy';
    });
    timers.tick();
    timers.tick();
    expect(device(manager, NANO_ID)).toMatchObject({ state: 'disconnected', detail: 'device busy' });
    expect(logs).toEqual(['device busy']);
    os.failOpen = null;
    timers.tick();
    expect(stateOf(manager, NANO_ID)).toBe('connected');
  });

  it('a manual connect that fails reports the error and is not retried', () => {
    const { manager, os, timers } = harness(config({ autoConnect: false }), (o) => (o.inputs = [NANO]));
    os.failOpen = 'permission denied';
    expect(manager.connect(NANO_ID)).toEqual({ ok: false, error: 'permission denied' });
    os.failOpen = null;
    timers.tick();
    expect(stateOf(manager, NANO_ID)).toBe('disconnected');
  });

  it('reports a device that is not plugged in on connect()', () => {
    const { manager, os, timers } = harness(config({ name: 'nano' }), (o) => (o.inputs = [NANO]));
    os.inputs = [];
    timers.tick();
    expect(manager.connect(NANO_ID)).toEqual({ ok: false, error: `MIDI input "${NANO}" is not plugged in` });
  });
});

describe('choosing the input from [device]', () => {
  const ports = ['Midi Through:Midi Through Port-0 14:0', 'Launchpad Mini:Launchpad Mini MIDI 1 20:0', 'Launchpad Mini:Launchpad Mini MIDI 2 20:1', 'Keystation 49:Keystation 49 MIDI 1 24:0'];
  const connected = (manager: DeviceManager): string[] =>
    manager
      .devices()
      .filter((d) => d.kind === 'hardware' && d.direction === 'input' && d.state === 'connected')
      .map((d) => d.name);

  it('name is a case-insensitive substring; the first match by default', () => {
    const { manager } = harness(config({ name: 'launchpad' }), (o) => (o.inputs = ports));
    expect(connected(manager)).toEqual(['Launchpad Mini:Launchpad Mini MIDI 1 20:0']);
  });

  it('port picks among the matches (0-based)', () => {
    const { manager } = harness(config({ name: 'Launchpad', port: 1 }), (o) => (o.inputs = ports));
    expect(connected(manager)).toEqual(['Launchpad Mini:Launchpad Mini MIDI 2 20:1']);
  });

  it('with no name, the first hardware input that is not a loopback', () => {
    const { manager } = harness(config(), (o) => (o.inputs = ports));
    expect(connected(manager)).toEqual(['Launchpad Mini:Launchpad Mini MIDI 1 20:0']);
  });

  it('with no name, port indexes all non-loopback inputs', () => {
    const { manager } = harness(config({ port: 2 }), (o) => (o.inputs = ports));
    expect(connected(manager)).toEqual(['Keystation 49:Keystation 49 MIDI 1 24:0']);
  });

  it('a port beyond the matches selects nothing', () => {
    const { manager } = harness(config({ name: 'Keystation', port: 1 }), (o) => (o.inputs = ports));
    expect(connected(manager)).toEqual([]);
  });

  it('setConfig moves to the newly chosen device', () => {
    const { manager, os } = harness(config({ name: 'Launchpad' }), (o) => (o.inputs = ports));
    manager.setConfig(config({ name: 'Keystation' }));
    expect(connected(manager)).toEqual(['Keystation 49:Keystation 49 MIDI 1 24:0']);
    expect(os.isOpen('Launchpad Mini:Launchpad Mini MIDI 1 20:0')).toBe(false);
    expect(manager.config.name).toBe('Keystation');
  });

  it('"first" follows the OS port order, even after a port was re-plugged', () => {
    const { manager, os, timers } = harness(config({ autoConnect: false }), (o) => (o.inputs = ['Alpha', 'Beta']));
    os.inputs = ['Beta'];
    timers.tick();
    os.inputs = ['Alpha', 'Beta'];
    timers.tick();
    expect(manager.devices().filter((d) => d.kind === 'hardware').map((d) => d.name)).toEqual(['Alpha', 'Beta']);
    manager.setConfig(config());
    expect(connected(manager)).toEqual(['Alpha']);
  });

  it('two ports with the same name get distinct ids', () => {
    const { manager } = harness(config({ autoConnect: false }), (o) => (o.inputs = ['nanoKEY2 1:0', 'nanoKEY2 2:0']));
    expect(manager.devices().filter((d) => d.kind === 'hardware').map((d) => d.id)).toEqual(['hw-in:nanoKEY2', 'hw-in:nanoKEY2#2']);
  });
});

describe('the OS virtual port "Conductor"', () => {
  it('is opened on a backend that supports it, delivers events, and is not offered as an output', () => {
    const os = new OsPorts({ virtual: true });
    os.outputs = ['RtMidi Input Client:Conductor 128:0', 'Synth'];
    const manager = new DeviceManager(config(), { backends: [os], timers: new ManualTimers(), log: () => {} });
    managers.track(manager);
    const events: MidiEvent[] = [];
    manager.onDidMidiEvent((event) => events.push(event));
    expect(device(manager, 'virtual:Conductor')).toEqual({ id: 'virtual:Conductor', name: 'Conductor', kind: 'virtual', direction: 'input', state: 'connected', detail: null });
    os.play('virtual port Conductor', [0xb0, 20, 1]);
    expect(events).toEqual([{ deviceId: 'virtual:Conductor', message: { type: 'controlChange', channel: 0, controller: 20, value: 1 }, timestamp: expect.any(Number) }]);
    expect(manager.outputs.list()).toEqual(['Virtual Controller', 'Synth']);
  });

  it('is listed as unavailable with the reason when the backend cannot create it', () => {
    const os = new OsPorts();
    const manager = new DeviceManager(config(), { backends: [os], timers: new ManualTimers(), log: () => {} });
    managers.track(manager);
    expect(device(manager, 'virtual:Conductor')).toMatchObject({ state: 'unavailable', detail: 'virtual MIDI ports are not supported by the test-os backend' });
  });
});
