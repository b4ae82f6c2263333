import { describe, expect, it } from 'vitest';
import type { AppConfig } from '../../src-shared/config';
import { sampleConfig } from '../test-support/fake-api';
import * as D from './draft';

const m0 = (index: number): D.MappingLocation => ({ scope: { kind: 'mode', modeIndex: 0 }, index });
const g = (index: number): D.MappingLocation => ({ scope: { kind: 'global' }, index });

describe('draft edits', () => {
  it('round-trips location keys', () => {
    expect(D.locationKey(m0(3))).toBe('m0:3');
    expect(D.locationKey(g(1))).toBe('g:1');
    expect(D.parseLocationKey('m2:5')).toEqual({ scope: { kind: 'mode', modeIndex: 2 }, index: 5 });
    expect(D.parseLocationKey('g:0')).toEqual(g(0));
    expect(D.parseLocationKey('x')).toBeNull();
  });

  it('adds, updates, duplicates, moves and deletes mappings without touching the input', () => {
    const before = sampleConfig();
    const frozen = structuredClone(before);
    const { config: added, location } = D.addMapping(before, { kind: 'mode', modeIndex: 1 });
    expect(location).toEqual({ scope: { kind: 'mode', modeIndex: 1 }, index: 0 });
    expect(added.modes[1]?.mappings).toHaveLength(1);

    const updated = D.updateMapping(before, m0(0), (m) => ({ ...m, description: 'Hi' }));
    expect(updated.modes[0]?.mappings[0]?.description).toBe('Hi');
    expect(updated.modes[1]).toBe(before.modes[1]);

    const dup = D.duplicateMapping(before, m0(0));
    expect(dup.location).toEqual(m0(1));
    expect(dup.config.modes[0]?.mappings.map((m) => m.description)).toEqual(['Hello', 'Hello (copy)', 'To edit']);

    const moved = D.moveMapping(before, m0(0), 1);
    expect(moved.modes[0]?.mappings.map((m) => m.description)).toEqual(['To edit', 'Hello']);
    expect(D.moveMapping(before, m0(0), -1).modes[0]?.mappings.map((m) => m.description)).toEqual(['Hello', 'To edit']);

    const deleted = D.deleteMapping(before, g(0));
    expect(deleted.globalMappings).toEqual([]);
    expect(before).toEqual(frozen);
  });

  it('renames a mode and the ModeChange actions naming it, also nested ones', () => {
    const c = sampleConfig();
    c.globalMappings.push({ description: '', trigger: { type: 'Note', note: 50 }, action: { type: 'Sequence', actions: [{ type: 'Repeat', count: 2, action: { type: 'ModeChange', mode: 'Edit' } }] } });
    const renamed = D.renameMode(c, 1, 'Editing');
    expect(renamed.modes.map((m) => m.name)).toEqual(['Default', 'Editing']);
    expect(renamed.modes[0]?.mappings[1]?.action).toEqual({ type: 'ModeChange', mode: 'Editing' });
    expect(renamed.globalMappings[1]?.action).toEqual({ type: 'Sequence', actions: [{ type: 'Repeat', count: 2, action: { type: 'ModeChange', mode: 'Editing' } }] });
    // index-based and relative ModeChange are left alone
    expect(renamed.globalMappings[0]?.action).toEqual({ type: 'ModeChange', mode: 0 });
  });

  it('adds modes with fresh names and removes them with their mappings', () => {
    const c = D.addMode(D.addMode(sampleConfig()));
    expect(c.modes.map((m) => m.name)).toEqual(['Default', 'Edit', 'Mode 3', 'Mode 4']);
    expect(D.removeMode(c, 0).modes.map((m) => m.name)).toEqual(['Edit', 'Mode 3', 'Mode 4']);
  });
});

