// Trigger recognition: turns MIDI events (and hold timers) into fired mappings, keeping the little state the
// timing-based triggers need (held notes, last taps, recent presses, last CC values). Synchronous and allocation-
// light; never runs an action and never waits — firing is a callback the engine queues.
import type { Mapping, TimingConfig, Trigger, TriggerType } from '../../src-shared/config';
import type { MappingRef } from '../../src-shared/engine';
import type { MidiEvent, MidiMessage } from '../../src-shared/midi';
import type { TriggerContext } from '../../src-shared/plugin';
import type { Clock, Timer, TimerId } from '../common/clock';
import { absoluteEncoderStep, aftertouchMatches, channelMatches, pitchBendMatches, pressMatches, relativeEncoderStep, type EncoderStep } from './triggers';

/** A mapping as the matcher sees it, with where it is in the config. */
export interface MappingEntry {
  readonly mapping: Mapping;
  readonly ref: MappingRef;
}

export interface MatcherOptions {
  clock: Clock;
  timer: Timer;
  timing: () => TimingConfig;
  /** The mappings to check, in precedence order: the current mode's, then the global ones. */
  entries: () => readonly MappingEntry[];
  mode: () => string | null;
  /** A mapping fired with this context (a fresh object, the receiver's to keep). */
  onFire: (entry: MappingEntry, context: TriggerContext) => void;
}

interface Press {
  seq: number;
  at: number;
  channel: number;
  note: number;
  velocity: number;
}

/** A note's latest note-on, kept per (device, channel, note) and reused for the next one (no object per press). */
interface Held extends Press {
  readonly deviceId: string;
  /** Not released since (no note-off or velocity-0 note-on seen). */
  down: boolean;
  /** Pending hold timers of this press (only when LongPress mappings are on the note). */
  timers: TimerId[];
}

/** Devices whose note and CC state is kept; one more forgets all of it (held notes, taps, CC values, presses). */
const MAX_TRACKED_DEVICES = 64;

// Trigger classes as the index groups them: for one event at most one mapping per class fires (docs/engine.md).
const PRESS = 0;
const DOUBLE_TAP = 1;
const CHORD = 2;
const HOLD = 3;
const CONTROL = 4;
const AFTERTOUCH = 5;
const PITCH_BEND = 6;
/** data1 of messages that have none in the index (channel aftertouch, pitch bend). */
const NO_DATA1 = 128;
const EMPTY: readonly MappingEntry[] = Object.freeze([]);

const isMidiValue = (n: number): boolean => Number.isInteger(n) && n >= 0 && n <= 127;

/**
 * The mappings grouped by (trigger class, channel, data1 — note or controller), each group in precedence order, so an
 * event looks at the few mappings that can match it (one Map lookup) instead of all of them. A trigger without a
 * channel is in the group of every channel; one whose note, controller or channel no MIDI message can carry is in none
 * (it could never match). Built once per list of mappings; the checks that need the event's values (velocity, value,
 * pressure, timing) stay with the matcher.
 */
export class TriggerIndex {
  private readonly groups = new Map<number, MappingEntry[]>();

  constructor(entries: readonly MappingEntry[]) {
    for (const entry of entries) {
      const t = entry.mapping.trigger;
      switch (t.type) {
        case 'Note':
        case 'VelocityRange':
          this.add(PRESS, t.channel, t.note, entry);
          break;
        case 'DoubleTap':
          this.add(DOUBLE_TAP, t.channel, t.note, entry);
          break;
        case 'NoteChord':
          for (const note of new Set(t.notes)) this.add(CHORD, t.channel, note, entry);
          break;
        case 'LongPress':
          this.add(HOLD, t.channel, t.note, entry);
          break;
        case 'CC':
        case 'EncoderTurn':
          this.add(CONTROL, t.channel, t.cc, entry);
          break;
        case 'Aftertouch':
          this.add(AFTERTOUCH, t.channel, t.note ?? NO_DATA1, entry);
          break;
        case 'PitchBend':
          this.add(PITCH_BEND, t.channel, NO_DATA1, entry);
          break;
      }
    }
  }

  /** The mappings of `cls` that can match `channel` and `data1`, in precedence order (shared: never modify). */
  get(cls: number, channel: number, data1: number): readonly MappingEntry[] {
    return this.groups.get(TriggerIndex.key(cls, channel, data1)) ?? EMPTY;
  }

