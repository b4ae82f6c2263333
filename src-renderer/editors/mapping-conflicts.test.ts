// Unit tests of mapping-conflicts.ts: which triggers overlap (same input, overlapping channel/velocity/range; other
// gestures on the same control do not), and the notes per mapping across a mode and the global mappings.
import { describe, expect, it } from 'vitest';
import type { AppConfig, Trigger } from '../../src-shared/config';
import { sampleConfig } from '../test-support/fake-api';
import { controlName, findConflicts, triggersOverlap } from './mapping-conflicts';

describe('triggersOverlap', () => {
  const yes: [Trigger, Trigger][] = [
    [{ type: 'Note', note: 36 }, { type: 'Note', note: 36, channel: 2 }],
    [{ type: 'Note', note: 36, velocityMin: 90 }, { type: 'VelocityRange', note: 36, minVelocity: 81, maxVelocity: 127 }],
    [{ type: 'LongPress', note: 36 }, { type: 'LongPress', note: 36, minDurationMs: 900 }],
    [{ type: 'NoteChord', notes: [36, 40] }, { type: 'NoteChord', notes: [40, 36] }],
    [{ type: 'CC', cc: 7 }, { type: 'EncoderTurn', cc: 7, direction: 'Clockwise' }],
    [{ type: 'Aftertouch' }, { type: 'Aftertouch', note: 36, minPressure: 10 }],
    [{ type: 'PitchBend', minValue: 9000, maxValue: 16383 }, { type: 'PitchBend', minValue: 16000, maxValue: 16383 }],
  ];
  const no: [Trigger, Trigger][] = [
    [{ type: 'Note', note: 36 }, { type: 'Note', note: 37 }],
    [{ type: 'Note', note: 36, channel: 0 }, { type: 'Note', note: 36, channel: 1 }],
    [{ type: 'Note', note: 36 }, { type: 'LongPress', note: 36 }],
    [{ type: 'DoubleTap', note: 36 }, { type: 'Note', note: 36 }],
    [{ type: 'VelocityRange', note: 36, minVelocity: 0, maxVelocity: 40 }, { type: 'VelocityRange', note: 36, minVelocity: 41, maxVelocity: 80 }],
    [{ type: 'Note', note: 36, velocityMin: 100 }, { type: 'VelocityRange', note: 36, minVelocity: 0, maxVelocity: 40 }],
    [{ type: 'EncoderTurn', cc: 7, direction: 'Clockwise' }, { type: 'EncoderTurn', cc: 7, direction: 'CounterClockwise' }],
    [{ type: 'NoteChord', notes: [36, 40] }, { type: 'NoteChord', notes: [36, 40, 43] }],
    [{ type: 'PitchBend', minValue: 0, maxValue: 8000 }, { type: 'PitchBend', minValue: 9000, maxValue: 16383 }],
  ];
  it.each(yes)('%o and %o overlap (both ways)', (a, b) => {
    expect(triggersOverlap(a, b)).toBe(true);
    expect(triggersOverlap(b, a)).toBe(true);
  });
  it.each(no)('%o and %o do not overlap (both ways)', (a, b) => {
    expect(triggersOverlap(a, b)).toBe(false);
    expect(triggersOverlap(b, a)).toBe(false);
  });
});

describe('findConflicts', () => {
  it('notes the same trigger in one mode on both mappings, naming the other by description or action', () => {
    const config: AppConfig = sampleConfig(); // Default: Note 36 "Hello", Note 37; Edit: none; global: DoubleTap 48
    config.modes[0]!.mappings.push({ description: '', trigger: { type: 'Note', note: 36, channel: 0 }, action: { type: 'Keystroke', keys: 'space' } });
    const notes = findConflicts(config);
    expect(notes.get('m0:2')).toEqual(['Note 36 (channel 1) is already mapped in Default: Hello']);
    expect(notes.get('m0:0')).toEqual([expect.stringMatching(/^Note 36 is already mapped in Default: .*space/)]);
    expect(notes.has('m0:1')).toBe(false);
  });

  it('compares a mode with the global mappings but not with other modes', () => {
    const config: AppConfig = sampleConfig();
    config.modes[1]!.mappings.push({ description: 'Edit tap', trigger: { type: 'DoubleTap', note: 48 }, action: { type: 'Text', text: 'x' } });
    config.modes[1]!.mappings.push({ description: 'Edit 36', trigger: { type: 'Note', note: 36 }, action: { type: 'Text', text: 'x' } });
    const notes = findConflicts(config);
    expect(notes.get('m1:0')).toEqual(['Double tap on note 48 is already mapped in Global: Switch to mode #1']);
    expect(notes.get('g:0')).toEqual(['Double tap on note 48 is already mapped in Edit: Edit tap']);
    expect(notes.has('m1:1')).toBe(false);
    expect(notes.has('m0:0')).toBe(false);
  });

  it('names controls briefly', () => {
    expect(controlName({ type: 'NoteChord', notes: [36, 40, 43] })).toBe('Chord 36 + 40 + 43');
    expect(controlName({ type: 'EncoderTurn', cc: 1, direction: 'CounterClockwise' })).toBe('CC 1 counter-clockwise');
    expect(controlName({ type: 'Aftertouch' })).toBe('Aftertouch');
  });
});
