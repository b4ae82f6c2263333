// Settings → Device and Timing: the form's bounds agree with main's schema, device choices and edits map to
// [device] as config.toml spells it, issues land at their fields, and the store saves them through config.save.
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_TIMING, type AppConfig, type ConfigIssue } from '../../src-shared/config';
import type { DeviceInfo } from '../../src-shared/midi';
import { parseConfigText } from '../../src-main/config/schema';
import { RANGES } from '../../src-main/config/schema-fields';
import { serializeConfig } from '../../src-main/config/write';
import { stablePortName as mainStablePortName } from '../../src-main/midi/backend';
import { startBridge } from '../store/bridge';
import { createAppStore } from '../store/index';
import { FakeApi, FakeClient, flush, loadHandlers, sampleConfig } from '../test-support/fake-api';
import {
  deviceNameProblem,
  deviceSelection,
  FIRST_INPUT,
  inputChoices,
  NAME_CONTAINS,
  nameForSelection,
  otherSectionIssues,
  parseMs,
  revertSettings,
  settingsChanges,
  settingsIssues,
  stablePortName,
  TIMING_FIELDS,
  timingBoundsText,
  timingProblem,
  timingProblems,
  timingTexts,
  withDefaultTiming,
  withDevice,
  withTiming,
} from './settings-form';

const field = (toml: string) => {
  const f = TIMING_FIELDS.find((x) => x.toml === toml);
  if (!f) throw new Error(toml);
  return f;
};

const hw = (name: string, state: DeviceInfo['state'] = 'connected', direction: DeviceInfo['direction'] = 'input'): DeviceInfo => ({
  id: `hw-${direction === 'input' ? 'in' : 'out'}:${name}`,
  name,
  kind: 'hardware',
  direction,
  state,
  detail: null,
});

describe('timing fields', () => {
  it('use the bounds main’s schema enforces, field by field', () => {
    expect(field('hold_threshold_ms').bounds).toEqual(RANGES.holdMs);
    expect(field('double_tap_timeout_ms').bounds).toEqual(RANGES.doubleTapMs);
    expect(field('chord_timeout_ms').bounds).toEqual(RANGES.chordMs);
    expect(TIMING_FIELDS.map((f) => f.key)).toEqual(['holdThresholdMs', 'doubleTapTimeoutMs', 'chordTimeoutMs']);
  });

  it('accept exactly what main reads back without an issue', () => {
    for (const f of TIMING_FIELDS) {
      const [min, max] = f.bounds;
      for (const text of [String(min - 1), String(min), String(max), String(max + 1), '250', '2.5', '-3', '1e3', '', ' 40 ', 'abc']) {
        const form = timingProblem(f, text) === null;
        const n = parseMs(text);
        if (n === null) {
          expect(form, `${f.toml} = ${JSON.stringify(text)}`).toBe(false);
          continue;
        }
        const main = parseConfigText(`[advanced_settings]\n${f.toml} = ${n}\n`);
        expect(form, `${f.toml} = ${text}`).toBe(main.issues.length === 0);
      }
    }
  });

  it('say why a value is refused, and show bounds and default', () => {
    const hold = field('hold_threshold_ms');
    expect(timingProblem(hold, '')).toBe('Required');
    expect(timingProblem(hold, '0')).toBe('Must be 1–60,000 ms');
    expect(timingProblem(hold, '60001')).toBe('Must be 1–60,000 ms');
    expect(timingProblem(hold, '1.5')).toMatch(/whole number/);
    expect(timingProblem(hold, '60000')).toBeNull();
    expect(timingBoundsText(hold)).toBe('1–60,000 ms, default 2,000');
    expect(timingBoundsText(field('chord_timeout_ms'))).toBe('1–5,000 ms, default 50');
    expect(timingProblems({ holdThresholdMs: '10', doubleTapTimeoutMs: '9000', chordTimeoutMs: '' })).toEqual({
      holdThresholdMs: null,
      doubleTapTimeoutMs: 'Must be 1–5,000 ms',
      chordTimeoutMs: 'Required',
    });
    expect(timingTexts(DEFAULT_TIMING)).toEqual({ holdThresholdMs: '2000', doubleTapTimeoutMs: '300', chordTimeoutMs: '50' });
  });

  it('edit the draft, keep unknown keys, and reset to Conductor’s defaults', () => {
    const c: AppConfig = { ...sampleConfig(), timing: { holdThresholdMs: 900, doubleTapTimeoutMs: 250, chordTimeoutMs: 60, extra: { future_knob: 3 } } };
    const edited = withTiming(c, 'chordTimeoutMs', 80);
    expect(edited.timing).toEqual({ holdThresholdMs: 900, doubleTapTimeoutMs: 250, chordTimeoutMs: 80, extra: { future_knob: 3 } });
    expect(c.timing.chordTimeoutMs).toBe(60);
    expect(withTiming(edited, 'chordTimeoutMs', 80)).toBe(edited);
    const reset = withDefaultTiming(edited);
    expect(reset.timing).toEqual({ ...DEFAULT_TIMING, extra: { future_knob: 3 } });
    expect(withDefaultTiming(reset)).toBe(reset);
    expect(serializeConfig(edited)).toContain('[advanced_settings]\nhold_threshold_ms = 900\ndouble_tap_timeout_ms = 250\nchord_timeout_ms = 80\nfuture_knob = 3');
  });
});

