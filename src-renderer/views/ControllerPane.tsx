// The Mappings view's controller pane: the device in use drawn with what each control does in the selected mode, a layout
// picker, "follow the controller", learning/arranging a layout for an unknown device, and the inspector of the selected control.
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { controlMessageText, controlsForTrigger, triggerForControl, VIRTUAL_LAYOUT_ID, type ControlDef, type ControllerLayout } from '../../src-shared/controller-layout';
import { BUILTIN_LAYOUTS, emptyCustomLayout, growLayout, layoutChoiceKey, moveControl, renameControl } from '../../src-shared/device-layouts';
import { Controller } from '../components/Controller';
import { drawnInput, followedControl, scopeOfKey, summariseControls, type ControlSummary } from '../editors/control-summary';
import type { DraftChecks } from '../editors/MappingChecks';
import { newMappingFor } from '../editors/new-mapping';
import { useApp, useAppStore } from '../store/context';
import { getMapping, parseLocationKey } from '../store/draft';
import type { IssueIndex } from '../store/issues';
import type { AppState } from '../store/types';
import { MappingRow } from './MappingCard';
import { useShownLayout, type ShownLayout } from '../editors/shown-layout';
import './controller-pane.css';

/** A learned layout is saved this long after its last change (pressing controls one after another is one save). */
const SAVE_DELAY_MS = 600;
const AUTOMATIC = '';
const LEARN_NEW = '__learn-new';

type LayoutEdit = (layout: ControllerLayout) => ControllerLayout;

/** The events arrived so far, console-paused ones included, in seq order. */
function allEvents(s: Pick<AppState, 'events' | 'held'>) {
  return s.held.length > 0 ? [...s.events, ...s.held] : s.events;
}

function newestSeq(s: Pick<AppState, 'events' | 'held'>): number {
  return s.held.at(-1)?.seq ?? s.events.at(-1)?.seq ?? 0;
}

/**
 * Edits of a learned layout (grown by presses, arranged, renamed): shown at once, saved after SAVE_DELAY_MS (and when
 * the pane closes). `base` is what the store has; `chooseAfterSave` makes the device use it (a layout learned anew).
 */
function useLayoutEdits(shown: ShownLayout) {
  const save = useApp((s) => s.saveCustomLayout);
  const choose = useApp((s) => s.chooseLayout);
  const [pending, setPending] = useState<ControllerLayout | null>(null);
  const latest = useRef<ControllerLayout | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const chooseAfterSave = useRef(false);
  const deviceName = useRef(shown.deviceName);
  deviceName.current = shown.deviceName;

  const flush = useRef(async () => {
    timer.current = null;
    const layout = latest.current;
    if (!layout) return;
    const error = await save(layout);
    if (error === null && chooseAfterSave.current) {
      chooseAfterSave.current = false;
      await choose(layoutChoiceKey(deviceName.current), layout.id);
    }
    if (latest.current === layout) {
      latest.current = null;
      setPending(null);
    }
  });
  useEffect(
    () => () => {
      if (timer.current !== null) {
        clearTimeout(timer.current);
        void flush.current();
      }
    },
    [],
  );

  const base = shown.layout?.source === 'custom' ? shown.layout : null;
  const edit = (fn: LayoutEdit) => {
    const from = latest.current ?? base ?? emptyCustomLayout(shown.deviceName);
    const next = fn(from);
    if (next === from) return;
    latest.current = next;
    setPending(next);
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = setTimeout(() => void flush.current(), SAVE_DELAY_MS);
  };
  /**
   * Starts a layout for the device anew (from the picker): shown at once, saved with its first control, and then made
   * the device's layout. Left before any press, nothing is saved.
   */
  const startNew = () => {
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = null;
    chooseAfterSave.current = true;
    const empty = emptyCustomLayout(shown.deviceName);
    latest.current = empty;
    setPending(empty);
  };
  /** Before another layout is chosen: a new layout with nothing pressed is dropped, other edits are saved now. */
  const settle = () => {
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = null;
    if (chooseAfterSave.current && latest.current?.controls.length === 0) {
      chooseAfterSave.current = false;
      latest.current = null;
      setPending(null);
    } else void flush.current();
  };
  return { pending, edit, startNew, settle };
}

