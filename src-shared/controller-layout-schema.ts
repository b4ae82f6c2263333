// The shape and bounds of saved controller layouts (controller-layouts.json, the `layouts.save` call): a zod schema for
// the structure and a checker for the limits with messages a user can read. Pure — never imports Node, Electron or DOM.
import { z } from 'zod';
import type { ControllerLayout, ControllerLayoutsState } from './controller-layout';

/** At most this many learned layouts are kept. */
export const MAX_CUSTOM_LAYOUTS = 64;
/** At most this many controls in one layout. */
export const MAX_LAYOUT_CONTROLS = 512;
/** Layout names, control labels, ids and device names: at most this many characters. */
export const MAX_LAYOUT_NAME = 200;
/** At most this many devices with a hand-chosen layout. */
export const MAX_LAYOUT_CHOICES = 256;
/** A layout's grid: at most this many columns and rows. */
export const MAX_GRID = 128;

// The schema's own ceilings are looser than the limits above (they only bound what a request may carry), so that a
// state over a limit reaches layoutsStateProblem and is refused with a plain sentence instead of a schema error.
const text = z.string().max(4 * MAX_LAYOUT_NAME);
const byte = z.number().int().min(0).max(127);
const cell = z.number().int().min(0).max(4 * MAX_GRID);
const span = z.number().int().min(1).max(4 * MAX_GRID);

const controlMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('note'), note: byte }).strict(),
  z.object({ type: z.literal('cc'), cc: byte, relative: z.enum(['twosComplement', 'binaryOffset', 'signMagnitude']).optional() }).strict(),
  z.object({ type: z.literal('pitchBend') }).strict(),
]);

export const controlDefSchema = z
  .object({
    id: text.min(1),
    label: text,
    kind: z.enum(['pad', 'key', 'button', 'knob', 'encoder', 'fader', 'touchstrip']),
    message: controlMessage,
    channel: z.number().int().min(0).max(15).optional(),
    x: cell,
    y: cell,
    w: span.optional(),
    h: span.optional(),
  })
  .strict();

export const controllerLayoutSchema = z
  .object({
    id: text.min(1),
    name: text,
    match: z.array(text).max(16).readonly(),
    channel: z.number().int().min(0).max(15),
    columns: span,
    rows: span,
    controls: z.array(controlDefSchema).max(4 * MAX_LAYOUT_CONTROLS).readonly(),
    led: z.enum(['brightness', 'apc-mini', 'launchpad-mini', 'palette', 'none']),
    source: z.enum(['builtin', 'custom', 'virtual']),
  })
  .strict();

export const controllerLayoutsStateSchema = z
  .object({
    custom: z.array(controllerLayoutSchema).max(4 * MAX_CUSTOM_LAYOUTS),
    choices: z.record(text, text),
  })
  .strict();

/** The problem of one layout (bounds, ids, grid), or null. `where` names it in the message. */
export function layoutProblem(layout: ControllerLayout, where = `layout "${layout.name}"`): string | null {
  if (layout.id.length > MAX_LAYOUT_NAME || layout.name.length > MAX_LAYOUT_NAME) return `${where}: its id and name must be at most ${MAX_LAYOUT_NAME} characters`;
  if (layout.controls.length > MAX_LAYOUT_CONTROLS) return `${where} has ${layout.controls.length} controls; at most ${MAX_LAYOUT_CONTROLS} can be saved`;
  if (layout.columns > MAX_GRID || layout.rows > MAX_GRID) return `${where}: its grid is ${layout.columns} × ${layout.rows}; at most ${MAX_GRID} × ${MAX_GRID}`;
  const ids = new Set<string>();
  for (const c of layout.controls) {
    if (c.id.length > MAX_LAYOUT_NAME || c.label.length > MAX_LAYOUT_NAME) return `${where}: control "${c.id.slice(0, 40)}": its id and label must be at most ${MAX_LAYOUT_NAME} characters`;
    if (ids.has(c.id)) return `${where}: two controls have the id "${c.id}"`;
    ids.add(c.id);
    if (c.x + (c.w ?? 1) > layout.columns || c.y + (c.h ?? 1) > layout.rows) return `${where}: control "${c.label || c.id}" lies outside its ${layout.columns} × ${layout.rows} grid`;
  }
  return null;
}

/**
 * Why a state cannot be saved (the first problem, in words), or null. Learned layouts must be `source: 'custom'` with
 * an id `custom:<device name>`, each id once; every limit above holds.
 */
export function layoutsStateProblem(state: ControllerLayoutsState): string | null {
  if (state.custom.length > MAX_CUSTOM_LAYOUTS) return `at most ${MAX_CUSTOM_LAYOUTS} learned layouts can be saved (got ${state.custom.length}); remove some first`;
  const ids = new Set<string>();
  for (const layout of state.custom) {
    if (layout.source !== 'custom' || !layout.id.startsWith('custom:')) return `learned layout "${layout.name}" must have source "custom" and an id "custom:<device name>"`;
    if (ids.has(layout.id)) return `two learned layouts have the id "${layout.id}"`;
    ids.add(layout.id);
    const problem = layoutProblem(layout, `learned layout "${layout.name.slice(0, MAX_LAYOUT_NAME)}"`);
    if (problem) return problem;
  }
  const choices = Object.entries(state.choices);
  if (choices.length > MAX_LAYOUT_CHOICES) return `at most ${MAX_LAYOUT_CHOICES} devices can have a chosen layout (got ${choices.length})`;
  for (const [device, layoutId] of choices) {
    if (device.length === 0 || device.length > MAX_LAYOUT_NAME) return `a device name with a chosen layout must be 1 to ${MAX_LAYOUT_NAME} characters`;
    if (layoutId.length === 0 || layoutId.length > MAX_LAYOUT_NAME) return `the layout chosen for "${device}" must be an id of 1 to ${MAX_LAYOUT_NAME} characters`;
  }
  return null;
}

/** A fresh empty state: nothing learned, nothing chosen. */
export function emptyLayoutsState(): ControllerLayoutsState {
  return { custom: [], choices: {} };
}
