// Settings → Trusted keys and the signature policy: the keys (name, email, key, added, which installed plugins
// each signs), adding a key (pasted or imported from a .public file; length, hex and curve point checked live, and
// again by main), removing one (naming the plugins that stop loading), and the policy switches with what they block.
import { useEffect, useId, useState } from 'react';
import type { PluginInfo, TrustedKeyInfo } from '../../src-shared/contract';
import { errorMessage } from '../format';
import { useApp } from '../store/context';
import { keyProblems, policySentence } from './trusted-keys-text';

function signedBy(plugins: readonly PluginInfo[], key: string): PluginInfo[] {
  const k = key.toLowerCase();
  return plugins.filter((p) => p.snapshot.verification?.signer?.publicKey.toLowerCase() === k);
}

const pluginName = (p: PluginInfo) => p.snapshot.metadata?.name ?? p.id;

function KeyRow({ k }: { k: TrustedKeyInfo }) {
  const plugins = useApp((s) => s.plugins);
  const policy = useApp((s) => s.policy);
  const busy = useApp((s) => s.trustBusy);
  const remove = useApp((s) => s.removeTrustedKey);
  const toast = useApp((s) => s.toast);
  const [confirming, setConfirming] = useState(false);
  const signs = signedBy(plugins, k.publicKey);
  const short = k.publicKey.slice(0, 8);
  const stopLoading = policy?.requireSignature && !policy.allowSelfSigned ? signs : [];
  return (
    <tr data-testid="trusted-key-row" data-key={k.publicKey}>
      <td>{k.name}</td>
      <td>{k.email || <span className="muted">—</span>}</td>
      <td>
        <code title={k.publicKey}>
          {k.publicKey.slice(0, 8)}…{k.publicKey.slice(-8)}
        </code>{' '}
        <button
          type="button"
          className="link"
          aria-label={`Copy the key of ${k.name}`}
          onClick={() =>
            void navigator.clipboard.writeText(k.publicKey).then(
              () => toast('success', 'Key copied', 'copy'),
              () => toast('error', 'Could not copy the key (the browser refused clipboard access)', 'copy'),
            )
          }
        >
          Copy
        </button>
      </td>
      <td>{k.addedAt ? new Date(k.addedAt).toLocaleString() : '—'}</td>
      <td data-testid="trusted-key-plugins">{signs.length > 0 ? signs.map(pluginName).join(', ') : <span className="muted">none installed</span>}</td>
      <td>
        {confirming ? (
          <span role="group" aria-label={`Confirm removing ${k.name}`}>
            {stopLoading.length > 0
              ? `Remove? These plugins stop loading under the trusted-only policy: ${stopLoading.map(pluginName).join(', ')}.`
              : signs.length > 0
                ? `Remove? ${signs.map(pluginName).join(', ')} will no longer count as trusted.`
                : 'Remove this key?'}{' '}
            <button type="button" className="danger" disabled={busy} data-testid={`trust-remove-confirm-${short}`} onClick={() => void remove(k.publicKey).then(() => setConfirming(false))}>
              Yes, remove
            </button>{' '}
            <button type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </span>
        ) : (
          <button type="button" className="danger" disabled={busy} aria-label={`Remove the key of ${k.name}`} data-testid={`trust-remove-${short}`} onClick={() => setConfirming(true)}>
            Remove
          </button>
        )}
      </td>
    </tr>
  );
}

