// LED colours on the way out: a mode's `color` (a name or "#RRGGBB") as RGB, velocity bands, and a lit pad's colour
// as the note-on velocity each kind of device expects (palette index, APC mini / Launchpad Mini codes, brightness, on/off).
// Pure functions — never sends MIDI, never keeps state.
import type { LedScheme } from '../../src-shared/controller-layout';
import { hsv, LED_PALETTE } from '../../src-shared/led-colours';

/** A colour with its brightness already applied: red, green, blue 0–255 (black = off). */
export type Rgb = readonly [number, number, number];

export const BLACK: Rgb = [0, 0, 0];

/** How a device takes a pad's colour: a layout's LED scheme, or a plain on/off device (`on_velocity` / `off_velocity`). */
export type LedOutputKind = LedScheme | 'on-off';

/** `[led_settings.midi]` values the conversion needs. */
export interface LedVelocities {
  onVelocity: number;
  offVelocity: number;
}

/** The mode colour names Conductor's docs use, and a few more people write. */
const NAMED: Readonly<Record<string, string>> = {
  red: '#ff0000',
  orange: '#ff8000',
  amber: '#ffbf00',
  yellow: '#ffff00',
  lime: '#80ff00',
  green: '#00ff00',
  teal: '#00ff80',
  cyan: '#00ffff',
  blue: '#0000ff',
  indigo: '#4000ff',
  purple: '#8000ff',
  violet: '#8000ff',
  magenta: '#ff00ff',
  pink: '#ff0080',
  white: '#ffffff',
};

/** A mode without a colour (or with one no one can read) shows white. */
export const DEFAULT_MODE_COLOUR: Rgb = [255, 255, 255];

export function hexRgb(hex: string): Rgb | null {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex.trim());
  return m ? [parseInt(m[1] ?? '0', 16), parseInt(m[2] ?? '0', 16), parseInt(m[3] ?? '0', 16)] : null;
}

/** A mode's `color` ("blue", "#FF8800", "#f80" is not accepted) as RGB; null when it is neither a known name nor #RRGGBB. */
export function modeColour(color: string | null): Rgb | null {
  if (color === null) return null;
  const named = NAMED[color.trim().toLowerCase()];
  return hexRgb(named ?? color);
}

/** Reactive's velocity bands (Conductor's): soft ≤ 40 green, medium ≤ 80 yellow, hard red. */
export function velocityBandColour(velocity: number): Rgb {
  if (velocity <= 40) return [0, 255, 0];
  if (velocity <= 80) return [255, 255, 0];
  return [255, 0, 0];
}

/** A fully saturated colour of `hue` degrees. */
export function hueRgb(hue: number): Rgb {
  return hexRgb(hsv(hue, 1, 1)) ?? BLACK;
}

/** `c` at `level` (0–1). */
export function scaled(c: Rgb, level: number): Rgb {
  const l = Math.max(0, Math.min(1, level));
  return [c[0] * l, c[1] * l, c[2] * l];
}

/** From `a` (t = 0) to `b` (t = 1). */
export function mix(a: Rgb, b: Rgb, t: number): Rgb {
  const k = Math.max(0, Math.min(1, t));
  return [a[0] + (b[0] - a[0]) * k, a[1] + (b[1] - a[1]) * k, a[2] + (b[2] - a[2]) * k];
}

const brightest = (c: Rgb): number => Math.max(c[0], c[1], c[2]);

/** Below this (out of 255) a pad counts as dark on every device. */
const DARK = 8;

const PALETTE_RGB: readonly Rgb[] = LED_PALETTE.map((hex) => hexRgb(hex) ?? BLACK);

/** The palette velocity (1–127) nearest to `c`, or 0 when `c` is dark. */
function paletteVelocity(c: Rgb): number {
  if (brightest(c) < DARK) return 0;
  let best = 1;
  let bestDistance = Infinity;
  for (let v = 1; v < PALETTE_RGB.length; v++) {
    const p = PALETTE_RGB[v] ?? BLACK;
    const d = (p[0] - c[0]) ** 2 + (p[1] - c[1]) ** 2 + (p[2] - c[2]) ** 2;
    if (d < bestDistance) {
      best = v;
      bestDistance = d;
    }
  }
  return best;
}

/** APC mini: 1 green, 3 red, 5 yellow (no blinking); dark below a fifth of full brightness. */
function apcMiniVelocity(c: Rgb): number {
  const top = brightest(c);
  if (top < 255 * 0.2) return 0;
  const [r, g] = c;
  if (r >= top * 0.6 && g >= top * 0.6) return 5;
  return r > g ? 3 : 1;
}

/** Launchpad Mini: red (bits 0–1) and green (bits 4–5) levels 0–3, with the copy and clear flags (a steady light). Blue counts as green. */
function launchpadMiniVelocity(c: Rgb): number {
  const [r, g, b] = c;
  const red = Math.round((3 * r) / 255);
  const green = Math.round((3 * (r === 0 && g === 0 ? b : g)) / 255);
  if (red === 0 && green === 0) return 0;
  return red | (green << 4) | 0x0c;
}

/**
 * The note-on velocity that shows `c` (brightness included) on a device of `kind`; null = send nothing (a device
 * without LEDs). 'palette' = the nearest LED_PALETTE entry; 'brightness' = its brightness 0–127; 'on-off' = on at half
 * brightness or more.
 */
export function velocityFor(kind: LedOutputKind, c: Rgb, v: LedVelocities): number | null {
  switch (kind) {
    case 'none':
      return null;
    case 'palette':
      return paletteVelocity(c);
    case 'apc-mini':
      return apcMiniVelocity(c);
    case 'launchpad-mini':
      return launchpadMiniVelocity(c);
    case 'brightness':
      return brightest(c) < DARK ? 0 : Math.max(1, Math.round((127 * brightest(c)) / 255));
    case 'on-off':
      return brightest(c) >= 127.5 ? v.onVelocity : v.offVelocity;
  }
}

/** The velocity that turns a pad of `kind` off. */
export function offVelocity(kind: LedOutputKind, v: LedVelocities): number {
  return kind === 'on-off' ? v.offVelocity : 0;
}
