// Pause/resume of every mapping, on a real Core with its services and the virtual controller: paused, a pad press is
// still shown (monitor) and learnable but runs nothing; resumed, it runs. The tray's state and commands on the same core.
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidRequestError, type ContractEvent } from '../../src-shared/contract';
import type { UiState } from '../../src-shared/ui-state';
import type { EngineEvent } from '../../src-shared/engine';
import { startTestCore, type TestCore } from '../services/test-support/test-core';
import { buildTrayMenu, runTrayCommand, trayStateOf, watchTrayState, type TrayState } from './tray-menu';

const CONFIG = [
  '[[modes]]',
  'name = "Default"',
  '',
  '[[modes.mappings]]',
  'description = "wait a moment"',
  'trigger = { Note = { note = 36 } }',
  'action = { Delay = { ms = 1 } }',
  '',
  '[[modes]]',
  'name = "Rock & Roll"',
  '',
].join('\n');

let t: TestCore | null = null;
afterEach(async () => {
  await t?.stop();
  t = null;
});

/** Resolves with the first engine event that `match` accepts (events before the call are not seen). */
function nextEvent(core: TestCore['core'], match: (e: EngineEvent) => boolean): Promise<EngineEvent> {
  return new Promise((resolve) => {
    const stop = core.engine.onDidEngineEvent((e) => {
      if (!match(e)) return;
      stop();
      resolve(e);
    });
  });
}

/** Presses and releases pad 36; resolves once the release has reached the engine's event stream. */
async function tapPad(core: TestCore['core']): Promise<void> {
  const released = nextEvent(core, (e) => e.kind === 'midi' && e.event.message.type === 'noteOff' && e.event.message.note === 36);
  core.devices.virtualDevice.pressPad(36, 100);
  core.devices.virtualDevice.releasePad(36);
  await released;
}

describe('pausing mappings', () => {
  it('paused: the press is shown but no action runs; resumed: it runs — through the contract, with its event', async () => {
    t = await startTestCore({ configText: CONFIG });
    const { core, services } = t;
    const contractEvents: ContractEvent[] = [];
    services.onDidEmitEvent((e) => contractEvents.push(e));
    const seen: EngineEvent[] = [];
    core.engine.onDidEngineEvent((e) => seen.push(e));

    await expect(services.dispatch('app.paused', [])).resolves.toEqual({ paused: false });
    await expect(services.dispatch('app.setPaused', [true])).resolves.toEqual({ paused: true });
    expect(core.paused).toBe(true);
    expect(contractEvents.filter((e) => e.event === 'app.didChangePaused').map((e) => e.payload)).toEqual([{ paused: true }]);
    await expect(services.dispatch('app.setPaused', [true])).resolves.toEqual({ paused: true }); // no change, no event
    expect(contractEvents.filter((e) => e.event === 'app.didChangePaused')).toHaveLength(1);

    await tapPad(core);
    expect(seen.filter((e) => e.kind === 'midi')).toHaveLength(2); // the monitor still sees the press and release
    expect(seen.some((e) => e.kind === 'trigger' || e.kind === 'action-start' || e.kind === 'action-finish')).toBe(false);

    const finished = nextEvent(core, (e) => e.kind === 'action-finish');
    await expect(services.dispatch('app.setPaused', [false])).resolves.toEqual({ paused: false });
    await tapPad(core);
    await finished;
    expect(seen.filter((e) => e.kind === 'action-start')).toHaveLength(1);
    expect(contractEvents.filter((e) => e.event === 'app.didChangePaused').map((e) => e.payload)).toEqual([{ paused: true }, { paused: false }]);
  });

  it('a MIDI-learn session learns while paused, and its end does not resume the mappings', async () => {
    t = await startTestCore({ configText: CONFIG });
    const { core, learner } = t;
    core.setPaused(true);
    const learned = new Promise<string>((resolve) => {
      learner.onDidLearn((e) => {
        if (e.kind === 'learned') resolve(e.result.description);
      });
    });
    learner.start(10_000);
    core.devices.virtualDevice.pressPad(36, 100);
    core.devices.virtualDevice.releasePad(36);
    expect(await learned).toMatch(/36/);
    expect(learner.activeSessionId).toBeNull();
    expect(core.paused).toBe(true);

    const seen: EngineEvent[] = [];
    core.engine.onDidEngineEvent((e) => seen.push(e));
    await tapPad(core);
    expect(seen.some((e) => e.kind === 'action-start')).toBe(false);

    // …and a session during which the user resumes leaves the mappings off until it ends, then on.
    learner.start(10_000);
    core.setPaused(false);
    learner.cancel();
    const finished = nextEvent(core, (e) => e.kind === 'action-finish');
    await tapPad(core);
    await finished;
  });
});

