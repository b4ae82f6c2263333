import { describe, expect, it } from 'vitest';
import { controlForMessage, controlMessageText, controlsForTrigger, layoutFromVirtual, triggerForControl, type ControllerLayout } from './controller-layout';
import { DEFAULT_VIRTUAL_LAYOUT } from './midi';

const virtual = layoutFromVirtual(DEFAULT_VIRTUAL_LAYOUT);

/** Two pads on note 60 (channels 1 and 2), an encoder, a strip. */
const twoChannels: ControllerLayout = {
  id: 't',
  name: 'T',
  match: [],
  channel: 0,
  columns: 4,
  rows: 1,
  led: 'none',
  source: 'builtin',
  controls: [
    { id: 'a', label: 'A', kind: 'pad', message: { type: 'note', note: 60 }, x: 0, y: 0 },
    { id: 'b', label: 'B', kind: 'pad', message: { type: 'note', note: 60 }, channel: 1, x: 1, y: 0 },
    { id: 'enc', label: 'Enc', kind: 'encoder', message: { type: 'cc', cc: 10, relative: 'twosComplement' }, x: 2, y: 0 },
    { id: 'strip', label: 'Strip', kind: 'touchstrip', message: { type: 'pitchBend' }, x: 3, y: 0 },
  ],
};

describe('controller layouts', () => {
  it('draws the virtual controller with knobs on top and the first pad row (its bottom row) at the bottom', () => {
    expect(virtual.rows).toBe(5);
    const at = (x: number, y: number) => virtual.controls.find((c) => c.x === x && c.y === y)?.id;
    expect([0, 1, 2, 3].map((x) => at(x, 0))).toEqual(['knob-1', 'knob-2', 'knob-3', 'knob-4']);
    expect([0, 1, 2, 3].map((x) => at(x, 4))).toEqual(['pad-36', 'pad-37', 'pad-38', 'pad-39']);
    expect([0, 1, 2, 3].map((x) => at(x, 1))).toEqual(['pad-48', 'pad-49', 'pad-50', 'pad-51']);
  });

  it('finds the control of a message; the channel decides only between two controls on one note', () => {
    expect(controlForMessage(virtual, { type: 'noteOn', channel: 5, note: 40, velocity: 9 })?.label).toBe('Pad 5');
    expect(controlForMessage(virtual, { type: 'controlChange', channel: 0, controller: 2, value: 1 })?.id).toBe('knob-2');
    expect(controlForMessage(virtual, { type: 'noteOn', channel: 0, note: 99, velocity: 9 })).toBeNull();
    expect(controlForMessage(virtual, { type: 'programChange', channel: 0, program: 1 })).toBeNull();
    expect(controlForMessage(twoChannels, { type: 'noteOn', channel: 1, note: 60, velocity: 9 })?.id).toBe('b');
    expect(controlForMessage(twoChannels, { type: 'noteOff', channel: 0, note: 60, velocity: 0 })?.id).toBe('a');
    expect(controlForMessage(twoChannels, { type: 'pitchBend', channel: 0, value: 9000 })?.id).toBe('strip');
  });

  it('finds the controls a trigger is on: a chord on each of its notes, a channel-bound trigger on that channel', () => {
    expect(controlsForTrigger(virtual, { type: 'NoteChord', notes: [36, 40] }).map((c) => c.id)).toEqual(['pad-36', 'pad-40']);
    expect(controlsForTrigger(virtual, { type: 'LongPress', note: 37 }).map((c) => c.id)).toEqual(['pad-37']);
    expect(controlsForTrigger(virtual, { type: 'EncoderTurn', cc: 3, direction: 'Clockwise' }).map((c) => c.id)).toEqual(['knob-3']);
    expect(controlsForTrigger(twoChannels, { type: 'Note', note: 60 }).map((c) => c.id)).toEqual(['a', 'b']);
    expect(controlsForTrigger(twoChannels, { type: 'Note', note: 60, channel: 1 }).map((c) => c.id)).toEqual(['b']);
    expect(controlsForTrigger(twoChannels, { type: 'PitchBend', minValue: 9000, maxValue: 16383 }).map((c) => c.id)).toEqual(['strip']);
    expect(controlsForTrigger(twoChannels, { type: 'Aftertouch' })).toEqual([]);
  });

  it('starts a new mapping with the plain trigger of its control, and names what the control sends', () => {
    const [a, b, enc, strip] = twoChannels.controls;
    expect(a && triggerForControl(twoChannels, a)).toEqual({ type: 'Note', note: 60, channel: 0 });
    expect(b && triggerForControl(twoChannels, b)).toEqual({ type: 'Note', note: 60, channel: 1 });
    const pad = virtual.controls.find((c) => c.id === 'pad-40');
    expect(pad && triggerForControl(virtual, pad)).toEqual({ type: 'Note', note: 40 });
    expect(enc && triggerForControl(twoChannels, enc)).toEqual({ type: 'EncoderTurn', cc: 10, direction: 'Clockwise', encoding: 'relative' });
    expect(strip && triggerForControl(twoChannels, strip)).toMatchObject({ type: 'PitchBend' });
    expect(enc && controlMessageText(enc)).toBe('CC 10 (relative)');
    expect(strip && controlMessageText(strip)).toBe('pitch bend');
  });
});