/**
 * Each new press from the drawn device: reported to `onPress` (the pane marks the control last pressed) and, while
 * `follow` is on, its control selected ("follow the controller").
 */
function useFollow(layout: ControllerLayout | null, deviceId: string | null, follow: boolean, onPress: (id: string) => void) {
  const store = useAppStore();
  const onPressRef = useRef(onPress);
  onPressRef.current = onPress;
  useEffect(() => {
    if (!layout || deviceId === null) return;
    let seen = newestSeq(store.getState());
    return store.subscribe((s, prev) => {
      if (s.events === prev.events && s.held === prev.held) return;
      const control = followedControl(layout, allEvents(s), seen, (id) => id === deviceId);
      seen = newestSeq(s);
      if (!control) return;
      onPressRef.current(control.id);
      // A Learn listening gets the press; the learned result selects its control (useLearnedSelects).
      const learning = s.learn.phase === 'starting' || s.learn.phase === 'listening';
      if (follow && !learning && s.selectedControl !== control.id) s.selectControl(control.id);
    });
  }, [store, layout, deviceId, follow]);
}

/** When a Learn finishes, selects the learned trigger's control: the mapping being edited moves there with it. */
function useLearnedSelects(layout: ControllerLayout | null) {
  const store = useAppStore();
  useEffect(() => {
    if (!layout) return;
    return store.subscribe((s, prev) => {
      if (s.learn.phase !== 'learned' || prev.learn.phase === 'learned' || !s.learn.result) return;
      const control = controlsForTrigger(layout, s.learn.result.trigger)[0];
      if (control) s.selectControl(control.id);
    });
  }, [store, layout]);
}

/**
 * A problem's link (config health) asks for a mapping's field: select the control the mapping's trigger is on, so the
 * inspector shows its editor; a mapping on no control of this layout is shown in the list instead.
 */
function useFocusRequestSelects(layout: ControllerLayout | null) {
  const store = useAppStore();
  const request = useApp((s) => s.focusRequest);
  useEffect(() => {
    if (!request || !layout) return;
    const s = store.getState();
    const loc = parseLocationKey(request.key);
    const mapping = loc && s.draft ? getMapping(s.draft, loc) : undefined;
    const control = mapping ? controlsForTrigger(layout, mapping.trigger)[0] : undefined;
    if (control) s.selectControl(control.id);
    else s.setMappingsPane('list');
  }, [store, layout, request]);
}

/** Grows a learned layout from the device's presses while `enabled` (a control per new note/CC/pitch bend). */
function useGrow(deviceId: string | null, enabled: boolean, edit: (fn: LayoutEdit) => void) {
  const store = useAppStore();
  const editRef = useRef(edit);
  editRef.current = edit;
  useEffect(() => {
    if (!enabled || deviceId === null) return;
    let seen = newestSeq(store.getState());
    return store.subscribe((s, prev) => {
      if (s.events === prev.events && s.held === prev.held) return;
      const fresh = allEvents(s).filter((e) => e.seq > seen);
      seen = newestSeq(s);
      for (const e of fresh) {
        if (e.kind !== 'midi' || e.event.deviceId !== deviceId) continue;
        const m = e.event.message;
        if ((m.type === 'noteOn' && m.velocity > 0) || m.type === 'controlChange' || m.type === 'pitchBend') editRef.current((l) => growLayout(l, m));
      }
    });
  }, [store, deviceId, enabled]);
}

