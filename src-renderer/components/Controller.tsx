// A MIDI controller drawn from its layout (pads, piano keys, knobs, faders, buttons, touch strip on a grid), each control
// showing what it does; on the virtual controller a press plays it. Never edits the draft: selection and moves go to props.
import { useState, type CSSProperties, type DragEvent, type KeyboardEvent, type PointerEvent, type ReactNode } from 'react';
import type { ActionType } from '../../src-shared/config';
import { controlMessageText, type ControlDef, type ControllerLayout } from '../../src-shared/controller-layout';
import { ledColour } from '../../src-shared/led-colours';
import { controlAriaLabel, type ControlSummary } from '../editors/control-summary';
import { useApp } from '../store/context';
import { padVelocity } from './pad-velocity';
import { Icon, type IconName } from './Icon';
import './controller.css';

/** The icon of each action kind, drawn on the control beside its label. */
export const ACTION_ICONS: Record<ActionType, IconName> = {
  WasmPlugin: 'plugins',
  ModeChange: 'mode',
  SendMidi: 'midi',
  Sequence: 'sequence',
  Delay: 'delay',
  Repeat: 'repeat',
  Shell: 'terminal',
  Launch: 'launch',
  Keystroke: 'keyboard',
  Text: 'text',
  MouseClick: 'launch',
  VolumeControl: 'midi',
  Conditional: 'mode',
};

/** Moving controls of a learned layout: to a grid cell (drag, or arrow keys on the selected control). */
export interface ArrangeHandlers {
  /** Put control `id` at column x, row y (the caller updates the layout; onto another control = the two swap). */
  onMove(id: string, x: number, y: number): void;
}

export interface ControllerProps {
  layout: ControllerLayout;
  /** What each control does, by control id (absent = draw it without labels). */
  summaries?: ReadonlyMap<string, ControlSummary>;
  selectedId?: string | null;
  onSelect?: (control: ControlDef) => void;
  /** The drawn layout is the virtual controller: presses play it (pressPad/releasePad, turnKnob). */
  playable?: boolean;
  /** LED feedback to draw (note → velocity), only for the layout shown for the virtual controller; null = none. */
  lights?: Readonly<Record<number, number>> | null;
  /** The selected mode's colour (any CSS colour) tints the frame; null = no tint. */
  tint?: string | null;
  /** Arrange mode of a learned layout; null = off. */
  arrange?: ArrangeHandlers | null;
  /** The control last pressed on the device (marked; with "follow" off the selection stays elsewhere). */
  lastPressedId?: string | null;
  /** Whether a press should also select its control (off while a Learn listens: the learned result selects). */
  selectOnPress?: boolean;
  label?: string;
}

const BLACK_KEYS = new Set([1, 3, 6, 8, 10]);
const DRAG_TYPE = 'application/x-conductor-control';

function noteOf(c: ControlDef): number | null {
  return c.message.type === 'note' ? c.message.note : null;
}

function ccOf(c: ControlDef): number | null {
  return c.message.type === 'cc' ? c.message.cc : null;
}

function kindClass(c: ControlDef): string {
  const note = noteOf(c);
  if (c.kind === 'key' && note !== null && BLACK_KEYS.has(note % 12)) return 'ctl-key ctl-key-black';
  return `ctl-${c.kind}`;
}

function Marks({ summary }: { summary: ControlSummary | undefined }) {
  if (!summary) return null;
  const marks: ReactNode[] = [];
  if (summary.problems.length > 0)
    marks.push(<Icon key="p" name="warning" className="ctl-mark ctl-mark-problem" label={`${summary.problems.length} problem${summary.problems.length === 1 ? '' : 's'}`} title={summary.problems.join('\n')} />);
  if (summary.global) marks.push(<Icon key="g" name="globe" className="ctl-mark ctl-mark-global" label="global mapping" title="A global mapping (works in every mode)" />);
  if (summary.several) marks.push(<Icon key="s" name="layers" className="ctl-mark ctl-mark-several" label={`${summary.mappings.length} mappings`} title={`${summary.mappings.length} mappings on this control`} />);
  if (marks.length === 0) return null;
  return (
    <span className="ctl-marks" data-testid="control-marks" data-problem={summary.problems.length > 0 || undefined} data-global={summary.global || undefined} data-several={summary.several || undefined}>
      {marks}
    </span>
  );
}

interface ControlProps {
  layout: ControllerLayout;
  control: ControlDef;
  summary: ControlSummary | undefined;
  selected: boolean;
  lastPressed: boolean;
  onSelect: ((control: ControlDef) => void) | undefined;
  playable: boolean;
  light: number | undefined;
  held: number | undefined;
  arrange: ArrangeHandlers | null;
  selectOnPress: boolean;
  onDropOn: (target: ControlDef, e: DragEvent<HTMLElement>) => void;
}

