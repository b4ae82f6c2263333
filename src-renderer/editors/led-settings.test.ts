// The pure LED settings edits on the draft: a mode's scheme override and brightnesses, led_feedback, [led_settings]
// (+ .midi) with defaults left unwritten and unknown keys kept, and what scheme a mode shows and why.
import { describe, expect, it } from 'vitest';
import type { AppConfig } from '../../src-shared/config';
import { parseConfigText } from '../../src-main/config/schema';
import { serializeConfig } from '../../src-main/config/write';
import { sampleConfig } from '../test-support/fake-api';
import {
  effectiveModeLed,
  ledFeedbackOn,
  ledNumberProblem,
  parseLedNumber,
  reactiveColour,
  setLedFeedback,
  setReactiveColour,
  setReactiveFade,
  setLedNumber,
  setLedScheme,
  setModeBrightness,
  setModeLedScheme,
} from './led-settings';

/** Default (no colour, no LED keys) and Edit (blue, `led_scheme = "rainbow"`, an unknown key); no [led_settings]. */
function config(): AppConfig {
  const c = sampleConfig();
  return { ...c, modes: [c.modes[0]!, { name: 'Edit', color: 'blue', mappings: [], led: { scheme: 'rainbow' }, extra: { fade_time_ms: 200 } }] };
}

describe("a mode's LED settings", () => {
  it('sets and clears the scheme override; clearing the last key drops `led`, other modes and unknown keys untouched', () => {
    const c = config();
    const set = setModeLedScheme(c, 0, 'static');
    expect(set.modes[0]?.led).toEqual({ scheme: 'static' });
    expect(set.modes[1]).toBe(c.modes[1]);
    expect(setModeLedScheme(set, 0, 'static')).toBe(set);
    const cleared = setModeLedScheme(c, 1, null);
    expect(cleared.modes[1]).toEqual({ name: 'Edit', color: 'blue', mappings: [], extra: { fade_time_ms: 200 } });
    expect(setModeLedScheme(c, 0, null)).toBe(c);
    expect(setModeLedScheme(c, 7, 'static')).toBe(c);
  });

  it('sets brightnesses 0–255; out of range or a fraction changes nothing; undefined removes the key; a default is not written', () => {
    const c = config();
    const idle = setModeBrightness(c, 1, 'idleBrightness', 40);
    expect(idle.modes[1]?.led).toEqual({ scheme: 'rainbow', idleBrightness: 40 });
    expect(setModeBrightness(idle, 1, 'idleBrightness', 256)).toBe(idle);
    expect(setModeBrightness(idle, 1, 'idleBrightness', -1)).toBe(idle);
    expect(setModeBrightness(idle, 1, 'idleBrightness', 2.5)).toBe(idle);
    expect(ledNumberProblem('idleBrightness', 256)).toBe('Must be 0–255');
    expect(ledNumberProblem('activeBrightness', 0)).toBeNull();
    expect(setModeBrightness(idle, 1, 'idleBrightness', undefined).modes[1]?.led).toEqual({ scheme: 'rainbow' });
    expect(setModeBrightness(c, 0, 'idleBrightness', 96)).toBe(c);
    expect(setModeBrightness(c, 0, 'activeBrightness', 0).modes[0]?.led).toEqual({ activeBrightness: 0 });
    // A value the file has is kept when set to the default (the user wrote it).
    const written = setModeBrightness(c, 0, 'idleBrightness', 50);
    expect(setModeBrightness(written, 0, 'idleBrightness', 96).modes[0]?.led).toEqual({ idleBrightness: 96 });
  });
});

