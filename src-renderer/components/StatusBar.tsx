// The status bar: connection to the core, MIDI backend state ("virtual only" when unavailable, the reason as its tooltip), connected inputs,
// current mode and the app version.
import { useShallow } from 'zustand/react/shallow';
import { ConfigHealth } from './ConfigHealth';
import { useApp } from '../store/context';

export function StatusBar() {
  const connection = useApp((s) => s.connection);
  const midi = useApp((s) => s.midiStatus);
  const mode = useApp((s) => s.mode);
  const appInfo = useApp((s) => s.appInfo);
  const inputs = useApp(useShallow((s) => s.devices.filter((d) => d.direction === 'input' && d.state === 'connected').map((d) => d.name)));
  const midiText = midi === null ? 'MIDI: …' : midi.available ? `MIDI: ${inputs.length > 0 ? inputs.join(', ') : 'no input connected'}` : 'MIDI: virtual only';
  // Hardware MIDI unavailable: said once, by the app's notice (components/MidiNotice.tsx); here only a neutral word, the reason in the tooltip.
  const midiTitle = midi && !midi.available ? `Only the on-screen controller can be used: ${midi.reason ?? 'no MIDI system'}` : midiText;
  const conn =
    connection.status === 'connected'
      ? { cls: 'ok', text: connection.transport === 'electron' ? 'Connected' : 'Connected (browser mode)' }
      : connection.status === 'connecting'
        ? { cls: 'warn', text: 'Connecting…' }
        : {
            cls: 'error',
            text: `Disconnected${connection.detail ? `: ${connection.detail}` : ''}${connection.retryInMs !== null ? ` — retrying in ${Math.ceil(connection.retryInMs / 1000)} s` : ''}`,
          };
  return (
    <footer className="status-bar" data-testid="status-bar">
      <span className={`status-item status-${conn.cls}`} data-testid="status-connection" role="status">
        <span className="dot" aria-hidden="true" />
        {conn.text}
      </span>
      <span className="status-item status-midi" data-testid="status-midi" title={midiTitle}>
        {midiText}
      </span>
      <ConfigHealth />
      <span className="status-item" data-testid="status-mode">
        Mode: <strong>{mode ?? '—'}</strong>
      </span>
      <span className="status-spacer" />
      {appInfo ? (
        <span className="status-item muted">
          Conductor {appInfo.version} · {appInfo.shell}
        </span>
      ) : null}
    </footer>
  );
}
