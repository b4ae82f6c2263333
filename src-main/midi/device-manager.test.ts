// DeviceManager: the virtual controller, hot-plug (appear → auto-connect, unplug → disconnected, return →
// reconnect), `[device]` selection, manual connect/disconnect, outputs, and the real soft-failing RtMidi backend.
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceConfig } from '../../src-shared/config';
import type { DeviceInfo, MidiBackendStatus, MidiEvent } from '../../src-shared/midi';
import type { MidiBackend, MidiBytesListener, MidiInputConnection, MidiOutputConnection, MidiPort } from './backend';
import { DeviceManager, createDeviceManager, type DeviceManagerOptions, type PollTimers } from './device-manager';
import { VirtualDevice } from './virtual-device';

/**
 * The operating system's MIDI ports (an external system): ports can be plugged and unplugged, a plugged input can
 * play bytes to whoever opened it, and outputs record what they were sent.
 */
class OsPorts implements MidiBackend {
  readonly id = 'test-os';
  readonly kind = 'hardware' as const;
  inputs: string[] = [];
  outputs: string[] = [];
  available: MidiBackendStatus = { available: true, reason: null };
  failOpen: string | null = null;
  failList: string | null = null;
  failSend: string | null = null;
  supportsVirtual = true;
  readonly openInputs: { name: string; onBytes: MidiBytesListener; open: boolean }[] = [];
  readonly sent: { port: string; bytes: number[] }[] = [];
  outputOpens = 0;
  disposed = false;
  openVirtualInput?: (name: string, onBytes: MidiBytesListener) => MidiInputConnection;

  constructor(options: { virtual?: boolean } = {}) {
    if (options.virtual) {
      this.openVirtualInput = (name, onBytes) => this.#openInput(`virtual port ${name}`, onBytes);
    }
  }

  status(): MidiBackendStatus {
    return this.available;
  }
  listInputs(): MidiPort[] {
    if (this.failList) throw new Error(this.failList);
    return this.inputs.map((name, index) => ({ index, name }));
  }
  listOutputs(): MidiPort[] {
    if (this.failList) throw new Error(this.failList);
    return this.outputs.map((name, index) => ({ index, name }));
  }
  openInput(port: MidiPort, onBytes: MidiBytesListener): MidiInputConnection {
    if (this.failOpen) throw new Error(this.failOpen);
    if (!this.inputs.includes(port.name)) throw new Error(`MIDI input "${port.name}" is no longer present`);
    return this.#openInput(port.name, onBytes);
  }
  openOutput(port: MidiPort): MidiOutputConnection {
    if (!this.outputs.includes(port.name)) throw new Error(`cannot open MIDI output "${port.name}"`);
    this.outputOpens++;
    return {
      send: (bytes) => {
        if (this.failSend) throw new Error(this.failSend);
        this.sent.push({ port: port.name, bytes: [...bytes] });
      },
      close: () => {},
    };
  }
  dispose(): void {
    this.disposed = true;
  }

  /** Bytes arriving from the device plugged in as `name` (to every connection opened on it, open or not). */
  play(name: string, bytes: number[]): void {
    for (const input of this.openInputs) if (input.name === name) input.onBytes(bytes);
  }
  isOpen(name: string): boolean {
    return this.openInputs.some((input) => input.name === name && input.open);
  }

  #openInput(name: string, onBytes: MidiBytesListener): MidiInputConnection {
    const record = { name, onBytes, open: true };
    this.openInputs.push(record);
    return {
      close: () => {
        record.open = false;
      },
    };
  }
}

/** Interval timers driven by hand. */
class ManualTimers implements PollTimers {
  readonly active = new Map<number, { callback: () => void; intervalMs: number }>();
  #next = 1;
  setInterval(callback: () => void, intervalMs: number): unknown {
    const handle = this.#next++;
    this.active.set(handle, { callback, intervalMs });
    return handle;
  }
  clearInterval(handle: unknown): void {
    this.active.delete(handle as number);
  }
  tick(): void {
    for (const { callback } of [...this.active.values()]) callback();
  }
}

const NANO = 'nanoPAD2:nanoPAD2 MIDI 1 24:0';
const NANO_ID = 'hw-in:nanoPAD2:nanoPAD2 MIDI 1';

const config = (overrides: Partial<DeviceConfig> = {}): DeviceConfig => ({ name: null, autoConnect: true, autoReconnect: true, port: null, ...overrides });

const managers: DeviceManager[] = [];
afterEach(() => {
  for (const manager of managers.splice(0)) manager.dispose();
});

interface Harness {
  manager: DeviceManager;
  os: OsPorts;
  timers: ManualTimers;
  events: MidiEvent[];
  changes: DeviceInfo[][];
  logs: string[];
  clock: { now: number };
}

