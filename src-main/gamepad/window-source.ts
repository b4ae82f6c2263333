// Game controllers as the app window sees them (Chromium's Gamepad API, polled by the renderer while the window is
// visible): its reports (gamepads.input) checked, clamped and rate-limited, then fired as GamepadEvents with the same
// onDidGamepad / onDidChangeControllers shape as the joydev source. Never trusts the renderer's values as they come.
import { Emitter, type Event } from '../../src-shared/emitter';
import { GAMEPAD_ID_MAX, GAMEPAD_ID_MIN, type GamepadEvent, type GamepadInput } from '../../src-shared/gamepad';
import type { CommandResult } from '../../src-shared/contract';
import type { Clock } from '../common/clock';

/** One report from the window, as the contract's schema lets it through (gamepads.input). */
export interface WindowGamepadReport {
  index: number;
  name: string;
  connected: boolean;
  inputs: readonly GamepadInput[];
}

/** A controller the window reported. */
export interface WindowControllerInfo {
  /** "gamepad:window0 Xbox Wireless Controller": the deviceId of its events. */
  id: string;
  index: number;
  name: string;
}

/** At most this many controllers (the Gamepad API has 4 slots in Chromium; 16 leaves room). */
export const MAX_WINDOW_CONTROLLERS = 16;
/** At most this many inputs in one report (a poll of a whole controller is ~25). */
export const MAX_INPUTS_PER_REPORT = 64;
/** Reports accepted per second, all controllers together (the renderer polls at ~60 Hz per controller). */
export const MAX_REPORTS_PER_SECOND = 480;
/** Longest controller name kept. */
const MAX_NAME_CHARS = 128;

export interface WindowGamepadSourceOptions {
  clock: Clock;
  /** Reports accepted per second (default MAX_REPORTS_PER_SECOND). */
  maxReportsPerSecond?: number;
}

export class WindowGamepadSource {
  private readonly events = new Emitter<GamepadEvent>();
  private readonly changes = new Emitter<void>();
  /** A controller's events (buttons, sticks, triggers). */
  readonly onDidGamepad: Event<GamepadEvent> = this.events.event;
  /** Controllers came or went. */
  readonly onDidChangeControllers: Event<void> = this.changes.event;
  private readonly pads = new Map<number, WindowControllerInfo>();
  private windowStart = 0;
  private reportsInWindow = 0;
  private disposed = false;

  constructor(private readonly options: WindowGamepadSourceOptions) {}

  /** The controllers the window has reported and not yet said gone. */
  get controllers(): WindowControllerInfo[] {
    return [...this.pads.values()];
  }

  /**
   * One report: the controller's inputs fire as events (ids outside Conductor's ranges dropped, values clamped); a
   * report past the rate limit, or of more inputs than allowed, is refused whole.
   */
  report(report: WindowGamepadReport): CommandResult {
    if (this.disposed) return { ok: false, error: 'game controller input has stopped' };
    if (!Number.isInteger(report.index) || report.index < 0 || report.index >= MAX_WINDOW_CONTROLLERS) return { ok: false, error: `controller index must be 0–${MAX_WINDOW_CONTROLLERS - 1}` };
    if (report.inputs.length > MAX_INPUTS_PER_REPORT) return { ok: false, error: `at most ${MAX_INPUTS_PER_REPORT} inputs per report` };
    const now = this.options.clock.now();
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.reportsInWindow = 0;
    }
    if (++this.reportsInWindow > (this.options.maxReportsPerSecond ?? MAX_REPORTS_PER_SECOND)) return { ok: false, error: 'too many game controller reports; slow down' };

    const name = cleanName(report.name) || `controller ${report.index}`;
    let changed = false;
    let pad = this.pads.get(report.index);
    if (pad && pad.name !== name) {
      // Another controller took the slot: the old one is gone.
      this.pads.delete(report.index);
      pad = undefined;
      changed = true;
    }
    if (!pad && report.connected) {
      pad = { id: `gamepad:window${report.index} ${name}`, index: report.index, name };
      this.pads.set(report.index, pad);
      changed = true;
    }
    const deviceId = pad?.id ?? `gamepad:window${report.index} ${name}`;
    for (const raw of report.inputs) {
      const input = sanitize(raw);
      if (input) this.events.fire({ deviceId, input, timestamp: now });
    }
    if (!report.connected && this.pads.delete(report.index)) changed = true;
    if (changed) this.changes.fire();
    return { ok: true };
  }

  dispose(): void {
    this.disposed = true;
    this.pads.clear();
    this.events.dispose();
    this.changes.dispose();
  }
}

/** Printable characters only, trimmed and cut to MAX_NAME_CHARS (the name goes into event logs and the UI). */
function cleanName(name: string): string {
  return name
    .replace(/\p{C}+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, MAX_NAME_CHARS);
}

/** The input with its id checked against its kind's range and its value clamped; null when it cannot be one. */
export function sanitize(input: GamepadInput): GamepadInput | null {
  const finite = Number.isFinite(input.value) ? input.value : 0;
  if (!Number.isInteger(input.id)) return null;
  switch (input.kind) {
    case 'button': {
      if (input.id < GAMEPAD_ID_MIN || input.id > GAMEPAD_ID_MAX) return null;
      const value = input.pressed ? Math.max(1, Math.min(127, Math.round(finite))) : 0;
      return { kind: 'button', id: input.id, pressed: input.pressed === true, value };
    }
    case 'axis':
      if (input.id < 128 || input.id > 131) return null;
      return { kind: 'axis', id: input.id, value: Math.max(-1, Math.min(1, finite)) };
    case 'trigger':
      if (input.id < 132 || input.id > 133) return null;
      return { kind: 'trigger', id: input.id, value: Math.max(0, Math.min(127, Math.round(finite))) };
    default:
      return null;
  }
}