describe('background settings through the contract', () => {
  it('saves them in ui_state.json and tells the desktop app (onDidSetUiState); refuses a malformed pause', async () => {
    const seen: UiState[] = [];
    t = await startTestCore({ configText: CONFIG, services: { onDidSetUiState: (state) => seen.push(state) } });
    const reply = await t.services.dispatch('app.setUiState', [{ background: { startAtLogin: true } }]);
    expect(reply).toMatchObject({ ok: true, state: { background: { keepRunningOnClose: true, startAtLogin: true } } });
    expect(seen.map((s) => s.background)).toEqual([{ keepRunningOnClose: true, startAtLogin: true }]);
    expect(JSON.parse(readFileSync(join(t.configDir, 'ui_state.json'), 'utf8'))).toMatchObject({ background: { keepRunningOnClose: true, startAtLogin: true } });
    await expect(t.services.dispatch('app.setUiState', [{ background: { startAtLogin: 'yes' } }])).rejects.toThrow(InvalidRequestError);
    await expect(t.services.dispatch('app.setPaused', ['yes'])).rejects.toThrow(InvalidRequestError);
    await expect(t.services.dispatch('app.setPaused', [])).rejects.toThrow(InvalidRequestError);
    expect(seen).toHaveLength(1);
  });
});

describe('the tray on a real core', () => {
  it('reads its state from the core and carries out its commands', async () => {
    t = await startTestCore({ configText: CONFIG });
    const { core } = t;
    const state = await trayStateOf(core);
    expect(state).toEqual({ connectedInputs: [], midiAvailable: expect.any(Boolean), mode: 'Default', modes: ['Default', 'Rock & Roll'], paused: false, failingPlugins: [], following: null });

    const menu = buildTrayMenu(state);
    const sub = menu.items.find((i) => i.id === 'switch-mode');
    const rock = sub?.type === 'submenu' ? sub.items[1] : undefined;
    expect(rock?.type === 'radio' ? rock.label : null).toBe('Rock && Roll');

    const calls: string[] = [];
    const target = { showWindow: () => calls.push('show'), openPath: (p: string) => calls.push(`open ${p}`), quit: () => calls.push('quit') };
    const states: TrayState[] = [];
    const stop = watchTrayState(core, (s) => states.push(s), 10);
    try {
      if (rock?.type !== 'radio') throw new Error('no radio item');
      expect(runTrayCommand(rock.command, core, target)).toBeNull();
      expect(core.engine.currentMode).toBe('Rock & Roll');
      expect(runTrayCommand({ kind: 'set-paused', paused: true }, core, target)).toBeNull();
      expect(core.paused).toBe(true);
      await expect.poll(() => states.at(-1), { timeout: 10_000 }).toMatchObject({ mode: 'Rock & Roll', paused: true });
      expect(runTrayCommand({ kind: 'set-mode', mode: 'Nowhere' }, core, target)).toMatch(/Nowhere/);
      runTrayCommand({ kind: 'show-window' }, core, target);
      runTrayCommand({ kind: 'open-config-file' }, core, target);
      runTrayCommand({ kind: 'open-config-folder' }, core, target);
      runTrayCommand({ kind: 'quit' }, core, target);
      expect(calls).toEqual(['show', `open ${t.configPath}`, `open ${t.configDir}`, 'quit']);
    } finally {
      stop();
    }
  });
});
