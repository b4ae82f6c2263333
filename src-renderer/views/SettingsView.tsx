// Settings: placeholders that say what will come, plus what is already known (paths, signature policy).
import { useApp } from '../store/context';

export function SettingsView() {
  const info = useApp((s) => s.appInfo);
  const wasm = useApp((s) => s.draft?.wasm ?? null);
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
      <section className="panel">
        <h2>Plugin signatures and trusted keys</h2>
        <p className="muted">
          Coming: the signature policy (require signatures, allow self-signed), the list of keys you trust, and adding or removing keys.{' '}
          {wasm ? `Now: signatures ${wasm.requireSignature ? 'required' : 'not required'}, self-signed plugins ${wasm.allowSelfSigned ? 'allowed' : 'not allowed'}.` : ''} Until then use{' '}
          <code>conductor-sign</code> and <code>conductor plugin</code> on the command line.
        </p>
      </section>
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
