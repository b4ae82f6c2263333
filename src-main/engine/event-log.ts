// The engine's event stream: numbers events (seq), stamps them with the engine's clock, keeps a bounded buffer of
// recent ones for late subscribers, fans out to listeners. Never lets a listener's exception reach the emitter.
import { DEFAULT_EVENT_BUFFER_SIZE, type EngineEvent, type EngineEventInput } from '../../src-shared/engine';
import type { Clock } from '../common/clock';
import { Emitter } from '../../src-shared/emitter';

export type EngineEventListener = (event: EngineEvent) => void;

export class EngineEventLog {
  private readonly buffer: (EngineEvent | undefined)[];
  private nextSeq = 1;
  // A broken listener (a closed window, a bug in the console) must never break MIDI handling: its error is dropped.
  private readonly emitter = new Emitter<EngineEvent>({ onListenerError: () => undefined });

  /** Listens to every event from now on; returns the unsubscribe function. */
  readonly onDidEngineEvent = this.emitter.event;

  constructor(
    private readonly clock: Clock,
    readonly capacity: number = DEFAULT_EVENT_BUFFER_SIZE,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`event buffer size must be a positive integer (got ${capacity})`);
    this.buffer = new Array<EngineEvent | undefined>(capacity);
  }

  /** The seq of the last event emitted (0 before the first). */
  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  /** `input` becomes the event (seq and at are set on it, no copy): pass a fresh object and do not change it afterwards. */
  emit(input: EngineEventInput): EngineEvent {
    const event = input as EngineEvent;
    event.seq = this.nextSeq++;
    event.at = this.clock.now();
    this.buffer[event.seq % this.capacity] = event;
    this.emitter.fire(event);
    return event;
  }

  /** The buffered events with seq > `afterSeq`, oldest first (at most `capacity`). */
  recent(afterSeq = 0): EngineEvent[] {
    const last = this.lastSeq;
    const first = Math.max(afterSeq + 1, last - this.capacity + 1, 1);
    const out: EngineEvent[] = [];
    for (let seq = first; seq <= last; seq++) {
      const event = this.buffer[seq % this.capacity];
      if (event) out.push(event);
    }
    return out;
  }
}
