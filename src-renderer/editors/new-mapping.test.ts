// Unit tests of new-mapping.ts: a new mapping starts from the newest note-on or CC among the engine's events, else
// note 36, always with an action that saves as it is.
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src-shared/engine';
import type { MidiMessage } from '../../src-shared/midi';
import { lastPressedControl, newMappingFor, sensibleAction } from './new-mapping';

let seq = 0;
const midi = (message: MidiMessage): EngineEvent => ({ kind: 'midi', seq: ++seq, at: seq, event: { deviceId: 'virtual:Virtual Controller', message, timestamp: seq } });
const modeChange: EngineEvent = { kind: 'mode-change', seq: 99, at: 99, from: 'A', to: 'B', toIndex: 1, reason: 'api' };

describe('lastPressedControl', () => {
  it('is the newest note-on (its release and later non-MIDI events do not count)', () => {
    const events = [midi({ type: 'controlChange', channel: 0, controller: 7, value: 3 }), midi({ type: 'noteOn', channel: 2, note: 40, velocity: 90 }), midi({ type: 'noteOff', channel: 2, note: 40, velocity: 0 }), modeChange];
    expect(lastPressedControl(events)).toEqual({ type: 'Note', note: 40, channel: 2 });
  });
  it('is a CC when a knob moved last', () => {
    expect(lastPressedControl([midi({ type: 'noteOn', channel: 0, note: 36, velocity: 1 }), midi({ type: 'controlChange', channel: 0, controller: 21, value: 64 })])).toEqual({ type: 'CC', cc: 21, channel: 0 });
  });
  it('is null without any press', () => {
    expect(lastPressedControl([modeChange, midi({ type: 'pitchBend', channel: 0, value: 9000 })])).toBeNull();
  });
});

describe('newMappingFor', () => {
  it('starts from the control, else note 36, with a key press that needs no further input', () => {
    expect(newMappingFor({ type: 'CC', cc: 21 })).toEqual({ description: '', trigger: { type: 'CC', cc: 21 }, action: { type: 'Keystroke', keys: 'space' } });
    expect(newMappingFor(null).trigger).toEqual({ type: 'Note', note: 36 });
    expect(sensibleAction({ type: 'EncoderTurn', cc: 1, direction: 'CounterClockwise' })).toEqual({ type: 'Keystroke', keys: 'left' });
  });
});
