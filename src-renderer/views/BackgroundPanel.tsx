// Settings → Background: pause/resume every mapping (app.setPaused, the same switch as the tray's), keep running when the
// window is closed, start at login (ui_state.json, applied by the desktop app). Never decides how a platform starts apps.
import { backgroundSettings } from '../../src-shared/ui-state';
import { CheckboxField } from '../components/fields';
import { useApp } from '../store/context';

/** The pause switch: one button whose words say what it will do, and a line saying what is happening now. */
export function PauseMappingsToggle() {
  const paused = useApp((s) => s.mappingsPaused);
  const busy = useApp((s) => s.settingMappingsPaused);
  const connected = useApp((s) => s.connection.status === 'connected');
  const setPaused = useApp((s) => s.setMappingsPaused);
  return (
    <div className="toolbar settings-actions">
      <button
        type="button"
        className={paused ? 'primary' : undefined}
        aria-pressed={paused}
        disabled={busy || !connected}
        onClick={() => void setPaused(!paused)}
        data-testid="pause-mappings"
      >
        {paused ? 'Resume mappings' : 'Pause mappings'}
      </button>
      <span className="muted" role="status" data-testid="pause-mappings-status" data-paused={paused || undefined}>
        {paused ? 'Mappings are paused: pads still show in the Console and can be learned, but nothing runs.' : 'Mappings are running.'}
      </span>
    </div>
  );
}

export function BackgroundPanel() {
  const ui = useApp((s) => s.uiState);
  const shell = useApp((s) => s.appInfo?.shell ?? null);
  const setBackground = useApp((s) => s.setBackground);
  const settings = backgroundSettings(ui);
  return (
    <section className="panel settings-form" data-testid="settings-background" aria-labelledby="settings-background-title">
      <h2 id="settings-background-title">Background</h2>
      <p className="muted">
        Conductor works like a background tool: its tray icon shows the device and mode, switches modes and pauses mappings.
        The headless <code>conductor run</code> can also run as a user service (docs/background.md).
      </p>
      <PauseMappingsToggle />
      <div className="settings-checks">
        <CheckboxField
          label="Keep running when the window is closed"
          checked={settings.keepRunningOnClose}
          disabled={ui === null}
          onChange={(v) => void setBackground({ keepRunningOnClose: v })}
          testId="background-keep-running"
          hint="Closing the window hides it; mappings keep working. Quit from the tray icon's menu."
        />
        <CheckboxField
          label="Start at login"
          checked={settings.startAtLogin}
          disabled={ui === null}
          onChange={(v) => void setBackground({ startAtLogin: v })}
          testId="background-start-at-login"
          hint="Start Conductor with its window hidden when you log in."
        />
      </div>
      {shell === 'browser' ? (
        <p className="muted" data-testid="background-browser-note">
          Browser mode saves these for the desktop app; they take effect there.
        </p>
      ) : null}
    </section>
  );
}
