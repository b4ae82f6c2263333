// MIDI-learn: watches the MIDI the user plays during a learn session and infers the trigger they meant (note,
// double-tap, long press, chord, knob, encoder, aftertouch, pitch bend). Only observes events; never runs actions.
//
// Inference (the first message of a session decides the family; later messages of other controls are ignored):
//   note-on      another note within the chord window        → NoteChord (every note pressed within the window)
//                released and pressed again within the double-tap interval (from the first press) → DoubleTap
//                held past the hold threshold                 → LongPress (min_duration_ms = the threshold)
//                released, no second tap within the interval → Note (with channel; the velocity is reported)
//   CC           collected until it rests for CC_SETTLE_MS (at most CC_MAX_GESTURE_MS), then:
//                every value in 1–15 / 113–127 and not a smooth one-way sweep → EncoderTurn, relative, with the
//                direction of the summed steps; anything else → CC (an absolute knob or fader)
//   aftertouch   poly → Aftertouch on that note; channel pressure → Aftertouch (any pressure)
//   pitch bend   collected like a CC → PitchBend over the touched range (with a dead zone when it spans the centre)
//   gamepad      a button → GamepadButton (others within the chord window → GamepadButtonChord); a stick past half its
//                travel → GamepadAnalogStick with that direction; an analog trigger past half → GamepadTrigger
import type { TimingConfig, Trigger } from '../../src-shared/config';
import type { LearnEvent, LearnResult } from '../../src-shared/contract';
import type { GamepadEvent } from '../../src-shared/gamepad';
import { noteName, PITCH_BEND_CENTER, type MidiEvent } from '../../src-shared/midi';
import { describeTrigger } from '../../src-shared/wording';
import { systemClock, systemTimer, type Clock, type Timer, type TimerId } from '../common/clock';
import { Emitter } from '../../src-shared/emitter';
import { relativeEncoderStep } from './triggers';

/** Where the learner gets MIDI: the DeviceManager (every connected input, parsed). */
export interface LearnMidiSource {
  onDidMidiEvent(listener: (event: MidiEvent) => void): () => void;
}

/** Where the learner gets game controllers' input (the gamepad source; absent: none). */
export interface LearnGamepadSource {
  onDidGamepad(listener: (event: GamepadEvent) => void): () => void;
}

/** What the learner needs of the core (Core fits): its devices' MIDI and the running config's timing. */
export interface LearnerCore {
  readonly devices: LearnMidiSource;
  /** Game controllers: a button (or a few together), a stick pushed or a trigger pressed is learned too. */
  readonly gamepads?: LearnGamepadSource | null;
  /** The config store: its running config's timing (chord window, double-tap interval, hold threshold), read at each press. */
  readonly config: { readonly config: { readonly timing: TimingConfig } };
  /** The engine: mappings do not fire while a session runs, so touching a mapped pad to learn it does not run its action. */
  readonly engine?: { setMatching(enabled: boolean): void };
}

export interface LearnerOptions {
  /** Default: the system clock. */
  clock?: Clock;
  /** Default: the global setTimeout. */
  timer?: Timer;
}

export const DEFAULT_LEARN_TIMEOUT_MS = 10_000;
/** A knob, encoder or wheel gesture ends when no message of it arrived for this long. */
export const CC_SETTLE_MS = 400;
/** …or at the latest this long after its first message (someone turning a knob without pause). */
export const CC_MAX_GESTURE_MS = 1500;
/** Dead zone put around the centre when a learned pitch-bend range contains the resting position. */
export const LEARN_PITCH_BEND_DEADZONE = 256;

interface NoteGesture {
  kind: 'note';
  deviceId: string;
  channel: number;
  note: number;
  velocity: number;
  at: number;
  released: boolean;
  /** Every note pressed within the chord window (the first one included), in press order. */
  chord: { note: number; channel: number }[];
  timing: TimingConfig;
}

interface RangeGesture {
  kind: 'cc' | 'bend';
  deviceId: string;
  channel: number;
  /** The controller number for 'cc'. */
  cc: number;
  values: number[];
  firstAt: number;
  /** When the latest value arrived. */
  lastAt: number;
}