function Control({ layout, control, summary, selected, lastPressed, onSelect, playable, light, held, arrange, selectOnPress, onDropOn }: ControlProps) {
  const press = useApp((s) => s.pressPad);
  const release = useApp((s) => s.releasePad);
  const turn = useApp((s) => s.turnKnob);
  const [value, setValue] = useState(0);
  const [drag, setDrag] = useState<{ y: number; value: number } | null>(null);
  const note = noteOf(control);
  const cc = ccOf(control);
  const isDial = control.kind === 'knob' || control.kind === 'encoder' || control.kind === 'fader' || control.kind === 'touchstrip';
  const play = playable && arrange === null;

  const select = () => {
    if (onSelect && (selectOnPress || arrange !== null)) onSelect(control);
  };
  const setDial = (v: number) => {
    const next = Math.max(0, Math.min(127, Math.round(v)));
    setValue(next);
    if (cc !== null) void turn(cc, next);
  };

  const down = (e: PointerEvent<HTMLButtonElement>) => {
    if (!play || e.button !== 0) return;
    if (note !== null) {
      const rect = e.currentTarget.getBoundingClientRect();
      void press(note, padVelocity(e.clientY - rect.top, rect.height, e));
    } else if (cc !== null && isDial) {
      e.currentTarget.setPointerCapture(e.pointerId);
      setDrag({ y: e.clientY, value });
    } else if (cc !== null) void turn(cc, 127);
  };
  const move = (e: PointerEvent<HTMLButtonElement>) => {
    if (!drag) return;
    setDial(drag.value + (drag.y - e.clientY));
  };
  const up = () => {
    if (!play) return;
    if (note !== null) void release(note);
    else if (cc !== null && !isDial) void turn(cc, 0);
    setDrag(null);
  };
  const key = (e: KeyboardEvent<HTMLButtonElement>, isDown: boolean) => {
    if (arrange !== null && isDown && e.key.startsWith('Arrow')) {
      e.preventDefault();
      const dx = e.key === 'ArrowLeft' ? -1 : e.key === 'ArrowRight' ? 1 : 0;
      const dy = e.key === 'ArrowUp' ? -1 : e.key === 'ArrowDown' ? 1 : 0;
      const x = Math.max(0, control.x + dx);
      const y = Math.max(0, control.y + dy);
      if (x !== control.x || y !== control.y) arrange.onMove(control.id, x, y);
      return;
    }
    if (!play) return;
    if (isDial && cc !== null && isDown && (e.key === 'ArrowUp' || e.key === 'ArrowDown' || e.key === 'PageUp' || e.key === 'PageDown')) {
      e.preventDefault();
      const step = e.key === 'PageUp' ? 16 : e.key === 'PageDown' ? -16 : e.key === 'ArrowUp' ? 4 : -4;
      setDial(value + step);
      return;
    }
    if (e.key !== 'Enter' && e.key !== ' ') return;
    if (note === null && (cc === null || isDial)) return;
    e.preventDefault();
    if (isDown) {
      if (e.repeat) return;
      select();
      if (note !== null) void press(note, e.shiftKey ? 30 : e.altKey ? 120 : 100);
      else if (cc !== null) void turn(cc, 127);
    } else if (note !== null) void release(note);
    else if (cc !== null) void turn(cc, 0);
  };

  const led = light !== undefined ? ledColour(layout.led, light) : null;
  const style: CSSProperties & Record<string, string | number> = {
    gridColumn: `${control.x + 1} / span ${control.w ?? 1}`,
    gridRow: `${control.y + 1} / span ${control.h ?? 1}`,
  };
  if (led) {
    style['--led'] = led.colour;
    style['--led-level'] = String(led.level);
  }
  if (isDial) style['--dial'] = String(value / 127);
  const classes = ['ctl', kindClass(control), selected ? 'is-selected' : '', lastPressed ? 'is-last-pressed' : '', led ? 'is-lit' : '', led?.blink ? 'is-blinking' : '', held !== undefined ? 'is-held' : '', summary?.label ? 'is-mapped' : '', summary && summary.problems.length > 0 ? 'has-problem' : ''];
  return (
    <button
      type="button"
      className={classes.filter(Boolean).join(' ')}
      style={style}
      data-testid={`control-${control.id}`}
      data-selected={selected ? 'true' : undefined}
      data-lit={light !== undefined && led ? String(light) : undefined}
      data-held={held !== undefined ? String(held) : undefined}
      data-cell={`${control.x},${control.y}`}
      aria-pressed={selected}
      aria-label={`${controlAriaLabel(control, summary)}${led ? `, lit (velocity ${light})` : ''}`}
      title={`${control.label} · ${controlMessageText(control)}${summary && summary.title ? `\n${summary.title}` : ''}${summary && summary.problems.length > 0 ? `\nProblems: ${summary.problems.join('; ')}` : ''}`}
      draggable={arrange !== null}
      onDragStart={(e) => {
        if (!arrange) return;
        e.dataTransfer.setData(DRAG_TYPE, control.id);
        e.dataTransfer.effectAllowed = 'move';
      }}
      onDragOver={(e) => {
        if (arrange && [...e.dataTransfer.types].includes(DRAG_TYPE)) e.preventDefault();
      }}
      onDrop={(e) => onDropOn(control, e)}
      onClick={select}
      onPointerDown={(e) => {
        if (play && e.button === 0) select();
        down(e);
      }}
      onPointerMove={move}
      onPointerUp={up}
      onPointerLeave={() => {
        if (play && note !== null) void release(note);
      }}
      onPointerCancel={up}
      onWheel={(e) => {
        if (play && isDial && cc !== null) setDial(value + (e.deltaY < 0 ? 4 : -4));
      }}
      onKeyDown={(e) => key(e, true)}
      onKeyUp={(e) => key(e, false)}
      onBlur={() => {
        if (play && note !== null) void release(note);
      }}
      onContextMenu={(e) => {
        if (play) e.preventDefault();
      }}
    >
      {isDial ? <span className="ctl-dial" aria-hidden="true" /> : null}
      <span className="ctl-name">{control.label}</span>
      <span className="ctl-msg">{controlMessageText(control)}</span>
      {summary?.label ? (
        <span className="ctl-label" data-testid={`control-label-${control.id}`}>
          {summary.actionType ? <Icon name={ACTION_ICONS[summary.actionType]} className="ctl-action-icon" /> : null}
          <span className="ctl-label-text">{summary.label}</span>
        </span>
      ) : null}
      <Marks summary={summary} />
    </button>
  );
}

