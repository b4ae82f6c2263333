// The built-in controller layouts (well formed, the devices' published notes and CCs), choosing a layout by device
// name and by hand, and learning a layout by pressing controls (growth, moving, renaming).
import { describe, expect, it } from 'vitest';
import { controlForMessage, layoutFromVirtual, type ControlDef, type ControllerLayout, type ControllerLayoutsState } from './controller-layout';
import { layoutProblem } from './controller-layout-schema';
import { BUILTIN_LAYOUTS, builtinLayoutFor, customLayoutId, emptyCustomLayout, growLayout, layoutForDevice, moveControl, renameControl } from './device-layouts';
import { DEFAULT_VIRTUAL_LAYOUT, type MidiMessage } from './midi';

const byId = (id: string): ControllerLayout => {
  const found = BUILTIN_LAYOUTS.find((l) => l.id === id);
  if (!found) throw new Error(`no built-in layout ${id}`);
  return found;
};
const control = (l: ControllerLayout, id: string): ControlDef => {
  const found = l.controls.find((c) => c.id === id);
  if (!found) throw new Error(`no control ${id} in ${l.id}`);
  return found;
};
const notesOf = (l: ControllerLayout, ids: readonly string[]): (number | null)[] => ids.map((id) => {
  const m = control(l, id).message;
  return m.type === 'note' ? m.note : null;
});
const ccsOf = (l: ControllerLayout, ids: readonly string[]): (number | null)[] => ids.map((id) => {
  const m = control(l, id).message;
  return m.type === 'cc' ? m.cc : null;
});
const range = (from: number, count: number): number[] => Array.from({ length: count }, (_, i) => from + i);
const at = (l: ControllerLayout, x: number, y: number): ControlDef | undefined => l.controls.find((c) => c.x === x && c.y === y);

const noteOn = (n: number, channel = 0): MidiMessage => ({ type: 'noteOn', channel, note: n, velocity: 100 });
const ccMsg = (n: number, channel = 0): MidiMessage => ({ type: 'controlChange', channel, controller: n, value: 64 });
const empty = (): ControllerLayoutsState => ({ custom: [], choices: {} });

