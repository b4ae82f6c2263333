// Plugins: install (picked or dropped files, or a path), each installed plugin's name, version, author, signature
// tier, capabilities (grant status, revoke, review in the approval dialog), where it runs (isolation override), limits (editable), settings (a form for
// what its metadata declares, secrets masked), state with its reason and troubleshooting hints (with a one-click limit
// raise, or a pointer to the settings), call stats, and uninstall with confirmation.
import { useId, useState } from 'react';
import { CAPABILITY_INFO } from '../../src-shared/capabilities';
import type { PluginInfo } from '../../src-shared/contract';
import type { Capability, PluginSnapshot, PluginState } from '../../src-shared/plugin';
import { TIER_TEXT } from '../components/ApprovalDialog';
import { Spinner } from '../components/fields';
import { RiskIcon } from '../components/Icon';
import { fileName, formatMs, formatNumber } from '../format';
import { useApp } from '../store/context';
import { limitHit, limitRaise, settingsNeeded, troubleshooting } from './plugin-help';
import { PluginIsolation } from './PluginIsolation';
import { PluginLimits, RaiseLimitButton } from './PluginLimits';
import { PluginSettings } from './PluginSettings';
import { missingRequired } from './plugin-settings';

const STATE_TEXT: Record<PluginState, string> = {
  loading: 'Loading',
  ready: 'Ready',
  'waiting-approval': 'Waiting for approval',
  restarting: 'Restarting',
  disabled: 'Disabled',
  failed: 'Failed',
  unloaded: 'Unloaded',
};

function capStatus(s: PluginSnapshot, c: Capability): 'granted' | 'denied' | 'pending' | 'requested' {
  if (s.grants.includes(c)) return 'granted';
  if (s.deniedCapabilities.includes(c)) return 'denied';
  if (s.pendingCapabilities.includes(c)) return 'pending';
  return 'requested';
}

