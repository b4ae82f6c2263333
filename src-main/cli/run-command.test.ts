// `conductor run`'s human-readable event log: a received MIDI message is worded as everywhere else (src-shared/wording.ts).
// The command as a real process is in run-cli.integration.test.ts.
import { describe, expect, it } from 'vitest';
import { formatEngineEvent } from './run-command';

describe('formatEngineEvent', () => {
  it('logs a received MIDI message with its input and the shared wording', () => {
    const line = formatEngineEvent({
      kind: 'midi',
      seq: 1,
      at: 0,
      event: { deviceId: 'virtual:Virtual Controller', timestamp: 0, message: { type: 'noteOn', channel: 0, note: 36, velocity: 90 } },
    });
    expect(line).toBe('midi     virtual:Virtual Controller: Note on C1 (36) velocity 90, channel 1');
  });

  it('logs a plugin’s MIDI that could not be sent: the plugin, the bytes, the output and why', () => {
    const line = formatEngineEvent({
      kind: 'plugin-midi-error',
      seq: 2,
      at: 0,
      pluginId: 'caps',
      port: 'Launchpad',
      bytes: [0x90, 61, 100],
      byteCount: 3,
      error: 'no MIDI output named "Launchpad"; available: Virtual Controller',
    });
    expect(line).toBe('ERROR    plugin caps: MIDI 90 3D 64 to "Launchpad" not sent: no MIDI output named "Launchpad"; available: Virtual Controller');
  });
});