type Gesture = NoteGesture | RangeGesture;

interface Session {
  id: number;
  timeoutMs: number;
  deadline: TimerId;
  gesture: Gesture | null;
  /** A game controller's buttons pressed so far in this session (the first one's time), when a button began it. */
  pad: { deviceId: string; buttons: number[]; at: number } | null;
  /** Timers of the gesture in progress. */
  timers: TimerId[];
}

const RELATIVE_VALUE = (v: number): boolean => (v >= 1 && v <= 15) || (v >= 113 && v <= 127);

const channelText = (channel: number): string => `channel ${channel + 1}`;
const padText = (note: number): string => `${noteName(note)} (note ${note})`;

/**
 * One learn session at a time: `start` begins one (cancelling the previous), the first gesture played ends it
 * with a `learned` event, `cancel` or the timeout end it with `cancelled`.
 */
export class Learner {
  private readonly clock: Clock;
  private readonly timer: Timer;
  private readonly timing: () => TimingConfig;
  // A broken listener must not stop the others or the session: its error is dropped.
  private readonly learned = new Emitter<LearnEvent>({ onListenerError: () => undefined });
  private readonly unsubscribe: () => void;
  private session: Session | null = null;
  private readonly engine: { setMatching(enabled: boolean): void } | null;
  private nextId = 1;
  private disposed = false;

  constructor(core: LearnerCore, options: LearnerOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.timer = options.timer ?? systemTimer;
    this.timing = () => core.config.config.timing;
    this.engine = core.engine ?? null;
    const offMidi = core.devices.onDidMidiEvent((event) => this.handle(event));
    const offPads = core.gamepads?.onDidGamepad((event) => this.handleGamepad(event)) ?? (() => undefined);
    this.unsubscribe = () => {
      offMidi();
      offPads();
    };
  }

  /** The running session's id, or null. */
  get activeSessionId(): number | null {
    return this.session?.id ?? null;
  }

  /** Every started/learned/cancelled event; returns the unsubscribe function. A throwing listener is ignored. */
  readonly onDidLearn = this.learned.event;

  /** Starts a session of at most `timeoutMs` (a running one is cancelled first, reason 'user'); returns its id. */
  start(timeoutMs: number = DEFAULT_LEARN_TIMEOUT_MS): number {
    if (this.disposed) throw new Error('the learner is disposed');
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new RangeError(`a learn timeout must be a positive number of ms, got ${timeoutMs}`);
    this.cancel();
    const id = this.nextId++;
    const session: Session = { id, timeoutMs, gesture: null, pad: null, timers: [], deadline: 0 };
    session.deadline = this.timer.setTimeout(() => this.onTimeout(session), timeoutMs);
    this.session = session;
    this.engine?.setMatching(false);
    this.emit({ kind: 'started', sessionId: id, timeoutMs });
    return id;
  }

  /** Ends the running session (reason 'user'); false when none was running. */
  cancel(): boolean {
    const session = this.session;
    if (!session) return false;
    this.end(session);
    this.emit({ kind: 'cancelled', sessionId: session.id, reason: 'user' });
    return true;
  }

  /** Ends any session silently and stops listening to MIDI. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.session) this.end(this.session);
    this.unsubscribe();
    this.learned.dispose();
  }

  // ── sessions ──────────────────────────────────────────────────────────────────────────────────────────

  private end(session: Session): void {
    this.timer.clearTimeout(session.deadline);
    for (const id of session.timers.splice(0)) this.timer.clearTimeout(id);
    if (this.session === session) {
      this.session = null;
      this.engine?.setMatching(true);
    }
  }

  /** The time is up: a gesture in progress is decided with what was seen; with none the session is cancelled. */
  private onTimeout(session: Session): void {
    if (this.session !== session) return;
    const result = session.gesture ? this.decide(session.gesture, true) : null;
    if (result) {
      this.finish(session, result);
      return;
    }
    this.end(session);
    this.emit({ kind: 'cancelled', sessionId: session.id, reason: 'timeout' });
  }

