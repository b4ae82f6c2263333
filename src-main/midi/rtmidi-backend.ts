// The OS MIDI backend on @julusian/midi (RtMidi: ALSA, CoreMIDI, WinMM): lists, opens and sends to real ports.
// Never lets an exception escape: a missing module or MIDI subsystem becomes status "MIDI unavailable: <reason>".
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as JulusianMidi from '@julusian/midi';
import { errorMessage } from '../../src-shared/errors';
import type { MidiBackendStatus } from '../../src-shared/midi';
import {
  AVAILABLE,
  midiUnavailableReason,
  unavailableStatus,
  type MidiBackend,
  type MidiBytesListener,
  type MidiInputConnection,
  type MidiOutputConnection,
  type MidiPort,
} from './backend';

/** The parts of @julusian/midi's Input this backend uses (structurally; the real class satisfies it). */
export interface RtMidiInputLike {
  getPortCount(): number;
  getPortName(port: number): string;
  openPort(port: number): void;
  openVirtualPort(name: string): void;
  ignoreTypes(sysex: boolean, timing: boolean, activeSensing: boolean): void;
  on(event: 'messageBuffer', listener: (deltaTime: number, message: Buffer) => void): unknown;
  closePort(): void;
  destroy(): void;
}

export interface RtMidiOutputLike {
  getPortCount(): number;
  getPortName(port: number): string;
  openPort(port: number): void;
  sendMessage(message: number[]): void;
  closePort(): void;
  destroy(): void;
}

export interface RtMidiModule {
  Input: new () => RtMidiInputLike;
  Output: new () => RtMidiOutputLike;
}

export interface RtMidiBackendOptions {
  /** Loads the native module; default require('@julusian/midi'). A throw makes the backend unavailable. */
  load?: () => RtMidiModule;
  /** Default process.platform; decides virtual-port support and the hint for a failed start. */
  platform?: NodeJS.Platform;
}

function loadJulusianMidi(): RtMidiModule {
  const requireFromHere = createRequire(import.meta.url);
  const midi = requireFromHere('@julusian/midi') as typeof JulusianMidi;
  return midi;
}

function closeHandleQuietly(port: { closePort(): void; destroy(): void }): void {
  try {
    port.closePort();
  } catch {
    // already closed or the subsystem went away
  }
  try {
    port.destroy();
  } catch {
    // ditto
  }
}

/**
 * Finds `port` on a fresh handle: at its listed index if the name still matches there, else the first port with
 * that name (the list may have changed between listing and opening). Throws when it is gone.
 */
function resolveIndex(handle: { getPortCount(): number; getPortName(port: number): string }, port: MidiPort, what: string): number {
  const count = handle.getPortCount();
  if (port.index < count && handle.getPortName(port.index) === port.name) return port.index;
  for (let i = 0; i < count; i++) if (handle.getPortName(i) === port.name) return i;
  throw new Error(`MIDI ${what} "${port.name}" is no longer present`);
}

/**
 * RtMidi through @julusian/midi. One Input and one Output handle are kept for listing (RtMidi re-enumerates the
 * OS ports on every getPortCount, so polling them sees hot-plugged devices); every opened port gets its own handle.
 *
 * Inputs call ignoreTypes(true, true, true): RtMidi drops SysEx, timing (clock F8, MTC F1) and active sensing
 * (FE) before they cross into JavaScript. Conductor maps none of them, and clock/active sensing arrive 24–300
 * times a second, each costing a thread hop and a Buffer; dropping them at the source keeps the event loop free.
 * The parser still skips any such byte that does get through (and the virtual device can inject them), so
 * correctness does not depend on this filter.
 */
export class RtMidiBackend implements MidiBackend {
  readonly id = 'rtmidi';
  readonly kind = 'hardware' as const;
  readonly #platform: NodeJS.Platform;
  #module: RtMidiModule | null = null;
  #inputLister: RtMidiInputLike | null = null;
  #outputLister: RtMidiOutputLike | null = null;
  #status: MidiBackendStatus;
  readonly #open = new Set<{ closePort(): void; destroy(): void }>();
  #disposed = false;