/** Which input is drawn, when there is more than one to draw: Automatic (the one in use) or one picked by hand. */
function DevicePicker() {
  const devices = useApp((s) => s.devices);
  const wanted = useApp((s) => s.draft?.device.name ?? null);
  const inputs = useMemo(() => devices.filter((d) => d.direction === 'input' && d.state === 'connected'), [devices]);
  const chosen = useApp((s) => s.drawnInputId);
  const choose = useApp((s) => s.setDrawnInput);
  if (inputs.length < 2) return null;
  return (
    <label className="layout-picker">
      <span>Draw</span>
      <select value={chosen !== null && inputs.some((d) => d.id === chosen) ? chosen : AUTOMATIC} onChange={(e) => choose(e.target.value === AUTOMATIC ? null : e.target.value)} data-testid="device-picker">
        <option value={AUTOMATIC}>Automatic ({drawnInput(null, wanted, devices)?.name ?? 'none'})</option>
        {inputs.map((d) => (
          <option key={d.id} value={d.id}>
            {d.name}
            {d.kind === 'virtual' ? ' (virtual)' : ''}
          </option>
        ))}
      </select>
    </label>
  );
}

function LayoutPicker({ shown, shownLayout, onLearnNew, onChoose }: { shown: ShownLayout; shownLayout: ControllerLayout | null; onLearnNew: () => void; onChoose: () => void }) {
  const custom = useApp((s) => s.controllerLayouts.custom);
  const choices = useApp((s) => s.controllerLayouts.choices);
  const choose = useApp((s) => s.chooseLayout);
  if (!shown.deviceName) return null;
  const chosen = choices[layoutChoiceKey(shown.deviceName)] ?? choices[shown.deviceName] ?? AUTOMATIC;
  return (
    <label className="layout-picker">
      <span>
        Layout of <strong>{shown.deviceName}</strong>
      </span>
      <select
        value={chosen}
        data-testid="layout-picker"
        onChange={(e) => {
          const v = e.target.value;
          if (v === LEARN_NEW) return onLearnNew();
          onChoose();
          void choose(layoutChoiceKey(shown.deviceName), v === AUTOMATIC ? null : v);
        }}
      >
        <option value={AUTOMATIC}>Automatic{chosen === AUTOMATIC && shownLayout ? ` (${shownLayout.name})` : ''}</option>
        {shown.virtualLayout ? <option value={VIRTUAL_LAYOUT_ID}>{shown.virtualLayout.name}</option> : null}
        <optgroup label="Built-in">
          {BUILTIN_LAYOUTS.map((l) => (
            <option key={l.id} value={l.id}>
              {l.name}
            </option>
          ))}
        </optgroup>
        {custom.length > 0 ? (
          <optgroup label="Learned">
            {custom.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name} (learned)
              </option>
            ))}
          </optgroup>
        ) : null}
        <option value={LEARN_NEW}>Learn a new layout by pressing controls…</option>
      </select>
    </label>
  );
}

function RenameControl({ control, onRename }: { control: ControlDef; onRename: (label: string) => void }) {
  const [text, setText] = useState(control.label);
  const [shownFor, setShownFor] = useState(`${control.id}\u0000${control.label}`);
  if (shownFor !== `${control.id}\u0000${control.label}`) {
    setShownFor(`${control.id}\u0000${control.label}`);
    setText(control.label);
  }
  const commit = () => {
    if (text.trim() && text.trim() !== control.label) onRename(text);
    else setText(control.label);
  };
  return (
    <div className="field field-inline-wide">
      <label htmlFor="control-rename">Name</label>
      <input
        id="control-rename"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
          if (e.key === 'Escape') setText(control.label);
        }}
        data-testid="control-rename"
      />
    </div>
  );
}

interface InspectorProps {
  layout: ControllerLayout;
  control: ControlDef | null;
  summary: ControlSummary | undefined;
  issues: IssueIndex;
  checks: DraftChecks;
  /** Arranging a learned layout: the control can be renamed here. */
  onRename: ((label: string) => void) | null;
}

