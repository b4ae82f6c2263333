// Trigger semantics that need no state: channel filters, velocity and pressure ranges, encoder direction decoding,
// the pitch-bend deadzone. Pure functions — no clock, no I/O.
import type { Trigger } from '../../src-shared/config';
import { PITCH_BEND_CENTER, type MidiMessage } from '../../src-shared/midi';

export const channelMatches = (trigger: Trigger, channel: number): boolean => trigger.channel === undefined || trigger.channel === channel;

/** Note: velocity ≥ velocityMin (default any). VelocityRange: minVelocity ≤ velocity ≤ maxVelocity. */
export function pressMatches(trigger: Trigger, channel: number, note: number, velocity: number): boolean {
  if (!channelMatches(trigger, channel)) return false;
  if (trigger.type === 'Note') return trigger.note === note && velocity >= (trigger.velocityMin ?? 0);
  if (trigger.type === 'VelocityRange') return trigger.note === note && velocity >= trigger.minVelocity && velocity <= trigger.maxVelocity;
  return false;
}

export type EncoderDirection = 'Clockwise' | 'CounterClockwise';
export interface EncoderStep {
  direction: EncoderDirection;
  /** How many detents the message stands for (two's complement reading). */
  steps: number;
}

/**
 * A relative encoder's value: 1–63 = clockwise by that many steps, 65–127 = counter-clockwise by 128 − value
 * (two's complement; sign-magnitude encoders give the same directions). 0 and 64 = no movement.
 */
export function relativeEncoderStep(value: number): EncoderStep | null {
  if (value >= 1 && value <= 63) return { direction: 'Clockwise', steps: value };
  if (value >= 65 && value <= 127) return { direction: 'CounterClockwise', steps: 128 - value };
  return null;
}

/**
 * An absolute encoder/knob: the change from the previous value of that CC. A jump of more than 64 is read as a
 * wrap-around (127 → 0 = clockwise by 1, 0 → 127 = counter-clockwise by 1). No previous value or no change = null.
 */
export function absoluteEncoderStep(previous: number | undefined, value: number): EncoderStep | null {
  if (previous === undefined) return null;
  let delta = value - previous;
  if (delta > 64) delta -= 128;
  else if (delta < -64) delta += 128;
  if (delta === 0) return null;
  return delta > 0 ? { direction: 'Clockwise', steps: delta } : { direction: 'CounterClockwise', steps: -delta };
}

/** Aftertouch with `note` matches poly aftertouch on that note; without, channel aftertouch. Pressure range inclusive. */
export function aftertouchMatches(trigger: Extract<Trigger, { type: 'Aftertouch' }>, message: MidiMessage): boolean {
  let pressure: number;
  if (message.type === 'polyAftertouch') {
    if (trigger.note === undefined || trigger.note !== message.note) return false;
    pressure = message.pressure;
  } else if (message.type === 'channelAftertouch') {
    if (trigger.note !== undefined) return false;
    pressure = message.pressure;
  } else {
    return false;
  }
  return channelMatches(trigger, message.channel) && pressure >= (trigger.minPressure ?? 0) && pressure <= (trigger.maxPressure ?? 127);
}

/** minValue ≤ value ≤ maxValue (0–16383), and outside the deadzone: |value − 8192| ≤ centerDeadzone is ignored when centerDeadzone > 0. */
export function pitchBendMatches(trigger: Extract<Trigger, { type: 'PitchBend' }>, channel: number, value: number): boolean {
  if (!channelMatches(trigger, channel)) return false;
  if (value < trigger.minValue || value > trigger.maxValue) return false;
  const deadzone = trigger.centerDeadzone ?? 0;
  return !(deadzone > 0 && Math.abs(value - PITCH_BEND_CENTER) <= deadzone);
}