describe('BUILTIN_LAYOUTS', () => {
  it('has the six controllers of issue #15, each a built-in with its LED scheme', () => {
    expect(BUILTIN_LAYOUTS.map((l) => [l.id, l.led, l.source])).toEqual([
      ['maschine-mikro-mk3', 'brightness', 'builtin'],
      ['apc-mini', 'apc-mini', 'builtin'],
      ['launchpad-mini', 'launchpad-mini', 'builtin'],
      ['nanokontrol2', 'brightness', 'builtin'],
      ['arturia-beatstep', 'brightness', 'builtin'],
      ['keyboard-25', 'none', 'builtin'],
    ]);
    expect(new Set(BUILTIN_LAYOUTS.map((l) => l.id)).size).toBe(BUILTIN_LAYOUTS.length);
  });

  describe.each(BUILTIN_LAYOUTS.map((l) => [l.id, l] as const))('%s', (_id, l) => {
    it('is well formed: unique ids, unique (message, channel), inside the grid, no overlapping cells', () => {
      expect(layoutProblem(l)).toBeNull();
      expect(new Set(l.controls.map((c) => c.id)).size).toBe(l.controls.length);
      const messages = l.controls.map((c) => `${JSON.stringify({ ...c.message, relative: undefined })}@${c.channel ?? l.channel}`);
      expect(new Set(messages).size).toBe(messages.length);
      const cells = new Map<string, string>();
      for (const c of l.controls) {
        expect(c.x, c.id).toBeGreaterThanOrEqual(0);
        expect(c.y, c.id).toBeGreaterThanOrEqual(0);
        expect(c.x + (c.w ?? 1), c.id).toBeLessThanOrEqual(l.columns);
        expect(c.y + (c.h ?? 1), c.id).toBeLessThanOrEqual(l.rows);
        for (let y = c.y; y < c.y + (c.h ?? 1); y++) {
          for (let x = c.x; x < c.x + (c.w ?? 1); x++) {
            const key = `${x},${y}`;
            expect(cells.get(key), `${c.id} overlaps ${cells.get(key) ?? ''} at ${key}`).toBeUndefined();
            cells.set(key, c.id);
          }
        }
      }
    });

    it('finds each of its controls from the message it sends', () => {
      for (const c of l.controls) {
        const channel = c.channel ?? l.channel;
        const m: MidiMessage =
          c.message.type === 'note' ? noteOn(c.message.note, channel) : c.message.type === 'cc' ? ccMsg(c.message.cc, channel) : { type: 'pitchBend', channel, value: 8192 };
        expect(controlForMessage(l, m)?.id).toBe(c.id);
      }
    });

    it('has labels a person can read, none twice', () => {
      expect(l.controls.every((c) => c.label.trim() !== '')).toBe(true);
      expect(new Set(l.controls.map((c) => c.label)).size).toBe(l.controls.length);
    });
  });

  it('Maschine Mikro MK3: 4×4 pads 36–51, bottom-left first; encoder, touch strip', () => {
    const l = byId('maschine-mikro-mk3');
    const pads = l.controls.filter((c) => c.kind === 'pad');
    expect(pads).toHaveLength(16);
    const bottom = Math.max(...pads.map((p) => p.y));
    const left = Math.min(...pads.map((p) => p.x));
    expect(at(l, left, bottom)?.message).toEqual({ type: 'note', note: 36 });
    expect(at(l, left + 3, bottom - 3)?.message).toEqual({ type: 'note', note: 51 });
    expect(notesOf(l, range(1, 16).map((i) => `pad-${i}`))).toEqual(range(36, 16));
    expect(control(l, 'encoder').kind).toBe('knob');
    expect(control(l, 'touch-strip').kind).toBe('touchstrip');
  });

  it('APC mini: grid 0–63 with row 0 at the bottom, tracks 64–71, scenes 82–89, shift 98, faders CC 48–56', () => {
    const l = byId('apc-mini');
    expect(at(l, 0, 7)?.message).toEqual({ type: 'note', note: 0 });
    expect(at(l, 7, 7)?.message).toEqual({ type: 'note', note: 7 });
    expect(at(l, 0, 0)?.message).toEqual({ type: 'note', note: 56 });
    expect(at(l, 7, 0)?.message).toEqual({ type: 'note', note: 63 });
    expect(notesOf(l, range(1, 8).map((i) => `track-${i}`))).toEqual(range(64, 8));
    expect(notesOf(l, range(1, 8).map((i) => `scene-${i}`))).toEqual(range(82, 8));
    expect(at(l, 8, 0)?.id).toBe('scene-1');
    expect(notesOf(l, ['shift'])).toEqual([98]);
    const faders = l.controls.filter((c) => c.kind === 'fader');
    expect(faders.map((f) => (f.message.type === 'cc' ? f.message.cc : null))).toEqual(range(48, 9));
  });

  it('Launchpad Mini: X-Y layout row × 16 + column, top buttons CC 104–111, scene notes 8, 24 … 120', () => {
    const l = byId('launchpad-mini');
    for (let row = 0; row < 8; row++) for (let col = 0; col < 8; col++) expect(at(l, col, row + 1)?.message).toEqual({ type: 'note', note: row * 16 + col });
    expect(ccsOf(l, range(1, 8).map((i) => `top-${i}`))).toEqual(range(104, 8));
    expect(notesOf(l, range(1, 8).map((i) => `scene-${i}`))).toEqual([8, 24, 40, 56, 72, 88, 104, 120]);
  });

  it('nanoKONTROL2: faders CC 0–7, knobs 16–23, S/M/R 32–39 / 48–55 / 64–71, transport 41–46 and 58–62', () => {
    const l = byId('nanokontrol2');
    const strip = (prefix: string): (number | null)[] => ccsOf(l, range(1, 8).map((i) => `${prefix}-${i}`));
    expect(strip('fader')).toEqual(range(0, 8));
    expect(strip('knob')).toEqual(range(16, 8));
    expect(strip('solo')).toEqual(range(32, 8));
    expect(strip('mute')).toEqual(range(48, 8));
    expect(strip('rec')).toEqual(range(64, 8));
    const transport = l.controls.filter((c) => c.kind === 'button' && c.message.type === 'cc' && (c.message.cc < 32 || c.message.cc > 71 || (c.message.cc > 39 && c.message.cc < 48) || (c.message.cc > 55 && c.message.cc < 64)));
    expect(transport.map((c) => (c.message.type === 'cc' ? c.message.cc : -1)).sort((a, b) => a - b)).toEqual([...range(41, 6), ...range(58, 5)]);
  });

  it('BeatStep: pads 44–51 on top and 36–43 below, 16 absolute encoders, big encoder CC 7', () => {
    const l = byId('arturia-beatstep');
    const pads = l.controls.filter((c) => c.kind === 'pad');
    const top = Math.min(...pads.map((p) => p.y));
    expect(pads.filter((p) => p.y === top).map((p) => (p.message.type === 'note' ? p.message.note : -1))).toEqual(range(44, 8));
    expect(pads.filter((p) => p.y === top + 1).map((p) => (p.message.type === 'note' ? p.message.note : -1))).toEqual(range(36, 8));
    expect(ccsOf(l, range(1, 16).map((i) => `encoder-${i}`))).toEqual([10, 74, 71, 76, 77, 93, 73, 75, 114, 18, 19, 16, 17, 91, 79, 72]);
    expect(l.controls.every((c) => c.message.type !== 'cc' || c.message.relative === undefined)).toBe(true);
    expect(ccsOf(l, ['encoder-big'])).toEqual([7]);
  });

  it('keyboard: 25 keys 48–72, black keys above the gaps between white keys, pitch bend and mod wheel CC 1', () => {
    const l = byId('keyboard-25');
    const keys = l.controls.filter((c) => c.kind === 'key');
    expect(keys.map((k) => (k.message.type === 'note' ? k.message.note : -1))).toEqual(range(48, 25));
    const white = keys.filter((k) => k.y === 1);
    const black = keys.filter((k) => k.y === 0);
    expect([white.length, black.length]).toEqual([15, 10]);
    expect(control(l, 'key-48').label).toBe('C2');
    // C#2 sits across C2 and D2.
    const [c, cSharp, d] = [control(l, 'key-48'), control(l, 'key-49'), control(l, 'key-50')];
    expect(cSharp.x).toBeGreaterThan(c.x);
    expect(cSharp.x).toBeLessThan(d.x);
    expect(control(l, 'pitch-bend')).toMatchObject({ kind: 'touchstrip', message: { type: 'pitchBend' } });
    expect(control(l, 'mod-wheel').message).toEqual({ type: 'cc', cc: 1 });
    expect(l.match).toEqual([]);
  });
});

