// Unit tests of control-summary.ts: which mappings a control shows in a mode (mode's first, then global), its label,
// marks, accessible name, the control names in words, the device drawn, and which control "follow" selects.
import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMING, type AppConfig, type Mapping } from '../../src-shared/config';
import { layoutFromVirtual } from '../../src-shared/controller-layout';
import type { EngineEvent } from '../../src-shared/engine';
import { DEFAULT_VIRTUAL_LAYOUT, type DeviceInfo, type MidiMessage } from '../../src-shared/midi';
import { controlAriaLabel, deviceInUse, drawnInput, followedControl, layoutControlName, mappingLabel, scopeOfKey, shownMappings, summariseControls, triggerWords } from './control-summary';

const layout = layoutFromVirtual(DEFAULT_VIRTUAL_LAYOUT);
const pad = (n: number) => {
  const c = layout.controls.find((x) => x.label === `Pad ${n}`);
  if (!c) throw new Error(`no Pad ${n}`);
  return c;
};

const play: Mapping = { description: 'Play / pause', trigger: { type: 'Note', note: 36 }, action: { type: 'Keystroke', keys: 'space' } };
const hold: Mapping = { description: '', trigger: { type: 'LongPress', note: 36 }, action: { type: 'Text', text: 'held' } };
const toB: Mapping = { description: '', trigger: { type: 'Note', note: 37 }, action: { type: 'ModeChange', mode: 'B' } };
const chord: Mapping = { description: 'Chord', trigger: { type: 'NoteChord', notes: [38, 39] }, action: { type: 'Text', text: 'c' } };
const knob: Mapping = { description: 'Volume', trigger: { type: 'CC', cc: 1 }, action: { type: 'Keystroke', keys: 'up' } };
const globalStop: Mapping = { description: 'Stop all', trigger: { type: 'Note', note: 51 }, action: { type: 'Shell', command: 'stop' } };
const globalOn36: Mapping = { description: '', trigger: { type: 'Note', note: 36, channel: 0 }, action: { type: 'Delay', ms: 5 } };

function config(): AppConfig {
  return {
    device: { name: null, autoConnect: true, autoReconnect: true, port: null },
    wasm: { requireSignature: false, allowSelfSigned: false, limits: {} },
    timing: { ...DEFAULT_TIMING },
    modes: [
      { name: 'A', color: '#ff0000', mappings: [play, hold, toB, chord, knob] },
      { name: 'B', color: null, mappings: [{ ...toB, action: { type: 'ModeChange', mode: 'A' } }] },
    ],
    globalMappings: [globalStop, globalOn36],
  };
}

describe('shownMappings', () => {
  it('lists the mode’s mappings then the global ones; the Global tab shows the global ones only', () => {
    const shown = shownMappings(config(), 'm0');
    expect(shown.map((s) => s.key)).toEqual(['m0:0', 'm0:1', 'm0:2', 'm0:3', 'm0:4', 'g:0', 'g:1']);
    expect(shown.filter((s) => s.global).map((s) => s.mapping.description)).toEqual(['Stop all', '']);
    expect(shownMappings(config(), 'g').map((s) => s.key)).toEqual(['g:0', 'g:1']);
    expect(scopeOfKey('m3')).toEqual({ kind: 'mode', modeIndex: 3 });
    expect(scopeOfKey('g')).toEqual({ kind: 'global' });
  });
});

describe('summariseControls', () => {
  const problems = new Map<string, string[]>([['m0:2', ['mode must name a mode']]]);
  const summaries = summariseControls(layout, config(), 'm0', (k) => problems.get(k) ?? []);

  it('labels a control by its first mapping’s description, else its action in words, with the action kind', () => {
    expect(summaries.get(pad(1).id)?.label).toBe('Play / pause');
    expect(summaries.get(pad(1).id)?.actionType).toBe('Keystroke');
    expect(summaries.get(pad(2).id)?.label).toBe(mappingLabel(toB));
    expect(summaries.get(pad(2).id)?.actionType).toBe('ModeChange');
    expect(summaries.get('knob-1')?.label).toBe('Volume');
    expect(summaries.get(pad(5).id)?.label).toBeNull();
    expect(summaries.get(pad(5).id)?.mappings).toEqual([]);
  });

  it('marks several triggers on one control (press + long press + a global on the same note), and chords on each of their notes', () => {
    const one = summaries.get(pad(1).id);
    expect(one?.several).toBe(true);
    expect(one?.mappings.map((s) => s.key)).toEqual(['m0:0', 'm0:1', 'g:1']);
    expect(one?.title.split('\n')).toEqual(['Play / pause', 'Type "held"', 'Global: Wait 5 ms']);
    expect(summaries.get(pad(3).id)?.label).toBe('Chord');
    expect(summaries.get(pad(4).id)?.label).toBe('Chord');
    expect(summaries.get(pad(3).id)?.several).toBe(false);
  });

  it('marks global mappings and problems', () => {
    expect(summaries.get(pad(16).id)?.global).toBe(true);
    expect(summaries.get(pad(16).id)?.label).toBe('Stop all');
    expect(summaries.get(pad(1).id)?.global).toBe(true);
    expect(summaries.get(pad(5).id)?.global).toBe(false);
    expect(summaries.get(pad(2).id)?.problems).toEqual(['mode must name a mode']);
    expect(summaries.get(pad(1).id)?.problems).toEqual([]);
  });

  it('switches with the mode: another mode’s labels, the global ones stay', () => {
    const b = summariseControls(layout, config(), 'm1', () => []);
    expect(b.get(pad(1).id)?.label).toBe('Wait 5 ms');
    expect(b.get(pad(2).id)?.label).toBe(mappingLabel({ ...toB, action: { type: 'ModeChange', mode: 'A' } }));
    expect(b.get('knob-1')?.label).toBeNull();
    expect(b.get(pad(16).id)?.label).toBe('Stop all');
  });

  it('names controls for screen readers: "Pad 1, note 36: Play / pause (and 2 more)"', () => {
    expect(controlAriaLabel(pad(1), summaries.get(pad(1).id))).toBe('Pad 1, note 36: Play / pause (and 2 more)');
    expect(controlAriaLabel(pad(5), summaries.get(pad(5).id))).toBe('Pad 5, note 40: not mapped');
  });
});