describe('device', () => {
  it('lists the hardware inputs by their stable names (main’s rule), once each; never outputs, virtual or unavailable ones', () => {
    const devices: DeviceInfo[] = [
      { id: 'virtual:Virtual Controller', name: 'Virtual Controller', kind: 'virtual', direction: 'input', state: 'connected', detail: null },
      hw('Maschine Mikro MK3:Maschine Mikro MK3 MIDI 1 24:0'),
      hw('nanoPAD2:nanoPAD2 MIDI 1 28:0', 'disconnected'),
      hw('nanoPAD2:nanoPAD2 MIDI 1 32:0'),
      hw('Synth:Synth MIDI 1 40:0', 'connected', 'output'),
      hw('MIDI hardware', 'unavailable'),
    ];
    expect(inputChoices(devices)).toEqual([
      { value: 'input:Maschine Mikro MK3:Maschine Mikro MK3 MIDI 1', name: 'Maschine Mikro MK3:Maschine Mikro MK3 MIDI 1', label: 'Maschine Mikro MK3:Maschine Mikro MK3 MIDI 1 — connected' },
      { value: 'input:nanoPAD2:nanoPAD2 MIDI 1', name: 'nanoPAD2:nanoPAD2 MIDI 1', label: 'nanoPAD2:nanoPAD2 MIDI 1 — not connected' },
    ]);
    for (const name of ['nanoPAD2:nanoPAD2 MIDI 1 24:0', 'Launchpad Mini', 'A 1:2 3:4', 'IAC Driver Bus 1']) expect(stablePortName(name)).toBe(mainStablePortName(name));
  });

  it('shows [device] name as the first hardware input, a listed input, or "name contains"', () => {
    const choices = inputChoices([hw('Launchpad Mini 20:0'), hw('Arturia BeatStep')]);
    expect(deviceSelection(null, choices)).toBe(FIRST_INPUT);
    expect(deviceSelection('Launchpad Mini', choices)).toBe('input:Launchpad Mini');
    expect(deviceSelection('launchpad', choices)).toBe(NAME_CONTAINS);
    expect(deviceSelection('Maschine', [])).toBe(NAME_CONTAINS);
    expect(nameForSelection(FIRST_INPUT, choices)).toBeNull();
    expect(nameForSelection('input:Arturia BeatStep', choices)).toBe('Arturia BeatStep');
    expect(nameForSelection(NAME_CONTAINS, choices)).toBeUndefined();
    expect(deviceNameProblem('  ')).toMatch(/First hardware input/);
    expect(deviceNameProblem('mikro')).toBeNull();
  });

  it('edits name and the switches as [device] spells them, keeping port and unknown keys', () => {
    const c: AppConfig = { ...sampleConfig(), device: { name: null, autoConnect: true, autoReconnect: true, port: 1, extra: { vendor_hint: 'NI' } } };
    const edited = withDevice(withDevice(c, { name: 'Mikro' }), { autoConnect: false, autoReconnect: false });
    expect(edited.device).toEqual({ name: 'Mikro', autoConnect: false, autoReconnect: false, port: 1, extra: { vendor_hint: 'NI' } });
    expect(withDevice(edited, { autoConnect: false })).toBe(edited);
    const text = serializeConfig(edited);
    expect(text).toContain('[device]\nname = "Mikro"\nauto_connect = false\nauto_reconnect = false\nport = 1\nvendor_hint = "NI"');
    expect(parseConfigText(text).config?.device).toEqual(edited.device);
    expect(serializeConfig(withDevice(edited, { name: null }))).toContain('[device]\nauto_connect = false\n');
  });
});

