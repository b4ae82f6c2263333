// What each control of the drawn controller shows (its mappings in the selected mode and the global ones, a short
// label, the action's kind, marks for global / several / problems) and the names of controls. Pure: never reads the store.
import type { ActionType, AppConfig, Mapping, TimingConfig, Trigger } from '../../src-shared/config';
import { controlForMessage, controlMessageText, controlsForTrigger, type ControlDef, type ControllerLayout } from '../../src-shared/controller-layout';
import type { EngineEvent } from '../../src-shared/engine';
import { VIRTUAL_DEVICE_NAME, type DeviceInfo } from '../../src-shared/midi';
import { describeAction, describeTrigger } from '../format';
import { locationKey, type MappingScope } from '../store/draft';

/** A mapping as the controller view shows it: where it is (location key) and whether it is a global one. */
export interface ShownMapping {
  key: string;
  mapping: Mapping;
  global: boolean;
}

export interface ControlSummary {
  /** The mappings on this control: the selected mode's first (they win), then the global ones. */
  mappings: readonly ShownMapping[];
  /** The first mapping's label (description, else its action in words), or null when nothing is mapped. */
  label: string | null;
  /** Every mapping's label, one per line (the control's tooltip). */
  title: string;
  /** The first mapping's action kind (its icon). */
  actionType: ActionType | null;
  /** A global mapping sits on this control. */
  global: boolean;
  /** More than one mapping (long press, double tap, velocity ranges, chords…) sits on this control. */
  several: boolean;
  /** Problems of its mappings: save issues, missing required parameters, conflicts. */
  problems: readonly string[];
}

/** `"g"` → global; `"m2"` → mode 2 (the ui slice's selectedScope). */
export function scopeOfKey(key: string): MappingScope {
  const m = /^m(\d+)$/.exec(key);
  return m ? { kind: 'mode', modeIndex: Number(m[1]) } : { kind: 'global' };
}

/** The mappings the controller shows for a scope: the mode's own, then the global ones (with the Global tab: those only). */
export function shownMappings(config: AppConfig, scopeKey: string): ShownMapping[] {
  const scope = scopeOfKey(scopeKey);
  const out: ShownMapping[] = [];
  if (scope.kind === 'mode') (config.modes[scope.modeIndex]?.mappings ?? []).forEach((mapping, index) => out.push({ key: locationKey({ scope, index }), mapping, global: false }));
  config.globalMappings.forEach((mapping, index) => out.push({ key: locationKey({ scope: { kind: 'global' }, index }), mapping, global: true }));
  return out;
}

/** A mapping's short label: its description, else its action in words. */
export function mappingLabel(m: Mapping): string {
  return m.description.trim() || describeAction(m.action);
}

/** The mappings (of `shown`) whose trigger belongs to `control`. */
export function mappingsOnControl(layout: ControllerLayout, control: ControlDef, shown: readonly ShownMapping[]): ShownMapping[] {
  return shown.filter((s) => controlsForTrigger(layout, s.mapping.trigger).some((c) => c.id === control.id));
}

/** Problems of one mapping by location key (save issues, draft checks); empty when none. */
export type ProblemsOf = (key: string) => readonly string[];

export function summariseControl(mappings: readonly ShownMapping[], problemsOf: ProblemsOf): ControlSummary {
  const first = mappings[0];
  return {
    mappings,
    label: first ? mappingLabel(first.mapping) : null,
    title: mappings.map((s) => `${s.global ? 'Global: ' : ''}${mappingLabel(s.mapping)}`).join('\n'),
    actionType: first ? first.mapping.action.type : null,
    global: mappings.some((s) => s.global),
    several: mappings.length > 1,
    problems: mappings.flatMap((s) => problemsOf(s.key)),
  };
}

