// The controllers Conductor knows (declarative layouts of their controls and what each sends by default), choosing a
// layout for a device by name, and growing or arranging a learned layout. Pure data and functions — no Node, Electron or DOM.
import { controlForMessage, VIRTUAL_LAYOUT_ID, type ControlDef, type ControlKind, type ControllerLayout, type ControllerLayoutsState } from './controller-layout';
import { MAX_GRID, MAX_LAYOUT_CONTROLS, MAX_LAYOUT_NAME } from './controller-layout-schema';
import { noteName, type MidiMessage } from './midi';
import { stablePortName } from './port-match';

// ── building blocks ──────────────────────────────────────────────────────────────────────────────────────────────

type Place = Pick<ControlDef, 'x' | 'y' | 'w' | 'h'>;

const note = (id: string, label: string, kind: ControlKind, n: number, at: Place): ControlDef => ({ id, label, kind, message: { type: 'note', note: n }, ...at });
const cc = (id: string, label: string, kind: ControlKind, n: number, at: Place): ControlDef => ({ id, label, kind, message: { type: 'cc', cc: n }, ...at });

/** A row of CC controls: `ccs[i]` at column `x0 + i * step`, labelled `${prefix} ${first + i}`. */
function ccRow(idPrefix: string, prefix: string, kind: ControlKind, ccs: readonly number[], y: number, x0 = 0, first = 1, size: Omit<Place, 'x' | 'y'> = {}, step = 1): ControlDef[] {
  return ccs.map((n, i) => cc(`${idPrefix}-${first + i}`, `${prefix} ${first + i}`, kind, n, { x: x0 + i * step, y, ...size }));
}

function layout(l: Omit<ControllerLayout, 'source'>): ControllerLayout {
  return { ...l, source: 'builtin' };
}

// ── Native Instruments Maschine Mikro MK3 ─────────────────────────────────────────────────────────────────────────
// Pads: in MIDI mode (Shift + Project) the pads send notes 36–51, bottom-left first (36 bottom left, 51 top right).
// ASSUMPTION: the buttons, the encoder and the touch strip follow the widely used MIDI-mode template of DrivenByMoss
// (encoder CC 7 sending absolute values, its push CC 8, touch strip CC 1, buttons as CCs 34–92 that toggle 127/0).
// NI does not publish one fixed factory assignment for them; a device set up differently is best learned instead.
// Shift and the cursor buttons send nothing in MIDI mode, so they are not here.
const mikroPads: ControlDef[] = Array.from({ length: 16 }, (_, i) => {
  const row = Math.floor(i / 4); // 0 = bottom row
  return note(`pad-${i + 1}`, `Pad ${i + 1}`, 'pad', 36 + i, { x: 4 + (i % 4), y: 1 + (3 - row) });
});

const MASCHINE_MIKRO_MK3 = layout({
  id: 'maschine-mikro-mk3',
  name: 'Maschine Mikro MK3',
  match: ['Maschine Mikro MK3'],
  channel: 0,
  columns: 8,
  rows: 5,
  led: 'brightness',
  controls: [
    cc('encoder', 'Encoder', 'knob', 7, { x: 0, y: 0 }),
    cc('encoder-push', 'Encoder push', 'button', 8, { x: 1, y: 0 }),
    cc('volume', 'Volume', 'button', 44, { x: 2, y: 0 }),
    cc('tempo', 'Tempo', 'button', 48, { x: 3, y: 0 }),
    cc('pitch', 'Pitch', 'button', 49, { x: 0, y: 1 }),
    cc('mod', 'Mod', 'button', 50, { x: 1, y: 1 }),
    cc('perform', 'Perform', 'button', 51, { x: 2, y: 1 }),
    cc('notes', 'Notes', 'button', 52, { x: 3, y: 1 }),
    cc('touch-strip', 'Touch strip', 'touchstrip', 1, { x: 0, y: 2, w: 4 }),
    cc('restart', 'Restart', 'button', 53, { x: 0, y: 3 }),
    cc('erase', 'Erase', 'button', 54, { x: 1, y: 3 }),
    cc('tap', 'Tap', 'button', 55, { x: 2, y: 3 }),
    cc('follow', 'Follow', 'button', 56, { x: 3, y: 3 }),
    cc('play', 'Play', 'button', 57, { x: 0, y: 4 }),
    cc('rec', 'Rec', 'button', 58, { x: 1, y: 4 }),
    cc('stop', 'Stop', 'button', 59, { x: 2, y: 4 }),
    cc('pad-mode', 'Pad mode', 'button', 81, { x: 4, y: 0 }),
    cc('keyboard', 'Keyboard', 'button', 82, { x: 5, y: 0 }),
    cc('chords', 'Chords', 'button', 84, { x: 6, y: 0 }),
    cc('step', 'Step', 'button', 83, { x: 7, y: 0 }),
    ...mikroPads,
  ],
});