  private finish(session: Session, result: LearnResult): void {
    this.end(session);
    this.emit({ kind: 'learned', sessionId: session.id, result });
  }

  private emit(event: LearnEvent): void {
    this.learned.fire(event);
  }

  private after(session: Session, delayMs: number): void {
    session.timers.push(this.timer.setTimeout(() => this.settle(session), Math.max(0, delayMs)));
  }

  /** Re-decides the gesture now (after a timer or a release); finishes the session when it is decided. */
  private settle(session: Session): void {
    if (this.session !== session || !session.gesture) return;
    const result = this.decide(session.gesture, false);
    if (result) this.finish(session, result);
  }

  // ── game controllers in ─────────────────────────────────────────────────────────────────────────────

  /**
   * A session's first input decides, as with MIDI: a button (others pressed within the chord window make a
   * GamepadButtonChord), a stick pushed past half its travel (GamepadAnalogStick with that direction), or an analog
   * trigger pressed past half (GamepadTrigger). Input of another controller than the first is ignored.
   */
  private handleGamepad(event: GamepadEvent): void {
    const session = this.session;
    if (!session || session.gesture) return;
    const { input, deviceId } = event;
    const pad = session.pad;
    if (pad && pad.deviceId !== deviceId) return;
    const describe = (trigger: Trigger): LearnResult => ({ trigger, description: describeTrigger(trigger, this.timing()), velocity: null, deviceId });
    switch (input.kind) {
      case 'button': {
        if (!input.pressed) return;
        if (!pad) {
          session.pad = { deviceId, buttons: [input.id], at: this.clock.now() };
          session.timers.push(this.timer.setTimeout(() => this.settlePad(session), this.timing().chordTimeoutMs + 1));
        } else if (!pad.buttons.includes(input.id) && this.clock.now() - pad.at <= this.timing().chordTimeoutMs) {
          pad.buttons.push(input.id);
        }
        return;
      }
      case 'axis':
        if (pad || Math.abs(input.value) < 0.5) return;
        this.finish(session, describe({ type: 'GamepadAnalogStick', axis: input.id, direction: input.value > 0 ? 'Clockwise' : 'CounterClockwise' }));
        return;
      case 'trigger':
        if (pad || input.value < 64) return;
        this.finish(session, describe({ type: 'GamepadTrigger', trigger: input.id }));
        return;
    }
  }

  /** The chord window after a session's first button has passed: one button, or the buttons pressed together. */
  private settlePad(session: Session): void {
    const pad = session.pad;
    if (this.session !== session || !pad) return;
    const [first] = pad.buttons;
    if (first === undefined) return;
    const trigger: Trigger = pad.buttons.length > 1 ? { type: 'GamepadButtonChord', buttons: [...pad.buttons] } : { type: 'GamepadButton', button: first };
    this.finish(session, { trigger, description: describeTrigger(trigger, this.timing()), velocity: null, deviceId: pad.deviceId });
  }

  // ── MIDI in ───────────────────────────────────────────────────────────────────────────────────────────

  private handle(event: MidiEvent): void {
    const session = this.session;
    if (!session) return;
    const gesture = session.gesture;
    const m = event.message;
    const now = this.clock.now();
    if (!gesture) {
      // A game controller began this session: MIDI meanwhile is another control.
      if (!session.pad) this.begin(session, event, now);
      return;
    }
    if (event.deviceId !== gesture.deviceId) return;

    if (gesture.kind === 'note') {
      const timing = gesture.timing;
      if (m.type === 'noteOn' && m.velocity > 0) {
        const isFirst = m.note === gesture.note && m.channel === gesture.channel;
        if (isFirst) {
          // The same pad again: a double tap if it was released and this is within the interval (and no chord formed).
          if (gesture.released && gesture.chord.length < 2 && now - gesture.at <= timing.doubleTapTimeoutMs) {
            this.finish(session, this.result(gesture, { type: 'DoubleTap', note: gesture.note, channel: gesture.channel }));
          }
          return;
        }
        if (now - gesture.at <= timing.chordTimeoutMs && !gesture.chord.some((c) => c.note === m.note && c.channel === m.channel)) {
          gesture.chord.push({ note: m.note, channel: m.channel });
        }
        return;
      }
      if ((m.type === 'noteOff' || (m.type === 'noteOn' && m.velocity === 0)) && m.note === gesture.note && m.channel === gesture.channel && !gesture.released) {
        gesture.released = true;
        this.settle(session);
      }
      return;
    }

    if (gesture.kind === 'cc' && m.type === 'controlChange' && m.channel === gesture.channel && m.controller === gesture.cc) {
      this.more(session, gesture, m.value, now);
    } else if (gesture.kind === 'bend' && m.type === 'pitchBend' && m.channel === gesture.channel) {
      this.more(session, gesture, m.value, now);
    }
  }

