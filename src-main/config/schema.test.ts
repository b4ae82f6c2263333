// Reading config.toml: both shapes, every field normalised, and every problem reported with its path and position.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppConfig, ConfigIssue } from '../../src-shared/config';
import { parseConfigText } from './schema';
import { MAX_ACTION_DEPTH } from './schema-actions';

const fixture = (name: string): string => readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8');

function ok(text: string): AppConfig {
  const { config, issues } = parseConfigText(text);
  expect(issues).toEqual([]);
  if (!config) throw new Error('no config');
  return config;
}

function problems(text: string): ConfigIssue[] {
  const { config, issues } = parseConfigText(text);
  expect(config).toBeNull();
  expect(issues.length).toBeGreaterThan(0);
  return issues;
}

/** 1-based line and column of `token` on the first line containing `lineText`. */
function where(text: string, lineText: string, token: string): { line: number; column: number } {
  const lines = text.split('\n');
  const index = lines.findIndex((l) => l.includes(lineText));
  if (index < 0) throw new Error(`no line with ${lineText}`);
  return { line: index + 1, column: (lines[index] ?? '').indexOf(token) + 1 };
}

/** One mapping in one mode "M", with the given trigger and action lines. */
function oneMapping(trigger: string, action = 'action = { Text = { text = "x" } }'): string {
  return `[[modes]]\nname = "M"\n\n[[modes.mappings]]\ntrigger = ${trigger}\n${action}\n`;
}