  private static key(cls: number, channel: number, data1: number): number {
    return (cls * 16 + channel) * 129 + data1;
  }

  private add(cls: number, channel: number | undefined, data1: number, entry: MappingEntry): void {
    if (data1 !== NO_DATA1 && !isMidiValue(data1)) return;
    if (channel !== undefined && !(Number.isInteger(channel) && channel >= 0 && channel <= 15)) return;
    for (let ch = channel ?? 0; ch <= (channel ?? 15); ch++) {
      const key = TriggerIndex.key(cls, ch, data1);
      const group = this.groups.get(key);
      if (group) group.push(entry);
      else this.groups.set(key, [entry]);
    }
  }
}

export class TriggerMatcher {
  private pressSeq = 0;
  /** Numbers for device ids, so note and CC state is keyed by a number: slot = device * 2048 + channel * 128 + data1. */
  private readonly devices = new Map<string, number>();
  /** slot → that note's latest note-on (held while `down`). */
  private readonly notes = new Map<number, Held>();
  private readonly lastTapAt = new Map<number, number>();
  /** Press seq up to which a chord mapping's notes are used up (a chord fires once per set of presses). */
  private chordConsumed = new WeakMap<Mapping, number>();
  private readonly ccValues = new Map<number, number>();
  /** The index of each list of mappings `entries()` returned (the engine keeps one list per mode). */
  private indexes = new WeakMap<readonly MappingEntry[], TriggerIndex>();

  constructor(private readonly options: MatcherOptions) {}

  /** The index of the current mappings (built on first use of a list). */
  private index(): TriggerIndex {
    const entries = this.options.entries();
    let index = this.indexes.get(entries);
    if (!index) {
      index = new TriggerIndex(entries);
      this.indexes.set(entries, index);
    }
    return index;
  }

  handle(event: MidiEvent): void {
    const message = event.message;
    switch (message.type) {
      case 'noteOn':
        if (message.velocity === 0) this.noteOff(event.deviceId, message.channel, message.note);
        else this.noteOn(event, message);
        break;
      case 'noteOff':
        this.noteOff(event.deviceId, message.channel, message.note);
        break;
      case 'controlChange':
        this.controlChange(event, message);
        break;
      case 'polyAftertouch':
      case 'channelAftertouch':
        this.aftertouch(event, message);
        break;
      case 'pitchBend':
        this.pitchBend(event, message);
        break;
      case 'programChange':
        break;
    }
  }

  /** After a config change: mapping-specific state (chords used up) starts over; held notes and taps are kept. */
  resetMappings(): void {
    this.chordConsumed = new WeakMap();
    this.indexes = new WeakMap();
  }

  /** Cancels every hold timer. */
  dispose(): void {
    this.forgetNotes();
  }

  /** Notes currently held (for diagnostics and tests). */
  get heldCount(): number {
    let n = 0;
    for (const held of this.notes.values()) if (held.down) n++;
    return n;
  }

  /** The slot of (device, channel, data1); data values are 7-bit, channels 4-bit (as MIDI carries them). */
  private slot(deviceId: string, channel: number, data1: number): number {
    let device = this.devices.get(deviceId);
    if (device === undefined) {
      if (this.devices.size >= MAX_TRACKED_DEVICES) this.forgetNotes();
      device = this.devices.size;
      this.devices.set(deviceId, device);
    }
    return device * 2048 + (channel & 15) * 128 + (data1 & 127);
  }

  private forgetNotes(): void {
    for (const held of this.notes.values()) for (const id of held.timers) this.options.timer.clearTimeout(id);
    this.notes.clear();
    this.lastTapAt.clear();
    this.ccValues.clear();
    this.devices.clear();
  }

  private context(type: TriggerType, deviceId: string, timestamp: number, channel: number, extra: Omit<TriggerContext, 'trigger' | 'mode' | 'timestamp'>): TriggerContext {
    return { trigger: type, mode: this.options.mode() ?? '', timestamp, device: deviceId, channel, ...extra };
  }

  private fire(entry: MappingEntry, context: TriggerContext): void {
    this.options.onFire(entry, context);
  }

