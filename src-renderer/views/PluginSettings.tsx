// A plugin's settings in the Plugins view (issue #14): what its metadata declares, filled in by the user. A summary
// line (secrets only as "set" / "not set"), and a form with one field per setting: text for string/url/host, a number
// field, a checkbox for bool, and a password field for a secret that is never prefilled — main never sends a secret's
// value, only whether it is set. Save sends only what changed (a value sets, null clears); main checks every value
// and its refusal (naming the setting, never a value) is shown at the form. A plugin with an OAuth provider also gets
// an account row: Connect (main opens the sign-in page; in browser mode this page opens it in a new tab), its
// pending/connected/error state as main reports it, Disconnect. No token ever reaches this view. Nothing is stored here.
import { useEffect, useId, useState } from 'react';
import type { PluginInfo } from '../../src-shared/contract';
import type { PluginSettingSpec, PluginSettingsForm, SettingValue } from '../../src-shared/plugin';
import { FieldShell, Spinner, describedBy } from '../components/fields';
import { Icon } from '../components/Icon';
import { useApp } from '../store/context';
import {
  SECRET_SET_PLACEHOLDER,
  STORAGE_NOTE,
  draftsOf,
  hasValue,
  localProblem,
  missingRequired,
  namedSetting,
  oauthConnectLabel,
  oauthPendingText,
  oauthScopesText,
  oauthStatusText,
  sameSettingsObjects,
  settingChanges,
  shownValue,
  type Drafts,
  type OAuthState,
} from './plugin-settings';

/**
 * A plugin's OAuth account: status, Connect / Reconnect, Disconnect when connected, the wait for the browser, why the
 * last attempt failed, and the scopes it asks for. `unsaved`: the form has changes Connect would not use yet.
 */
function OAuthAccount({ pluginId, oauth, busy, unsaved }: { pluginId: string; oauth: OAuthState; busy: boolean; unsaved: boolean }) {
  const connect = useApp((s) => s.connectPluginOAuth);
  const disconnect = useApp((s) => s.disconnectPluginOAuth);
  const shell = useApp((s) => s.appInfo?.shell ?? null);
  /** A refused Connect/Disconnect call, shown until main sends a new OAuth state (then that one tells). */
  const [refusal, setRefusal] = useState<{ text: string; for: OAuthState } | null>(null);
  /** Browser mode: the sign-in page this page opened, offered again while main waits (in case a blocker ate the tab). */
  const [opened, setOpened] = useState<string | null>(null);
  const hintId = useId();

  const onConnect = async () => {
    setRefusal(null);
    setOpened(null);
    const reply = await connect(pluginId);
    if (!reply.ok) {
      setRefusal({ text: reply.error, for: oauth });
      return;
    }
    if (!reply.opened) {
      // Browser mode: main cannot open a browser here. Opened straight from the click's handler (the reply takes
      // milliseconds), so the popup blocker lets it through; noopener: the provider's page gets no handle on this one.
      window.open(reply.authorizeUrl, '_blank', 'noopener');
      setOpened(reply.authorizeUrl);
    }
  };
  const onDisconnect = async () => {
    setRefusal(null);
    setOpened(null);
    const err = await disconnect(pluginId);
    if (err) setRefusal({ text: err, for: oauth });
  };

  const error = refusal && refusal.for === oauth ? refusal.text : oauth.error;
  return (
    <div className="oauth-account" role="group" aria-label={`${oauth.provider} account`} data-testid="oauth">
      <div className="oauth-line">
        <span className={oauth.connected ? 'text-ok' : undefined} data-testid="oauth-status" data-connected={oauth.connected}>
          {oauthStatusText(oauth)}
        </span>
        <button
          type="button"
          className={oauth.connected ? 'small-button' : 'small-button primary'}
          disabled={busy || unsaved}
          aria-describedby={unsaved ? hintId : undefined}
          aria-label={oauth.connected ? `Reconnect ${oauth.provider}` : undefined}
          data-testid="oauth-connect"
          onClick={() => void onConnect()}
        >
          {oauthConnectLabel(oauth)}
        </button>
        {oauth.connected ? (
          <button type="button" className="small-button" disabled={busy} aria-label={`Disconnect ${oauth.provider}`} data-testid="oauth-disconnect" onClick={() => void onDisconnect()}>
            Disconnect
          </button>
        ) : null}
      </div>
      {oauth.pending ? (
        <p className="oauth-pending" data-testid="oauth-pending">
          <Spinner label={`Waiting for ${oauth.provider}`} /> {oauthPendingText(shell)}
          {opened ? (
            <>
              {' '}
              <a href={opened} target="_blank" rel="noopener noreferrer" data-testid="oauth-open-again">
                Open the sign-in page again
              </a>
            </>
          ) : null}
        </p>
      ) : null}
      {error ? (
        <p className="text-error" role="alert" data-testid="oauth-error">
          {error}
        </p>
      ) : null}
      {unsaved ? (
        <p className="muted small" id={hintId}>
          Save the settings first: Connect uses the saved ones.
        </p>
      ) : null}
      <p className="muted small" data-testid="oauth-scopes">
        {oauthScopesText(oauth)}. You sign in on {oauth.provider}&apos;s page; Conductor keeps the tokens and hands the plugin only a current access
        token — they are never shown here.
      </p>
    </div>
  );
}

