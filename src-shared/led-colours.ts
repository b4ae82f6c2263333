// LED feedback colours: what a pad of a given device shows for the velocity of a note-on sent to it (the scheme comes
// from the device's layout). Pure functions only — never imports Node, Electron or DOM APIs, never keeps state.
import type { RgbColour } from './config';
import type { LedScheme } from './controller-layout';

/** A lit pad: `colour` is always `#rrggbb`; `level` is its brightness 0–1 (draw it mixed into the unlit pad). */
export interface LedLight {
  colour: string;
  level: number;
  /** The device blinks this LED (APC mini's odd velocities, Launchpad Mini's flash flag). */
  blink?: boolean;
}

/** The single colour of 'brightness' devices (a blue close to the app's accent, readable in both themes). */
export const LED_SINGLE_COLOUR = '#4f86f7';

const hex2 = (n: number): string =>
  Math.round(Math.min(255, Math.max(0, n)))
    .toString(16)
    .padStart(2, '0');
const rgb = (r: number, g: number, b: number): string => `#${hex2(r)}${hex2(g)}${hex2(b)}`;

/** HSV (hue in degrees, saturation and value 0–1) as `#rrggbb`. */
export function hsv(hue: number, saturation: number, value: number): string {
  const h = (((hue % 360) + 360) % 360) / 60;
  const c = value * saturation;
  const x = c * (1 - Math.abs((h % 2) - 1));
  const m = value - c;
  const [r, g, b] = h < 1 ? [c, x, 0] : h < 2 ? [x, c, 0] : h < 3 ? [0, c, x] : h < 4 ? [0, x, c] : h < 5 ? [x, 0, c] : [c, 0, x];
  return rgb((r + m) * 255, (g + m) * 255, (b + m) * 255);
}

/** The four shades of each hue in 4–63 (like the RGB pad controllers' palettes: light, full, dim, dimmest). */
const SHADES: readonly (readonly [saturation: number, value: number])[] = [
  [0.55, 1],
  [1, 1],
  [1, 0.55],
  [1, 0.28],
];
const PALETTE_HUES = 15;

function buildPalette(): readonly string[] {
  const palette: string[] = ['#000000', '#3c3c3c', '#9a9a9a', '#ffffff'];
  for (let hue = 0; hue < PALETTE_HUES; hue++) {
    for (const [s, v] of SHADES) palette.push(hsv((hue * 360) / PALETTE_HUES, s, v));
  }
  for (let i = 0; i < 64; i++) palette.push(hsv((i * 360) / 64, 1, 1));
  return Object.freeze(palette);
}

/**
 * The 128-colour velocity palette of 'palette' devices (the virtual controller, RGB pad controllers), indexed by
 * velocity: 0 off (black); 1–3 white at three brightnesses (dim grey, grey, white); 4–63 fifteen hues 24° apart from
 * red (red, orange, amber, …, magenta, pink), four entries each — light (pastel), full, dim, dimmest — so 4 is light
 * red, 5 red, 6 dim red, 7 dimmest red, 9 orange, 13 amber, 25 green, 45 blue, 57 magenta; 64–127 the whole colour wheel
 * in 64 steps at full brightness, starting at red (64) through green (~85), blue (~107) back towards red.
 */
export const LED_PALETTE: readonly string[] = buildPalette();

const APC_GREEN = '#26d94a';
const APC_MINI: Readonly<Record<number, readonly [colour: string, blink: boolean]>> = {
  1: [APC_GREEN, false],
  2: [APC_GREEN, true],
  3: ['#f0302a', false],
  4: ['#f0302a', true],
  5: ['#f5c518', false],
  6: ['#f5c518', true],
};

/** Launchpad Mini (MK1) bi-colour LED: red bits 0–1, green bits 4–5 (0–3 each), flags in bits 2–3. */
function launchpadMini(velocity: number): LedLight | null {
  const red = velocity & 0x03;
  const green = (velocity >> 4) & 0x03;
  const brightest = Math.max(red, green);
  if (brightest === 0) return null;
  // Red and green LEDs together look amber rather than yellow: green counts a little less in the mix.
  const colour = rgb((red / brightest) * 255, (green / brightest) * 0.8 * 255, 0);
  // Flags: copy (bit 3) without clear (bit 2) is the reference's "flashing" value (11 red, 56 green, 59 amber).
  const blink = (velocity & 0x0c) === 0x08;
  return { colour, level: brightest / 3, ...(blink ? { blink } : {}) };
}

/**
 * What a pad of a `scheme` device shows for a note-on of `velocity` (0–127; other values are clamped and rounded);
 * null = unlit (velocity 0, a value the device shows as off, or a device without LEDs).
 *  - 'palette': LED_PALETTE[velocity], level 1.
 *  - 'apc-mini': 1 green, 2 green blinking, 3 red, 4 red blinking, 5 yellow, 6 yellow blinking, any other velocity green.
 *  - 'launchpad-mini': the red and green bits mixed; level = the brighter of the two, out of 3.
 *  - 'brightness': LED_SINGLE_COLOUR at level velocity / 127.
 *  - 'none': always null.
 */
export function ledColour(scheme: LedScheme, velocity: number): LedLight | null {
  const v = Number.isFinite(velocity) ? Math.max(0, Math.min(127, Math.round(velocity))) : 0;
  if (v === 0 || scheme === 'none') return null;
  switch (scheme) {
    case 'palette':
      return { colour: LED_PALETTE[v] ?? '#000000', level: 1 };
    case 'apc-mini': {
      const [colour, blink] = APC_MINI[v] ?? [APC_GREEN, false];
      return { colour, level: 1, ...(blink ? { blink } : {}) };
    }
    case 'launchpad-mini':
      return launchpadMini(v);
    case 'brightness':
      return { colour: LED_SINGLE_COLOUR, level: v / 127 };
  }
}

/** "#RRGGBB" (upper case, as the app shows a file's colour table) of Conductor's `{ r, g, b }`. */
export function rgbHex(c: RgbColour): string {
  return `#${[c.r, c.g, c.b].map((v) => v.toString(16).padStart(2, '0').toUpperCase()).join('')}`;
}

/** Conductor's `{ r, g, b }` of "#rrggbb" (either case); undefined for anything else (a colour name). */
export function hexRgbColour(hex: string): RgbColour | undefined {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  return m ? { r: parseInt(m[1]!, 16), g: parseInt(m[2]!, 16), b: parseInt(m[3]!, 16) } : undefined;
}
