// An Engine on a manual clock for the engine's trigger tests: its events recorded, the mappings that fired by
// description, and MIDI builders on the same clock. Test support only — never used by the running app.
import type { AppConfig } from '../../../src-shared/config';
import type { EngineEvent, TriggerEvent } from '../../../src-shared/engine';
import { ManualClock } from '../../common/test-support/manual-clock';
import { Engine } from '../engine';
import { midi } from './test-config';

export interface EngineHarness {
  clock: ManualClock;
  engine: Engine;
  events: EngineEvent[];
  triggers: () => TriggerEvent[];
  /** The descriptions of the mappings fired so far, in order. */
  fired: () => string[];
  m: ReturnType<typeof midi>;
}

/** A started engine (SendMidi goes nowhere); the caller disposes `engine`. */
export function startEngine(config: AppConfig): EngineHarness {
  const clock = new ManualClock();
  const engine = new Engine({ config, clock, timer: clock, midiOut: { send: () => undefined } });
  const events: EngineEvent[] = [];
  engine.onDidEngineEvent((e) => events.push(e));
  const triggers = (): TriggerEvent[] => events.filter((e): e is TriggerEvent => e.kind === 'trigger');
  const fired = (): string[] => triggers().map((e) => e.mapping.description);
  return { clock, engine, events, triggers, fired, m: midi(clock) };
}
