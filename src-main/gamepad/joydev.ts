// Linux's joystick interface (/dev/input/jsN, the joydev driver): its 8-byte events, and how a controller's button
// and axis numbers become Conductor's ids. joydev already scales every axis to ±32767 from the device's own range, so
// no ioctl (no native module) is needed. Pure — never opens a device.
import type { GamepadInput } from '../../src-shared/gamepad';

/** One js_event: time (ms, u32), value (s16), type (u8: 1 button, 2 axis, | 0x80 for the initial state), number (u8). */
export interface JsEvent {
  timeMs: number;
  value: number;
  type: 'button' | 'axis';
  /** The initial state the driver sends when the device is opened (not a change). */
  initial: boolean;
  number: number;
}

export const JS_EVENT_BYTES = 8;
const JS_EVENT_BUTTON = 0x01;
const JS_EVENT_AXIS = 0x02;
const JS_EVENT_INIT = 0x80;

/** Decodes one event at `offset` (little-endian, as the kernel writes it on every platform Linux runs on here). */
export function decodeJsEvent(bytes: Uint8Array, offset = 0): JsEvent | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, JS_EVENT_BYTES);
  const rawType = view.getUint8(6);
  const kind = rawType & ~JS_EVENT_INIT;
  if (kind !== JS_EVENT_BUTTON && kind !== JS_EVENT_AXIS) return null;
  return { timeMs: view.getUint32(0, true), value: view.getInt16(4, true), type: kind === JS_EVENT_BUTTON ? 'button' : 'axis', initial: (rawType & JS_EVENT_INIT) !== 0, number: view.getUint8(7) };
}

/** Encodes one event (for tests and stand-in devices). */
export function encodeJsEvent(e: JsEvent): Uint8Array {
  const out = new Uint8Array(JS_EVENT_BYTES);
  const view = new DataView(out.buffer);
  view.setUint32(0, e.timeMs >>> 0, true);
  view.setInt16(4, e.value, true);
  view.setUint8(6, (e.type === 'button' ? JS_EVENT_BUTTON : JS_EVENT_AXIS) | (e.initial ? JS_EVENT_INIT : 0));
  view.setUint8(7, e.number);
  return out;
}

/** What one joydev axis is, in Conductor's terms. */
export type AxisRole =
  | { kind: 'stick'; id: number; invert: boolean }
  | { kind: 'trigger'; id: number }
  /** A D-pad reported as an axis (hat): −1 / +1 press the `negative` / `positive` button ids. */
  | { kind: 'hat'; negative: number; positive: number };

/** A controller family's numbering: joydev button n → Conductor id, axis n → role. */
export interface JoydevLayout {
  name: string;
  buttons: readonly number[];
  axes: readonly AxisRole[];
}

const STICKS_AND_TRIGGERS: readonly AxisRole[] = [
  { kind: 'stick', id: 128, invert: false },
  { kind: 'stick', id: 129, invert: true },
  { kind: 'trigger', id: 132 },
  { kind: 'stick', id: 130, invert: false },
  { kind: 'stick', id: 131, invert: true },
  { kind: 'trigger', id: 133 },
  { kind: 'hat', negative: 134, positive: 135 },
  { kind: 'hat', negative: 132, positive: 133 },
];

/** Xbox controllers (xpad): A B X Y LB RB Back Start Guide L3 R3. */
export const XBOX_LAYOUT: JoydevLayout = { name: 'Xbox (xpad)', buttons: [128, 129, 130, 131, 136, 137, 141, 140, 142, 138, 139], axes: STICKS_AND_TRIGGERS };

/** PlayStation controllers (hid-sony, hid-playstation): Cross Circle Triangle Square L1 R1 L2 R2 Share Options PS L3 R3. */
export const PLAYSTATION_LAYOUT: JoydevLayout = {
  name: 'PlayStation',
  buttons: [128, 129, 131, 130, 136, 137, 143, 144, 141, 140, 142, 138, 139],
  axes: STICKS_AND_TRIGGERS,
};

/** Any other controller: button n → 128 + n (wheels, HOTAS, sticks: learn them), axes as the common layout. */
export const GENERIC_LAYOUT: JoydevLayout = { name: 'generic', buttons: Array.from({ length: 128 }, (_, i) => 128 + i), axes: STICKS_AND_TRIGGERS };

/** The layout for a controller's name (/sys/class/input/jsN/device/name). */
export function layoutForName(name: string): JoydevLayout {
  const n = name.toLowerCase();
  if (/x-?box|xinput|microsoft/.test(n)) return XBOX_LAYOUT;
  if (/playstation|dualshock|dualsense|sony|wireless controller/.test(n)) return PLAYSTATION_LAYOUT;
  return GENERIC_LAYOUT;
}

/** Per controller: the state needed to turn joydev events into changes (hat directions held, trigger rest values). */
export class JoydevTranslator {
  private readonly hats = new Map<number, number>();

  constructor(private readonly layout: JoydevLayout) {}

  /** The Conductor inputs one joydev event means (none for the initial state or unmapped numbers). */
  translate(e: JsEvent): GamepadInput[] {
    if (e.initial) {
      // Remember where hats rest, report nothing.
      if (e.type === 'axis' && this.layout.axes[e.number]?.kind === 'hat') this.hats.set(e.number, Math.sign(e.value));
      return [];
    }
    if (e.type === 'button') {
      const id = this.layout.buttons[e.number];
      return id === undefined ? [] : [{ kind: 'button', id, pressed: e.value !== 0, value: e.value !== 0 ? 127 : 0 }];
    }
    const role = this.layout.axes[e.number];
    if (!role) return [];
    switch (role.kind) {
      case 'stick': {
        const v = Math.max(-1, Math.min(1, e.value / 32767));
        return [{ kind: 'axis', id: role.id, value: role.invert ? -v : v }];
      }
      case 'trigger':
        // joydev scales a trigger's 0…max to −32767…32767: at rest −32767.
        return [{ kind: 'trigger', id: role.id, value: Math.round(((e.value + 32767) / 65534) * 127) }];
      case 'hat': {
        const now = Math.sign(e.value);
        const before = this.hats.get(e.number) ?? 0;
        this.hats.set(e.number, now);
        if (now === before) return [];
        const out: GamepadInput[] = [];
        if (before !== 0) out.push({ kind: 'button', id: before < 0 ? role.negative : role.positive, pressed: false, value: 0 });
        if (now !== 0) out.push({ kind: 'button', id: now < 0 ? role.negative : role.positive, pressed: true, value: 127 });
        return out;
      }
    }
  }
}