function SettingsSummary({ form }: { form: PluginSettingsForm }) {
  return (
    <span data-testid="plugin-settings-summary">
      {form.specs.map((spec, i) => {
        const value = form.values[spec.name];
        let text: string;
        if (spec.type === 'secret') text = form.secretsSet.includes(spec.name) ? 'set' : 'not set';
        else if (value !== undefined) text = shownValue(value);
        else if (spec.default !== null) text = `${shownValue(spec.default)} (default)`;
        else text = 'not set';
        const missing = spec.required && !hasValue(form, spec);
        return (
          <span key={spec.name} className={missing ? 'text-warn' : undefined} data-testid={`setting-summary-${spec.name}`}>
            {i > 0 ? ' · ' : ''}
            {spec.name} {text}
            {missing ? ' (required)' : ''}
          </span>
        );
      })}
    </span>
  );
}

interface FieldProps {
  spec: PluginSettingSpec;
  draft: string | boolean;
  isSet: boolean;
  busy: boolean;
  issues: string[];
  errorId: string | null;
  onChange: (v: string | boolean) => void;
  onClear: () => void;
}

function SettingField({ spec, draft, isSet, busy, issues, errorId, onChange, onClear }: FieldProps) {
  const id = useId();
  const hintParts: string[] = [];
  if (spec.description) hintParts.push(/[.!?]$/.test(spec.description) ? spec.description : `${spec.description}.`);
  if (spec.type === 'url' || spec.type === 'host') hintParts.push("Its host (and port) is added to this plugin's allowed hosts.");
  if (spec.type === 'bool' && spec.default !== null) hintParts.push(`Default: ${shownValue(spec.default)}.`);
  if (spec.type === 'secret') hintParts.push(isSet ? 'Set; never shown. Type a new one to replace it.' : 'Not set.');
  const hint = hintParts.length > 0 ? hintParts.join(' ') : null;
  const bad = issues.length > 0 || errorId !== null;
  const described = [describedBy(id, hint, issues.length > 0), errorId].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    disabled: busy,
    'aria-invalid': bad || undefined,
    'aria-required': spec.required || undefined,
    'aria-describedby': described,
    'data-testid': `setting-${spec.name}`,
  };
  if (spec.type === 'bool') {
    return (
      <FieldShell id={id} label={spec.name} hint={hint} issues={issues} inline>
        <input {...common} type="checkbox" checked={draft === true} onChange={(e) => onChange(e.target.checked)} />
      </FieldShell>
    );
  }
  const text = typeof draft === 'string' ? draft : '';
  if (spec.type === 'secret') {
    return (
      <FieldShell id={id} label={spec.name} hint={hint} issues={issues} required={spec.required}>
        <div className="setting-secret">
          <input
            {...common}
            type="password"
            // Never filled in from anywhere: not from main (it never sends a secret), not by the browser's password manager.
            autoComplete="new-password"
            value={text}
            placeholder={isSet ? SECRET_SET_PLACEHOLDER : 'not set'}
            data-set={isSet}
            onChange={(e) => onChange(e.target.value)}
          />
          {isSet ? (
            <button type="button" className="small-button" disabled={busy} data-testid={`setting-${spec.name}-clear`} aria-label={`Clear ${spec.name}`} onClick={onClear}>
              Clear
            </button>
          ) : null}
        </div>
      </FieldShell>
    );
  }
  return (
    <FieldShell id={id} label={spec.name} hint={hint} issues={issues} required={spec.required}>
      <input
        {...common}
        type="text"
        inputMode={spec.type === 'number' ? 'decimal' : spec.type === 'url' ? 'url' : undefined}
        spellCheck={spec.type === 'string' ? undefined : false}
        autoComplete="off"
        value={text}
        placeholder={spec.default !== null ? String(spec.default) : spec.type === 'url' ? 'ws://127.0.0.1:4455' : spec.type === 'host' ? '127.0.0.1:4455' : ''}
        onChange={(e) => onChange(e.target.value)}
      />
    </FieldShell>
  );
}

/**
 * The settings of one plugin: a summary and "Edit settings", or the form (`open`). The form opens by itself while a
 * required setting has no value (the plugin cannot run until it has one); the card opens it from its hint too.
 */