describe('layoutForDevice', () => {
  it.each([
    ['APC MINI MIDI 1', 'apc-mini'],
    ['APC MINI:APC MINI MIDI 1 24:0', 'apc-mini'],
    ['Maschine Mikro MK3 MIDI', 'maschine-mikro-mk3'],
    ['Maschine Mikro MK3:Maschine Mikro MK3 MIDI 1 24:0', 'maschine-mikro-mk3'],
    ['Launchpad Mini:Launchpad Mini MIDI 1 20:0', 'launchpad-mini'],
    ['Launchpad Mini', 'launchpad-mini'],
    ['nanoKONTROL2 _ CTRL', 'nanokontrol2'],
    ['nanoKONTROL2:nanoKONTROL2 MIDI 1 28:0', 'nanokontrol2'],
    ['Arturia BeatStep', 'arturia-beatstep'],
    ['Arturia BeatStep:Arturia BeatStep MIDI 1 32:0', 'arturia-beatstep'],
    ['BEATSTEP', 'arturia-beatstep'],
  ])('%s → %s', (name, id) => {
    expect(layoutForDevice(name, empty())?.id).toBe(id);
  });

  it('does not take other models or unknown devices for a known one', () => {
    for (const name of ['APC mini mk2 Control', 'Launchpad Mini MK3 LPMiniMK3 MIDI', 'Arturia BeatStep Pro', 'nanoKEY2 KEYBOARD', 'IAC Driver Bus 1', 'USB Keyboard']) {
      expect(layoutForDevice(name, empty()), name).toBeNull();
    }
    expect(builtinLayoutFor('')).toBeNull();
  });

  it('a layout chosen by hand wins over the name (built-in, learned or the virtual one); a stale choice is ignored', () => {
    const virtual = layoutFromVirtual(DEFAULT_VIRTUAL_LAYOUT);
    const learned = { ...emptyCustomLayout('Weird Pad'), controls: [] };
    const state: ControllerLayoutsState = {
      custom: [learned],
      choices: { 'APC MINI MIDI 1': 'keyboard-25', 'Launchpad Mini': 'virtual', 'nanoKONTROL2 _ CTRL': learned.id, 'Arturia BeatStep': 'gone' },
    };
    expect(layoutForDevice('APC MINI MIDI 1', state)?.id).toBe('keyboard-25');
    expect(layoutForDevice('APC MINI MIDI 1 20:0', state)?.id).toBe('keyboard-25');
    expect(layoutForDevice('Launchpad Mini', state, virtual)).toBe(virtual);
    expect(layoutForDevice('Launchpad Mini', state)?.id).toBe('launchpad-mini');
    expect(layoutForDevice('nanoKONTROL2 _ CTRL', state)).toBe(learned);
    expect(layoutForDevice('Arturia BeatStep', state)?.id).toBe('arturia-beatstep');
  });

  it('the virtual controller gets its own layout; an unknown device its learned one, else null', () => {
    const virtual = layoutFromVirtual(DEFAULT_VIRTUAL_LAYOUT);
    expect(layoutForDevice(virtual.name, empty(), virtual)).toBe(virtual);
    const learned = emptyCustomLayout('Weird Pad:Weird Pad MIDI 1 20:0');
    expect(learned.id).toBe('custom:Weird Pad:Weird Pad MIDI 1');
    expect(layoutForDevice('Weird Pad:Weird Pad MIDI 1 24:0', { custom: [learned], choices: {} })).toBe(learned);
    expect(layoutForDevice('Weird Pad:Weird Pad MIDI 1 24:0', empty())).toBeNull();
    expect(customLayoutId('Weird Pad:Weird Pad MIDI 1 24:0')).toBe(learned.id);
  });
});

