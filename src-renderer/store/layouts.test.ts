// The layouts slice against a scripted main side: loaded after connecting, kept up to date by layouts.didChange,
// choices and learned layouts saved as the whole state (shown at once, saved in order), failures toasted and undone.
import { afterEach, describe, expect, it } from 'vitest';
import type { ControllerLayout, ControllerLayoutsState } from '../../src-shared/controller-layout';
import { emptyCustomLayout, growLayout } from '../../src-shared/device-layouts';
import { connectStore, deferred, FakeApi, FakeClient, flush, loadHandlers, type Handlers } from '../test-support/fake-api';
import { startBridge } from './bridge';
import { createAppStore } from './index';
import type { AppStore } from './types';

let stop: (() => void) | null = null;
afterEach(() => {
  stop?.();
  stop = null;
});

async function connected(handlers: Handlers = {}): Promise<{ api: FakeApi; store: AppStore }> {
  const c = await connectStore(handlers);
  stop = c.stop;
  return c;
}


const learned = (name: string, notes: readonly number[] = [36]): ControllerLayout =>
  notes.reduce((l, n) => growLayout(l, { type: 'noteOn', channel: 0, note: n, velocity: 100 }), emptyCustomLayout(name));

/** A main side that keeps the state and answers layouts.save as src-main/services/controller-layouts.ts does. */
function layoutsMain(initial: ControllerLayoutsState = { custom: [], choices: {} }): { main: { state: ControllerLayoutsState }; handlers: Handlers } {
  const main = { state: initial };
  return {
    main,
    handlers: {
      'layouts.get': () => ({ state: main.state, problem: null }),
      'layouts.save': (state) => {
        main.state = state as ControllerLayoutsState;
        return { ok: true, state: main.state };
      },
    },
  };
}

