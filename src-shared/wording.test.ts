// The one wording of triggers, actions and MIDI messages: every trigger and action type in both detail levels
// ('short' for the UI, 'full' for `conductor config check`), and every MIDI message type.
import { describe, expect, it } from 'vitest';
import type { Action, Trigger } from './config';
import { describeAction, describeMidi, describeTrigger, fileName, noteLabel } from './wording';
import type { MidiMessage } from './midi';

const SLOW = { holdThresholdMs: 1500, doubleTapTimeoutMs: 400, chordTimeoutMs: 80 };

describe('describeTrigger', () => {
  // [trigger, short, full]; the two differ only in the config's own channel number.
  it.each<[Trigger, string, string]>([
    [{ type: 'Note', note: 36 }, 'Note C1 (36)', 'Note C1 (36)'],
    [{ type: 'Note', note: 36, channel: 0 }, 'Note C1 (36), channel 1', 'Note C1 (36), channel 1 (channel = 0)'],
    [{ type: 'Note', note: 60, velocityMin: 10, channel: 9 }, 'Note C3 (60), velocity ≥ 10, channel 10', 'Note C3 (60), velocity ≥ 10, channel 10 (channel = 9)'],
    [{ type: 'VelocityRange', note: 36, minVelocity: 81, maxVelocity: 127, level: 'hard' }, 'Note C1 (36) at velocity 81–127 (hard)', 'Note C1 (36) at velocity 81–127 (hard)'],
    [{ type: 'VelocityRange', note: 36, minVelocity: 0, maxVelocity: 40, channel: 1 }, 'Note C1 (36) at velocity 0–40, channel 2', 'Note C1 (36) at velocity 0–40, channel 2 (channel = 1)'],
    [{ type: 'LongPress', note: 37 }, 'Hold C#1 (37) for 2000 ms', 'Hold C#1 (37) for 2000 ms'],
    [{ type: 'LongPress', note: 38, minDurationMs: 800, channel: 1 }, 'Hold D1 (38) for 800 ms, channel 2', 'Hold D1 (38) for 800 ms, channel 2 (channel = 1)'],
    [{ type: 'DoubleTap', note: 36 }, 'Double-tap C1 (36) within 300 ms', 'Double-tap C1 (36) within 300 ms'],
    [{ type: 'NoteChord', notes: [36, 40, 43] }, 'Chord C1 (36) + E1 (40) + G1 (43) within 50 ms', 'Chord C1 (36) + E1 (40) + G1 (43) within 50 ms'],
    [{ type: 'CC', cc: 7 }, 'CC 7', 'CC 7'],
    [{ type: 'CC', cc: 64, valueMin: 64, channel: 15 }, 'CC 64 at value ≥ 64, channel 16', 'CC 64 at value ≥ 64, channel 16 (channel = 15)'],
    [{ type: 'EncoderTurn', cc: 1, direction: 'CounterClockwise' }, 'Turn CC 1 counter-clockwise', 'Turn CC 1 counter-clockwise'],
    [{ type: 'EncoderTurn', cc: 2, direction: 'Clockwise', encoding: 'relative' }, 'Turn CC 2 clockwise (relative)', 'Turn CC 2 clockwise (relative)'],
    [{ type: 'EncoderTurn', cc: 3 }, 'Turn CC 3 either way', 'Turn CC 3 either way'],
    [{ type: 'Aftertouch' }, 'Aftertouch', 'Aftertouch'],
    [{ type: 'Aftertouch', note: 36, minPressure: 20 }, 'Aftertouch on C1 (36), pressure 20–127', 'Aftertouch on C1 (36), pressure 20–127'],
    [{ type: 'Aftertouch', maxPressure: 90, channel: 0 }, 'Aftertouch, pressure 0–90, channel 1', 'Aftertouch, pressure 0–90, channel 1 (channel = 0)'],
    [{ type: 'PitchBend', minValue: 8192, maxValue: 16383 }, 'Pitch bend 8192–16383', 'Pitch bend 8192–16383'],
    [{ type: 'PitchBend', minValue: 0, maxValue: 16383, centerDeadzone: 200 }, 'Pitch bend 0–16383 (dead zone ±200)', 'Pitch bend 0–16383 (dead zone ±200)'],
  ])('%j', (trigger, short, full) => {
    expect(describeTrigger(trigger)).toBe(short);
    expect(describeTrigger(trigger, undefined, { detail: 'short' })).toBe(short);
    expect(describeTrigger(trigger, undefined, { detail: 'full' })).toBe(full);
  });

  it('takes the timing triggers’ defaults from the config when the trigger has none', () => {
    expect(describeTrigger({ type: 'LongPress', note: 36 }, SLOW)).toBe('Hold C1 (36) for 1500 ms');
    expect(describeTrigger({ type: 'DoubleTap', note: 36 }, SLOW, { detail: 'full' })).toBe('Double-tap C1 (36) within 400 ms');
    expect(describeTrigger({ type: 'NoteChord', notes: [36, 38] }, SLOW)).toBe('Chord C1 (36) + D1 (38) within 80 ms');
    expect(describeTrigger({ type: 'NoteChord', notes: [36, 38], maxIntervalMs: 50 }, SLOW)).toBe('Chord C1 (36) + D1 (38) within 50 ms');
  });
});

