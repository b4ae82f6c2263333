// Plugins (read-only for now): each installed plugin's name, version, state with its reason, signature tier,
// capabilities and pending approvals. Installing, approving and removing come later (see Settings).
import { CAPABILITY_INFO, describeCapabilities } from '../../src-shared/capabilities';
import type { PluginInfo } from '../../src-shared/contract';
import type { PluginState, SignatureTier } from '../../src-shared/plugin';
import { Spinner } from '../components/fields';
import { fileName, formatMs, formatNumber } from '../format';
import { useApp } from '../store/context';

const STATE_TEXT: Record<PluginState, string> = {
  loading: 'Loading',
  ready: 'Ready',
  'waiting-approval': 'Waiting for approval',
  restarting: 'Restarting',
  disabled: 'Disabled',
  failed: 'Failed',
  unloaded: 'Unloaded',
};

const TIER_TEXT: Record<SignatureTier, string> = {
  unchecked: 'Not checked',
  unsigned: 'Unsigned (development)',
  'self-signed': 'Self-signed',
  trusted: 'Trusted signer',
};

function PluginCard({ plugin }: { plugin: PluginInfo }) {
  const s = plugin.snapshot;
  const meta = s.metadata;
  const tier = s.verification?.tier ?? 'unchecked';
  const approval = useApp((st) => st.approvals[plugin.id]);
  const stateClass = s.state === 'ready' ? 'ok' : s.state === 'failed' || s.state === 'disabled' ? 'error' : 'warn';
  return (
    <li className="plugin-card" data-testid="plugin-row" data-plugin-id={plugin.id}>
      <div className="plugin-head">
        <h3>
          {meta?.name ?? plugin.id} <span className="muted">{meta?.version ?? ''}</span>
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
      {s.pendingCapabilities.length > 0 ? (
        <p className="text-warn">
          Waiting for approval of: {describeCapabilities(s.pendingCapabilities)}. It does not run until you decide (approval dialogs are coming; for now use <code>conductor plugin grant</code>).
          {approval ? ` Last asked: ${approval.reason === 'call' ? 'when a pad triggered it' : approval.reason === 'load' ? 'when it loaded' : 'when its grants changed'}.` : ''}
        </p>
      ) : null}
      <dl className="plugin-facts">
        <dt>Signature</dt>
        <dd data-testid="plugin-tier">
          {TIER_TEXT[tier]}
          {s.verification?.signer ? ` — ${s.verification.signer.name} <${s.verification.signer.email}>` : ''}
          {s.verification?.trustedKeyName ? ` (key "${s.verification.trustedKeyName}")` : ''}
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
          {meta && meta.capabilities.length > 0
            ? meta.capabilities.map((c) => (
                <span key={c} className="cap" title={CAPABILITY_INFO[c].description}>
                  <span aria-hidden="true">{CAPABILITY_INFO[c].riskIcon}</span> {CAPABILITY_INFO[c].title} ({CAPABILITY_INFO[c].risk} risk)
                  {s.grants.includes(c) ? ' ✓' : s.deniedCapabilities.includes(c) ? ' (denied)' : s.pendingCapabilities.includes(c) ? ' (pending)' : ''}
                </span>
              ))
            : 'none'}
        </dd>
        <dt>Actions</dt>
        <dd>{meta && meta.actions.length > 0 ? meta.actions.map((a) => a.name).join(', ') : 'none declared'}</dd>
        <dt>Calls</dt>
        <dd>
          {formatNumber(s.stats.calls)} ({formatNumber(s.stats.errors)} failed, {s.stats.crashes} crashes)
          {s.stats.lastFuelConsumed !== null ? ` · last: fuel ${formatNumber(s.stats.lastFuelConsumed)}` : ''}
          {s.stats.lastDurationMs !== null ? `, ${formatMs(s.stats.lastDurationMs)}` : ''}
        </dd>
      </dl>
    </li>
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
      {!loaded ? (
        <p>
          <Spinner label="Loading plugins" /> Loading plugins…
        </p>
      ) : plugins.length === 0 ? (
        <p className="empty">
          No plugins installed yet — install one with <code>conductor plugin install &lt;file.wasm&gt;</code>
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
