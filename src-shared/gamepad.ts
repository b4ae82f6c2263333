// Game controllers as input (Conductor v3): the events a gamepad source delivers and Conductor's ids for them (MIDI
// uses 0–127, gamepads 128–255, so the two never clash). Pure types and constants — no reading of devices here.

/** Conductor's button ids. */
export const GAMEPAD_BUTTONS: Readonly<Record<number, string>> = Object.freeze({
  128: 'South (A / Cross)',
  129: 'East (B / Circle)',
  130: 'West (X / Square)',
  131: 'North (Y / Triangle)',
  132: 'D-pad up',
  133: 'D-pad down',
  134: 'D-pad left',
  135: 'D-pad right',
  136: 'L1 / LB',
  137: 'R1 / RB',
  138: 'L3 (left stick click)',
  139: 'R3 (right stick click)',
  140: 'Start',
  141: 'Select / Back',
  142: 'Guide / Home',
  143: 'L2 / LT (digital)',
  144: 'R2 / RT (digital)',
});

/** Conductor's stick axis ids: +1 is right (X) or up (Y) — "Clockwise"; −1 left or down — "CounterClockwise". */
export const GAMEPAD_AXES: Readonly<Record<number, string>> = Object.freeze({ 128: 'left stick X', 129: 'left stick Y', 130: 'right stick X', 131: 'right stick Y' });

/** Conductor's analog trigger ids. */
export const GAMEPAD_TRIGGERS: Readonly<Record<number, string>> = Object.freeze({ 132: 'left trigger (L2 / LT)', 133: 'right trigger (R2 / RT)' });

export const GAMEPAD_ID_MIN = 128;
export const GAMEPAD_ID_MAX = 255;
/** A stick inside this share of its travel is at rest (stick drift never fires a mapping). */
export const STICK_DEADZONE = 0.1;
/** GamepadTrigger's `threshold` when a config leaves it out (0–127). */
export const DEFAULT_TRIGGER_THRESHOLD = 64;

/** One change on a game controller, as a source (the app window's Gamepad API, a test) reports it. */
export type GamepadInput =
  /** A button went down (`pressed`) or up; `value` 0–127 is how far an analog button is pressed (127 when digital). */
  | { kind: 'button'; id: number; pressed: boolean; value: number }
  /** A stick axis moved: −1…1, +1 = right / up. */
  | { kind: 'axis'; id: number; value: number }
  /** An analog trigger moved: 0–127. */
  | { kind: 'trigger'; id: number; value: number };

/** A GamepadInput from one controller, with its name and when it happened (epoch ms). */
export interface GamepadEvent {
  /** The controller, e.g. "gamepad:0 Xbox Wireless Controller". */
  deviceId: string;
  input: GamepadInput;
  timestamp: number;
}

/** "South (A / Cross)", or "button 150" for an id without a name. */
export function gamepadButtonName(id: number): string {
  return GAMEPAD_BUTTONS[id] ?? `button ${id}`;
}

/** One input in words, for the event console and `conductor run`: "South (A / Cross) down", "left stick Y up 0.75". */
export function describeGamepadInput(input: GamepadInput): string {
  switch (input.kind) {
    case 'button':
      return `${gamepadButtonName(input.id)} ${input.pressed ? 'down' : 'up'}`;
    case 'axis': {
      const name = GAMEPAD_AXES[input.id] ?? `axis ${input.id}`;
      if (Math.abs(input.value) < STICK_DEADZONE) return `${name} centred`;
      const vertical = input.id === 129 || input.id === 131;
      const way = input.value > 0 ? (vertical ? 'up' : 'right') : vertical ? 'down' : 'left';
      return `${name} ${way} ${Math.abs(input.value).toFixed(2)}`;
    }
    case 'trigger':
      return `${GAMEPAD_TRIGGERS[input.id] ?? `trigger ${input.id}`} ${input.value}`;
  }
}

/**
 * Which step of its travel a stick or analog trigger is at (the event log shows a move only when this changes):
 * sticks −4…4 (quarters, 0 inside the dead zone), triggers 0…4. Null for a button: every change of one shows.
 */
export function gamepadInputStep(input: GamepadInput): number | null {
  switch (input.kind) {
    case 'button':
      return null;
    case 'axis':
      return Math.abs(input.value) < STICK_DEADZONE ? 0 : Math.round(input.value * 4);
    case 'trigger':
      return Math.round(input.value / 32);
  }
}