  private noteOn(event: MidiEvent, message: Extract<MidiMessage, { type: 'noteOn' }>): void {
    const { channel, note, velocity } = message;
    const { deviceId, timestamp } = event;
    const index = this.index();
    const timing = this.options.timing();
    const key = this.slot(deviceId, channel, note);
    // A note-on while the note is still held (no note-off seen) starts a new hold.
    this.cancelHold(key);
    let held = this.notes.get(key);
    if (held) {
      held.seq = ++this.pressSeq;
      held.at = timestamp;
      held.velocity = velocity;
    } else {
      held = { seq: ++this.pressSeq, at: timestamp, channel, note, velocity, deviceId, down: true, timers: [] };
      this.notes.set(key, held);
    }
    held.down = true;
    const press: Press = held;

    // press: Note / VelocityRange, first match.
    for (const entry of index.get(PRESS, channel, note)) {
      const t = entry.mapping.trigger;
      if ((t.type === 'Note' || t.type === 'VelocityRange') && pressMatches(t, channel, note, velocity)) {
        const context = { trigger: t.type, mode: this.options.mode() ?? '', timestamp, device: deviceId, channel, note, velocity };
        // Conductor's VelocityRange classifies every press: its band goes to the action (and a plugin) as `level`.
        if (t.type === 'VelocityRange' && t.softMax !== undefined && t.mediumMax !== undefined) {
          this.fire(entry, { ...context, level: velocity <= t.softMax ? 'soft' : velocity <= t.mediumMax ? 'medium' : 'hard' });
        } else {
          this.fire(entry, context);
        }
        break;
      }
    }

    // double-tap: the second note-on within the interval of the first; a completed pair starts over.
    const previous = this.lastTapAt.get(key);
    let tapped = false;
    if (previous !== undefined) {
      const intervalMs = timestamp - previous;
      for (const entry of index.get(DOUBLE_TAP, channel, note)) {
        const t = entry.mapping.trigger;
        if (t.type !== 'DoubleTap' || t.note !== note || !channelMatches(t, channel)) continue;
        if (intervalMs <= (t.maxIntervalMs ?? timing.doubleTapTimeoutMs)) {
          this.fire(entry, this.context('DoubleTap', deviceId, timestamp, channel, { note, velocity, intervalMs }));
          tapped = true;
          break;
        }
      }
    }
    if (tapped) this.lastTapAt.delete(key);
    else this.lastTapAt.set(key, timestamp);

    // chord: completes on the note-on that makes every note of the chord present within the window.
    let chordFired = false;
    for (const entry of index.get(CHORD, channel, note)) {
      const t = entry.mapping.trigger;
      if (t.type !== 'NoteChord' || !t.notes.includes(note) || !channelMatches(t, channel)) continue;
      const notes = this.completedChord(deviceId, entry.mapping, t, press, t.maxIntervalMs ?? timing.chordTimeoutMs);
      if (!notes) continue;
      this.chordConsumed.set(entry.mapping, press.seq);
      if (chordFired) continue;
      chordFired = true;
      const spanMs = Math.max(...notes.map((p) => p.at)) - Math.min(...notes.map((p) => p.at));
      this.fire(entry, this.context('NoteChord', deviceId, timestamp, channel, { note, velocity, notes: notes.map((p) => p.note).join(','), spanMs }));
    }

    // hold: one timer per distinct threshold among the LongPress mappings on this note now.
    const holds = index.get(HOLD, channel, note);
    if (holds.length === 0) return;
    const seq = held.seq;
    const thresholds = new Set<number>();
    for (const entry of holds) {
      const t = entry.mapping.trigger;
      if (t.type === 'LongPress' && t.note === note && channelMatches(t, channel)) thresholds.add(t.minDurationMs ?? timing.holdThresholdMs);
    }
    for (const thresholdMs of thresholds) {
      const delayMs = Math.max(0, thresholdMs - (this.options.clock.now() - timestamp));
      held.timers.push(this.options.timer.setTimeout(() => this.holdReached(key, seq, thresholdMs), delayMs));
    }
  }

  private noteOff(deviceId: string, channel: number, note: number): void {
    this.cancelHold(this.slot(deviceId, channel, note));
  }

  private cancelHold(key: number): void {
    const held = this.notes.get(key);
    if (!held?.down) return;
    held.down = false;
    if (held.timers.length === 0) return;
    for (const id of held.timers) this.options.timer.clearTimeout(id);
    held.timers = [];
  }

