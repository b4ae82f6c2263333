// The LED scheme engine on a ManualClock: each scheme's note-on bytes over time per kind of device (palette indices,
// APC mini and Launchpad Mini codes, brightness, on/off), reactive's fade, the frame-rate bound, mode changes and stop.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../common/test-support/manual-clock';
import { ledColour } from '../../src-shared/led-colours';
import type { MidiMessage } from '../../src-shared/midi';
import { encodeMidiMessage } from '../midi/encode';
import { modeColour, velocityFor, type LedOutputKind } from './colours';
import { LedEngine, spiralOrder, type LedState } from './engine';

const PADS = [36, 37, 38, 39];

function state(over: Partial<LedState> = {}): LedState {
  return {
    scheme: 'reactive',
    brightness: 255,
    colour: [0, 0, 255],
    idleBrightness: 96,
    activeBrightness: 255,
    pads: PADS,
    noteOffset: 0,
    channel: 0,
    onVelocity: 127,
    offVelocity: 0,
    ...over,
  };
}

/** An engine driving one recording output of `kind`; `take()` returns the bytes sent since the last take. */
function rig(kind: LedOutputKind, over: Partial<LedState> = {}) {
  const clock = new ManualClock();
  const sent: number[][] = [];
  const engine = new LedEngine(state(over), [{ id: 'out', kind, send: (m: MidiMessage) => sent.push(encodeMidiMessage(m)) }], { clock, timer: clock });
  const take = (): number[][] => sent.splice(0);
  return { clock, engine, take };
}

/** note → last velocity among `bytes` (note-ons). */
const last = (bytes: number[][]): Record<number, number> => Object.fromEntries(bytes.map((b) => [b[1], b[2]]));