function AddKeyForm() {
  const add = useApp((s) => s.addTrustedKey);
  const busy = useApp((s) => s.trustBusy);
  const [key, setKey] = useState('');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string | null>(null);
  const keyId = useId();
  const nameId = useId();
  const emailId = useId();
  const fileId = useId();
  const problemsId = useId();
  const errorId = useId();
  const problems = keyProblems(key);
  const canSubmit = !busy && key.trim().length > 0 && problems.length === 0 && name.trim().length > 0;
  return (
    <form
      className="trust-add"
      aria-label="Add a trusted key"
      onSubmit={(e) => {
        e.preventDefault();
        if (!canSubmit) return;
        setError(null);
        void add(key.trim().toLowerCase(), name.trim(), email).then((err) => {
          if (err) setError(err);
          else {
            setKey('');
            setName('');
            setEmail('');
          }
        });
      }}
    >
      <div>
        <label htmlFor={keyId}>Public key (64 hex characters)</label>
        <br />
        <input
          id={keyId}
          type="text"
          value={key}
          spellCheck={false}
          aria-invalid={problems.length > 0 || error ? true : undefined}
          aria-describedby={[problems.length > 0 ? problemsId : '', error ? errorId : ''].filter(Boolean).join(' ') || undefined}
          data-testid="trust-add-key"
          onChange={(e) => {
            setKey(e.target.value);
            setError(null);
          }}
        />
      </div>
      <div>
        <label htmlFor={fileId}>or import a .public file</label>
        <br />
        <input
          id={fileId}
          type="file"
          accept=".public,.txt"
          data-testid="trust-import-file"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (!file) return;
            setError(null);
            // A key file is 64 hex characters and a newline; anything much bigger is not one (don't read it all).
            if (file.size > 1024) {
              setError(`${file.name} is not a public key file (${file.size} bytes; a .public file holds 64 hex characters)`);
              return;
            }
            void file.text().then(
              (text) => {
                setKey(text.trim());
                if (!name.trim()) setName(file.name.replace(/\.public$/i, ''));
              },
              (err: unknown) => setError(`could not read ${file.name}: ${errorMessage(err)}`),
            );
          }}
        />
      </div>
      <div>
        <label htmlFor={nameId}>Name</label>
        <br />
        <input id={nameId} type="text" value={name} data-testid="trust-add-name" onChange={(e) => setName(e.target.value)} />
      </div>
      <div>
        <label htmlFor={emailId}>Email (optional)</label>
        <br />
        <input id={emailId} type="email" value={email} data-testid="trust-add-email" onChange={(e) => setEmail(e.target.value)} />
      </div>
      <button type="submit" className="primary" disabled={!canSubmit} data-testid="trust-add-submit">
        Add key
      </button>
      {problems.length > 0 ? (
        <p className="text-error" role="alert" id={problemsId} data-testid="trust-add-error">
          Not a valid key: {problems.join('; ')}.
        </p>
      ) : error ? (
        <p className="text-error" role="alert" id={errorId} data-testid="trust-add-error">
          {error}
        </p>
      ) : null}
    </form>
  );
}

function PolicyPanel() {
  const policy = useApp((s) => s.policy);
  const busy = useApp((s) => s.trustBusy);
  const setPolicy = useApp((s) => s.setPolicy);
  const blocked = useApp((s) => s.policyBlocked);
  const plugins = useApp((s) => s.plugins);
  const requireId = useId();
  const selfId = useId();
  if (!policy) return <p className="muted">Loading the signature policy…</p>;
  const blockedPlugins = (blocked ?? []).map((id) => plugins.find((p) => p.id === id)).filter((p): p is PluginInfo => p !== undefined);
  return (
    <div>
      <h3>Signature policy</h3>
      <p>
        <input
          id={requireId}
          type="checkbox"
          checked={policy.requireSignature}
          disabled={busy}
          data-testid="policy-require"
          onChange={(e) => void setPolicy({ ...policy, requireSignature: e.target.checked })}
        />{' '}
        <label htmlFor={requireId}>Require signatures</label>
        <br />
        <input
          id={selfId}
          type="checkbox"
          checked={policy.allowSelfSigned}
          disabled={busy}
          data-testid="policy-self-signed"
          onChange={(e) => void setPolicy({ ...policy, allowSelfSigned: e.target.checked })}
        />{' '}
        <label htmlFor={selfId}>Allow self-signed plugins</label>
      </p>
      <p data-testid="policy-description">{policySentence(policy)}</p>
      {blocked !== null ? (
        <div data-testid="policy-blocked" role="status">
          {blockedPlugins.length === 0 ? (
            <p>No installed plugin is blocked by its signature.</p>
          ) : (
            <>
              <p className="text-error">Blocked now (they do not load):</p>
              <ul>
                {blockedPlugins.map((p) => (
                  <li key={p.id}>
                    <strong>{pluginName(p)}</strong>: {p.snapshot.verification?.detail ?? p.snapshot.reason ?? 'signature check failed'}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      ) : null}
    </div>
  );
}

export function TrustedKeysPanel() {
  const load = useApp((s) => s.loadTrust);
  const keys = useApp((s) => s.trustedKeys);
  const loaded = useApp((s) => s.trustLoaded);
  const error = useApp((s) => s.trustError);
  const connected = useApp((s) => s.connection.status === 'connected');
  useEffect(() => {
    if (connected) void load();
  }, [connected, load]);
  return (
    <section className="panel" data-testid="trusted-keys" aria-labelledby="trusted-keys-title">
      <h2 id="trusted-keys-title">Plugin signatures and trusted keys</h2>
      <PolicyPanel />
      <h3>Trusted keys</h3>
      {error ? (
        <p className="text-error" role="alert">
          {error}
        </p>
      ) : null}
      {!loaded ? (
        <p className="muted">Loading…</p>
      ) : keys.length === 0 ? (
        <p className="muted">No trusted keys yet. Plugins signed by a key you add here count as &ldquo;trusted&rdquo;.</p>
      ) : (
        <table className="key-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Email</th>
              <th>Key</th>
              <th>Added</th>
              <th>Signs</th>
              <th>
                <span className="sr-only">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => (
              <KeyRow key={k.publicKey} k={k} />
            ))}
          </tbody>
        </table>
      )}
      <AddKeyForm />
    </section>
  );
}