describe('control names', () => {
  it('names a trigger by the layout’s control, with the trigger in words after it', () => {
    expect(layoutControlName(layout, { type: 'Note', note: 40 })).toBe('Pad 5');
    expect(layoutControlName(layout, { type: 'NoteChord', notes: [36, 40] })).toBe('Pad 1 + Pad 5');
    expect(layoutControlName(layout, { type: 'CC', cc: 2 })).toBe('Knob 2');
    expect(layoutControlName(layout, { type: 'Note', note: 90 })).toBeNull();
    expect(layoutControlName(null, { type: 'Note', note: 40 })).toBeNull();
    expect(triggerWords(layout, { type: 'Note', note: 40 })).toBe('Pad 5 · Note E1 (40)');
    expect(triggerWords(layout, { type: 'Note', note: 90 })).toBe('Note F#5 (90)');
  });
});

describe('deviceInUse', () => {
  const dev = (name: string, over: Partial<DeviceInfo> = {}): DeviceInfo => ({ id: `hw-in:${name}`, name, kind: 'hardware', direction: 'input', state: 'connected', detail: null, ...over });
  const devices = [dev('Virtual', { id: 'virtual:Virtual', kind: 'virtual' }), dev('nanoKONTROL2 MIDI 1', { direction: 'output', id: 'hw-out:nano' }), dev('Launchpad Mini'), dev('APC MINI MIDI 1')];
  it('is the connected hardware input named by [device] name (any case), else the first one, else none', () => {
    expect(deviceInUse('apc mini', devices)?.name).toBe('APC MINI MIDI 1');
    expect(deviceInUse(null, devices)?.name).toBe('Launchpad Mini');
    expect(deviceInUse('BeatStep', devices)?.name).toBe('Launchpad Mini');
    expect(deviceInUse(null, [devices[0] as DeviceInfo, dev('APC', { state: 'disconnected' })])).toBeNull();
  });

  it('drawnInput: the input picked by hand while it is connected, else the one in use, else the virtual controller', () => {
    const withPorts = [dev('Conductor', { id: 'virtual:Conductor', kind: 'virtual' }), dev('Virtual Controller', { id: 'virtual:Virtual Controller', kind: 'virtual' }), ...devices.slice(1)];
    expect(drawnInput(null, 'apc', withPorts)?.name).toBe('APC MINI MIDI 1');
    expect(drawnInput('virtual:Virtual Controller', 'apc', withPorts)?.name).toBe('Virtual Controller');
    expect(drawnInput('hw-in:Launchpad Mini', null, withPorts)?.name).toBe('Launchpad Mini');
    // Picked, then unplugged: back to automatic.
    expect(drawnInput('hw-in:Gone', 'apc', withPorts)?.name).toBe('APC MINI MIDI 1');
    expect(drawnInput(null, null, withPorts.slice(0, 2))?.name).toBe('Virtual Controller');
    expect(drawnInput(null, null, [])).toBeNull();
  });
});

describe('followedControl', () => {
  let seq = 0;
  const midi = (message: MidiMessage, deviceId = 'virtual:Virtual Controller'): EngineEvent => ({ kind: 'midi', seq: ++seq, at: seq, event: { deviceId, message, timestamp: seq } });
  const virtualOnly = (id: string) => id.startsWith('virtual:');
  it('is the newest press of an accepted device after the given seq (releases and unknown controls skipped)', () => {
    const events = [midi({ type: 'noteOn', channel: 0, note: 36, velocity: 90 }), midi({ type: 'noteOn', channel: 0, note: 40, velocity: 90 }), midi({ type: 'noteOff', channel: 0, note: 40, velocity: 0 }), midi({ type: 'noteOn', channel: 0, note: 99, velocity: 9 })];
    expect(followedControl(layout, events, 0, virtualOnly)?.label).toBe('Pad 5');
    expect(followedControl(layout, events, events[1]?.seq ?? 0, virtualOnly)).toBeNull();
    const more = [...events, midi({ type: 'controlChange', channel: 0, controller: 3, value: 10 }), midi({ type: 'noteOn', channel: 0, note: 37, velocity: 1 }, 'hw-in:Other')];
    expect(followedControl(layout, more, 0, virtualOnly)?.label).toBe('Knob 3');
    expect(followedControl(layout, more, 0, () => true)?.label).toBe('Pad 2');
  });
});
