// The first run, as pure functions: the three steps of the guide (press a pad → watch it in the console → map it) ticked
// from what the store already holds, and the one MIDI notice's wording. Never calls main and never touches the DOM.
import type { AppConfig, Mapping } from '../../src-shared/config';
import { controlsForTrigger, type ControlDef, type ControllerLayout } from '../../src-shared/controller-layout';
import type { EngineEvent } from '../../src-shared/engine';
import type { MidiBackendStatus } from '../../src-shared/midi';
import { GUIDE_MAX_PRESSES, type FirstRunGuideState, type UiState } from '../../src-shared/ui-state';
import type { View } from './types';

export type GuideStepId = 'press' | 'console' | 'map';

export interface GuideStep {
  id: GuideStepId;
  done: boolean;
}

/** The three steps in order, each ticked or not. */
export function guideSteps(guide: FirstRunGuideState): GuideStep[] {
  return [
    { id: 'press', done: guide.presses.length > 0 },
    { id: 'console', done: guide.consoleSeen },
    { id: 'map', done: guide.mapped },
  ];
}

/** The guide is on screen only while it is active (done, skipped and never offered all hide it). */
export function guideVisible(ui: UiState | null): boolean {
  return ui?.guide.status === 'active';
}

/** "note:36" for a pad/key pressed (note-on with velocity), "cc:7" for a knob or fader moved; null for anything else. */
export function pressedControlKey(event: EngineEvent): string | null {
  if (event.kind !== 'midi') return null;
  const m = event.event.message;
  if (m.type === 'noteOn' && m.velocity > 0) return `note:${m.note}`;
  if (m.type === 'controlChange') return `cc:${m.controller}`;
  return null;
}

/** A one-control layout for a control key, so a mapping's trigger is tied to it by the layouts' own rule (controlsForTrigger). */
function keyLayout(key: string): ControllerLayout | null {
  const m = /^(note|cc):(\d+)$/.exec(key);
  if (!m) return null;
  const n = Number(m[2]);
  const control: ControlDef = { id: key, label: key, kind: m[1] === 'note' ? 'pad' : 'knob', message: m[1] === 'note' ? { type: 'note', note: n } : { type: 'cc', cc: n }, x: 0, y: 0 };
  return { id: 'first-run', name: key, match: [], channel: 0, columns: 1, rows: 1, controls: [control], led: 'none', source: 'custom' };
}

/** The config's mappings (every mode and the global ones) whose trigger belongs to the control `key`, with where they are. */
export function mappingsOnControl(config: AppConfig, key: string): { where: string; mapping: Mapping }[] {
  const layout = keyLayout(key);
  if (!layout) return [];
  const on = (m: Mapping) => controlsForTrigger(layout, m.trigger).length > 0;
  return [
    ...config.modes.flatMap((mode) => mode.mappings.filter(on).map((mapping) => ({ where: `mode ${mode.name}`, mapping }))),
    ...config.globalMappings.filter(on).map((mapping) => ({ where: 'global', mapping })),
  ];
}

/** A short fingerprint (FNV-1a, hex) of the mappings on a control: "" when there are none. */
export function mappingsFingerprint(config: AppConfig, key: string): string {
  const list = mappingsOnControl(config, key);
  if (list.length === 0) return '';
  const text = JSON.stringify(list, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `${list.length}:${hash.toString(16)}`;
}

export interface GuideInput {
  /** The engine events the store holds (console events and held ones), in seq order. */
  events: readonly EngineEvent[];
  /** Events up to this seq were seen already. */
  afterSeq: number;
  view: View;
  /** The running config (what main runs), null before it loaded. */
  config: AppConfig | null;
}

/**
 * Ticks the steps from what happened: (1) a control pressed — each new one remembered with the fingerprint of the
 * mappings it had then; (2) the Console open after a press; (3) the running config's mappings on a pressed control
 * changed to something non-empty (a mapping saved on it). All three → `done`. Returns `guide` itself when nothing changed;
 * an inactive guide never changes.
 */
export function advanceGuide(guide: FirstRunGuideState, input: GuideInput): FirstRunGuideState {
  if (guide.status !== 'active') return guide;
  let presses = guide.presses;
  for (const event of input.events) {
    if (event.seq <= input.afterSeq) continue;
    const key = pressedControlKey(event);
    if (key === null || presses.some((p) => p.key === key) || !input.config) continue;
    presses = [...presses, { key, mappings: mappingsFingerprint(input.config, key) }].slice(-GUIDE_MAX_PRESSES);
  }
  const consoleSeen = guide.consoleSeen || (presses.length > 0 && input.view === 'console');
  const config = input.config;
  const mapped = guide.mapped || (config !== null && presses.some((p) => { const now = mappingsFingerprint(config, p.key); return now !== '' && now !== p.mappings; }));
  if (presses === guide.presses && consoleSeen === guide.consoleSeen && mapped === guide.mapped) return guide;
  const done = presses.length > 0 && consoleSeen && mapped;
  return { status: done ? 'done' : 'active', presses, consoleSeen, mapped };
}

/** The control a step talks about: "note 36" / "CC 7" for the newest press, else null. */
export function lastPressedText(guide: FirstRunGuideState): string | null {
  const last = guide.presses[guide.presses.length - 1];
  if (!last) return null;
  const [kind, n] = last.key.split(':');
  return kind === 'note' ? `note ${n}` : `CC ${n}`;
}

// ── the MIDI notice ─────────────────────────────────────────────────────────────────────────────────────────────

const PREFIX = /^MIDI unavailable:\s*/i;

/** The backend's reason without its "MIDI unavailable: " prefix (the full technical text, for Details). */
export function midiReasonDetail(status: MidiBackendStatus): string {
  return (status.reason ?? '').replace(PREFIX, '').trim() || 'no MIDI system was found';
}

/**
 * A few plain words of the reason for the notice's first line: the part in parentheses up to its first colon ("no ALSA
 * sequencer" of "Failed to initialise RtMidi (no ALSA sequencer: /dev/snd/seq …)"), else the first clause, at most 60 characters.
 */
export function shortMidiReason(status: MidiBackendStatus): string {
  const detail = midiReasonDetail(status);
  const inParens = /\(([^():;]+)[:;)]/.exec(detail)?.[1]?.trim();
  const first = inParens || detail.split(/[:;(]/)[0]?.trim() || detail;
  return first.length > 60 ? `${first.slice(0, 59).trimEnd()}…` : first;
}

/** What closing the notice remembers: the reason it was closed for (another reason shows it again). */
export function midiNoticeKey(status: MidiBackendStatus): string {
  return status.reason ?? 'MIDI unavailable';
}

/** The notice shows while MIDI hardware is unavailable, unless the user closed it for this same reason. */
export function midiNoticeVisible(status: MidiBackendStatus | null, ui: UiState | null, uiLoaded: boolean): boolean {
  if (!status || status.available || !uiLoaded) return false;
  return ui?.midiNoticeDismissed !== midiNoticeKey(status);
}