describe('describeAction', () => {
  const spotify: Action = {
    type: 'WasmPlugin',
    path: '/home/u/.conductor/wasm-plugins/spotify.wasm',
    pathAsWritten: '~/.conductor/wasm-plugins/spotify.wasm',
    params: { action: 'play', volume: 7 },
  };

  // [action, short (UI), full (CLI)].
  it.each<[Action, string, string]>([
    [spotify, 'Run plugin spotify.wasm: play (volume)', 'Run plugin ~/.conductor/wasm-plugins/spotify.wasm with {"action":"play","volume":7}'],
    [{ type: 'WasmPlugin', path: 'C:\\plugins\\echo.wasm', params: {} }, 'Run plugin echo.wasm', 'Run plugin C:\\plugins\\echo.wasm'],
    [{ type: 'WasmPlugin', path: '', params: {} }, 'Run plugin (no plugin chosen)', 'Run plugin (no plugin chosen)'],
    [{ type: 'ModeChange', mode: 'Edit' }, 'Switch to mode "Edit"', 'Switch to mode "Edit"'],
    [{ type: 'ModeChange', mode: 0 }, 'Switch to mode #1', 'Switch to mode #1 (mode = 0)'],
    [{ type: 'ModeChange', mode: 1, relative: true }, 'Switch to the next mode', 'Switch to the next mode'],
    [{ type: 'ModeChange', mode: -1, relative: true }, 'Switch to the previous mode', 'Switch to the previous mode'],
    [{ type: 'ModeChange', mode: -2, relative: true }, 'Move 2 modes back', 'Move 2 modes back'],
    [{ type: 'ModeChange', mode: 3, relative: true }, 'Move 3 modes forward', 'Move 3 modes forward'],
    [{ type: 'SendMidi', port: 'Out', message: { type: 'CC', channel: 1, controller: 7, value: 100 } }, 'Send CC 7 = 100 on channel 2 to "Out"', 'Send CC 7 = 100 on channel 2 (channel = 1) to "Out"'],
    [{ type: 'SendMidi', port: 'Out', message: { type: 'NoteOn', channel: 0, note: 36, velocity: 100 } }, 'Send note on C1 (36) velocity 100 on channel 1 to "Out"', 'Send note on C1 (36) velocity 100 on channel 1 (channel = 0) to "Out"'],
    [{ type: 'SendMidi', port: '', message: { type: 'NoteOff', channel: 0, note: 36, velocity: 0 } }, 'Send note off C1 (36) velocity 0 on channel 1', 'Send note off C1 (36) velocity 0 on channel 1 (channel = 0)'],
    [{ type: 'SendMidi', port: 'Out', message: { type: 'ProgramChange', channel: 0, program: 5 } }, 'Send program change 5 on channel 1 to "Out"', 'Send program change 5 on channel 1 (channel = 0) to "Out"'],
    [{ type: 'SendMidi', port: 'Out', message: { type: 'PitchBend', channel: 0, value: 8192 } }, 'Send pitch bend 8192 on channel 1 to "Out"', 'Send pitch bend 8192 on channel 1 (channel = 0) to "Out"'],
    [{ type: 'SendMidi', port: 'Out', message: { type: 'Aftertouch', channel: 0, pressure: 64 } }, 'Send aftertouch 64 on channel 1 to "Out"', 'Send aftertouch 64 on channel 1 (channel = 0) to "Out"'],
    [
      { type: 'Sequence', actions: [{ type: 'Delay', ms: 100 }, { type: 'Keystroke', keys: 'c', modifiers: ['ctrl'] }, spotify] },
      'Sequence: wait 100 ms, then press ctrl+c, then run plugin spotify.wasm: play (volume)',
      'Sequence: wait 100 ms, then press ctrl+c, then run plugin ~/.conductor/wasm-plugins/spotify.wasm with {"action":"play","volume":7}',
    ],
    [{ type: 'Delay', ms: 250 }, 'Wait 250 ms', 'Wait 250 ms'],
    [{ type: 'Repeat', count: 3, action: { type: 'Text', text: 'x' } }, 'Repeat 3×: type "x"', 'Repeat 3×: type "x"'],
    [
      { type: 'Repeat', count: 2, delayBetweenMs: 50, action: { type: 'SendMidi', port: 'Out', message: { type: 'CC', channel: 0, controller: 1, value: 0 } } },
      'Repeat 2× (50 ms apart): send CC 1 = 0 on channel 1 to "Out"',
      'Repeat 2× (50 ms apart): send CC 1 = 0 on channel 1 (channel = 0) to "Out"',
    ],
    [{ type: 'Shell', command: 'echo hi' }, 'Run "echo hi"', 'Run "echo hi"'],
    [{ type: 'Shell', command: 'ls | wc -l', shell: true, timeoutMs: 5000 }, 'Run "ls | wc -l" in a shell (timeout 5000 ms)', 'Run "ls | wc -l" in a shell (timeout 5000 ms)'],
    [{ type: 'Shell', command: '' }, 'Run (no command)', 'Run (no command)'],
    [{ type: 'Launch', app: 'Spotify' }, 'Launch "Spotify"', 'Launch "Spotify"'],
    [{ type: 'Launch', app: 'code', args: ['--new-window', 'my dir'] }, 'Launch "code" with "--new-window" "my dir"', 'Launch "code" with "--new-window" "my dir"'],
    [{ type: 'Launch', app: '' }, 'Launch (no app)', 'Launch (no app)'],
    [{ type: 'Keystroke', keys: 's', modifiers: ['cmd', 'shift'] }, 'Press cmd+shift+s', 'Press cmd+shift+s'],
    [{ type: 'Keystroke', keys: '' }, 'Press ?', 'Press ?'],
    [{ type: 'Text', text: 'hello "you"' }, 'Type "hello \\"you\\""', 'Type "hello \\"you\\""'],
  ])('%j', (action, short, full) => {
    expect(describeAction(action)).toBe(short);
    expect(describeAction(action, { detail: 'short' })).toBe(short);
    expect(describeAction(action, { detail: 'full' })).toBe(full);
  });

  it('names a plugin by the path as written in full detail, the expanded path when there is none', () => {
    expect(describeAction({ type: 'WasmPlugin', path: '/abs/echo.wasm', params: {} }, { detail: 'full' })).toBe('Run plugin /abs/echo.wasm');
    expect(describeAction({ type: 'WasmPlugin', path: '/abs/echo.wasm', params: { step: 2 } })).toBe('Run plugin echo.wasm (step)');
  });
});