describe('changes and issues', () => {
  it('tell Device and Timing changes from changes elsewhere, and revert only their own', () => {
    const base = sampleConfig();
    expect(settingsChanges(base, base)).toEqual({ device: false, timing: false, led: false, elsewhere: false });
    const timing = withTiming(base, 'holdThresholdMs', 1500);
    expect(settingsChanges(timing, base)).toEqual({ device: false, timing: true, led: false, elsewhere: false });
    const both: AppConfig = { ...withDevice(timing, { autoReconnect: false }), globalMappings: [] };
    expect(settingsChanges(both, base)).toEqual({ device: true, timing: true, led: false, elsewhere: true });
    const reverted = revertSettings(both, base);
    expect(settingsChanges(reverted, base)).toEqual({ device: false, timing: false, led: false, elsewhere: true });
    expect(reverted.globalMappings).toEqual([]);
    expect(settingsChanges(null, base)).toEqual({ device: false, timing: false, led: false, elsewhere: false });
  });

  it('tell LED feedback changes (led_feedback, [led_settings]) apart from Device, and revert them; a mode’s own LED keys stay', () => {
    const base = sampleConfig();
    const led: AppConfig = { ...base, device: { ...base.device, ledFeedback: true }, led: { scheme: 'static' } };
    expect(settingsChanges(led, base)).toEqual({ device: false, timing: false, led: true, elsewhere: false });
    const modeToo: AppConfig = { ...led, modes: base.modes.map((m, i) => (i === 0 ? { ...m, led: { scheme: 'rainbow' } } : m)) };
    const reverted = revertSettings(modeToo, base);
    expect(settingsChanges(reverted, base)).toEqual({ device: false, timing: false, led: false, elsewhere: true });
    expect(reverted.modes[0]?.led).toEqual({ scheme: 'rainbow' });
  });

  it('sorts a refused save’s issues into the fields of [device] and [advanced_settings], and the rest', () => {
    const issue = (segments: (string | number)[], message: string): ConfigIssue => ({ path: segments.join('.'), segments, message, line: null, column: null });
    const sorted = settingsIssues([
      issue(['advanced_settings', 'chord_timeout_ms'], 'expected 1–5000, got 0'),
      issue(['device', 'name'], 'expected a string, got 3'),
      issue(['device', 'port'], 'expected 0–255, got 900'),
      issue(['device'], 'expected a table'),
      issue(['modes', 0, 'mappings', 1, 'action', 'WasmPlugin', 'path'], 'missing required field'),
    ]);
    expect(sorted.timing).toEqual({ chord_timeout_ms: ['expected 1–5000, got 0'] });
    expect(sorted.device).toEqual({ name: ['expected a string, got 3'], port: ['expected 0–255, got 900'], '': ['expected a table'] });
    expect(sorted.elsewhere.map((i) => i.message)).toEqual(['missing required field']);
    expect(otherSectionIssues(sorted.device, ['name', 'auto_connect', 'auto_reconnect'])).toEqual(['port: expected 0–255, got 900', 'expected a table']);
  });
});

describe('saving through the store', () => {
  let stop: (() => void) | null = null;
  afterEach(() => {
    stop?.();
    stop = null;
  });

  it('sends device and timing edits with config.save, and keeps a refusal’s issues for the fields', async () => {
    const refusal: ConfigIssue[] = [{ path: 'advanced_settings.hold_threshold_ms', segments: ['advanced_settings', 'hold_threshold_ms'], message: 'expected 1–60000, got 0', line: 3, column: 1 }];
    const api = new FakeApi({ ...loadHandlers(), 'config.save': () => ({ ok: false, issues: refusal }) });
    const client = new FakeClient(api);
    const store = createAppStore(api.api, { now: () => 1000 });
    stop = startBridge(store, client, { now: () => 1000 });
    await flush();

    store.getState().editDraft((c) => withDevice(withTiming(c, 'doubleTapTimeoutMs', 420), { name: 'Mikro', autoReconnect: false }));
    expect(settingsChanges(store.getState().draft, store.getState().baseline)).toMatchObject({ device: true, timing: true });
    expect(await store.getState().saveDraft()).toBe(false);
    expect(settingsIssues(store.getState().saveIssues).timing).toEqual({ hold_threshold_ms: ['expected 1–60000, got 0'] });
    const sent = api.callsOf('config.save')[0]?.[0] as AppConfig;
    expect(sent.timing.doubleTapTimeoutMs).toBe(420);
    expect(sent.device).toMatchObject({ name: 'Mikro', autoConnect: true, autoReconnect: false });

    api.handlers['config.save'] = (c) => ({ ok: true, config: c as unknown as AppConfig });
    expect(await store.getState().saveDraft()).toBe(true);
    const s = store.getState();
    expect(s.saveIssues).toEqual([]);
    expect(settingsChanges(s.draft, s.baseline)).toEqual({ device: false, timing: false, led: false, elsewhere: false });
    expect(s.configState?.config.timing.doubleTapTimeoutMs).toBe(420);
  });
});
