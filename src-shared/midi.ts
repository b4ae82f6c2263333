// MIDI domain types shared by main (devices, engine) and renderer (device view, MIDI-learn, event console).
// Pure types, constants and conversions only — never imports Node, Electron or DOM APIs.
import type { SendMidiMessage } from './config';

/**
 * A parsed channel voice message. Channels are 0–15 here (shown as 1–16 in the UI); data bytes 0–127;
 * pitch bend 0–16383 with 8192 at rest. A note-on with velocity 0 is parsed as a note-off.
 */
export type MidiMessage =
  | { type: 'noteOn'; channel: number; note: number; velocity: number }
  | { type: 'noteOff'; channel: number; note: number; velocity: number }
  | { type: 'controlChange'; channel: number; controller: number; value: number }
  | { type: 'programChange'; channel: number; program: number }
  | { type: 'channelAftertouch'; channel: number; pressure: number }
  | { type: 'polyAftertouch'; channel: number; note: number; pressure: number }
  | { type: 'pitchBend'; channel: number; value: number };

/** One message as it entered Conductor: which input it came from and when (epoch ms, from the engine's clock). */
export interface MidiEvent {
  /** The input's id (see DeviceInfo.id). */
  deviceId: string;
  message: MidiMessage;
  timestamp: number;
}

export type DeviceKind = 'hardware' | 'virtual';

/** 'unavailable': the MIDI subsystem itself cannot start (no ALSA sequencer, missing driver…). */
export type DeviceState = 'connected' | 'disconnected' | 'unavailable';

export interface DeviceInfo {
  /** Stable within a run: `virtual:<name>` or `hw-in:<port name>` / `hw-out:<port name>`. */
  id: string;
  name: string;
  kind: DeviceKind;
  direction: 'input' | 'output';
  state: DeviceState;
  /** Why it is unavailable or disconnected, e.g. "MIDI unavailable: cannot open /dev/snd/seq". */
  detail: string | null;
}

/** The state of a MIDI backend as the status bar shows it. */
export interface MidiBackendStatus {
  available: boolean;
  /** "MIDI unavailable: <reason>" when not available. */
  reason: string | null;
}

export const PITCH_BEND_CENTER = 8192;
export const NOTE_NAMES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'] as const;

/** "C3" for note 60 (the convention of most DAWs and pad controllers: C3 = middle C = 60). */
export function noteName(note: number): string {
  return `${NOTE_NAMES[note % 12] ?? '?'}${Math.floor(note / 12) - 2}`;
}

/**
 * SendMidi's config message as the MidiMessage it becomes: same fields, SendMidi's Aftertouch is channel pressure.
 * Converts only; range checks are the sender's (src-main/actions/send-midi.ts).
 */
export function midiMessageFromConfig(m: SendMidiMessage): MidiMessage {
  switch (m.type) {
    case 'NoteOn':
    case 'NoteOff':
      return { type: m.type === 'NoteOn' ? 'noteOn' : 'noteOff', channel: m.channel, note: m.note, velocity: m.velocity };
    case 'CC':
      return { type: 'controlChange', channel: m.channel, controller: m.controller, value: m.value };
    case 'ProgramChange':
      return { type: 'programChange', channel: m.channel, program: m.program };
    case 'PitchBend':
      return { type: 'pitchBend', channel: m.channel, value: m.value };
    case 'Aftertouch':
      return { type: 'channelAftertouch', channel: m.channel, pressure: m.pressure };
  }
}

/** The software controller that is always present (DeviceInfo id `virtual:Virtual Controller`). */
export const VIRTUAL_DEVICE_NAME = 'Virtual Controller';
/** The OS-level virtual MIDI input other software can send to, where the OS supports it (id `virtual:Conductor`). */
export const VIRTUAL_PORT_NAME = 'Conductor';

/** One pad of the virtual controller: pressing it sends note-on `note`, releasing it note-off. */
export interface VirtualPad {
  note: number;
  label: string;
}

/** One knob of the virtual controller: turning it sends control change `cc` (absolute 0–127 or relative). */
export interface VirtualKnob {
  cc: number;
  label: string;
}

export interface VirtualLayout {
  /** The channel (0–15) the pads and knobs send on. */
  channel: number;
  /** Pads in display order: row by row, bottom-left first (as on common 4×4 pad controllers). */
  pads: readonly VirtualPad[];
  padColumns: number;
  knobs: readonly VirtualKnob[];
}

/** 16 pads on notes 36–51 (C1–D#2, the usual pad-controller bank) in a 4×4 grid, and 4 knobs on CC 1–4; channel 1. */
export const DEFAULT_VIRTUAL_LAYOUT: VirtualLayout = Object.freeze({
  channel: 0,
  pads: Object.freeze(Array.from({ length: 16 }, (_, i) => Object.freeze({ note: 36 + i, label: `Pad ${i + 1}` }))),
  padColumns: 4,
  knobs: Object.freeze(Array.from({ length: 4 }, (_, i) => Object.freeze({ cc: 1 + i, label: `Knob ${i + 1}` }))),
});

/**
 * How a relative encoder writes a turn of `steps` detents into a CC value (positive = clockwise):
 * 'twosComplement' +n → n, −n → 128−n (1 = +1, 127 = −1; the most common);
 * 'binaryOffset' 64+n (65 = +1, 63 = −1); 'signMagnitude' +n → n, −n → 64+n (65 = −1).
 */
export type RelativeEncoding = 'twosComplement' | 'binaryOffset' | 'signMagnitude';

/** The result of sending MIDI to an output: never thrown, always returned. */
export type MidiSendResult = { ok: true } | { ok: false; error: string };

/** One message a MIDI output received from Conductor, as the virtual controller records it (LED feedback). */
export interface MidiOutputRecord {
  bytes: number[];
  /** The parsed channel message; null for SysEx and system messages. */
  message: MidiMessage | null;
  timestamp: number;
}
