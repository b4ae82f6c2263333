// ledColour per LED scheme: the palette's layout, APC mini's documented values, Launchpad Mini's colour bits and
// flags, single-colour brightness, devices without LEDs, and out-of-range velocities.
import { describe, expect, it } from 'vitest';
import { LED_PALETTE, LED_SINGLE_COLOUR, ledColour } from './led-colours';

const HEX = /^#[0-9a-f]{6}$/;
const channels = (colour: string): [number, number, number] => {
  const n = Number.parseInt(colour.slice(1), 16);
  return [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
};

describe('ledColour', () => {
  it('velocity 0 is unlit in every scheme, and a device without LEDs never lights', () => {
    for (const scheme of ['brightness', 'apc-mini', 'launchpad-mini', 'palette', 'none'] as const) expect(ledColour(scheme, 0)).toBeNull();
    for (const v of [1, 5, 64, 127]) expect(ledColour('none', v)).toBeNull();
  });

  it('palette: 128 distinct-enough #rrggbb colours, 0 black, 1–3 whites, then hues in four shades, then a full wheel', () => {
    expect(LED_PALETTE).toHaveLength(128);
    for (const c of LED_PALETTE) expect(c).toMatch(HEX);
    expect(LED_PALETTE[0]).toBe('#000000');
    expect(LED_PALETTE[3]).toBe('#ffffff');
    // 1–3 grey, getting brighter.
    const greys = [1, 2, 3].map((i) => channels(LED_PALETTE[i] ?? ''));
    for (const [r, g, b] of greys) expect(r === g && g === b).toBe(true);
    expect(greys.map(([r]) => r)).toEqual([...greys.map(([r]) => r)].sort((a, b) => a - b));
    // 5 is full red, 6 and 7 dimmer reds, 4 a light red.
    expect(LED_PALETTE[5]).toBe('#ff0000');
    const [r6, g6, b6] = channels(LED_PALETTE[6] ?? '');
    const [r7] = channels(LED_PALETTE[7] ?? '');
    expect(g6 + b6).toBe(0);
    expect(r6).toBeLessThan(255);
    expect(r7).toBeLessThan(r6);
    const [r4, g4, b4] = channels(LED_PALETTE[4] ?? '');
    expect(r4).toBe(255);
    expect(g4).toBeGreaterThan(0);
    expect(g4).toBe(b4);
    // The wheel: 64 red, a third of the way green, two thirds blue.
    expect(LED_PALETTE[64]).toBe('#ff0000');
    const green = channels(LED_PALETTE[64 + 21] ?? '');
    expect(green[1]).toBe(255);
    expect(green[0]).toBeLessThan(40);
    const blue = channels(LED_PALETTE[64 + 43] ?? '');
    expect(blue[2]).toBe(255);
    // Many different colours (a sensible spread, not a few repeated).
    expect(new Set(LED_PALETTE).size).toBeGreaterThan(100);
    expect(ledColour('palette', 5)).toEqual({ colour: '#ff0000', level: 1 });
    expect(ledColour('palette', 127)).toEqual({ colour: LED_PALETTE[127], level: 1 });
  });

  it('apc-mini: green, red, yellow, each steady or blinking; anything else green', () => {
    const green = ledColour('apc-mini', 1);
    const red = ledColour('apc-mini', 3);
    const yellow = ledColour('apc-mini', 5);
    expect(green).toMatchObject({ level: 1 });
    expect(green?.blink).toBeUndefined();
    expect(ledColour('apc-mini', 2)).toEqual({ colour: green?.colour, level: 1, blink: true });
    expect(ledColour('apc-mini', 4)).toEqual({ colour: red?.colour, level: 1, blink: true });
    expect(ledColour('apc-mini', 6)).toEqual({ colour: yellow?.colour, level: 1, blink: true });
    expect(new Set([green?.colour, red?.colour, yellow?.colour]).size).toBe(3);
    const [gr, gg] = channels(green?.colour ?? '');
    expect(gg).toBeGreaterThan(gr);
    const [rr, rg] = channels(red?.colour ?? '');
    expect(rr).toBeGreaterThan(rg);
    for (const v of [7, 64, 127]) expect(ledColour('apc-mini', v)).toEqual(green);
  });

  it('launchpad-mini: red bits 0–1 and green bits 4–5 mixed, brightness from the stronger, the flash flag', () => {
    // Full red 15 (0x0F, flags 12), full green 60 (0x3C), amber 63 (0x3F).
    expect(ledColour('launchpad-mini', 15)).toEqual({ colour: '#ff0000', level: 1 });
    const green = ledColour('launchpad-mini', 60);
    expect(green?.level).toBe(1);
    expect(channels(green?.colour ?? '')[0]).toBe(0);
    expect(channels(green?.colour ?? '')[1]).toBeGreaterThan(150);
    const amber = channels(ledColour('launchpad-mini', 63)?.colour ?? '');
    expect(amber[0]).toBe(255);
    expect(amber[1]).toBeGreaterThan(100);
    expect(amber[2]).toBe(0);
    // Low red (13 = red 1 + flags): red, a third as bright.
    expect(ledColour('launchpad-mini', 13)).toEqual({ colour: '#ff0000', level: 1 / 3 });
    // Flags only (12) or nothing lit: off.
    expect(ledColour('launchpad-mini', 12)).toBeNull();
    expect(ledColour('launchpad-mini', 0x40)).toBeNull(); // bit 6 is not a colour
    // Flashing values of the reference: red 11, green 56, amber 59.
    expect(ledColour('launchpad-mini', 11)).toMatchObject({ colour: '#ff0000', blink: true });
    expect(ledColour('launchpad-mini', 56)).toMatchObject({ blink: true, level: 1 });
    expect(ledColour('launchpad-mini', 59)).toMatchObject({ blink: true });
    expect(ledColour('launchpad-mini', 63)?.blink).toBeUndefined();
  });

  it('brightness: one colour, level velocity/127', () => {
    expect(ledColour('brightness', 127)).toEqual({ colour: LED_SINGLE_COLOUR, level: 1 });
    expect(ledColour('brightness', 1)).toEqual({ colour: LED_SINGLE_COLOUR, level: 1 / 127 });
    expect(ledColour('brightness', 64)?.level).toBeCloseTo(64 / 127);
  });

  it('clamps and rounds out-of-range velocities; NaN is off', () => {
    expect(ledColour('brightness', 500)).toEqual({ colour: LED_SINGLE_COLOUR, level: 1 });
    expect(ledColour('palette', -3)).toBeNull();
    expect(ledColour('palette', Number.NaN)).toBeNull();
    expect(ledColour('palette', 4.6)).toEqual(ledColour('palette', 5));
  });
});