// ── Akai APC mini (first model) ──────────────────────────────────────────────────────────────────────────────────
// Akai's published protocol: 8×8 clip grid notes 0–63 with note 0 bottom left (top row 56–63), track buttons under the
// grid notes 64–71, scene launch buttons on the right notes 82–89 (82 at the top), shift note 98, nine faders CC 48–56
// (56 = master). All on channel 1. (The APC mini mk2 uses other notes for its buttons and is not matched.)
const apcGrid: ControlDef[] = Array.from({ length: 64 }, (_, n) => note(`pad-${n + 1}`, `Pad ${n + 1}`, 'pad', n, { x: n % 8, y: 7 - Math.floor(n / 8) }));

const APC_MINI = layout({
  id: 'apc-mini',
  name: 'Akai APC mini',
  match: ['APC MINI'],
  channel: 0,
  columns: 9,
  rows: 11,
  led: 'apc-mini',
  controls: [
    ...apcGrid,
    ...Array.from({ length: 8 }, (_, i) => note(`scene-${i + 1}`, `Scene ${i + 1}`, 'button', 82 + i, { x: 8, y: i })),
    ...Array.from({ length: 8 }, (_, i) => note(`track-${i + 1}`, `Track ${i + 1}`, 'button', 64 + i, { x: i, y: 8 })),
    note('shift', 'Shift', 'button', 98, { x: 8, y: 8 }),
    ...ccRow('fader', 'Fader', 'fader', [48, 49, 50, 51, 52, 53, 54, 55], 9, 0, 1, { h: 2 }),
    cc('fader-master', 'Master', 'fader', 56, { x: 8, y: 9, h: 2 }),
  ],
});

// ── Novation Launchpad Mini (MK1 / MK2) ──────────────────────────────────────────────────────────────────────────
// Its power-on "X-Y layout": grid note = row × 16 + column (row 0 at the top), the round buttons above the grid CC
// 104–111, the round scene buttons on the right notes 8, 24, …, 120. (The Launchpad Mini MK3 works differently.)
const LAUNCHPAD_MINI = layout({
  id: 'launchpad-mini',
  name: 'Novation Launchpad Mini',
  match: ['Launchpad Mini'],
  channel: 0,
  columns: 9,
  rows: 9,
  led: 'launchpad-mini',
  controls: [
    ...ccRow('top', 'Top', 'button', [104, 105, 106, 107, 108, 109, 110, 111], 0),
    ...Array.from({ length: 64 }, (_, i) => {
      const row = Math.floor(i / 8);
      const col = i % 8;
      return note(`pad-${i + 1}`, `Pad ${i + 1}`, 'pad', row * 16 + col, { x: col, y: row + 1 });
    }),
    ...Array.from({ length: 8 }, (_, row) => note(`scene-${row + 1}`, `Scene ${row + 1}`, 'button', row * 16 + 8, { x: 8, y: row + 1 })),
  ],
});

// ── Korg nanoKONTROL2 ────────────────────────────────────────────────────────────────────────────────────────────
// Factory CC mode (scene 1), channel 1: per strip i (0–7) fader CC i, knob CC 16 + i, S/M/R buttons CC 32 + i, 48 + i,
// 64 + i; transport: track ◀ 58, track ▶ 59, cycle 46, marker set 60, marker ◀ 61, marker ▶ 62, rewind 43,
// fast forward 44, stop 42, play 41, record 45. Its LEDs follow the buttons unless "LED mode: external" is set in
// Korg's editor (then what Conductor sends lights them).
const NANO_STRIP_X = 3;
const nanoStrips: ControlDef[] = Array.from({ length: 8 }, (_, i) => {
  const x = NANO_STRIP_X + i * 2;
  const n = i + 1;
  return [
    cc(`knob-${n}`, `Knob ${n}`, 'knob', 16 + i, { x, y: 0, w: 2 }),
    cc(`solo-${n}`, `S ${n}`, 'button', 32 + i, { x, y: 1 }),
    cc(`mute-${n}`, `M ${n}`, 'button', 48 + i, { x, y: 2 }),
    cc(`rec-${n}`, `R ${n}`, 'button', 64 + i, { x, y: 3 }),
    cc(`fader-${n}`, `Fader ${n}`, 'fader', i, { x: x + 1, y: 1, h: 3 }),
  ];
}).flat();

