// Launch's "Choose an app…": a searchable list of the installed applications main found (system.apps) that fills the
// action's `app` (and `args` from the app's launcher entry). Only fills the draft; never starts an app.
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { InstalledApp } from '../../src-shared/contract';
import { Spinner } from '../components/fields';
import { useApp } from '../store/context';
import { filterApps } from './app-search';
import './editors.css';

const MAX_SHOWN = 200;

export function AppPicker({ onPick }: { onPick: (app: InstalledApp) => void }) {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const listId = useId();
  const search = useRef<HTMLInputElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const installed = useApp((s) => s.installedApps);
  const loading = useApp((s) => s.installedAppsLoading);
  const error = useApp((s) => s.installedAppsError);
  const load = useApp((s) => s.loadInstalledApps);
  const shown = useMemo(() => filterApps(installed?.apps ?? [], query), [installed, query]);

  useEffect(() => {
    if (!open) return;
    void load();
    search.current?.focus();
  }, [open, load]);

  const close = () => {
    setOpen(false);
    opener.current?.focus();
  };

  return (
    <div className={`app-picker${open ? ' is-open' : ''}`}>
      <button ref={opener} type="button" aria-expanded={open} aria-controls={open ? listId : undefined} onClick={() => (open ? close() : setOpen(true))} data-testid="launch-app-choose">
        Choose an app…
      </button>
      {open ? (
        <div
          className="app-picker-panel"
          id={listId}
          role="group"
          aria-label="Installed apps"
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.stopPropagation();
              close();
            }
          }}
          data-testid="launch-app-picker"
        >
          <div className="row">
            <input ref={search} type="search" placeholder="Search apps" aria-label="Search apps" value={query} onChange={(e) => setQuery(e.target.value)} data-testid="launch-app-search" />
            <button type="button" className="small-button" disabled={loading} onClick={() => void load(true)} data-testid="launch-app-refresh">
              Refresh
            </button>
            <button type="button" className="small-button" onClick={close}>
              Close
            </button>
          </div>
          {loading ? (
            <p className="muted">
              <Spinner label="Looking for apps" /> Looking for installed apps…
            </p>
          ) : error ? (
            <p className="field-issues" role="alert">
              Could not list the apps: {error}
            </p>
          ) : installed && !installed.supported ? (
            <p className="muted" data-testid="launch-app-unsupported">
              This system has no list of installed apps; type the program name or path in App.
            </p>
          ) : installed && shown.length === 0 ? (
            <p className="muted" data-testid="launch-app-empty">
              {installed.apps.length === 0 ? 'No installed apps were found; type the program name or path in App.' : `No app matches “${query}”.`}
            </p>
          ) : (
            <ul className="app-picker-list" aria-label="Apps">
              {shown.slice(0, MAX_SHOWN).map((a) => (
                <li key={`${a.name}\u0000${a.launch}\u0000${a.args.join(' ')}`}>
                  <button
                    type="button"
                    className="app-picker-option"
                    onClick={() => {
                      onPick(a);
                      close();
                    }}
                    data-testid="launch-app-option"
                    data-launch={a.launch}
                  >
                    <span className="app-name">{a.name}</span>
                    <span className="app-command muted">{[a.launch, ...a.args].join(' ')}</span>
                  </button>
                </li>
              ))}
              {shown.length > MAX_SHOWN ? <li className="muted">{shown.length - MAX_SHOWN} more: type to narrow the list</li> : null}
            </ul>
          )}
        </div>
      ) : null}
    </div>
  );
}
