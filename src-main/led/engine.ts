// The LED scheme engine: (scheme, mode colour, pad presses with velocity, time) → note-on messages for each LED output,
// in frames at a bounded rate, only the pads whose velocity changed. Time comes from an injected Clock and Timer.
// Never reads MIDI input itself and never throws to its caller: an output that fails is the output's business.
import type { Clock, Timer, TimerId } from '../common/clock';
import type { LedSchemeName } from '../../src-shared/config';
import type { MidiMessage } from '../../src-shared/midi';
import { BLACK, hueRgb, mix, offVelocity, scaled, velocityBandColour, velocityFor, type LedOutputKind, type Rgb } from './colours';

/** Everything the schemes need, defaults resolved (see resolveLedSettings in feedback.ts). */
export interface LedState {
  scheme: LedSchemeName;
  /** Overall brightness 0–255. */
  brightness: number;
  /** The current mode's colour (brightness not applied). */
  colour: Rgb;
  /** Pads at rest, 0–255. */
  idleBrightness: number;
  /** Pressed pads and the animated schemes' peak, 0–255. */
  activeBrightness: number;
  /** The input notes of the pads (the current mode's and the global mappings' notes), in order. */
  pads: readonly number[];
  /** `[led_settings.midi]`. */
  noteOffset: number;
  channel: number;
  onVelocity: number;
  offVelocity: number;
  /** `[led_settings.reactive]`: the soft (≤ 40), medium (≤ 80) and hard velocity colours; absent = green, yellow, red. */
  bands?: readonly [Rgb, Rgb, Rgb];
  /** `[led_settings.reactive] fade_duration_ms`: replaces the engine's fade time. */
  fadeMs?: number;
}

/** One device output the engine drives. `send` must not throw (the device manager's outputs return failures as values). */
export interface LedTarget {
  /** Stable name (the output port's). */
  id: string;
  kind: LedOutputKind;
  send(message: MidiMessage): void;
}

export interface LedEngineOptions {
  clock: Clock;
  timer: Timer;
  /** Shortest time between two frames (default 50 ms: at most 20 frames a second). */
  frameMs?: number;
  /** Reactive: how long a released pad takes to fade back to the mode colour (default 1000 ms). */
  fadeMs?: number;
}

/** Rainbow: one turn of the colour wheel (ms). */
export const RAINBOW_PERIOD_MS = 4000;
/** Pulse: a flash that decays, every 500 ms. */
export const PULSE_PERIOD_MS = 500;
/** Breathing: dark → full → dark in 2 s. */
export const BREATHING_PERIOD_MS = 2000;
/** Wave: a crest of brightness travels across the pads once a second. */
export const WAVE_PERIOD_MS = 1000;
/** Sparkle: each pad may twinkle in each 100 ms slot (one slot in four, chosen by a fixed hash: the same every run). */
export const SPARKLE_SLOT_MS = 100;

/** Spiral: a lit head with a fading tail runs the pads' spiral (outside in) once every 2 s. */
export const SPIRAL_PERIOD_MS = 2000;
/** VU meter: the share of the meter's pads (from the bottom) shown green, then yellow; the rest are red. */
export const VUMETER_GREEN_UP_TO = 0.6;
export const VUMETER_YELLOW_UP_TO = 0.85;

const ANIMATED: ReadonlySet<LedSchemeName> = new Set(['rainbow', 'pulse', 'breathing', 'wave', 'sparkle', 'spiral']);

/**
 * The pads (input notes) in spiral order: laid out lowest note first in a grid of ⌈√n⌉ columns, bottom row first (as
 * pad controllers number their pads), then walked clockwise from the bottom-left corner, outside in.
 */
