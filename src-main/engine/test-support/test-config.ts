// Builders for the engine's tests and benchmarks: a complete AppConfig from a few modes and mappings, MIDI events.
// Test and benchmark support only — never used by the running app.
import { DEFAULT_TIMING, type Action, type AppConfig, type Mapping, type Trigger } from '../../../src-shared/config';
import type { MidiEvent, MidiMessage } from '../../../src-shared/midi';

export function mapping(description: string, trigger: Trigger, action: Action): Mapping {
  return { description, trigger, action };
}

export function makeConfig(modes: { name: string; mappings?: Mapping[] }[], globalMappings: Mapping[] = []): AppConfig {
  return {
    device: { name: null, autoConnect: true, autoReconnect: true, port: null },
    wasm: { requireSignature: false, allowSelfSigned: false },
    timing: { ...DEFAULT_TIMING },
    modes: modes.map((m) => ({ name: m.name, color: null, mappings: m.mappings ?? [] })),
    globalMappings,
  };
}

/** Builds MidiEvents stamped with a clock's current time, from device `deviceId`. */
export function midi(clock: { now(): number }, deviceId = 'virtual:test') {
  const at = (message: MidiMessage): MidiEvent => ({ deviceId, message, timestamp: clock.now() });
  return {
    on: (note: number, velocity = 100, channel = 0) => at({ type: 'noteOn', channel, note, velocity }),
    off: (note: number, channel = 0) => at({ type: 'noteOff', channel, note, velocity: 0 }),
    cc: (controller: number, value: number, channel = 0) => at({ type: 'controlChange', channel, controller, value }),
    polyAt: (note: number, pressure: number, channel = 0) => at({ type: 'polyAftertouch', channel, note, pressure }),
    chanAt: (pressure: number, channel = 0) => at({ type: 'channelAftertouch', channel, pressure }),
    bend: (value: number, channel = 0) => at({ type: 'pitchBend', channel, value }),
  };
}