  /** One more value of a knob/encoder/wheel gesture: it is decided once it rests (or runs too long). */
  private more(session: Session, gesture: RangeGesture, value: number, now: number): void {
    gesture.values.push(value);
    gesture.lastAt = now;
    for (const id of session.timers.splice(0)) this.timer.clearTimeout(id); // one pending settle check at a time
    this.after(session, Math.min(CC_SETTLE_MS, gesture.firstAt + CC_MAX_GESTURE_MS - now));
  }

  /** The first message of a session: decides the family of the gesture (or the whole result, for aftertouch). */
  private begin(session: Session, event: MidiEvent, now: number): void {
    const m = event.message;
    const deviceId = event.deviceId;
    switch (m.type) {
      case 'noteOn': {
        if (m.velocity === 0) return;
        const timing = { ...this.timing() };
        session.gesture = { kind: 'note', deviceId, channel: m.channel, note: m.note, velocity: m.velocity, at: now, released: false, chord: [{ note: m.note, channel: m.channel }], timing };
        this.after(session, timing.chordTimeoutMs + 1);
        this.after(session, timing.doubleTapTimeoutMs + 1);
        this.after(session, timing.holdThresholdMs);
        return;
      }
      case 'controlChange':
        session.gesture = { kind: 'cc', deviceId, channel: m.channel, cc: m.controller, values: [m.value], firstAt: now, lastAt: now };
        this.after(session, CC_SETTLE_MS);
        return;
      case 'pitchBend':
        session.gesture = { kind: 'bend', deviceId, channel: m.channel, cc: -1, values: [m.value], firstAt: now, lastAt: now };
        this.after(session, CC_SETTLE_MS);
        return;
      case 'polyAftertouch':
        this.finish(session, {
          trigger: { type: 'Aftertouch', note: m.note, channel: m.channel },
          description: `Aftertouch on pad ${padText(m.note)}, ${channelText(m.channel)}`,
          velocity: null,
          deviceId,
        });
        return;
      case 'channelAftertouch':
        this.finish(session, { trigger: { type: 'Aftertouch', channel: m.channel }, description: `Channel aftertouch, ${channelText(m.channel)}`, velocity: null, deviceId });
        return;
      case 'noteOff':
      case 'programChange':
        return; // a release of something pressed before the session, or a message no trigger listens to
    }
  }

  // ── inference ─────────────────────────────────────────────────────────────────────────────────────────

  /** The result if the gesture is decided now (or, with `force`, the best guess so far); null = keep watching. */
  private decide(gesture: Gesture, force: boolean): LearnResult | null {
    if (gesture.kind === 'note') return this.decideNote(gesture, force);
    const now = this.clock.now();
    const resting = now - gesture.lastAt >= CC_SETTLE_MS;
    if (!force && !resting && now - gesture.firstAt < CC_MAX_GESTURE_MS) return null;
    return gesture.kind === 'cc' ? ccResult(gesture) : bendResult(gesture);
  }

