// Per-app profiles in the mode editor: the mode's `apps` (add, remove, "Use the current app") edited on the draft, and
// the "Follow the frontmost app" switch with why the current mode is what it is. Never saves or switches modes itself.
import { useEffect, useId, useState } from 'react';
import { describeProfileReason } from '../../src-shared/app-profiles';
import { Icon } from '../components/Icon';
import { useApp } from '../store/context';
import { addModeApp, appNameProblem, otherModeListing, removeModeApp } from './mode-apps';
import './mode-apps.css';

/** "Follow the frontmost app" and the reason line (one state for all modes: the core's). */
export function FollowAppToggle() {
  const profiles = useApp((s) => s.profiles);
  const problem = useApp((s) => s.profilesProblem);
  const busy = useApp((s) => s.settingFollow);
  const connected = useApp((s) => s.connection.status === 'connected');
  const setFollow = useApp((s) => s.setFollowApp);
  const id = useId();
  const follow = profiles?.follow ?? true;
  const front = profiles?.frontmost ?? null;
  return (
    <div className="mode-apps-follow" data-testid="profiles-follow-row">
      <label htmlFor={id} className="mode-apps-follow-label">
        <input id={id} type="checkbox" checked={follow} disabled={busy || !connected || profiles === null} onChange={(e) => void setFollow(e.target.checked)} data-testid="profiles-follow" />
        Follow the frontmost app
      </label>
      <span className="muted small" role="status" data-testid="profiles-reason" data-kind={profiles?.reason.kind}>
        {problem !== null ? `Unknown: ${problem}` : profiles === null ? 'Loading…' : describeProfileReason(profiles.reason)}
        {front !== null && profiles?.reason.kind !== 'app' ? ` · in front: ${front.name}${front.self ? ' (Conductor)' : ''}` : ''}
      </span>
    </div>
  );
}

/** The mode's app list: the first mode (in file order) listing the app in front becomes current. */
export function ModeApps({ index }: { index: number }) {
  const apps = useApp((s) => s.draft?.modes[index]?.apps);
  const draft = useApp((s) => s.draft);
  const editDraft = useApp((s) => s.editDraft);
  const currentApp = useApp((s) => s.currentApp);
  const connected = useApp((s) => s.connection.status === 'connected');
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  const inputId = useId();
  const list = apps ?? [];
  useEffect(() => setProblem(null), [index]);

  const add = (name: string): boolean => {
    if (!draft) return false;
    const why = appNameProblem(draft, index, name);
    setProblem(why);
    if (why !== null) return false;
    editDraft((config) => addModeApp(config, index, name));
    return true;
  };
  const useCurrent = async () => {
    setAsking(true);
    try {
      const name = await currentApp();
      if (name !== null && add(name)) setText('');
    } finally {
      setAsking(false);
    }
  };
  const other = (name: string): string | null => {
    if (!draft) return null;
    const i = otherModeListing(draft, index, name);
    return i === null || i > index ? null : (draft.modes[i]?.name ?? null);
  };

  return (
    <div className="mode-apps" data-testid="mode-apps">
      <div className="mode-apps-head">
        <label className="field-label" htmlFor={inputId}>
          Apps
        </label>
        <span className="muted small">This mode becomes current while one of these apps is in front (names as in AppFrontmost; * matches anything).</span>
      </div>
      {list.length > 0 ? (
        <ul className="mode-apps-list" aria-label="Apps of this mode">
          {list.map((name, i) => {
            const earlier = other(name);
            return (
              <li key={`${name}:${i}`} className="mode-app" data-testid="mode-app">
                <span data-testid="mode-app-name">{name}</span>
                {earlier !== null ? <span className="text-warn small" title={`Mode ${earlier} comes first and lists it too: it wins`}> (mode {earlier} wins)</span> : null}
                <button type="button" className="icon-button" aria-label={`Remove ${name}`} title={`Remove ${name}`} onClick={() => editDraft((config) => removeModeApp(config, index, i))} data-testid="mode-app-remove">
                  <Icon name="close" />
                </button>
              </li>
            );
          })}
        </ul>
      ) : (
        <span className="muted small" data-testid="mode-apps-empty">
          No apps: this mode changes only by hand.
        </span>
      )}
      <div className="mode-apps-add">
        <input
          id={inputId}
          value={text}
          placeholder="e.g. code or *Adobe*"
          onChange={(e) => {
            setText(e.target.value);
            setProblem(null);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && add(text)) setText('');
          }}
          aria-invalid={problem !== null || undefined}
          data-testid="mode-app-input"
        />
        <button type="button" className="small-button" onClick={() => add(text) && setText('')} data-testid="mode-app-add">
          Add
        </button>
        <button type="button" className="small-button" disabled={asking || !connected} title="Adds the app in front (when Conductor itself is in front: the app you used before it)" onClick={() => void useCurrent()} data-testid="mode-app-use-current">
          Use the current app
        </button>
      </div>
      {problem !== null ? (
        <span className="text-error small" role="alert" data-testid="mode-app-problem">
          {problem}
        </span>
      ) : null}
      <FollowAppToggle />
    </div>
  );
}