describe('LED schemes', () => {
  it('static: every pad in the mode colour at idle brightness, sent once; a press brightens it', async () => {
    const { clock, engine, take } = rig('palette', { scheme: 'static' });
    // Dim blue (96/255) is the palette's dimmest blue (47); full blue is 45.
    expect(take()).toEqual(PADS.map((n) => [0x90, n, 47]));
    await clock.advance(1000);
    expect(take()).toEqual([]);
    expect(clock.pendingCount).toBe(0); // nothing animates: no frames
    engine.press(37, 100);
    expect(take()).toEqual([[0x90, 37, 45]]);
    await clock.advance(10);
    engine.release(37);
    await clock.advance(100);
    expect(take()).toEqual([[0x90, 37, 47]]);
  });

  it('reactive on a palette device: green / yellow / red by velocity band while held, then a fade back to the mode colour over 1 s', async () => {
    const { clock, engine, take } = rig('palette');
    take();
    engine.press(36, 30);
    expect(take()).toEqual([]); // the first frame was just now: this one waits its 50 ms
    await clock.advance(50);
    expect(take()).toEqual([[0x90, 36, 25]]); // green
    await clock.advance(60);
    engine.press(37, 60);
    engine.press(38, 100);
    await clock.advance(50);
    expect(last(take())).toEqual({ 37: 75, 38: 5 }); // yellow (a wheel entry), red
    expect(ledColour('palette', 75)?.colour).toMatch(/^#f[0-9a-f]f[0-9a-f]00$/); // yellow
    await clock.advance(500);
    expect(take()).toEqual([]); // held: steady
    engine.release(36);
    await clock.advance(50);
    const fading: number[][] = [];
    for (let t = 0; t < 1100; t += 50) {
      fading.push(...take());
      await clock.advance(50);
    }
    const pad36 = fading.filter((b) => b[1] === 36).map((b) => b[2]);
    expect(pad36.length).toBeGreaterThan(3); // several steps, not a jump
    expect(pad36.at(-1)).toBe(47); // back at the dim mode colour
    expect(new Set(pad36).size).toBe(pad36.length); // only changes are sent
    expect(fading.every((b) => b[1] === 36)).toBe(true); // the held pads did not change
    expect(clock.pendingCount).toBe(0); // fade over: no more frames
  });

  it('reactive on an APC mini (1 green, 5 yellow, 3 red) and a Launchpad Mini (red/green bits with the steady flags)', async () => {
    for (const [kind, codes] of [
      ['apc-mini', [1, 5, 3]],
      ['launchpad-mini', [0x3c, 0x3f, 0x0f]],
    ] as const) {
      const { clock, engine, take } = rig(kind, { idleBrightness: 0 });
      expect(last(take())).toEqual({ 36: 0, 37: 0, 38: 0, 39: 0 });
      engine.press(36, 20);
      engine.press(37, 70);
      engine.press(38, 127);
      await clock.advance(50);
      expect(last(take())).toEqual({ 36: codes[0], 37: codes[1], 38: codes[2] });
    }
  });

  it('frames are at most 20 a second: a burst of presses on one pad sends at most one change per 50 ms', async () => {
    const { clock, engine, take } = rig('palette');
    take();
    for (let i = 0; i < 100; i++) {
      engine.press(36, i % 2 === 0 ? 20 : 120);
      engine.release(36);
      await clock.advance(1);
    }
    await clock.advance(2000);
    // 100 ms of presses → ≤ 3 frames, then the fade's frames (≤ 1 s / 50 ms + 1).
    expect(take().length).toBeLessThanOrEqual(3 + 21);
  });

  it('rainbow: a hue per pad, turning; frames every 50 ms with only the changed pads', async () => {
    const { clock, take } = rig('palette', { scheme: 'rainbow' });
    const first = last(take());
    expect(Object.keys(first).map(Number)).toEqual(PADS);
    const hues = Object.values(first).map((v) => ledColour('palette', v)?.colour);
    expect(new Set(hues).size).toBe(4); // four different colours
    await clock.advance(50);
    const frame = take();
    expect(frame.length).toBeLessThanOrEqual(PADS.length);
    await clock.advance(950); // a quarter turn: each pad now shows its neighbour's colour of before
    const later = { ...first, ...last([...frame, ...take()]) };
    expect(later[36]).toBe(first[37]);
    expect(later[38]).toBe(first[39]);
    expect(clock.pendingCount).toBe(1); // keeps animating
  });

  it('pulse on an on/off device: on_velocity for the first half of each 500 ms beat, off_velocity after', async () => {
    const { clock, take } = rig('on-off', { scheme: 'pulse', onVelocity: 100, offVelocity: 1, pads: [36] });
    expect(take()).toEqual([[0x90, 36, 100]]);
    await clock.advance(200);
    expect(take()).toEqual([]);
    await clock.advance(100); // 300 ms: past half
    expect(take()).toEqual([[0x90, 36, 1]]);
    await clock.advance(200); // 500 ms: the next beat
    expect(take()).toEqual([[0x90, 36, 100]]);
  });

  it('breathing on a brightness device: dark → full → dark over 2 s', async () => {
    const { clock, take } = rig('brightness', { scheme: 'breathing', pads: [40] });
    expect(take()).toEqual([[0x90, 40, 0]]);
    await clock.advance(500);
    const half = last(take())[40] ?? 0;
    expect(half >= 63 && half <= 64).toBe(true);
    await clock.advance(500);
    expect(last(take())[40]).toBe(127);
    await clock.advance(1000);
    expect(last(take())[40]).toBe(0);
  });

  it('wave: a crest of brightness moving across the pads once a second', async () => {
    const { clock, take } = rig('brightness', { scheme: 'wave' });
    const half = (v: number | undefined): boolean => v === 63 || v === 64;
    const first = last(take());
    expect([first[36], first[38]]).toEqual([127, 0]); // crest on the first pad, trough opposite
    expect(half(first[37]) && half(first[39])).toBe(true);
    await clock.advance(250);
    const quarter = last(take());
    expect([quarter[37], quarter[39]]).toEqual([127, 0]); // a quarter later: on the second
    expect(half(quarter[36]) && half(quarter[38])).toBe(true);
    await clock.advance(750);
    expect(last(take())).toMatchObject({ 36: 127, 38: 0 });
  });

  it('sparkle: pads twinkle at active brightness over the idle colour, the same way every run', async () => {
    const runs: number[][][] = [];
    for (let run = 0; run < 2; run++) {
      const { clock, take } = rig('brightness', { scheme: 'sparkle', idleBrightness: 0, pads: [36, 37, 38, 39, 40, 41, 42, 43] });
      const bytes: number[][] = [...take()];
      for (let i = 0; i < 20; i++) {
        await clock.advance(100);
        bytes.push(...take());
      }
      runs.push(bytes);
    }
    expect(runs[0]).toEqual(runs[1]);
    const velocities = new Set((runs[0] ?? []).map((b) => b[2]));
    expect(velocities).toEqual(new Set([0, 127]));
  });

  it('reactive with [led_settings.reactive] colours and fade time', async () => {
    const { clock, engine, take } = rig('palette', { bands: [[0, 0, 255], [255, 0, 255], [255, 255, 255]], fadeMs: 200 });
    take();
    await clock.advance(100);
    engine.press(36, 30);
    engine.press(37, 60);
    engine.press(38, 100);
    await clock.advance(50); // the first press was drawn at once, the others in the next frame
    const v = (rgb: [number, number, number]) => velocityFor('palette', rgb, { onVelocity: 127, offVelocity: 0 });
    expect(last(take())).toEqual({ 36: v([0, 0, 255]), 37: v([255, 0, 255]), 38: v([255, 255, 255]) });
    engine.release(36);
    await clock.advance(250); // the 200 ms fade is over: back to the dim mode colour (47), and no more frames
    expect(last(take())[36]).toBe(47);
    expect(clock.pendingCount).toBe(0);
  });

  it('vumeter: the pads from the lowest note up light green, yellow, red as high as the level; released, it falls over 1 s', async () => {
    const pads = [45, 44, 43, 42, 41, 40, 39, 38, 37, 36]; // any order: the meter goes by note
    const { clock, engine, take } = rig('palette', { scheme: 'vumeter', pads });
    const v = (rgb: [number, number, number]) => velocityFor('palette', rgb, { onVelocity: 127, offVelocity: 0 });
    const [green, yellow, red] = [v([0, 255, 0]), v([255, 255, 0]), v([255, 0, 0])];
    expect(last(take())).toEqual(Object.fromEntries(pads.map((n) => [n, 0]))); // at rest the meter is empty
    await clock.advance(100);
    expect(clock.pendingCount).toBe(0); // nothing to animate at rest
    engine.press(36, 127);
    expect(last(take())).toEqual({ 36: green, 37: green, 38: green, 39: green, 40: green, 41: green, 42: yellow, 43: yellow, 44: red, 45: red });
    await clock.advance(500);
    expect(take()).toEqual([]); // held: steady
    engine.press(40, 64); // a softer press while a harder one is held: the meter shows the highest
    await clock.advance(50);
    expect(take()).toEqual([]);
    engine.release(36);
    engine.release(40);
    await clock.advance(500); // halfway down: 127 → 63.5 → 5 of 10 segments
    const half = last(take());
    expect([36, 37, 38, 39, 40].map((n) => half[n] ?? green)).toEqual([green, green, green, green, green]);
    expect([41, 42, 43, 44, 45].map((n) => half[n])).toEqual([0, 0, 0, 0, 0]);
    await clock.advance(600);
    expect(last(take())).toMatchObject({ 36: 0, 40: 0 });
    expect(clock.pendingCount).toBe(0); // down to zero: frames stop
    engine.press(38, 26); // 26/127 of 10 pads → 2 segments
    await clock.advance(50);
    expect(last(take())).toEqual({ 36: green, 37: green });
  });

  it('spiral: a bright head with a fading tail walks the pads clockwise from the bottom-left, outside in, every 2 s', async () => {
    expect(spiralOrder([36, 37, 38, 39])).toEqual([36, 38, 39, 37]);
    // A 4×4 grid: notes 36–39 are the bottom row, 48–51 the top one.
    const grid = Array.from({ length: 16 }, (_, i) => 36 + i);
    expect(spiralOrder(grid)).toEqual([36, 40, 44, 48, 49, 50, 51, 47, 43, 39, 38, 37, 41, 45, 46, 42]);
    expect(spiralOrder([40, 36, 37, 38, 39]).sort((a, b) => a - b)).toEqual([36, 37, 38, 39, 40]); // every pad once
    const { clock, take } = rig('palette', { scheme: 'spiral' });
    // Four pads, a tail of one: the head is full blue (45), the others dim blue (47).
    expect(last(take())).toEqual({ 36: 45, 37: 47, 38: 47, 39: 47 });
    await clock.advance(500); // a quarter turn: the head is on the second pad of the spiral (38)
    expect(last(take())).toMatchObject({ 38: 45, 36: 47 });
    await clock.advance(500);
    expect(last(take())).toMatchObject({ 39: 45, 38: 47 });
    expect(clock.pendingCount).toBe(1); // it keeps turning
  });

  it('off: every pad off once, presses change nothing; brightness 0 is the same', async () => {
    for (const over of [{ scheme: 'off' as const }, { brightness: 0 }]) {
      const { clock, engine, take } = rig('palette', over);
      expect(take()).toEqual(PADS.map((n) => [0x90, n, 0]));
      engine.press(36, 127);
      await clock.advance(2000);
      expect(take()).toEqual([]);
    }
  });

  it('[led_settings.midi]: channel and note_offset', () => {
    const { take } = rig('on-off', { scheme: 'static', idleBrightness: 255, channel: 2, noteOffset: -36, pads: [36, 37] });
    expect(take()).toEqual([
      [0x92, 0, 127],
      [0x92, 1, 127],
    ]);
  });

  it('a mode change sends only the pads that change; stop turns every lit pad off', async () => {
    const { clock, engine, take } = rig('palette', { scheme: 'static', idleBrightness: 255 });
    take();
    await clock.advance(100);
    engine.setState(state({ scheme: 'static', idleBrightness: 255, colour: [255, 0, 0], pads: [36, 37] }));
    expect(take()).toEqual([
      [0x90, 36, 5],
      [0x90, 37, 5],
      [0x90, 38, 0],
      [0x90, 39, 0],
    ]);
    engine.stop();
    expect(take()).toEqual([
      [0x90, 36, 0],
      [0x90, 37, 0],
    ]);
    engine.press(36, 100);
    await clock.advance(1000);
    expect(take()).toEqual([]);
    expect(clock.pendingCount).toBe(0);
  });

  it('a device without LEDs is sent nothing', () => {
    const { take } = rig('none');
    expect(take()).toEqual([]);
  });
});

describe('LED colours', () => {
  it("mode colours: Conductor's names and #RRGGBB; anything else is not a colour", () => {
    expect(modeColour('blue')).toEqual([0, 0, 255]);
    expect(modeColour('Purple')).toEqual([128, 0, 255]);
    expect(modeColour('#FF8800')).toEqual([255, 136, 0]);
    expect(modeColour('#f80')).toBeNull();
    expect(modeColour('sparkly')).toBeNull();
    expect(modeColour(null)).toBeNull();
  });

  it('a colour shows as the palette entry nearest to it', () => {
    const v = { onVelocity: 127, offVelocity: 0 };
    for (const velocity of [5, 25, 45, 57, 3]) {
      const hex = ledColour('palette', velocity)?.colour ?? '';
      const rgb = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
      expect(velocityFor('palette', rgb, v)).toBe(velocity);
    }
    expect(velocityFor('palette', [3, 3, 3], v)).toBe(0);
  });
});
