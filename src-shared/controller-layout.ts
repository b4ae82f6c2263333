// Controller layouts: what a MIDI controller looks like (its controls on a grid, what each sends) so the UI can draw
// it and tie mappings to controls. Pure types and functions only — never imports Node, Electron or DOM APIs.
import type { Trigger } from './config';
import type { MidiMessage, RelativeEncoding, VirtualLayout } from './midi';

export type ControlKind = 'pad' | 'key' | 'button' | 'knob' | 'encoder' | 'fader' | 'touchstrip';

/** What a control sends: a note (pads, keys, note buttons), a CC (knobs, encoders, faders, CC buttons) or pitch bend. */
export type ControlMessage =
  | { type: 'note'; note: number }
  /** `relative`: the encoding of an endless encoder; absent = absolute (0–127). */
  | { type: 'cc'; cc: number; relative?: RelativeEncoding }
  | { type: 'pitchBend' };

/** How a device shows the velocity of a note-on sent to it (LED feedback): see src-shared/led-colours.ts. */
export type LedScheme = 'brightness' | 'apc-mini' | 'launchpad-mini' | 'palette' | 'none';

export interface ControlDef {
  /** Stable within its layout: "pad-5", "knob-1", "cc-74"… (selection and saved arrangements refer to it). */
  id: string;
  /** The name shown everywhere for this control, e.g. "Pad 5" (the note is shown beside it in small print). */
  label: string;
  kind: ControlKind;
  message: ControlMessage;
  /** The channel (0–15) it sends on; absent = the layout's channel. */
  channel?: number;
  /** Grid position: column and row (0, 0 = top left) and size in cells (default 1 × 1). */
  x: number;
  y: number;
  w?: number;
  h?: number;
}

export interface ControllerLayout {
  /** "virtual", "maschine-mikro-mk3", … or "custom:<device name>" for a layout built by pressing controls. */
  id: string;
  /** "Maschine Mikro MK3" */
  name: string;
  /** Case-insensitive substrings of MIDI port names this layout is chosen for automatically. */
  match: readonly string[];
  /** The channel (0–15) its controls send on unless a control says otherwise. */
  channel: number;
  /** Grid size in cells. */
  columns: number;
  rows: number;
  controls: readonly ControlDef[];
  /** How note-ons sent to the device light its pads. */
  led: LedScheme;
  source: 'builtin' | 'custom' | 'virtual';
}

/** What the renderer keeps between runs (main stores it in the config dir): learned layouts and choices by device. */
export interface ControllerLayoutsState {
  /** Layouts built by pressing the controls of a device no built-in layout fits (source 'custom'). */
  custom: ControllerLayout[];
  /** Device (input port) name → layout id chosen by hand; absent = chosen automatically. */
  choices: Record<string, string>;
}

export const VIRTUAL_LAYOUT_ID = 'virtual';

/** The virtual controller (as main reports its pads and knobs) as a drawable layout: pads in a grid, knobs above. */
export function layoutFromVirtual(v: VirtualLayout, name = 'Virtual Controller'): ControllerLayout {
  const cols = Math.max(1, v.padColumns);
  const padRows = Math.ceil(v.pads.length / cols);
  const knobRows = v.knobs.length > 0 ? 1 : 0;
  const controls: ControlDef[] = [];
  v.knobs.forEach((k, i) => controls.push({ id: `knob-${k.cc}`, label: k.label, kind: 'knob', message: { type: 'cc', cc: k.cc }, x: i % Math.max(cols, v.knobs.length), y: 0 }));
  // VirtualLayout lists pads bottom row first; the grid's row 0 is the top.
  v.pads.forEach((p, i) => {
    const row = Math.floor(i / cols);
    controls.push({ id: `pad-${p.note}`, label: p.label, kind: 'pad', message: { type: 'note', note: p.note }, x: i % cols, y: knobRows + (padRows - 1 - row) });
  });
  return {
    id: VIRTUAL_LAYOUT_ID,
    name,
    match: [],
    channel: v.channel,
    columns: Math.max(cols, v.knobs.length),
    rows: knobRows + padRows,
    controls,
    led: 'palette',
    source: 'virtual',
  };
}

function controlChannel(layout: ControllerLayout, c: ControlDef): number {
  return c.channel ?? layout.channel;
}

/**
 * The control that sent `message`, or null. Channels count only when the layout has two controls on the same note/CC
 * (then the message's channel picks one); otherwise a pad is found whatever channel the device was set to.
 */
