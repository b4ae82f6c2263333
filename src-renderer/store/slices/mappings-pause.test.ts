import { afterEach, describe, expect, it } from 'vitest';
import { applyUiStatePatch, backgroundSettings, DEFAULT_BACKGROUND, initialUiState, uiStateSchema, type UiState, type UiStatePatch } from '../../../src-shared/ui-state';
import { connectStore, flush, loadHandlers } from '../../test-support/fake-api';

const stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

describe('mappings pause slice', () => {
  it('loads the pause state, follows app.didChangePaused and sets it through app.setPaused', async () => {
    let paused = true;
    const { api, store, stop } = await connectStore({ ...loadHandlers(), 'app.paused': () => ({ paused }), 'app.setPaused': (p: boolean) => ({ paused: (paused = p) }) });
    stops.push(stop);
    expect(store.getState().mappingsPaused).toBe(true);
    expect(store.getState().paused).toBe(false); // the console's own pause is another thing

    await store.getState().setMappingsPaused(false);
    expect(api.callsOf('app.setPaused')).toEqual([[false]]);
    expect(store.getState()).toMatchObject({ mappingsPaused: false, settingMappingsPaused: false });

    api.emit('app.didChangePaused', { paused: true }); // the tray paused them
    await flush();
    expect(store.getState().mappingsPaused).toBe(true);
  });

  it('toasts a failed call and keeps the state', async () => {
    const { store, stop } = await connectStore({
      ...loadHandlers(),
      'app.setPaused': () => {
        throw new Error('core gone');
      },
    });
    stops.push(stop);
    await store.getState().setMappingsPaused(true);
    expect(store.getState().mappingsPaused).toBe(false);
    expect(store.getState().toasts.map((t) => t.text)).toContain('Pause mappings: core gone');
  });
});

describe('background settings (ui_state.json)', () => {
  it('default to keep running on and start at login off, also for a file written before they existed', () => {
    expect(backgroundSettings(null)).toEqual(DEFAULT_BACKGROUND);
    expect(DEFAULT_BACKGROUND).toEqual({ keepRunningOnClose: true, startAtLogin: false });
    const old = uiStateSchema.parse(JSON.parse(JSON.stringify(initialUiState(false))));
    expect(backgroundSettings(old)).toEqual(DEFAULT_BACKGROUND);
  });

  it('a patch changes only the settings it names and keeps the rest of the state', () => {
    const start = initialUiState(false);
    const once = applyUiStatePatch(start, { background: { startAtLogin: true } });
    expect(once).toEqual({ ...start, background: { keepRunningOnClose: true, startAtLogin: true } });
    const twice = applyUiStatePatch(once, { background: { keepRunningOnClose: false } });
    expect(twice.background).toEqual({ keepRunningOnClose: false, startAtLogin: true });
    expect(applyUiStatePatch(twice, { midiNoticeDismissed: 'x' }).background).toEqual(twice.background);
    expect(uiStateSchema.safeParse(twice).success).toBe(true);
    expect(uiStateSchema.safeParse({ ...twice, background: { keepRunningOnClose: 'yes', startAtLogin: true } }).success).toBe(false);
  });

  it('Settings saves a change through app.setUiState, shown at once', async () => {
    let state: UiState = initialUiState(false);
    const { api, store, stop } = await connectStore({
      ...loadHandlers(),
      'app.uiState': () => state,
      'app.setUiState': (patch: UiStatePatch) => ({ ok: true, state: (state = applyUiStatePatch(state, patch)) }),
    });
    stops.push(stop);
    await store.getState().setBackground({ keepRunningOnClose: false });
    expect(api.callsOf('app.setUiState')).toEqual([[{ background: { keepRunningOnClose: false } }]]);
    expect(backgroundSettings(store.getState().uiState)).toEqual({ keepRunningOnClose: false, startAtLogin: false });
    expect(state.background).toEqual({ keepRunningOnClose: false, startAtLogin: false });
  });
});