const NANOKONTROL2 = layout({
  id: 'nanokontrol2',
  name: 'Korg nanoKONTROL2',
  match: ['nanoKONTROL2'],
  channel: 0,
  columns: NANO_STRIP_X + 16,
  rows: 4,
  led: 'brightness',
  controls: [
    cc('track-prev', 'Track ◀', 'button', 58, { x: 0, y: 0 }),
    cc('track-next', 'Track ▶', 'button', 59, { x: 1, y: 0 }),
    cc('cycle', 'Cycle', 'button', 46, { x: 2, y: 0 }),
    cc('marker-set', 'Marker set', 'button', 60, { x: 0, y: 1 }),
    cc('marker-prev', 'Marker ◀', 'button', 61, { x: 1, y: 1 }),
    cc('marker-next', 'Marker ▶', 'button', 62, { x: 2, y: 1 }),
    cc('rewind', 'Rewind', 'button', 43, { x: 0, y: 2 }),
    cc('forward', 'Fast forward', 'button', 44, { x: 1, y: 2 }),
    cc('stop', 'Stop', 'button', 42, { x: 2, y: 2 }),
    cc('play', 'Play', 'button', 41, { x: 0, y: 3 }),
    cc('record', 'Record', 'button', 45, { x: 1, y: 3 }),
    ...nanoStrips,
  ],
});

// ── Arturia BeatStep ─────────────────────────────────────────────────────────────────────────────────────────────
// Its factory user preset, channel 1: pads top row notes 44–51, bottom row 36–43; the 16 encoders send absolute CCs
// (top 10, 74, 71, 76, 77, 93, 73, 75; bottom 114, 18, 19, 16, 17, 91, 79, 72); the big encoder CC 7. ASSUMPTION: the
// encoders are left in their factory "absolute" mode (MIDI Control Center can make them relative; then relearn them).
// The transport buttons send MMC SysEx, not notes or CCs, so they are not here.
const BEATSTEP = layout({
  id: 'arturia-beatstep',
  name: 'Arturia BeatStep',
  match: ['BeatStep'],
  channel: 0,
  columns: 10,
  rows: 4,
  led: 'brightness',
  controls: [
    cc('encoder-big', 'Big encoder', 'knob', 7, { x: 0, y: 0, w: 2, h: 2 }),
    ...ccRow('encoder', 'Encoder', 'knob', [10, 74, 71, 76, 77, 93, 73, 75], 0, 2, 1),
    ...ccRow('encoder', 'Encoder', 'knob', [114, 18, 19, 16, 17, 91, 79, 72], 1, 2, 9),
    // Numbered as printed on the device: pads 1–8 on the top row (notes 44–51), 9–16 below (notes 36–43).
    ...Array.from({ length: 8 }, (_, i) => note(`pad-${i + 1}`, `Pad ${i + 1}`, 'pad', 44 + i, { x: 2 + i, y: 2 })),
    ...Array.from({ length: 8 }, (_, i) => note(`pad-${i + 9}`, `Pad ${i + 9}`, 'pad', 36 + i, { x: 2 + i, y: 3 })),
  ],
});

// ── a generic 25-key keyboard ────────────────────────────────────────────────────────────────────────────────────
// Keys C2–C4 (notes 48–72, as most 25-key keyboards send at octave 0), pitch bend wheel or strip, mod wheel CC 1.
// Each white key is two cells wide on row 1; each black key two cells on row 0, centred over the gap it sits on.
const KEYS_X = 2;
const keyboardKeys: ControlDef[] = (() => {
  const keys: ControlDef[] = [];
  let white = 0;
  for (let n = 48; n <= 72; n++) {
    const isBlack = [1, 3, 6, 8, 10].includes(n % 12);
    const label = noteName(n);
    if (isBlack) keys.push(note(`key-${n}`, label, 'key', n, { x: KEYS_X + white * 2 - 1, y: 0, w: 2 }));
    else keys.push(note(`key-${n}`, label, 'key', n, { x: KEYS_X + white++ * 2, y: 1, w: 2 }));
  }
  return keys;
})();

const KEYBOARD_25 = layout({
  id: 'keyboard-25',
  name: 'Keyboard (25 keys)',
  match: [],
  channel: 0,
  columns: KEYS_X + 15 * 2,
  rows: 2,
  led: 'none',
  controls: [
    { id: 'pitch-bend', label: 'Pitch bend', kind: 'touchstrip', message: { type: 'pitchBend' }, x: 0, y: 0, h: 2 },
    cc('mod-wheel', 'Mod wheel', 'fader', 1, { x: 1, y: 0, h: 2 }),
    ...keyboardKeys,
  ],
});

