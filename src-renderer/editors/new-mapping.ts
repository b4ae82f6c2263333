// What "Add mapping" starts from: the control last pressed on a controller (the newest note-on or CC that entered the
// engine), else note 36 as before, with an action that can be saved as it is. Pure: reads events, never sends anything.
import type { Action, Mapping, Trigger } from '../../src-shared/config';
import type { EngineEvent } from '../../src-shared/engine';

/** The trigger of the newest pressed pad/key (note-on) or moved control (CC) among `events` (in seq order), or null. */
export function lastPressedControl(events: readonly EngineEvent[]): Trigger | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i];
    if (e?.kind !== 'midi') continue;
    const m = e.event.message;
    if (m.type === 'noteOn') return { type: 'Note', note: m.note, channel: m.channel };
    if (m.type === 'controlChange') return { type: 'CC', cc: m.controller, channel: m.channel };
  }
  return null;
}

/**
 * An action that is valid as it is and easy to change: a key press — space (play/pause almost everywhere) for a
 * pad, key or button; the right/left arrow for an encoder turned clockwise/counter-clockwise.
 */
export function sensibleAction(trigger: Trigger): Action {
  if (trigger.type === 'EncoderTurn') return { type: 'Keystroke', keys: trigger.direction === 'Clockwise' ? 'right' : 'left' };
  return { type: 'Keystroke', keys: 'space' };
}

/** A new mapping on `control` (or note 36 when there is none). */
export function newMappingFor(control: Trigger | null): Mapping {
  const trigger: Trigger = control ?? { type: 'Note', note: 36 };
  return { description: '', trigger, action: sensibleAction(trigger) };
}
