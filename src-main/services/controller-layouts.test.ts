// The controller layouts file in a real temp dir: save and reload, a corrupt or invalid file (reported, read as empty,
// kept until the user saves, then kept beside the new one), the limits refused with a sentence, saves in order.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ControllerLayout, ControllerLayoutsState } from '../../src-shared/controller-layout';
import { MAX_CUSTOM_LAYOUTS, MAX_LAYOUT_CONTROLS } from '../../src-shared/controller-layout-schema';
import { emptyCustomLayout, growLayout } from '../../src-shared/device-layouts';
import { ControllerLayoutStore, controllerLayoutsPath, parseLayoutsFile } from './controller-layouts';

let dir: string;
let path: string;
let logged: string[];
const open = (): ControllerLayoutStore => new ControllerLayoutStore(path, (m) => logged.push(m));

function learned(name: string, notes: readonly number[] = [36, 37]): ControllerLayout {
  return notes.reduce((l, n) => growLayout(l, { type: 'noteOn', channel: 0, note: n, velocity: 100 }), emptyCustomLayout(name));
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'conductor-layouts-'));
  path = controllerLayoutsPath(join(dir, 'config.toml'));
  logged = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('ControllerLayoutStore', () => {
  it('lives beside config.toml', () => {
    expect(path).toBe(join(dir, 'controller-layouts.json'));
  });

  it('reads a missing file as empty without a report, and writes nothing until a save', async () => {
    expect(await open().get()).toEqual({ custom: [], choices: {} });
    expect(logged).toEqual([]);
    expect(existsSync(path)).toBe(false);
  });

  it('saves the whole state, tells listeners, and a new store reads it back', async () => {
    const store = open();
    const seen: ControllerLayoutsState[] = [];
    store.onDidChange((s) => seen.push(s));
    const state: ControllerLayoutsState = { custom: [learned('Weird Pad')], choices: { 'APC MINI MIDI 1': 'keyboard-25' } };
    const reply = await store.save(state);
    expect(reply).toEqual({ ok: true, state });
    expect(seen).toEqual([state]);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(state);
    expect(await open().get()).toEqual(state);
  });

  it.each([
    ['not JSON', '{ "custom": [', /not valid JSON/],
    ['the wrong shape', JSON.stringify({ custom: 'nope', choices: {} }), /^custom: /],
    ['a control outside its grid', JSON.stringify({ custom: [{ ...learned('X'), rows: 1, controls: [{ ...learned('X').controls[0], y: 5 }] }], choices: {} }), /outside/],
  ])('reports %s, reads it as empty and keeps the file until the user saves', async (_what, text, problem) => {
    writeFileSync(path, text);
    const store = open();
    expect(await store.get()).toEqual({ custom: [], choices: {} });
    expect(store.problem).toMatch(problem);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain(path);
    expect(readFileSync(path, 'utf8')).toBe(text);
    // Saving replaces it, and the old text is kept beside it.
    const state: ControllerLayoutsState = { custom: [], choices: { 'Launchpad Mini': 'apc-mini' } };
    expect(await store.save(state)).toEqual({ ok: true, state });
    expect(readFileSync(`${path}.unreadable`, 'utf8')).toBe(text);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(state);
    expect(store.problem).toBeNull();
  });

  it('refuses states over the limits with a sentence that says which, and writes nothing', async () => {
    const store = open();
    const many = Array.from({ length: MAX_CUSTOM_LAYOUTS + 1 }, (_, i) => learned(`Pad ${i}`));
    const tooMany = await store.save({ custom: many, choices: {} });
    expect(tooMany).toEqual({ ok: false, error: `the layouts were not saved: at most ${MAX_CUSTOM_LAYOUTS} learned layouts can be saved (got ${MAX_CUSTOM_LAYOUTS + 1}); remove some first` });
    const big = learned('Big');
    const controls = Array.from({ length: MAX_LAYOUT_CONTROLS + 1 }, (_, i) => ({ ...big.controls[0], id: `c-${i}`, x: i % 8, y: Math.floor(i / 8) }));
    const tooBig = await store.save({ custom: [{ ...big, rows: 128, controls } as ControllerLayout], choices: {} });
    expect(tooBig).toMatchObject({ ok: false, error: expect.stringContaining(`at most ${MAX_LAYOUT_CONTROLS} can be saved`) });
    const longName = await store.save({ custom: [{ ...big, name: 'n'.repeat(201) }], choices: {} });
    expect(longName).toMatchObject({ ok: false, error: expect.stringContaining('at most 200 characters') });
    const longDevice = await store.save({ custom: [], choices: { ['d'.repeat(201)]: 'apc-mini' } });
    expect(longDevice).toMatchObject({ ok: false, error: expect.stringContaining('1 to 200 characters') });
    const notLearned = await store.save({ custom: [{ ...big, id: 'apc-mini', source: 'builtin' }], choices: {} });
    expect(notLearned).toMatchObject({ ok: false, error: expect.stringContaining('source "custom"') });
    const twice = await store.save({ custom: [big, big], choices: {} });
    expect(twice).toMatchObject({ ok: false, error: expect.stringContaining('two learned layouts') });
    expect(existsSync(path)).toBe(false);
  });

  it('runs saves one after another: the last one is what the file holds', async () => {
    const store = open();
    const states = Array.from({ length: 5 }, (_, i): ControllerLayoutsState => ({ custom: [], choices: { dev: `layout-${i}` } }));
    const replies = await Promise.all(states.map((s) => store.save(s)));
    expect(replies.every((r) => r.ok)).toBe(true);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(states[4]);
    expect(await store.get()).toEqual(states[4]);
  });

  it('reports a save that cannot be written', async () => {
    const blocked = new ControllerLayoutStore(join(dir, 'file-not-dir', 'controller-layouts.json'), (m) => logged.push(m));
    writeFileSync(join(dir, 'file-not-dir'), 'x');
    const reply = await blocked.save({ custom: [], choices: {} });
    expect(reply).toMatchObject({ ok: false, error: expect.stringContaining('the layouts were not saved') });
  });
});

describe('parseLayoutsFile', () => {
  it('accepts what a save writes and names the field of a wrong one', () => {
    const state: ControllerLayoutsState = { custom: [learned('A')], choices: {} };
    expect(parseLayoutsFile(JSON.stringify(state))).toEqual({ state });
    const wrong = parseLayoutsFile(JSON.stringify({ custom: [{ ...learned('A'), led: 'rainbow' }], choices: {} }));
    expect(wrong).toMatchObject({ problem: expect.stringMatching(/^custom\.0\.led: /) });
    expect(parseLayoutsFile('[]')).toMatchObject({ problem: expect.any(String) });
  });
});