describe('describeMidi', () => {
  it.each<[MidiMessage, string]>([
    [{ type: 'noteOn', channel: 0, note: 36, velocity: 100 }, 'Note on C1 (36) velocity 100, channel 1'],
    [{ type: 'noteOff', channel: 1, note: 61, velocity: 0 }, 'Note off C#3 (61) velocity 0, channel 2'],
    [{ type: 'controlChange', channel: 15, controller: 7, value: 127 }, 'CC 7 = 127, channel 16'],
    [{ type: 'programChange', channel: 0, program: 12 }, 'Program change 12, channel 1'],
    [{ type: 'channelAftertouch', channel: 0, pressure: 64 }, 'Aftertouch 64, channel 1'],
    [{ type: 'polyAftertouch', channel: 0, note: 36, pressure: 80 }, 'Aftertouch C1 (36) = 80, channel 1'],
    [{ type: 'pitchBend', channel: 0, value: 8192 }, 'Pitch bend 8192, channel 1'],
  ])('%j', (message, words) => {
    expect(describeMidi(message)).toBe(words);
  });
});

describe('helpers', () => {
  it('labels a note by name and number, and a path by its file name', () => {
    expect(noteLabel(60)).toBe('C3 (60)');
    expect(fileName('/a/b/spotify.wasm')).toBe('spotify.wasm');
    expect(fileName('C:\\p\\echo.wasm')).toBe('echo.wasm');
    expect(fileName('plain.wasm')).toBe('plain.wasm');
  });
});

describe('describeAction: Conditional', () => {
  it('says the condition and both branches in words', () => {
    expect(
      describeAction({
        type: 'Conditional',
        condition: { type: 'And', conditions: [{ type: 'TimeRange', start: '22:00', end: '06:00' }, { type: 'Not', condition: { type: 'Or', conditions: [{ type: 'DayOfWeek', days: [6, 7] }, { type: 'AppFrontmost', appName: 'zoom' }] } }] },
        thenAction: { type: 'Text', text: 'late' },
        elseAction: { type: 'Keystroke', keys: 'space' },
      }),
    ).toBe('If it is 22:00–06:00 and not (it is Saturday or Sunday or "zoom" is in front): type "late"; otherwise press space');
    expect(describeAction({ type: 'Conditional', condition: { type: 'ModeIs', mode: 'Edit' }, thenAction: { type: 'Delay', ms: 5 } })).toBe('If mode is "Edit": wait 5 ms');
  });
});
