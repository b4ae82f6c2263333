// Conductor's own field names and defaults (../shared/spec/conductor-config-format.md) next to the older names of
// Conductor Desktop's files: both read, each written back as it was, new mappings written with Conductor's names,
// and read → write → read giving the same mappings.
import { describe, expect, it } from 'vitest';
import type { AppConfig, Mapping } from '../../src-shared/config';
import { parseConfigText } from './schema';
import { serializeConfig } from './write';

function read(text: string): AppConfig {
  const { config, issues } = parseConfigText(text);
  expect(issues).toEqual([]);
  if (!config) throw new Error('no config');
  return config;
}

function issuesOf(text: string): string[] {
  return parseConfigText(text).issues.map((i) => `${i.path}: ${i.message}`);
}

function mappings(config: AppConfig): Mapping[] {
  return [...config.modes.flatMap((m) => m.mappings), ...config.globalMappings];
}

/** Written the way Conductor writes its files: internally tagged tables, Conductor's field names. */
const CONDUCTOR = `[device]
name = "Maschine Mikro MK3"
auto_connect = true

[advanced_settings]
chord_timeout_ms = 60
double_tap_timeout_ms = 250
hold_threshold_ms = 1500

[[modes]]
name = "Default"
color = "#FF0000"

[[modes.mappings]]
description = "Hold to save"
[modes.mappings.trigger]
type = "LongPress"
note = 36
duration_ms = 800
[modes.mappings.action]
type = "Keystroke"
keys = "s"
modifiers = ["cmd"]

[[modes.mappings]]
[modes.mappings.trigger]
type = "LongPress"
note = 37
[modes.mappings.action]
type = "Text"
text = "held"

[[modes.mappings]]
[modes.mappings.trigger]
type = "DoubleTap"
note = 38
timeout_ms = 400
[modes.mappings.action]
type = "Repeat"
count = 3
delay_ms = 25
action = { type = "Keystroke", keys = "Down" }

[[modes.mappings]]
[modes.mappings.trigger]
type = "NoteChord"
notes = [36, 40, 43]
timeout_ms = 80
[modes.mappings.action]
type = "ModeChange"
mode = "Default"

[[modes.mappings]]
[modes.mappings.trigger]
type = "VelocityRange"
note = 44
soft_max = 30
medium_max = 90
[modes.mappings.action]
type = "Text"
text = "velocity"

[[modes.mappings]]
[modes.mappings.trigger]
type = "VelocityRange"
note = 45
[modes.mappings.action]
type = "Text"
text = "velocity, default bands"

[[modes.mappings]]
[modes.mappings.trigger]
type = "PitchBend"
value_min = 8192
value_max = 16383
[modes.mappings.action]
type = "SendMidi"
port = "IAC Driver Bus 1"
message_type = "PitchBend"
channel = 0
pitch = -8192

[[modes.mappings]]
[modes.mappings.trigger]
type = "PitchBend"
[modes.mappings.action]
type = "SendMidi"
port = "IAC Driver Bus 1"
message_type = "PitchBend"
channel = 1
pitch = 8191

[[modes.mappings]]
[modes.mappings.trigger]
type = "Aftertouch"
pressure_min = 64
[modes.mappings.action]
type = "SendMidi"
port = "IAC Driver Bus 1"
message_type = "CC"
channel = 0
controller = 1
value = 127

[[global_mappings]]
[global_mappings.trigger]
type = "Note"
note = 50
[global_mappings.action]
type = "Conditional"
condition = { type = "And", conditions = [{ type = "TimeRange", start = "22:00", end = "06:00" }, { type = "Not", condition = { type = "AppFrontmost", app_name = "zoom" } }, { type = "Or", conditions = [{ type = "DayOfWeek", days = [6, 7] }, { type = "ModeIs", mode = "Default" }, { type = "AppRunning", app_name = "obs" }, "Always", { type = "Never" }] }] }
then_action = { type = "Text", text = "late" }
else_action = { type = "Keystroke", keys = "space" }

[[global_mappings]]
trigger = { type = "EncoderTurn", cc = 1 }
action = { type = "Keystroke", keys = "Right" }

[[global_mappings]]
[global_mappings.trigger]
type = "CC"
cc = 64
value_min = 64
[global_mappings.action]
type = "Shell"
command = "echo pedal"
`;