/** Every controller Conductor knows, in the order their names are matched. */
export const BUILTIN_LAYOUTS: readonly ControllerLayout[] = [MASCHINE_MIKRO_MK3, APC_MINI, LAUNCHPAD_MINI, NANOKONTROL2, BEATSTEP, KEYBOARD_25];

/** Names that contain a layout's `match` but belong to a different model (its notes differ): never matched automatically. */
const OTHER_MODELS: Readonly<Record<string, readonly string[]>> = {
  'apc-mini': ['mk2'],
  'launchpad-mini': ['mk3'],
  'arturia-beatstep': ['beatstep pro'],
};

// ── choosing a layout ────────────────────────────────────────────────────────────────────────────────────────────

/** The id of the layout learned for a device: `custom:<device name>` (without the ALSA client:port numbers). */
export function customLayoutId(deviceName: string): string {
  return `custom:${stablePortName(deviceName)}`;
}

/** The key a device's hand-chosen layout is saved under (the name without the ALSA client:port numbers). */
export function layoutChoiceKey(deviceName: string): string {
  return stablePortName(deviceName);
}

/** The built-in layout whose `match` is part of the name (any case), or null. */
export function builtinLayoutFor(deviceName: string): ControllerLayout | null {
  const name = deviceName.toLowerCase();
  return (
    BUILTIN_LAYOUTS.find((l) => l.match.some((m) => m !== '' && name.includes(m.toLowerCase())) && !(OTHER_MODELS[l.id] ?? []).some((other) => name.includes(other))) ?? null
  );
}

/** A layout by id among the built-in, learned and (when given) virtual layouts; null when none has it. */
export function findLayout(id: string, state: ControllerLayoutsState, virtual?: ControllerLayout): ControllerLayout | null {
  if (id === VIRTUAL_LAYOUT_ID) return virtual ?? null;
  return BUILTIN_LAYOUTS.find((l) => l.id === id) ?? state.custom.find((l) => l.id === id) ?? null;
}

/**
 * The layout drawn for a device: the one chosen by hand (built-in, learned or 'virtual'), else the virtual layout for
 * the virtual controller itself, else the first built-in whose `match` is part of the name, else the layout learned
 * for the device, else null (an unknown device: the UI offers to learn one).
 */
export function layoutForDevice(deviceName: string, state: ControllerLayoutsState, virtual?: ControllerLayout): ControllerLayout | null {
  const chosen = state.choices[layoutChoiceKey(deviceName)] ?? state.choices[deviceName];
  const byChoice = chosen === undefined ? null : findLayout(chosen, state, virtual);
  if (byChoice) return byChoice;
  if (virtual && deviceName === virtual.name) return virtual;
  return builtinLayoutFor(deviceName) ?? state.custom.find((l) => l.id === customLayoutId(deviceName)) ?? null;
}

// ── learned layouts ──────────────────────────────────────────────────────────────────────────────────────────────

/** Controls per row as a learned layout fills up. */
export const LEARNED_COLUMNS = 8;

/** A learned layout for a device with nothing pressed yet. */
export function emptyCustomLayout(deviceName: string): ControllerLayout {
  return {
    id: customLayoutId(deviceName),
    name: stablePortName(deviceName).slice(0, MAX_LAYOUT_NAME),
    match: [],
    channel: 0,
    columns: LEARNED_COLUMNS,
    rows: 1,
    controls: [],
    led: 'brightness',
    source: 'custom',
  };
}

/** Whether any control covers cell (x, y). */
function occupant(controls: readonly ControlDef[], x: number, y: number, except?: string): ControlDef | undefined {
  return controls.find((c) => c.id !== except && x >= c.x && x < c.x + (c.w ?? 1) && y >= c.y && y < c.y + (c.h ?? 1));
}

/** The first free cell, row by row; a new row below when the grid is full. */
function nextFreeCell(l: ControllerLayout): { x: number; y: number; rows: number } {
  for (let y = 0; y < l.rows; y++) for (let x = 0; x < l.columns; x++) if (!occupant(l.controls, x, y)) return { x, y, rows: l.rows };
  return { x: 0, y: l.rows, rows: l.rows + 1 };
}

const LEARNED_KINDS: Record<'note' | 'cc' | 'pitchBend', { kind: ControlKind; label: string }> = {
  note: { kind: 'pad', label: 'Pad' },
  cc: { kind: 'knob', label: 'Knob' },
  pitchBend: { kind: 'touchstrip', label: 'Touch strip' },
};