describe('learned layouts', () => {
  it('starts empty, one row of eight', () => {
    expect(emptyCustomLayout('My Pad')).toEqual({ id: 'custom:My Pad', name: 'My Pad', match: [], channel: 0, columns: 8, rows: 1, controls: [], led: 'brightness', source: 'custom' });
  });

  it('grows a pad per new note, a knob per new CC, a touch strip for pitch bend, in rows of 8', () => {
    let l = emptyCustomLayout('My Pad');
    for (let n = 60; n < 70; n++) l = growLayout(l, noteOn(n));
    l = growLayout(l, ccMsg(74));
    l = growLayout(l, { type: 'pitchBend', channel: 0, value: 9000 });
    expect(l.controls.map((c) => [c.label, c.kind, c.x, c.y])).toEqual([
      ...range(0, 8).map((i) => [`Pad ${i + 1}`, 'pad', i, 0]),
      ['Pad 9', 'pad', 0, 1],
      ['Pad 10', 'pad', 1, 1],
      ['Knob 1', 'knob', 2, 1],
      ['Touch strip 1', 'touchstrip', 3, 1],
    ]);
    expect(l.rows).toBe(2);
    expect(layoutProblem(l)).toBeNull();
    expect(controlForMessage(l, ccMsg(74))?.label).toBe('Knob 1');
  });

  it('returns the same layout for what it already has, releases and other messages, and for built-ins', () => {
    const l = growLayout(growLayout(emptyCustomLayout('P'), noteOn(36)), ccMsg(1));
    expect(growLayout(l, noteOn(36, 3))).toBe(l);
    expect(growLayout(l, ccMsg(1))).toBe(l);
    expect(growLayout(l, { type: 'noteOff', channel: 0, note: 40, velocity: 0 })).toBe(l);
    expect(growLayout(l, { type: 'programChange', channel: 0, program: 3 })).toBe(l);
    const apc = byId('apc-mini');
    expect(growLayout(apc, noteOn(120))).toBe(apc);
  });

  it('takes the channel of the first control; a control on another channel keeps its own', () => {
    const l = growLayout(growLayout(emptyCustomLayout('P'), noteOn(36, 9)), noteOn(37, 2));
    expect(l.channel).toBe(9);
    expect(l.controls.map((c) => c.channel)).toEqual([undefined, 2]);
  });

  it('fills a cell left free by a move before adding a row, and never reuses a label', () => {
    let l = emptyCustomLayout('P');
    for (let n = 0; n < 8; n++) l = growLayout(l, noteOn(n));
    l = moveControl(l, 'note-0', 0, 1); // into the new row below
    expect(l.rows).toBe(2);
    l = renameControl(l, 'note-1', 'Pad 9');
    l = growLayout(l, noteOn(100));
    expect(control(l, 'note-100')).toMatchObject({ x: 0, y: 0, label: 'Pad 10' });
  });

  it('moves a control to a free cell, swaps with one already there, clamps to the grid growing it by one', () => {
    let l = emptyCustomLayout('P');
    for (const n of [36, 37, 38]) l = growLayout(l, noteOn(n));
    const swapped = moveControl(l, 'note-36', 2, 0);
    expect(['note-36', 'note-37', 'note-38'].map((id) => [control(swapped, id).x, control(swapped, id).y])).toEqual([[2, 0], [1, 0], [0, 0]]);
    const free = moveControl(l, 'note-37', 5, 0);
    expect(control(free, 'note-37')).toMatchObject({ x: 5, y: 0 });
    const far = moveControl(l, 'note-38', 40, 30);
    expect(control(far, 'note-38')).toMatchObject({ x: 8, y: 1 });
    expect([far.columns, far.rows]).toEqual([9, 2]);
    const negative = moveControl(l, 'note-38', -3, -1);
    expect(control(negative, 'note-38')).toMatchObject({ x: 0, y: 0 });
    expect(control(negative, 'note-36')).toMatchObject({ x: 2, y: 0 });
    expect(layoutProblem(far)).toBeNull();
    expect(moveControl(l, 'note-36', 0, 0)).toBe(l);
    expect(moveControl(l, 'nope', 3, 0)).toBe(l);
  });

  it('does not swap when the other control would not fit in the cells left free', () => {
    const nano = byId('nanokontrol2');
    // A 1×1 button onto a 1×3 fader: the fader does not fit in the button's one cell.
    expect(moveControl(nano, 'solo-1', 4, 1)).toBe(nano);
    // Onto another 1×1 button: swapped.
    const swapped = moveControl(nano, 'solo-1', 3, 2);
    expect([control(swapped, 'solo-1').y, control(swapped, 'mute-1').y]).toEqual([2, 1]);
    expect(layoutProblem(swapped)).toBeNull();
  });

  it('renames a control (trimmed, at most 200 characters), ignoring empty names and unknown ids', () => {
    const l = growLayout(emptyCustomLayout('P'), noteOn(36));
    expect(control(renameControl(l, 'note-36', '  Kick  '), 'note-36').label).toBe('Kick');
    expect(control(renameControl(l, 'note-36', 'x'.repeat(300)), 'note-36').label).toHaveLength(200);
    expect(renameControl(l, 'note-36', '   ')).toBe(l);
    expect(renameControl(l, 'note-99', 'Snare')).toBe(l);
    expect(renameControl(l, 'note-36', 'Pad 1')).toBe(l);
  });
});
