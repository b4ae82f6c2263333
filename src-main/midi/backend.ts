// The contract between the DeviceManager and a source of MIDI ports (the OS via RtMidi, the virtual controller).
// Types and small helpers (status, reasons, port names, quiet close) only; never opens a port itself.
import { errorMessage } from '../../src-shared/errors';
import type { DeviceKind, MidiBackendStatus } from '../../src-shared/midi';

/** A port as a backend lists it: its position in the backend's current list and the name the OS gives it. */
export interface MidiPort {
  readonly index: number;
  readonly name: string;
}

/** Raw bytes as they arrived: one or more messages, or a fragment of one; the DeviceManager parses them. */
export type MidiBytesListener = (bytes: ArrayLike<number>) => void;

export interface MidiInputConnection {
  /** Stops delivery; idempotent; never throws. */
  close(): void;
}

export interface MidiOutputConnection {
  /** Sends one whole message (see splitMidiBytes); throws an Error when the OS refuses. */
  send(bytes: readonly number[]): void;
  /** Idempotent; never throws. */
  close(): void;
}

/**
 * A source of MIDI input and output ports. Contract:
 * - status() and the list methods never throw when the backend is unavailable (the lists are then empty);
 *   a list method may throw on a transient OS error, which the DeviceManager treats as "no change this poll";
 * - open methods throw an Error with a readable message when a port cannot be opened;
 * - `onBytes` is called on the Node event loop and must not throw back into the backend (the DeviceManager's
 *   listener never does).
 */
export interface MidiBackend {
  /** Short name for logs: 'rtmidi', 'virtual', … */
  readonly id: string;
  readonly kind: DeviceKind;
  status(): MidiBackendStatus;
  listInputs(): MidiPort[];
  listOutputs(): MidiPort[];
  /** Opens `port` (its index is a hint; a backend re-finds the port by name if the list changed). */
  openInput(port: MidiPort, onBytes: MidiBytesListener): MidiInputConnection;
  openOutput(port: MidiPort): MidiOutputConnection;
  /** Creates an OS-level virtual input port other software can send to; absent when the backend cannot. */
  openVirtualInput?(name: string, onBytes: MidiBytesListener): MidiInputConnection;
  /** Closes everything this backend opened; idempotent; never throws. */
  dispose(): void;
}

export const MIDI_UNAVAILABLE_PREFIX = 'MIDI unavailable: ';
const MAX_REASON_CHARS = 200;

/** "MIDI unavailable: <first line of the error, trimmed, without a trailing period>", at most ~200 characters. */
export function midiUnavailableReason(error: unknown, hint?: string): string {
  const text = errorMessage(error);
  const firstLine = text.split(/\r?\n/).map((line) => line.trim()).find((line) => line !== '') ?? 'unknown error';
  let reason = firstLine.replace(/\s+/g, ' ').replace(/[.:;,\s]+$/, '');
  if (reason.startsWith(MIDI_UNAVAILABLE_PREFIX)) reason = reason.slice(MIDI_UNAVAILABLE_PREFIX.length);
  if (reason.length > MAX_REASON_CHARS) reason = `${reason.slice(0, MAX_REASON_CHARS - 1)}…`;
  return `${MIDI_UNAVAILABLE_PREFIX}${reason}${hint ? ` (${hint})` : ''}`;
}

export function unavailableStatus(reason: string): MidiBackendStatus {
  return { available: false, reason: reason.startsWith(MIDI_UNAVAILABLE_PREFIX) ? reason : `${MIDI_UNAVAILABLE_PREFIX}${reason}` };
}

export const AVAILABLE: MidiBackendStatus = Object.freeze({ available: true, reason: null });

/** A port name without the ALSA "client:port" numbers (the one rule, in src-shared/port-match.ts). */
export { stablePortName } from '../../src-shared/port-match';

/** A backend's status, where a throwing status() reads as "MIDI unavailable: <its error>". */
export function safeStatus(backend: MidiBackend): MidiBackendStatus {
  try {
    return backend.status();
  } catch (error) {
    return { available: false, reason: `${MIDI_UNAVAILABLE_PREFIX}${errorMessage(error)}` };
  }
}

/** Closes a connection, if any, ignoring a failure (closing must never fail the caller). */
export function closeQuietly(connection: { close(): void } | null): void {
  try {
    connection?.close();
  } catch {
    // see above
  }
}
