// Chromium's Gamepad API (the app window's controllers) in Conductor's terms: the W3C "standard" mapping's buttons and
// axes to Conductor's ids (the same ids the Linux joydev source gives), and the diff between two polls. Pure — no DOM.
import { GAMEPAD_ID_MAX, GAMEPAD_ID_MIN, STICK_DEADZONE, type GamepadInput } from './gamepad';

/** One poll of one controller, as `navigator.getGamepads()` gives it (only the fields used; no DOM types here). */
export interface PadSnapshot {
  /** 'standard' when the browser knows the controller's layout (W3C standard gamepad), '' otherwise. */
  mapping: string;
  buttons: ReadonlyArray<{ pressed: boolean; value: number }>;
  axes: readonly number[];
}

/** A controller's state in Conductor's ids: buttons held (id → 0–127), stick axes (id → −1…1, up = +), triggers (0–127). */
export interface PadState {
  buttons: ReadonlyMap<number, number>;
  axes: ReadonlyMap<number, number>;
  triggers: ReadonlyMap<number, number>;
}

export const REST_STATE: PadState = Object.freeze({ buttons: new Map(), axes: new Map(), triggers: new Map() });

/** Standard button index → Conductor's button id (6 and 7, the analog triggers, are handled apart). */
const STANDARD_BUTTONS: Readonly<Record<number, number>> = {
  0: 128, // A / Cross (bottom)
  1: 129, // B / Circle (right)
  2: 130, // X / Square (left)
  3: 131, // Y / Triangle (top)
  4: 136, // LB / L1
  5: 137, // RB / R1
  8: 141, // Back / Select / Share
  9: 140, // Start / Options
  10: 138, // L3
  11: 139, // R3
  12: 132, // D-pad up
  13: 133, // D-pad down
  14: 134, // D-pad left
  15: 135, // D-pad right
  16: 142, // Guide / Home / PS
};
/** Standard button index of an analog trigger → its trigger id (0–127) and its digital button id. */
const STANDARD_TRIGGERS: Readonly<Record<number, { trigger: number; button: number }>> = { 6: { trigger: 132, button: 143 }, 7: { trigger: 133, button: 144 } };
/** Axis index → Conductor's axis id, and whether to negate it (the API has down = +, Conductor up = +). */
const AXES: ReadonlyArray<{ id: number; invert: boolean }> = [
  { id: 128, invert: false },
  { id: 129, invert: true },
  { id: 130, invert: false },
  { id: 131, invert: true },
];
/** An analog trigger at or past this (0–127) also holds its digital button (143 / 144). */
export const TRIGGER_BUTTON_THRESHOLD = 64;
/** Stick values are sent in steps of this; a move smaller than a step is jitter and not sent. */
export const AXIS_STEP = 0.02;

const finite = (v: number): number => (Number.isFinite(v) ? v : 0);
const to127 = (v: number): number => Math.round(Math.max(0, Math.min(1, finite(v))) * 127);

/** A stick value as sent: inside the dead zone 0, else rounded to AXIS_STEP and clamped to −1…1. */
export function quantizeAxis(v: number): number {
  const x = Math.max(-1, Math.min(1, finite(v)));
  if (Math.abs(x) < STICK_DEADZONE) return 0;
  return Number((Math.round(x / AXIS_STEP) * AXIS_STEP).toFixed(2));
}

/** A poll in Conductor's ids: the standard mapping when the browser knows it, else button n → 128 + n, axes 0–3 → 128–131. */
export function padState(pad: PadSnapshot): PadState {
  const buttons = new Map<number, number>();
  const axes = new Map<number, number>();
  const triggers = new Map<number, number>();
  const standard = pad.mapping === 'standard';
  pad.buttons.forEach((b, i) => {
    const value = b.pressed ? Math.max(1, to127(b.value)) : 0;
    if (standard) {
      const t = STANDARD_TRIGGERS[i];
      if (t) {
        const analog = to127(b.value);
        triggers.set(t.trigger, analog);
        if (analog >= TRIGGER_BUTTON_THRESHOLD) buttons.set(t.button, analog);
        return;
      }
      const id = STANDARD_BUTTONS[i];
      if (id !== undefined && b.pressed) buttons.set(id, value);
      return;
    }
    const id = GAMEPAD_ID_MIN + i;
    if (id <= GAMEPAD_ID_MAX && b.pressed) buttons.set(id, value);
  });
  AXES.forEach((a, i) => {
    const raw = pad.axes[i];
    if (raw === undefined) return;
    axes.set(a.id, quantizeAxis(a.invert ? -raw : raw));
  });
  return { buttons, axes, triggers };
}

/**
 * What changed from `before` to `after`, as GamepadInputs: buttons released then pressed, moved sticks (a change of
 * at least one step; a stick back in the dead zone is sent once as 0), moved triggers. Nothing when nothing changed.
 */
export function diffPadState(before: PadState, after: PadState): GamepadInput[] {
  const out: GamepadInput[] = [];
  for (const id of before.buttons.keys()) if (!after.buttons.has(id)) out.push({ kind: 'button', id, pressed: false, value: 0 });
  for (const [id, value] of after.buttons) if (!before.buttons.has(id)) out.push({ kind: 'button', id, pressed: true, value: Math.max(1, value) });
  for (const id of new Set([...before.axes.keys(), ...after.axes.keys()])) {
    const was = before.axes.get(id) ?? 0;
    const now = after.axes.get(id) ?? 0;
    if (now !== was) out.push({ kind: 'axis', id, value: now });
  }
  for (const id of new Set([...before.triggers.keys(), ...after.triggers.keys()])) {
    const was = before.triggers.get(id) ?? 0;
    const now = after.triggers.get(id) ?? 0;
    if (now !== was) out.push({ kind: 'trigger', id, value: now });
  }
  return out;
}