describe('triggers', () => {
  it('keeps note and channel when switching trigger type', () => {
    expect(D.defaultTrigger('LongPress', { type: 'Note', note: 40, channel: 2 })).toEqual({ type: 'LongPress', note: 40, channel: 2 });
    expect(D.defaultTrigger('NoteChord', { type: 'Note', note: 36 })).toEqual({ type: 'NoteChord', notes: [36, 40, 43] });
    expect(D.defaultTrigger('EncoderTurn', { type: 'CC', cc: 7 })).toEqual({ type: 'EncoderTurn', cc: 7, direction: 'Clockwise' });
  });

  it('turns a learned note into a velocity range at the velocity level', () => {
    expect(D.levelOfVelocity(20)).toBe('soft');
    expect(D.levelOfVelocity(41)).toBe('medium');
    expect(D.levelOfVelocity(127)).toBe('hard');
    expect(D.toVelocityRange({ type: 'Note', note: 36, channel: 0 }, 100)).toEqual({ type: 'VelocityRange', note: 36, minVelocity: 81, maxVelocity: 127, level: 'hard', channel: 0 });
    expect(D.toVelocityRange({ type: 'Note', note: 38 }, 60)).toEqual({ type: 'VelocityRange', note: 38, minVelocity: 41, maxVelocity: 80, level: 'medium' });
  });

  it('drops a VelocityRange level once min/max no longer match it', () => {
    expect(D.normaliseVelocityRange({ type: 'VelocityRange', note: 1, minVelocity: 0, maxVelocity: 40, level: 'soft' })).toHaveProperty('level', 'soft');
    expect(D.normaliseVelocityRange({ type: 'VelocityRange', note: 1, minVelocity: 5, maxVelocity: 40, level: 'soft' })).not.toHaveProperty('level');
  });

  it('has a default for every action type', () => {
    expect(D.defaultAction('ModeChange', ['A', 'B'])).toEqual({ type: 'ModeChange', mode: 'A' });
    expect(D.defaultAction('Sequence').type).toBe('Sequence');
  });
});

describe('unsaved changes', () => {
  it('compares structurally, including bigint and Date, ignoring undefined members', () => {
    const a = sampleConfig();
    const b = sampleConfig();
    expect(D.hasUnsavedChanges(a, b)).toBe(false);
    expect(D.deepEqual({ x: 1, y: undefined }, { x: 1 })).toBe(true);
    expect(D.deepEqual({ n: 1n }, { n: 2n })).toBe(false);
    expect(D.deepEqual(new Date(1), new Date(1))).toBe(true);
    expect(D.deepEqual([1, 2], { 0: 1, 1: 2 })).toBe(false);
    const edited: AppConfig = D.updateMapping(a, m0(1), (m) => ({ ...m, description: 'changed' }));
    expect(D.hasUnsavedChanges(edited, b)).toBe(true);
    expect(D.hasUnsavedChanges(null, b)).toBe(false);
  });

  it('counts changed mappings, modes and settings', () => {
    const base = sampleConfig();
    let c = D.updateMapping(base, m0(0), (m) => ({ ...m, description: 'x' }));
    c = D.addMapping(c, { kind: 'global' }).config;
    c = D.renameMode(c, 1, 'Other');
    expect(D.countChanges(c, base)).toBe(4); // mapping edited, global added, mode renamed, ModeChange following the rename
    expect(D.countChanges(base, base)).toBe(0);
    // A mode's apps or LED keys are a change of that mode; [led_settings] a change of the settings.
    const modes = base.modes.map((m, i) => (i === 0 ? { ...m, apps: ['code'], led: { scheme: 'static' as const } } : m));
    expect(D.countChanges({ ...base, modes }, base)).toBe(1);
    expect(D.countChanges({ ...base, led: { brightness: 10 } }, base)).toBe(1);
  });

  it('counts by content, not position: deleting, moving or inserting one mapping is one change', () => {
    let base = sampleConfig();
    for (let i = 0; i < 4; i++) base = D.addMapping(base, { kind: 'mode', modeIndex: 0 }, { description: `M${i}`, trigger: { type: 'Note', note: 40 + i }, action: { type: 'Text', text: `t${i}` } }).config;
    expect(base.modes[0]?.mappings).toHaveLength(6);
    expect(D.countChanges(D.deleteMapping(base, m0(0)), base)).toBe(1);
    expect(D.countChanges(D.moveMapping(base, m0(2), 1), base)).toBe(1);
    expect(D.countChanges(D.duplicateMapping(base, m0(0)).config, base)).toBe(1);
    const editedTwice = D.updateMapping(D.updateMapping(base, m0(1), (m) => ({ ...m, description: 'a' })), m0(1), (m) => ({ ...m, description: 'b' }));
    expect(D.countChanges(editedTwice, base)).toBe(1);
    const deleteAndEdit = D.updateMapping(D.deleteMapping(base, m0(0)), m0(3), (m) => ({ ...m, description: 'changed' }));
    expect(D.countChanges(deleteAndEdit, base)).toBe(2);
  });

  it('counts a mode added, removed or recoloured once, and an edit undone by hand as none', () => {
    const base = sampleConfig();
    expect(D.countChanges(D.addMode(base), base)).toBe(1);
    expect(D.countChanges(D.removeMode(base, 0), base)).toBe(1);
    const recoloured: AppConfig = { ...base, modes: base.modes.map((m, i) => (i === 1 ? { ...m, color: 'red' } : m)) };
    expect(D.countChanges(recoloured, base)).toBe(1);
    const back = D.updateMapping(D.updateMapping(base, m0(0), (m) => ({ ...m, description: 'x' })), m0(0), (m) => ({ ...m, description: base.modes[0]?.mappings[0]?.description ?? '' }));
    expect(D.countChanges(back, base)).toBe(0);
  });

  it('listChanges: edits pair with removals in the same place; moves count once', () => {
    expect(D.listChanges([1, 2, 3], [1, 2, 3])).toBe(0);
    expect(D.listChanges([1, 2, 3], [1, 9, 3])).toBe(1);
    expect(D.listChanges([1, 2, 3], [3, 1, 2])).toBe(1);
    expect(D.listChanges([1, 2, 3], [])).toBe(3);
    expect(D.listChanges([], [1, 2])).toBe(2);
    expect(D.listChanges([1, 2, 3, 4], [2, 1, 4, 3])).toBe(2);
  });
});