function Inspector({ layout, control, summary, issues, checks, onRename }: InspectorProps) {
  const scopeKey = useApp((s) => s.selectedScope);
  const modes = useApp((s) => s.draft?.modes);
  const globalCount = useApp((s) => s.draft?.globalMappings.length ?? 0);
  const addMapping = useApp((s) => s.addMapping);
  const scope = scopeOfKey(scopeKey);
  const scopeName = scope.kind === 'mode' ? (modes?.[scope.modeIndex]?.name ?? '') : 'Global';
  if (!control) {
    return (
      <aside className="inspector" aria-label="Inspector" data-testid="inspector">
        <p className="muted" data-testid="inspector-hint">
          Click a control — or press it on your controller — to see what it does in <strong>{scopeName}</strong> and edit it here.
        </p>
      </aside>
    );
  }
  const mappings = summary?.mappings ?? [];
  const countOf = (key: string): { index: number; count: number } => {
    const loc = parseLocationKey(key);
    if (!loc) return { index: 0, count: 1 };
    const count = loc.scope.kind === 'global' ? globalCount : (modes?.[loc.scope.modeIndex]?.mappings.length ?? 1);
    return { index: loc.index, count };
  };
  return (
    <aside className="inspector" aria-label={`Inspector: ${control.label}`} data-testid="inspector" data-control={control.id}>
      <h2 className="inspector-title">
        {control.label} <span className="inspector-msg">{controlMessageText(control)}</span>
      </h2>
      {onRename ? <RenameControl control={control} onRename={onRename} /> : null}
      {mappings.length === 0 ? (
        <p className="muted" data-testid="inspector-empty">
          Nothing on {control.label} in {scope.kind === 'mode' ? <>mode <strong>{scopeName}</strong></> : 'the global mappings'} yet.
        </p>
      ) : (
        <ul className="mapping-list">
          {mappings.map((s) => {
            const { index, count } = countOf(s.key);
            return <MappingRow key={s.key} mkey={s.key} mapping={s.mapping} index={index} count={count} issues={issues} checks={checks} global={s.global && scope.kind === 'mode'} />;
          })}
        </ul>
      )}
      <button type="button" className="primary" onClick={() => addMapping(scope, newMappingFor(triggerForControl(layout, control)))} data-testid="inspector-add">
        Add mapping on {control.label}
      </button>
    </aside>
  );
}

function Toggle({ checked, onChange, testId, children, title }: { checked: boolean; onChange: (on: boolean) => void; testId: string; children: ReactNode; title?: string }) {
  return (
    <label className="check" title={title}>
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} data-testid={testId} /> {children}
    </label>
  );
}