export function spiralOrder(pads: readonly number[]): number[] {
  const sorted = [...new Set(pads)].sort((a, b) => a - b);
  const columns = Math.max(1, Math.ceil(Math.sqrt(sorted.length)));
  const rows = Math.ceil(sorted.length / columns);
  const at = (row: number, column: number): number | undefined => sorted[row * columns + column];
  const order: number[] = [];
  let [top, bottom, left, right] = [rows - 1, 0, 0, columns - 1];
  const visit = (row: number, column: number) => {
    const note = at(row, column);
    if (note !== undefined) order.push(note);
  };
  while (bottom <= top && left <= right) {
    for (let r = bottom; r <= top; r++) visit(r, left); // up the left side
    for (let c = left + 1; c <= right; c++) visit(top, c); // along the top
    if (left < right) for (let r = top - 1; r >= bottom; r--) visit(r, right); // down the right side
    if (bottom < top) for (let c = right - 1; c > left; c--) visit(bottom, c); // back along the bottom
    [top, bottom, left, right] = [top - 1, bottom + 1, left + 1, right - 1];
  }
  return order;
}

/** A fixed hash of (pad, slot) → 0–3: sparkle's twinkles without randomness. */
function twinkle(index: number, slot: number): number {
  let h = (index * 374761393 + slot * 668265263) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 1274126177) >>> 0;
  return (h ^ (h >>> 16)) & 3;
}

interface TargetState {
  target: LedTarget;
  /** LED note → the velocity last sent (absent = never sent, so the next frame sends it). */
  sent: Map<number, number>;
}

export class LedEngine {
  readonly #clock: Clock;
  readonly #timer: Timer;
  readonly #frameMs: number;
  readonly #fadeMs: number;
  #state: LedState;
  #targets: TargetState[] = [];
  /** Input note → velocity, while held. */
  readonly #pressed = new Map<number, number>();
  /** Reactive: input note → when it was released and the colour it was showing then. */
  readonly #fading = new Map<number, { at: number; from: Rgb }>();
  /** VU meter: the level (velocity) it showed at `at`; it falls to 0 over the fade time once no pad is held. */
  #meter = { level: 0, at: 0 };
  /** The current pads lowest note first (the vumeter's segments) and in spiral order, computed once per pad list. */
  #layout: { pads: readonly number[]; sorted: number[]; spiral: number[] } = { pads: [], sorted: [], spiral: [] };
  readonly #startedAt: number;
  #lastFrameAt = -Infinity;
  #pending: TimerId | null = null;
  #stopped = false;

  constructor(state: LedState, targets: readonly LedTarget[], options: LedEngineOptions) {
    this.#clock = options.clock;
    this.#timer = options.timer;
    this.#frameMs = Math.max(1, options.frameMs ?? 50);
    this.#fadeMs = Math.max(1, options.fadeMs ?? 1000);
    this.#state = state;
    this.#startedAt = this.#clock.now();
    this.setTargets(targets);
  }