export function PluginSettings({ plugin, open, onOpenChange }: { plugin: PluginInfo; open: boolean | null; onOpenChange: (open: boolean) => void }) {
  const specs = plugin.snapshot.metadata?.settings ?? [];
  const form = useApp((s) => s.pluginSettings[plugin.id]);
  const load = useApp((s) => s.loadPluginSettings);
  const save = useApp((s) => s.savePluginSettings);
  const busy = useApp((s) => s.pluginBusy[plugin.id] === true);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [drafts, setDrafts] = useState<Drafts | null>(null);
  const [draftsFor, setDraftsFor] = useState<PluginSettingsForm | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const errorId = useId();
  const name = plugin.snapshot.metadata?.name ?? plugin.id;
  const specsKey = JSON.stringify(specs);

  useEffect(() => {
    if (specsKey === '[]') return;
    let live = true;
    void load(plugin.id).then((err) => {
      if (live) setLoadError(err);
    });
    return () => {
      live = false;
    };
  }, [load, plugin.id, plugin.snapshot.sha256, specsKey]);

  // A new form from main (loaded, or the reply to a save) starts the fields over: secrets empty again. One where only
  // the OAuth state changed (a Connect finished meanwhile) keeps what the user is typing.
  if (form && form !== draftsFor) {
    setDraftsFor(form);
    if (!drafts || !draftsFor || !sameSettingsObjects(form, draftsFor)) setDrafts(draftsOf(form));
  }

  if (specs.length === 0) return null;
  const testId = `plugin-settings-${plugin.id}`;
  if (!form || !drafts) {
    return (
      <div data-testid={testId}>
        {loadError ? (
          <span className="text-error" role="alert" data-testid="settings-error">
            Could not load the settings: {loadError}
          </span>
        ) : (
          <>
            <Spinner label="Loading settings" /> Loading settings…
          </>
        )}
      </div>
    );
  }

  const missing = missingRequired(form);
  const isOpen = open ?? missing.length > 0;
  if (!isOpen) {
    return (
      <div data-testid={testId}>
        <SettingsSummary form={form} />{' '}
        <button type="button" className="link" disabled={busy} data-testid="plugin-settings-edit" onClick={() => onOpenChange(true)}>
          Edit settings
        </button>
        {form.oauth ? <OAuthAccount pluginId={plugin.id} oauth={form.oauth} busy={busy} unsaved={false} /> : null}
      </div>
    );
  }

  const problems = Object.fromEntries(form.specs.map((s) => [s.name, localProblem(s, drafts[s.name] ?? '')]));
  const valid = Object.values(problems).every((p) => p === null);
  const changes = settingChanges(form, drafts);
  const changed = Object.keys(changes).length > 0;
  const errorField = error ? namedSetting(form, error) : null;

  const send = async (next: Record<string, SettingValue | null>) => {
    onOpenChange(true); // stays open after the save (it would close by itself once nothing required is missing)
    setError(null);
    setSaved(false);
    const err = await save(plugin.id, next);
    if (err) setError(err);
    else setSaved(true);
  };
  const edit = (settingName: string, value: string | boolean) => {
    setDrafts({ ...drafts, [settingName]: value });
    setSaved(false);
  };

  return (
    <form
      className="settings-form"
      data-testid={testId}
      aria-label={`Settings of ${name}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (valid && changed) void send(changes);
      }}
    >
      {form.specs.map((spec) => {
        const problem = problems[spec.name];
        return (
          <SettingField
            key={spec.name}
            spec={spec}
            draft={drafts[spec.name] ?? ''}
            isSet={form.secretsSet.includes(spec.name)}
            busy={busy}
            issues={problem ? [problem] : []}
            errorId={errorField === spec.name ? errorId : null}
            onChange={(v) => edit(spec.name, v)}
            onClear={() => void send({ [spec.name]: null })}
          />
        );
      })}
      <div className="settings-actions">
        <button type="submit" className="primary" disabled={busy || !valid || !changed} data-testid="settings-save">
          Save settings
        </button>{' '}
        <button
          type="button"
          data-testid="settings-close"
          onClick={() => {
            setDrafts(draftsOf(form));
            setError(null);
            setSaved(false);
            onOpenChange(false);
          }}
        >
          {changed ? 'Cancel' : 'Close'}
        </button>{' '}
        {saved && !changed ? (
          <span className="text-ok" role="status" data-testid="settings-saved">
            <Icon name="check" /> Saved — its next call uses them
          </span>
        ) : null}
      </div>
      {error ? (
        <p className="text-error" role="alert" id={errorId} data-testid="settings-error">
          {error}
        </p>
      ) : null}
      {missing.length > 0 ? (
        <p className="text-warn" data-testid="settings-missing">
          Required before it can run: {missing.join(', ')}.
        </p>
      ) : null}
      {form.oauth ? <OAuthAccount pluginId={plugin.id} oauth={form.oauth} busy={busy} unsaved={changed} /> : null}
      <p className="muted" data-testid="settings-storage-note">
        {STORAGE_NOTE[form.secretStorage]} Other settings are kept in plugin_settings.json in your config folder.
      </p>
    </form>
  );
}
