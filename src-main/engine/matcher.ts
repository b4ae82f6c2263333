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

export interface TriggerFire {
  entry: MappingEntry;
  trigger: TriggerType;
  context: TriggerContext;
}

export interface MatcherOptions {
  clock: Clock;
  timer: Timer;
  timing: () => TimingConfig;
  /** The mappings to check, in precedence order: the current mode's, then the global ones. */
  entries: () => readonly MappingEntry[];
  mode: () => string | null;
  onFire: (fire: TriggerFire) => void;
}

interface Press {
  seq: number;
  at: number;
  channel: number;
  note: number;
  velocity: number;
}

interface Held extends Press {
  deviceId: string;
  timers: TimerId[];
}

const noteKey = (deviceId: string, channel: number, note: number): string => `${deviceId}\u0000${channel}\u0000${note}`;
const MAX_TRACKED_DEVICES = 64;

export class TriggerMatcher {
  private pressSeq = 0;
  private readonly held = new Map<string, Held>();
  private readonly lastTapAt = new Map<string, number>();
  /** deviceId → (channel * 128 + note) → that note's latest note-on. */
  private readonly presses = new Map<string, Map<number, Press>>();
  /** Press seq up to which a chord mapping's notes are used up (a chord fires once per set of presses). */
  private chordConsumed = new WeakMap<Mapping, number>();
  private readonly ccValues = new Map<string, number>();