  /** New settings, mode colour or pads (a mode change, a config reload). */
  setState(state: LedState): void {
    if (this.#stopped) return;
    // Lights sent on another channel or to other notes would stay lit: turn them off first (the next frame resends).
    if (state.channel !== this.#state.channel || state.noteOffset !== this.#state.noteOffset) this.#darken(this.#litNotes());
    this.#state = state;
    if (state.scheme !== 'reactive') this.#fading.clear();
    this.#requestFrame();
  }

  /** The outputs to drive; a new one gets every pad in the next frame, one that went away is left as it is. */
  setTargets(targets: readonly LedTarget[]): void {
    if (this.#stopped) return;
    this.#targets = targets.map((target) => this.#targets.find((t) => t.target.id === target.id && t.target.kind === target.kind) ?? { target, sent: new Map() });
    this.#requestFrame();
  }

  /** A pad was pressed (note-on, velocity 1–127). */
  press(note: number, velocity: number): void {
    if (this.#stopped) return;
    const now = this.#clock.now();
    this.#meter = { level: Math.max(this.#meterLevel(now), velocity), at: now };
    this.#pressed.set(note, velocity);
    this.#fading.delete(note);
    this.#requestFrame();
  }

  /** A pad was released. */
  release(note: number): void {
    if (this.#stopped) return;
    const velocity = this.#pressed.get(note);
    if (velocity === undefined) return;
    const now = this.#clock.now();
    if (this.#state.scheme === 'reactive') this.#fading.set(note, { at: now, from: this.#pressedColour(velocity, note, now) });
    this.#pressed.delete(note);
    // The meter holds the highest held velocity; when the last pad is let go it starts falling from there.
    if (this.#pressed.size === 0) this.#meter = { level: Math.max(this.#meter.level, velocity), at: now };
    this.#requestFrame();
  }

  /** Turns every pad it lit off and stops; later calls do nothing. */
  stop(): void {
    if (this.#stopped) return;
    if (this.#pending !== null) this.#timer.clearTimeout(this.#pending);
    this.#pending = null;
    this.#darken(this.#litNotes());
    this.#stopped = true;
  }

  /** What each pad shows at `now`: LED note → colour, brightness applied. */
  frame(now = this.#clock.now()): Map<number, Rgb> {
    const s = this.#state;
    const out = new Map<number, Rgb>();
    const overall = s.brightness / 255;
    const notes = [...new Set([...s.pads, ...this.#pressed.keys(), ...this.#fading.keys()])];
    for (const note of notes) {
      const led = note + s.noteOffset;
      if (led < 0 || led > 127) continue;
      const velocity = this.#pressed.get(note);
      let colour: Rgb;
      if (s.scheme === 'vumeter' && s.pads.includes(note)) colour = this.#rest(note, now);
      else if (velocity !== undefined) colour = this.#pressedColour(velocity, note, now);
      else {
        const rest = this.#rest(note, now);
        const fade = this.#fading.get(note);
        colour = fade === undefined ? rest : mix(fade.from, rest, (now - fade.at) / this.#fadeTime);
      }
      out.set(led, scaled(colour, overall));
    }
    return out;
  }

  /** A pad at rest: off, the mode colour (static, reactive), or the animated schemes' colour now. Off for notes that are not pads. */
  #rest(note: number, now: number): Rgb {
    const s = this.#state;
    const index = s.pads.indexOf(note);
    if (index < 0 || s.scheme === 'off') return BLACK;
    const t = now - this.#startedAt;
    const active = s.activeBrightness / 255;
    switch (s.scheme) {
      case 'static':
      case 'reactive':
        return scaled(s.colour, s.idleBrightness / 255);
      case 'vumeter': {
        // The pads from the lowest note up are the meter's segments; as many are lit as the level is high.
        const sorted = this.#padLayout().sorted;
        const position = sorted.indexOf(note);
        if (position >= Math.round((this.#meterLevel(now) / 127) * sorted.length)) return BLACK;
        // The segments take reactive's soft, medium and hard colours.
        const share = (position + 1) / sorted.length;
        return scaled(this.#band(share <= VUMETER_GREEN_UP_TO ? 1 : share <= VUMETER_YELLOW_UP_TO ? 64 : 127), active);
      }
      case 'spiral': {
        const order = this.#padLayout().spiral;
        const head = ((t % SPIRAL_PERIOD_MS) / SPIRAL_PERIOD_MS) * order.length;
        const behind = (head - order.indexOf(note) + order.length) % order.length;
        const tail = Math.max(1, order.length / 4);
        const idle = s.idleBrightness / 255;
        return scaled(s.colour, idle + (active - idle) * Math.max(0, 1 - behind / tail));
      }
      case 'wave':
        return scaled(s.colour, (active * (1 + Math.cos(2 * Math.PI * ((t % WAVE_PERIOD_MS) / WAVE_PERIOD_MS - index / s.pads.length)))) / 2);
      case 'sparkle':
        return twinkle(index, Math.floor(t / SPARKLE_SLOT_MS)) === 0 ? scaled(s.colour, active) : scaled(s.colour, s.idleBrightness / 255);
      case 'rainbow':
        return scaled(hueRgb((index * 360) / s.pads.length + ((t % RAINBOW_PERIOD_MS) * 360) / RAINBOW_PERIOD_MS), active);
      case 'pulse':
        return scaled(s.colour, active * (1 - (t % PULSE_PERIOD_MS) / PULSE_PERIOD_MS));
      case 'breathing':
        return scaled(s.colour, (active * (1 - Math.cos((2 * Math.PI * (t % BREATHING_PERIOD_MS)) / BREATHING_PERIOD_MS))) / 2);
    }
  }

  /** A held pad: its velocity band (reactive), nothing (off), else the scheme's colour at active brightness. */
  #pressedColour(velocity: number, note: number, now: number): Rgb {
    const s = this.#state;
    const active = s.activeBrightness / 255;
    switch (s.scheme) {
      case 'off':
        return BLACK;
      case 'reactive':
        return scaled(this.#band(velocity), active);
      case 'rainbow': {
        const index = Math.max(0, s.pads.indexOf(note));
        return scaled(hueRgb((index * 360) / Math.max(1, s.pads.length) + (((now - this.#startedAt) % RAINBOW_PERIOD_MS) * 360) / RAINBOW_PERIOD_MS), active);
      }
      default:
        return scaled(s.colour, active);
    }
  }

  #padLayout(): { sorted: number[]; spiral: number[] } {
    const pads = this.#state.pads;
    if (this.#layout.pads !== pads) this.#layout = { pads, sorted: [...new Set(pads)].sort((a, b) => a - b), spiral: spiralOrder(pads) };
    return this.#layout;
  }

  /** The colour of a velocity's band: `[led_settings.reactive]`'s, else green, yellow, red. */
  #band(velocity: number): Rgb {
    const bands = this.#state.bands;
    if (bands === undefined) return velocityBandColour(velocity);
    return velocity <= 40 ? bands[0] : velocity <= 80 ? bands[1] : bands[2];
  }

  /** Reactive's fade after release (ms). */
  get #fadeTime(): number {
    return Math.max(1, this.#state.fadeMs ?? this.#fadeMs);
  }

  /** VU meter: the highest held velocity, else the last level falling linearly to 0 over the fade time. */
  #meterLevel(now: number): number {
    let held = 0;
    for (const v of this.#pressed.values()) held = Math.max(held, v);
    if (held > 0) return held;
    return Math.max(0, this.#meter.level * (1 - (now - this.#meter.at) / this.#fadeTime));
  }

  /** Every LED note some output was sent. */
  #litNotes(): number[] {
    const lit = new Set<number>();
    for (const t of this.#targets) for (const note of t.sent.keys()) lit.add(note);
    return [...lit];
  }

  #animating(now: number): boolean {
    if (this.#state.scheme === 'off' || this.#state.brightness === 0) return false;
    if (ANIMATED.has(this.#state.scheme)) return true;
    if (this.#state.scheme === 'vumeter' && this.#pressed.size === 0 && this.#meterLevel(now) > 0) return true;
    for (const [note, f] of this.#fading) {
      if (now - f.at < this.#fadeTime) return true;
      this.#fading.delete(note);
    }
    return false;
  }

  #requestFrame(): void {
    if (this.#stopped || this.#pending !== null) return;
    const wait = this.#lastFrameAt + this.#frameMs - this.#clock.now();
    if (wait <= 0) this.#render();
    else this.#pending = this.#timer.setTimeout(() => this.#onTimer(), wait);
  }

  #onTimer(): void {
    this.#pending = null;
    if (!this.#stopped) this.#render();
  }

  #render(): void {
    const now = this.#clock.now();
    this.#lastFrameAt = now;
    const lights = this.frame(now);
    const s = this.#state;
    const velocities = { onVelocity: s.onVelocity, offVelocity: s.offVelocity };
    for (const t of this.#targets) {
      // Pads lit before (a mode with other pads, a released non-pad) and not in this frame go dark.
      for (const note of t.sent.keys()) if (!lights.has(note)) lights.set(note, BLACK);
      for (const [note, colour] of lights) {
        const velocity = velocityFor(t.target.kind, colour, velocities);
        if (velocity === null || t.sent.get(note) === velocity) continue;
        t.sent.set(note, velocity);
        t.target.send({ type: 'noteOn', channel: s.channel, note, velocity });
      }
    }
    if (this.#animating(now)) this.#pending = this.#timer.setTimeout(() => this.#onTimer(), this.#frameMs);
  }

  /** Sends off to `notes` on every output (on the current channel) and forgets them. */
  #darken(notes: readonly number[]): void {
    const s = this.#state;
    for (const t of this.#targets) {
      const off = offVelocity(t.target.kind, { onVelocity: s.onVelocity, offVelocity: s.offVelocity });
      for (const note of notes) {
        if (!t.sent.has(note)) continue;
        if (t.sent.get(note) !== off && t.target.kind !== 'none') t.target.send({ type: 'noteOn', channel: s.channel, note, velocity: off });
        t.sent.delete(note);
      }
    }
  }
}
