// The virtual controller: what its pads, knobs and encoders emit, its default layout, its output side (LED
// feedback) and its backend.
import { describe, expect, it } from 'vitest';
import { DEFAULT_VIRTUAL_LAYOUT, VIRTUAL_DEVICE_NAME, type MidiMessage } from '../../src-shared/midi';
import { MidiParser } from './parser';
import { VirtualBackend, VirtualDevice, relativeEncoderValue } from './virtual-device';

/** Collects what the device plays, parsed by the same parser the DeviceManager uses. */
function played(device: VirtualDevice): { messages: MidiMessage[]; raw: number[][] } {
  const parser = new MidiParser();
  const result = { messages: [] as MidiMessage[], raw: [] as number[][] };
  device.onDidSendBytes((bytes) => {
    result.raw.push([...bytes]);
    result.messages.push(...parser.feed(bytes));
  });
  return result;
}

describe('DEFAULT_VIRTUAL_LAYOUT', () => {
  it('has 16 pads on notes 36–51 in a 4-column grid and 4 knobs on CC 1–4, channel 0', () => {
    expect(DEFAULT_VIRTUAL_LAYOUT.pads.map((p) => p.note)).toEqual(Array.from({ length: 16 }, (_, i) => 36 + i));
    expect(DEFAULT_VIRTUAL_LAYOUT.padColumns).toBe(4);
    expect(DEFAULT_VIRTUAL_LAYOUT.knobs.map((k) => k.cc)).toEqual([1, 2, 3, 4]);
    expect(DEFAULT_VIRTUAL_LAYOUT.pads[0]?.label).toBe('Pad 1');
    expect(DEFAULT_VIRTUAL_LAYOUT.channel).toBe(0);
    expect(Object.isFrozen(DEFAULT_VIRTUAL_LAYOUT.pads)).toBe(true);
  });
});

describe('VirtualDevice input side', () => {
  it('pads send note-on and note-off on the layout channel', () => {
    const device = new VirtualDevice({ layout: { ...DEFAULT_VIRTUAL_LAYOUT, channel: 9 } });
    const out = played(device);
    device.pressPad(36, 127);
    device.releasePad(36);
    device.pressPad(51);
    expect(out.messages).toEqual([
      { type: 'noteOn', channel: 9, note: 36, velocity: 127 },
      { type: 'noteOff', channel: 9, note: 36, velocity: 0 },
      { type: 'noteOn', channel: 9, note: 51, velocity: 100 },
    ]);
    expect(out.raw[1]).toEqual([0x89, 36, 0]);
  });

  it('refuses a press with velocity 0 and out-of-range values, sending nothing', () => {
    const device = new VirtualDevice();
    const out = played(device);
    expect(() => device.pressPad(36, 0)).toThrow(/velocity 1–127/);
    expect(() => device.turnKnob(1, 128)).toThrow(RangeError);
    expect(() => device.pitchBend(-1)).toThrow(RangeError);
    expect(out.raw).toEqual([]);
  });

  it('knobs send absolute CC, encoders relative CC', () => {
    const device = new VirtualDevice();
    const out = played(device);
    device.turnKnob(1, 64);
    device.turnEncoder(2, 1);
    device.turnEncoder(2, -1);
    device.turnEncoder(3, -3, 'binaryOffset');
    device.turnEncoder(4, -2, 'signMagnitude');
    expect(out.messages).toEqual([
      { type: 'controlChange', channel: 0, controller: 1, value: 64 },
      { type: 'controlChange', channel: 0, controller: 2, value: 1 },
      { type: 'controlChange', channel: 0, controller: 2, value: 127 },
      { type: 'controlChange', channel: 0, controller: 3, value: 61 },
      { type: 'controlChange', channel: 0, controller: 4, value: 66 },
    ]);
  });

  it('relativeEncoderValue covers each encoding and rejects 0 and |steps| > 63', () => {
    expect([relativeEncoderValue(63), relativeEncoderValue(-63), relativeEncoderValue(5, 'binaryOffset'), relativeEncoderValue(-1, 'signMagnitude')]).toEqual([63, 65, 69, 65]);
    expect(() => relativeEncoderValue(0)).toThrow(RangeError);
    expect(() => relativeEncoderValue(64)).toThrow(RangeError);
    expect(() => relativeEncoderValue(1.5)).toThrow(RangeError);
  });

  it('sends aftertouch (channel and poly), pitch bend and program change', () => {
    const device = new VirtualDevice();
    const out = played(device);
    device.aftertouch(80);
    device.aftertouch(90, 40);
    device.pitchBend(16383);
    device.programChange(3, 2);
    expect(out.messages).toEqual([
      { type: 'channelAftertouch', channel: 0, pressure: 80 },
      { type: 'polyAftertouch', channel: 0, note: 40, pressure: 90 },
      { type: 'pitchBend', channel: 0, value: 16383 },
      { type: 'programChange', channel: 2, program: 3 },
    ]);
    expect(out.raw[2]).toEqual([0xe0, 0x7f, 0x7f]);
  });

  it('send() passes raw bytes as given, running status and all', () => {
    const device = new VirtualDevice();
    const out = played(device);
    device.send([0x90, 36, 100, 0xf8, 37, 100]);
    expect(out.raw).toEqual([[0x90, 36, 100, 0xf8, 37, 100]]);
    expect(out.messages.map((m) => (m.type === 'noteOn' ? m.note : -1))).toEqual([36, 37]);
  });

  it('a listener that throws does not stop the others or the caller', () => {
    const device = new VirtualDevice();
    device.onDidSendBytes(() => {
      throw new Error('broken');
    });
    const out = played(device);
    expect(() => device.pressPad(36)).not.toThrow();
    expect(out.messages).toHaveLength(1);
  });

  it('unsubscribes', () => {
    const device = new VirtualDevice();
    const seen: number[][] = [];
    const off = device.onDidSendBytes((bytes) => seen.push([...bytes]));
    device.pressPad(36);
    off();
    device.pressPad(37);
    expect(seen).toEqual([[0x90, 36, 100]]);
  });
});