function PluginCard({ plugin }: { plugin: PluginInfo }) {
  const s = plugin.snapshot;
  const meta = s.metadata;
  const name = meta?.name ?? plugin.id;
  const verification = s.verification;
  const tier = verification?.tier ?? 'unchecked';
  const approval = useApp((st) => st.approvals[plugin.id]);
  const busy = useApp((st) => st.pluginBusy[plugin.id] === true);
  const decide = useApp((st) => st.decideCapability);
  const openApproval = useApp((st) => st.openApproval);
  const uninstall = useApp((st) => st.uninstallPlugin);
  const settingsForm = useApp((st) => st.pluginSettings[plugin.id]);
  const [confirming, setConfirming] = useState(false);
  /** The settings form: open/closed by the user, null = open by itself while a required setting has no value. */
  const [settingsOpen, setSettingsOpen] = useState<boolean | null>(null);
  const stateClass = s.state === 'ready' ? 'ok' : s.state === 'failed' || s.state === 'disabled' ? 'error' : 'warn';
  const missingSettings = settingsForm ? missingRequired(settingsForm) : null;
  const hints = troubleshooting(s, missingSettings);
  // The form opens by itself while a required setting is missing; once the user closed it, the hint offers it again.
  const settingsShown = settingsOpen ?? (missingSettings === null || missingSettings.length > 0);
  const offerSettings = (meta?.settings.length ?? 0) > 0 && !settingsShown && settingsNeeded(s, missingSettings) !== null;
  const hit = limitHit(s);
  const raise = hit ? limitRaise(s, hit) : null;
  const reviewable = s.pendingCapabilities.length > 0 || s.deniedCapabilities.length > 0;
  return (
    <li className="plugin-card" data-testid="plugin-row" data-plugin-id={plugin.id} data-plugin-name={name}>
      <div className="plugin-head">
        <h3>
          {name} <span className="muted">{meta?.version ?? ''}</span>
        </h3>
        <span className={`state state-${stateClass}`} data-testid="plugin-state">
          {STATE_TEXT[s.state]}
        </span>
      </div>
      {meta?.description ? <p>{meta.description}</p> : null}
      {s.reason ? (
        <p className={stateClass === 'error' ? 'text-error' : 'text-warn'} data-testid="plugin-reason">
          {s.reason}
        </p>
      ) : null}
      {hints.length > 0 ? (
        <ul className="text-warn" data-testid="plugin-help">
          {hints.map((h) => (
            <li key={h}>{h}</li>
          ))}
        </ul>
      ) : null}
      {raise ? <RaiseLimitButton plugin={plugin} raise={raise} /> : null}
      {offerSettings ? (
        <button type="button" data-testid="plugin-open-settings" onClick={() => setSettingsOpen(true)}>
          Open settings
        </button>
      ) : null}
      {s.pendingCapabilities.length > 0 && approval ? (
        <p className="muted">Last asked {approval.reason === 'call' ? 'when a pad triggered it' : approval.reason === 'load' ? 'when it loaded' : 'when its grants changed'}.</p>
      ) : null}
      <dl className="plugin-facts">
        <dt>Signature</dt>
        <dd data-testid="plugin-tier" data-tier={tier}>
          {TIER_TEXT[tier]}
          {verification?.signer ? (
            <>
              {' '}
              — {verification.signer.name}
              {verification.signer.email ? ` <${verification.signer.email}>` : ''}, key{' '}
              <code title={verification.signer.publicKey}>{verification.signer.publicKey.slice(0, 16)}…</code>
            </>
          ) : null}
          {verification?.trustedKeyName ? ` (trusted key "${verification.trustedKeyName}")` : ''}
          {verification && !verification.ok ? <span className="text-error"> — blocked: {verification.detail}</span> : null}
        </dd>
        <dt>File</dt>
        <dd title={plugin.wasmPath}>{fileName(plugin.wasmPath)}</dd>
        {meta?.author ? (
          <>
            <dt>Author</dt>
            <dd>{meta.author}</dd>
          </>
        ) : null}
        <dt>Capabilities</dt>
        <dd>
          {meta && meta.capabilities.length > 0 ? (
            <ul className="cap-list">
              {meta.capabilities.map((c) => {
                const info = CAPABILITY_INFO[c];
                const status = capStatus(s, c);
                return (
                  <li key={c} className={`cap cap-${status} risk-${info.risk}`} title={info.description} data-testid={`plugin-cap-${c}`} data-status={status}>
                    <RiskIcon risk={info.risk} /> {info.title} <span className="muted">({info.risk} risk)</span> —{' '}
                    <span data-testid={`plugin-cap-status-${c}`}>{status}</span>
                    {status === 'granted' && info.risk !== 'low' ? (
                      <button
                        type="button"
                        className="link"
                        disabled={busy}
                        aria-label={`Revoke ${info.title}`}
                        data-testid={`plugin-revoke-${c}`}
                        onClick={() => void decide(plugin.id, c, 'pending')}
                      >
                        Revoke
                      </button>
                    ) : null}
                  </li>
                );
              })}
            </ul>
          ) : (
            'none'
          )}
          {meta?.capabilities.includes('network') ? <div className="muted">Allowed hosts: {meta.allowedHosts.length > 0 ? meta.allowedHosts.join(', ') : 'any public host'}</div> : null}
          {reviewable ? (
            <button type="button" data-testid={`plugin-review-${name}`} onClick={() => openApproval(plugin.id)}>
              Review permissions
            </button>
          ) : null}
        </dd>
        <dt>Actions</dt>
        <dd>{meta && meta.actions.length > 0 ? meta.actions.map((a) => a.name).join(', ') : 'none declared'}</dd>
        {meta && meta.settings.length > 0 ? (
          <>
            <dt>Settings</dt>
            <dd>
              <PluginSettings plugin={plugin} open={settingsOpen} onOpenChange={setSettingsOpen} />
            </dd>
          </>
        ) : null}
        <dt>Runs in</dt>
        <dd>
          <PluginIsolation plugin={plugin} />
        </dd>
        <dt>Limits</dt>
        <dd>
          <PluginLimits plugin={plugin} />
        </dd>
        <dt>Calls</dt>
        <dd data-testid="plugin-stats">
          {formatNumber(s.stats.calls)} ({formatNumber(s.stats.errors)} failed, {s.stats.crashes} crashes)
          {s.stats.lastFuelConsumed !== null ? ` · last: fuel ${formatNumber(s.stats.lastFuelConsumed)}` : ''}
          {s.stats.lastDurationMs !== null ? `, ${formatMs(s.stats.lastDurationMs)}` : ''}
          {s.stats.lastError ? (
            <div className="text-error" data-testid="plugin-last-error" data-kind={s.stats.lastError.kind}>
              Last error: {s.stats.lastError.message}
            </div>
          ) : null}
        </dd>
      </dl>
      <div className="plugin-foot">
        {confirming ? (
          <span role="group" aria-label={`Confirm uninstalling ${name}`}>
            Uninstall {name}? Its file and grants are removed; mappings that use it stop working.{' '}
            <button
              type="button"
              className="danger"
              disabled={busy}
              data-testid="plugin-uninstall-confirm"
              onClick={() => void uninstall(plugin.id).then((done) => done || setConfirming(false))}
            >
              Yes, uninstall
            </button>{' '}
            <button type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </span>
        ) : (
          <button type="button" className="danger" disabled={busy} data-testid="plugin-uninstall" aria-label={`Uninstall ${name}`} onClick={() => setConfirming(true)}>
            Uninstall
          </button>
        )}
      </div>
    </li>
  );
}

