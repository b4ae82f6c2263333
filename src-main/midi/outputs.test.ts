// The output side (outputs.ts), through the DeviceManager: listing outputs, sending messages and raw bytes, errors as
// values, hot-plugged outputs, and where a plugin's MIDI goes (sendPluginBytes).
import { afterEach, describe, expect, it } from 'vitest';
import { TrackedManagers, config, device } from './test-support/manager-harness';

const managers = new TrackedManagers();
const { harness } = managers;
afterEach(() => managers.disposeAll());

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
