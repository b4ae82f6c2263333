import { describe, expect, it } from 'vitest';
import type { AppConfig, Mapping } from '../../src-shared/config';
import type { EngineEvent } from '../../src-shared/engine';
import type { MidiMessage } from '../../src-shared/midi';
import { GUIDE_MAX_PRESSES, initialUiState, type FirstRunGuideState } from '../../src-shared/ui-state';
import { sampleConfig } from '../test-support/fake-api';
import {
  advanceGuide,
  guideSteps,
  guideVisible,
  lastPressedText,
  mappingsFingerprint,
  mappingsOnControl,
  midiNoticeVisible,
  pressedControlKey,
  shortMidiReason,
  midiReasonDetail,
} from './first-run';

const active = (): FirstRunGuideState => initialUiState(true).guide;

function midi(seq: number, message: MidiMessage): EngineEvent {
  return { kind: 'midi', seq, at: 1000 + seq, event: { deviceId: 'virtual:Virtual Controller', message, timestamp: 1000 + seq } };
}
const noteOn = (seq: number, note: number, velocity = 100) => midi(seq, { type: 'noteOn', channel: 0, note, velocity });

function withMapping(config: AppConfig, mapping: Mapping, mode = 0): AppConfig {
  return { ...config, modes: config.modes.map((m, i) => (i === mode ? { ...m, mappings: [...m.mappings, mapping] } : m)) };
}

const ALSA = { available: false, reason: 'MIDI unavailable: Failed to initialise RtMidi (no ALSA sequencer: /dev/snd/seq does not exist; load the snd-seq kernel module)' };

describe('pressedControlKey', () => {
  it('names note-ons with velocity and CCs; ignores note-offs, velocity 0 and other events', () => {
    expect(pressedControlKey(noteOn(1, 40))).toBe('note:40');
    expect(pressedControlKey(noteOn(1, 40, 0))).toBeNull();
    expect(pressedControlKey(midi(1, { type: 'noteOff', channel: 0, note: 40, velocity: 0 }))).toBeNull();
    expect(pressedControlKey(midi(1, { type: 'controlChange', channel: 2, controller: 7, value: 64 }))).toBe('cc:7');
    expect(pressedControlKey(midi(1, { type: 'pitchBend', channel: 0, value: 9000 }))).toBeNull();
    expect(pressedControlKey({ kind: 'mode-change', seq: 1, at: 1, from: 'A', to: 'B', toIndex: 1, reason: 'api' })).toBeNull();
  });
});

describe('mappings on a control', () => {
  it('finds every mode’s and the global mappings whose trigger belongs to the control (chords and double taps too)', () => {
    const config = sampleConfig(); // Default: note 36, note 37; global: DoubleTap 48
    expect(mappingsOnControl(config, 'note:36').map((m) => m.where)).toEqual(['mode Default']);
    expect(mappingsOnControl(config, 'note:48').map((m) => m.where)).toEqual(['global']);
    const chord = withMapping(config, { description: '', trigger: { type: 'NoteChord', notes: [40, 41] }, action: { type: 'Text', text: 'x' } }, 1);
    expect(mappingsOnControl(chord, 'note:41').map((m) => m.where)).toEqual(['mode Edit']);
    expect(mappingsOnControl(config, 'cc:1')).toEqual([]);
    expect(mappingsOnControl(config, 'bogus')).toEqual([]);
  });

  it('fingerprints them: empty for none, stable for the same mappings, different after an edit', () => {
    const config = sampleConfig();
    expect(mappingsFingerprint(config, 'note:40')).toBe('');
    expect(mappingsFingerprint(config, 'note:36')).toBe(mappingsFingerprint(sampleConfig(), 'note:36'));
    const edited = { ...config, modes: config.modes.map((m, i) => (i === 0 ? { ...m, mappings: m.mappings.map((x, j) => (j === 0 ? { ...x, description: 'changed' } : x)) } : m)) };
    expect(mappingsFingerprint(edited, 'note:36')).not.toBe(mappingsFingerprint(config, 'note:36'));
    // An unrelated mapping elsewhere does not change it.
    const other = withMapping(config, { description: '', trigger: { type: 'Note', note: 50 }, action: { type: 'Text', text: 'x' } });
    expect(mappingsFingerprint(other, 'note:36')).toBe(mappingsFingerprint(config, 'note:36'));
  });
});

