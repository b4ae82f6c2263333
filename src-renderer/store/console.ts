// Event console logic: merging engine events (deduped by seq, bounded), turning them into rows in words, and
// filtering by kind and text. Pure functions; the view and the store call them.
import { ENGINE_EVENT_KINDS, type EngineEvent, type EngineEventKind, type MappingRef, type PluginCallInfo, type ProcessInfo } from '../../src-shared/engine';
import { describeMidi, describeMidiBytes, describePluginCall, ERROR_KIND_WORDS, formatMs } from '../format';
import { describeGamepadInput } from '../../src-shared/gamepad';

/** Rows the console keeps; older ones are dropped. */
export const CONSOLE_LIMIT = 2000;

/**
 * Appends `incoming` to `current`, dropping events already present (same seq), keeping seq order and at most
 * `limit` events (the newest). Returns `current` itself when nothing was added.
 */
export function mergeEvents(current: readonly EngineEvent[], incoming: readonly EngineEvent[], limit = CONSOLE_LIMIT): readonly EngineEvent[] {
  if (incoming.length === 0) return current;
  const lastSeq = current.length > 0 ? (current[current.length - 1]?.seq ?? 0) : 0;
  let merged: EngineEvent[];
  if (incoming.every((e, i) => e.seq > lastSeq && (i === 0 || e.seq > (incoming[i - 1]?.seq ?? 0)))) {
    merged = [...current, ...incoming];
  } else {
    const bySeq = new Map<number, EngineEvent>();
    for (const e of current) bySeq.set(e.seq, e);
    let added = false;
    for (const e of incoming) {
      if (!bySeq.has(e.seq)) {
        bySeq.set(e.seq, e);
        added = true;
      }
    }
    if (!added) return current;
    merged = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  }
  return merged.length > limit ? merged.slice(merged.length - limit) : merged;
}

export type RowTone = 'midi' | 'info' | 'ok' | 'warn' | 'error';

export interface ConsoleRow {
  seq: number;
  at: number;
  kind: EngineEventKind;
  tone: RowTone;
  /** Short column text: "MIDI in", "Trigger", "Action ✓"… */
  label: string;
  text: string;
  /** Second line: durations, fuel, the reason of an error… */
  detail: string | null;
}

export const KIND_LABELS: Record<EngineEventKind, string> = {
  midi: 'MIDI in',
  gamepad: 'Gamepad in',
  trigger: 'Triggers',
  'action-start': 'Action started',
  'action-finish': 'Action finished',
  'action-error': 'Action errors',
  'run-dropped': 'Dropped runs',
  'mode-change': 'Mode changes',
  config: 'Config applied',
  'config-error': 'Config problems',
  'plugin-midi-error': 'Plugin MIDI errors',
};

export function describeMappingRef(m: MappingRef): string {
  const where = m.scope === 'global' ? `global mapping ${m.index + 1}` : `mode "${m.mode ?? '?'}", mapping ${m.index + 1}`;
  return m.description ? `"${m.description}" (${where})` : where;
}

function pluginDetail(p: PluginCallInfo | null): string[] {
  if (!p) return [];
  const parts: string[] = [];
  if (p.errorKind) parts.push(`reason: ${ERROR_KIND_WORDS[p.errorKind] ?? p.errorKind}`);
  if (p.code !== null && p.code !== 0) parts.push(`code ${p.code}`);
  parts.push(describePluginCall(p));
  if (p.log.length > 0) parts.push(`log: ${p.log.join(' | ')}`);
  return parts;
}

function processDetail(p: ProcessInfo | null): string[] {
  if (!p) return [];
  const parts: string[] = [];
  if (p.timedOut) parts.push('timed out');
  else if (p.exitCode !== null) parts.push(`exit code ${p.exitCode}`);
  else if (p.signal) parts.push(`killed by ${p.signal}`);
  const err = p.stderr.trim();
  if (err) parts.push(`stderr: ${err.slice(0, 300)}`);
  const out = p.stdout.trim();
  if (out) parts.push(`stdout: ${out.slice(0, 300)}`);
  return parts;
}

function join(parts: readonly (string | null | undefined)[]): string | null {
  const kept = parts.filter((p): p is string => typeof p === 'string' && p.length > 0);
  return kept.length > 0 ? kept.join(' · ') : null;
}

