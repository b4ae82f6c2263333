// The SendMidi action: a config SendMidiMessage → a MidiMessage, range-checked, sent through the injected output.
// Never opens ports itself and never lets an output's failure escape as a throw.
import type { Action, SendMidiMessage } from '../../src-shared/config';
import { errorMessage } from '../../src-shared/errors';
import { midiMessageFromConfig, type MidiMessage } from '../../src-shared/midi';
import { describeMidi } from '../../src-shared/wording';
import { midiMessageProblem } from '../midi/encode';
import { failed, succeeded, type ActionOutcome, type MidiOut } from './types';

/** Converts and validates with the encoder's own check; pitch bend is 0–16383 with 8192 at rest (as in MidiMessage). */
export function toMidiMessage(message: SendMidiMessage): { ok: true; message: MidiMessage } | { ok: false; error: string } {
  const converted = midiMessageFromConfig(message);
  const problem = midiMessageProblem(converted);
  return problem ? { ok: false, error: problem } : { ok: true, message: converted };
}

export function sendMidi(action: Extract<Action, { type: 'SendMidi' }>, midiOut: MidiOut | null): ActionOutcome {
  const converted = toMidiMessage(action.message);
  if (!converted.ok) return failed(`SendMidi: ${converted.error}`);
  if (!midiOut) return failed('SendMidi: no MIDI output is available');
  try {
    const result = midiOut.send(action.port, converted.message);
    if (result && result.ok === false) return failed(`SendMidi to "${action.port}": ${result.error}`);
  } catch (err) {
    return failed(`SendMidi to "${action.port}": ${errorMessage(err)}`);
  }
  return succeeded(`${describeMidi(converted.message)} → ${action.port}`);
}
