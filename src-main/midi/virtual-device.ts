// The virtual controller: a software pad controller (pads, knobs, encoders, aftertouch, pitch bend, raw bytes) that
// is always available, plus the MidiBackend exposing it as one input and one output port. Never touches the OS.
import {
  DEFAULT_VIRTUAL_LAYOUT,
  VIRTUAL_DEVICE_NAME,
  type MidiMessage,
  type MidiOutputRecord,
  type RelativeEncoding,
  type VirtualLayout,
} from '../../src-shared/midi';
import { Emitter } from '../../src-shared/emitter';
import { AVAILABLE, type MidiBackend, type MidiBytesListener, type MidiInputConnection, type MidiOutputConnection, type MidiPort } from './backend';
import { encodeMidiMessage } from './encode';
import { parseMidiBytes } from './parser';

export interface VirtualDeviceOptions {
  /** Default VIRTUAL_DEVICE_NAME ("Virtual Controller"). */
  name?: string;
  /** Default DEFAULT_VIRTUAL_LAYOUT (16 pads on notes 36–51, 4 knobs on CC 1–4, channel 0). */
  layout?: VirtualLayout;
  /** Clock for the timestamps of received records (epoch ms). Default Date.now. */
  now?: () => number;
  /** How many received messages are kept (oldest dropped first). Default 256. */
  maxReceivedRecords?: number;
}

/** A pad of the virtual controller lit (velocity 1–127) or turned off (0) by what Conductor sent to it. */
export interface PadLightChange {
  note: number;
  velocity: number;
}

const MAX_ENCODER_STEPS = 63;

/** The CC value a relative encoder sends for a turn of `steps` detents (positive = clockwise, |steps| 1–63). */
export function relativeEncoderValue(steps: number, encoding: RelativeEncoding = 'twosComplement'): number {
  if (!Number.isInteger(steps) || steps === 0 || Math.abs(steps) > MAX_ENCODER_STEPS) {
    throw new RangeError(`encoder steps must be a non-zero integer between -${MAX_ENCODER_STEPS} and ${MAX_ENCODER_STEPS}, got ${steps}`);
  }
  switch (encoding) {
    case 'twosComplement':
      return steps > 0 ? steps : 128 + steps;
    case 'binaryOffset':
      return 64 + steps;
    case 'signMagnitude':
      return steps > 0 ? steps : 64 - steps;
  }
}

/**
 * A software controller. Its input side (what it "plays") goes to whoever subscribed with onDidSendBytes — the
 * DeviceManager, which parses it like any hardware input. Its output side records what Conductor sends to it
 * (`received`, `padLight`), which is how tests and the UI see LED feedback. Channel arguments default to the
 * layout's channel. Out-of-range values throw RangeError (the caller passed a wrong value; nothing is sent).
 */
export class VirtualDevice {
  readonly name: string;
  readonly layout: VirtualLayout;
  readonly #now: () => number;
  readonly #maxReceivedRecords: number;
  // A broken listener must not stop the others, the player or the sender: its error is dropped.
  readonly #sentBytes = new Emitter<readonly number[]>({ onListenerError: () => undefined });
  readonly #receivedRecords = new Emitter<MidiOutputRecord>({ onListenerError: () => undefined });
  readonly #lightChanges = new Emitter<PadLightChange>({ onListenerError: () => undefined });
  #received: MidiOutputRecord[] = [];
  readonly #padLights = new Map<number, number>();

  constructor(options: VirtualDeviceOptions = {}) {
    this.name = options.name ?? VIRTUAL_DEVICE_NAME;
    this.layout = options.layout ?? DEFAULT_VIRTUAL_LAYOUT;
    this.#now = options.now ?? Date.now;
    this.#maxReceivedRecords = Math.max(1, options.maxReceivedRecords ?? 256);
  }

  /** Raw bytes the controller emits (one message per call, except for send(), which passes its bytes as given). */
  readonly onDidSendBytes = this.#sentBytes.event;
  /** Each message Conductor sent to this device (see `received`). */
  readonly onDidReceive = this.#receivedRecords.event;
  /** A pad's light changed (a note-on with another velocity, a note-off of a lit pad, clearReceived); fired after onDidReceive. */
  readonly onDidChangeLight = this.#lightChanges.event;

  /** Note-on; velocity 1–127 (a press always has a velocity; use releasePad to release). */
  pressPad(note: number, velocity = 100, channel = this.layout.channel): void {
    if (velocity === 0) throw new RangeError('a pad press needs velocity 1–127 (velocity 0 is a release)');
    this.#emit({ type: 'noteOn', channel, note, velocity });
  }

  /** Note-off (8n status) with the given release velocity. */
  releasePad(note: number, velocity = 0, channel = this.layout.channel): void {
    this.#emit({ type: 'noteOff', channel, note, velocity });
  }