/** Every control's summary by control id, for the selected mode (or Global) of `config`. */
export function summariseControls(layout: ControllerLayout, config: AppConfig, scopeKey: string, problemsOf: ProblemsOf): Map<string, ControlSummary> {
  const shown = shownMappings(config, scopeKey);
  const byControl = new Map<string, ShownMapping[]>(layout.controls.map((c) => [c.id, []]));
  for (const s of shown) {
    const seen = new Set<string>();
    for (const c of controlsForTrigger(layout, s.mapping.trigger)) {
      if (seen.has(c.id)) continue;
      seen.add(c.id);
      byControl.get(c.id)?.push(s);
    }
  }
  const out = new Map<string, ControlSummary>();
  for (const [id, list] of byControl) out.set(id, summariseControl(list, problemsOf));
  return out;
}

/** "Pad 5, note 40: Play/Pause" (the control's accessible name); "…: not mapped" when nothing is. */
export function controlAriaLabel(control: ControlDef, summary: ControlSummary | undefined): string {
  const what = summary?.label ?? 'not mapped';
  const more = summary && summary.mappings.length > 1 ? ` (and ${summary.mappings.length - 1} more)` : '';
  return `${control.label}, ${controlMessageText(control)}: ${what}${more}`;
}

/** The layout's name of a trigger's control ("Pad 5"; a chord's "Pad 1 + Pad 5"), or null when none of its controls is on the layout. */
export function layoutControlName(layout: ControllerLayout | null, trigger: Trigger): string | null {
  if (!layout) return null;
  const controls = controlsForTrigger(layout, trigger);
  if (controls.length === 0) return null;
  return [...new Set(controls.map((c) => c.label))].join(' + ');
}

/** A trigger in words, led by its control's name on the shown layout: "Pad 5 · Note E2 (40)". */
export function triggerWords(layout: ControllerLayout | null, trigger: Trigger, timing?: TimingConfig): string {
  const name = layoutControlName(layout, trigger);
  const words = describeTrigger(trigger, timing);
  return name ? `${name} · ${words}` : words;
}

/**
 * The hardware input the controller view draws: the connected input whose name contains `[device] name`
 * (case-insensitive), else the first connected hardware input; null = none (the virtual controller is drawn).
 */
export function deviceInUse(deviceName: string | null, devices: readonly DeviceInfo[]): DeviceInfo | null {
  const inputs = devices.filter((d) => d.kind === 'hardware' && d.direction === 'input' && d.state === 'connected');
  const wanted = deviceName?.trim().toLowerCase();
  if (wanted) {
    const named = inputs.find((d) => d.name.toLowerCase().includes(wanted));
    if (named) return named;
  }
  return inputs[0] ?? null;
}

/**
 * The input the Mappings view draws: the one picked by hand (`chosenId`, while it is connected), else the hardware
 * input in use (deviceInUse), else the virtual controller; null when there is no input at all.
 */
export function drawnInput(chosenId: string | null, deviceName: string | null, devices: readonly DeviceInfo[]): DeviceInfo | null {
  const inputs = devices.filter((d) => d.direction === 'input' && d.state === 'connected');
  const chosen = chosenId === null ? undefined : inputs.find((d) => d.id === chosenId);
  return chosen ?? deviceInUse(deviceName, devices) ?? inputs.find((d) => d.id === `virtual:${VIRTUAL_DEVICE_NAME}`) ?? inputs.find((d) => d.kind === 'virtual') ?? null;
}

/**
 * "Follow the controller": the control of the newest press among `events` after seq `afterSeq` (a note-on, a CC or a
 * pitch bend from a device `fromDevice` accepts), or null when none of them is on the layout.
 */
export function followedControl(layout: ControllerLayout, events: readonly EngineEvent[], afterSeq: number, fromDevice: (deviceId: string) => boolean): ControlDef | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i];
    if (!e || e.seq <= afterSeq) break;
    if (e.kind !== 'midi' || !fromDevice(e.event.deviceId)) continue;
    const m = e.event.message;
    const press = (m.type === 'noteOn' && m.velocity > 0) || m.type === 'controlChange' || m.type === 'pitchBend';
    if (!press) continue;
    const control = controlForMessage(layout, m);
    if (control) return control;
  }
  return null;
}