describe('layouts slice', () => {
  it('starts empty and not loaded, then holds what main has after connecting', async () => {
    const saved: ControllerLayoutsState = { custom: [learned('Weird Pad')], choices: { 'APC MINI MIDI 1': 'keyboard-25' } };
    const api = new FakeApi({ ...loadHandlers(), ...layoutsMain(saved).handlers });
    const store = createAppStore(api.api);
    expect(store.getState().controllerLayouts).toEqual({ custom: [], choices: {} });
    expect(store.getState().layoutsLoaded).toBe(false);
    stop = startBridge(store, new FakeClient(api));
    await flush();
    expect(store.getState().controllerLayouts).toEqual(saved);
    expect(store.getState().layoutsLoaded).toBe(true);
  });

  it('follows layouts.didChange (a save from another window)', async () => {
    const { api, store } = await connected(layoutsMain().handlers);
    const other: ControllerLayoutsState = { custom: [], choices: { 'Launchpad Mini': 'apc-mini' } };
    api.emit('layouts.didChange', other);
    expect(store.getState().controllerLayouts).toEqual(other);
  });

  it('chooses a layout per device (under its name without the ALSA numbers) and back to automatic', async () => {
    const { main, handlers } = layoutsMain();
    const { api, store } = await connected(handlers);
    expect(await store.getState().chooseLayout('Launchpad Mini:Launchpad Mini MIDI 1 20:0', 'apc-mini')).toBeNull();
    expect(main.state.choices).toEqual({ 'Launchpad Mini:Launchpad Mini MIDI 1': 'apc-mini' });
    expect(store.getState().controllerLayouts.choices).toEqual({ 'Launchpad Mini:Launchpad Mini MIDI 1': 'apc-mini' });
    expect(await store.getState().chooseLayout('Launchpad Mini:Launchpad Mini MIDI 1 24:0', null)).toBeNull();
    expect(main.state.choices).toEqual({});
    expect(api.callsOf('layouts.save')).toHaveLength(2);
  });

  it('adds, replaces and removes learned layouts; removing one drops the devices’ choices of it', async () => {
    const { main, handlers } = layoutsMain();
    const { store } = await connected(handlers);
    const pad = learned('Weird Pad');
    expect(await store.getState().saveCustomLayout(pad)).toBeNull();
    expect(await store.getState().chooseLayout('Other Pad', pad.id)).toBeNull();
    const grown = learned('Weird Pad', [36, 37]);
    expect(await store.getState().saveCustomLayout(grown)).toBeNull();
    expect(main.state.custom).toEqual([grown]);
    expect(await store.getState().saveCustomLayout(learned('Second'))).toBeNull();
    expect(main.state.custom.map((l) => l.id)).toEqual(['custom:Weird Pad', 'custom:Second']);
    expect(await store.getState().removeCustomLayout(pad.id)).toBeNull();
    expect(main.state).toEqual({ custom: [learned('Second')], choices: {} });
    expect(store.getState().controllerLayouts).toEqual(main.state);
  });

  it('shows an edit at once and saves edits in order, each on top of the one before', async () => {
    const { main } = layoutsMain();
    const gates: { resolve: () => void }[] = [];
    const { api, store } = await connected({
      'layouts.get': () => ({ state: main.state, problem: null }),
      'layouts.save': async (state) => {
        const gate = deferred<void>();
        gates.push({ resolve: () => gate.resolve() });
        await gate.promise;
        main.state = state as ControllerLayoutsState;
        return { ok: true, state: main.state };
      },
    });
    const first = store.getState().saveCustomLayout(learned('A'));
    const second = store.getState().chooseLayout('Dev', 'custom:A');
    // Both shown before main answered.
    expect(store.getState().controllerLayouts).toEqual({ custom: [learned('A')], choices: { Dev: 'custom:A' } });
    await flush();
    expect(api.callsOf('layouts.save')).toHaveLength(1); // the second waits for the first
    gates[0]?.resolve();
    expect(await first).toBeNull();
    await flush();
    expect(api.callsOf('layouts.save')).toHaveLength(2);
    expect(api.callsOf('layouts.save')[1]).toEqual([{ custom: [learned('A')], choices: { Dev: 'custom:A' } }]);
    gates[1]?.resolve();
    expect(await second).toBeNull();
    expect(store.getState().controllerLayouts).toEqual(main.state);
  });

  it('a refused or failed save returns its error, toasts it and goes back to what main has', async () => {
    let refuse = true;
    const { store } = await connected({
      'layouts.get': () => ({ state: { custom: [], choices: {} }, problem: null }),
      'layouts.save': () => {
        if (refuse) return { ok: false, error: 'the layouts were not saved: at most 64 learned layouts can be saved (got 65); remove some first' };
        throw new Error('connection lost');
      },
    });
    const error = await store.getState().saveCustomLayout(learned('A'));
    expect(error).toBe('the layouts were not saved: at most 64 learned layouts can be saved (got 65); remove some first');
    expect(store.getState().controllerLayouts).toEqual({ custom: [], choices: {} });
    expect(store.getState().toasts.at(-1)).toMatchObject({ tone: 'error', text: `Controller layout: ${error}` });
    refuse = false;
    expect(await store.getState().chooseLayout('Dev', 'apc-mini')).toBe('connection lost');
    expect(store.getState().controllerLayouts).toEqual({ custom: [], choices: {} });
    expect(store.getState().toasts.at(-1)).toMatchObject({ tone: 'error', text: 'Controller layout: connection lost' });
  });

  it('shows why a corrupt layouts file is not used', async () => {
    const { store } = await connected({ 'layouts.get': () => ({ state: { custom: [], choices: {} }, problem: '/c/controller-layouts.json is not used: not valid JSON' }) });
    expect(store.getState().layoutsLoaded).toBe(true);
    expect(store.getState().toasts.at(-1)).toMatchObject({ tone: 'error', text: '/c/controller-layouts.json is not used: not valid JSON' });
  });

  it('says so when the layouts cannot be loaded', async () => {
    const { store } = await connected({
      'layouts.get': () => {
        throw new Error('boom');
      },
    });
    expect(store.getState().layoutsLoaded).toBe(false);
    expect(store.getState().toasts.at(-1)?.text).toContain('controller layouts (boom)');
  });
});