describe('rebaseDraft', () => {
  it('keeps the sections the draft changed and takes the others from the running config', () => {
    const baseline = sampleConfig();
    const draft = D.addMapping(baseline, { kind: 'global' }).config;
    const running: AppConfig = { ...baseline, wasm: { ...baseline.wasm, requireSignature: true, limits: { echo: { fuelPerCall: 2_000_000 } } } };
    const saved = D.rebaseDraft(draft, baseline, running);
    expect(saved.globalMappings).toEqual(draft.globalMappings);
    expect(saved.wasm).toEqual(running.wasm);
    expect(saved.modes).toBe(baseline.modes);
  });

  it('a section the draft changed wins, and a section gone from the running config is dropped unless the draft changed it', () => {
    const baseline: AppConfig = { ...sampleConfig(), extra: { custom: 1 } };
    const draft: AppConfig = { ...baseline, device: { ...baseline.device, name: 'Pads' } };
    const running: AppConfig = { ...sampleConfig(), device: { ...baseline.device, name: 'Other' } };
    delete running.extra;
    const saved = D.rebaseDraft(draft, baseline, running);
    expect(saved.device.name).toBe('Pads');
    expect(saved.extra).toBeUndefined();
  });
});

describe('setModeColor', () => {
  it('sets, changes and clears a mode colour without touching the input; counts as one change', () => {
    const before = sampleConfig();
    const frozen = structuredClone(before);
    expect(before.modes[0]?.color).toBeNull();
    const green = D.setModeColor(before, 0, 'green');
    expect(green.modes[0]?.color).toBe('green');
    expect(green.modes[1]).toBe(before.modes[1]);
    expect(D.countChanges(green, before)).toBe(1);
    expect(D.setModeColor(green, 0, ' #FF0000 ').modes[0]?.color).toBe('#FF0000');
    expect(D.setModeColor(green, 0, null).modes[0]?.color).toBeNull();
    expect(D.setModeColor(green, 0, '  ').modes[0]?.color).toBeNull();
    expect(D.setModeColor(green, 0, 'green')).toBe(green);
    expect(D.setModeColor(before, 9, 'red')).toBe(before);
    expect(before).toEqual(frozen);
  });
});
