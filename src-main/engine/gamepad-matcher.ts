// Trigger recognition for game controllers (Conductor v3's gamepad triggers): button presses, button chords, sticks
// pushed out of their rest zone, analog triggers pressed past a threshold. Keeps the little state that needs
// (buttons down, stick zones, trigger values per controller); synchronous; never runs an action itself.
import type { Trigger, TriggerType } from '../../src-shared/config';
import { DEFAULT_TRIGGER_THRESHOLD, STICK_DEADZONE, type GamepadEvent } from '../../src-shared/gamepad';
import type { TriggerContext } from '../../src-shared/plugin';
import type { MappingEntry, MatcherOptions } from './matcher';

type GamepadTriggerOf<T extends TriggerType> = Extract<Trigger, { type: T }>;

/** Controllers whose state is kept; one more forgets all of it. */
const MAX_TRACKED_CONTROLLERS = 16;

interface ControllerState {
  /** Buttons down now → when they went down. */
  readonly down: Map<number, number>;
  /** Chords fired and not yet broken up (a button of theirs released), by mapping. */
  readonly firedChords: Set<MappingEntry>;
  /** Each stick axis's zone: −1, 0 (at rest) or 1. */
  readonly stickZone: Map<number, number>;
  /** Each analog trigger's last value (0–127). */
  readonly triggerValue: Map<number, number>;
}

export class GamepadMatcher {
  private readonly controllers = new Map<string, ControllerState>();
  /** The gamepad mappings of the current entries, in precedence order; rebuilt when the entries change. */
  private cache: { from: readonly MappingEntry[]; entries: MappingEntry[] } | null = null;

  constructor(private readonly options: Pick<MatcherOptions, 'timing' | 'entries' | 'mode' | 'onFire'>) {}

  handle(event: GamepadEvent): void {
    const state = this.state(event.deviceId);
    const { input } = event;
    switch (input.kind) {
      case 'button':
        if (input.pressed) this.pressed(event, state, input.id, input.value);
        else this.released(state, input.id);
        return;
      case 'axis':
        this.axis(event, state, input.id, input.value);
        return;
      case 'trigger':
        this.trigger(event, state, input.id, input.value);
        return;
    }
  }

  /** Forgets every controller's state (a config reload keeps none of it). */
  reset(): void {
    this.controllers.clear();
    this.cache = null;
  }

  private gamepadEntries(): MappingEntry[] {
    const from = this.options.entries();
    if (this.cache?.from !== from) this.cache = { from, entries: from.filter((e) => e.mapping.trigger.type.startsWith('Gamepad')) };
    return this.cache.entries;
  }

  private state(deviceId: string): ControllerState {
    let state = this.controllers.get(deviceId);
    if (!state) {
      if (this.controllers.size >= MAX_TRACKED_CONTROLLERS) this.controllers.clear();
      state = { down: new Map(), firedChords: new Set(), stickZone: new Map(), triggerValue: new Map() };
      this.controllers.set(deviceId, state);
    }
    return state;
  }

  private context(type: TriggerType, event: GamepadEvent, extra: Omit<TriggerContext, 'trigger' | 'mode' | 'timestamp'>): TriggerContext {
    return { trigger: type, mode: this.options.mode() ?? '', timestamp: event.timestamp, device: event.deviceId, ...extra };
  }

  private pressed(event: GamepadEvent, state: ControllerState, id: number, value: number): void {
    state.down.set(id, event.timestamp);
    const entries = this.gamepadEntries();
    // Button: the first mapping of the button the press is deep enough for.
    for (const entry of entries) {
      const t = entry.mapping.trigger as GamepadTriggerOf<'GamepadButton'>;
      if (t.type === 'GamepadButton' && t.button === id && value >= (t.velocityMin ?? 0)) {
        this.options.onFire(entry, this.context('GamepadButton', event, { button: id, value }));
        break;
      }
    }
    // Chord: the first chord of this button whose buttons are all down, pressed within its window.
    const window = this.options.timing().chordTimeoutMs;
    for (const entry of entries) {
      const t = entry.mapping.trigger as GamepadTriggerOf<'GamepadButtonChord'>;
      if (t.type !== 'GamepadButtonChord' || !t.buttons.includes(id) || state.firedChords.has(entry)) continue;
      const times = t.buttons.map((b) => state.down.get(b));
      if (times.some((at) => at === undefined)) continue;
      const first = Math.min(...(times as number[]));
      const spanMs = event.timestamp - first;
      if (spanMs > (t.maxIntervalMs ?? window)) continue;
      state.firedChords.add(entry);
      this.options.onFire(entry, this.context('GamepadButtonChord', event, { button: id, buttons: t.buttons.join(','), spanMs }));
      break;
    }
  }

  private released(state: ControllerState, id: number): void {
    state.down.delete(id);
    for (const entry of state.firedChords) {
      const t = entry.mapping.trigger as GamepadTriggerOf<'GamepadButtonChord'>;
      if (t.buttons.includes(id)) state.firedChords.delete(entry);
    }
  }

  /** A stick fires when it leaves its rest zone (or crosses to the other side), once per push: edge, not level. */
  private axis(event: GamepadEvent, state: ControllerState, id: number, value: number): void {
    const zone = Math.abs(value) < STICK_DEADZONE ? 0 : Math.sign(value);
    const previous = state.stickZone.get(id) ?? 0;
    state.stickZone.set(id, zone);
    if (zone === 0 || zone === previous) return;
    const direction = zone > 0 ? 'Clockwise' : 'CounterClockwise';
    for (const entry of this.gamepadEntries()) {
      const t = entry.mapping.trigger as GamepadTriggerOf<'GamepadAnalogStick'>;
      if (t.type === 'GamepadAnalogStick' && t.axis === id && (t.direction === undefined || t.direction === direction)) {
        this.options.onFire(entry, this.context('GamepadAnalogStick', event, { axis: id, value, direction }));
        break;
      }
    }
  }

  /** An analog trigger fires when its value rises to or past a mapping's threshold (again only after falling below it). */
  private trigger(event: GamepadEvent, state: ControllerState, id: number, value: number): void {
    const previous = state.triggerValue.get(id) ?? 0;
    state.triggerValue.set(id, value);
    for (const entry of this.gamepadEntries()) {
      const t = entry.mapping.trigger as GamepadTriggerOf<'GamepadTrigger'>;
      if (t.type !== 'GamepadTrigger' || t.trigger !== id) continue;
      const threshold = t.threshold ?? DEFAULT_TRIGGER_THRESHOLD;
      if (previous < threshold && value >= threshold) {
        this.options.onFire(entry, this.context('GamepadTrigger', event, { trigger: id, value }));
        break;
      }
    }
  }
}
