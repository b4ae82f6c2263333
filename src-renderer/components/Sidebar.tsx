// The sidebar: one button per view (Devices, Mappings, Plugins, Event console, Settings) and the theme toggle.
import { useApp } from '../store/context';
import { hasUnsavedChanges } from '../store/draft';
import type { Theme, View } from '../store/types';
import { Icon, type IconName } from './Icon';

const ITEMS: readonly { view: View; label: string; icon: IconName }[] = [
  { view: 'devices', label: 'Devices', icon: 'devices' },
  { view: 'mappings', label: 'Mappings', icon: 'mappings' },
  { view: 'plugins', label: 'Plugins', icon: 'plugins' },
  { view: 'console', label: 'Event console', icon: 'console' },
  { view: 'settings', label: 'Settings', icon: 'settings' },
];

const NEXT_THEME: Record<Theme, Theme> = { system: 'light', light: 'dark', dark: 'system' };
const THEME_LABEL: Record<Theme, string> = { system: 'Theme: system', light: 'Theme: light', dark: 'Theme: dark' };

export function Sidebar() {
  const view = useApp((s) => s.view);
  const setView = useApp((s) => s.setView);
  const theme = useApp((s) => s.theme);
  const setTheme = useApp((s) => s.setTheme);
  const dirty = useApp((s) => hasUnsavedChanges(s.draft, s.baseline));
  const pendingApprovals = useApp((s) => Object.keys(s.approvals).length);
  return (
    <nav className="sidebar" aria-label="Main">
      <div className="brand">Conductor</div>
      <ul>
        {ITEMS.map((item) => (
          <li key={item.view}>
            <button
              type="button"
              className="nav-item"
              aria-current={view === item.view ? 'page' : undefined}
              data-testid={`nav-${item.view}`}
              onClick={() => setView(item.view)}
            >
              <span className="nav-icon">
                <Icon name={item.icon} />
              </span>
              {item.label}
              {item.view === 'mappings' && dirty ? (
                <span className="badge badge-warn" title="Unsaved changes">
                  <Icon name="dot" />
                  <span className="sr-only"> (unsaved changes)</span>
                </span>
              ) : null}
              {item.view === 'plugins' && pendingApprovals > 0 ? (
                <span className="badge badge-warn" title="Waiting for approval">
                  {pendingApprovals}
                  <span className="sr-only"> waiting for approval</span>
                </span>
              ) : null}
            </button>
          </li>
        ))}
      </ul>
      <button type="button" className="theme-toggle" data-testid="theme-toggle" onClick={() => setTheme(NEXT_THEME[theme])} title="Switch between system, light and dark">
        {THEME_LABEL[theme]}
      </button>
    </nav>
  );
}