export function ControllerPane({ issues, checks }: { issues: IssueIndex; checks: DraftChecks }) {
  const shown = useShownLayout();
  const draft = useApp((s) => s.draft);
  const scopeKey = useApp((s) => s.selectedScope);
  const selectedId = useApp((s) => s.selectedControl);
  const selectControl = useApp((s) => s.selectControl);
  const follow = useApp((s) => s.followController);
  const setFollow = useApp((s) => s.setFollowController);
  const learnListening = useApp((s) => s.learn.phase === 'starting' || s.learn.phase === 'listening');
  const lights = useApp((s) => s.padLights);
  const removeCustom = useApp((s) => s.removeCustomLayout);
  const [arranging, setArranging] = useState(false);
  const [growing, setGrowing] = useState(false);
  const [lastPressed, setLastPressed] = useState<string | null>(null);
  const { pending, edit, startNew, settle } = useLayoutEdits(shown);

  const layout = pending ?? shown.layout;
  const unknownDevice = shown.layout === null && !shown.virtual && shown.deviceName !== '';
  const learned = layout?.source === 'custom';
  const growOn = unknownDevice || (learned && (growing || layout.controls.length === 0));
  useFollow(layout, shown.deviceId, follow && !arranging, setLastPressed);
  useLearnedSelects(layout);
  useFocusRequestSelects(layout);
  useGrow(shown.deviceId, growOn, edit);

  const problemsOf = useMemo(() => {
    return (key: string): string[] => [
      ...(issues.byMapping.get(key) ?? []).map((i) => i.message),
      ...(checks.requiredByMapping.get(key) ?? []).map((p) => p.message),
      ...(checks.conflicts.get(key) ?? []),
    ];
  }, [issues, checks]);
  const summaries = useMemo(() => (layout && draft ? summariseControls(layout, draft, scopeKey, problemsOf) : new Map<string, ControlSummary>()), [layout, draft, scopeKey, problemsOf]);
  if (!draft) return null;
  const scope = scopeOfKey(scopeKey);
  const tint = scope.kind === 'mode' ? (draft.modes[scope.modeIndex]?.color ?? null) : null;
  const selected = layout?.controls.find((c) => c.id === selectedId) ?? null;

  return (
    <div className="controller-pane" data-testid="controller-pane" data-last-pressed={lastPressed ?? undefined}>
      <div className="controller-toolbar">
        <DevicePicker />
        <LayoutPicker
          shown={shown}
          shownLayout={layout}
          onChoose={() => {
            settle();
            setArranging(false);
            setGrowing(false);
          }}
          onLearnNew={() => {
            startNew();
            setGrowing(true);
            setArranging(false);
          }}
        />
        <Toggle checked={follow} onChange={setFollow} testId="follow-controller" title="Pressing a control on the controller (or the virtual one) selects it here">
          Follow the controller
        </Toggle>
        {learned ? (
          <>
            <Toggle checked={growing} onChange={setGrowing} testId="grow-layout" title="Each new pad, knob or button pressed on the device is added to this layout">
              Add controls by pressing them
            </Toggle>
            <button type="button" aria-pressed={arranging} className={arranging ? 'is-on' : ''} onClick={() => setArranging(!arranging)} data-testid="arrange-layout" title="Drag controls to other cells, or select one and use the arrow keys; rename it in the side panel">
              {arranging ? 'Done arranging' : 'Arrange'}
            </button>
            {layout ? (
              <button type="button" className="danger" onClick={() => void removeCustom(layout.id)} data-testid="remove-layout" title="Forget this learned layout">
                Remove layout
              </button>
            ) : null}
          </>
        ) : null}
      </div>
      {growOn ? (
        <div className="banner banner-info learn-layout" role="status" data-testid="learn-layout">
          <strong>Learn this controller:</strong> press each pad, knob and button on {shown.deviceName || 'your controller'}
          {' '}— each new one is added{layout && layout.controls.length > 0 ? ` (${layout.controls.length} so far)` : ''}. Then arrange and rename them.
          {learned && growing ? (
            <button type="button" onClick={() => setGrowing(false)} data-testid="grow-layout-done">
              Done
            </button>
          ) : null}
        </div>
      ) : null}
      {growOn && shown.virtual && shown.virtualLayout ? (
        <div className="learn-layout-source">
          <p className="muted small">The virtual controller — press its pads and knobs to add them:</p>
          <Controller layout={shown.virtualLayout} playable lights={lights} selectOnPress={false} label="Virtual controller to press" />
        </div>
      ) : null}
      <div className="controller-body">
        <div className="controller-stage">
          {layout && layout.controls.length > 0 ? (
            <Controller
              layout={layout}
              summaries={summaries}
              selectedId={selected?.id ?? null}
              lastPressedId={lastPressed}
              onSelect={(c) => selectControl(c.id)}
              playable={shown.virtual}
              lights={shown.virtual ? lights : null}
              tint={tint}
              arrange={arranging && learned ? { onMove: (id, x, y) => edit((l) => moveControl(l, id, x, y)) } : null}
              selectOnPress={!learnListening}
              label={`${layout.name}: click a control to see what it does`}
            />
          ) : (
            <p className="empty" data-testid="controller-empty">
              {shown.deviceName ? `No controls yet: press the pads, knobs and buttons of ${shown.deviceName}.` : 'No MIDI input: connect a controller on the Devices page.'}
            </p>
          )}
        </div>
        {layout ? (
          <Inspector
            layout={layout}
            control={selected}
            summary={selected ? summaries.get(selected.id) : undefined}
            issues={issues}
            checks={checks}
            onRename={arranging && learned && selected ? (label) => edit((l) => renameControl(l, selected.id, label)) : null}
          />
        ) : null}
      </div>
    </div>
  );
}