describe('device-wide LED settings', () => {
  it('led_feedback: on/off written explicitly, unchanged when already so', () => {
    const c = config();
    expect(ledFeedbackOn(c)).toBe(false);
    expect(setLedFeedback(c, false)).toBe(c);
    const on = setLedFeedback(c, true);
    expect(on.device).toEqual({ ...c.device, ledFeedback: true });
    expect(setLedFeedback(on, false).device.ledFeedback).toBe(false);
    const implicit: AppConfig = { ...c, led: {} };
    expect(ledFeedbackOn(implicit)).toBe(true);
    expect(setLedFeedback(implicit, true)).toBe(implicit);
    expect(setLedFeedback(implicit, false).device.ledFeedback).toBe(false);
  });

  it('a new [led_settings] does not turn LED feedback on by itself', () => {
    const c = config();
    const s = setLedScheme(c, 'pulse');
    expect(s.led).toEqual({ scheme: 'pulse' });
    expect(s.device.ledFeedback).toBe(false);
    expect(ledFeedbackOn(s)).toBe(false);
    const on = setLedScheme(setLedFeedback(c, true), 'pulse');
    expect(on.device.ledFeedback).toBe(true);
    expect(on.led).toEqual({ scheme: 'pulse' });
  });

  it('scheme: the value in effect changes nothing; null removes the key; an emptied table goes when led_feedback is explicit', () => {
    const on = setLedFeedback(config(), true);
    expect(setLedScheme(on, 'reactive')).toBe(on);
    const s = setLedScheme(on, 'static');
    expect(setLedScheme(s, 'static')).toBe(s);
    expect(setLedScheme(s, 'reactive').led).toEqual({ scheme: 'reactive' });
    expect(setLedScheme(s, null).led).toBeUndefined();
    // Without led_feedback, the (empty) table is what keeps LED feedback on: it stays.
    const implicit: AppConfig = { ...config(), led: { scheme: 'static' } };
    const cleared = setLedScheme(implicit, null);
    expect(cleared.led).toEqual({});
    expect(ledFeedbackOn(cleared)).toBe(true);
  });

  it('brightness and .midi: bounds, defaults not written, the sub-table dropped with its last key, unknown keys kept', () => {
    const base: AppConfig = { ...setLedFeedback(config(), true), led: { scheme: 'static', extra: { reactive: { soft_color: 'green' } } } };
    const b = setLedNumber(base, 'brightness', 128);
    expect(b.led).toEqual({ scheme: 'static', brightness: 128, extra: { reactive: { soft_color: 'green' } } });
    expect(setLedNumber(b, 'brightness', 300)).toBe(b);
    expect(setLedNumber(base, 'brightness', 255)).toBe(base);
    expect(setLedNumber(base, 'channel', 0)).toBe(base);
    expect(setLedNumber(base, 'channel', 16)).toBe(base);
    expect(setLedNumber(base, 'onVelocity', 128)).toBe(base);
    expect(setLedNumber(base, 'noteOffset', -128)).toBe(base);
    const m = setLedNumber(setLedNumber(base, 'channel', 9), 'noteOffset', -12);
    expect(m.led?.midi).toEqual({ channel: 9, noteOffset: -12 });
    expect(setLedNumber(m, 'offVelocity', 1).led?.midi).toEqual({ channel: 9, noteOffset: -12, offVelocity: 1 });
    const gone = setLedNumber(setLedNumber(m, 'channel', undefined), 'noteOffset', undefined);
    expect(gone.led).toEqual({ scheme: 'static', extra: { reactive: { soft_color: 'green' } } });
    const withExtra: AppConfig = { ...base, led: { midi: { channel: 2, extra: { port: 'x' } } } };
    expect(setLedNumber(withExtra, 'channel', undefined).led).toEqual({ midi: { extra: { port: 'x' } } });
    expect(base.led?.midi).toBeUndefined();
  });
});

describe('what a mode shows', () => {
  it('says where the scheme comes from: this mode, LED settings (or its default), or LED feedback off', () => {
    const c = config();
    expect(effectiveModeLed(c, 1)).toMatchObject({ scheme: 'off', source: 'off', why: 'LED feedback off' });
    const on = setLedFeedback(c, true);
    expect(effectiveModeLed(on, 1)).toMatchObject({ scheme: 'rainbow', source: 'mode', why: 'from this mode' });
    expect(effectiveModeLed(on, 0)).toMatchObject({ scheme: 'reactive', source: 'settings', why: 'from LED settings', idleBrightness: 96, activeBrightness: 255 });
    const st = setModeBrightness(setLedScheme(on, 'static'), 0, 'idleBrightness', 30);
    const s = effectiveModeLed(st, 0);
    expect(s).toMatchObject({ scheme: 'static', source: 'settings', idleBrightness: 30 });
    expect(s.text).toBe('The pads rest in white at 30/255 and light at 255/255 while pressed.');
    expect(effectiveModeLed(setModeLedScheme(on, 1, 'vumeter'), 1).text).toMatch(/^The pads are a meter from the lowest note up/);
  });
});

