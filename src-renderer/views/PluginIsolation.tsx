// A plugin's isolation in the Plugins view: where its sandbox runs now and why, the Automatic / Own process / Shared
// process override (saved like the limits: config.toml [wasm.limits.<plugin>] isolation, then the plugin restarts),
// and a plain warning when sharing a plugin the policy keeps apart. Decides nothing itself; main applies the policy.
import { useId, useState } from 'react';
import type { PluginInfo } from '../../src-shared/contract';
import { useApp } from '../store/context';
import { ISOLATION_CHOICES, isolationChoice, isolationText, limitsWithIsolation, sharedRisk, sharedWarning, type IsolationChoice } from './plugin-isolation';
import './plugin-isolation.css';

export function PluginIsolation({ plugin }: { plugin: PluginInfo }) {
  const s = plugin.snapshot;
  const setLimits = useApp((st) => st.setPluginLimits);
  const busy = useApp((st) => st.pluginBusy[plugin.id] === true);
  const [error, setError] = useState<string | null>(null);
  /** "Shared" picked for a plugin the policy keeps apart: not saved until the user confirms under the warning. */
  const [confirming, setConfirming] = useState(false);
  /** The choice being saved, shown until main answers (the select would otherwise jump back meanwhile). */
  const [pending, setPending] = useState<IsolationChoice | null>(null);
  const id = useId();
  const saved = isolationChoice(s);
  const shown: IsolationChoice = pending ?? (confirming ? 'shared' : saved);
  const warning = shown === 'shared' ? sharedWarning(s, saved === 'shared') : null;
  const discouraged = sharedRisk(s) !== null;
  const save = async (next: IsolationChoice) => {
    setError(null);
    setConfirming(false);
    setPending(next);
    const err = await setLimits(plugin.id, limitsWithIsolation(s, next));
    setPending(null);
    if (err) setError(err);
  };
  const pick = (next: IsolationChoice) => {
    if (next === saved) return setConfirming(false);
    if (next === 'shared' && discouraged) return setConfirming(true);
    void save(next);
  };
  return (
    <div className="plugin-isolation" data-testid="plugin-isolation">
      <div data-testid="plugin-isolation-where" data-mode={s.isolation?.mode ?? 'none'}>
        {isolationText(s.isolation)}
      </div>
      <div className="plugin-isolation-choice">
        <label htmlFor={id}>Isolation</label>{' '}
        <select id={id} value={shown} disabled={busy} data-testid="plugin-isolation-select" aria-describedby={warning ? `${id}-warning` : undefined} onChange={(e) => pick(e.target.value as IsolationChoice)}>
          {ISOLATION_CHOICES.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
              {c.value === 'shared' && discouraged ? ' (not recommended)' : ''}
            </option>
          ))}
        </select>
      </div>
      {warning ? (
        <div className={`plugin-isolation-warning${confirming ? ' confirming' : ''}`} id={`${id}-warning`} role={confirming ? 'alert' : undefined} data-testid="plugin-isolation-warning">
          <p className="text-warn">{warning}</p>
          {confirming ? (
            <p>
              <button type="button" className="danger" disabled={busy} data-testid="plugin-isolation-confirm" onClick={() => void save('shared')}>
                Share a process anyway
              </button>{' '}
              <button type="button" data-testid="plugin-isolation-cancel" onClick={() => setConfirming(false)}>
                Cancel
              </button>
            </p>
          ) : null}
        </div>
      ) : null}
      {error ? (
        <p className="text-error" role="alert" data-testid="plugin-isolation-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
