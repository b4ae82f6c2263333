// The device templates Conductor ships (resources/templates/<id>.toml): which exist, what they are for, and which
// template a connected device's port name calls for. Pure data and functions — no Node, Electron or DOM; never reads files.
import { BUILTIN_LAYOUTS, builtinLayoutFor } from './device-layouts';
import { portNameContains, stablePortName } from './port-match';

export type TemplateKind = 'midi' | 'gamepad';

/** A template as the CLI and the UI list it. */
export interface TemplateInfo {
  /** The file's name without `.toml`, and what `conductor config new --template` takes. */
  id: string;
  /** What the user reads, e.g. "Korg nanoKONTROL2". */
  title: string;
  kind: TemplateKind;
  /** Parts of a port or controller name (any case) that call for this template; empty: never offered by itself. */
  match: readonly string[];
  /** Parts of a name that mean another model: a name with one of them is never matched (MIDI: the layout's own list). */
  exclude: readonly string[];
  /**
   * MIDI templates: the on-screen layout of the same device (src-shared/device-layouts.ts). Its names (`match`) and its
   * rule for telling other models apart are the template's: one matching rule for both.
   */
  layoutId: string | null;
  /** One line on what the template maps. */
  summary: string;
}

const midi = (id: string, title: string, layoutId: string, summary: string): TemplateInfo => ({
  id,
  title,
  kind: 'midi',
  match: BUILTIN_LAYOUTS.find((l) => l.id === layoutId)?.match ?? [],
  exclude: [],
  layoutId,
  summary,
});
const gamepad = (id: string, title: string, match: string[], summary: string, exclude: string[] = []): TemplateInfo => ({ id, title, kind: 'gamepad', match, exclude, layoutId: null, summary });

/** Every template, in the order they are listed and matched (the first that matches wins). */
export const DEVICE_TEMPLATES: readonly TemplateInfo[] = [
  midi('maschine-mikro-mk3', 'Native Instruments Maschine Mikro MK3', 'maschine-mikro-mk3', 'Pads and buttons: transport, seek, system volume on the encoder; an editing mode'),
  midi('apc-mini', 'Akai APC mini', 'apc-mini', 'Track buttons: transport; grid: shortcuts; master fader: system volume'),
  midi('launchpad-mini', 'Novation Launchpad Mini', 'launchpad-mini', 'Scene buttons: transport; grid: shortcuts; round buttons: modes and volume'),
  midi('nanokontrol2', 'Korg nanoKONTROL2', 'nanokontrol2', 'Transport buttons: transport; S buttons: shortcuts; strip 8: system volume'),
  midi('beatstep', 'Arturia BeatStep', 'arturia-beatstep', 'Pads: transport and shortcuts; big encoder: system volume'),
  midi('keyboard-25', 'Generic 25-key keyboard', 'keyboard-25', 'White keys: transport; black keys: shortcuts; mod wheel: system volume'),
  gamepad('xbox', 'Xbox controller', ['Xbox', 'XInput', 'X-Box'], 'Media keys, system volume on the D-pad, a mouse-and-shortcuts mode'),
  gamepad('playstation', 'PlayStation controller (DualShock / DualSense)', ['DualSense', 'DualShock', 'PlayStation', 'Sony', 'Wireless Controller'], 'Media keys, system volume on the D-pad, a mouse-and-shortcuts mode'),
  gamepad('switch-pro', 'Nintendo Switch Pro Controller', ['Pro Controller', 'Switch Pro', 'Nintendo Switch'], 'Media keys, system volume on the D-pad, a mouse-and-shortcuts mode'),
  gamepad('racing-wheel', 'Racing wheel', ['Racing Wheel', 'Driving Force', 'G29', 'G920', 'G923', 'T300', 'T150', 'Fanatec', 'Wheel'], 'Paddles: volume; wheel buttons: stream and media hotkeys (F13–F16)'),
  gamepad('hotas', 'HOTAS (throttle and stick)', ['HOTAS', 'X52', 'X56', 'Warthog'], 'Hat: view keys; buttons: stream and sim hotkeys; throttle: system volume'),
  gamepad('flight-stick', 'Flight stick', ['Flight Stick', 'Extreme 3D', 'T.16000M', 'Joystick'], 'Trigger and thumb buttons: hotkeys; hat: arrows; stick: seek'),
];

/** A template by id or title (any case), or null. */
export function findTemplate(name: string, templates: readonly TemplateInfo[] = DEVICE_TEMPLATES): TemplateInfo | null {
  const wanted = name.trim().toLowerCase();
  return templates.find((t) => t.id === wanted || t.title.toLowerCase() === wanted) ?? null;
}

/** Whether a port or controller name calls for `template` (its layout's matching for MIDI, else its own names). */
export function templateMatches(template: TemplateInfo, deviceName: string): boolean {
  const name = stablePortName(deviceName);
  if (template.layoutId !== null) return builtinLayoutFor(name)?.id === template.layoutId;
  return !template.exclude.some((other) => portNameContains(name, other)) && template.match.some((part) => portNameContains(name, part));
}

/** The template a connected device's name calls for (first match in DEVICE_TEMPLATES order), or null. */
export function templateForDevice(deviceName: string, templates: readonly TemplateInfo[] = DEVICE_TEMPLATES): TemplateInfo | null {
  return templates.find((t) => templateMatches(t, deviceName)) ?? null;
}