describe('[led_settings.reactive]', () => {
  it('velocity colours: the defaults until set, "#rrggbb" in and out, Default removes the key; the fade time with its bounds', () => {
    const on = setLedFeedback(config(), true);
    expect(reactiveColour(on, 'softColor')).toBe('#00ff00');
    expect(setReactiveColour(on, 'softColor', '#00FF00')).toBe(on); // the default where the file has none: nothing written
    expect(setReactiveColour(on, 'softColor', 'blue')).toBe(on);
    const blue = setReactiveColour(on, 'softColor', '#0000ff');
    expect(blue.led?.reactive).toEqual({ softColor: { r: 0, g: 0, b: 255 } });
    expect(reactiveColour(blue, 'softColor')).toBe('#0000ff');
    const faded = setReactiveFade(blue, 250);
    expect(faded.led?.reactive).toEqual({ softColor: { r: 0, g: 0, b: 255 }, fadeDurationMs: 250 });
    expect(setReactiveFade(faded, 60_001)).toBe(faded);
    expect(parseLedNumber('fadeDurationMs', '60000')).toEqual({ value: 60_000 });
    expect(parseLedNumber('fadeDurationMs', '60001')).toEqual({ problem: 'Must be 0–60000' });
    const back = setReactiveFade(setReactiveColour(faded, 'softColor', null), undefined);
    expect(back.led?.reactive).toBeUndefined();
  });

  it("a file's [led_settings.reactive] survives edits of the other LED settings and a round trip through main's writer", () => {
    const text = `[device]\nled_feedback = true\n\n[led_settings]\nbrightness = 100\n\n[led_settings.reactive]\nhard_color = { r = 255, g = 0, b = 255 }\nfade_steps = 10\n\n[[modes]]\nname = "A"\n`;
    const { config: read } = parseConfigText(text);
    if (!read) throw new Error('no config');
    // Clearing the brightness leaves a table with only .reactive: it must stay.
    const cleared = setLedNumber(read, 'brightness', undefined);
    expect(cleared.led).toEqual({ reactive: { hardColor: { r: 255, g: 0, b: 255 }, extra: { fade_steps: 10 } } });
    const edited = setReactiveColour(cleared, 'softColor', '#112233');
    const written = serializeConfig(edited);
    expect(written).toMatch(/\[led_settings\.reactive\]\nsoft_color = \{ r = 17, g = 34, b = 51 \}\nhard_color = \{ r = 255, g = 0, b = 255 \}\nfade_steps = 10\n/);
    expect(parseConfigText(written).config?.led).toEqual(edited.led);
  });
});

describe('typed LED numbers', () => {
  it('blank is the default; whole numbers in range pass; anything else says why', () => {
    expect(parseLedNumber('channel', '  ')).toEqual({ value: undefined });
    expect(parseLedNumber('channel', '15')).toEqual({ value: 15 });
    expect(parseLedNumber('noteOffset', '-12')).toEqual({ value: -12 });
    expect(parseLedNumber('channel', '16')).toEqual({ problem: 'Must be 0–15' });
    expect(parseLedNumber('brightness', '1.5')).toEqual({ problem: 'Enter a whole number 0–255' });
    expect(parseLedNumber('brightness', 'abc')).toEqual({ problem: 'Enter a whole number 0–255' });
    expect(parseLedNumber('onVelocity', '1e2')).toEqual({ problem: 'Enter a whole number 0–127' });
  });
});

describe("main's reader and writer agree", () => {
  it('edits written by main: the keys appear and go, unknown keys stay', () => {
    const text = `[device]\nname = "APC"\nled_feedback = false\nvendor_hint = "akai"\n\n[led_settings]\nfade_time_ms = 300\n\n[[modes]]\nname = "Default"\ncolor = "green"\nled_scheme = "pulse"\nspeed = 3\n`;
    const read = parseConfigText(text).config;
    if (!read) throw new Error('the sample config does not read');
    let c = setLedNumber(setLedScheme(setLedFeedback(read, true), 'static'), 'channel', 2);
    c = setModeBrightness(setModeLedScheme(c, 0, null), 0, 'idleBrightness', 40);
    const out = serializeConfig(c);
    expect(out).toMatch(/\[device\][^[]*led_feedback = true/);
    expect(out).toContain('vendor_hint = "akai"');
    expect(out).toMatch(/\[led_settings\][^[]*scheme = "static"/);
    expect(out).toContain('fade_time_ms = 300');
    expect(out).toMatch(/\[led_settings\.midi\]\s*channel = 2/);
    expect(out).not.toContain('led_scheme');
    expect(out).toContain('led_idle_brightness = 40');
    expect(out).toContain('speed = 3');
    expect(parseConfigText(out).config?.modes[0]?.led).toEqual({ idleBrightness: 40 });
  });
});
