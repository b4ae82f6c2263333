// The window's controller poller over a stand-in window (the browser's part: getGamepads, events, visibility, an
// interval ticked by hand): first press sent, only changes sent, hidden → released and gone, polling stops with no pad.
import { describe, expect, it } from 'vitest';
import { startGamepadPolling, type PadReport, type PollerWindow } from './poller';

interface StandIn {
  win: PollerWindow;
  pads: Array<Gamepad | null>;
  tick(): void;
  running(): boolean;
  hide(): void;
  show(): void;
  fire(type: 'gamepadconnected' | 'gamepaddisconnected', index: number): void;
}

function standIn(): StandIn {
  const target = new EventTarget();
  const doc = new EventTarget() as EventTarget & { visibilityState: DocumentVisibilityState };
  doc.visibilityState = 'visible';
  const pads: Array<Gamepad | null> = [null, null, null, null];
  let interval: (() => void) | null = null;
  const win = {
    addEventListener: target.addEventListener.bind(target),
    removeEventListener: target.removeEventListener.bind(target),
    setInterval: (fn: () => void) => {
      interval = fn;
      return 1;
    },
    clearInterval: () => {
      interval = null;
    },
    navigator: { getGamepads: () => pads.slice() },
    document: doc,
  } as unknown as PollerWindow;
  return {
    win,
    pads,
    tick: () => interval?.(),
    running: () => interval !== null,
    hide() {
      doc.visibilityState = 'hidden';
      doc.dispatchEvent(new Event('visibilitychange'));
    },
    show() {
      doc.visibilityState = 'visible';
      doc.dispatchEvent(new Event('visibilitychange'));
    },
    fire(type, index) {
      const e = new Event(type);
      Object.defineProperty(e, 'gamepad', { value: { index } });
      target.dispatchEvent(e);
    },
  };
}

function gamepad(pressed: number[] = [], axes = [0, 0, 0, 0]): Gamepad {
  const buttons = Array.from({ length: 17 }, (_, i) => ({ pressed: pressed.includes(i), touched: pressed.includes(i), value: pressed.includes(i) ? 1 : 0 }));
  return { id: 'Pad', index: 0, connected: true, mapping: 'standard', timestamp: 0, buttons, axes, hapticActuators: [], vibrationActuator: null } as unknown as Gamepad;
}

describe('the window controller poller', () => {
  it('sends the first press, then only changes; hidden, the pad is released and gone', () => {
    const s = standIn();
    const sent: PadReport[] = [];
    const stop = startGamepadPolling(s.win, (r) => sent.push(r));
    expect(sent).toEqual([]);
    expect(s.running()).toBe(false);

    s.pads[0] = gamepad([0]);
    s.fire('gamepadconnected', 0);
    expect(sent).toEqual([{ index: 0, name: 'Pad', connected: true, inputs: [{ kind: 'button', id: 128, pressed: true, value: 127 }] }]);
    expect(s.running()).toBe(true);
    s.tick();
    s.tick();
    expect(sent).toHaveLength(1);
    s.pads[0] = gamepad([0], [0, -0.5, 0, 0]);
    s.tick();
    expect(sent.at(-1)?.inputs).toEqual([{ kind: 'axis', id: 129, value: 0.5 }]);

    s.hide();
    expect(s.running()).toBe(false);
    expect(sent.at(-1)).toEqual({
      index: 0,
      name: 'Pad',
      connected: false,
      inputs: [
        { kind: 'button', id: 128, pressed: false, value: 0 },
        { kind: 'axis', id: 129, value: 0 },
      ],
    });
    s.show();
    expect(sent.at(-1)?.connected).toBe(true);
    stop();
  });

  it('a pad unplugged is released and said gone; with none left, polling stops', () => {
    const s = standIn();
    const sent: PadReport[] = [];
    s.pads[0] = gamepad([1]);
    const stop = startGamepadPolling(s.win, (r) => sent.push(r));
    expect(sent.at(-1)?.inputs).toEqual([{ kind: 'button', id: 129, pressed: true, value: 127 }]);
    s.pads[0] = null;
    s.fire('gamepaddisconnected', 0);
    expect(sent.at(-1)).toEqual({ index: 0, name: 'Pad', connected: false, inputs: [{ kind: 'button', id: 129, pressed: false, value: 0 }] });
    s.tick();
    expect(s.running()).toBe(false);
    stop();
  });
});
