// `conductor run`'s human-readable event log: a received MIDI message is worded as everywhere else (src-shared/describe).
// The command as a real process is in run-cli.test.ts.
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
});