  /** A hold timer fired: if the same press is still held, the first LongPress mapping with that threshold fires. */
  private holdReached(key: number, seq: number, thresholdMs: number): void {
    const held = this.notes.get(key);
    if (!held?.down || held.seq !== seq) return;
    const timing = this.options.timing();
    const now = this.options.clock.now();
    for (const entry of this.index().get(HOLD, held.channel, held.note)) {
      const t = entry.mapping.trigger;
      if (t.type !== 'LongPress' || t.note !== held.note || !channelMatches(t, held.channel)) continue;
      if ((t.minDurationMs ?? timing.holdThresholdMs) !== thresholdMs) continue;
      this.fire(entry, this.context('LongPress', held.deviceId, now, held.channel, { note: held.note, velocity: held.velocity, durationMs: now - held.at }));
      return;
    }
  }

  /** The presses that complete `trigger` with `press` as the newest, or null if the chord is not complete. */
  private completedChord(deviceId: string, mapping: Mapping, trigger: Extract<Trigger, { type: 'NoteChord' }>, press: Press, windowMs: number): Press[] | null {
    const device = this.devices.get(deviceId);
    if (device === undefined) return null;
    const consumed = this.chordConsumed.get(mapping) ?? 0;
    const found: Press[] = [];
    for (const note of new Set(trigger.notes)) {
      let latest: Press | undefined;
      if (note === press.note) latest = press;
      else {
        for (let ch = 0; ch < 16; ch++) {
          if (trigger.channel !== undefined && ch !== trigger.channel) continue;
          const p = isMidiValue(note) ? this.notes.get(device * 2048 + ch * 128 + note) : undefined;
          if (p && p.seq > consumed && (!latest || p.seq > latest.seq)) latest = p;
        }
      }
      if (!latest) return null;
      found.push(latest);
    }
    const times = found.map((p) => p.at);
    return Math.max(...times) - Math.min(...times) <= windowMs ? found : null;
  }

  private controlChange(event: MidiEvent, message: Extract<MidiMessage, { type: 'controlChange' }>): void {
    const { channel, controller, value } = message;
    const key = this.slot(event.deviceId, channel, controller);
    const previous = this.ccValues.get(key);
    this.ccValues.set(key, value);
    let absolute: EncoderStep | null | undefined;
    let relative: EncoderStep | null | undefined;
    for (const entry of this.index().get(CONTROL, channel, controller)) {
      const t = entry.mapping.trigger;
      if ((t.type !== 'CC' && t.type !== 'EncoderTurn') || t.cc !== controller || !channelMatches(t, channel)) continue;
      if (t.type === 'CC') {
        if (value < (t.valueMin ?? 0)) continue;
        this.fire(entry, this.context('CC', event.deviceId, event.timestamp, channel, { cc: controller, value }));
        return;
      }
      let step: EncoderStep | null;
      if (t.encoding === 'absolute') step = absolute === undefined ? (absolute = absoluteEncoderStep(previous, value)) : absolute;
      else step = relative === undefined ? (relative = relativeEncoderStep(value)) : relative;
      if (!step || (t.direction !== undefined && step.direction !== t.direction)) continue;
      this.fire(
        entry,
        this.context('EncoderTurn', event.deviceId, event.timestamp, channel, { cc: controller, value, direction: step.direction, steps: step.steps, encoding: t.encoding ?? 'relative' }),
      );
      return;
    }
  }

  private aftertouch(event: MidiEvent, message: Extract<MidiMessage, { type: 'polyAftertouch' | 'channelAftertouch' }>): void {
    const data1 = message.type === 'polyAftertouch' ? message.note : NO_DATA1;
    for (const entry of this.index().get(AFTERTOUCH, message.channel, data1)) {
      const t = entry.mapping.trigger;
      if (t.type !== 'Aftertouch' || !aftertouchMatches(t, message)) continue;
      const extra = message.type === 'polyAftertouch' ? { note: message.note, pressure: message.pressure, value: message.pressure } : { pressure: message.pressure, value: message.pressure };
      this.fire(entry, this.context('Aftertouch', event.deviceId, event.timestamp, message.channel, extra));
      return;
    }
  }

  private pitchBend(event: MidiEvent, message: Extract<MidiMessage, { type: 'pitchBend' }>): void {
    for (const entry of this.index().get(PITCH_BEND, message.channel, NO_DATA1)) {
      const t = entry.mapping.trigger;
      if (t.type !== 'PitchBend' || !pitchBendMatches(t, message.channel, message.value)) continue;
      this.fire(entry, this.context('PitchBend', event.deviceId, event.timestamp, message.channel, { value: message.value }));
      return;
    }
  }
}
