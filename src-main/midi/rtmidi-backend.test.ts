// The @julusian/midi backend: the real module on this machine (no ALSA sequencer → soft "MIDI unavailable"), a
// module that fails to load, and a stand-in for the OS MIDI ports (an external system) to check port handling.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RtMidiBackend, type RtMidiInputLike, type RtMidiModule, type RtMidiOutputLike } from './rtmidi-backend';

const noAlsaSequencer = process.platform === 'linux' && !existsSync('/dev/snd/seq');

describe('RtMidiBackend on a machine without a MIDI subsystem', () => {
  it.runIf(noAlsaSequencer)('reports "MIDI unavailable: …" and never throws', () => {
    const backend = new RtMidiBackend();
    const status = backend.status();
    expect(status.available).toBe(false);
    expect(status.reason).toMatch(/^MIDI unavailable: Failed to initialise RtMidi \(no ALSA sequencer: \/dev\/snd\/seq does not exist/);
    expect(status.reason).not.toMatch(/\n/);
    expect(backend.listInputs()).toEqual([]);
    expect(backend.listOutputs()).toEqual([]);
    expect(() => backend.openInput({ index: 0, name: 'x' }, () => {})).toThrow(/^MIDI unavailable: /);
    expect(() => backend.openOutput({ index: 0, name: 'x' })).toThrow(/^MIDI unavailable: /);
    expect(() => backend.openVirtualInput('Conductor', () => {})).toThrow(/^MIDI unavailable: /);
    expect(() => backend.dispose()).not.toThrow();
  });
});

describe('RtMidiBackend when the module cannot load', () => {
  it('reports the first line of the load error', () => {
    const backend = new RtMidiBackend({
      load: () => {
        throw new Error("Cannot find module '@julusian/midi'\nRequire stack:\n- /app/dist/main.js");
      },
    });
    expect(backend.status()).toEqual({ available: false, reason: "MIDI unavailable: Cannot find module '@julusian/midi'" });
    expect(backend.listInputs()).toEqual([]);
  });
});

/** The OS's MIDI ports as the native module sees them: mutable port lists and a record of what handles did. */
class FakeOs {
  inputs: string[] = [];
  outputs: string[] = [];
  failConstruct: Error | null = null;
  readonly inputHandles: FakeInput[] = [];
  readonly outputHandles: FakeOutput[] = [];
  readonly module: RtMidiModule;

  constructor() {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the classes below close over this OS
    const os = this;
    class Input extends FakeInput {
      constructor() {
        super(os);
      }
    }
    class Output extends FakeOutput {
      constructor() {
        super(os);
      }
    }
    this.module = { Input, Output };
  }
}

class FakeInput implements RtMidiInputLike {
  opened: number | string | null = null;
  ignored: boolean[] | null = null;
  destroyed = false;
  listener: ((deltaTime: number, message: Buffer) => void) | null = null;
  constructor(private readonly os: FakeOs) {
    if (os.failConstruct) throw os.failConstruct;
    os.inputHandles.push(this);
  }
  getPortCount(): number {
    return this.os.inputs.length;
  }
  getPortName(port: number): string {
    const name = this.os.inputs[port];
    if (name === undefined) throw new TypeError('Internal RtMidi error');
    return name;
  }
  openPort(port: number): void {
    this.opened = port;
  }
  openVirtualPort(name: string): void {
    this.opened = `virtual:${name}`;
  }
  ignoreTypes(sysex: boolean, timing: boolean, activeSensing: boolean): void {
    this.ignored = [sysex, timing, activeSensing];
  }
  on(_event: 'messageBuffer', listener: (deltaTime: number, message: Buffer) => void): this {
    this.listener = listener;
    return this;
  }
  closePort(): void {
    this.opened = null;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

class FakeOutput implements RtMidiOutputLike {
  opened: number | null = null;
  sent: number[][] = [];
  destroyed = false;
  constructor(private readonly os: FakeOs) {
    if (os.failConstruct) throw os.failConstruct;
    os.outputHandles.push(this);
  }
  getPortCount(): number {
    return this.os.outputs.length;
  }
  getPortName(port: number): string {
    const name = this.os.outputs[port];
    if (name === undefined) throw new TypeError('Internal RtMidi error');
    return name;
  }
  openPort(port: number): void {
    this.opened = port;
  }
  sendMessage(message: number[]): void {
    if (this.opened === null) throw new Error('port not open');
    this.sent.push(message);
  }
  closePort(): void {
    this.opened = null;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

describe('RtMidiBackend over the OS ports', () => {
  it('reports a failed start as "MIDI unavailable" (no ALSA hint off Linux)', () => {
    const os = new FakeOs();
    os.failConstruct = new Error('Failed to initialise RtMidi');
    const backend = new RtMidiBackend({ load: () => os.module, platform: 'darwin' });
    expect(backend.status()).toEqual({ available: false, reason: 'MIDI unavailable: Failed to initialise RtMidi' });
  });

  it.runIf(noAlsaSequencer)('adds the ALSA hint on Linux without /dev/snd/seq', () => {
    const os = new FakeOs();
    os.failConstruct = new Error('Failed to initialise RtMidi');
    const backend = new RtMidiBackend({ load: () => os.module, platform: 'linux' });
    expect(backend.status().reason).toBe(
      'MIDI unavailable: Failed to initialise RtMidi (no ALSA sequencer: /dev/snd/seq does not exist; load the snd-seq kernel module)',
    );
  });

  it('lists ports freshly on every call (hot-plug)', () => {
    const os = new FakeOs();
    const backend = new RtMidiBackend({ load: () => os.module });
    expect(backend.status()).toEqual({ available: true, reason: null });
    expect(backend.listInputs()).toEqual([]);
    os.inputs = ['Midi Through:Midi Through Port-0 14:0', 'nanoPAD2:nanoPAD2 MIDI 1 24:0'];
    os.outputs = ['nanoPAD2:nanoPAD2 MIDI 1 24:0'];
    expect(backend.listInputs()).toEqual([
      { index: 0, name: 'Midi Through:Midi Through Port-0 14:0' },
      { index: 1, name: 'nanoPAD2:nanoPAD2 MIDI 1 24:0' },
    ]);
    expect(backend.listOutputs()).toEqual([{ index: 0, name: 'nanoPAD2:nanoPAD2 MIDI 1 24:0' }]);
  });

  it('opens an input with SysEx/timing/active sensing ignored, delivers its bytes, and stops after close', () => {
    const os = new FakeOs();
    os.inputs = ['A', 'B'];
    const backend = new RtMidiBackend({ load: () => os.module });
    const got: number[][] = [];
    const connection = backend.openInput({ index: 1, name: 'B' }, (bytes) => got.push(Array.from(bytes)));
    const handle = os.inputHandles.at(-1);
    expect(handle?.opened).toBe(1);
    expect(handle?.ignored).toEqual([true, true, true]);
    handle?.listener?.(0, Buffer.from([0x90, 36, 100]));
    connection.close();
    handle?.listener?.(0, Buffer.from([0x90, 37, 100]));
    expect(got).toEqual([[0x90, 36, 100]]);
    expect(handle?.destroyed).toBe(true);
  });

  it('re-finds a port by name when the list changed after listing, and fails clearly when it is gone', () => {
    const os = new FakeOs();
    os.inputs = ['A', 'B'];
    const backend = new RtMidiBackend({ load: () => os.module });
    os.inputs = ['B'];
    backend.openInput({ index: 1, name: 'B' }, () => {});
    expect(os.inputHandles.at(-1)?.opened).toBe(0);
    expect(() => backend.openInput({ index: 0, name: 'A' }, () => {})).toThrow('cannot open MIDI input "A": MIDI input "A" is no longer present');
    expect(os.inputHandles.at(-1)?.destroyed).toBe(true);
  });

  it('never lets a throwing listener escape into the native callback', () => {
    const os = new FakeOs();
    os.inputs = ['A'];
    const backend = new RtMidiBackend({ load: () => os.module });
    backend.openInput({ index: 0, name: 'A' }, () => {
      throw new Error('listener bug');
    });
    expect(() => os.inputHandles.at(-1)?.listener?.(0, Buffer.from([0xf8]))).not.toThrow();
  });

  it('opens outputs and sends whole messages', () => {
    const os = new FakeOs();
    os.outputs = ['Synth'];
    const backend = new RtMidiBackend({ load: () => os.module });
    const output = backend.openOutput({ index: 0, name: 'Synth' });
    output.send([0x90, 60, 1]);
    output.close();
    expect(() => output.send([0x80, 60, 0])).toThrow('MIDI output "Synth" is closed');
    const handle = os.outputHandles.at(-1);
    expect(handle?.sent).toEqual([[0x90, 60, 1]]);
    expect(handle?.destroyed).toBe(true);
  });

  it('creates a virtual input port where the OS supports it, not on Windows', () => {
    const os = new FakeOs();
    const linux = new RtMidiBackend({ load: () => os.module, platform: 'linux' });
    linux.openVirtualInput('Conductor', () => {});
    expect(os.inputHandles.at(-1)?.opened).toBe('virtual:Conductor');
    const windows = new RtMidiBackend({ load: () => os.module, platform: 'win32' });
    expect(() => windows.openVirtualInput('Conductor', () => {})).toThrow(/not supported on Windows/);
  });

  it('dispose closes every handle it opened, including the listers', () => {
    const os = new FakeOs();
    os.inputs = ['A'];
    os.outputs = ['A'];
    const backend = new RtMidiBackend({ load: () => os.module });
    backend.openInput({ index: 0, name: 'A' }, () => {});
    backend.openOutput({ index: 0, name: 'A' });
    backend.dispose();
    expect([...os.inputHandles, ...os.outputHandles].every((h) => h.destroyed)).toBe(true);
    expect(backend.listInputs()).toEqual([]);
    expect(() => backend.openInput({ index: 0, name: 'A' }, () => {})).toThrow('the MIDI backend has been disposed');
  });
});