describe('reading the canonical shape', () => {
  it('normalises every trigger and action to the camelCase types', () => {
    const config = ok(fixture('canonical.toml'));
    expect(config.device).toEqual({ name: 'Maschine Mikro MK3', autoConnect: true, autoReconnect: false, port: 1, extra: { vendor_hint: 'NI' } });
    expect(config.wasm).toEqual({ requireSignature: true, allowSelfSigned: true });
    expect(config.timing).toEqual({ holdThresholdMs: 1500, doubleTapTimeoutMs: 250, chordTimeoutMs: 80, extra: { polling_interval_ms: 5 } });
    expect(config.extra).toEqual({ last_selected_mode: 'Default', led: { enabled: true, brightness: 90, scheme: 'reactive', colors: { active: '#ff0000' } } });
    const [first, second] = config.modes;
    expect(first?.name).toBe('Default');
    expect(first?.color).toBe('blue');
    expect(first?.extra).toEqual({ icon: 'star' });
    expect(second).toMatchObject({ name: 'Second', color: null });
    expect(first?.mappings.map((m) => [m.trigger, m.action])).toEqual([
      [
        { type: 'Note', note: 60 },
        {
          type: 'WasmPlugin',
          path: join(homedir(), '.conductor/wasm-plugins/spotify.wasm'),
          pathAsWritten: '~/.conductor/wasm-plugins/spotify.wasm',
          params: { action: 'play', volume: 0.5, tags: ['a', 'b'], nested: { on: true } },
        },
      ],
      [
        { type: 'VelocityRange', note: 36, minVelocity: 0, maxVelocity: 40, level: 'soft', channel: 9 },
        { type: 'Text', text: 'quiet "please"\n' },
      ],
      [
        { type: 'VelocityRange', note: 36, minVelocity: 41, maxVelocity: 127 },
        { type: 'Keystroke', keys: 'space', modifiers: ['cmd', 'shift'] },
      ],
      [
        { type: 'LongPress', note: 37, minDurationMs: 1000, olderNames: true },
        { type: 'Shell', command: 'echo hi', shell: true, timeoutMs: 5000 },
      ],
      [
        { type: 'DoubleTap', note: 38, maxIntervalMs: 400, olderNames: true },
        { type: 'Launch', app: 'Calculator', args: ['--new-window'] },
      ],
      [
        { type: 'NoteChord', notes: [60, 64, 67], maxIntervalMs: 50, olderNames: true },
        {
          type: 'Sequence',
          actions: [
            { type: 'Text', text: 'a' },
            { type: 'Delay', ms: 100 },
            { type: 'Repeat', action: { type: 'Text', text: 'b' }, count: 3, delayBetweenMs: 10, olderNames: true },
          ],
        },
      ],
      [
        { type: 'CC', cc: 7, valueMin: 64 },
        { type: 'SendMidi', port: 'Virtual Controller', message: { type: 'CC', channel: 2, controller: 7, value: 100 } },
      ],
      [
        { type: 'EncoderTurn', cc: 1, direction: 'Clockwise', encoding: 'relative' },
        { type: 'ModeChange', mode: 1, relative: true },
      ],
      [
        { type: 'Aftertouch', note: 40, minPressure: 10, maxPressure: 100, olderNames: true },
        { type: 'SendMidi', port: 'out', message: { type: 'NoteOn', channel: 0, note: 40, velocity: 90 } },
      ],
      [
        { type: 'PitchBend', minValue: 9000, maxValue: 16383, centerDeadzone: 100, olderNames: true },
        { type: 'SendMidi', port: 'out', message: { type: 'PitchBend', channel: 0, value: 12000 }, olderNames: true },
      ],
    ]);
    expect(first?.mappings[2]?.extra).toEqual({ enabled: true });
    expect(first?.mappings[0]?.description).toBe('Play');
    expect(first?.mappings[2]?.description).toBe('');
    expect(second?.mappings.map((m) => m.action)).toEqual([
      { type: 'ModeChange', mode: 'Default' },
      { type: 'SendMidi', port: 'out', message: { type: 'ProgramChange', channel: 3, program: 5 } },
      { type: 'SendMidi', port: 'out', message: { type: 'Aftertouch', channel: 3, pressure: 50 } },
    ]);
    expect(second?.mappings[0]?.trigger).toEqual({ type: 'Aftertouch' });
    expect(config.globalMappings.map((m) => m.action)).toEqual([
      { type: 'ModeChange', mode: 0 },
      { type: 'WasmPlugin', path: '/opt/plugins/obs.wasm', params: {} },
    ]);
  });

  it('fills defaults: device auto-connect/reconnect on, signatures optional, Conductor timing, SendMidi channel 0 and velocity', () => {
    const config = ok(oneMapping('{ Note = { note = 1 } }', 'action = { SendMidi = { port = "p", message_type = "NoteOn", note = 1 } }'));
    expect(config.device).toEqual({ name: null, autoConnect: true, autoReconnect: true, port: null });
    expect(config.wasm).toEqual({ requireSignature: false, allowSelfSigned: false });
    expect(config.timing).toEqual({ holdThresholdMs: 2000, doubleTapTimeoutMs: 300, chordTimeoutMs: 50 });
    expect(config.modes[0]?.mappings[0]?.action).toEqual({ type: 'SendMidi', port: 'p', message: { type: 'NoteOn', channel: 0, note: 1, velocity: 100 } });
    expect(config.globalMappings).toEqual([]);
    expect(config.extra).toBeUndefined();
  });

  it('accepts an empty file as a config with no modes', () => {
    expect(ok('').modes).toEqual([]);
  });
});

describe("reading Conductor's tagged shape", () => {
  it('accepts type = "…" inline and as [modes.mappings.trigger] / [modes.mappings.action] tables', () => {
    const config = ok(fixture('tagged.toml'));
    const mappings = config.modes[0]?.mappings ?? [];
    expect(mappings.map((m) => [m.trigger, m.action])).toEqual([
      [
        { type: 'Note', note: 60 },
        { type: 'WasmPlugin', path: join(homedir(), '.conductor/wasm-plugins/spotify.wasm'), pathAsWritten: '~/.conductor/wasm-plugins/spotify.wasm', params: { action: 'play' } },
      ],
      [
        { type: 'NoteChord', notes: [60, 64, 67] },
        { type: 'Sequence', actions: [{ type: 'Text', text: 'a' }, { type: 'Delay', ms: 100 }] },
      ],
      [
        { type: 'VelocityRange', note: 36, minVelocity: 81, maxVelocity: 127, level: 'hard' },
        { type: 'Repeat', action: { type: 'Keystroke', keys: 'a' }, count: 2 },
      ],
    ]);
    expect(mappings.map((m) => m.extra)).toEqual([undefined, undefined, undefined]);
  });

  it('reads the same config from both shapes', () => {
    const tagged = ok(oneMapping('{ type = "LongPress", note = 40, channel = 3 }', 'action = { type = "Delay", ms = 5 }'));
    const canonical = ok(oneMapping('{ LongPress = { note = 40, channel = 3 } }', 'action = { Delay = { ms = 5 } }'));
    expect(tagged).toEqual(canonical);
  });
});