  constructor(private readonly options: MatcherOptions) {}

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
  }

  /** Cancels every hold timer. */
  dispose(): void {
    for (const held of this.held.values()) for (const id of held.timers) this.options.timer.clearTimeout(id);
    this.held.clear();
  }

  /** Notes currently held (for diagnostics and tests). */
  get heldCount(): number {
    return this.held.size;
  }

  private context(type: TriggerType, deviceId: string, timestamp: number, channel: number, extra: Omit<TriggerContext, 'trigger' | 'mode' | 'timestamp'>): TriggerContext {
    return { trigger: type, mode: this.options.mode() ?? '', timestamp, device: deviceId, channel, ...extra };
  }

  private fire(entry: MappingEntry, context: TriggerContext): void {
    this.options.onFire({ entry, trigger: entry.mapping.trigger.type, context });
  }

  private noteOn(event: MidiEvent, message: Extract<MidiMessage, { type: 'noteOn' }>): void {
    const { channel, note, velocity } = message;
    const { deviceId, timestamp } = event;
    const entries = this.options.entries();
    const timing = this.options.timing();
    const key = noteKey(deviceId, channel, note);
    const press: Press = { seq: ++this.pressSeq, at: timestamp, channel, note, velocity };

    // A note-on while the note is still held (no note-off seen) starts a new hold.
    this.cancelHold(key);
    const held: Held = { ...press, deviceId, timers: [] };
    this.held.set(key, held);
    this.rememberPress(deviceId, press);

    // press: Note / VelocityRange, first match.
    for (const entry of entries) {
      const t = entry.mapping.trigger;
      if ((t.type === 'Note' || t.type === 'VelocityRange') && pressMatches(t, channel, note, velocity)) {
        this.fire(entry, this.context(t.type, deviceId, timestamp, channel, { note, velocity }));
        break;
      }
    }

    // double-tap: the second note-on within the interval of the first; a completed pair starts over.
    const previous = this.lastTapAt.get(key);
    let tapped = false;
    if (previous !== undefined) {
      const intervalMs = timestamp - previous;
      for (const entry of entries) {
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
    for (const entry of entries) {
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
    const thresholds = new Set<number>();
    for (const entry of entries) {
      const t = entry.mapping.trigger;
      if (t.type === 'LongPress' && t.note === note && channelMatches(t, channel)) thresholds.add(t.minDurationMs ?? timing.holdThresholdMs);
    }
    for (const thresholdMs of thresholds) {
      const delayMs = Math.max(0, thresholdMs - (this.options.clock.now() - timestamp));
      held.timers.push(this.options.timer.setTimeout(() => this.holdReached(key, held.seq, thresholdMs), delayMs));
    }
  }

  private noteOff(deviceId: string, channel: number, note: number): void {
    this.cancelHold(noteKey(deviceId, channel, note));
  }

  private cancelHold(key: string): void {
    const held = this.held.get(key);
    if (!held) return;
    for (const id of held.timers) this.options.timer.clearTimeout(id);
    this.held.delete(key);
  }

  /** A hold timer fired: if the same press is still held, the first LongPress mapping with that threshold fires. */
  private holdReached(key: string, seq: number, thresholdMs: number): void {
    const held = this.held.get(key);
    if (!held || held.seq !== seq) return;
    const timing = this.options.timing();
    const now = this.options.clock.now();
    for (const entry of this.options.entries()) {
      const t = entry.mapping.trigger;
      if (t.type !== 'LongPress' || t.note !== held.note || !channelMatches(t, held.channel)) continue;
      if ((t.minDurationMs ?? timing.holdThresholdMs) !== thresholdMs) continue;
      this.fire(entry, this.context('LongPress', held.deviceId, now, held.channel, { note: held.note, velocity: held.velocity, durationMs: now - held.at }));
      return;
    }
  }

  private rememberPress(deviceId: string, press: Press): void {
    let perDevice = this.presses.get(deviceId);
    if (!perDevice) {
      if (this.presses.size >= MAX_TRACKED_DEVICES) this.presses.clear();
      perDevice = new Map();
      this.presses.set(deviceId, perDevice);
    }
    perDevice.set(press.channel * 128 + press.note, press);
  }

  /** The presses that complete `trigger` with `press` as the newest, or null if the chord is not complete. */
  private completedChord(deviceId: string, mapping: Mapping, trigger: Extract<Trigger, { type: 'NoteChord' }>, press: Press, windowMs: number): Press[] | null {
    const perDevice = this.presses.get(deviceId);
    if (!perDevice) return null;
    const consumed = this.chordConsumed.get(mapping) ?? 0;
    const found: Press[] = [];
    for (const note of new Set(trigger.notes)) {
      let latest: Press | undefined;
      if (note === press.note) latest = press;
      else {
        for (let ch = 0; ch < 16; ch++) {
          if (trigger.channel !== undefined && ch !== trigger.channel) continue;
          const p = perDevice.get(ch * 128 + note);
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
    const key = noteKey(event.deviceId, channel, controller);
    const previous = this.ccValues.get(key);
    this.ccValues.set(key, value);
    let absolute: EncoderStep | null | undefined;
    let relative: EncoderStep | null | undefined;
    for (const entry of this.options.entries()) {
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
      if (!step || step.direction !== t.direction) continue;
      this.fire(
        entry,
        this.context('EncoderTurn', event.deviceId, event.timestamp, channel, { cc: controller, value, direction: step.direction, steps: step.steps, encoding: t.encoding ?? 'relative' }),
      );
      return;
    }
  }

  private aftertouch(event: MidiEvent, message: Extract<MidiMessage, { type: 'polyAftertouch' | 'channelAftertouch' }>): void {
    for (const entry of this.options.entries()) {
      const t = entry.mapping.trigger;
      if (t.type !== 'Aftertouch' || !aftertouchMatches(t, message)) continue;
      const extra = message.type === 'polyAftertouch' ? { note: message.note, pressure: message.pressure, value: message.pressure } : { pressure: message.pressure, value: message.pressure };
      this.fire(entry, this.context('Aftertouch', event.deviceId, event.timestamp, message.channel, extra));
      return;
    }
  }

  private pitchBend(event: MidiEvent, message: Extract<MidiMessage, { type: 'pitchBend' }>): void {
    for (const entry of this.options.entries()) {
      const t = entry.mapping.trigger;
      if (t.type !== 'PitchBend' || !pitchBendMatches(t, message.channel, message.value)) continue;
      this.fire(entry, this.context('PitchBend', event.deviceId, event.timestamp, message.channel, { value: message.value }));
      return;
    }
  }
}