describe('VirtualDevice output side', () => {
  it('records what it receives with the injected clock and tracks pad lights', () => {
    let now = 1000;
    const device = new VirtualDevice({ now: () => now });
    const records: number[] = [];
    device.onDidReceive((record) => records.push(record.timestamp));
    device.receive([0x90, 36, 127]);
    now = 1005;
    device.receive([0xf0, 1, 0xf7]);
    expect(device.received).toEqual([
      { bytes: [0x90, 36, 127], message: { type: 'noteOn', channel: 0, note: 36, velocity: 127 }, timestamp: 1000 },
      { bytes: [0xf0, 1, 0xf7], message: null, timestamp: 1005 },
    ]);
    expect(records).toEqual([1000, 1005]);
    expect(device.padLight(36)).toBe(127);
    device.receive([0x90, 36, 0]);
    expect(device.padLight(36)).toBe(0);
    expect(device.padLight(50)).toBe(0);
    device.clearReceived();
    expect(device.received).toEqual([]);
  });

  it('reports each change of a pad light once (note-on, other velocity, note-off, clear), and lists the lit pads', () => {
    const device = new VirtualDevice();
    const changes: { note: number; velocity: number }[] = [];
    device.onDidChangeLight((change) => changes.push(change));
    device.receive([0x90, 37, 5]);
    device.receive([0x90, 37, 5]); // the same light again: no change
    device.receive([0x91, 38, 60]); // any channel
    device.receive([0x90, 37, 9]);
    device.receive([0x80, 37, 0]);
    device.receive([0x80, 40, 0]); // not lit: no change
    device.receive([0xb0, 37, 1]); // a CC lights nothing
    expect(changes).toEqual([
      { note: 37, velocity: 5 },
      { note: 38, velocity: 60 },
      { note: 37, velocity: 9 },
      { note: 37, velocity: 0 },
    ]);
    expect(device.padLights()).toEqual({ 38: 60 });
    device.receive([0x90, 39, 127]);
    changes.length = 0;
    device.clearReceived();
    expect(changes.sort((a, b) => a.note - b.note)).toEqual([
      { note: 38, velocity: 0 },
      { note: 39, velocity: 0 },
    ]);
    expect(device.padLights()).toEqual({});
  });

  it('keeps at most maxReceivedRecords, dropping the oldest', () => {
    const device = new VirtualDevice({ maxReceivedRecords: 3 });
    for (let note = 0; note < 5; note++) device.receive([0x90, note, 1]);
    expect(device.received.map((r) => r.bytes[1])).toEqual([2, 3, 4]);
  });
});

describe('VirtualBackend', () => {
  it('lists the device as one input and one output and is always available', () => {
    const backend = new VirtualBackend(new VirtualDevice());
    expect(backend.status()).toEqual({ available: true, reason: null });
    expect(backend.listInputs()).toEqual([{ index: 0, name: VIRTUAL_DEVICE_NAME }]);
    expect(backend.listOutputs()).toEqual([{ index: 0, name: VIRTUAL_DEVICE_NAME }]);
  });

  it('delivers played bytes to an open input until it is closed or the backend is disposed', () => {
    const device = new VirtualDevice();
    const backend = new VirtualBackend(device);
    const got: number[][] = [];
    const connection = backend.openInput({ index: 0, name: VIRTUAL_DEVICE_NAME }, (bytes) => got.push(Array.from(bytes)));
    device.pressPad(40);
    connection.close();
    device.pressPad(41);
    const second = backend.openInput({ index: 0, name: VIRTUAL_DEVICE_NAME }, (bytes) => got.push(Array.from(bytes)));
    backend.dispose();
    device.pressPad(42);
    second.close();
    expect(got).toEqual([[0x90, 40, 100]]);
  });

  it('routes output sends to the device and refuses after close', () => {
    const device = new VirtualDevice();
    const backend = new VirtualBackend(device);
    const output = backend.openOutput({ index: 0, name: VIRTUAL_DEVICE_NAME });
    output.send([0xb0, 1, 2]);
    output.close();
    expect(() => output.send([0xb0, 1, 3])).toThrow(/closed/);
    expect(device.received.map((r) => r.bytes)).toEqual([[0xb0, 1, 2]]);
  });

  it('refuses a port name it does not have', () => {
    const backend = new VirtualBackend(new VirtualDevice());
    expect(() => backend.openInput({ index: 0, name: 'nope' }, () => {})).toThrow('no virtual port named "nope"');
  });
});
