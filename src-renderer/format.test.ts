import { describe, expect, it } from 'vitest';
import { describeAction, describeTrigger } from './format';

describe('mappings in words', () => {
  it('describes triggers', () => {
    expect(describeTrigger({ type: 'Note', note: 36, channel: 0 })).toBe('Note C1 (36), channel 1');
    expect(describeTrigger({ type: 'VelocityRange', note: 36, minVelocity: 81, maxVelocity: 127, level: 'hard' })).toBe('Note C1 (36) at velocity 81–127 (hard)');
    expect(describeTrigger({ type: 'LongPress', note: 37 })).toBe('Hold C#1 (37) for 2000 ms');
    expect(describeTrigger({ type: 'EncoderTurn', cc: 1, direction: 'CounterClockwise' })).toBe('Turn CC 1 counter-clockwise');
  });

  it('describes actions', () => {
    expect(describeAction({ type: 'WasmPlugin', path: '/home/u/.conductor/wasm-plugins/spotify.wasm', pathAsWritten: '~/.conductor/wasm-plugins/spotify.wasm', params: { action: 'play' } })).toBe('Run plugin spotify.wasm: play');
    expect(describeAction({ type: 'Sequence', actions: [{ type: 'Delay', ms: 100 }, { type: 'Keystroke', keys: 'c', modifiers: ['ctrl'] }] })).toBe('Sequence: wait 100 ms, then press ctrl+c');
    expect(describeAction({ type: 'ModeChange', mode: 1, relative: true })).toBe('Switch to the next mode');
    expect(describeAction({ type: 'SendMidi', port: 'Out', message: { type: 'CC', channel: 1, controller: 7, value: 100 } })).toBe('Send CC 7 = 100 on channel 2 to "Out"');
  });
});