/** The drawn controller: a grid of controls, tinted by the mode's colour; empty cells take dropped controls when arranging. */
export function Controller({ layout, summaries, selectedId = null, lastPressedId = null, onSelect, playable = false, lights = null, tint = null, arrange = null, selectOnPress = true, label }: ControllerProps) {
  const pressed = useApp((s) => s.pressedNotes);
  const byCell = new Set(layout.controls.flatMap((c) => {
    const cells: string[] = [];
    for (let dx = 0; dx < (c.w ?? 1); dx++) for (let dy = 0; dy < (c.h ?? 1); dy++) cells.push(`${c.x + dx},${c.y + dy}`);
    return cells;
  }));
  const dropAt = (x: number, y: number, e: DragEvent<HTMLElement>) => {
    if (!arrange) return;
    const id = e.dataTransfer.getData(DRAG_TYPE);
    if (!id) return;
    e.preventDefault();
    arrange.onMove(id, x, y);
  };
  const dropOn = (target: ControlDef, e: DragEvent<HTMLElement>) => {
    if (!arrange) return;
    const id = e.dataTransfer.getData(DRAG_TYPE);
    const source = layout.controls.find((c) => c.id === id);
    if (!source || source.id === target.id) return;
    e.preventDefault();
    // Dropped on another control: the two swap places (moveControl swaps).
    arrange.onMove(source.id, target.x, target.y);
  };
  const cols = Math.max(1, layout.columns) + (arrange ? 1 : 0);
  const rows = Math.max(1, layout.rows) + (arrange ? 1 : 0);
  const empty: { x: number; y: number }[] = [];
  if (arrange) for (let y = 0; y < rows; y++) for (let x = 0; x < cols; x++) if (!byCell.has(`${x},${y}`)) empty.push({ x, y });
  const frameStyle: CSSProperties & Record<string, string | number> = { '--cols': cols, '--rows': rows };
  if (tint) frameStyle['--mode-tint'] = tint;
  return (
    <div className={`controller${tint ? ' is-tinted' : ''}${arrange ? ' is-arranging' : ''}${layout.controls.some((c) => c.kind === 'key') ? ' has-keys' : ''}`} style={frameStyle} data-testid="controller" data-layout={layout.id}>
      <div className="controller-grid" role="group" aria-label={label ?? layout.name}>
        {layout.controls.map((c) => {
          const note = noteOf(c);
          return (
            <Control
              key={c.id}
              layout={layout}
              control={c}
              summary={summaries?.get(c.id)}
              selected={selectedId === c.id}
              lastPressed={lastPressedId === c.id}
              onSelect={onSelect}
              playable={playable}
              light={note !== null && lights ? lights[note] : undefined}
              held={note !== null && playable ? pressed[note] : undefined}
              arrange={arrange}
              selectOnPress={selectOnPress}
              onDropOn={dropOn}
            />
          );
        })}
        {empty.map(({ x, y }) => (
          <div
            key={`${x},${y}`}
            className="ctl-cell"
            style={{ gridColumn: `${x + 1}`, gridRow: `${y + 1}` }}
            data-testid={`controller-cell-${x}-${y}`}
            onDragOver={(e) => {
              if ([...e.dataTransfer.types].includes(DRAG_TYPE)) e.preventDefault();
            }}
            onDrop={(e) => dropAt(x, y, e)}
          />
        ))}
      </div>
    </div>
  );
}