  constructor(options: RtMidiBackendOptions = {}) {
    this.#platform = options.platform ?? process.platform;
    let module: RtMidiModule;
    try {
      module = (options.load ?? loadJulusianMidi)();
    } catch (error) {
      this.#status = unavailableStatus(midiUnavailableReason(error));
      return;
    }
    try {
      this.#inputLister = new module.Input();
      this.#outputLister = new module.Output();
      this.#module = module;
      this.#status = AVAILABLE;
    } catch (error) {
      if (this.#inputLister) closeHandleQuietly(this.#inputLister);
      this.#inputLister = null;
      this.#status = unavailableStatus(midiUnavailableReason(error, this.#startHint()));
    }
  }

  status(): MidiBackendStatus {
    return this.#status;
  }

  listInputs(): MidiPort[] {
    return this.#inputLister ? listPorts(this.#inputLister) : [];
  }

  listOutputs(): MidiPort[] {
    return this.#outputLister ? listPorts(this.#outputLister) : [];
  }

  openInput(port: MidiPort, onBytes: MidiBytesListener): MidiInputConnection {
    const module = this.#requireModule();
    return this.#openInputWith(module, `cannot open MIDI input "${port.name}"`, onBytes, (input) => input.openPort(resolveIndex(input, port, 'input')));
  }

  openOutput(port: MidiPort): MidiOutputConnection {
    const module = this.#requireModule();
    let output: RtMidiOutputLike | null = null;
    try {
      output = new module.Output();
      output.openPort(resolveIndex(output, port, 'output'));
    } catch (error) {
      if (output) closeHandleQuietly(output);
      throw new Error(`cannot open MIDI output "${port.name}": ${errorMessage(error)}`, { cause: error });
    }
    const handle = output;
    this.#open.add(handle);
    let open = true;
    return {
      send: (bytes) => {
        if (!open) throw new Error(`MIDI output "${port.name}" is closed`);
        handle.sendMessage([...bytes]);
      },
      close: () => {
        if (!open) return;
        open = false;
        this.#open.delete(handle);
        closeHandleQuietly(handle);
      },
    };
  }

  openVirtualInput(name: string, onBytes: MidiBytesListener): MidiInputConnection {
    if (this.#platform === 'win32') {
      throw new Error('virtual MIDI ports are not supported on Windows (a loopback driver such as loopMIDI can stand in)');
    }
    const module = this.#requireModule();
    return this.#openInputWith(module, `cannot create virtual MIDI port "${name}"`, onBytes, (input) => input.openVirtualPort(name));
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const handle of [...this.#open]) closeHandleQuietly(handle);
    this.#open.clear();
    if (this.#inputLister) closeHandleQuietly(this.#inputLister);
    if (this.#outputLister) closeHandleQuietly(this.#outputLister);
    this.#inputLister = null;
    this.#outputLister = null;
    this.#module = null;
  }

  #openInputWith(module: RtMidiModule, failure: string, onBytes: MidiBytesListener, openPort: (input: RtMidiInputLike) => void): MidiInputConnection {
    let input: RtMidiInputLike | null = null;
    let open = true;
    try {
      input = new module.Input();
      input.ignoreTypes(true, true, true);
      input.on('messageBuffer', (_deltaTime, message) => {
        if (!open) return;
        try {
          onBytes(message);
        } catch {
          // an exception here would escape from a native callback and take the process down
        }
      });
      openPort(input);
    } catch (error) {
      open = false;
      if (input) closeHandleQuietly(input);
      throw new Error(`${failure}: ${errorMessage(error)}`, { cause: error });
    }
    const handle = input;
    this.#open.add(handle);
    return {
      close: () => {
        if (!open) return;
        open = false;
        this.#open.delete(handle);
        closeHandleQuietly(handle);
      },
    };
  }

  #requireModule(): RtMidiModule {
    if (this.#disposed) throw new Error('the MIDI backend has been disposed');
    if (!this.#module) throw new Error(this.#status.reason ?? 'MIDI unavailable');
    return this.#module;
  }

  #startHint(): string | undefined {
    if (this.#platform === 'linux' && !existsSync('/dev/snd/seq')) return 'no ALSA sequencer: /dev/snd/seq does not exist; load the snd-seq kernel module';
    return undefined;
  }
}

function listPorts(handle: { getPortCount(): number; getPortName(port: number): string }): MidiPort[] {
  const ports: MidiPort[] = [];
  const count = handle.getPortCount();
  for (let index = 0; index < count; index++) ports.push({ index, name: handle.getPortName(index) });
  return ports;
}
