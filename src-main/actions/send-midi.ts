// The SendMidi action: a config SendMidiMessage → a MidiMessage, range-checked, sent through the injected output.
// Never opens ports itself and never lets an output's failure escape as a throw.
import type { Action, SendMidiMessage } from '../../src-shared/config';
import { describeMidi } from '../../src-shared/describe';
import { midiMessageFromConfig, type MidiMessage } from '../../src-shared/midi';
import { failed, messageOf, succeeded, type ActionOutcome, type MidiOut } from './types';

function check(name: string, value: number, max: number): string | null {
  return Number.isInteger(value) && value >= 0 && value <= max ? null : `${name} must be an integer 0–${max} (got ${value})`;
}

/** Converts and validates; pitch bend is 0–16383 with 8192 at rest (as in MidiMessage). */
export function toMidiMessage(message: SendMidiMessage): { ok: true; message: MidiMessage } | { ok: false; error: string } {
  const problems: (string | null)[] = [check('channel', message.channel, 15)];
  switch (message.type) {
    case 'NoteOn':
    case 'NoteOff':
      problems.push(check('note', message.note, 127), check('velocity', message.velocity, 127));
      break;
    case 'CC':
      problems.push(check('controller', message.controller, 127), check('value', message.value, 127));
      break;
    case 'ProgramChange':
      problems.push(check('program', message.program, 127));
      break;
    case 'PitchBend':
      problems.push(check('value', message.value, 16383));
      break;
    case 'Aftertouch':
      problems.push(check('pressure', message.pressure, 127));
      break;
  }
  const problem = problems.find((p) => p !== null);
  return problem ? { ok: false, error: problem } : { ok: true, message: midiMessageFromConfig(message) };
}

export function sendMidi(action: Extract<Action, { type: 'SendMidi' }>, midiOut: MidiOut | null): ActionOutcome {
  const converted = toMidiMessage(action.message);
  if (!converted.ok) return failed(`SendMidi: ${converted.error}`);
  if (!midiOut) return failed('SendMidi: no MIDI output is available');
  try {
    const result = midiOut.send(action.port, converted.message);
    if (result && result.ok === false) return failed(`SendMidi to "${action.port}": ${result.error}`);
  } catch (err) {
    return failed(`SendMidi to "${action.port}": ${messageOf(err)}`);
  }
  return succeeded(`${describeMidi(converted.message)} → ${action.port}`);
}