describe('advanceGuide', () => {
  const config = sampleConfig();
  const input = (events: EngineEvent[], extra: Partial<Parameters<typeof advanceGuide>[1]> = {}) => ({ events, afterSeq: 0, view: 'mappings' as const, config, ...extra });

  it('returns the same object when nothing happened, and never changes an inactive guide', () => {
    const guide = active();
    expect(advanceGuide(guide, input([]))).toBe(guide);
    const skipped: FirstRunGuideState = { ...guide, status: 'skipped' };
    expect(advanceGuide(skipped, input([noteOn(1, 40)], { view: 'console' }))).toBe(skipped);
  });

  it('step 1: a press is remembered once per control, with the mappings it had; events already seen are skipped', () => {
    const g1 = advanceGuide(active(), input([noteOn(1, 40), noteOn(2, 40), noteOn(3, 36)]));
    expect(g1.presses).toEqual([
      { key: 'note:40', mappings: '' },
      { key: 'note:36', mappings: mappingsFingerprint(config, 'note:36') },
    ]);
    expect(guideSteps(g1).map((s) => s.done)).toEqual([true, false, false]);
    expect(advanceGuide(active(), input([noteOn(1, 40)], { afterSeq: 1 })).presses).toEqual([]);
    expect(lastPressedText(g1)).toBe('note 36');
  });

  it('keeps at most GUIDE_MAX_PRESSES controls, the newest', () => {
    const events = Array.from({ length: GUIDE_MAX_PRESSES + 3 }, (_, i) => noteOn(i + 1, 60 + i));
    const g = advanceGuide(active(), input(events));
    expect(g.presses).toHaveLength(GUIDE_MAX_PRESSES);
    expect(g.presses[g.presses.length - 1]?.key).toBe(`note:${60 + GUIDE_MAX_PRESSES + 2}`);
  });

  it('step 2: the Console counts only after a press', () => {
    expect(advanceGuide(active(), input([], { view: 'console' })).consoleSeen).toBe(false);
    const pressed = advanceGuide(active(), input([noteOn(1, 40)]));
    expect(advanceGuide(pressed, input([], { afterSeq: 1, view: 'console' })).consoleSeen).toBe(true);
    // Pressed while watching the console: both at once.
    expect(advanceGuide(active(), input([noteOn(1, 40)], { view: 'console' })).consoleSeen).toBe(true);
  });

  it('step 3: a mapping saved on a pressed control ticks it; an existing mapping or an unrelated save does not', () => {
    const pressed = advanceGuide(active(), input([noteOn(1, 40), noteOn(2, 36)]));
    // Pad 36 already had a mapping: still the same → not mapped; a mapping on another pad → not mapped.
    const unrelated = withMapping(config, { description: '', trigger: { type: 'Note', note: 50 }, action: { type: 'Text', text: 'x' } });
    expect(advanceGuide(pressed, input([], { afterSeq: 2, config: unrelated })).mapped).toBe(false);
    expect(advanceGuide(pressed, input([], { afterSeq: 2 })).mapped).toBe(false);
    const on40 = withMapping(config, { description: 'mine', trigger: { type: 'Note', note: 40 }, action: { type: 'Keystroke', keys: 'space' } });
    expect(advanceGuide(pressed, input([], { afterSeq: 2, config: on40 })).mapped).toBe(true);
    // Changing pad 36's existing mapping counts too.
    const edited = { ...config, modes: config.modes.map((m, i) => (i === 0 ? { ...m, mappings: m.mappings.map((x, j) => (j === 0 ? { ...x, description: 'mine now' } : x)) } : m)) };
    expect(advanceGuide(pressed, input([], { afterSeq: 2, config: edited })).mapped).toBe(true);
  });

  it('all three → done (the guide hides)', () => {
    const on40 = withMapping(config, { description: '', trigger: { type: 'Note', note: 40 }, action: { type: 'Text', text: 'x' } });
    let g = advanceGuide(active(), input([noteOn(1, 40)]));
    g = advanceGuide(g, input([], { afterSeq: 1, config: on40 }));
    expect(g.status).toBe('active');
    expect(guideVisible({ guide: g, midiNoticeDismissed: null })).toBe(true);
    g = advanceGuide(g, input([], { afterSeq: 1, config: on40, view: 'console' }));
    expect(g.status).toBe('done');
    expect(guideSteps(g).every((s) => s.done)).toBe(true);
    expect(guideVisible({ guide: g, midiNoticeDismissed: null })).toBe(false);
    expect(guideVisible(null)).toBe(false);
  });
});

describe('the MIDI notice', () => {
  it('words the reason shortly, with the technical text for Details', () => {
    expect(shortMidiReason(ALSA)).toBe('no ALSA sequencer');
    expect(midiReasonDetail(ALSA)).toBe('Failed to initialise RtMidi (no ALSA sequencer: /dev/snd/seq does not exist; load the snd-seq kernel module)');
    expect(shortMidiReason({ available: false, reason: 'MIDI unavailable: cannot open /dev/snd/seq' })).toBe('cannot open /dev/snd/seq');
    expect(shortMidiReason({ available: false, reason: 'MIDI unavailable: the @julusian/midi module could not be loaded: Error: x' })).toBe('the @julusian/midi module could not be loaded');
    expect(shortMidiReason({ available: false, reason: null })).toBe('no MIDI system was found');
    expect(shortMidiReason({ available: false, reason: `MIDI unavailable: ${'a'.repeat(100)}` }).length).toBeLessThanOrEqual(60);
  });

  it('shows while MIDI is unavailable, after the UI state loaded, unless closed for this same reason', () => {
    const ui = initialUiState(true);
    expect(midiNoticeVisible(null, ui, true)).toBe(false);
    expect(midiNoticeVisible({ available: true, reason: null }, ui, true)).toBe(false);
    expect(midiNoticeVisible(ALSA, null, false)).toBe(false);
    expect(midiNoticeVisible(ALSA, null, true)).toBe(true); // the state could not be read: shown
    expect(midiNoticeVisible(ALSA, ui, true)).toBe(true);
    expect(midiNoticeVisible(ALSA, { ...ui, midiNoticeDismissed: ALSA.reason }, true)).toBe(false);
    expect(midiNoticeVisible(ALSA, { ...ui, midiNoticeDismissed: 'MIDI unavailable: something else' }, true)).toBe(true);
  });
});
