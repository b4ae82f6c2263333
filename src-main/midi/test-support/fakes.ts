// Fakes of what the DeviceManager talks to: the OS's MIDI ports (plug, unplug, play bytes, record sends, fail on
// demand) and interval timers driven by hand. Test support only — never imported by product code; never opens a real port.
import type { MidiBackendStatus } from '../../../src-shared/midi';
import type { MidiBackend, MidiBytesListener, MidiInputConnection, MidiOutputConnection, MidiPort } from '../backend';
import type { PollTimers } from '../device-manager';

/**
 * The operating system's MIDI ports (an external system): ports can be plugged and unplugged, a plugged input can
 * play bytes to whoever opened it, and outputs record what they were sent.
 */
export class OsPorts implements MidiBackend {
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
export class ManualTimers implements PollTimers {
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
