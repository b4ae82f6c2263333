// Event console: the engine's live event stream (MIDI in, triggers, action runs, plugin errors with their
// reason, fuel and duration), newest first, with pause, clear, and filters by kind and text.
import { useDeferredValue, useMemo } from 'react';
import { ENGINE_EVENT_KINDS } from '../../src-shared/engine';
import { Icon, type IconName } from '../components/Icon';
import { formatClock } from '../format';
import { CONSOLE_LIMIT, KIND_LABELS, visibleRows } from '../store/console';
import { useApp } from '../store/context';

/** The row labels' trailing symbols ("Action ✓") drawn as icons, named for screen readers. */
const LABEL_SYMBOLS: Readonly<Record<string, { icon: IconName; name: string }>> = {
  '▶': { icon: 'play', name: 'started' },
  '✓': { icon: 'check', name: 'succeeded' },
  '✗': { icon: 'cross', name: 'failed' },
};

function ConsoleLabel({ label }: { label: string }) {
  const m = /^(.*\S)\s*([▶✓✗])$/u.exec(label);
  const symbol = m ? LABEL_SYMBOLS[m[2]!] : undefined;
  if (!m || !symbol) return <>{label}</>;
  return (
    <>
      {m[1]} <Icon name={symbol.icon} label={symbol.name} />
    </>
  );
}

export function ConsoleView() {
  const events = useApp((s) => s.events);
  const held = useApp((s) => s.held.length);
  const paused = useApp((s) => s.paused);
  const filter = useApp((s) => s.consoleFilter);
  const setPaused = useApp((s) => s.setPaused);
  const clear = useApp((s) => s.clearConsole);
  const setText = useApp((s) => s.setFilterText);
  const setKind = useApp((s) => s.setKindVisible);
  const deferredEvents = useDeferredValue(events);
  const rows = useMemo(() => visibleRows(deferredEvents, filter), [deferredEvents, filter]);
  return (
    <div className="view view-console">
      <header className="view-header">
        <h1>Event console</h1>
        <div className="toolbar" role="toolbar" aria-label="Console">
          <button type="button" onClick={() => setPaused(!paused)} aria-pressed={paused} data-testid="console-pause">
            {paused ? `Resume${held > 0 ? ` (${held} new)` : ''}` : 'Pause'}
          </button>
          <button type="button" onClick={clear} data-testid="console-clear">
            Clear
          </button>
          <label className="sr-only" htmlFor="console-filter">
            Filter events by text
          </label>
          <input id="console-filter" type="search" placeholder="Filter…" value={filter.text} onChange={(e) => setText(e.target.value)} data-testid="console-filter" />
        </div>
      </header>
      <fieldset className="kind-filter">
        <legend>Show</legend>
        {ENGINE_EVENT_KINDS.map((k) => (
          <label key={k} className="check">
            <input type="checkbox" checked={filter.kinds[k]} onChange={(e) => setKind(k, e.target.checked)} data-testid={`console-kind-${k}`} />
            {KIND_LABELS[k]}
          </label>
        ))}
      </fieldset>
      <p className="muted small" aria-live="polite">
        {rows.length} of {events.length} events shown (the last {CONSOLE_LIMIT.toLocaleString('en-US')} are kept){paused ? ' · paused' : ''}
      </p>
      {rows.length === 0 ? (
        <p className="empty">
          {events.length === 0 ? 'No events yet — press a pad on the Devices page (or on your controller) and its MIDI, triggers and actions show up here.' : 'No events match the filter.'}
        </p>
      ) : (
        <div className="console" role="log" aria-live="off" aria-label="Engine events">
          {rows.map((r) => (
            <div key={r.seq} className={`console-row tone-${r.tone}`} data-testid="console-row" data-kind={r.kind}>
              <time className="console-time" dateTime={new Date(r.at).toISOString()}>
                {formatClock(r.at)}
              </time>
              <span className="console-label">
                <ConsoleLabel label={r.label} />
              </span>
              <span className="console-text">
                {r.text}
                {r.detail ? <span className="console-detail">{r.detail}</span> : null}
              </span>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