/**
 * A learned layout with a control for `message` when none has it yet: a pad for a note-on, a knob for a CC, a touch
 * strip for pitch bend, at the next free cell (rows of 8, a new row when full), labelled "Pad 1", "Knob 1"… in order
 * of arrival. Returns `layout` itself when nothing is new, the message is of another kind, the layout is not a learned
 * one or it is full.
 */
export function growLayout(layout: ControllerLayout, message: MidiMessage): ControllerLayout {
  if (layout.source !== 'custom' || layout.controls.length >= MAX_LAYOUT_CONTROLS) return layout;
  let sent: ControlDef['message'];
  let id: string;
  if (message.type === 'noteOn') [sent, id] = [{ type: 'note', note: message.note }, `note-${message.note}`];
  else if (message.type === 'controlChange') [sent, id] = [{ type: 'cc', cc: message.controller }, `cc-${message.controller}`];
  else if (message.type === 'pitchBend') [sent, id] = [{ type: 'pitchBend' }, 'pitch-bend'];
  else return layout;
  if (controlForMessage(layout, message) !== null || layout.controls.some((c) => c.id === id)) return layout;
  const { kind, label } = LEARNED_KINDS[sent.type];
  const taken = new Set(layout.controls.map((c) => c.label));
  let number = layout.controls.filter((c) => c.kind === kind).length + 1;
  while (taken.has(`${label} ${number}`)) number++;
  const first = layout.controls.length === 0;
  const channel = first ? message.channel : layout.channel;
  const cell = nextFreeCell(layout);
  if (cell.rows > MAX_GRID) return layout;
  const control: ControlDef = { id, label: `${label} ${number}`, kind, message: sent, x: cell.x, y: cell.y, ...(message.channel === channel ? {} : { channel: message.channel }) };
  return { ...layout, channel, rows: cell.rows, controls: [...layout.controls, control] };
}

/**
 * `layout` with control `controlId` moved to column `x`, row `y` (clamped to the grid, which grows by at most one
 * column or row). A control already there swaps places with it when it fits in the cells left free; otherwise nothing
 * moves. Returns `layout` itself when nothing changes.
 */
export function moveControl(layout: ControllerLayout, controlId: string, x: number, y: number): ControllerLayout {
  const moving = layout.controls.find((c) => c.id === controlId);
  if (!moving) return layout;
  const w = moving.w ?? 1;
  const h = moving.h ?? 1;
  const toX = Math.max(0, Math.min(Math.round(x), layout.columns + 1 - w, MAX_GRID - w));
  const toY = Math.max(0, Math.min(Math.round(y), layout.rows + 1 - h, MAX_GRID - h));
  if (toX === moving.x && toY === moving.y) return layout;
  const others = layout.controls.filter((c) => c.id !== controlId);
  const inTarget = others.filter((c) => c.x < toX + w && toX < c.x + (c.w ?? 1) && c.y < toY + h && toY < c.y + (c.h ?? 1));
  const moved: ControlDef = { ...moving, x: toX, y: toY };
  let swapped: ControlDef | null = null;
  if (inTarget.length > 1) return layout;
  const other = inTarget[0];
  if (other) {
    // The other control takes the moved one's old place; it must fit there and not cover anything else.
    swapped = { ...other, x: moving.x, y: moving.y };
    const sw = swapped.w ?? 1;
    const sh = swapped.h ?? 1;
    for (let cy = swapped.y; cy < swapped.y + sh; cy++) {
      for (let cx = swapped.x; cx < swapped.x + sw; cx++) {
        const covered = cx >= toX && cx < toX + w && cy >= toY && cy < toY + h;
        if (covered || occupant(others, cx, cy, other.id)) return layout;
      }
    }
  }
  const controls = layout.controls.map((c) => (c.id === controlId ? moved : swapped && c.id === swapped.id ? swapped : c));
  const right = Math.max(...controls.map((c) => c.x + (c.w ?? 1)));
  const bottom = Math.max(...controls.map((c) => c.y + (c.h ?? 1)));
  return { ...layout, columns: Math.max(layout.columns, right), rows: Math.max(layout.rows, bottom), controls };
}

/** `layout` with control `id` called `label` (trimmed, at most 200 characters); unchanged for an empty label or unknown id. */
export function renameControl(layout: ControllerLayout, id: string, label: string): ControllerLayout {
  const name = label.trim().slice(0, MAX_LAYOUT_NAME);
  const target = layout.controls.find((c) => c.id === id);
  if (!target || name === '' || name === target.label) return layout;
  return { ...layout, controls: layout.controls.map((c) => (c.id === id ? { ...c, label: name } : c)) };
}
