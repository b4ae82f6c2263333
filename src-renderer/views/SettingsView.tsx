// Settings: about, trusted keys and the signature policy, plus placeholders that say what will come.
import { useApp } from '../store/context';
import { TrustedKeysPanel } from './TrustedKeys';

export function SettingsView() {
  const info = useApp((s) => s.appInfo);
  const timing = useApp((s) => s.draft?.timing ?? null);
  const device = useApp((s) => s.draft?.device ?? null);
  return (
    <div className="view">
      <header className="view-header">
        <h1>Settings</h1>
      </header>
      <section className="panel">
        <h2>About</h2>
        {info ? (
          <dl className="plugin-facts">
            <dt>Version</dt>
            <dd>{info.version}</dd>
            <dt>Running as</dt>
            <dd>{info.shell === 'electron' ? 'Desktop app' : 'Browser mode'} on {info.platform}</dd>
            <dt>Config file</dt>
            <dd>
              <code>{info.configPath}</code>
            </dd>
            <dt>Plugins folder</dt>
            <dd>
              <code>{info.pluginsDir}</code>
            </dd>
          </dl>
        ) : (
          <p className="muted">Not connected.</p>
        )}
      </section>
      <section className="panel">
        <h2>Device</h2>
        <p className="muted">
          Coming: choosing the MIDI input and auto-connect here.{' '}
          {device ? `Now: ${device.name ? `input matching "${device.name}"` : 'the first hardware input'}, auto-connect ${device.autoConnect ? 'on' : 'off'}, auto-reconnect ${device.autoReconnect ? 'on' : 'off'} (edit [device] in config.toml).` : ''}
        </p>
      </section>
      <TrustedKeysPanel />
      <section className="panel">
        <h2>Timing</h2>
        <p className="muted">
          Coming: the defaults for long press, double tap and chords.{' '}
          {timing ? `Now: hold ${timing.holdThresholdMs} ms, double tap within ${timing.doubleTapTimeoutMs} ms, chord within ${timing.chordTimeoutMs} ms ([advanced_settings] in config.toml).` : ''}
        </p>
      </section>
      <section className="panel">
        <h2>Appearance</h2>
        <p className="muted">Light, dark or follow the system: use the theme button at the bottom of the sidebar.</p>
      </section>
    </div>
  );
}
