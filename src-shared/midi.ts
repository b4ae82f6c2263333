// MIDI domain types shared by main (devices, engine) and renderer (device view, MIDI-learn, event console).
// Pure types and constants only — never imports Node, Electron or DOM APIs.

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

export type MidiMessageType = MidiMessage['type'];

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