describe('validation', () => {
  it('reports the spec-shaped path, line and column of an out-of-range value', () => {
    const text = [
      '[[modes]]',
      'name = "Default"',
      ...[60, 61, 62].flatMap((n) => ['[[modes.mappings]]', `trigger = { Note = { note = ${n} } }`, 'action = { Text = { text = "x" } }']),
      '[[modes.mappings]]',
      'trigger = { Note = { note = 200 } }',
      'action = { Text = { text = "x" } }',
    ].join('\n');
    expect(problems(text)).toEqual([{ path: 'modes[0].mappings[3].trigger.Note.note', segments: ['modes', 0, 'mappings', 3, 'trigger', 'Note', 'note'], message: 'expected 0–127, got 200', line: 13, column: 22 }]);
  });

  it('reports tagged-shape paths as trigger.<field>, with the position in a [modes.mappings.trigger] table', () => {
    const text = '[[modes]]\nname = "M"\n[[modes.mappings]]\naction = { Text = { text = "x" } }\n[modes.mappings.trigger]\ntype = "Note"\nnote = -1\n';
    expect(problems(text)).toEqual([{ path: 'modes[0].mappings[0].trigger.note', segments: ['modes', 0, 'mappings', 0, 'trigger', 'note'], message: 'expected 0–127, got -1', line: 7, column: 1 }]);
  });

  it('reports a TOML syntax error with line and column', () => {
    const [issue, ...rest] = problems('[device]\nname = "x"\nauto_connect = yes\n');
    expect(rest).toEqual([]);
    expect(issue).toMatchObject({ path: '', line: 3 });
    expect(issue?.column).toBeGreaterThan(0);
    expect(issue?.message).toMatch(/^TOML syntax error: /);
  });

  it("explains the spec example's JSON colons and multi-line inline tables, which TOML does not allow", () => {
    const multiLine = '[[modes.mappings]]\naction = { WasmPlugin = {\n    path = "~/p.wasm",\n    params = {\n        "action": "play"\n    }\n}}\n';
    const [spread] = problems(multiLine);
    expect(spread?.line).toBe(2);
    expect(spread?.message).toContain('an inline table { … } must be on one line in TOML');
    const [colon] = problems('[[modes.mappings]]\naction = { WasmPlugin = { path = "x", params = { "action": "play" } } }\n');
    expect(colon).toMatchObject({ line: 2, column: 58 });
    expect(colon?.message).toContain('TOML writes key = value, not "key": value');
  });

  it('reports every problem at once, each with a path and a position', () => {
    const text = `
[device]
auto_connect = "yes"
port = -3

[wasm]
require_signature = 1

[advanced_settings]
chord_timeout_ms = 0

[[modes]]
name = "A"

[[modes.mappings]]
trigger = { Nte = { note = 1 } }
action = { Text = { text = "x" } }

[[modes.mappings]]
trigger = { Note = { velocity_min = 3 } }
action = { Txt = { text = "x" } }

[[modes.mappings]]
trigger = { NoteChord = { notes = [] } }
action = { ModeChange = { mode = "Nowhere" } }

[[modes.mappings]]
trigger = { VelocityRange = { note = 1, min_velocity = 100, max_velocity = 50 } }
action = { ModeChange = { mode = 7 } }

[[modes.mappings]]
trigger = { Note = { note = 1, channel = 16, velocty_min = 2 } }
action = { Delay = { ms = "soon" } }

[[modes.mappings]]
trigger = { Note = { note = 1 }, CC = { cc = 1 } }
action = { WasmPlugin = { params = { when = 1979-05-27T07:32:00Z } } }

[[modes.mappings]]
trigger = { PitchBend = { min_value = 1, max_value = 0 } }

[[modes]]
name = "A"

[[global_mappings]]
trigger = { EncoderTurn = { cc = 1, direction = "Sideways" } }
action = { SendMidi = { port = "p", message_type = "CC", controller = 1, value = 2, program = 3 } }
`;
    const issues = problems(text);
    const byPath = Object.fromEntries(issues.map((i) => [i.path, i.message]));
    expect(byPath).toEqual({
      'device.auto_connect': 'expected true or false, got "yes"',
      'device.port': 'expected 0–255, got -3',
      'wasm.require_signature': 'expected true or false, got 1',
      'advanced_settings.chord_timeout_ms': 'expected 1–5000, got 0',
      'modes[0].mappings[0].trigger.Nte': expect.stringMatching(/^unknown trigger type "Nte" \(types: Note, VelocityRange, .*\); did you mean "Note"\?$/),
      'modes[0].mappings[1].trigger.Note.note': 'missing required field',
      'modes[0].mappings[1].action.Txt': expect.stringMatching(/^unknown action type "Txt" .*did you mean "Text"\?$/),
      'modes[0].mappings[2].trigger.NoteChord.notes': 'empty chord: expected 2–16 notes',
      'modes[0].mappings[2].action.ModeChange.mode': 'no mode named "Nowhere" (modes: "A", "A")',
      'modes[0].mappings[3].trigger.VelocityRange.min_velocity': 'min_velocity (100) is greater than max_velocity (50)',
      'modes[0].mappings[3].action.ModeChange.mode': 'no mode with index 7: expected 0–1',
      'modes[0].mappings[4].trigger.Note.channel': 'expected 0–15, got 16',
      'modes[0].mappings[4].trigger.Note.velocty_min': 'unknown field for a Note trigger (fields: note, velocity_min, channel); did you mean "velocity_min"?',
      'modes[0].mappings[4].action.Delay.ms': 'expected an integer 0–60000, got "soon"',
      'modes[0].mappings[5].trigger': 'expected exactly one key naming the trigger type, found 2: Note, CC',
      'modes[0].mappings[5].action.WasmPlugin.path': 'missing required field',
      'modes[0].mappings[5].action.WasmPlugin.params.when': expect.stringMatching(/^expected a JSON-compatible value .*dates are not JSON/),
      'modes[0].mappings[6].trigger.PitchBend.min_value': 'min_value (1) is greater than max_value (0)',
      'modes[0].mappings[6].action': 'missing required field, e.g. action = { Text = { text = "hello" } }',
      'modes[1].name': 'duplicate mode name "A" (modes[0] has it too)',
      'global_mappings[0].trigger.EncoderTurn.direction': 'expected one of "Clockwise", "CounterClockwise", got "Sideways"',
      'global_mappings[0].action.SendMidi.program': 'not used by message_type "CC" (it uses controller, value)',
    });
    expect(issues).toHaveLength(22);
    for (const issue of issues) {
      expect(issue.line, issue.path).not.toBeNull();
      expect(issue.column, issue.path).not.toBeNull();
    }
    // In file order, each at its own key.
    const lines = issues.map((i) => i.line ?? 0);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
    expect(issues.find((i) => i.path === 'device.port')).toEqual(expect.objectContaining(where(text, 'port = -3', 'port')));
    expect(issues.find((i) => i.path === 'modes[0].mappings[4].trigger.Note.channel')).toEqual(expect.objectContaining(where(text, 'channel = 16', 'channel')));
    expect(issues.find((i) => i.path === 'global_mappings[0].action.SendMidi.program')).toEqual(expect.objectContaining(where(text, 'program = 3', 'program')));
    // A missing key points at the table that lacks it.
    const lastMapping = text.split('\n').findIndex((l, i, all) => l === '[[modes.mappings]]' && all[i + 1]?.includes('PitchBend')) + 1;
    expect(issues.find((i) => i.path === 'modes[0].mappings[6].action')).toMatchObject({ line: lastMapping, column: 1 });
  });

  it('bounds the nesting of Sequence and Repeat', () => {
    let action = '{ Text = { text = "deep" } }';
    for (let i = 0; i < MAX_ACTION_DEPTH - 1; i++) action = `{ Sequence = { actions = [${action}] } }`;
    expect(ok(oneMapping('{ Note = { note = 1 } }', `action = ${action}`)).modes[0]?.mappings).toHaveLength(1);
    const tooDeep = `{ Repeat = { count = 2, action = ${action} } }`;
    const [issue, ...rest] = problems(oneMapping('{ Note = { note = 1 } }', `action = ${tooDeep}`));
    expect(rest).toEqual([]);
    expect(issue?.path).toBe(`modes[0].mappings[0].action.Repeat.action${'.Sequence.actions[0]'.repeat(MAX_ACTION_DEPTH - 1)}`);
    expect(issue?.message).toBe(`nested too deep: actions inside Sequence and Repeat may nest at most ${MAX_ACTION_DEPTH} levels`);
  });

  it('checks the rest of the fields one by one', () => {
    const cases: [string, string, string, string][] = [
      ['{ Note = 5 }', 'action = { Text = { text = "x" } }', 'modes[0].mappings[0].trigger.Note', "expected a table of the Note trigger's fields"],
      ['"Note"', 'action = { Text = { text = "x" } }', 'modes[0].mappings[0].trigger', 'expected a table naming the trigger type'],
      ['{ note = 60 }', 'action = { Text = { text = "x" } }', 'modes[0].mappings[0].trigger.note', 'unknown trigger type "note"'],
      ['{}', 'action = { Text = { text = "x" } }', 'modes[0].mappings[0].trigger', 'empty: expected one key naming the trigger type'],
      ['{ type = 3 }', 'action = { Text = { text = "x" } }', 'modes[0].mappings[0].trigger.type', 'expected a string naming the trigger type'],
      ['{ type = "Knob" }', 'action = { Text = { text = "x" } }', 'modes[0].mappings[0].trigger.type', 'unknown trigger type "Knob"'],
      ['{ NoteChord = { notes = [60] } }', 'action = { Text = { text = "x" } }', 'modes[0].mappings[0].trigger.NoteChord.notes', 'expected 2–16 notes, got 1'],
      ['{ NoteChord = { notes = [60, 60] } }', 'action = { Text = { text = "x" } }', 'modes[0].mappings[0].trigger.NoteChord.notes[1]', 'note 60 is listed twice'],
      ['{ NoteChord = { notes = [60, 128] } }', 'action = { Text = { text = "x" } }', 'modes[0].mappings[0].trigger.NoteChord.notes[1]', 'expected 0–127, got 128'],
      ['{ Note = { note = 1.5 } }', 'action = { Text = { text = "x" } }', 'modes[0].mappings[0].trigger.Note.note', 'expected an integer 0–127, got 1.5'],
      ['{ VelocityRange = { note = 1, level = "loud" } }', 'action = { Text = { text = "x" } }', 'modes[0].mappings[0].trigger.VelocityRange.level', 'expected one of "soft", "medium", "hard", got "loud"'],
      ['{ VelocityRange = { note = 1, level = "soft", min_velocity = 1 } }', 'action = { Text = { text = "x" } }', 'modes[0].mappings[0].trigger.VelocityRange.level', 'give either level or min_velocity and max_velocity, not both'],
      ['{ VelocityRange = { note = 1, min_velocity = 1 } }', 'action = { Text = { text = "x" } }', 'modes[0].mappings[0].trigger.VelocityRange.max_velocity', 'missing required field'],
      ['{ LongPress = { note = 1, min_duration_ms = 0 } }', 'action = { Text = { text = "x" } }', 'modes[0].mappings[0].trigger.LongPress.min_duration_ms', 'expected 1–60000, got 0'],
      ['{ Aftertouch = { min_pressure = 9, max_pressure = 8 } }', 'action = { Text = { text = "x" } }', 'modes[0].mappings[0].trigger.Aftertouch.min_pressure', 'min_pressure (9) is greater than max_pressure (8)'],
      ['{ Note = { note = 1 } }', 'action = { Text = { text = "" } }', 'modes[0].mappings[0].action.Text.text', 'expected a non-empty string'],
      ['{ Note = { note = 1 } }', 'action = { Sequence = { actions = [] } }', 'modes[0].mappings[0].action.Sequence.actions', 'empty sequence: expected at least one action'],
      ['{ Note = { note = 1 } }', 'action = { Sequence = { actions = [{ Delay = { ms = -1 } }] } }', 'modes[0].mappings[0].action.Sequence.actions[0].Delay.ms', 'expected 0–60000, got -1'],
      ['{ Note = { note = 1 } }', 'action = { Repeat = { count = 0, action = { Text = { text = "x" } } } }', 'modes[0].mappings[0].action.Repeat.count', 'expected 1–1000, got 0'],
      ['{ Note = { note = 1 } }', 'action = { Launch = { app = "x", args = ["ok", 3] } }', 'modes[0].mappings[0].action.Launch.args[1]', 'expected a non-empty string, got 3'],
      ['{ Note = { note = 1 } }', 'action = { Shell = { command = "ls", shell = "yes" } }', 'modes[0].mappings[0].action.Shell.shell', 'expected true or false, got "yes"'],
      ['{ Note = { note = 1 } }', 'action = { ModeChange = { mode = "M", relative = true } }', 'modes[0].mappings[0].action.ModeChange.mode', 'with relative = true, expected a whole number of modes'],
      ['{ Note = { note = 1 } }', 'action = { ModeChange = { mode = true } }', 'modes[0].mappings[0].action.ModeChange.mode', 'expected a mode name or index, got true'],
      ['{ Note = { note = 1 } }', 'action = { SendMidi = { port = "p", message_type = "Sysex" } }', 'modes[0].mappings[0].action.SendMidi.message_type', 'expected one of "NoteOn", "NoteOff", "CC", "ProgramChange", "PitchBend", "Aftertouch", got "Sysex"'],
      ['{ Note = { note = 1 } }', 'action = { SendMidi = { message_type = "ProgramChange", program = 1 } }', 'modes[0].mappings[0].action.SendMidi.port', 'missing required field'],
      ['{ Note = { note = 1 } }', 'action = { WasmPlugin = { path = "a.wasm", params = 3 } }', 'modes[0].mappings[0].action.WasmPlugin.params', 'expected a table'],
      ['{ Note = { note = 1 } }', 'action = { WasmPlugin = { path = "a.wasm", params = { x = nan } } }', 'modes[0].mappings[0].action.WasmPlugin.params.x', 'expected a JSON-compatible value'],
      ['{ Note = { note = 1 } }', 'action = { Text = { text = "x", extra = 1 } }', 'modes[0].mappings[0].action.Text.extra', 'unknown field for a Text action (fields: text)'],
    ];
    for (const [trigger, action, path, message] of cases) {
      const issues = problems(oneMapping(trigger, action));
      expect(issues.map((i) => i.path), `${trigger} / ${action}`).toEqual([path]);
      expect(issues[0]?.message, `${trigger} / ${action}`).toContain(message);
      expect(issues[0]?.line, `${trigger} / ${action}`).toBeGreaterThan(0);
    }
  });

  it('checks the shape of the top-level tables', () => {
    const issues = problems('device = 3\nmodes = { name = "x" }\nglobal_mappings = [1]\n');
    expect(issues.map((i) => [i.path, i.message, i.line])).toEqual([
      ['device', 'expected a table ([device]), got 3', 1],
      ['modes', 'expected an array of tables ([[modes]]), got a table', 2],
      ['global_mappings[0]', 'expected a mapping table with trigger and action, got 1', 3],
    ]);
    expect(problems('[[modes]]\ncolor = "red"\n')).toEqual([{ path: 'modes[0].name', segments: ['modes', 0, 'name'], message: 'missing required field', line: 1, column: 1 }]);
  });

  it('keys that are not bare TOML keys appear quoted in paths; the segments carry them as they are', () => {
    const text = oneMapping('{ Note = { note = 1 } }', 'action = { WasmPlugin = { path = "a.wasm", params = { "my key" = 1979-05-27T07:32:00Z } } }');
    expect(problems(text)[0]).toMatchObject({
      path: 'modes[0].mappings[0].action.WasmPlugin.params["my key"]',
      segments: ['modes', 0, 'mappings', 0, 'action', 'WasmPlugin', 'params', 'my key'],
      line: 6,
    });
    expect(problems('[device\n')[0]).toMatchObject({ path: '', segments: [], line: 1 });
  });
});