export function toRow(e: EngineEvent): ConsoleRow {
  const base = { seq: e.seq, at: e.at, kind: e.kind };
  switch (e.kind) {
    case 'midi':
      return { ...base, tone: 'midi', label: 'MIDI in', text: describeMidi(e.event.message), detail: e.event.deviceId };
    case 'gamepad':
      return { ...base, tone: 'midi', label: 'Gamepad', text: describeGamepadInput(e.event.input), detail: e.event.deviceId };
    case 'trigger': {
      const c = e.context;
      const ctx = join([
        c.note === undefined ? null : `note ${c.note}`,
        c.velocity === undefined ? null : `velocity ${c.velocity}`,
        c.cc === undefined ? null : `CC ${c.cc}`,
        c.value === undefined ? null : `value ${c.value}`,
        c.channel === undefined ? null : `channel ${c.channel + 1}`,
        `run ${e.runId}`,
      ]);
      return { ...base, tone: 'info', label: 'Trigger', text: `${e.trigger} → ${describeMappingRef(e.mapping)}`, detail: ctx };
    }
    case 'action-start':
      return { ...base, tone: 'info', label: 'Action ▶', text: e.summary, detail: `run ${e.runId}` };
    case 'action-finish':
      return {
        ...base,
        tone: 'ok',
        label: 'Action ✓',
        text: e.detail ? `${e.summary} — ${e.detail}` : e.summary,
        detail: join([`took ${formatMs(e.durationMs)}`, ...pluginDetail(e.plugin), ...processDetail(e.process)]),
      };
    case 'action-error':
      return {
        ...base,
        tone: 'error',
        label: 'Action ✗',
        text: `${e.summary} — ${e.error}`,
        detail: join([...pluginDetail(e.plugin), `took ${formatMs(e.durationMs)}`, ...processDetail(e.process)]),
      };
    case 'run-dropped':
      return { ...base, tone: 'warn', label: 'Dropped', text: `${describeMappingRef(e.mapping)}: ${e.reason}`, detail: `run ${e.runId} · ${e.dropped} dropped since the engine started` };
    case 'mode-change':
      return { ...base, tone: 'info', label: 'Mode', text: `${e.from ?? '(none)'} → ${e.to ?? '(none)'}`, detail: { action: 'by an action', api: 'from the app', config: 'the config changed' }[e.reason] };
    case 'config':
      return { ...base, tone: 'info', label: 'Config', text: `Applied: ${e.modes.length} mode${e.modes.length === 1 ? '' : 's'}, ${e.mappingCount} mapping${e.mappingCount === 1 ? '' : 's'}`, detail: e.modes.join(', ') || null };
    case 'config-error': {
      const first = e.issues[0];
      const where = first ? `${first.line === null ? '' : `line ${first.line}${first.column === null ? '' : `, column ${first.column}`}: `}${first.path ? `${first.path}: ` : ''}${first.message}` : 'unknown problem';
      const more = e.issues.length > 1 ? ` (+${e.issues.length - 1} more)` : '';
      return { ...base, tone: 'error', label: 'Config ✗', text: `${e.path} not applied — ${where}${more}`, detail: 'the last good config keeps running; fix the file and save it again' };
    }
    case 'plugin-midi-error':
      return { ...base, tone: 'error', label: 'Plugin MIDI ✗', text: `${e.pluginId}: MIDI to "${e.port}" not sent — ${e.error}`, detail: `bytes ${describeMidiBytes(e.bytes, e.byteCount)}` };
  }
}

export interface ConsoleFilter {
  kinds: Readonly<Record<EngineEventKind, boolean>>;
  text: string;
}

export function allKinds(on = true): Record<EngineEventKind, boolean> {
  return Object.fromEntries(ENGINE_EVENT_KINDS.map((k) => [k, on])) as Record<EngineEventKind, boolean>;
}

export const DEFAULT_FILTER: ConsoleFilter = { kinds: allKinds(true), text: '' };

/** Rows to show, newest first. Text matches the row's words case-insensitively. */
export function visibleRows(events: readonly EngineEvent[], filter: ConsoleFilter): ConsoleRow[] {
  const needle = filter.text.trim().toLowerCase();
  const out: ConsoleRow[] = [];
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i];
    if (!e || filter.kinds[e.kind] === false) continue;
    const row = toRow(e);
    if (needle && !`${row.label} ${row.text} ${row.detail ?? ''}`.toLowerCase().includes(needle)) continue;
    out.push(row);
  }
  return out;
}
