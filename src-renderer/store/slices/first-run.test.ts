import { afterEach, describe, expect, it } from 'vitest';
import type { AppConfig } from '../../../src-shared/config';
import type { EngineEvent } from '../../../src-shared/engine';
import { initialUiState, type UiState, type UiStatePatch } from '../../../src-shared/ui-state';
import { FakeApi, FakeClient, flush, loadHandlers, sampleConfig } from '../../test-support/fake-api';
import { startBridge } from '../bridge';
import { createAppStore } from '../index';
import type { AppStore } from '../types';
import { startFirstRunTracking } from './first-run';

const stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

/** A connected store over a fake main that keeps the UI state as main would (set merges the patch). */
async function firstRun(initial: UiState = initialUiState(true)): Promise<{ api: FakeApi; store: AppStore; saved: () => UiState }> {
  let state = initial;
  const api = new FakeApi({
    ...loadHandlers(),
    'app.uiState': () => state,
    'app.setUiState': (patch: UiStatePatch) => {
      state = { guide: patch.guide ?? state.guide, midiNoticeDismissed: patch.midiNoticeDismissed === undefined ? state.midiNoticeDismissed : patch.midiNoticeDismissed };
      return { ok: true, state };
    },
  });
  const store = createAppStore(api.api);
  stops.push(startBridge(store, new FakeClient(api)), startFirstRunTracking(store));
  await flush();
  return { api, store, saved: () => state };
}

const press = (seq: number, note: number): EngineEvent => ({ seq, at: seq, kind: 'midi', event: { deviceId: 'virtual:Virtual Controller', timestamp: seq, message: { type: 'noteOn', channel: 0, note, velocity: 100 } } });

function withPad40(config: AppConfig): AppConfig {
  return { ...config, modes: config.modes.map((m, i) => (i === 0 ? { ...m, mappings: [...m.mappings, { description: '', trigger: { type: 'Note', note: 40 }, action: { type: 'Keystroke', keys: 'space' } }] } : m)) };
}

describe('first-run slice and tracker', () => {
  it('loads the UI state with everything else', async () => {
    const { store } = await firstRun();
    expect(store.getState().uiStateLoaded).toBe(true);
    expect(store.getState().uiState?.guide.status).toBe('active');
  });

  it('a failed load leaves the guide hidden but marks the state loaded (the MIDI notice then shows)', async () => {
    const handlers = loadHandlers();
    delete handlers['app.uiState'];
    const api = new FakeApi(handlers);
    const store = createAppStore(api.api);
    stops.push(startBridge(store, new FakeClient(api)));
    await flush();
    expect(store.getState()).toMatchObject({ uiState: null, uiStateLoaded: true });
    expect(store.getState().toasts).toEqual([]);
  });

  it('ticks press → console → map from the store, saving each tick, and closes with a toast', async () => {
    const { api, store, saved } = await firstRun();
    api.emit('engine.didEmitEvent', press(1, 40));
    await flush();
    expect(saved().guide.presses.map((p) => p.key)).toEqual(['note:40']);
    store.getState().setView('console');
    await flush();
    expect(saved().guide.consoleSeen).toBe(true);
    api.emit('config.didChange', { config: withPad40(sampleConfig()), issues: [], path: '/tmp/c/config.toml' });
    await flush();
    expect(saved().guide).toMatchObject({ status: 'done', mapped: true });
    expect(store.getState().uiState?.guide.status).toBe('done');
    expect(store.getState().toasts.map((t) => t.text)).toEqual([expect.stringMatching(/^First steps done/)]);
    // Done is final: more presses save nothing.
    const calls = api.callsOf('app.setUiState').length;
    api.emit('engine.didEmitEvent', press(2, 41));
    await flush();
    expect(api.callsOf('app.setUiState')).toHaveLength(calls);
  });

  it('skip and the MIDI notice’s close are saved', async () => {
    const { store, saved } = await firstRun();
    await store.getState().skipGuide();
    expect(saved().guide.status).toBe('skipped');
    await store.getState().dismissMidiNotice();
    expect(saved().midiNoticeDismissed).toBe('MIDI unavailable: cannot open /dev/snd/seq');
  });

  it('an inactive guide is never touched', async () => {
    const { api, saved } = await firstRun(initialUiState(false));
    api.emit('engine.didEmitEvent', press(1, 40));
    await flush();
    expect(api.callsOf('app.setUiState')).toEqual([]);
    expect(saved().guide.status).toBe('off');
  });

  it('a refused save keeps the tick on screen and says it will not be remembered', async () => {
    const { api, store } = await firstRun();
    api.handlers['app.setUiState'] = () => ({ ok: false, error: 'disk full' });
    await store.getState().skipGuide();
    expect(store.getState().uiState?.guide.status).toBe('skipped');
    expect(store.getState().toasts.map((t) => t.text)).toEqual(['Not remembered for the next start: disk full']);
  });
});