describe("Conductor's field names and defaults", () => {
  it('reads every renamed field and fills Conductor’s defaults', () => {
    const config = read(CONDUCTOR);
    expect(config.timing).toEqual({ holdThresholdMs: 1500, doubleTapTimeoutMs: 250, chordTimeoutMs: 60 });
    const [hold, holdDefault, tap, chord, velocity, velocityDefault, bendUp, bendAll, aftertouch, conditional, encoder, pedal] = mappings(config);
    expect(hold?.trigger).toEqual({ type: 'LongPress', note: 36, minDurationMs: 800 });
    // Left out: the engine uses [advanced_settings] hold_threshold_ms.
    expect(holdDefault?.trigger).toEqual({ type: 'LongPress', note: 37 });
    expect(tap?.trigger).toEqual({ type: 'DoubleTap', note: 38, maxIntervalMs: 400 });
    expect(tap?.action).toEqual({ type: 'Repeat', action: { type: 'Keystroke', keys: 'Down' }, count: 3, delayBetweenMs: 25 });
    expect(chord?.trigger).toEqual({ type: 'NoteChord', notes: [36, 40, 43], maxIntervalMs: 80 });
    // Conductor's VelocityRange: every press of the note (1–127), classified by the two bounds.
    expect(velocity?.trigger).toEqual({ type: 'VelocityRange', note: 44, minVelocity: 1, maxVelocity: 127, softMax: 30, mediumMax: 90 });
    expect(velocityDefault?.trigger).toEqual({ type: 'VelocityRange', note: 45, minVelocity: 1, maxVelocity: 127, softMax: 40, mediumMax: 80 });
    expect(bendUp?.trigger).toEqual({ type: 'PitchBend', minValue: 8192, maxValue: 16383 });
    // pitch is signed around the centre: -8192 is the wire's 0, 8191 its 16383.
    expect(bendUp?.action).toEqual({ type: 'SendMidi', port: 'IAC Driver Bus 1', message: { type: 'PitchBend', channel: 0, value: 0 } });
    expect(bendAll?.trigger).toEqual({ type: 'PitchBend', minValue: 0, maxValue: 16383 });
    expect(bendAll?.action).toEqual({ type: 'SendMidi', port: 'IAC Driver Bus 1', message: { type: 'PitchBend', channel: 1, value: 16383 } });
    expect(aftertouch?.trigger).toEqual({ type: 'Aftertouch', minPressure: 64 });
    expect(conditional?.action).toEqual({
      type: 'Conditional',
      condition: {
        type: 'And',
        conditions: [
          { type: 'TimeRange', start: '22:00', end: '06:00' },
          { type: 'Not', condition: { type: 'AppFrontmost', appName: 'zoom' } },
          {
            type: 'Or',
            conditions: [{ type: 'DayOfWeek', days: [6, 7] }, { type: 'ModeIs', mode: 'Default' }, { type: 'AppRunning', appName: 'obs' }, { type: 'Always' }, { type: 'Never' }],
          },
        ],
      },
      thenAction: { type: 'Text', text: 'late' },
      elseAction: { type: 'Keystroke', keys: 'space' },
    });
    // No direction: either way.
    expect(encoder?.trigger).toEqual({ type: 'EncoderTurn', cc: 1 });
    expect(pedal?.trigger).toEqual({ type: 'CC', cc: 64, valueMin: 64 });
  });

  it('writes Conductor’s names, and read → write → read gives the same mappings', () => {
    const config = read(CONDUCTOR);
    const written = serializeConfig(config);
    for (const name of ['duration_ms = 800', 'timeout_ms = 400', 'timeout_ms = 80', 'delay_ms = 25', 'soft_max = 30', 'medium_max = 90', 'value_min = 8192', 'pitch = -8192', 'pitch = 8191', 'pressure_min = 64']) {
      expect(written).toContain(name);
    }
    for (const older of ['min_duration_ms', 'max_interval_ms', 'delay_between_ms', 'min_value', 'max_value', 'min_pressure', 'min_velocity']) {
      expect(written).not.toContain(older);
    }
    const again = read(written);
    expect(mappings(again)).toEqual(mappings(config));
    expect(again.timing).toEqual(config.timing);
  });

  it('reads the older names of Conductor Desktop’s own files and writes them back as they were', () => {
    const older = `[[modes]]
name = "Default"

[[modes.mappings]]
trigger = { LongPress = { note = 36, min_duration_ms = 900 } }
action = { Repeat = { action = { Text = { text = "x" } }, count = 2, delay_between_ms = 10 } }

[[modes.mappings]]
trigger = { NoteChord = { notes = [36, 40], max_interval_ms = 70 } }
action = { SendMidi = { port = "out", message_type = "PitchBend", value = 12000 } }

[[modes.mappings]]
trigger = { PitchBend = { min_value = 9000, max_value = 16383 } }
action = { Text = { text = "bend" } }

[[modes.mappings]]
trigger = { Aftertouch = { min_pressure = 10, max_pressure = 100 } }
action = { Text = { text = "press" } }
`;
    const config = read(older);
    const [hold, chord, bend, aftertouch] = mappings(config);
    expect(hold?.trigger).toEqual({ type: 'LongPress', note: 36, minDurationMs: 900, olderNames: true });
    expect(chord?.action).toEqual({ type: 'SendMidi', port: 'out', message: { type: 'PitchBend', channel: 0, value: 12000 }, olderNames: true });
    const written = serializeConfig(config);
    for (const name of ['min_duration_ms = 900', 'delay_between_ms = 10', 'max_interval_ms = 70', 'value = 12000', 'min_value = 9000', 'max_value = 16383', 'min_pressure = 10']) {
      expect(written).toContain(name);
    }
    expect(written).not.toMatch(/\bduration_ms = 900|pitch =|value_min|pressure_min/);
    expect(mappings(read(written))).toEqual(mappings(config));
    expect(bend?.trigger).toEqual({ type: 'PitchBend', minValue: 9000, maxValue: 16383, olderNames: true });
    expect(aftertouch?.trigger).toEqual({ type: 'Aftertouch', minPressure: 10, maxPressure: 100, olderNames: true });
  });

  it('refuses both spellings at once, bands that overlap and pitches out of range, and says where', () => {
    const text = `[[modes]]
name = "Default"

[[modes.mappings]]
trigger = { type = "LongPress", note = 36, duration_ms = 800, min_duration_ms = 900 }
action = { type = "Text", text = "a" }

[[modes.mappings]]
trigger = { type = "VelocityRange", note = 36, soft_max = 90, medium_max = 80 }
action = { type = "Text", text = "b" }

[[modes.mappings]]
trigger = { type = "VelocityRange", note = 36, soft_max = 30, level = "hard" }
action = { type = "SendMidi", port = "out", message_type = "PitchBend", pitch = 8192 }

[[modes.mappings]]
trigger = { type = "PitchBend", min_value = 100 }
action = { type = "SendMidi", port = "out", message_type = "PitchBend", pitch = 0, value = 8192 }
`;
    expect(issuesOf(text)).toEqual([
      'modes[0].mappings[0].trigger.min_duration_ms: give duration_ms or min_duration_ms (its older name), not both',
      'modes[0].mappings[1].trigger.soft_max: soft_max (90) must be less than medium_max (80)',
      'modes[0].mappings[2].trigger.soft_max: soft_max and medium_max classify every press of the note; give them, or a band (level, or min_velocity and max_velocity), not both',
      'modes[0].mappings[2].action.pitch: expected -8192–8191, got 8192',
      'modes[0].mappings[3].trigger.max_value: missing required field (min_value and max_value go together; or use value_min / value_max, each optional)',
      'modes[0].mappings[3].action.value: give pitch (-8192 to 8191) or value (0 to 16383, its older form), not both',
    ]);
  });

  it('refuses conditions that cannot hold as written, and says where', () => {
    const text = `[[modes]]
name = "Default"

[[modes.mappings]]
trigger = { type = "Note", note = 36 }
action = { type = "Conditional", condition = { type = "TimeRange", start = "9:00", end = "17:00" }, then_action = { type = "Text", text = "a" } }

[[modes.mappings]]
trigger = { type = "Note", note = 37 }
action = { type = "Conditional", condition = { type = "DayOfWeek", days = [0, 7, 7] }, then_action = { type = "Text", text = "b" } }

[[modes.mappings]]
trigger = { type = "Note", note = 38 }
action = { type = "Conditional", condition = { type = "ModeIs", mode = "Defualt" }, then_action = { type = "Text", text = "c" } }

[[modes.mappings]]
trigger = { type = "Note", note = 39 }
action = { type = "Conditional", condition = { type = "TimeRange", start = "10:00", end = "10:00" } }

[[modes.mappings]]
trigger = { type = "Note", note = 40 }
action = { type = "Conditional", condition = { type = "Sometimes" }, then_action = { type = "Text", text = "d" } }
`;
    expect(issuesOf(text)).toEqual([
      'modes[0].mappings[0].action.condition.start: expected a 24-hour time "HH:MM" (e.g. "09:30"), got "9:00"',
      'modes[0].mappings[1].action.condition.days[0]: expected a weekday 1–7 (1 = Monday … 7 = Sunday), got 0',
      'modes[0].mappings[1].action.condition.days[2]: day 7 is listed twice',
      'modes[0].mappings[2].action.condition.mode: no mode named "Defualt" (modes: "Default"); did you mean "Default"?',
      'modes[0].mappings[3].action.then_action: missing required field (the action when the condition holds)',
      'modes[0].mappings[3].action.condition.end: start and end are both 10:00: the range would be empty (or give the whole day as Always)',
      'modes[0].mappings[4].action.condition.type: unknown condition type "Sometimes" (types: Always, Never, TimeRange, DayOfWeek, AppRunning, AppFrontmost, ModeIs, And, Or, Not)',
    ]);
  });

  it('reads the gamepad triggers (ids 128–255), writes them back the same, and refuses a channel or an id out of range', () => {
    const text = `[[modes]]
name = "Gamepad"

[[modes.mappings]]
[modes.mappings.trigger]
type = "GamepadButton"
button = 128
velocity_min = 10
[modes.mappings.action]
type = "Keystroke"
keys = "Return"

[[modes.mappings]]
trigger = { type = "GamepadButtonChord", buttons = [136, 137], timeout_ms = 80 }
action = { type = "ModeChange", mode = "Gamepad" }

[[modes.mappings]]
trigger = { type = "GamepadAnalogStick", axis = 131, direction = "Clockwise" }
action = { type = "Keystroke", keys = "Up" }

[[modes.mappings]]
trigger = { type = "GamepadAnalogStick", axis = 128 }
action = { type = "Keystroke", keys = "Right" }

[[modes.mappings]]
trigger = { type = "GamepadTrigger", trigger = 133, threshold = 100 }
action = { type = "Text", text = "RT" }
`;
    const config = read(text);
    expect(mappings(config).map((m) => m.trigger)).toEqual([
      { type: 'GamepadButton', button: 128, velocityMin: 10 },
      { type: 'GamepadButtonChord', buttons: [136, 137], maxIntervalMs: 80 },
      { type: 'GamepadAnalogStick', axis: 131, direction: 'Clockwise' },
      { type: 'GamepadAnalogStick', axis: 128 },
      { type: 'GamepadTrigger', trigger: 133, threshold: 100 },
    ]);
    expect(mappings(read(serializeConfig(config)))).toEqual(mappings(config));
    expect(
      issuesOf(`[[global_mappings]]
trigger = { type = "GamepadButton", button = 60, channel = 1 }
action = { type = "Text", text = "a" }

[[global_mappings]]
trigger = { type = "GamepadButtonChord", buttons = [128, 128] }
action = { type = "Text", text = "b" }

[[global_mappings]]
trigger = { type = "GamepadAnalogStick", axis = 132 }
action = { type = "Text", text = "c" }

[[global_mappings]]
trigger = { type = "GamepadTrigger", trigger = 131 }
action = { type = "Text", text = "d" }
`),
    ).toEqual([
      'global_mappings[0].trigger.button: expected 128–255, got 60',
      'global_mappings[0].trigger.channel: unknown field for a GamepadButton trigger (fields: button, velocity_min)',
      'global_mappings[1].trigger.buttons[1]: 128 is listed twice',
      'global_mappings[2].trigger.axis: expected 128–131, got 132',
      'global_mappings[3].trigger.trigger: expected 132–133, got 131',
    ]);
  });

  it('reads VolumeControl with Conductor’s operations, and refuses Set without a value or Mute with one', () => {
    const ok = read(`[[global_mappings]]
trigger = { type = "EncoderTurn", cc = 7, direction = "Clockwise" }
action = { type = "VolumeControl", operation = "Up" }

[[global_mappings]]
trigger = { type = "Note", note = 36 }
action = { type = "VolumeControl", operation = "Set", value = 30 }
`);
    expect(ok.globalMappings.map((m) => m.action)).toEqual([
      { type: 'VolumeControl', operation: 'Up' },
      { type: 'VolumeControl', operation: 'Set', value: 30 },
    ]);
    expect(mappings(read(serializeConfig(ok)))).toEqual(mappings(ok));
    expect(
      issuesOf(`[[global_mappings]]
trigger = { type = "Note", note = 36 }
action = { type = "VolumeControl", operation = "Set" }

[[global_mappings]]
trigger = { type = "Note", note = 37 }
action = { type = "VolumeControl", operation = "Mute", value = 3 }

[[global_mappings]]
trigger = { type = "Note", note = 38 }
action = { type = "VolumeControl", operation = "Louder" }
`),
    ).toEqual([
      'global_mappings[0].action.value: missing required field',
      'global_mappings[1].action.value: not used by operation "Mute" (value is the step of Up / Down, or the level of Set)',
      'global_mappings[2].action.operation: expected one of "Up", "Down", "Mute", "Unmute", "Set", got "Louder"',
    ]);
  });

  it('reads [logging] (level, file with ~), writes it back as written, and refuses an unknown level', () => {
    const config = read(`[logging]
level = "debug"
file = "~/conductor.log"
rotate = true
`);
    expect(config.logging).toMatchObject({ level: 'debug', fileAsWritten: '~/conductor.log', extra: { rotate: true } });
    expect(config.logging?.file).toMatch(/conductor\.log$/);
    expect(config.logging?.file?.startsWith('~')).toBe(false);
    const written = serializeConfig(config);
    expect(written).toContain('[logging]\nlevel = "debug"\nfile = "~/conductor.log"\nrotate = true\n');
    expect(read(written).logging).toEqual(config.logging);
    expect(read('[[modes]]\nname = "Default"\n').logging).toBeUndefined();
    expect(issuesOf('[logging]\nlevel = "verbose"\n')).toEqual(['logging.level: expected one of "off", "error", "warn", "info", "debug", "trace", got "verbose"']);
  });
});
