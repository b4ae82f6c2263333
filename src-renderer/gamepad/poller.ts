// Polls the window's game controllers (Chromium's Gamepad API) while the page is visible and hands each controller's
// changes, in Conductor's ids, to `send`. Never runs while hidden (the API gives nothing then) and never sends an unchanged state.
import type { GamepadInput } from '../../src-shared/gamepad';
import { diffPadState, padState, REST_STATE, type PadState } from '../../src-shared/gamepad-standard';

/** What one send carries: one controller's changes (as gamepads.input takes them). */
export interface PadReport {
  index: number;
  name: string;
  connected: boolean;
  inputs: GamepadInput[];
}

/** The parts of `window` the poller uses (a test passes the real window with a stand-in `navigator.getGamepads`). */
export type PollerWindow = Pick<Window, 'addEventListener' | 'removeEventListener' | 'setInterval' | 'clearInterval'> & {
  readonly navigator: { getGamepads?: () => ArrayLike<Gamepad | null> };
  readonly document: Pick<Document, 'visibilityState' | 'addEventListener' | 'removeEventListener'>;
};

/** ~60 Hz, the rate controllers are usually read at. */
export const POLL_INTERVAL_MS = 16;
/** Controller slots reported (main refuses higher indexes). */
const MAX_INDEX = 16;
/** Inputs per report (main refuses more). */
const MAX_INPUTS = 64;

/**
 * Starts polling: at POLL_INTERVAL_MS while the page is visible and some controller is there (a `gamepadconnected`
 * starts it, a poll that finds none stops it). Hidden or stopped, every known controller is reported gone with its
 * buttons released, so nothing stays held in main. Returns the stop function.
 */
export function startGamepadPolling(win: PollerWindow, send: (report: PadReport) => void, intervalMs = POLL_INTERVAL_MS): () => void {
  const known = new Map<number, { name: string; state: PadState }>();
  let timer: number | null = null;
  let stopped = false;

  const report = (index: number, name: string, connected: boolean, inputs: GamepadInput[]): void => {
    if (inputs.length === 0) {
      send({ index, name, connected, inputs: [] });
      return;
    }
    for (let at = 0; at < inputs.length; at += MAX_INPUTS) send({ index, name, connected: connected || at + MAX_INPUTS < inputs.length, inputs: inputs.slice(at, at + MAX_INPUTS) });
  };
  const forget = (index: number): void => {
    const was = known.get(index);
    if (!was) return;
    known.delete(index);
    report(index, was.name, false, diffPadState(was.state, REST_STATE));
  };
  const pads = (): Gamepad[] => {
    try {
      return Array.from(win.navigator.getGamepads?.() ?? []).filter((p): p is Gamepad => p !== null && p.connected && p.index >= 0 && p.index < MAX_INDEX);
    } catch {
      return []; // a permissions policy can forbid the API
    }
  };
  const poll = (): void => {
    if (stopped) return;
    const seen = new Set<number>();
    for (const pad of pads()) {
      seen.add(pad.index);
      const was = known.get(pad.index);
      if (was && was.name !== pad.id) forget(pad.index);
      const before = known.get(pad.index);
      const after = padState({ mapping: pad.mapping, buttons: [...pad.buttons], axes: [...pad.axes] });
      known.set(pad.index, { name: pad.id, state: after });
      const inputs = diffPadState(before?.state ?? REST_STATE, after);
      if (inputs.length > 0 || !before) report(pad.index, pad.id, true, inputs);
    }
    for (const index of [...known.keys()]) if (!seen.has(index)) forget(index);
    if (known.size === 0) stopTimer();
  };
  const stopTimer = (): void => {
    if (timer !== null) win.clearInterval(timer);
    timer = null;
  };
  const run = (): void => {
    if (stopped || win.document.visibilityState !== 'visible') return;
    poll();
    if (known.size > 0 && timer === null) timer = win.setInterval(poll, intervalMs);
  };
  const onVisibility = (): void => {
    if (win.document.visibilityState === 'visible') return run();
    stopTimer();
    for (const index of [...known.keys()]) forget(index);
  };
  const onDisconnected = (e: Event): void => {
    const index = (e as GamepadEvent).gamepad?.index;
    if (typeof index === 'number') forget(index);
  };
  win.addEventListener('gamepadconnected', run);
  win.addEventListener('gamepaddisconnected', onDisconnected);
  win.document.addEventListener('visibilitychange', onVisibility);
  run();
  return () => {
    stopTimer();
    for (const index of [...known.keys()]) forget(index);
    stopped = true;
    win.removeEventListener('gamepadconnected', run);
    win.removeEventListener('gamepaddisconnected', onDisconnected);
    win.document.removeEventListener('visibilitychange', onVisibility);
  };
}
