// The output side of the MIDI devices: which output ports exist, finding one by name (port-match.ts), opening it on
// first use, sending messages or raw bytes, and where a plugin's MIDI goes. Never throws to a sender: failures are values.
import type { DeviceInfo, MidiMessage, MidiSendResult } from '../../src-shared/midi';
import { splitMidiBytes } from '../../src-shared/midi-bytes';
import { errorMessage } from '../../src-shared/errors';
import { closeQuietly, type MidiBackend, type MidiOutputConnection, type MidiPort } from './backend';
import { encodeMidiMessage, midiMessageProblem } from './encode';
import { findPort, withPortIds } from './port-match';

/** Where a plugin's MIDI was sent (or would have been), and how that went. */
export type RoutedSendResult = MidiSendResult & { port: string };

/** Sending MIDI: what the SendMidi action and plugins' conductor.midi_send use. Never throws. */
export interface MidiOutputs {
  /** Names of the outputs present now (the virtual controller's first). */
  list(): string[];
  /** Encodes and sends one message to the output `portName` names (findPort's rule). */
  send(portName: string, message: MidiMessage): MidiSendResult;
  /** Sends raw bytes: one or more whole messages (status byte first, SysEx F0 … F7 allowed). */
  sendBytes(portName: string, bytes: ArrayLike<number>): MidiSendResult;
  /**
   * A plugin's `conductor.midi_send`: to the port the plugin named, else to the output `[device] name` names, else
   * (no device configured) to the virtual controller. A named output that is not there is a failure, not a detour.
   */
  sendPluginBytes(bytes: ArrayLike<number>, port: string | null): RoutedSendResult;
}

export interface OutputPortsOptions {
  /** The virtual controller's output name: where plugin MIDI goes when neither the plugin nor the config names one. */
  virtualControllerName: string;
  /** `[device] name`, trimmed; null when not set. */
  configuredDevice: () => string | null;
  /** Re-lists the hardware outputs now (a port asked for may have been plugged in since the last poll). */
  rescan: () => void;
  /** Why hardware outputs may be missing ("MIDI unavailable: …"), for "no MIDI output named" errors; null when they are not. */
  unavailableReason: () => string | null;
}

interface OutputSlot {
  readonly id: string;
  readonly backend: MidiBackend;
  readonly name: string;
  port: MidiPort;
  connection: MidiOutputConnection | null;
}

/** The output ports of every backend, as the DeviceManager's polls last listed them. */
export class OutputPorts implements MidiOutputs {
  readonly #slots = new Map<string, OutputSlot>();
  readonly #options: OutputPortsOptions;
  #closed = false;

  constructor(options: OutputPortsOptions) {
    this.#options = options;
  }

  /** Replaces what `backend` lists with `ports`, except those `skip` refuses; a port gone from the list is closed. */
  update(backend: MidiBackend, ports: readonly MidiPort[], skip: (name: string) => boolean = () => false): void {
    if (this.#closed) return;
    const seen = new Set<string>();
    for (const { id, port } of withPortIds(backend.kind === 'virtual' ? 'virtual-out:' : 'hw-out:', ports)) {
      if (skip(port.name)) continue;
      seen.add(id);
      const slot = this.#slots.get(id);
      if (slot && slot.name === port.name) slot.port = port;
      else {
        if (slot) closeQuietly(slot.connection);
        this.#slots.set(id, { id, backend, name: port.name, port, connection: null });
      }
    }
    for (const slot of [...this.#slots.values()]) {
      if (slot.backend === backend && !seen.has(slot.id)) {
        closeQuietly(slot.connection);
        this.#slots.delete(slot.id);
      }
    }
  }

  /** The outputs as device-list entries (an output is listed while present, and always usable). */
  devices(): DeviceInfo[] {
    return [...this.#slots.values()].map((slot) => ({ id: slot.id, name: slot.name, kind: slot.backend.kind, direction: 'output', state: 'connected', detail: null }));
  }

  list(): string[] {
    return [...this.#slots.values()].map((slot) => slot.name);
  }

  send(portName: string, message: MidiMessage): MidiSendResult {
    const problem = midiMessageProblem(message);
    if (problem) return { ok: false, error: `invalid MIDI message: ${problem}` };
    return this.#sendFrames(portName, [encodeMidiMessage(message)]);
  }

  sendBytes(portName: string, bytes: ArrayLike<number>): MidiSendResult {
    const frames = splitMidiBytes(bytes);
    if (!frames.ok) return { ok: false, error: `invalid MIDI bytes: ${frames.error}` };
    return this.#sendFrames(portName, frames.messages);
  }

  sendPluginBytes(bytes: ArrayLike<number>, port: string | null): RoutedSendResult {
    const target = port ?? this.#options.configuredDevice() ?? this.#options.virtualControllerName;
    return { ...this.sendBytes(target, bytes), port: target };
  }

  /** Closes every open output; later sends fail with "shut down". Idempotent. */
  close(): void {
    this.#closed = true;
    for (const slot of this.#slots.values()) closeQuietly(slot.connection);
    this.#slots.clear();
  }

  #find(portName: string): OutputSlot | string {
    if (this.#closed) return 'MIDI devices have been shut down';
    let slot = findPort([...this.#slots.values()], portName);
    if (!slot) {
      this.#options.rescan();
      slot = findPort([...this.#slots.values()], portName);
    }
    if (slot) return slot;
    const names = this.list();
    const reason = this.#options.unavailableReason();
    return `no MIDI output named "${portName}"; available: ${names.length > 0 ? names.join(', ') : 'none'}${reason ? ` (${reason})` : ''}`;
  }

  #sendFrames(portName: string, frames: number[][]): MidiSendResult {
    const slot = this.#find(portName);
    if (typeof slot === 'string') return { ok: false, error: slot };
    try {
      slot.connection ??= slot.backend.openOutput(slot.port);
    } catch (error) {
      return { ok: false, error: errorMessage(error) };
    }
    try {
      for (const frame of frames) slot.connection.send(frame);
      return { ok: true };
    } catch (error) {
      closeQuietly(slot.connection);
      slot.connection = null; // reopened on the next send
      return { ok: false, error: `cannot send to MIDI output "${slot.name}": ${errorMessage(error)}` };
    }
  }
}