  /** An absolute knob/fader: CC `cc` = `value` (0–127). */
  turnKnob(cc: number, value: number, channel = this.layout.channel): void {
    this.#emit({ type: 'controlChange', channel, controller: cc, value });
  }

  /** A relative encoder turned by `steps` detents (positive = clockwise), sent as one CC in `encoding`. */
  turnEncoder(cc: number, steps: number, encoding: RelativeEncoding = 'twosComplement', channel = this.layout.channel): void {
    this.#emit({ type: 'controlChange', channel, controller: cc, value: relativeEncoderValue(steps, encoding) });
  }

  /** Channel pressure, or polyphonic key pressure on `note` when a note is given. */
  aftertouch(pressure: number, note?: number, channel = this.layout.channel): void {
    this.#emit(note === undefined ? { type: 'channelAftertouch', channel, pressure } : { type: 'polyAftertouch', channel, note, pressure });
  }

  /** Pitch bend 0–16383, 8192 = centre. */
  pitchBend(value: number, channel = this.layout.channel): void {
    this.#emit({ type: 'pitchBend', channel, value });
  }

  programChange(program: number, channel = this.layout.channel): void {
    this.#emit({ type: 'programChange', channel, program });
  }

  /** Injects raw bytes (any values; running status, SysEx, fragments…) exactly as a hardware port would deliver them. */
  send(bytes: ArrayLike<number>): void {
    this.#deliver(Array.from(bytes, (b) => b & 0xff));
  }

  /** Output side: Conductor sent `bytes` (one whole message) to this device. */
  receive(bytes: readonly number[]): void {
    const message = parseMidiBytes(bytes)[0] ?? null;
    const record: MidiOutputRecord = { bytes: [...bytes], message, timestamp: this.#now() };
    this.#received.push(record);
    if (this.#received.length > this.#maxReceivedRecords) this.#received.splice(0, this.#received.length - this.#maxReceivedRecords);
    let change: PadLightChange | null = null;
    if (message?.type === 'noteOn' && this.#padLights.get(message.note) !== message.velocity) {
      this.#padLights.set(message.note, message.velocity);
      change = { note: message.note, velocity: message.velocity };
    }
    if (message?.type === 'noteOff' && this.#padLights.delete(message.note)) change = { note: message.note, velocity: 0 };
    this.#receivedRecords.fire(record);
    if (change) this.#lightChanges.fire(change);
  }

  /** What Conductor has sent to this device, oldest first (at most maxReceivedRecords). */
  get received(): readonly MidiOutputRecord[] {
    return this.#received;
  }

  /** The pad LED for `note`: the velocity of the last note-on sent to it (any channel), 0 after a note-off or never lit. */
  padLight(note: number): number {
    return this.#padLights.get(note) ?? 0;
  }

  /** Every lit pad now: note → velocity (a new object each call). */
  padLights(): Record<number, number> {
    return Object.fromEntries(this.#padLights);
  }

  /** Forgets what was received and turns every light off (each lit pad reports velocity 0). */
  clearReceived(): void {
    this.#received = [];
    const lit = [...this.#padLights.keys()];
    this.#padLights.clear();
    for (const note of lit) this.#lightChanges.fire({ note, velocity: 0 });
  }

  #emit(message: MidiMessage): void {
    this.#deliver(encodeMidiMessage(message));
  }

  #deliver(bytes: readonly number[]): void {
    this.#sentBytes.fire(bytes);
  }
}

/** Exposes one VirtualDevice as a backend with one input and one output port, both named after the device. */
export class VirtualBackend implements MidiBackend {
  readonly id = 'virtual';
  readonly kind = 'virtual' as const;
  readonly device: VirtualDevice;
  readonly #closers = new Set<() => void>();

  constructor(device: VirtualDevice) {
    this.device = device;
  }

  status(): typeof AVAILABLE {
    return AVAILABLE;
  }

  listInputs(): MidiPort[] {
    return [{ index: 0, name: this.device.name }];
  }

  listOutputs(): MidiPort[] {
    return [{ index: 0, name: this.device.name }];
  }

  openInput(port: MidiPort, onBytes: MidiBytesListener): MidiInputConnection {
    this.#check(port);
    const unsubscribe = this.device.onDidSendBytes(onBytes);
    const close = (): void => {
      unsubscribe();
      this.#closers.delete(close);
    };
    this.#closers.add(close);
    return { close };
  }

  openOutput(port: MidiPort): MidiOutputConnection {
    this.#check(port);
    let open = true;
    return {
      send: (bytes) => {
        if (!open) throw new Error(`output "${this.device.name}" is closed`);
        this.device.receive(bytes);
      },
      close: () => {
        open = false;
      },
    };
  }

  dispose(): void {
    for (const close of [...this.#closers]) close();
  }

  #check(port: MidiPort): void {
    if (port.name !== this.device.name) throw new Error(`no virtual port named "${port.name}"`);
  }
}