function InstallForm() {
  const install = useApp((s) => s.installPlugin);
  const installFiles = useApp((s) => s.installPluginFiles);
  const busy = useApp((s) => s.pluginBusy.install === true);
  const error = useApp((s) => s.installError);
  const update = useApp((s) => s.installUpdate);
  const setUpdate = useApp((s) => s.setInstallUpdate);
  const [path, setPath] = useState('');
  const fileId = useId();
  const pathId = useId();
  const updateId = useId();
  const hintId = useId();
  const errorId = useId();
  const submit = async () => {
    if (!(await install(path.trim(), update))) setPath('');
  };
  return (
    <form
      className="panel"
      data-testid="plugin-install-panel"
      onSubmit={(e) => {
        e.preventDefault();
        if (path.trim()) void submit();
      }}
    >
      <h2>Install a plugin</h2>
      <p className="muted" id={hintId}>
        Drop the plugin&rsquo;s files anywhere on this window or pick them — the <code>.wasm</code>, and its <code>.wasm.sig</code> and{' '}
        <code>plugin.toml</code> if it has them (in the desktop app they are picked up from beside the <code>.wasm</code>) — or type the full path of a{' '}
        <code>.wasm</code> on this computer.
      </p>
      <div className="plugin-install">
        <label htmlFor={fileId}>Plugin files</label>
        <input
          id={fileId}
          type="file"
          multiple
          accept=".wasm,.sig,.toml"
          data-testid="plugin-install-files"
          disabled={busy}
          onChange={(e) => {
            const files = e.target.files ? [...e.target.files] : [];
            e.target.value = '';
            if (files.length > 0) void installFiles(files, update);
          }}
        />
      </div>
      <div className="plugin-install">
        <label htmlFor={pathId}>Path to the .wasm file</label>
        <input
          id={pathId}
          type="text"
          value={path}
          placeholder="/home/me/plugins/my-plugin.wasm"
          aria-describedby={`${hintId}${error ? ` ${errorId}` : ''}`}
          aria-invalid={error ? true : undefined}
          data-testid="plugin-install-path"
          onChange={(e) => setPath(e.target.value)}
        />
        <label htmlFor={updateId}>
          <input id={updateId} type="checkbox" checked={update} onChange={(e) => setUpdate(e.target.checked)} data-testid="plugin-install-update" /> Update (replace an
          installed plugin of the same name)
        </label>
        <button type="submit" className="primary" disabled={busy || !path.trim()} data-testid="plugin-install">
          {busy ? 'Installing…' : 'Install'}
        </button>
      </div>
      {error ? (
        <p className="text-error" role="alert" id={errorId} data-testid="plugin-install-error">
          {error}
        </p>
      ) : null}
    </form>
  );
}

export function PluginsView() {
  const plugins = useApp((s) => s.plugins);
  const loaded = useApp((s) => s.pluginsLoaded);
  const refresh = useApp((s) => s.refreshPlugins);
  const pluginsDir = useApp((s) => s.appInfo?.pluginsDir ?? null);
  return (
    <div className="view">
      <header className="view-header">
        <h1>Plugins</h1>
        <button type="button" onClick={() => void refresh()} data-testid="plugins-refresh">
          Refresh
        </button>
      </header>
      <InstallForm />
      {!loaded ? (
        <p>
          <Spinner label="Loading plugins" /> Loading plugins…
        </p>
      ) : plugins.length === 0 ? (
        <p className="empty">
          No plugins installed yet — install one above
          {pluginsDir ? (
            <>
              {' '}
              (it goes to <code>{pluginsDir}</code>)
            </>
          ) : null}
          , then use it in a mapping with the action &ldquo;Run a plugin&rdquo;.
        </p>
      ) : (
        <ul className="plugin-list">
          {plugins.map((p) => (
            <PluginCard key={p.id} plugin={p} />
          ))}
        </ul>
      )}
    </div>
  );
}
