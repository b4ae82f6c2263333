// Writing config.toml: canonical shape, lossless round trips, unknown keys kept, `~/…` paths kept as written.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import TOML from '@iarna/toml';
import type { Action, AppConfig } from '../../src-shared/config';
import { emptyConfig } from './default-config';
import { parseConfigText } from './schema';
import { inlineValue, serializeConfig } from './write';

const fixture = (name: string): string => readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8');

function read(text: string): AppConfig {
  const { config, issues } = parseConfigText(text);
  expect(issues).toEqual([]);
  if (!config) throw new Error('no config');
  return config;
}

function withAction(action: Action): AppConfig {
  return { ...emptyConfig(), modes: [{ name: 'M', color: null, mappings: [{ description: '', trigger: { type: 'Note', note: 1 }, action }] }] };
}

describe('serializeConfig', () => {
  it('round-trips the canonical file: parse → write → parse gives the same config', () => {
    const first = read(fixture('canonical.toml'));
    const written = serializeConfig(first);
    expect(read(written)).toEqual(first);
    // Writing again is stable.
    expect(serializeConfig(read(written))).toBe(written);
  });

  it("writes the spec's canonical one-line shape", () => {
    const written = serializeConfig(read(fixture('canonical.toml')));
    expect(written).toContain('\n[[modes.mappings]]\ndescription = "Play"\ntrigger = { Note = { note = 60 } }\n');
    expect(written).toContain(
      'action = { WasmPlugin = { path = "~/.conductor/wasm-plugins/spotify.wasm", params = { action = "play", volume = 0.5, tags = ["a", "b"], nested = { on = true } } } }\n',
    );
    expect(written).toContain('trigger = { VelocityRange = { note = 36, level = "soft", channel = 9 } }\n');
    expect(written).toContain('trigger = { VelocityRange = { note = 36, min_velocity = 41, max_velocity = 127 } }\n');
    expect(written).toContain('action = { SendMidi = { port = "Virtual Controller", message_type = "CC", channel = 2, controller = 7, value = 100 } }\n');
    expect(written).toContain('trigger = { Aftertouch = {} }\n');
    expect(written).not.toMatch(/\btype = /);
    expect(written.startsWith('# Conductor Desktop configuration')).toBe(true);
  });

  it("converts Conductor's tagged file to the canonical shape without changing its meaning", () => {
    const tagged = read(fixture('tagged.toml'));
    const written = serializeConfig(tagged);
    expect(written).toContain('trigger = { NoteChord = { notes = [60, 64, 67] } }\n');
    expect(written).toContain('action = { Repeat = { action = { Keystroke = { keys = "a" } }, count = 2 } }\n');
    expect(written).not.toContain('[modes.mappings.trigger]');
    expect(read(written)).toEqual(tagged);
  });

  it('keeps unknown tables and unknown keys inside known tables', () => {
    const written = serializeConfig(read(fixture('canonical.toml')));
    const doc = TOML.parse(written) as Record<string, unknown>;
    expect(doc.led).toEqual({ enabled: true, brightness: 90, scheme: 'reactive', colors: { active: '#ff0000' } });
    expect(doc.last_selected_mode).toBe('Default');
    expect(doc.device).toMatchObject({ vendor_hint: 'NI' });
    expect(doc.advanced_settings).toMatchObject({ polling_interval_ms: 5 });
    const modes = doc.modes as Record<string, unknown>[];
    expect(modes[0]).toMatchObject({ icon: 'star' });
    expect((modes[0]?.mappings as Record<string, unknown>[])[2]).toMatchObject({ enabled: true });
    expect(written).toContain('\n[led]\nenabled = true\nbrightness = 90\nscheme = "reactive"\n\n[led.colors]\nactive = "#ff0000"\n');
  });

  it('keeps unknown arrays of tables and values of every TOML type', () => {
    const text = [
      'title = "x"',
      'when = 1979-05-27T07:32:00Z',
      'big = 9007199254740993',
      '[logging]',
      'level = "debug"',
      'ratio = 2.5',
      'list = [1, 2, 3]',
      '[[endpoints]]',
      'alias = "a"',
      '[[endpoints.matchers]]',
      'name = "m"',
      '[[endpoints]]',
      'alias = "b"',
    ].join('\n');
    const config = read(text);
    const again = read(serializeConfig(config));
    expect(again.extra).toEqual(config.extra);
    expect(TOML.parse(serializeConfig(config))).toMatchObject({
      title: 'x',
      big: 9007199254740993n,
      logging: { level: 'debug', ratio: 2.5, list: [1, 2, 3] },
      endpoints: [{ alias: 'a', matchers: [{ name: 'm' }] }, { alias: 'b' }],
    });
  });

  it('writes a ~/ plugin path back as written while it still names the same file', () => {
    const config = read(fixture('canonical.toml'));
    const written = serializeConfig(config);
    expect(written).toContain('path = "~/.conductor/wasm-plugins/spotify.wasm"');
    expect(written).not.toContain(homedir() + '/.conductor');
    // Changed in the app (absolute path): the new path is written.
    const plugin = config.modes[0]?.mappings[0]?.action;
    if (plugin?.type !== 'WasmPlugin') throw new Error('fixture changed');
    const moved = withAction({ ...plugin, path: '/srv/other.wasm' });
    expect(serializeConfig(moved)).toContain('path = "/srv/other.wasm"');
    // A path given with ~ (no pathAsWritten) is written as given and expanded on reading.
    const tilde = read(serializeConfig(withAction({ type: 'WasmPlugin', path: '~/x.wasm', params: {} })));
    expect(tilde.modes[0]?.mappings[0]?.action).toEqual({ type: 'WasmPlugin', path: join(homedir(), 'x.wasm'), pathAsWritten: '~/x.wasm', params: {} });
  });

  it('escapes strings so any text survives', () => {
    const text = 'quote " backslash \\ tab \t newline \n cr \r del \u007f nul \u0000 bell \u0007 emoji 🎹 \'single\' """';
    const config = withAction({ type: 'Text', text });
    const again = read(serializeConfig(config));
    expect(again.modes[0]?.mappings[0]?.action).toEqual({ type: 'Text', text });
    const keys = { ...config, modes: [{ name: 'weird "name" é', color: null, mappings: [], extra: { 'a key': 1, 'ünï': 'x' } }] };
    expect(read(serializeConfig(keys)).modes[0]).toEqual(keys.modes[0]);
  });

  it('puts a long Sequence one action per line and leaves TOML nulls out of params', () => {
    const actions: Action[] = Array.from({ length: 5 }, (_, i) => ({ type: 'Text', text: `step number ${i} of the sequence` }));
    const config = withAction({ type: 'Sequence', actions });
    const written = serializeConfig(config);
    expect(written).toContain('action = { Sequence = { actions = [\n  { Text = { text = "step number 0 of the sequence" } },\n');
    expect(read(written)).toEqual(config);
    const withNull = withAction({ type: 'WasmPlugin', path: '/p.wasm', params: { a: null, b: [1, null, 2], c: 'x' } });
    expect(read(serializeConfig(withNull)).modes[0]?.mappings[0]?.action).toEqual({ type: 'WasmPlugin', path: '/p.wasm', params: { b: [1, 2], c: 'x' } });
  });

  it('writes every field of the device, policy and timing, and leaves unset ones out', () => {
    const written = serializeConfig(emptyConfig({ requireSignature: true, allowSelfSigned: false }));
    expect(written).toContain('[device]\nauto_connect = true\nauto_reconnect = true\n');
    expect(written).not.toContain('name =');
    expect(written).toContain('[wasm]\nrequire_signature = true\nallow_self_signed = false\n');
    expect(written).toContain('[advanced_settings]\nhold_threshold_ms = 2000\ndouble_tap_timeout_ms = 300\nchord_timeout_ms = 50\n');
    expect(read(written)).toEqual(emptyConfig({ requireSignature: true, allowSelfSigned: false }));
  });

  it('writes numbers the TOML way', () => {
    expect([1, -5, 0.5, 1e21, 1e-7, Infinity, -Infinity, NaN].map(inlineValue)).toEqual(['1', '-5', '0.5', '1e+21', '1.0e-7', 'inf', '-inf', 'nan']);
    for (const n of [0.5, 1e21, 1e-7, 123.456]) expect(TOML.parse(`x = ${inlineValue(n)}`).x).toBe(n);
  });
});