export function controlForMessage(layout: ControllerLayout, message: MidiMessage): ControlDef | null {
  let candidates: ControlDef[];
  switch (message.type) {
    case 'noteOn':
    case 'noteOff':
    case 'polyAftertouch':
      candidates = layout.controls.filter((c) => c.message.type === 'note' && c.message.note === message.note);
      break;
    case 'controlChange':
      candidates = layout.controls.filter((c) => c.message.type === 'cc' && c.message.cc === message.controller);
      break;
    case 'pitchBend':
      candidates = layout.controls.filter((c) => c.message.type === 'pitchBend');
      break;
    default:
      return null;
  }
  if (candidates.length <= 1) return candidates[0] ?? null;
  return candidates.find((c) => controlChannel(layout, c) === message.channel) ?? candidates[0] ?? null;
}

/** The notes, CCs or pitch bend a trigger listens to, to find its controls. */
function triggerKeys(t: Trigger): { notes: number[]; ccs: number[]; pitchBend: boolean } {
  switch (t.type) {
    case 'Note':
    case 'VelocityRange':
    case 'LongPress':
    case 'DoubleTap':
      return { notes: [t.note], ccs: [], pitchBend: false };
    case 'NoteChord':
      return { notes: [...t.notes], ccs: [], pitchBend: false };
    case 'Aftertouch':
      return { notes: t.note === undefined ? [] : [t.note], ccs: [], pitchBend: false };
    case 'CC':
    case 'EncoderTurn':
      return { notes: [], ccs: [t.cc], pitchBend: false };
    case 'PitchBend':
      return { notes: [], ccs: [], pitchBend: true };
    case 'GamepadButton':
    case 'GamepadButtonChord':
    case 'GamepadAnalogStick':
    case 'GamepadTrigger':
      // Game controllers have no controls on a MIDI layout.
      return { notes: [], ccs: [], pitchBend: false };
  }
}

/** The controls a trigger belongs to (a chord belongs to each of its notes; channel-restricted triggers to that channel's control when there is a choice). */
export function controlsForTrigger(layout: ControllerLayout, t: Trigger): ControlDef[] {
  const { notes, ccs, pitchBend } = triggerKeys(t);
  const pick = (matching: ControlDef[]): ControlDef[] => {
    if (matching.length <= 1 || t.channel === undefined) return matching;
    const onChannel = matching.filter((c) => controlChannel(layout, c) === t.channel);
    return onChannel.length > 0 ? onChannel : matching;
  };
  const out: ControlDef[] = [];
  for (const note of notes) out.push(...pick(layout.controls.filter((c) => c.message.type === 'note' && c.message.note === note)));
  for (const cc of ccs) out.push(...pick(layout.controls.filter((c) => c.message.type === 'cc' && c.message.cc === cc)));
  if (pitchBend) out.push(...layout.controls.filter((c) => c.message.type === 'pitchBend'));
  return out;
}

/** True when another control of the layout sends the same note or CC (on another channel): triggers must name the channel. */
function sharesMessage(layout: ControllerLayout, c: ControlDef): boolean {
  const m = c.message;
  return layout.controls.some(
    (o) => o !== c && o.message.type === m.type && (m.type === 'pitchBend' || (m.type === 'note' ? o.message.type === 'note' && o.message.note === m.note : o.message.type === 'cc' && o.message.cc === m.cc)),
  );
}

/** The plain trigger a new mapping on this control starts with (its channel included when another control shares its note/CC). */
export function triggerForControl(layout: ControllerLayout, c: ControlDef): Trigger {
  const channel = sharesMessage(layout, c) ? { channel: controlChannel(layout, c) } : {};
  switch (c.message.type) {
    case 'note':
      return { type: 'Note', note: c.message.note, ...channel };
    case 'cc':
      return c.message.relative !== undefined ? { type: 'EncoderTurn', cc: c.message.cc, direction: 'Clockwise', encoding: 'relative', ...channel } : { type: 'CC', cc: c.message.cc, ...channel };
    case 'pitchBend':
      return { type: 'PitchBend', minValue: 8192 + 512, maxValue: 16383, ...channel };
  }
}

/** "note 36", "CC 7", "pitch bend": the small print under a control's name. */
export function controlMessageText(c: ControlDef): string {
  switch (c.message.type) {
    case 'note':
      return `note ${c.message.note}`;
    case 'cc':
      return `CC ${c.message.cc}${c.message.relative !== undefined ? ' (relative)' : ''}`;
    case 'pitchBend':
      return 'pitch bend';
  }
}