  private decideNote(g: NoteGesture, force: boolean): LearnResult | null {
    const now = this.clock.now();
    const t = g.timing;
    const chordOpen = now - g.at <= t.chordTimeoutMs;
    if (g.chord.length >= 2) {
      if (chordOpen && !force) return null;
      const notes = [...new Set(g.chord.map((c) => c.note))].sort((a, b) => a - b);
      const sameChannel = g.chord.every((c) => c.channel === g.channel);
      const trigger: Trigger = { type: 'NoteChord', notes, ...(sameChannel ? { channel: g.channel } : {}) };
      const names = notes.map((n) => noteName(n)).join(' + ');
      return {
        trigger,
        description: `Chord ${names} (notes ${notes.join(', ')})${sameChannel ? `, ${channelText(g.channel)}` : ''}`,
        velocity: g.velocity,
        deviceId: g.deviceId,
      };
    }
    if (chordOpen && !force) return null;
    if (!g.released && now - g.at >= t.holdThresholdMs) {
      return this.result(g, { type: 'LongPress', note: g.note, minDurationMs: t.holdThresholdMs, channel: g.channel });
    }
    if ((g.released && now - g.at > t.doubleTapTimeoutMs) || force) {
      return this.result(g, { type: 'Note', note: g.note, channel: g.channel });
    }
    return null;
  }

  private result(g: NoteGesture, trigger: Extract<Trigger, { type: 'Note' | 'DoubleTap' | 'LongPress' }>): LearnResult {
    const where = `${padText(g.note)}, ${channelText(g.channel)}`;
    const description =
      trigger.type === 'Note'
        ? `Pad ${where}`
        : trigger.type === 'DoubleTap'
          ? `Double-tap pad ${where}`
          : `Hold pad ${padText(g.note)} for ${trigger.minDurationMs ?? g.timing.holdThresholdMs} ms, ${channelText(g.channel)}`;
    return { trigger, description, velocity: g.velocity, deviceId: g.deviceId };
  }
}

/** Relative encoder or absolute knob (see the module header). */
function ccResult(g: RangeGesture): LearnResult {
  const values = g.values;
  const where = `CC ${g.cc}, ${channelText(g.channel)}`;
  if (values.every(RELATIVE_VALUE) && !isSweep(values)) {
    let steps = 0;
    for (const v of values) {
      const step = relativeEncoderStep(v);
      if (step) steps += step.direction === 'Clockwise' ? step.steps : -step.steps;
    }
    const direction = steps >= 0 ? 'Clockwise' : 'CounterClockwise';
    return {
      trigger: { type: 'EncoderTurn', cc: g.cc, direction, encoding: 'relative', channel: g.channel },
      description: `Encoder ${where}, turned ${direction === 'Clockwise' ? 'clockwise' : 'counter-clockwise'} (relative)`,
      velocity: null,
      deviceId: g.deviceId,
    };
  }
  return { trigger: { type: 'CC', cc: g.cc, channel: g.channel }, description: `Knob/fader ${where}`, velocity: null, deviceId: g.deviceId };
}

/** Two or more values, each one step from the last in the same direction: an absolute knob moving near an end. */
function isSweep(values: readonly number[]): boolean {
  if (values.length < 2) return false;
  const deltas = values.slice(1).map((v, i) => v - (values[i] ?? v));
  const sign = Math.sign(deltas[0] ?? 0);
  return sign !== 0 && deltas.every((d) => Math.sign(d) === sign && Math.abs(d) <= 8);
}

function bendResult(g: RangeGesture): LearnResult {
  const lo = Math.min(...g.values);
  const hi = Math.max(...g.values);
  const spansCentre = lo <= PITCH_BEND_CENTER && hi >= PITCH_BEND_CENTER;
  const trigger: Trigger = { type: 'PitchBend', minValue: lo, maxValue: hi, ...(spansCentre ? { centerDeadzone: LEARN_PITCH_BEND_DEADZONE } : {}), channel: g.channel };
  const way = hi > PITCH_BEND_CENTER && lo < PITCH_BEND_CENTER ? 'up and down' : hi > PITCH_BEND_CENTER ? 'up' : lo < PITCH_BEND_CENTER ? 'down' : 'at rest';
  return { trigger, description: `Pitch bend ${lo}–${hi} (${way}), ${channelText(g.channel)}`, velocity: null, deviceId: g.deviceId };
}