function harness(deviceConfig: DeviceConfig, setup: (os: OsPorts) => void = () => {}, options: DeviceManagerOptions = {}): Harness {
  const os = new OsPorts();
  setup(os);
  const timers = new ManualTimers();
  const logs: string[] = [];
  const clock = { now: 1_700_000_000_000 };
  const manager = new DeviceManager(deviceConfig, {
    backends: [os],
    timers,
    now: () => clock.now,
    log: (message) => logs.push(message),
    virtualPortName: null,
    ...options,
  });
  managers.push(manager);
  const events: MidiEvent[] = [];
  const changes: DeviceInfo[][] = [];
  manager.onDidMidiEvent((event) => events.push(event));
  manager.onDidChangeDevices((devices) => changes.push(devices));
  return { manager, os, timers, events, changes, logs, clock };
}

const device = (manager: DeviceManager, id: string): DeviceInfo | undefined => manager.devices().find((d) => d.id === id);
const stateOf = (manager: DeviceManager, id: string): string | undefined => device(manager, id)?.state;

describe('the virtual controller', () => {
  it('is always listed as a connected input and an output, with no hardware backend at all', () => {
    const manager = new DeviceManager(config(), { timers: new ManualTimers(), virtualPortName: null, log: () => {} });
    managers.push(manager);
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

  it('keeps its state through a transient listing failure, logging it once', () => {
    const { manager, os, timers, logs } = harness(config(), (o) => (o.inputs = [NANO]));
    os.failList = 'Internal RtMidi error';
    timers.tick();
    timers.tick();
    expect(stateOf(manager, NANO_ID)).toBe('connected');
    expect(logs).toEqual(['test-os: cannot list MIDI inputs: Internal RtMidi error', 'test-os: cannot list MIDI outputs: Internal RtMidi error']);
  });

  it('reports a device that is not plugged in on connect()', () => {
    const { manager, os, timers } = harness(config({ name: 'nano' }), (o) => (o.inputs = [NANO]));
    os.inputs = [];
    timers.tick();
    expect(manager.connect(NANO_ID)).toEqual({ ok: false, error: `MIDI input "${NANO}" is not plugged in` });
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

describe('outputs', () => {
  it('lists the virtual controller and hardware outputs and sends encoded messages', () => {
    const { manager, os } = harness(config(), (o) => (o.outputs = ['Synth:Synth MIDI 1 32:0']));
    expect(manager.outputs.list()).toEqual(['Virtual Controller', 'Synth:Synth MIDI 1 32:0']);
    expect(device(manager, 'hw-out:Synth:Synth MIDI 1')).toMatchObject({ direction: 'output', state: 'connected' });
    expect(manager.outputs.send('Synth:Synth MIDI 1 32:0', { type: 'controlChange', channel: 1, controller: 7, value: 100 })).toEqual({ ok: true });
    expect(manager.outputs.send('synth', { type: 'programChange', channel: 0, program: 4 })).toEqual({ ok: true });
    expect(os.sent).toEqual([
      { port: 'Synth:Synth MIDI 1 32:0', bytes: [0xb1, 7, 100] },
      { port: 'Synth:Synth MIDI 1 32:0', bytes: [0xc0, 4] },
    ]);
    expect(os.outputOpens).toBe(1);
  });

  it('sendBytes sends each whole message separately', () => {
    const { manager, os } = harness(config(), (o) => (o.outputs = ['Synth']));
    expect(manager.outputs.sendBytes('Synth', [0x90, 60, 100, 0xf0, 1, 0xf7, 0x80, 60, 0])).toEqual({ ok: true });
    expect(os.sent.map((s) => s.bytes)).toEqual([[0x90, 60, 100], [0xf0, 1, 0xf7], [0x80, 60, 0]]);
  });

  it('sending to the virtual controller lights its pads', () => {
    const { manager } = harness(config());
    expect(manager.outputs.send('Virtual Controller', { type: 'noteOn', channel: 0, note: 36, velocity: 127 })).toEqual({ ok: true });
    expect(manager.virtualDevice.padLight(36)).toBe(127);
    expect(manager.virtualDevice.received).toHaveLength(1);
  });

  it('a missing port, an invalid message and invalid bytes are error values, not throws', () => {
    const { manager, os } = harness(config(), (o) => (o.outputs = ['Synth']));
    expect(manager.outputs.send('Drum Machine', { type: 'noteOn', channel: 0, note: 1, velocity: 1 })).toEqual({
      ok: false,
      error: 'no MIDI output named "Drum Machine"; available: Virtual Controller, Synth',
    });
    expect(manager.outputs.send('Synth', { type: 'noteOn', channel: 0, note: 200, velocity: 1 })).toEqual({
      ok: false,
      error: 'invalid MIDI message: noteOn: note must be an integer 0–127, got 200',
    });
    expect(manager.outputs.sendBytes('Synth', [60, 1])).toEqual({
      ok: false,
      error: 'invalid MIDI bytes: byte 0 (0x3C) is a data byte where a status byte must start a message (running status is not accepted)',
    });
    expect(os.sent).toEqual([]);
  });

  it('finds an output plugged in since the last poll, and forgets one that was unplugged', () => {
    const { manager, os, timers } = harness(config());
    os.outputs = ['New Synth'];
    expect(manager.outputs.sendBytes('New Synth', [0xfa])).toEqual({ ok: true });
    os.outputs = [];
    timers.tick();
    expect(manager.outputs.list()).toEqual(['Virtual Controller']);
  });

  it('a failed send is an error value and the port is reopened for the next send', () => {
    const { manager, os } = harness(config(), (o) => (o.outputs = ['Synth']));
    os.failSend = 'device gone';
    expect(manager.outputs.sendBytes('Synth', [0xf8])).toEqual({ ok: false, error: 'cannot send to MIDI output "Synth": device gone' });
    os.failSend = null;
    expect(manager.outputs.sendBytes('Synth', [0xf8])).toEqual({ ok: true });
    expect(os.outputOpens).toBe(2);
  });
});

describe('a plugin’s MIDI (sendPluginBytes)', () => {
  it('goes to the virtual controller when neither the plugin nor [device] names an output', () => {
    const { manager, os } = harness(config(), (o) => (o.outputs = ['Synth']));
    expect(manager.outputs.sendPluginBytes([0x90, 36, 100], null)).toEqual({ ok: true, port: 'Virtual Controller' });
    expect(manager.virtualDevice.padLight(36)).toBe(100);
    expect(os.sent).toEqual([]);
  });

  it('goes to the output [device] name names, by the same rule as every output (a part of the name, any case)', () => {
    const { manager, os } = harness(config({ name: '  synth ' }), (o) => (o.outputs = ['Synth:Synth MIDI 1 32:0']));
    expect(manager.outputs.sendPluginBytes([0x90, 36, 100], null)).toEqual({ ok: true, port: 'synth' });
    expect(os.sent).toEqual([{ port: 'Synth:Synth MIDI 1 32:0', bytes: [0x90, 36, 100] }]);
    expect(manager.virtualDevice.received).toEqual([]);
  });

  it('goes to the port the plugin named, over [device]', () => {
    const { manager, os } = harness(config({ name: 'Synth' }), (o) => (o.outputs = ['Synth', 'Drums']));
    expect(manager.outputs.sendPluginBytes([0xc0, 5], 'drums')).toEqual({ ok: true, port: 'drums' });
    expect(os.sent).toEqual([{ port: 'Drums', bytes: [0xc0, 5] }]);
  });

  it('fails, naming the output, when the configured device has no output now (no detour to the virtual controller), the port is gone, the bytes are bad or the devices are shut down', () => {
    const { manager, os } = harness(config({ name: 'Launchpad' }), (o) => (o.outputs = ['Synth']));
    expect(manager.outputs.sendPluginBytes([0x90, 36, 100], null)).toEqual({ ok: false, port: 'Launchpad', error: 'no MIDI output named "Launchpad"; available: Virtual Controller, Synth' });
    expect(manager.virtualDevice.received).toEqual([]);
    os.failSend = 'device gone';
    expect(manager.outputs.sendPluginBytes([0xf8], 'Synth')).toEqual({ ok: false, port: 'Synth', error: 'cannot send to MIDI output "Synth": device gone' });
    expect(manager.outputs.sendPluginBytes([60, 1], 'Synth')).toMatchObject({ ok: false, port: 'Synth', error: expect.stringMatching(/^invalid MIDI bytes: /) });
    manager.dispose();
    expect(manager.outputs.sendPluginBytes([0xf8], 'Synth')).toEqual({ ok: false, port: 'Synth', error: 'MIDI devices have been shut down' });
  });

  it('follows a config change', () => {
    const { manager, os } = harness(config({ name: 'Launchpad' }), (o) => (o.outputs = ['Synth']));
    manager.setConfig(config({ name: 'Synth' }));
    expect(manager.outputs.sendPluginBytes([0xfa], null)).toEqual({ ok: true, port: 'Synth' });
    expect(os.sent).toEqual([{ port: 'Synth', bytes: [0xfa] }]);
  });
});

describe('the OS virtual port "Conductor"', () => {
  it('is opened on a backend that supports it, delivers events, and is not offered as an output', () => {
    const os = new OsPorts({ virtual: true });
    os.outputs = ['RtMidi Input Client:Conductor 128:0', 'Synth'];
    const manager = new DeviceManager(config(), { backends: [os], timers: new ManualTimers(), log: () => {} });
    managers.push(manager);
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
    managers.push(manager);
    expect(device(manager, 'virtual:Conductor')).toMatchObject({ state: 'unavailable', detail: 'virtual MIDI ports are not supported by the test-os backend' });
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
    managers.push(manager);
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
